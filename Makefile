# `make build`: a venv with docgen installed, then `docgen build` on the bundled page.
# `make test`: the same venv, then the whole test suite. Both work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build test regen bench clean

build: $(VENV)/.installed
	$(BIN)/docgen build

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

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
