# Two commands do all set-up on a fresh machine with Python 3.11+ and make:
#   make run    create .venv, install, migrate, start the service (SQLite, sandbox simulator)
#   make test   the same bootstrap, then ruff, mypy --strict, import-linter and pytest
# The bootstrap puts a pinned uv into .venv and installs exactly what uv.lock says
# (`make lock` after editing the dependencies in pyproject.toml, `make upgrade` to move them on).
# `make run PORT=8100 HOST=0.0.0.0` listens elsewhere; without them `dresbach serve` takes
# DRESBACH_HOST / DRESBACH_PORT (environment or .env), else 127.0.0.1:8000.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
UV_VERSION := 0.13.9
# uv works on this virtualenv (not one of its own) and never fetches a Python
UV     := UV_PROJECT_ENVIRONMENT=$(VENV) UV_PYTHON_DOWNLOADS=never $(BIN)/uv
# --locked: install the lock as it is, and stop if pyproject.toml says something it does not;
# --inexact: leave uv itself (not a dependency of the project) in the virtualenv
SYNC   := $(UV) sync --locked --inexact
# The pure and fast tier: no PostgreSQL, no browser, no servers or subprocesses, nothing long
FAST   := not postgres and not browser and not slow and not e2e
HOST   ?=
PORT   ?=
# `make run` is the sandbox, asked for explicitly: the simulator, nothing reaches WhatsApp
SANDBOX := DRESBACH_SANDBOX=1

.PHONY: run test test-fast lint fmt lock upgrade bench bench-quick bench-scale-out clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)

$(STAMP): pyproject.toml uv.lock | $(BIN)/uv
	$(SYNC) --extra dev
	touch $(STAMP)

# After editing [project] dependencies: the lock follows, moving no other package
lock: | $(BIN)/uv
	$(UV) lock
	rm -f $(STAMP)

# Every package to its newest release that pyproject.toml allows; then `make test` and commit uv.lock
upgrade: | $(BIN)/uv
	$(UV) lock --upgrade
	rm -f $(STAMP)

run: $(STAMP)
	$(SANDBOX) $(BIN)/dresbach migrate
	$(SANDBOX) $(BIN)/dresbach serve $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

test: lint
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/python -m pytest -q -m '$(FAST)'

$(VENV)/.installed-bench: $(STAMP)
	$(SYNC) --extra dev --extra bench
	touch $@

bench: $(VENV)/.installed-bench
	$(BIN)/python bench/run.py $(if $(BEFORE),--before $(BEFORE))

bench-quick: $(VENV)/.installed-bench
	$(BIN)/python bench/run.py --quick

bench-scale-out: $(VENV)/.installed-bench
	$(BIN)/python -m bench.scale_out

bench-understanding: $(STAMP) ; $(BIN)/python -m bench.understanding

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
