"""The README's "Demonstração em 5 minutos" is near the top and true: its commands parse with
the real `dresbach` parser (and ask for the sandbox), its addresses are pages the sandbox
serves, and its logins are the ones `demo seed` creates."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from dresbach.cli.clients_commands import (
    DEMO_EMAIL_CPF,
    DEMO_OPERATOR,
    DEMO_OPERATOR_PASSWORD,
    DEMO_PASSWORD,
)
from dresbach.cli.main import build_parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text("utf-8")
WEB = ROOT / "src" / "dresbach" / "web"


def demo() -> str:
    start = README.index("## Demonstração em 5 minutos")
    return README[start : README.index("\n## ", start + 1)]


def test_it_comes_before_the_technical_sections() -> None:
    assert README.index("## Demonstração em 5 minutos") < README.index("## The two commands")
    assert README[: README.index("## Demonstração")].count("\n") < 60


def test_its_commands_are_real_and_ask_for_the_sandbox() -> None:
    commands = re.findall(r"`(DRESBACH_SANDBOX=1 \.venv/bin/dresbach [^`]+)`", demo())
    assert len(commands) >= 3
    for command in commands:
        words = shlex.split(command.replace("<txid>", "TXID"))
        assert words[:2] == ["DRESBACH_SANDBOX=1", ".venv/bin/dresbach"]
        build_parser().parse_args(words[2:])  # exits on an unknown command or option
    assert "`make run`" in demo()
    assert "`make run PORT=8100`" in demo()


def test_its_addresses_are_served_and_its_logins_are_the_seeded_ones() -> None:
    source = "\n".join(p.read_text("utf-8") for p in WEB.rglob("*.py"))
    for path in re.findall(r"http://127\.0\.0\.1:8000(/[\w/]*)", demo()):
        assert f'"{path}"' in source, path
    text = " ".join(demo().split())
    assert f"usuário `{DEMO_OPERATOR}`, senha `{DEMO_OPERATOR_PASSWORD}`" in text
    assert f"CPF `{DEMO_EMAIL_CPF}` com a senha `{DEMO_PASSWORD}`" in text
