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

run: $(VENV)/.run
	$(BIN)/dondoc run

sandbox: $(VENV)/.run
	$(BIN)/dondoc sandbox

test: $(VENV)/.test
	$(BIN)/pytest -q

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
