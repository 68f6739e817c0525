# Concord: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run test test-fast serve bench bench-pages bench-applicants bench-directory bench-referrals bench-trainings bench-reports bench-documents bench-forum bench-load lock lint format messages setup clean

run: setup
	$(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-1} scripts/run-dev.sh

serve: $(VENV)/.installed node_modules/.installed locale/es/LC_MESSAGES/django.mo
	scripts/serve.sh

test: $(VENV)/.installed node_modules/.installed
	scripts/system-deps.sh test
	$(MAKE) locale/es/LC_MESSAGES/django.mo
	scripts/test.sh

# Unit tests on SQLite only, without the browser: seconds, for the edit-test loop.
test-fast: $(VENV)/.installed node_modules/.installed locale/es/LC_MESSAGES/django.mo
	$(PY) -m pytest -m "not browser" -q

# `make bench` runs every benchmark; each part also runs alone.
bench: bench-pages bench-applicants bench-directory bench-referrals bench-trainings bench-reports bench-documents bench-forum bench-load

bench-pages: setup
	$(PY) -m bench

# 50 applicants submitting at once, ten rounds, on SQLite and on PostgreSQL (issue 4).
bench-applicants: setup
	$(PY) -m bench.applicants

# The service directory at 10,000 services: import, search and API (issue 5).
bench-directory: setup
	$(PY) -m bench.directory

# Referrals at 50,000 over 60 agencies: the inbox and the retention purge (issue 6).
bench-referrals: setup
	$(PY) -m bench.referrals

# The forum at 20,000 posts, a thread of 500 replies (issue 8).
bench-forum: setup
	$(PY) -m bench.forum

# The coordinators' dashboard and the annual PDF at 100x the demo data (issue 9).
bench-reports: setup
	$(PY) -m bench.reports

# 200 people confirming at once for the last 30 seats of a training session (issue 7).
bench-trainings: setup
	$(PY) -m bench.trainings

# The policies and protocols library at 2,000 documents of 10 versions: search (issue 8).
bench-documents: setup
	$(PY) -m bench.documents

# The load suite at full size: 50 applicants, the last 30 seats, two accepts, double
# clicks, all at once, on SQLite and on PostgreSQL (issue 10).
bench-load: setup
	$(PY) -m bench.load_suite

setup: $(VENV)/.installed node_modules/.installed locale/es/LC_MESSAGES/django.mo
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		(echo "Concord needs Python 3.11 or newer (found $$($(PYTHON) --version))." >&2; exit 1)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || (echo "Concord needs Node.js 20+ and npm: sudo apt-get install nodejs npm" >&2; exit 1)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

locale/es/LC_MESSAGES/django.mo: locale/es/LC_MESSAGES/django.po $(VENV)/.installed
	scripts/system-deps.sh run
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

# Re-pin dependencies after editing requirements*.in.
lock:
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile -q --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links requirements.in -o requirements.txt
	$(VENV)/bin/pip-compile -q --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links requirements-dev.in -o requirements-dev.txt

# Refresh the Spanish catalogue after changing translatable strings.
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l es --ignore=.venv --ignore=node_modules --ignore=var --no-obsolete

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf var/static var/test.sqlite3* var/bench
