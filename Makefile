# zhulian — the two commands that matter: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-unit test-integration lint bench rebuild clean install messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser), and a
# CJK font so the pages' Chinese renders in it (screenshots show characters, not boxes).
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
$(CHROMIUM) $(CJK_FONT):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk

# axe-core (npm) for the accessibility checks the browser tests run in the page.
AXE := $(VENV)/node/node_modules/axe-core/axe.min.js
$(AXE):
	command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm)
	npm install --silent --no-audit --no-fund --prefix $(VENV)/node axe-core@4.14.1

## Start the service on the embedded profile (SQLite under ./var, demo data) on http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/zhulian serve --host 127.0.0.1 --port 8000

## Install everything and run the whole suite (unit, integration against real Kafka + PostgreSQL, e2e)
test: $(STAMP) $(CHROMIUM) $(CJK_FONT) $(AXE)
	mkdir -p var
	$(BIN)/python -m pytest -p no:cacheprovider -q --junitxml=var/test-results.xml $(PYTEST_ARGS)

test-unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

lint: $(STAMP)
	$(BIN)/ruff check domain projections services harness tests bench
	$(BIN)/ruff format --check domain projections services harness tests bench
	$(BIN)/mypy domain projections services
	$(BIN)/lint-imports

## Rebuild every view from the event store (embedded profile by default)
rebuild: $(STAMP)
	$(BIN)/zhulian rebuild

## Re-extract the pages' messages and merge them into the catalogues (then translate the new ones)
messages: $(STAMP)
	$(BIN)/pybabel extract -F services/web/babel.cfg -k Column:1 -o var/messages.pot .
	$(BIN)/pybabel update -N -i var/messages.pot -d services/web/locale -D messages

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var/*.db var/*.db-* .pytest_cache .mypy_cache .ruff_cache
