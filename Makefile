# zhulian — the two commands that matter: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-unit test-integration lint bench rebuild clean install

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

## Start the service on the embedded profile (SQLite under ./var, demo data) on http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/zhulian serve --host 127.0.0.1 --port 8000

## Install everything and run the whole suite (unit, integration against real Kafka + PostgreSQL, e2e)
test: $(STAMP) $(CHROMIUM)
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

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var/*.db var/*.db-* .pytest_cache .mypy_cache .ruff_cache
