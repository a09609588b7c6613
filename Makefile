# London Apprenticeships Portal — `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
# `make run` is local development: DEBUG on, SQLite unless DATABASE_URL is set.
DEV_ENV := DJANGO_DEBUG=1
HOST_PORT ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# Debian's Chromium, which the browser tests drive (loti_portal/tests/browser/conftest.py);
# never a browser downloaded by Playwright. Another path here only tries `make chromium` out.
CHROMIUM ?= /usr/bin/chromium

.PHONY: help venv chromium run test test-fast test-browser lint typecheck format migrations-check audit ci serve

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-18s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed ## Create or refresh the virtualenv from the pinned requirements

# Chromium missing: root installs Debian's package (as .ci/run does through this target);
# anyone else is told how, in one line, before anything else runs.
CAN_INSTALL_CHROMIUM = $(and $(filter 0,$(shell id -u)),$(shell command -v apt-get))

chromium: ## Install Debian's Chromium for the browser tests if missing (as root), else say how
ifeq ($(wildcard $(CHROMIUM)),)
ifneq ($(CAN_INSTALL_CHROMIUM),)
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
else
	$(error Chromium is needed for the browser tests: run `sudo apt-get install chromium`, or `make test-fast`)
endif
endif
	@"$(CHROMIUM)" --version

run: venv ## Set up the SQLite database with reference and demo data, then serve on 127.0.0.1:8000
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py seed_reference_data
	$(DEV_ENV) $(PY) manage.py load_demo_data
	$(DEV_ENV) $(PY) manage.py runserver $(HOST_PORT)

test: chromium venv ## Run the whole test suite, browser tests included (on DATABASE_URL if set, else SQLite)
	$(PY) -m pytest -q $(PYTEST_ARGS)

test-fast: venv ## Everything except the real-browser tests
	$(PY) -m pytest -q -m "not browser" $(PYTEST_ARGS)

test-browser: chromium venv ## Only the real-browser journeys and accessibility checks (in Chromium)
	$(PY) -m pytest -q -m browser $(PYTEST_ARGS)

lint: venv typecheck ## ruff check and format check, and the type checks
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv ## mypy with django-stubs over the files listed in mypy.ini
	$(VENV)/bin/mypy

format: venv ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: venv ## Fail if a model change has no migration
	DJANGO_SECRET_KEY=check EMAIL_URL=dummymail:// $(PY) manage.py makemigrations --check --dry-run

audit: venv ## Known vulnerabilities in the virtualenv's packages (PyPI's advisories); unaudited is not a pass
	$(PY) scripts/dependency_audit.py

ci: ## What CI runs: .ci/run
	bash .ci/run

serve: venv ## Production: migrate, collectstatic, then gunicorn (GUNICORN_WORKERS, GUNICORN_BIND)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput
	$(VENV)/bin/gunicorn --config gunicorn.conf.py

-include Makefile.static
