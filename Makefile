# `make` sets everything up and builds the sample; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FONT_STAMP := .cache/fonts/.stamp
ICC_PROFILE := .cache/icc/FOGRA39L.icc
# DAISY Ace (the EPUB accessibility checker), pinned in scripts/ace/, run with Debian's chromium:
# no browser or Electron download.
ACE := .cache/ace/node_modules/.bin/ace-puppeteer
# pdf.js (Firefox's viewer), pinned in scripts/pdfjs/, for the Hebrew copy-out tests (tests/hebrew_text.py).
PDFJS := .cache/pdfjs/node_modules/pdfjs-dist/package.json

.PHONY: all build setup test lint fuzz bench readme-images clean

all: build

build: setup
	$(PY) build.py

setup: $(VENV)/.runtime $(FONT_STAMP) $(ICC_PROFILE)

test: $(VENV)/.dev $(FONT_STAMP) $(ICC_PROFILE) $(ACE) $(PDFJS)
	@scripts/system-deps.sh test
	$(PY) -m ruff check press tests bench scripts build.py
	$(PY) -m pytest

# The long fuzz run of tests/test_fuzz.py: 25,000 examples of each of its four properties, 10^5 in all
# (make test runs 150 of each).
FUZZ_EXAMPLES ?= 25000
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

# Static instances of the packaged variable fonts, made once (press/engine/fonts.py).
$(FONT_STAMP): $(VENV)/.runtime press/engine/fonts.py
	$(PY) -c "from press.engine.fonts import ensure_static_fonts; ensure_static_fonts()"
	touch $@

# pdf/x-4's output profile (FOGRA39L), made once with ArgyllCMS (press/engine/preflight.py).
$(ICC_PROFILE): $(VENV)/.runtime press/engine/preflight.py
	$(PY) -c "from press.engine.preflight import ensure_fogra39; ensure_fogra39()"

$(ACE): scripts/ace/package.json scripts/ace/package-lock.json scripts/system-deps.sh
	@scripts/system-deps.sh test
	mkdir -p .cache/ace
	cp scripts/ace/package.json scripts/ace/package-lock.json .cache/ace/
	cd .cache/ace && ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
		npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Its optional canvas package draws pages; the tests only read text.
$(PDFJS): scripts/pdfjs/package.json scripts/pdfjs/package-lock.json scripts/system-deps.sh
	@scripts/system-deps.sh test
	mkdir -p .cache/pdfjs
	cp scripts/pdfjs/package.json scripts/pdfjs/package-lock.json .cache/pdfjs/
	cd .cache/pdfjs && npm ci --omit=optional --no-audit --no-fund --loglevel=error
	touch $@

# The README's pictures (docs/images/): the sample's title page and a spread of each layout, drawn
# from the PDFs build.py makes (scripts/readme_images.py).
readme-images: $(VENV)/.runtime $(FONT_STAMP) $(ICC_PROFILE)
	$(PY) scripts/readme_images.py

clean:
	rm -rf output .cache .pytest_cache
