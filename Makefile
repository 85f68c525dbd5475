# Two commands do all the set-up on a fresh machine:
#   make run    open the desktop application (SQLite in your data directory)
#   make test   run the whole test suite
#   make dist   the packaged application (one folder + zip, no Python needed) in dist/
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format demo screenshots qt-deps dist dist-smoke lock

# compileall: the editable install leaves our own modules uncompiled, and with
# PYTHONDONTWRITEBYTECODE set every start would compile ~400 of them again (0.1-0.2 s)
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/python -m compileall -q drillplan
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

# The packaged application, built in its own venv from the locked, hashed dependency set
# (requirements.lock) so that a build next year gets the same versions. The Windows build
# (scripts/build-windows.ps1) runs the same spec from the same lock.
DIST_VENV ?= .venv-dist
DIST_BIN := $(DIST_VENV)/bin
DIST_STAMP := $(DIST_VENV)/.installed
DIST_ZIP = dist/drillplan-$(shell $(DIST_BIN)/python -c 'import importlib.metadata as m; print(m.version("drillplan"))')-$(shell uname -s | tr A-Z a-z)-$(shell uname -m).zip

$(DIST_STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(DIST_VENV)
	$(DIST_BIN)/python -m pip install -q --require-hashes --no-deps -r requirements.lock
	$(DIST_BIN)/python -m pip install -q --no-deps --no-build-isolation .
	touch $(DIST_STAMP)

dist: $(DIST_STAMP)
	rm -rf build/pyinstaller dist/drillplan dist/*.zip
	$(DIST_BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist \
	  --workpath build/pyinstaller packaging/drillplan.spec
	$(DIST_BIN)/python -c 'import shutil, sys; shutil.make_archive(sys.argv[1][:-4], "zip", "dist", "drillplan")' $(DIST_ZIP)
	@echo "bundle: dist/drillplan/  zip: $(DIST_ZIP)"

# the bundle's smoke test: runs dist/drillplan/drillplan from an empty environment (env -i)
dist-smoke: $(STAMP) qt-deps
	$(BIN)/pytest -p no:cacheprovider packaging/test_bundle.py

# re-lock after changing dependencies in pyproject.toml (needs uv: pip install uv)
lock:
	uv pip compile --universal --python-version 3.11 --generate-hashes --extra dist \
	  --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
