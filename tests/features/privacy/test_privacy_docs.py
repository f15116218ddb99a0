"""The README's record of processing is complete: every table with what it holds, its legal
basis and how long it is kept; every retention setting documented where operators look."""

from __future__ import annotations

import re
from pathlib import Path

from dresbach.config import ENVIRONMENT, Settings
from dresbach.features.privacy.model import Retention
from dresbach.platform.store.schema import metadata

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text("utf-8")
ENV_EXAMPLE = (ROOT / ".env.example").read_text("utf-8")
SECTION = "## Personal data: legal basis and retention"


def legal_basis_rows() -> dict[str, list[str]]:
    section = README[README.index(SECTION) :]
    section = section[: section.index("\n## ", len(SECTION))]
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`"):
            for table in re.findall(r"`([a-z_]+)`", cells[0]):
                rows[table] = cells[1:]
    return rows


def test_every_table_has_its_purpose_legal_basis_and_retention_in_the_readme() -> None:
    rows = legal_basis_rows()
    missing = sorted({t.name for t in metadata.sorted_tables} - set(rows))
    assert missing == [], f"tables without a legal basis and retention in the README: {missing}"
    for table, cells in rows.items():
        assert all(cells), f"{table}: an empty cell"


def test_each_retention_setting_is_real_documented_and_named_in_the_table() -> None:
    variables = [v for v in ENVIRONMENT if v.startswith("DRESBACH_RETENTION_")]
    assert len(variables) == len(Retention.__dataclass_fields__)
    table = "\n".join(" ".join(cells) for cells in legal_basis_rows().values())
    for variable in [*variables, "DRESBACH_PURGE_EVERY_MINUTES", "DRESBACH_PRIVACY_PURPOSE"]:
        default = getattr(Settings(), ENVIRONMENT[variable])
        assert f"\n{variable}={default}\n" in ENV_EXAMPLE, variable
        assert f"`{variable}`" in README, variable
        if variable.startswith("DRESBACH_RETENTION_"):
            assert variable in table, f"{variable} is not used in the legal-basis table"


def test_the_retention_defaults_are_the_documented_ones() -> None:
    retention = Settings().retention
    assert retention == Retention()
    assert retention.payments.days >= 5 * 365
    assert retention.access_log.days >= 183
