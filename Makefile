# QLIO Jury — the two commands: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
APT_PACKAGES := chromium poppler-utils fonts-dejavu-core postgresql-15 sqlite3
PYTEST_ARGS ?= -n 2

.PHONY: run test test-sqlite test-postgres lint system-deps venv demo bench backup restore clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt 2>&1 | { grep -v 'is ignored: it is neither' || true; }
	touch $@

venv: $(VENV)/.installed

# Debian packages: Chromium and poppler for browser tests and PDF checks, PostgreSQL binaries.
system-deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installation des paquets Debian :$$missing"; \
	  if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: venv
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py loaddata maquette_but_qlio_osc -v0
	$(PY) manage.py seed_demo

run: demo
	@echo "QLIO Jury : http://$(HOST):$(PORT)/"
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: venv
	$(VENV)/bin/ruff check .

test-sqlite: venv system-deps
	DATABASE_URL= $(VENV)/bin/pytest -q $(PYTEST_ARGS)

test-postgres: venv system-deps
	scripts/with_postgres.sh $(VENV)/bin/pytest -q $(PYTEST_ARGS)

test: venv system-deps lint
	@echo "=== Suite sur SQLite ==="
	DATABASE_URL= $(VENV)/bin/pytest -q $(PYTEST_ARGS)
	@echo "=== Suite sur PostgreSQL ==="
	scripts/with_postgres.sh $(VENV)/bin/pytest -q $(PYTEST_ARGS)

bench: venv system-deps
	scripts/with_postgres.sh $(PY) bench/run_all.py $(BENCH)

backup: venv
	$(PY) manage.py backup --output $${OUT:-backups}

restore: venv
	@test -n "$(FILE)" || { echo "Usage : make restore FILE=backups/qlio-....dump"; exit 2; }
	$(PY) manage.py restore $(FILE) $(if $(YES),--yes,)

clean:
	rm -rf $(VENV) staticfiles test-artifacts
