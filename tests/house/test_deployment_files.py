"""Dockerfile, compose.yaml and .dockerignore against the code, the README and .env.example.

Docker is not available where this project is built and tested, so these files cannot be run
here. What can be checked is checked: the commands they run parse with the real `dresbach`
parser, every setting they pass is a real one (and documented), the settings compose gives
load without error, the port is the same everywhere, the image is multi-stage and runs as a
non-root user.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
import yaml  # PyYAML: installed with uvicorn[standard], a runtime dependency

from dresbach.cli.main import build_parser
from dresbach.config import ENVIRONMENT, Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text("utf-8")
ENV_EXAMPLE = (ROOT / ".env.example").read_text("utf-8")
DOCKERFILE = (ROOT / "Dockerfile").read_text("utf-8")
MAKEFILE = (ROOT / "Makefile").read_text("utf-8")
PORT = 8000


# ---- reading the files -------------------------------------------------------------------------


@dataclass
class Stage:
    image: str
    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for instruction, args in self.instructions if instruction == keyword]


def dockerfile_stages() -> list[Stage]:
    """The Dockerfile's stages, each with its instructions (continuation lines joined)."""
    lines, joined = [], ""
    for raw in DOCKERFILE.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            joined += line[:-1] + " "
            continue
        lines.append(joined + line)
        joined = ""
    stages: list[Stage] = []
    for line in lines:
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), args.strip()
        if keyword == "FROM":
            image, _, name = args.partition(" AS ")
            stages.append(Stage(image=image.strip(), name=name.strip()))
        elif stages:
            stages[-1].instructions.append((keyword, args))
    return stages


def exec_form(args: str) -> list[str]:
    """A CMD/HEALTHCHECK in exec (JSON) form."""
    value = json.loads(args)
    assert isinstance(value, list), f"not in exec form: {args}"
    return [str(v) for v in value]


def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text("utf-8"))
    return document


DRESBACH_SERVICES = ("migrate", "app", "worker")
VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?P<op>[-?])(?P<arg>[^}]*))?\}")


class Unset(Exception):
    pass


