# spasmcare: `make run` sets up and starts spasmcare; `make test` sets up and runs every check.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run install test system-deps lint types contracts pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# The app with every optional part (PostgreSQL, PDF reports, charts); `make install` adds the tools.
$(RUN_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[full]"
	touch $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/spasmcare run

# Debian packages the tests use: PostgreSQL (real server), Chromium (browser tests),
# poppler-utils (pdftotext) and fonts for the PDF renderer. Installed only when missing, as root.
system-deps:
	@bash scripts/system-deps.sh

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

types: install
	$(BIN)/mypy

contracts: install
	$(BIN)/lint-imports

pytest: install system-deps
	bash scripts/with-postgres.sh $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

test: install system-deps lint types contracts pytest

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info src/*.egg-info
