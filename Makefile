# Two commands do all the set-up on a fresh machine:
#   make run    open the desktop application (SQLite in your data directory)
#   make test   run the whole test suite
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format demo screenshots qt-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

qt-deps:
	@scripts/qt-deps

run: $(STAMP) qt-deps
	$(BIN)/drillplan

test: $(STAMP) qt-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check drillplan tests
	$(BIN)/ruff format --check drillplan tests

format: $(STAMP)
	$(BIN)/ruff format drillplan tests
	$(BIN)/ruff check --fix drillplan tests

demo: $(STAMP)
	$(BIN)/drillplan demo

screenshots: $(STAMP) qt-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/drillplan screenshot --out docs/screenshots
