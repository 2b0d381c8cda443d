# The two commands of the README: `make run` (serve the shop with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
HOST   ?= 127.0.0.1

# Dependencies come from the lock files (exact versions and hashes), written from pyproject.toml by `make lock`.
LOCK       := requirements.lock
DEV_LOCK   := requirements-dev.lock
UV_VERSION ?= 0.13.9
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --custom-compile-command "make lock" --quiet

# Time zones (Asia/Almaty) from the locked tzdata package, never from the host's /usr/share/zoneinfo.
export PYTHONTZPATH =

.PHONY: run test bench lint install install-dev lock messages clean mutation

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Hash-checking mode and an editable install do not mix in one pip call: the locked dependencies first, then the
# shop itself without dependencies. A changed lock file (or pyproject.toml) reinstalls.
$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: $(DEV_LOCK) $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Re-resolve both lock files from pyproject.toml (needs PyPI). Runtime first; the dev lock is constrained to it,
# so the two never disagree on a shared package. UPGRADE=--upgrade moves every pin to the newest allowed;
# UPGRADE="--upgrade-package NAME" moves one.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) $(UPGRADE) -o $(LOCK)
	$(BIN)/uv pip compile pyproject.toml --extra dev -c $(LOCK) $(LOCK_FLAGS) $(UPGRADE) -o $(DEV_LOCK)

run: install
	$(BIN)/python manage.py migrate --noinput
	PORT=$(PORT) $(BIN)/python manage.py seed_demo --once
	$(BIN)/python manage.py make_renditions
	$(BIN)/python manage.py runshop $(HOST):$(PORT)

test: install-dev
	$(BIN)/python -m pytest

bench: install-dev
	bash bench/run.sh

lint: install-dev
	$(BIN)/ruff check .

# Issue 16: mutation testing of the pure rule modules (<app>/policy.py) against tests/unit, one module after the
# other and at the lowest priority (it is CPU heavy; never run two at once). `make mutation MUTATION_MODULES=shop`
# runs one; the score per module is printed and every module must reach MUTATION_BAR % killed (≈ 10 min).
MUTATION_MODULES ?= orders shop accounts payments returns loyalty
MUTATION_BAR ?= 90
mutation: install-dev
	rm -rf mutants  # mutmut keeps a survivor's verdict while its function is unchanged: start afresh
	@for module in $(MUTATION_MODULES); do \
	  if [ -f $$module/policy.py ]; then nice -n 19 $(BIN)/mutmut run "$$module.policy*" > /dev/null || exit 1; fi; \
	done
	$(BIN)/python bench/mutation_score.py $(MUTATION_BAR) $(MUTATION_MODULES)

messages: install-dev
	$(BIN)/python manage.py makemessages -l ru -l kk -l en --ignore '.venv/*' --ignore 'tests/*' --ignore 'mutants/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv/*' --ignore 'mutants/*'

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache mutants
