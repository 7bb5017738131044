# Jingzhun: `make run` to use it, `make test` to check it. Python 3.11 is all a new machine needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run worker test lint serve migrate demo messages clean-db backup restore loadtest bench

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## run: install, migrate, load the demo county (first time only), serve on http://127.0.0.1:8000 with one job
## worker beside it (Ctrl-C stops both)
run: $(VENV)/.runtime
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo --if-missing
	exec $(PY) manage.py run_with_worker $(HOST):$(PORT)

## worker: one more worker of the job queue, here or on another machine with the same DATABASE_URL
worker: $(VENV)/.runtime
	exec $(PY) manage.py jobs_worker

## test: the whole suite (against DATABASE_URL, or the embedded PostgreSQL when unset) in 2 pytest-xdist workers.
## --dist load hands the tests out in pytest-django's order (transaction=True tests last), so on every worker
## the tests that flush the database run after the ones that do not. TEST_WORKERS=0: serially.
## PYTEST_ARGS: more pytest arguments.
TEST_WORKERS ?= 2
test: $(VENV)/.dev
	$(PY) -m pytest --create-db -n $(TEST_WORKERS) --dist load $(PYTEST_ARGS)

## lint: ruff with the security rules, the import contracts and the migrations check
lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run

## serve: gunicorn with 2 workers (production-like; set SECRET_KEY and DJANGO_SETTINGS_MODULE)
serve: $(VENV)/.runtime
	$(PY) manage.py collectstatic --no-input
	HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/gunicorn -c config/gunicorn_conf.py config.wsgi

## messages: extract and compile the translations (needs GNU gettext)
messages: $(VENV)/.dev
	$(PY) manage.py makemessages --locale en --no-wrap --ignore ".venv/*" --ignore "var/*" --ignore "tests/*"
	$(PY) manage.py compilemessages --ignore ".venv/*"

## backup: pg_dump of the database in use, with a manifest, under var/backups/ (encrypted if JINGZHUN_BACKUP_KEY is set)
backup: $(VENV)/.runtime
	$(PY) manage.py backup

## restore: FILE=var/backups/jingzhun-….dump into an empty database (FORCE=1 replaces a non-empty one)
restore: $(VENV)/.runtime
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/jingzhun-YYYYMMDDTHHMMSSZ.dump [FORCE=1]"; exit 2; }
	$(PY) manage.py restore "$(FILE)" $(if $(FORCE),--force,)

## bench: P1–P8 of quality.md beside same-run baselines, one table, JSON under bench/results/ (bench/README.md).
## BENCH_HOUSEHOLDS= (default the demo county; 1000000, 10000000: a province), BENCH_ONLY=P1,P2 or BENCH_SKIP=P8;
## the data goes into <DATABASE_URL's name>_bench_<scale>, built once and reused
BENCH_VARIABLES := BENCH_HOUSEHOLDS BENCH_ONLY BENCH_SKIP BENCH_RUNS BENCH_P5_HOUSEHOLDS BENCH_P5_MEMORY BENCH_P6 BENCH_P7_ROWS \
	BENCH_LOAD_SECONDS BENCH_LOAD_USERS
export $(BENCH_VARIABLES)
bench: $(VENV)/.dev
	$(PY) bench/run.py

## loadtest: 60 s of 32 connections on gunicorn over loopback (DURATION=, USERS=), then every write checked
DURATION ?= 60
USERS ?= 32
loadtest: $(VENV)/.dev
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py seed_demo --if-missing
	$(PY) bench/loadtest.py --duration $(DURATION) --users $(USERS)
