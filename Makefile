# Steward (红管家) — `make run` sets everything up and serves http://127.0.0.1:8000; `make test` runs every test.
# Nothing is rebuilt that did not change: Python deps, npm packages and the front-end build are stamped.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMPS := .stamps
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Several checkouts on one machine can each set their own databases (PG_TEST_URL, PG_LIVE_DB).
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/steward_test
FRONTEND_SOURCES := $(shell find frontend/src frontend/public frontend/index.html frontend/vite.config.ts frontend/tsconfig.json frontend/scripts frontend/tools -type f 2>/dev/null)
STEWARD := cd backend && ../$(BIN)/python -m steward

.PHONY: run serve setup test lint test-backend test-backend-pg test-fuzz test-frontend test-live test-e2e openapi migrate seed worker browser nginx bench clean

run: setup
	@$(STEWARD) migrate
	@$(STEWARD) seed-demo
	@echo ""
	@echo "  红管家 Steward — demo accounts (password Steward@2026):"
	@echo "    13800000000 admin · 13800000001 town staff · 13800000002 丽水湾 staff · 13800000003 庄行新苑 staff"
	@echo "    13800000004 丽水湾 volunteer (grid 1) · 13800000005 丽水湾 resident · 13800000006 partner (property company)"
	@echo "    13800000007 庄行新苑 resident · 13800000008 丽水湾 resident awaiting household verification"
	@echo "  Open311 api_key (丽水湾物业服务中心, demo only): demo_lsw_property.Open311-demo-key-LSW-2026"
	@echo "    e.g. curl 'http://$(HOST):$(PORT)/open311/v2/services.json?jurisdiction_id=LSW'"
	@echo "  OAuth2 token for the same client (partner guide: docs/partners.md):"
	@echo "    curl -u demo_lsw_property:Open311-demo-key-LSW-2026 -d grant_type=client_credentials http://$(HOST):$(PORT)/api/v1/oauth/token"
	@echo ""
	@$(STEWARD) serve --host $(HOST) --port $(PORT)

setup: $(STAMPS)/python-runtime frontend/dist/index.html

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMPS)/python-runtime: backend/requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r backend/requirements.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/python-dev: backend/requirements-dev.txt $(STAMPS)/python-runtime
	$(BIN)/pip install --disable-pip-version-check -q -r backend/requirements-dev.txt
	@mkdir -p $(STAMPS) && touch $@

frontend/node_modules/.package-lock.json: frontend/package-lock.json frontend/package.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

frontend/dist/index.html: frontend/node_modules/.package-lock.json openapi.yaml $(FRONTEND_SOURCES)
	cd frontend && npm run build

openapi: $(STAMPS)/python-runtime  ## regenerate openapi.yaml from the code
	$(STEWARD) openapi

# The job worker alone (`make run` already starts one beside the server; SERVE_WORKER=0 turns that off).
worker: migrate
	$(STEWARD) worker

migrate: $(STAMPS)/python-runtime
	$(STEWARD) migrate

seed: migrate
	$(STEWARD) seed-demo

# ---------------------------------------------------------------- tests
test: lint test-backend test-backend-pg test-fuzz test-frontend test-live test-e2e

lint: $(STAMPS)/python-dev
	$(BIN)/ruff check backend tests bench

test-backend: $(STAMPS)/python-dev
	$(BIN)/python -m pytest tests/backend -q

# PostgreSQL at 127.0.0.1:5432 when it answers; under CI=true a silent PostgreSQL fails the run.
test-backend-pg: $(STAMPS)/python-dev
	@if $(BIN)/python -c "import psycopg; psycopg.connect('host=127.0.0.1 port=5432 user=postgres dbname=postgres', connect_timeout=3).close()" 2>/dev/null; then \
		TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest tests/backend -q; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL at 127.0.0.1:5432 does not answer and CI=true: failing the run." >&2; exit 1; \
	else \
		echo "PostgreSQL at 127.0.0.1:5432 does not answer: skipping the PostgreSQL run (it is required under CI=true)."; \
	fi

# Contract fuzzing (schemathesis) against openapi.yaml as every role; on PostgreSQL too when it answers.
test-fuzz: $(STAMPS)/python-dev
	$(BIN)/python -m pytest tests/contract -q
	@if $(BIN)/python -c "import psycopg; psycopg.connect('host=127.0.0.1 port=5432 user=postgres dbname=postgres', connect_timeout=3).close()" 2>/dev/null; then \
		TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest tests/contract -q; \
	elif [ "$$CI" = "true" ]; then exit 1; fi

test-frontend: frontend/node_modules/.package-lock.json frontend/dist/index.html
	cd frontend && npm test && node --test scripts/

# The real server under concurrent requests, on SQLite and on PostgreSQL; deploy/nginx.conf in a real nginx.
test-live: $(STAMPS)/python-dev nginx
	$(BIN)/python -m pytest tests/live -q

test-e2e: $(STAMPS)/python-dev frontend/dist/index.html browser
	$(BIN)/python -m pytest tests/e2e -q

# Debian's Chromium and a CJK font for the browser journeys (Playwright's own browser download cannot work here).
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi wqy; then \
		echo "installing Debian's chromium and fonts-wqy-zenhei"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null; \
	fi

# Speed (not part of `make test`): API req/s against a Flask ceiling, and the login page on a throttled link.
bench: $(STAMPS)/python-dev frontend/dist/index.html browser
	@command -v wrk >/dev/null || { echo "installing Debian's wrk"; SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/speed.py

# Debian's nginx and its brotli_static module, to test deploy/nginx.conf as production runs it (web.Dockerfile).
nginx:
	@if [ ! -x /usr/sbin/nginx ] || [ ! -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]; then \
		echo "installing Debian's nginx and libnginx-mod-http-brotli-static"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends nginx libnginx-mod-http-brotli-static >/dev/null; \
	fi

clean:
	rm -rf $(STAMPS) frontend/dist var
