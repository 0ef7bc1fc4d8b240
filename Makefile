# elearn: `make run` serves the demo on http://127.0.0.1:5000, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := elearn.app:create_app

.PHONY: setup run test lint lint-check typecheck bench wrk translations chromium libreoffice pdftools static-gz clean

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

# Debian packages the tests need are installed when missing: as root directly, otherwise through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

# Browser tests drive Debian's Chromium (Playwright's own browser download is not used).
chromium:
	@test -x /usr/bin/chromium || { $(APT_INSTALL) chromium; }

# The page benchmarks load gunicorn with wrk (C, one event loop per thread: it leaves the 2 cores to the server).
wrk:
	@command -v wrk >/dev/null || { $(APT_INSTALL) wrk; }

# The XLSX tests open exports in LibreOffice (`soffice --headless --convert-to csv`). Calc without the GUI and
# without recommends is the smallest Debian set that converts: 57 packages, about 260 MB, 25 to 45 s to install.
libreoffice:
	@command -v soffice >/dev/null || { $(APT_INSTALL) --no-install-recommends libreoffice-calc-nogui; }

# The certificate journey renders the PDF to PNG with pdftoppm (poppler-utils) and decodes its QR code with zbarimg
# (zbar-tools), as a person would look at and scan it.
pdftools:
	@command -v pdftoppm >/dev/null && command -v zbarimg >/dev/null || { $(APT_INSTALL) --no-install-recommends poppler-utils zbar-tools; }

# nginx serves static files with gzip_static (docs/deployment.md): the .gz copies are committed beside the files,
# so a wheel ships them; run this after editing a CSS, JS or SVG file (tests/core/test_static_files.py checks).
static-gz:
	find static/elearn -type f \( -name '*.css' -o -name '*.js' -o -name '*.svg' \) -exec gzip -9 -n -k -f {} \;

run: setup
	$(BIN)/flask elearn upgrade
	$(BIN)/flask elearn demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: setup chromium libreoffice pdftools lint-check typecheck
	$(BIN)/python -m pytest

# Tooling settles taste: the suite fails on lint or formatting drift.
lint-check: $(VENV)/.installed
	$(BIN)/ruff check elearn tests bench examples
	$(BIN)/ruff format --check elearn tests bench examples

# Types: strict on the pure core, mypy's defaults elsewhere (pyproject.toml [tool.mypy]).
typecheck: $(VENV)/.installed
	$(BIN)/mypy

lint: $(VENV)/.installed
	$(BIN)/ruff check --fix elearn tests bench examples
	$(BIN)/ruff format elearn tests bench examples

# pages.py, exam_load.py and the competency benchmarks need ELEARN_TEST_POSTGRES_URL (a scratch database: its elearn
# tables are dropped). The competency world has ELEARN_BENCH_PEOPLE people: 20,000 here (both scripts about 3.5
# minutes), which keeps `make bench` within about 15 minutes on 2 cores; `make bench ELEARN_BENCH_PEOPLE=100000`
# measures at the issue's size (the world then takes 2.5 to 6 minutes to build, the two scripts about 10 in all;
# docs/benchmarks.md). They run last: the others empty the database, and the second reuses the first's world.
ELEARN_BENCH_PEOPLE ?= 20000
bench: setup wrk
	$(BIN)/python bench/import_people.py
	$(BIN)/python bench/sync_courses.py
	$(BIN)/python bench/export_people.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/exam_load.py
	ELEARN_BENCH_PEOPLE=$(ELEARN_BENCH_PEOPLE) $(BIN)/python bench/competency_lists.py
	ELEARN_BENCH_PEOPLE=$(ELEARN_BENCH_PEOPLE) $(BIN)/python bench/competency_pages.py

clean:
	rm -rf $(VENV) instance test-output .pytest_cache
