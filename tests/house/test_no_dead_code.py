"""What the README says the product has is what it has, and no module lies unused in the
package: an area described as "not open yet" after it opened, or a module nothing imports
(the old "area not open yet" state), is a test failure, not a surprise for the next reader."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from dresbach.features.menu.flow.texts import BUTTONS

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "dresbach"
README = (ROOT / "README.md").read_text("utf-8")
ENTRY_POINTS = {"dresbach.cli.main", "dresbach.platform.store.migrations.env"}
"""Run by name: the console script, and Alembic's environment (and its revisions, by path)."""
IMPORTERS = (PACKAGE, ROOT / "tests", ROOT / "bench")
"""The package, and the tests and benchmark that use its fakes of outside systems."""


def module_name(path: Path) -> str:
    base = PACKAGE.parent if path.is_relative_to(PACKAGE) else ROOT
    parts = path.relative_to(base).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names() -> set[str]:
    """Every module some module imports (absolute or relative)."""
    found: set[str] = set()
    for path in (p for folder in IMPORTERS for p in folder.rglob("*.py")):
        here = module_name(path).split(".")
        package = here if path.name == "__init__.py" else here[:-1]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join([*package[: len(package) - node.level + 1], base]).strip(".")
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_every_module_is_imported_or_an_entry_point() -> None:
    imported = imported_names()
    unused = [
        name
        for path in PACKAGE.rglob("*.py")
        if "versions" not in path.parts and path.name != "__init__.py"
        if (name := module_name(path)) not in imported and name not in ENTRY_POINTS
    ]
    assert unused == [], f"modules nothing imports: {unused}"


def test_the_readme_describes_the_areas_the_menu_offers_as_open() -> None:
    intro = README.split("## ", 1)[0]
    described = re.findall(r"^- \*\*(.+?)\*\*", intro, re.MULTILINE)
    offered = [title for key, title in BUTTONS.items() if key != "menu"]
    assert described == offered
    for stale in ("not open yet", "until the scheduling issue lands"):
        assert stale not in README.lower(), stale
