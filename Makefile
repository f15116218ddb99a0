# Two commands do all set-up on a fresh machine with Python 3.11+ and make:
#   make run    create .venv, install, migrate, start the service (SQLite, sandbox simulator)
#   make test   the same bootstrap, then ruff, mypy --strict, import-linter and pytest
# `make run PORT=8100 HOST=0.0.0.0` listens elsewhere; without them `dresbach serve` takes
# DRESBACH_HOST / DRESBACH_PORT (environment or .env), else 127.0.0.1:8000.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
HOST   ?=
PORT   ?=
# `make run` is the sandbox, asked for explicitly: the simulator, nothing reaches WhatsApp
SANDBOX := DRESBACH_SANDBOX=1

.PHONY: run test lint fmt bench bench-quick bench-scale-out clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

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

$(VENV)/.installed-bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

bench: $(VENV)/.installed-bench
	$(BIN)/python bench/run.py

bench-quick: $(VENV)/.installed-bench
	$(BIN)/python bench/run.py --quick

bench-scale-out: $(VENV)/.installed-bench
	$(BIN)/python -m bench.scale_out

bench-understanding: $(STAMP) ; $(BIN)/python -m bench.understanding

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
