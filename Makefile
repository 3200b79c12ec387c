# Two commands on a fresh machine: `make serve` and `make test`. Everything else is optional.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-12)
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: node fonts install build serve serve-static test check lint bench audit datasets new stamp cobrand clean
PORT ?= 8080

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-* && touch $@

NODE_STAMP := node_modules/.installed-$(shell sha256sum package-lock.json | cut -c1-12)

FONTS_STAMP := node_modules/.fonts-$(shell sha256sum package-lock.json | cut -c1-12)
NPM_MISSING := echo "npm not found: the brand kit's desktop fonts and the browser tools are npm packages — install Node.js and npm (Debian: apt-get install npm)"; exit 1

$(NODE_STAMP): package-lock.json
	@command -v npm >/dev/null || { $(NPM_MISSING); }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	rm -f node_modules/.installed-* node_modules/.fonts-* && touch $@ $(FONTS_STAMP)

# The build needs only the brand kit's desktop fonts (npm "dependencies"), not the browser tools: a fresh
# `make serve` installs those alone; `make node` (tests, audit) installs everything.
$(FONTS_STAMP): package-lock.json
	@command -v npm >/dev/null || { $(NPM_MISSING); }
	test -f $(NODE_STAMP) || npm ci --omit=dev --no-audit --no-fund --ignore-scripts --loglevel=error
	rm -f node_modules/.fonts-* && touch $@

install: $(STAMP) ## create .venv and install the pinned dependencies

node: $(NODE_STAMP) ## axe-core and Lighthouse, pinned in package-lock.json (browsers: Debian's Chromium)

fonts: $(FONTS_STAMP) ## the brand kit's desktop fonts (TTF, pinned npm packages), which the build needs

check: install ## validate every page's front matter (fast, all findings at once)
	$(BIN)/python -m vnportal check

new: install ## scaffold a page: make new LANG=vi PAGE=news/2026-11-22-slug TITLE="..."
	$(BIN)/python -m vnportal new "$(LANG)" "$(PAGE)" "$(TITLE)"

stamp: install ## after updating a translation: make stamp PAGE=docs/en/economy/index.md
	$(BIN)/python -m vnportal stamp $(PAGE)

build: check fonts ## strict build of the whole site into site/
	$(BIN)/mkdocs build --strict

serve: check fonts ## build and serve with live reload on http://127.0.0.1:8000
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

serve-static: install ## nginx with deploy/nginx over site/ on 127.0.0.1:$(PORT), foreground (builds site/ if missing)
	test -f site/_serving.json || $(MAKE) build
	$(BIN)/python -m vnportal serve-static --port $(PORT) --site site

test: install node ## the whole test suite (builds the site once per session)
	$(BIN)/python -m pytest

bench: install fonts ## build the benchmark corpus (N=200, 1000) with the portal and the peer; print medians and ratios
	$(BIN)/python scripts/bench.py

audit: check node ## Lighthouse (mobile): home, topic, data, brand pages of each language, built for and served by nginx
	$(BIN)/python scripts/audit.py

cobrand: install ## the mark beside a partner's logo: make cobrand PARTNER=path/to/logo.svg [OUT=build/cobrand]
	$(BIN)/python -m vnportal cobrand "$(PARTNER)" --out "$(or $(OUT),build/cobrand)"

datasets: install ## rebuild the derived dataset sources from ../shared (Resolution 47 appendix, World Bank series)
	$(BIN)/python scripts/datasets.py

lint: install
	$(BIN)/ruff check vnportal tests scripts
	$(BIN)/ruff format --check vnportal tests scripts

clean:
	rm -rf site .pytest_cache
