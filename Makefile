# Two commands on a fresh machine: `make serve` and `make test`. Everything else is optional.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# What editors run needs the runtime lock only; the test and developer tools have their own lock.
STAMP := $(VENV)/.installed-run-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-12)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat requirements-dev.lock requirements.lock pyproject.toml | sha256sum | cut -c1-12)
export NO_MKDOCS_2_WARNING := 1
# Python keeps the portal's compiled code (vnportal/__pycache__/, ignored by git) even where the environment says not
# to: otherwise every build and every worker process compiles its 150 modules again (a quarter of a second; a fifth
# of a build that has nothing to do).
unexport PYTHONDONTWRITEBYTECODE
# Messages to editors (make check, make new, make stamp, the build): Vietnamese unless PORTAL_LANG=en.
export PORTAL_LANG ?= vi

.PHONY: node fonts install install-dev build serve serve-static test check lint bench audit datasets new stamp clean \
        preview cms cms-config help xliff import messages cobrand screenshots timeline
# The page's language for make new and make xliff. Not LANG: the shell's locale (LANG=C.UTF-8) is no language
# of the site. LANG=… given on make's command line is still understood.
LOCALE ?= $(if $(filter command line,$(origin LANG)),$(LANG))
CMS_PORT ?= 8081

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r requirements.lock
	$(PIP) --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-* && touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(PIP) --require-hashes -r requirements-dev.lock
	rm -f $(VENV)/.installed-dev-* && touch $@

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

install: $(STAMP) ## create .venv with what building and previewing need (requirements.lock)

install-dev: $(DEV_STAMP) ## add the test and developer tools (requirements-dev.lock: pytest, Playwright, ruff, …)

node: $(NODE_STAMP) ## Decap CMS, decap-server, axe-core, Lighthouse, pinned in package-lock.json (browsers: Debian's Chromium)

fonts: $(FONTS_STAMP) ## the npm packages the build needs: the kit's desktop fonts (TTF) and the Decap CMS bundle

check: install ## every content check in seconds, all findings at once (GITHUB_ACTIONS=true: PR annotations)
	$(BIN)/python -m vnportal check

new: install ## scaffold a page: make new PAGE=news/2026-11-22-slug TITLE="..." [LOCALE=vi]
	$(BIN)/python -m vnportal new --locale "$(LOCALE)" -- "$(PAGE)" "$(TITLE)"

stamp: install ## after updating a translation: make stamp PAGE=docs/en/economy/index.md
	$(BIN)/python -m vnportal stamp -- $(PAGE)

xliff: install ## export a language's missing and stale pages for a CAT tool: make xliff LOCALE=fr (build/xliff/)
	$(BIN)/python -m vnportal xliff --locale "$(LOCALE)"

import: install ## write translations back from a CAT tool, stamp them, check: make import FILE=build/xliff/fr.xlf
	$(BIN)/python -m vnportal import -- "$(FILE)"
	$(BIN)/python -m vnportal check

build: check fonts ## strict build of the whole site into site/ (with the CMS at site/admin/)
	$(BIN)/mkdocs build --strict

serve: install fonts ## build and serve with live reload on http://127.0.0.1:8000 (PORT=8001 for another port)
	$(BIN)/python -m vnportal serve --port "$(or $(PORT),8000)"

screenshots: check install-dev fonts ## PNGs of every page kind in every language, 360 and 1280 px, light and dark: build/screenshots/
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

serve-static: install ## nginx with deploy/nginx over site/ on 127.0.0.1:$(PORT) (default 8080), foreground (builds site/ if missing)
	test -f site/_serving.json || $(MAKE) build
	$(BIN)/python -m vnportal serve-static --port "$(or $(PORT),8080)" --site site

test: install-dev node ## the whole test suite (builds the site once per session); needs Debian's chromium, nginx, wrk
	$(BIN)/python -m pytest

bench: install fonts ## build the benchmark corpus (N=300, 1000) with the portal and the peer; print medians and ratios
	$(BIN)/python scripts/bench.py

audit: check install-dev node ## Lighthouse (mobile): home, topic, data, brand pages of each language, built for and served by nginx
	$(BIN)/python scripts/audit.py

cobrand: install ## the mark beside a partner's logo: make cobrand PARTNER=path/to/logo.svg [OUT=build/cobrand]
	$(BIN)/python -m vnportal cobrand "$(PARTNER)" --out "$(or $(OUT),build/cobrand)"

datasets: install ## rebuild the derived dataset sources from ../shared (Resolution 47 appendix, World Bank series)
	$(BIN)/python scripts/datasets.py

lint: install-dev ## ruff on the Python code
	$(BIN)/ruff check vnportal tests scripts
	$(BIN)/ruff format --check vnportal tests scripts

messages: install ## refresh vnportal/locale/vi/LC_MESSAGES/messages.po from the messages in the code (then translate the new ones)
	mkdir -p build && $(BIN)/pybabel -q extract --no-default-keywords -k tr -k N_ --no-location --sort-output -o build/messages.pot vnportal
	$(BIN)/pybabel -q update -i build/messages.pot -d vnportal/locale -l vi --no-fuzzy-matching --ignore-obsolete --omit-header -w 120

timeline: install ## rewrite the timeline in vnportal/README.md (which plugin does what at which MkDocs event) from the plugins
	$(BIN)/python -m vnportal.tools.timeline --write

help: ## every target with one line each
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

clean: ## remove the built site, previews and test caches (not .venv, node_modules or .cache)
	rm -rf site build .pytest_cache
