# Newsroom: `make run` serves the demo site, `make test` runs the whole suite.
# Needs Python >= 3.12 and make; everything else is installed into .venv.

VENV := .venv
PY := $(VENV)/bin/python
# The first interpreter on PATH that is Python 3.12 or newer (pyenv reads .python-version).
PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && echo $$p && break; done)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install migrate test test-e2e browser-test-tools lint format lock messages backup restore clean

# The task worker (it sends the mail) runs beside the server. Ctrl-C reaches both: the worker
# finishes the message in hand, and the trap waits for it; if the server stops by itself, the
# trap stops the worker. --no-reload: a reload would cut a message off in mid-send (restart
# `make run` after changing a task).
run: install migrate
	$(PY) manage.py seed_demo --address http://$(HOST):$(PORT)/
	$(PY) manage.py worker -- --no-reload & worker=$$!; \
	trap 'wait $$worker' INT; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT)

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@test -n "$(PYTHON)" || { echo "Newsroom needs Python 3.12 or newer on PATH." >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

migrate: install
	$(PY) manage.py migrate --no-input

# One test process per core (pytest-xdist; TEST_PROCESSES=0 runs them all in this one).
TEST_PROCESSES ?= auto

test: install browser-test-tools
	$(PY) -m pytest -n $(TEST_PROCESSES) $(PYTEST_ARGS)

test-e2e: install browser-test-tools
	$(PY) -m pytest -n $(TEST_PROCESSES) tests/e2e $(PYTEST_ARGS)

# axe-core and the Nu HTML checker, which the browser tests run on every screen; without
# npm they skip those checks and say so (Chromium: apt-get install chromium).
browser-test-tools:
	@test -d node_modules/vnu-jar || ! command -v npm >/dev/null || \
		npm ci --no-audit --no-fund --loglevel=error

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r . --severity-level medium

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Re-pin every dependency (direct ones are pinned in pyproject.toml).
lock: install
	$(PY) -m pip install --quiet pip-tools==7.6.2
	$(VENV)/bin/pip-compile --quiet --extra dev --strip-extras --no-header --allow-unsafe \
		--no-emit-index-url --no-emit-find-links -o requirements.txt pyproject.toml

# Update the Korean translation catalogue from the code and templates, and compile it.
messages: install
	$(PY) manage.py makemessages -l ko --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=bench

# A .tar.gz of the database (pg_dump on PostgreSQL, a consistent copy of SQLite) and media,
# into the backups storage: BACKUP_ROOT (backups/), or the S3 bucket when S3_BUCKET is set.
backup: install
	$(PY) manage.py backup

# make restore FILE=backups/newsroom-YYYYmmdd-HHMMSS.tar.gz, or STORED=newsroom-….tar.gz
# for an archive in the S3 bucket's backups/.
restore: install
	@test -n "$(FILE)$(STORED)" || { echo "Name the archive: make restore FILE=backups/newsroom-....tar.gz" >&2; exit 1; }
	$(PY) manage.py restore $(if $(STORED),--stored $(STORED),$(FILE))

clean:
	rm -rf $(VENV) staticfiles

# Load benchmark (bench/run.py): a throwaway PostgreSQL cluster, 10,000 articles, gunicorn
# driven by wrk on loopback, then a read replica and two servers on one Redis (bench/scale_out.py);
# prints a table and writes bench/results.json (about 12 minutes).
# bench-quick: SQLite and 1,000 articles, in under 3 minutes. Both need wrk (Debian: wrk).
.PHONY: bench bench-quick
bench: install
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install wrk" >&2; exit 1; }
	$(PY) -m bench.run $(BENCH_ARGS)

bench-quick: install
	@command -v wrk >/dev/null || { echo "make bench-quick needs wrk: apt-get install wrk" >&2; exit 1; }
	$(PY) -m bench.run --quick $(BENCH_ARGS)

# Newsroom beside a Wagtail 8 site of the same 200 stories and a bare Django view returning
# the same bytes, in one run (bench/compare/run.py; docs/benchmark.md): SQLite, gunicorn
# with 2 sync workers, wrk -t2 -c16 -d10s x 3, medians; the ratios go into bench/results.json.
# Makes bench/.wagtail-venv the first time. Needs wrk. About 8 minutes.
.PHONY: bench-compare
bench-compare: install
	@command -v wrk >/dev/null || { echo "make bench-compare needs wrk: apt-get install wrk" >&2; exit 1; }
	$(PY) -m bench.run --compare $(BENCH_ARGS)

# Ten times the data: every public page at 1,000 and at 10,000 articles (200,000 comments) on
# one throwaway PostgreSQL cluster, page cache and cached parts off; marks a page more than 1.5x
# slower (bench/scale_check.py; docs/scale.md). Needs wrk. About 12 minutes.
.PHONY: bench-scale
bench-scale: install
	@command -v wrk >/dev/null || { echo "make bench-scale needs wrk: apt-get install wrk" >&2; exit 1; }
	$(PY) -m bench.scale_check $(BENCH_ARGS)

# 60 s of mixed load (readers, commenters, ad clicks) on gunicorn and a throwaway PostgreSQL:
# no 5xx, no lost comments, a clean error log (bench/soak.py; needs wrk and PostgreSQL).
.PHONY: soak
soak: install
	$(PY) -m bench.soak $(SOAK_ARGS)
