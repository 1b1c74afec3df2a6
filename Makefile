# `make build`: a venv with docgen installed, then `docgen build` on the bundled page.
# `make test`: the same venv, then the whole test suite. Both work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build test lint format regen bench clean

build: $(VENV)/.installed
	$(BIN)/docgen build

test: lint
	$(BIN)/python -m pytest -q

# docgen's own code: ruff (lint and format, as pyproject.toml configures them) and mypy.
lint: $(VENV)/.installed
	$(BIN)/ruff check docgen tests benchmarks
	$(BIN)/ruff format --check docgen tests benchmarks
	$(BIN)/mypy
	$(BIN)/mypy --strict docgen/runtime

format: $(VENV)/.installed
	$(BIN)/ruff check --fix docgen tests benchmarks
	$(BIN)/ruff format docgen tests benchmarks

# Regenerate the committed output (the golden snapshot the tests compare with).
regen: $(VENV)/.installed
	$(BIN)/docgen build

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench.py

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

clean:
	rm -rf $(VENV) .docgen-cache .pytest_cache
