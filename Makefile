# Innov'action — the README's commands. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
PY      := $(VENV)/bin/python
UV      := $(VENV)/bin/uv
SYNCED  := $(VENV)/.synced
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000

# Services the test suite uses unless DATABASE_URL / REDIS_URL are already set. PostgreSQL through
# its Unix socket: the suite's quarter of a million short queries cost less than over TCP.
TEST_DATABASE_URL ?= postgres://postgres@%2Fvar%2Frun%2Fpostgresql/innovaction
TEST_REDIS_URL    ?= redis://127.0.0.1:6379/1
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one more than the cores, as the tests also wait on PostgreSQL,
# Chromium and the Celery workers. TEST_PROCESSES=0 runs in a single process.
TEST_PROCESSES ?= $(shell echo $$(( $$(nproc) + 1 )))

# Let Python keep its compiled modules (some environments set PYTHONDONTWRITEBYTECODE): every
# command and each test process would otherwise compile Django and the rest again (~3 s each).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help
help: ## Show the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# The virtualenv is made without pip (ensurepip takes seconds): the interpreter's own pip fetches
# uv once, which then installs the locked dependencies, uv itself among them.
$(SYNCED): pyproject.toml uv.lock
	@python=$$(bash .ci/find-python) || exit 1; \
	if ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  echo "Création de $(VENV) avec $$python"; rm -rf $(VENV); "$$python" -m venv --without-pip $(VENV) || exit 1; \
	fi; \
	uv=$(UV); if [ ! -x $$uv ]; then \
	  "$$python" -m pip --version >/dev/null 2>&1 || { $(PY) -m ensurepip >/dev/null 2>&1 && python=$(PY); } || \
	    { echo "Ni pip ni ensurepip pour $$python : installez python3-pip (ou python3.12-venv), puis relancez." >&2; exit 1; }; \
	  "$$python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target $(VENV)/bootstrap uv==$(UV_VERSION) || exit 1; \
	  uv=$(VENV)/bootstrap/bin/uv; \
	fi; \
	UV_PROJECT_ENVIRONMENT=$(VENV) $$uv sync --frozen --quiet --compile-bytecode --python $(PY) || exit 1; \
	rm -rf $(VENV)/bootstrap
	@$(PY) -m compileall -q -j0 manage.py innovaction portfolio partners scorecard tests
	@touch $@

.PHONY: venv
venv: $(SYNCED) ## Create .venv with the locked dependencies

.PHONY: run
run: venv ## Set up and serve the application with SQLite, in-process jobs and demo data
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py seed_demo
	@echo "Innov'action : http://$(HOST):$(PORT)/"
	@$(PY) manage.py runserver $(HOST):$(PORT)

.PHONY: test
# The virtualenv (uv) is made while the system packages (apt) install; a missing package that
# cannot be installed stops everything at once.
test: ## Set up and run the whole test suite (PostgreSQL, Redis, Chromium)
	@setsid $(MAKE) --no-print-directory venv & venv=$$!; \
	  bash .ci/system-packages || { kill -- -$$venv 2>/dev/null; exit 1; }; \
	  wait $$venv
	@DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" \
	  $(PY) -m pytest -n $(TEST_PROCESSES) --dist worksteal $(PYTEST_ARGS)

.PHONY: lint
lint: venv ## ruff, migrations and Django checks
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(PY) manage.py makemigrations --check --dry-run -v1
	@$(PY) manage.py check

.PHONY: messages
messages: venv ## Update the English catalogue and compile it
	@$(PY) manage.py makemessages -l en --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'bench/*' --ignore 'tests/*'
	@$(PY) manage.py compilemessages -l en --ignore '.venv/*'

.PHONY: worker
worker: venv ## Celery worker with beat, against REDIS_URL
	@[ -n "$$REDIS_URL" ] || { echo "REDIS_URL n'est pas défini (ex. : REDIS_URL=redis://127.0.0.1:6379/0 make worker)."; exit 1; }
	@mkdir -p var
	@$(VENV)/bin/celery -A innovaction worker --beat --loglevel=INFO --concurrency=2 \
	  --schedule=var/celerybeat-schedule

.PHONY: clean
clean: ## Remove the virtualenv and local data (var/)
	rm -rf $(VENV) var

# Benchmarks (bench/): their own databases, <name>_x1, _x10, _x100, recreated at each run.
SCALE ?= 10
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/innovaction_bench

.PHONY: bench
bench: venv ## Benchmark at SCALE=1|10|100 (default 10) beside ×1 → bench/results/latest.json
	@DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m bench --scales 1 $(SCALE) $(BENCH_ARGS)

.PHONY: bench-ci
bench-ci: venv ## Quick bench at ×1 and ×10; fails if a page's query count grows
	@DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m bench --scales 1 10 --requests 5 --warmup 2 --check-queries

.PHONY: load
load: venv ## Load run: gunicorn on the ×10 bench database, locust 20 users 60 s (80/15/5)
	@DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m bench.load
