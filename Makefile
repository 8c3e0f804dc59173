PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint sandbox clean

# Running needs the bot's own dependencies; testing adds pytest, linters and Playwright.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,browser]'
	touch $@ $(VENV)/.run

# `make run PORT=8081` (or `make sandbox PORT=8081`): the sandbox's web port, as
# DONDOC_SANDBOX_PORT=8081 would set it. Only a PORT given on the command line counts: a PORT
# that happens to be in the environment is some other program's.
SANDBOX_PORT := $(if $(filter command line,$(origin PORT)),DONDOC_SANDBOX_PORT=$(PORT))

run: $(VENV)/.run
	$(SANDBOX_PORT) $(BIN)/dondoc run

sandbox: $(VENV)/.run
	$(SANDBOX_PORT) $(BIN)/dondoc sandbox

test: $(VENV)/.test
	$(BIN)/pytest -q -n 3 --dist loadfile

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
