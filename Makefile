# elearn: `make run` serves the demo on http://127.0.0.1:5000, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := elearn.app:create_app

.PHONY: setup run test lint lint-check bench translations chromium clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

# The compiled catalogues (.mo) are committed, so a wheel built from a clean clone ships them; run this after
# editing a .po file (tests/core/test_packaging.py fails until you do).
translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d elearn/translations -f --statistics

# Browser tests drive Debian's Chromium (Playwright's own browser download is not used).
chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi; }

run: setup
	$(BIN)/flask elearn upgrade
	$(BIN)/flask elearn demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: setup chromium lint-check
	$(BIN)/python -m pytest

# Tooling settles taste: the suite fails on lint or formatting drift.
lint-check: $(VENV)/.installed
	$(BIN)/ruff check elearn tests bench examples
	$(BIN)/ruff format --check elearn tests bench examples

lint: $(VENV)/.installed
	$(BIN)/ruff check --fix elearn tests bench examples
	$(BIN)/ruff format elearn tests bench examples

bench: setup
	$(BIN)/python bench/import_people.py
	$(BIN)/python bench/sync_courses.py

clean:
	rm -rf $(VENV) instance test-output .pytest_cache
