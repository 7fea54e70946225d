# Any Python 3.11 or newer: the first found, or PYTHON=... on the command line.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test check lint typecheck bench bench-1m eval soak clean

$(VENV)/bin/python:
	@test -n "$(PYTHON)" || { echo "khabar needs Python 3.11 or newer (none found; set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -qq -e .
	@touch $@

$(DEVSTAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -qq -e '.[dev]'
	@touch $@ $(STAMP)

run: $(STAMP)  ## the console on the bundled article
	@$(VENV)/bin/khabar console

test: $(DEVSTAMP)  ## everything CI runs: the fast tier and the end-to-end tests (not soak)
	$(PY) -m pytest -n auto --maxprocesses=4

check: $(DEVSTAMP)  ## the fast tier alone, for a quick loop (no bot over HTTP, no soak)
	$(PY) -m pytest -n auto --maxprocesses=4 -m "not soak and not e2e"

lint: $(DEVSTAMP) typecheck
	$(VENV)/bin/ruff check index bot tests
	$(VENV)/bin/ruff format --check index bot tests

# mypy finds khabar.* through links named as installed (the editable install's finder is
# invisible to it).
typecheck: $(DEVSTAMP)
	@mkdir -p build/typecheck/khabar
	@for d in index bot seeds; do ln -sfn ../../../$$d build/typecheck/khabar/$$d; done
	$(VENV)/bin/mypy -p khabar.index -p khabar.bot

eval: $(DEVSTAMP)  ## analyzer comparison on the gold set
	@$(VENV)/bin/khabar eval

bench: $(DEVSTAMP)  ## speed and memory at 100k passages (BENCH_ARGS=... passes options)
	@$(PY) tests/bench.py $(BENCH_ARGS)

bench-1m: $(DEVSTAMP)  ## the same at 1M passages (generation alone takes minutes; see --keep, --only)
	@$(PY) tests/bench.py --passages 1000000 $(BENCH_ARGS)

soak: $(DEVSTAMP)  ## soak, fault-recovery and deep fuzzing runs (minutes), figures printed
	HYPOTHESIS_PROFILE=explore $(PY) -m pytest -m soak -s

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .mypy_cache .hypothesis
