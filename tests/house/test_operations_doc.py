"""docs/operations.md against the code it describes.

The operations guide is only useful while it is true, so what can be checked is checked: every
metric the service exposes is in its table with the right type and labels; every template the
code sends is in its table with its parameters and where it is defined; every setting
production needs is named, and every setting it names exists; every `dresbach …` command it
shows parses with the real CLI, flags included; every HTTP path it names is a route; the
documented upgrade command takes each Alembic revision to the newest one, on SQLite and on
PostgreSQL, and the revisions stay as additive as the guide says; the README links the guide.
"""

from __future__ import annotations

import argparse
import ast
import re
import shlex
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from dresbach.cli.main import build_parser, main
from dresbach.config import ENVIRONMENT
from dresbach.features.registry import HOUSE
from dresbach.platform.observe import metrics as metrics_module
from dresbach.platform.observe.metrics import Metrics
from dresbach.platform.store.database import Database, migrate, normalize_url
from dresbach.platform.store.schema import metadata

ROOT = Path(__file__).resolve().parents[2]
DOC_PATH = ROOT / "docs" / "operations.md"
DOC = DOC_PATH.read_text("utf-8")
README = (ROOT / "README.md").read_text("utf-8")
MIGRATIONS = ROOT / "src" / "dresbach" / "platform" / "store" / "migrations"
WEB = ROOT / "src" / "dresbach" / "web"

PRODUCTION_GROUPS = (
    "WHATSAPP_",
    "DRESBACH_BCB_",
    "DRESBACH_MP_",
    "WHMCS_",
    "WHM_",
    "SMTP_",
    "CALDAV_",
    "CHATWOOT_",
    "DRESBACH_RETENTION_",
)
"""Every setting of these groups is one an operator sets (or must decide on) in production."""
PRODUCTION_SETTINGS = (
    "DRESBACH_SANDBOX",
    "DRESBACH_INSECURE_COOKIES",
    "DRESBACH_DATABASE_URL",
    "DRESBACH_SECRET_KEY",
    "DRESBACH_PUBLIC_URL",
    "DRESBACH_PIX_PROVIDER",
    "DRESBACH_PIX_KEY",
    "DRESBACH_PIX_MERCHANT_NAME",
    "DRESBACH_PIX_MERCHANT_CITY",
    "DRESBACH_CLIENT_DIRECTORY",
    "DRESBACH_HOSTING_PANEL",
    "DRESBACH_CALENDAR",
    "DRESBACH_HANDOFF_DESK",
    "DRESBACH_METRICS_TOKEN",
    "DRESBACH_LOG_FORMAT",
    "DRESBACH_SEND_RATE",
    "DRESBACH_PURGE_EVERY_MINUTES",
    "DRESBACH_CONTROLLER_NAME",
    "DRESBACH_PRIVACY_URL",
    "DRESBACH_DPO_CONTACT",
    "DRESBACH_PRIVACY_PURPOSE",
)
SETTING = re.compile(
    r"`((?:DRESBACH|WHATSAPP|WHMCS|WHM|SMTP|CALDAV|CHATWOOT)_[A-Z0-9_]*)(\*|=[^`]*)?`"
)
"""A setting in backticks, alone (`SMTP_HOST`), with a value (`DRESBACH_CALENDAR=caldav`) or as
a group (`SMTP_*`)."""
ROUTE_PREFIXES = ("webhook", "webhooks", "pix", "console", "metrics", "healthz", "readyz")


# ---- reading the document ----------------------------------------------------------------------

FENCE = re.compile(r"^ *```[^\n]*\n(.*?)^ *```", re.MULTILINE | re.DOTALL)


def code_snippets() -> list[str]:
    """Each inline code span, and each line of each fenced block."""
    snippets: list[str] = []
    for block in FENCE.findall(DOC):
        snippets += [line for line in block.splitlines() if line.strip()]
    prose = FENCE.sub("", DOC)
    snippets += re.findall(r"`([^`\n]+)`", prose)
    return snippets


