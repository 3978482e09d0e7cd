# Gonghui: `make demo` to try it, `make test` to check it. Needs only Python 3.11 and make.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
MEMBERS ?= 20000
SEED ?= 2021

PROD_ENV ?= var/prod.env
PROD_URL ?= http://127.0.0.1:8001

.PHONY: demo test security lint format bench clean install lock prod prod-check

# Every package, the transitive ones too, installed at the version and hashes of the lock files.
$(VENV)/.installed: requirements.lock requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

demo: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo_data --members $(MEMBERS) --seed $(SEED) --keep-existing
	@# The background-task worker (roster imports and exports, personal-data exports) runs beside the server;
	@# task_worker is db_worker restarted after any error.
	$(PY) manage.py task_worker --no-reload -v0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver $(HOST)

# The production mode on loopback (docs/deploy.md): settings only from $(PROD_ENV) (generated once, keys included,
# never committed), PostgreSQL (the database created if missing), Redis for the cache and the task queue,
# gunicorn with several workers, WhiteNoise serving the collected, hashed and compressed static files, and one RQ
# task worker beside it (stopped with it). `make prod-check` in another terminal verifies that it answers.
prod: install
	$(PY) deploy/prod_setup.py
	set -a && . ./$(PROD_ENV) && set +a && $(PY) manage.py migrate --no-input
	set -a && . ./$(PROD_ENV) && set +a && $(PY) manage.py collectstatic --no-input -v0
	set -a && . ./$(PROD_ENV) && set +a; \
		$(PY) manage.py task_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(VENV)/bin/gunicorn -c gunicorn.conf.py gonghui.wsgi

prod-check:
	$(PY) deploy/prod_check.py $(PROD_URL)

# The suite runs on every core (pytest-xdist); a test file stays on one worker, so that what a module builds once
# it builds once. TEST_WORKERS=0 runs it in this one process.
TEST_WORKERS ?= auto
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# The security regression suite alone (issue 10; `make test` runs it too): scope probe, upload attacks, formula
# payloads, audit-chain tampering, crash-resume; a summary table at the end.
security: install
	$(PY) -m pytest -m security $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# After changing requirements.txt or requirements-dev.txt: pip-tools (in a throwaway venv, never in the
# project's) resolves them again and writes both lock files with hashes. Needs PyPI. See docs/running.md.
PIP_COMPILE := pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	--no-emit-find-links
lock:
	rm -rf var/piptools && $(PYTHON) -m venv var/piptools
	var/piptools/bin/pip install --quiet pip-tools
	var/piptools/bin/$(PIP_COMPILE) $(LOCK_ARGS) --output-file=requirements.lock requirements.txt
	var/piptools/bin/$(PIP_COMPILE) $(LOCK_ARGS) --output-file=requirements-dev.lock requirements-dev.txt
	rm -rf var/piptools

clean:
	rm -rf $(VENV) var
