# QLIO Jury — the two commands: `make run` (requirements.txt only) and `make test` (requirements-dev.txt).
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# A second virtualenv holding requirements.txt alone, for the runtime-only check of `make test`.
RUNTIME_VENV := .venv-runtime
PIP_INSTALL = install --quiet --disable-pip-version-check
PIP_QUIET = 2>&1 | { grep -v 'is ignored: it is neither' || true; }
HOST ?= 127.0.0.1
PORT ?= 8000
# What the application needs to run: Pango for WeasyPrint's PDFs, and the fonts they embed.
RUNTIME_APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
APT_PACKAGES := $(RUNTIME_APT_PACKAGES) chromium poppler-utils postgresql-15 sqlite3
PYTEST_ARGS ?= -n 2

.PHONY: run test test-sqlite test-postgres test-runtime lint typecheck system-deps runtime-deps venv venv-dev demo bench \
	backup restore clean

# One stamp per requirements file: the venv is updated when either file changes.
$(VENV)/.installed-runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) $(PIP_INSTALL) -r requirements.txt $(PIP_QUIET)
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) $(PIP_INSTALL) -r requirements-dev.txt $(PIP_QUIET)
	touch $@

$(RUNTIME_VENV)/.installed: requirements.txt
	test -x $(RUNTIME_VENV)/bin/python || $(PYTHON) -m venv $(RUNTIME_VENV)
	$(RUNTIME_VENV)/bin/pip $(PIP_INSTALL) -r requirements.txt $(PIP_QUIET)
	touch $@

# What the application needs to run.
venv: $(VENV)/.installed-runtime
# Plus tests, lint, type checking and benchmarks.
venv-dev: $(VENV)/.installed-dev

# Debian packages missing from APT_PACKAGES_WANTED, installed with apt-get (sudo when not root).
system-deps: APT_PACKAGES_WANTED = $(APT_PACKAGES)
runtime-deps: APT_PACKAGES_WANTED = $(RUNTIME_APT_PACKAGES)
system-deps runtime-deps:
	@missing=""; \
	for p in $(APT_PACKAGES_WANTED); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installation des paquets Debian :$$missing"; \
	  if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: venv runtime-deps
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py loaddata maquette_but_qlio_osc -v0
	$(PY) manage.py seed_demo

# The task worker (relevé batches, decision letters) runs beside the server and stops with it.
run: demo
	@echo "QLIO Jury : http://$(HOST):$(PORT)/ (et le worker des tâches de fond)"
	@$(PY) manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: venv-dev
	$(VENV)/bin/ruff check .

typecheck: venv-dev
	$(VENV)/bin/mypy

# The application starts and writes relevés with requirements.txt alone and no poppler-utils on PATH.
test-runtime: $(RUNTIME_VENV)/.installed
	$(RUNTIME_VENV)/bin/python scripts/runtime_check.py

test-sqlite: venv-dev system-deps
	DATABASE_URL= $(VENV)/bin/pytest -q $(PYTEST_ARGS)

test-postgres: venv-dev system-deps
	scripts/with_postgres.sh $(VENV)/bin/pytest -q $(PYTEST_ARGS)

test: venv-dev system-deps lint typecheck
	@echo "=== Application avec requirements.txt seul ==="
	$(MAKE) --no-print-directory test-runtime
	@echo "=== Suite sur SQLite ==="
	DATABASE_URL= $(VENV)/bin/pytest -q $(PYTEST_ARGS)
	@echo "=== Suite sur PostgreSQL ==="
	scripts/with_postgres.sh $(VENV)/bin/pytest -q $(PYTEST_ARGS)

bench: venv-dev system-deps
	scripts/with_postgres.sh $(PY) bench/run_all.py $(BENCH)

backup: venv
	$(PY) manage.py backup --output $${OUT:-backups}

restore: venv
	@test -n "$(FILE)" || { echo "Usage : make restore FILE=backups/qlio-....dump"; exit 2; }
	$(PY) manage.py restore $(FILE) $(if $(YES),--yes,)

clean:
	rm -rf $(VENV) $(RUNTIME_VENV) staticfiles test-artifacts .mypy_cache
