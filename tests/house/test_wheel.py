"""The wheel holds the product and nothing else: no fakes, no tests, no bench.

The wheel is built the way the image builds it (pip's isolated build of pyproject.toml, README.md
and src/, copied apart so the build leaves nothing in the tree), then its file list is read: every
file under src/dresbach is in it (templates, static files, migrations, the understanding data),
and nothing else but the package's metadata.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "dresbach"


def source_files() -> set[str]:
    return {
        path.relative_to(PACKAGE.parent).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        PACKAGE, source / "src" / "dresbach", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    out = work / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--wheel-dir",
            str(out),
            str(source),
        ],
        check=True,
        cwd=work,
        timeout=300,
    )
    (wheel,) = out.glob("dresbach-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_holds_no_fakes_no_tests_no_bench(wheel_files: set[str]) -> None:
    for name in wheel_files:
        parts = name.split("/")
        assert not {"fakes", "tests", "bench"} & set(parts), name
        assert parts[0] in ("dresbach", "dresbach-0.1.0.dist-info"), name


def test_the_wheel_holds_every_file_of_the_package(wheel_files: set[str]) -> None:
    package = {name for name in wheel_files if name.startswith("dresbach/")}
    assert package == source_files()


@pytest.mark.parametrize(
    "needed",
    [
        "dresbach/py.typed",
        "dresbach/web/templates/console_base.html",
        "dresbach/web/static/simulator.html",
        "dresbach/web/static/console.css",
        "dresbach/platform/store/migrations/env.py",
        "dresbach/platform/store/migrations/script.py.mako",
        "dresbach/kernel/understanding/examples.pt-BR.txt",
        "dresbach/kernel/understanding/evaluation.pt-BR.txt",
    ],
)
def test_the_wheel_holds_the_data_the_service_reads(wheel_files: set[str], needed: str) -> None:
    assert needed in wheel_files


def test_the_wheel_holds_the_migrations(wheel_files: set[str]) -> None:
    versions = [
        n for n in wheel_files if n.startswith("dresbach/platform/store/migrations/versions/")
    ]
    assert len(versions) >= 1
    assert len(versions) == len(list((PACKAGE / "platform/store/migrations/versions").glob("*.py")))
