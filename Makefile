# Gonghui: `make demo` to try it, `make test` to check it. Needs only Python 3.11 and make.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
MEMBERS ?= 20000
SEED ?= 2021

.PHONY: demo test lint format bench clean install

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

demo: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo_data --members $(MEMBERS) --seed $(SEED) --keep-existing
	@# The background-task worker (roster imports and exports, personal-data exports) runs beside the server;
	@# task_worker is db_worker restarted after any error.
	$(PY) manage.py task_worker --no-reload -v0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver $(HOST)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var