def dresbach_commands() -> list[list[str]]:
    """Every `dresbach …` invocation shown (first in its snippet, or run in a container by
    `docker compose exec SERVICE`), as its words after `dresbach`. The image's name is not one."""
    found: list[list[str]] = []
    for snippet in code_snippets():
        try:
            words = shlex.split(snippet.replace("\\|", "|"), comments=True)
        except ValueError:  # an apostrophe in a comment, say
            words = snippet.split()
        for index, word in enumerate(words):
            first = index == 0 or (index >= 2 and words[index - 2] == "exec")
            named = word == "dresbach" or word.endswith("/dresbach")
            if first and named and index + 1 < len(words):  # alone, it is the user or image
                found.append(words[index + 1 :])
                break
    return found


def test_no_inline_code_crosses_a_line() -> None:
    """What the other tests read is whole: a command or a setting split over two lines would
    escape them."""
    for number, line in enumerate(FENCE.sub("", DOC).splitlines(), 1):
        assert line.count("`") % 2 == 0, f"an inline code span crosses line {number}: {line}"


def section(title: str) -> str:
    start = DOC.index(f"\n## {title}")
    end = DOC.find("\n## ", start + 1)
    return DOC[start : end if end != -1 else len(DOC)]


# ---- the CLI -----------------------------------------------------------------------------------


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def resolve(words: list[str]) -> tuple[list[str], argparse.ArgumentParser, list[str]]:
    """The subcommand path the words name, its parser, and the words after it."""
    parser, path, rest = build_parser(), [], list(words)
    while (choices := subcommands(parser)) and rest and not rest[0].startswith("-"):
        name = rest.pop(0)
        assert name in choices, f"`dresbach {' '.join([*path, name])}` is not a command"
        path.append(name)
        parser = choices[name]
    return path, parser, rest


def test_every_dresbach_command_it_shows_exists_with_its_flags() -> None:
    commands = dresbach_commands()
    assert len(commands) > 20
    shown: set[str] = set()
    for words in commands:
        path, parser, rest = resolve(words)
        assert path, f"`dresbach {' '.join(words)}` names no command"
        shown.add(" ".join(path))
        for word in rest:
            if word.startswith("--"):
                flag = word.split("=", 1)[0]
                assert flag in parser._option_string_actions, (
                    f"`dresbach {' '.join(path)}` has no {flag}"
                )
    needed = {"serve", "worker", "migrate", "doctor", "operators add", "payments confirm"}
    assert needed <= shown, f"not shown: {sorted(needed - shown)}"


def test_a_made_up_command_or_flag_would_be_caught() -> None:
    with pytest.raises(AssertionError, match="is not a command"):
        resolve(["operators", "remove", "ana"])
    path, parser, _ = resolve(["serve", "--proxy-headers"])
    assert path == ["serve"]
    assert "--proxy-headers" not in parser._option_string_actions
    assert "--no-workers" in parser._option_string_actions


# ---- settings ----------------------------------------------------------------------------------


def test_it_names_every_setting_production_needs() -> None:
    needed = [
        variable
        for variable in ENVIRONMENT
        if variable.startswith(PRODUCTION_GROUPS) or variable in PRODUCTION_SETTINGS
    ]
    assert set(PRODUCTION_SETTINGS) <= set(ENVIRONMENT)
    named = {name for name, suffix in SETTING.findall(DOC) if suffix != "*"}
    missing = [variable for variable in needed if variable not in named]
    assert missing == [], f"production settings the guide does not name: {missing}"


def test_every_setting_it_names_exists() -> None:
    named = SETTING.findall(DOC)
    assert len(named) > 50
    for name, suffix in named:
        if suffix == "*":  # a group
            assert any(v.startswith(name) for v in ENVIRONMENT), f"{name}* matches no setting"
        else:
            assert name in ENVIRONMENT, f"{name} is not a setting (dresbach.config.ENVIRONMENT)"


# ---- HTTP paths --------------------------------------------------------------------------------


