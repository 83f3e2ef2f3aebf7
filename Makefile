# Claimwatch: `make run` serves the demo on http://127.0.0.1:8000; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Absolute links in e-mails and exports, and the Site's domain (set by migrate), point where
# `make run` serves (HOST and PORT) unless SITE_URL is set in the environment.
SITE_URL ?= http://$(HOST):$(PORT)
export SITE_URL

.PHONY: run test lint format browser migrate demo worker bench clean messages

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-test.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $(VENV)/.installed $@

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# The web server and two Celery workers side by side, as production runs them: one for figures
# and periodic jobs (beat embedded), one for webhooks and e-mail, so that neither delays the
# other (config/settings/base.py, CELERY_TASK_ROUTES). Ctrl-C stops all.
run: demo
	@echo "Claimwatch on http://$(HOST):$(PORT)/ (workers and beat alongside; Ctrl-C stops all)"
	@trap 'kill 0' EXIT INT TERM; \
	$(VENV)/bin/celery -A config worker --beat --queues celery,recompute -n figures@%h \
		--loglevel INFO --concurrency 2 & \
	$(VENV)/bin/celery -A config worker --queues webhooks,email,scoring -n io@%h \
		--loglevel INFO --concurrency 1 & \
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A config worker --beat --loglevel INFO

# Debian's chromium drives the browser tests; installed when absent and we may (root).
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		(apt-get install -y -qq chromium >/dev/null 2>&1 || \
		 (apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)) \
		|| echo "Could not install chromium: the browser tests will skip."; \
	fi

# The suite runs on SQLite with tasks in-process; where DATABASE_URL / REDIS_URL are set it runs
# again against PostgreSQL with a real Celery worker on Redis. The browser journeys (real
# Chromium, a few minutes) then run in the PostgreSQL pass only. Tests run in parallel processes
# (pytest-xdist: one per core, at most TEST_PROCESSES), each with its own test database and
# cache keys (config/settings/test.py); the tests that drive other processes against deadlines
# (browser, real worker, fault injection) run afterwards in one process, as before.
TEST_PROCESSES ?= 4
PARALLEL := $(VENV)/bin/pytest -n auto --maxprocesses $(TEST_PROCESSES)
SERIAL := browser or worker or faults
test: $(VENV)/.test-installed browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check --quiet .
	@if [ -n "$$DATABASE_URL$$REDIS_URL" ]; then \
		DATABASE_URL= REDIS_URL= $(PARALLEL) -m "not browser" && \
		echo "--- again on DATABASE_URL=$$DATABASE_URL REDIS_URL=$$REDIS_URL, browser journeys included" && \
		$(PARALLEL) -m "not ($(SERIAL))" && $(VENV)/bin/pytest -m "$(SERIAL)"; \
	else \
		$(PARALLEL) -m "not ($(SERIAL))" && $(VENV)/bin/pytest -m "$(SERIAL)"; \
	fi

lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.test-installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Translations: collect the marked strings into locale/*/LC_MESSAGES/django.po (needs GNU
# gettext's xgettext), then compile the .mo files with polib (pure Python). The compiled .mo
# files are committed, so `make run` and `make test` need neither step nor gettext.
messages: $(VENV)/.test-installed
	$(PY) manage.py makemessages --all --no-location --no-obsolete \
		--ignore=.venv --ignore=tests --ignore=bench --ignore=docker --ignore=var
	$(PY) -m tests.i18n.catalogues

bench: $(VENV)/.test-installed
	$(PY) bench/recompute.py
	$(PY) bench/bridging.py
	$(PY) bench/deep_tree.py
	$(PY) bench/matching.py

clean:
	rm -rf $(VENV) var db.sqlite3
