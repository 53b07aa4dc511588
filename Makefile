# `make` sets everything up and builds the sample; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FONT_STAMP := .cache/fonts/.stamp

.PHONY: all build setup test lint fuzz bench clean

all: build

build: setup
	$(PY) build.py

setup: $(VENV)/.runtime $(FONT_STAMP)

test: $(VENV)/.dev $(FONT_STAMP)
	@scripts/system-deps.sh test
	$(PY) -m ruff check press tests bench build.py
	$(PY) -m pytest

# The long fuzz run of tests/test_fuzz.py (make test runs a few hundred examples of each property).
FUZZ_EXAMPLES ?= 100000
fuzz: $(VENV)/.dev $(FONT_STAMP)
	PRESS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/test_fuzz.py -q -p no:cacheprovider --hypothesis-show-statistics

lint: $(VENV)/.dev
	$(PY) -m ruff check press tests bench build.py

$(VENV)/.runtime: requirements.txt scripts/system-deps.sh
	@scripts/system-deps.sh build
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Static instances of the packaged variable fonts, made once (press/fonts.py).
$(FONT_STAMP): $(VENV)/.runtime press/fonts.py
	$(PY) -c "from press.fonts import ensure_static_fonts; ensure_static_fonts()"
	touch $@

clean:
	rm -rf output .cache .pytest_cache
