# `make` sets everything up and builds the sample; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FONT_STAMP := .cache/fonts/.stamp
ICC_PROFILE := .cache/icc/FOGRA39L.icc

.PHONY: all build setup test lint bench clean

all: build

build: setup
	$(PY) build.py

setup: $(VENV)/.runtime $(FONT_STAMP) $(ICC_PROFILE)

test: $(VENV)/.dev $(FONT_STAMP) $(ICC_PROFILE)
	@scripts/system-deps.sh test
	$(PY) -m ruff check press tests bench build.py
	$(PY) -m pytest

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

# Static instances of the packaged variable fonts, made once (press/engine/fonts.py).
$(FONT_STAMP): $(VENV)/.runtime press/engine/fonts.py
	$(PY) -c "from press.engine.fonts import ensure_static_fonts; ensure_static_fonts()"
	touch $@

# pdf/x-4's output profile (FOGRA39L), made once with ArgyllCMS (press/engine/preflight.py).
$(ICC_PROFILE): $(VENV)/.runtime press/engine/preflight.py
	$(PY) -c "from press.engine.preflight import ensure_fogra39; ensure_fogra39()"

clean:
	rm -rf output .cache .pytest_cache
