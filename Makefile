# KSR Portal — every set-up step lives here. Two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends

.PHONY: run test install system-deps browser messages lint lint-imports typecheck check-migrations serve-demo bench clean

$(VENV)/.installed: pyproject.toml .ci/constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -c .ci/constraints.txt -e '.[dev]'
	@touch $@

install: system-deps $(VENV)/.installed

# Debian packages the portal needs: gettext (compilemessages), fonts and Pango (WeasyPrint).
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -q && $(APT_INSTALL) $$missing; \
	fi

# Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium).
browser:
	@command -v /usr/bin/chromium >/dev/null || { apt-get update -q && $(APT_INSTALL) chromium; }

messages: $(VENV)/.installed
	$(MANAGE) compilemessages -v0 --ignore=.venv

run: install messages
	@mkdir -p .run
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) load_teryt
	$(MANAGE) load_card_templates
	$(MANAGE) load_demo
	@echo ""
	@echo "KSR Portal: http://127.0.0.1:$(PORT)/"
	@echo "Demo logins (password ksr-demo-2026): animator, rops, ksr, partner, admin"
	@echo "Background worker (survey invitations): started with the server, stopped with it."
	@echo ""
	@$(MANAGE) db_worker --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint --quiet

# The layers of README "Architecture" as import-linter contracts ([tool.importlinter]).
lint-imports: $(VENV)/.installed
	$(VENV)/bin/lint-imports --no-cache

# mypy with django-stubs ([tool.mypy]): selectors, services and ksr_portal/core fully annotated.
typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

check-migrations: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=ksr_portal.settings.test $(MANAGE) makemigrations --check --dry-run

test: install browser messages lint lint-imports typecheck check-migrations
	.ci/with-postgres $(VENV)/bin/pytest $(PYTEST_ARGS)

# Dashboard performance on the full national data set (issue 7): a throwaway PostgreSQL, gunicorn
# with the production settings on 127.0.0.1. Last line: p95_ms=<KSR dashboard> ratio=<vs minimal>.
bench: $(VENV)/.installed messages
	benchmarks/run_dashboards.sh

clean:
	rm -rf .run $(VENV) .pytest_cache

# 200 concurrent survey submissions against gunicorn on a throwaway PostgreSQL (issue 5).
bench-surveys: $(VENV)/.installed messages
	env -u DATABASE_URL .ci/with-postgres $(PY) benchmarks/survey_submissions.py