def test_every_route_it_names_is_served() -> None:
    source = "\n".join(p.read_text("utf-8") for p in WEB.rglob("*.py"))
    paths = set()
    for snippet in code_snippets():  # a path alone, not another API's (`PUT /webhook/{chave}`)
        word = snippet.strip().removeprefix("{DRESBACH_PUBLIC_URL}").split("?")[0]
        if word.startswith("/") and word.strip("/").split("/")[0] in ROUTE_PREFIXES:
            paths.add(word)
    assert {"/webhook", "/pix", "/webhooks/mercadopago", "/webhooks/chatwoot", "/console"} <= paths
    assert {"/metrics", "/readyz", "/healthz"} <= paths
    for path in paths:
        assert f'"{path}"' in source, f"{path} is not a route of src/dresbach/web"


# ---- templates ---------------------------------------------------------------------------------

SRC = ROOT / "src" / "dresbach"


SENDS_TEMPLATES_FROM_DECLARATIONS = {
    SRC / "platform" / "whatsapp" / "templates" / "declarations.py",  # TemplateDeclaration.message
    SRC / "kernel" / "codec.py",  # rebuilding a stored template
}


def declared_where() -> dict[str, Path]:
    """Each `TemplateDeclaration(name="…")` in the source, and the file that holds it."""
    found: dict[str, Path] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "TemplateDeclaration":
                name = {k.arg: k.value for k in node.keywords}.get("name")
                assert isinstance(name, ast.Constant), f"{path}: a template's name is a literal"
                assert str(name.value) not in found, f"{name.value} declared twice"
                found[str(name.value)] = path
    return found


def templates_in_code() -> dict[str, tuple[int, Path]]:
    """Every template the code can send (the features' registered declarations): its number
    of body parameters and the file that declares it."""
    where = declared_where()
    declared = {t.name: t.parameter_count for t in HOUSE.templates}
    assert sorted(where) == sorted(declared), "a template declared but not registered"
    return {name: (count, where[name]) for name, count in declared.items()}


def test_every_template_goes_out_through_its_declaration() -> None:
    """No second copy of a template's name or parameter count: nothing builds a `Template`
    but the declaration (and the codec reading one back)."""
    for path in sorted(SRC.rglob("*.py")):
        if path in SENDS_TEMPLATES_FROM_DECLARATIONS:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Template":
                raise AssertionError(f"{path}:{node.lineno} builds a Template by hand")


def test_every_template_the_code_sends_is_documented_with_its_parameters() -> None:
    templates = templates_in_code()
    assert len(templates) >= 5
    rows = {}
    for line in section("The Meta app (WhatsApp Cloud API)").splitlines():
        if line.startswith("| `") and line.count("|") >= 5:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows[cells[0].strip("`")] = cells
    assert sorted(rows) == sorted(templates), "the templates table and the code disagree"
    for template, (count, where) in templates.items():
        cells = rows[template]
        placeholders = set(re.findall(r"\{\{(\d)\}\}", cells[1]))
        assert placeholders == {str(n) for n in range(1, count + 1)}, template
        assert cells[-1] == f"`{where.relative_to(SRC).as_posix()}`", template


def test_the_guide_says_how_each_declared_template_is_created() -> None:
    """The prose names one language and one category for all: so do the declarations."""
    assert {(t.language, t.category) for t in HOUSE.templates} == {("pt_BR", "UTILITY")}
    meta_app = " ".join(section("The Meta app (WhatsApp Cloud API)").split())
    assert "**Portuguese (BR)** (`pt_BR`), category *Utility*" in meta_app
    assert "dresbach templates sync" in meta_app


# ---- metrics -----------------------------------------------------------------------------------

DOCSTRING_METRIC = re.compile(r"`(dresbach_[a-z_]+)(?:\{([a-z_,]+)\})?`")


def documented_in_metrics_module() -> dict[str, list[str]]:
    """Metric name -> labels, from the docstring of platform/observe/metrics.py (the list of
    record)."""
    docstring = metrics_module.__doc__ or ""
    return {
        name: labels.split(",") if labels else []
        for name, labels in DOCSTRING_METRIC.findall(docstring)
    }