def interpolate(value: str, given: dict[str, str]) -> str:
    """Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?message}`."""

    def one(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        if given.get(name):
            return given[name]
        if op == "?":
            raise Unset(f"{name}: {arg}")
        return arg or ""

    return VARIABLE.sub(one, value)


def environment_of(service: str) -> dict[str, str]:
    environment = compose()["services"][service].get("environment", {})
    assert isinstance(environment, dict), f"{service}: write environment as a mapping"
    return {str(k): str(v) for k, v in environment.items()}


def documented_in_env_example(variable: str) -> bool:
    return re.search(rf"^{re.escape(variable)}=", ENV_EXAMPLE, re.MULTILINE) is not None


def documented_in_readme(variable: str) -> bool:
    return f"`{variable}`" in README


def cli(command: list[str]) -> Any:
    """The command as the real `dresbach` parser reads it (it exits on an unknown flag)."""
    assert command[0] == "dresbach", command
    return build_parser().parse_args(command[1:])


# ---- the Dockerfile ----------------------------------------------------------------------------


def test_the_image_is_built_in_a_builder_stage_and_runs_from_a_slim_one() -> None:
    stages = dockerfile_stages()
    assert len(stages) >= 2
    builder, runtime = stages[0], stages[-1]
    assert builder.name == "builder"
    assert runtime.image.endswith("-slim")
    builds = " ".join(builder.all("RUN"))
    # the lock, as it is, without the dev extra; the package itself built as a wheel
    assert re.search(r"\buv sync --locked --no-dev --no-editable\b", builds)
    assert "--extra" not in builds
    assert any(c.startswith("--from=builder ") for c in runtime.all("COPY"))
    assert not any(re.search(r"\b(pip|uv)\b", r) for r in runtime.all("RUN")), (
        "install in the builder"
    )
    for source in ("pyproject.toml", "uv.lock", "README.md", "src"):
        assert any(source in c.split() for c in builder.all("COPY")), source
        assert (ROOT / source).exists()


def test_the_image_installs_with_the_uv_the_makefile_pins() -> None:
    (builder,) = (s for s in dockerfile_stages() if s.name == "builder")
    in_image = re.search(r"^UV_VERSION=(\S+)$", " ".join(builder.all("ARG")), re.MULTILINE)
    in_make = re.search(r"^UV_VERSION := (\S+)$", MAKEFILE, re.MULTILINE)
    assert in_image, "ARG UV_VERSION=x.y.z in the builder stage"
    assert in_make, "UV_VERSION := x.y.z in the Makefile"
    assert in_image[1] == in_make[1]
    assert '"uv==${UV_VERSION}"' in " ".join(builder.all("RUN"))


def test_the_image_copies_only_the_product_no_tests_fakes_or_bench() -> None:
    copied = [
        word
        for stage in dockerfile_stages()
        for copy in stage.all("COPY")
        if not copy.startswith("--from=")
        for word in copy.split()[:-1]
    ]
    assert sorted(copied) == ["README.md", "pyproject.toml", "src", "uv.lock"]
    assert not (ROOT / "src/dresbach/fakes").exists(), "the fakes live in tests/fakes"


def test_uvicorn_standard_comes_with_the_package_on_a_python_it_supports() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert any(d.startswith("uvicorn[standard]") for d in project["dependencies"])
    found = re.search(r"^ARG PYTHON_VERSION=(\d+)\.(\d+)$", DOCKERFILE, re.MULTILINE)
    assert found, "ARG PYTHON_VERSION=3.x pins the Python of both stages"
    minimum = re.fullmatch(r">=(\d+)\.(\d+)", project["requires-python"])
    assert minimum
    assert (int(found[1]), int(found[2])) >= (int(minimum[1]), int(minimum[2]))
    assert all(s.image == "python:${PYTHON_VERSION}-slim" for s in dockerfile_stages())


def test_the_runtime_stage_runs_as_a_non_root_user() -> None:
    runtime = dockerfile_stages()[-1]
    users = runtime.all("USER")
    assert users, "the runtime stage must switch to a user"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    keywords = [k for k, _ in runtime.instructions]
    assert keywords.index("USER") < keywords.index("CMD")
    created = " ".join(runtime.all("RUN"))
    assert "useradd" in created
    assert re.search(rf"\b{user}\b", created)
    uid = re.search(r"--uid (\d+)", created)
    assert uid
    assert int(uid[1]) != 0


def test_the_image_serves_the_documented_command_on_the_documented_port() -> None:
    runtime = dockerfile_stages()[-1]
    (cmd,) = runtime.all("CMD")
    command = exec_form(cmd)
    assert command == ["dresbach", "serve", "--host", "0.0.0.0", "--port", str(PORT)]
    args = cli(command)
    assert (args.command, args.host, args.port, args.no_workers) == (
        "serve",
        "0.0.0.0",
        PORT,
        False,
    )
    assert runtime.all("EXPOSE") == [str(PORT)]
    (healthcheck,) = runtime.all("HEALTHCHECK")
    probe = " ".join(exec_form(healthcheck[healthcheck.index("CMD") + 3 :].strip()))
    assert f"http://127.0.0.1:{PORT}/healthz" in probe
    assert 'Route("/healthz"' in (ROOT / "src/dresbach/web/app.py").read_text("utf-8")
    assert Settings().port == PORT
    assert re.search(rf"^DRESBACH_PORT={PORT}$", ENV_EXAMPLE, re.MULTILINE)
    assert f"dresbach serve --host 0.0.0.0 --port {PORT}" in README


def test_every_setting_is_in_env_example() -> None:
    missing = [variable for variable in ENVIRONMENT if not documented_in_env_example(variable)]
    assert missing == [], f".env.example lacks {missing}"


def test_the_settings_the_image_sets_are_real_ones() -> None:
    for env in dockerfile_stages()[-1].all("ENV"):
        for pair in shlex.split(env):
            name, _, value = pair.partition("=")
            if name.startswith(("DRESBACH_", "WHATSAPP_")):
                assert name in ENVIRONMENT, name
                load_settings({"DRESBACH_SANDBOX": "1", name: value}, env_file=None)  # valid
                if name == "DRESBACH_PORT":
                    assert int(value) == PORT


def test_nothing_secret_or_local_goes_into_the_build() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for kept_out in (".env", ".venv", "var", ".git", "tests", "bench", "x.sqlite3"):
        assert any(fnmatch(kept_out, p) for p in patterns if not p.startswith("!")), kept_out
    for needed in ("src", "pyproject.toml", "uv.lock", "README.md"):
        assert not any(fnmatch(needed, p) for p in patterns), needed


# ---- compose.yaml ------------------------------------------------------------------------------


def test_compose_runs_migrate_once_then_the_app_and_a_worker_on_postgres_16() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", *DRESBACH_SERVICES}
    postgres = services["postgres"]
    assert postgres["image"] == "postgres:16"
    (volume,) = postgres["volumes"]
    name, _, mounted = volume.partition(":")
    assert mounted == "/var/lib/postgresql/data"
    assert name in compose()["volumes"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])

    migrate = services["migrate"]
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert migrate["restart"] == "no"
    for service in ("app", "worker"):
        assert services[service]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"}
        }


def test_compose_commands_are_real_dresbach_commands() -> None:
    services = compose()["services"]
    assert cli(services["migrate"]["command"]).command == "migrate"
    app = cli(services["app"]["command"])
    assert (app.command, app.host, app.port, app.no_workers) == ("serve", "0.0.0.0", PORT, True)
    worker = cli(services["worker"]["command"])
    assert (worker.command, worker.metrics_host) == ("worker", "0.0.0.0")
    probe = " ".join(services["worker"]["healthcheck"]["test"])
    assert f"127.0.0.1:{worker.metrics_port}/metrics" in probe
    for command in ("dresbach serve", "dresbach worker", "dresbach migrate"):
        assert f"| `{command}" in README, f"{command} is not in the README's command table"


