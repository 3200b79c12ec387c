# Two commands on a fresh machine: `make serve` and `make test`. Everything else is optional.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-12)
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: node fonts install build serve serve-static test check lint bench audit datasets new stamp cobrand clean preview cms cms-config help screenshots
PORT ?= 8080
CMS_PORT ?= 8081

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

node: $(NODE_STAMP) ## Decap CMS, decap-server, axe-core, Lighthouse, pinned in package-lock.json (browsers: Debian's Chromium)

fonts: $(FONTS_STAMP) ## the npm packages the build needs: the kit's desktop fonts (TTF) and the Decap CMS bundle

check: install ## every content check in seconds, all findings at once (GITHUB_ACTIONS=true: PR annotations)
	$(BIN)/python -m vnportal check

new: install ## scaffold a page: make new LANG=vi PAGE=news/2026-11-22-slug TITLE="..."
	$(BIN)/python -m vnportal new "$(LANG)" "$(PAGE)" "$(TITLE)"

stamp: install ## after updating a translation: make stamp PAGE=docs/en/economy/index.md
	$(BIN)/python -m vnportal stamp $(PAGE)

build: check fonts ## strict build of the whole site into site/ (with the CMS at site/admin/)
	$(BIN)/mkdocs build --strict

serve: check fonts ## build and serve with live reload on http://127.0.0.1:8000
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

screenshots: check fonts ## PNGs of every page kind in every language, 360 and 1280 px, light and dark: build/screenshots/
	$(BIN)/python scripts/screenshots.py

preview: check fonts ## a build that opens from a ZIP in any browser (file://): build/preview/ and build/preview.zip
	rm -rf build/preview build/preview.zip
	PORTAL_PREVIEW=true $(BIN)/mkdocs build --strict --site-dir build/preview
	cd build && ../$(BIN)/python -m zipfile -c preview.zip preview/
	@echo "build/preview.zip: unzip it and open preview/index.html"

cms: check node ## edit in the browser without GitHub: http://127.0.0.1:8000/admin/ writes into docs/ (decap-server)
	@set -e; PORT=$(CMS_PORT) BIND_HOST=127.0.0.1 MODE=fs GIT_REPO_DIRECTORY="$(CURDIR)" LOG_LEVEL=warn \
	  node node_modules/decap-server/dist/index.js & server=$$!; trap 'kill $$server 2>/dev/null || true' EXIT INT TERM; \
	  echo "Open http://127.0.0.1:8000/admin/ and choose Đăng nhập (Login): no account is needed."; \
	  PORTAL_CMS_LOCAL_BACKEND=http://127.0.0.1:$(CMS_PORT)/api/v1 $(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

cms-config: install ## print the CMS configuration generated from the front-matter schema and mkdocs.yml
	@$(BIN)/python -m vnportal cms-config

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

help: ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

clean:
	rm -rf site build .pytest_cache
