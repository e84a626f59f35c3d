# Spendwise: `make run` starts the product, `make test` runs the tests.
# Both create .venv with Python 3.11 when it is missing and install the pinned requirements,
# skipping the install when the requirements have not changed since the last one.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PORT ?= 8000
BIN := $(VENV)/bin

.DEFAULT_GOAL := help
.PHONY: help run test lint format check typecheck install install-dev clean

help:
	@echo "make run        start Spendwise on http://127.0.0.1:8000 (migrates, loads demo data);"
	@echo "                another port: make run PORT=8001.  Ctrl-C stops it."
	@echo "make test       run the test suite"
	@echo "make lint       ruff check + ruff format --check + import contracts (lint-imports)"
	@echo "make format     ruff format + ruff check --fix"
	@echo "make check      lint, Django system checks, missing migrations, tests"
	@echo "make typecheck  mypy with django-stubs"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
		|| { echo "Spendwise needs Python 3.11; set PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# $(1) is the requirements file; the stamp holds the hash of every requirements file it reads.
define install_requirements
	@hash=$$(cat requirements*.txt | sha256sum | cut -d' ' -f1); \
	stamp=$(VENV)/.installed-$(1); \
	if [ "$$(cat $$stamp 2>/dev/null)" != "$$hash" ]; then \
		echo "Installing $(1) into $(VENV) ..."; \
		$(BIN)/python -m pip install --quiet -r $(1) && echo "$$hash" > $$stamp; \
	fi
endef

install: $(BIN)/python
	$(call install_requirements,requirements.txt)

install-dev: $(BIN)/python
	$(call install_requirements,requirements-dev.txt)

# exec: make's child is run.sh itself (not a shell waiting for it), so a Ctrl-C that run.sh handles and ends
# with status 0 is no failure to make, and make prints no "Interrupt" or "Error 130".
run: install
	@PATH="$(CURDIR)/$(BIN):$$PATH" PORT="$(PORT)" exec scripts/run.sh

test: install-dev
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: lint
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

typecheck: install-dev
	$(BIN)/mypy config users finance alerts insights operators

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache
