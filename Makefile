# Stalking and harassment guidance: every task a developer or editor needs.
# `make serve` and `make test` set everything up on a fresh machine.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha256sum requirements/requirements.txt | cut -c1-12)
# Test tools from npm (package-lock.json): only `make test` and `make test-no-browser` need them.
NODE_STAMP := node_modules/.installed-$(shell sha256sum package-lock.json | cut -c1-12)
# Installs missing Debian packages when it can, else says the command to run.
SYSTEM_DEPS := $(PYTHON) tests/system_deps.py
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: help setup test-tools serve build publish check anchors test test-fast test-no-browser bench offline lock audit schema shingles new-case-study clean

help:          ## List the tasks
	@grep -E '^[a-z-]+:.*##' Makefile | sed 's/:.*## /\t/'

# The stamps are named after a hash of their lock file, so a changed lock
# makes a new stamp; order-only (|), so a fresh clone's new file times alone
# never reinstall anything.
$(STAMP): | requirements/requirements.txt
	test -x $(BIN)/python || { $(SYSTEM_DEPS) venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP) ## Create the virtual environment from the hashed lock file

# npm ci with --ignore-scripts: vnu-jar's install script would download a Java.
$(NODE_STAMP): | package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the tests that need the npm test tools are reported as not run."; fi

test-tools: $(NODE_STAMP) ## Install the npm test tools (the W3C HTML checker)

PORT ?= 8000
serve: $(STAMP) ## Build and serve the site at http://127.0.0.1:8000 (PORT=8001 for another), rebuilding on save
	SITE_URL=http://127.0.0.1:$(PORT)/ $(BIN)/python -m macros.cli serve --port $(PORT)

# Both build into build/site-next and replace site/ only when the build
# succeeds, so a failed build never empties a working site/.
build: $(STAMP) ## Build the site into site/ (fails on any warning; a failed build leaves site/ as it was)
	rm -rf build/site-next
	$(BIN)/mkdocs build --strict --clean -d build/site-next
	rm -rf site && mv build/site-next site

# The published site: a real SITE_URL (the build fails on the placeholder),
# the footer link to the offline copy, and the copy itself at that address.
publish: $(STAMP) ## Build the site to publish: SITE_URL=https://host/path/ make publish (needs npm for the offline copy)
	rm -rf build/site-next
	GUIDANCE_PUBLISH=1 $(BIN)/mkdocs build --strict --clean -d build/site-next
	$(BIN)/python -m macros.offline --site build/site-next
	rm -rf site && mv build/site-next site

check: $(STAMP) ## Check the sources in seconds, without building
	$(BIN)/python -m macros.cli check

test: ## Set up everything (Chromium, Node, Java if missing) and run every test
	@$(SYSTEM_DEPS) chromium node java
	@$(MAKE) --no-print-directory $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m tests.suite $(ARGS)

# test-fast: the tests marked neither `browser` nor `build` (pytest.ini), as
# two pytest processes side by side (tests/suite.py --fast): 35-45 core-seconds
# of work, 19-21 s measured on 7 December 2026 with the machine otherwise
# quiet, 48 s while another session's tests took a core.
test-fast: $(STAMP) ## Run the checks' fixtures and every test that builds no site and needs no browser (about 20 s; longer on a busy machine)
	$(BIN)/python -m tests.suite --fast $(ARGS)

test-no-browser: $(STAMP) $(NODE_STAMP) ## Run every test that needs no browser, site builds and the HTML checker included (about 80 s idle)
	$(BIN)/python -m pytest -m "not browser" $(ARGS)

bench: $(STAMP) ## Measure build time, scaling and check time
	$(BIN)/python -m tests.bench

offline: $(STAMP) ## Build a zip that works from the file system, without a network
	$(BIN)/python -m macros.offline --site site

lock: ## Refresh the hashed lock file from requirements/requirements.in
	test -x $(VENV)-tools/bin/pip-compile || ($(PYTHON) -m venv $(VENV)-tools && $(VENV)-tools/bin/pip install --quiet pip-tools==7.6.2)
	cd requirements && ../$(VENV)-tools/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras -o requirements.txt requirements.in

audit: ## Report known vulnerabilities in the locked versions (never fails on a network error)
	test -x $(VENV)-tools/bin/pip-audit || ($(PYTHON) -m venv $(VENV)-tools && $(VENV)-tools/bin/pip install --quiet pip-audit==2.10.0)
	$(VENV)-tools/bin/pip-audit --require-hashes --disable-pip -r requirements/requirements.txt || echo "pip-audit reported problems or could not reach the advisory service: read the output above."

anchors: $(STAMP) ## Refresh anchors.lock.json, the record of published heading ids (run it on purpose)
	$(BIN)/python -m macros.cli anchors

schema: $(STAMP) ## Write the JSON Schemas for editors to schema/
	$(BIN)/python -m macros.cli schema

shingles: $(STAMP) ## Refresh tests/data/shared-shingles.txt from ../shared (own-words test)
	$(BIN)/python -m tests.own_words --update $(if $(SHARED),--shared $(SHARED))

clean:
	rm -rf site build

new-case-study: ## Start a new case study from the template, with the next free id
	@n=$$(ls case_studies/cs-*.md | sed 's/[^0-9]//g' | sort -n | tail -1); \
	next=$$(printf '%02d' $$(expr $$n + 1)); \
	sed "s/CS-NN/CS-$$next/" templates/case-study.md > case_studies/cs-$$next.md; \
	echo "Created case_studies/cs-$$next.md. Fill it in, use it on a page with {{< case_study(\"CS-$$next\") >}}, then run make check."
