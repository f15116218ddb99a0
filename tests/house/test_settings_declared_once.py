"""Each setting is declared once, on its section's field (its variable and its default), and the
places an operator reads them, `.env.example` and the README's table, agree with the fields.

A setting added to a section without its line in `.env.example` and its row in the README, a
default changed in one place only, or a documented variable the code no longer reads: each fails
here, naming it.
"""

from __future__ import annotations

import re
from dataclasses import MISSING, Field, fields
from pathlib import Path
from typing import Any

import pytest

from dresbach.config import ENVIRONMENT, SECTIONS, Settings, _convert
from dresbach.kernel.settings import ENV, Secret, Section, SettingsError

ROOT = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = (ROOT / ".env.example").read_text("utf-8")
README = (ROOT / "README.md").read_text("utf-8")
FIELDS: dict[str, Field[Any]] = {f.name: f for f in fields(Settings)}


def default_of(variable: str) -> object:
    field = FIELDS[ENVIRONMENT[variable]]
    if field.default is not MISSING:
        return field.default
    assert field.default_factory is not MISSING, variable
    return field.default_factory()


def as_read(variable: str, written: str) -> object:
    """A value written for `variable`, as the loader reads it (empty: the field's default)."""
    if written.strip() == "":
        kind = FIELDS[ENVIRONMENT[variable]].type
        return Secret("") if kind in (Secret, "Secret") else ""
    return _convert(variable, FIELDS[ENVIRONMENT[variable]].type, written.strip())


# ---- the sections ------------------------------------------------------------------------------


def test_every_field_is_a_setting_of_one_section_and_names_one_variable() -> None:
    owner: dict[str, str] = {}
    for section in SECTIONS:
        assert issubclass(section, Section)
        assert section.__module__.endswith(".settings"), f"{section.__name__}: next to its code"
        for field in fields(section):  # type: ignore[arg-type]
            assert field.name not in owner, f"{field.name}: in {owner[field.name]} too"
            owner[field.name] = section.__name__
    assert set(owner) == set(FIELDS), "Settings has a field no section declares"
    declared = [f.metadata.get(ENV) for f in FIELDS.values()]
    assert None not in declared, "a field without its environment variable"
    assert len(set(declared)) == len(declared) == len(ENVIRONMENT), "a variable read twice"


def test_the_platform_and_the_features_declare_their_own_settings() -> None:
    modules = {section.__module__ for section in SECTIONS}
    assert all(m.startswith(("dresbach.platform.", "dresbach.features.")) for m in modules)
    assert {"dresbach.features.payments.settings", "dresbach.platform.store.settings"} <= modules


def test_a_bad_value_is_refused_by_its_own_section_and_production_comes_last() -> None:
    with pytest.raises(SettingsError, match="DRESBACH_LOG_LEVEL"):
        Settings(sandbox=False, log_level="loud").validate()  # not the missing WhatsApp first
    with pytest.raises(SettingsError, match="WHATSAPP_ACCESS_TOKEN"):
        Settings().validate()
    Settings(sandbox=True).validate()


# ---- .env.example ------------------------------------------------------------------------------

ASSIGNMENT = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$", re.MULTILINE)


def test_env_example_names_only_settings_each_once() -> None:
    written = [name for name, _ in ASSIGNMENT.findall(ENV_EXAMPLE)]
    assert sorted(written) == sorted(ENVIRONMENT), (
        f"unknown: {sorted(set(written) - set(ENVIRONMENT))}; "
        f"missing: {sorted(set(ENVIRONMENT) - set(written))}"
    )


def test_env_example_gives_each_setting_its_default() -> None:
    for variable, written in ASSIGNMENT.findall(ENV_EXAMPLE):
        assert as_read(variable, written) == default_of(variable), (
            f".env.example: {variable}={written} but the field's default is "
            f"{default_of(variable)!r}"
        )


# ---- the README --------------------------------------------------------------------------------


def readme_rows() -> list[tuple[list[str], str]]:
    """The configuration table: each row's variables (a `_SUFFIX` completed from the row's first
    variable, as `DRESBACH_FEE_TECHNICAL` / `_SECURITY`) and its default cell."""
    start = README.index("\n## Configuration")
    table = README[start : README.index("\n## ", start + 1)]
    rows = []
    for line in table.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        names = re.findall(r"`([A-Z_][A-Z0-9_]*)`", cells[0])
        first, completed = names[0], []
        for name in names:
            if name.startswith("_"):
                stems = [first[:i] for i, c in enumerate(first) if c == "_"]
                found = [stem + name for stem in stems if stem + name in ENVIRONMENT]
                assert found, f"README: {name} completes no setting of {first}"
                name = found[-1]
            completed.append(name)
        rows.append((completed, cells[1]))
    return rows


def test_the_readme_table_names_every_setting_and_only_settings() -> None:
    named = [name for names, _ in readme_rows() for name in names]
    assert sorted(set(named) - set(ENVIRONMENT)) == [], "the README names unknown settings"
    assert sorted(set(ENVIRONMENT) - set(named)) == [], "settings missing from the README table"


def test_the_readme_table_gives_each_setting_its_default() -> None:
    for names, cell in readme_rows():
        defaults = [d.strip() for d in cell.split(" / ")]
        if len(defaults) == 1:
            defaults *= len(names)
        assert len(defaults) == len(names), f"README: {names} and {cell}"
        for name, written in zip(names, defaults, strict=True):
            expected = default_of(name)
            if written.startswith("—"):
                assert not expected, f"README: {name} has a default, {expected!r}"
                continue
            value = re.fullmatch(r"`([^`]*)`", written)
            assert value, f"README: {name}'s default {written} is not one `value`"
            text = value[1]
            if text.endswith("…>"):  # abbreviated
                assert str(expected).startswith(text.removesuffix("…>")), name
            else:
                assert as_read(name, text) == expected, f"README: {name}={text}, not {expected!r}"