def test_compose_publishes_the_port_the_app_listens_on() -> None:
    app = compose()["services"]["app"]
    (mapping,) = app["ports"]
    assert mapping.split(":")[-1] == str(PORT)
    assert f"http://127.0.0.1:{PORT}/healthz" in " ".join(app["healthcheck"]["test"])


def test_every_setting_compose_passes_is_real_and_documented() -> None:
    for service in DRESBACH_SERVICES:
        for variable in environment_of(service):
            assert variable in ENVIRONMENT, f"{service}: {variable} is not a setting"
            assert documented_in_env_example(variable), f"{variable} is not in .env.example"
            assert documented_in_readme(variable), f"{variable} is not in the README"
        assert compose()["services"][service]["env_file"] == [{"path": ".env", "required": False}]


def test_the_settings_compose_gives_load_and_point_at_its_postgres() -> None:
    postgres = compose()["services"]["postgres"]["environment"]
    given = {
        "DRESBACH_SECRET_KEY": "ab" * 32,
        "WHATSAPP_APP_SECRET": "app-secret",
        "WHATSAPP_VERIFY_TOKEN": "verify",
        "WHATSAPP_ACCESS_TOKEN": "token",
        "WHATSAPP_PHONE_NUMBER_ID": "100000000000001",
        "SMTP_HOST": "smtp.dresbach.com.br",
    }
    for service in DRESBACH_SERVICES:
        resolved = {k: interpolate(v, given) for k, v in environment_of(service).items()}
        settings = load_settings(resolved, env_file=None)
        assert not settings.sandbox
        user = interpolate(postgres["POSTGRES_USER"], given)
        password = interpolate(postgres["POSTGRES_PASSWORD"], given)
        database = interpolate(postgres["POSTGRES_DB"], given)
        assert settings.database_url == (f"postgresql://{user}:{password}@postgres:5432/{database}")


def test_compose_refuses_to_start_without_a_secret_key() -> None:
    for service in DRESBACH_SERVICES:
        secret_key = environment_of(service)["DRESBACH_SECRET_KEY"]
        with pytest.raises(Unset, match="DRESBACH_SECRET_KEY"):
            interpolate(secret_key, {})


def test_compose_refuses_to_start_without_smtp_and_is_never_the_sandbox() -> None:
    for service in DRESBACH_SERVICES:
        environment = environment_of(service)
        with pytest.raises(Unset, match="SMTP_HOST"):
            interpolate(environment["SMTP_HOST"], {})
        assert "DRESBACH_SANDBOX" not in environment
    assert "DRESBACH_SANDBOX" not in DOCKERFILE


def test_a_wrong_value_in_compose_would_stop_the_service_at_start() -> None:
    resolved = {
        k: interpolate(v, {"DRESBACH_SECRET_KEY": "curta", "SMTP_HOST": "smtp.dresbach.com.br"})
        for k, v in environment_of("app").items()
    }
    with pytest.raises(SettingsError):
        load_settings(resolved, env_file=None)


# ---- the lock ----------------------------------------------------------------------------------


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_lock_says_what_pyproject_says() -> None:
    """What `make lock` wrote still matches pyproject.toml (else `uv sync --locked` stops)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    lock = tomllib.loads((ROOT / "uv.lock").read_text("utf-8"))
    assert lock["requires-python"] == project["requires-python"]
    (ours,) = (p for p in lock["package"] if p["name"] == "dresbach")
    locked = {
        (normalized(d["name"]), d.get("marker", "")) for d in ours["metadata"]["requires-dist"]
    }
    declared = {(normalized(re.split(r"[\[<>=!~; ]", d)[0]), "") for d in project["dependencies"]}
    for extra, names in project["optional-dependencies"].items():
        declared |= {
            (normalized(re.split(r"[\[<>=!~; ]", d)[0]), f"extra == '{extra}'") for d in names
        }
    assert locked == declared
    pinned = {normalized(p["name"]) for p in lock["package"]}
    assert {name for name, _ in declared} <= pinned


def test_every_install_goes_through_the_lock() -> None:
    assert re.search(r"^SYNC +:= \$\(UV\) sync --locked\b", MAKEFILE, re.MULTILINE)
    assert "pip install -e" not in MAKEFILE
    assert "pip install --quiet -e" not in MAKEFILE
    assert re.search(r"^\$\(STAMP\): pyproject\.toml uv\.lock\b", MAKEFILE, re.MULTILINE)
    for target in ("lock", "upgrade", "test-fast"):
        assert re.search(rf"^{target}:", MAKEFILE, re.MULTILINE), target
    assert "make test" in (ROOT / ".ci/run").read_text("utf-8")
    assert "make lock" in README
    assert "make upgrade" in README
