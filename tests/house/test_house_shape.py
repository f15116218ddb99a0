"""The shape of the house (#11): folders small enough to read, modules short enough to hold in the
head, and every feature built from the same parts, under its own folder."""

from __future__ import annotations

from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "dresbach"
FEATURES = PACKAGE / "features"

MAX_MODULES_PER_FOLDER = 15
MAX_LINES_PER_MODULE = 400

# A sequence, not a design: the migrations grow one file per schema change.
UNCOUNTED_FOLDERS = {"platform/store/migrations/versions"}

# Every feature, and the parts it is built from besides its `__init__`. A new feature is a new
# folder and one line here.
FEATURE_PARTS: dict[str, set[str]] = {
    "client_area": {"flow", "login", "model", "ports", "adapters", "service"},
    "faq": {"flow", "model", "matcher"},
    "handoff": {"flow", "model", "ports", "adapters", "records", "service"},
    "incidents": {"model", "records", "service"},
    "insights": {"records"},
    "menu": {"flow"},
    "notices": {"model", "ports", "adapters", "records", "service"},
    "operators": {"service"},
    "payments": {"model", "ports", "adapters", "records", "service"},
    "privacy": {"flow", "model", "service"},
    "reports": set(),
    "scheduling": {"model", "ports", "adapters", "records", "service"},
    "sitecheck": {"model", "ports", "adapters"},
    "techops": {"flow", "diagnosis", "model"},
}


def _relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _folders() -> list[Path]:
    return sorted(
        folder
        for folder in [PACKAGE, *PACKAGE.rglob("*")]
        if folder.is_dir() and any(folder.glob("*.py"))
    )


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _lines(module: Path) -> int:
    return len(module.read_text(encoding="utf-8").splitlines())


def _part_names(feature: Path) -> set[str]:
    """A feature's parts: its modules and its sub-packages, by name."""
    names = {module.stem for module in feature.glob("*.py") if module.name != "__init__.py"}
    names |= {folder.name for folder in feature.iterdir() if (folder / "__init__.py").exists()}
    return names


def test_no_folder_holds_more_than_fifteen_modules() -> None:
    crowded = {
        _relative(folder) or ".": count
        for folder in _folders()
        if _relative(folder) not in UNCOUNTED_FOLDERS
        and (count := sum(1 for m in folder.glob("*.py") if m.name != "__init__.py"))
        > MAX_MODULES_PER_FOLDER
    }
    assert crowded == {}, f"split these folders by meaning (≤ {MAX_MODULES_PER_FOLDER} modules)"


def test_no_module_is_longer_than_four_hundred_lines() -> None:
    long = {
        _relative(module): lines
        for module in _modules()
        if (lines := _lines(module)) > MAX_LINES_PER_MODULE
    }
    assert long == {}, f"split these modules by meaning (≤ {MAX_LINES_PER_MODULE} lines)"


def test_every_feature_is_known_by_its_parts() -> None:
    found = {folder.name for folder in FEATURES.iterdir() if (folder / "__init__.py").exists()}
    assert found == set(FEATURE_PARTS)


@pytest.mark.parametrize("feature", sorted(FEATURE_PARTS))
def test_every_feature_has_its_parts(feature: str) -> None:
    missing = FEATURE_PARTS[feature] - _part_names(FEATURES / feature)
    assert missing == set(), f"features/{feature} lacks {sorted(missing)}"


@pytest.mark.parametrize("feature", sorted(FEATURE_PARTS))
def test_a_feature_with_adapters_owns_their_ports(feature: str) -> None:
    """The Protocols a feature's adapters implement live in the feature, not in the kernel."""
    parts = _part_names(FEATURES / feature)
    assert ("adapters" in parts) == ("ports" in parts)


@pytest.mark.parametrize("feature", sorted(FEATURE_PARTS))
def test_a_feature_with_a_flow_has_its_table_and_its_texts(feature: str) -> None:
    flow = FEATURES / feature / "flow"
    if flow.exists():
        assert {"table", "texts"} <= _part_names(flow)
