# Two commands set up a fresh Debian 12 machine: `make run` and `make test` (README.md).
# Every step is idempotent: a second run skips what is done.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PY := .venv/bin/python
MANAGE := $(PY) manage.py
PO := $(wildcard locale/*/LC_MESSAGES/*.po)
MO := $(PO:.po=.mo)
STATIC_SOURCES := $(shell find static -type f 2>/dev/null) requirements.txt

.PHONY: run test serve setup system system-browser venv db migrate messages static demo lint format migrations-check makemessages bench help
.DEFAULT_GOAL := help

help:
	@echo "make run    set up everything, load the demo data and serve http://127.0.0.1:8000"
	@echo "make test   set up everything and run the whole test suite, browser tests included"

run: system setup demo serve

test: system-browser setup
	@$(PY) -m pytest

setup: venv db migrate messages static

system:
	@scripts/system.sh

system-browser:
	@scripts/system.sh --with-browser

venv:
	@scripts/venv.sh

db: venv
	@scripts/pg.sh
	@$(MANAGE) dbcheck

migrate: db
	@$(MANAGE) migrate --no-input -v 0
	@$(MANAGE) createcachetable

messages: $(MO)

locale/%.mo: locale/%.po
	@msgfmt --check-format -o $@ $<

static: .local/staticfiles/staticfiles.json

.local/staticfiles/staticfiles.json: $(STATIC_SOURCES)
	@$(MANAGE) collectstatic --no-input -v 0 --clear
	@touch $@

demo: migrate
	@$(MANAGE) load_demo

serve:
	@scripts/serve.sh

lint: venv
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .
	@.venv/bin/djhtml --check templates

format: venv
	@.venv/bin/ruff format .
	@.venv/bin/ruff check --fix .
	@.venv/bin/djhtml templates

migrations-check: db
	@$(MANAGE) makemigrations --check --dry-run

makemessages: venv
	@$(MANAGE) makemessages --no-obsolete --no-location $(foreach l,it ro fr de es,-l $(l)) -i ".venv/*" -i ".local/*" -i "bench/*"

# `make bench [SIZE=10000] [BENCH_ARGS=...]`: its own database (conect_bench_<SIZE>, or BENCH_DATABASE_URL), filled,
# every scenario beside the peers, the SQL alone and the code before issue 11; the report in bench/results/<SIZE>.md.
SIZE ?= 10000
BENCH_ARGS ?=
bench: setup
	@$(PY) -m bench run --size $(SIZE) $(BENCH_ARGS)
