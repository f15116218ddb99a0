# Two commands do all set-up on a fresh machine with Python 3.11+ and make:
#   make run    create .venv, install, migrate, start the service (SQLite, sandbox simulator)
#   make test   the same bootstrap, then ruff, mypy --strict, import-linter and pytest
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint fmt bench bench-quick bench-scale-out clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/dresbach migrate
	$(BIN)/dresbach serve --host $(HOST) --port $(PORT)

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

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
