"""SECURITY.md names, for each promise, the tests that hold it: each named test exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECURITY = (ROOT / "SECURITY.md").read_text("utf-8")


def test_every_test_it_names_exists() -> None:
    named = re.findall(r"`(tests/[\w/]+\.py)::(test_\w+)`", SECURITY)
    assert len(named) >= 20
    for path, test in named:
        source = ROOT / path
        assert source.is_file(), path
        functions = {
            node.name
            for node in ast.walk(ast.parse(source.read_text("utf-8")))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        assert test in functions, f"{path}::{test} does not exist"


def test_every_test_file_it_names_exists() -> None:
    for path in re.findall(r"`(tests/[\w/]+\.py)(?:::\w+)?`", SECURITY):
        assert (ROOT / path).is_file(), path


def test_every_promise_names_a_test() -> None:
    sections = SECURITY.split("\n## ")[1:]
    assert len(sections) >= 7
    for section in sections:
        title = section.splitlines()[0]
        assert re.search(r"`tests/[\w/]+\.py::test_\w+`", section), f"{title}: no test named"