def exposed(tmp_path: Path) -> dict[str, str]:
    """Exposed name -> type, from a real registry over a migrated database."""
    url = f"sqlite:///{tmp_path}/metrics.sqlite3"
    migrate(url)
    db = Database(url)
    try:
        families = Metrics(db.engine).registry.collect()
        return {
            f"{f.name}_total" if f.type == "counter" else f.name: f.type
            for f in families
            if f.name.startswith("dresbach_")
        }
    finally:
        db.close()


def metric_rows() -> dict[str, list[str]]:
    rows = {}
    for line in section("Metrics and alerts").splitlines():
        if line.startswith("| `dresbach_"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows[cells[0].strip("`")] = cells[1:]
    return rows


def test_every_metric_is_in_the_table_with_its_type_and_labels(tmp_path: Path) -> None:
    types = exposed(tmp_path)
    listed = documented_in_metrics_module()
    assert set(listed) == set(types), (
        "platform/observe/metrics.py's docstring and registry disagree"
    )
    rows = metric_rows()
    missing = sorted(set(types) - set(rows))
    assert missing == [], f"metrics without a row in docs/operations.md: {missing}"
    assert sorted(set(rows) - set(types)) == [], "rows for metrics that do not exist"
    for name, cells in rows.items():
        type_, labels, meaning, alert = cells[:4]
        assert type_.split()[0] == types[name], f"{name} is a {types[name]}, not {type_}"
        assert sorted(re.findall(r"`([a-z_]+)`", labels)) == sorted(listed[name]), name
        assert meaning, f"{name}: what it means"
        assert alert, f"{name}: what an alert on it looks like"


# ---- migrations --------------------------------------------------------------------------------


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return config


def revisions() -> list[str]:
    """Every revision, oldest first; one line of history (one head)."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def current_revision(url: str) -> str | None:
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def test_the_upgrade_section_names_the_command_and_every_revision() -> None:
    upgrading = section("Upgrading")
    assert "`dresbach migrate`" in upgrading
    for revision in revisions():
        assert f"`{revision}`" in upgrading, f"revision {revision} is not in 'Upgrading'"
    assert (MIGRATIONS / "versions").is_dir()


@pytest.mark.parametrize("start", [None, *revisions()], ids=lambda r: f"from-{r or 'empty'}")
def test_the_documented_command_upgrades_from_every_revision(
    database_url: str,
    start: str | None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = alembic_config(database_url)
    if current_revision(database_url) is not None:
        command.downgrade(config, start or "base")
    elif start is not None:
        command.upgrade(config, start)
    assert current_revision(database_url) == start
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DRESBACH_DATABASE_URL", database_url)
    monkeypatch.setenv("DRESBACH_SANDBOX", "1")

    assert main(["migrate"]) == 0

    assert "Banco de dados atualizado." in capsys.readouterr().out
    assert current_revision(database_url) == revisions()[-1]
    engine = create_engine(normalize_url(database_url))
    try:
        tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()
    assert tables == {t.name for t in metadata.sorted_tables}


DESTRUCTIVE = frozenset(
    {"drop_table", "drop_column", "alter_column", "drop_index", "drop_constraint", "rename_table"}
)


def test_every_revision_only_adds_as_the_guide_says() -> None:
    """'Upgrading' says old processes keep working on the migrated schema because every
    revision only adds; a revision that drops or alters must change that paragraph."""
    assert "only adds tables and columns" in section("Upgrading")
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        (upgrade,) = [
            n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "upgrade"
        ]
        calls = {
            node.func.attr
            for node in ast.walk(upgrade)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        }
        assert not calls & DESTRUCTIVE, f"{path.name} upgrade() {sorted(calls & DESTRUCTIVE)}"


# ---- the README --------------------------------------------------------------------------------


def test_the_readme_links_the_guide() -> None:
    assert "(docs/operations.md)" in README
    assert "(../README.md)" in DOC
