# Two commands do everything on a fresh machine with Python 3.11 and make:
#   make site   - create .venv, install the pinned dependencies, build the site into site/
#   make test   - the same environment, then the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: site test lint check generate serve golden clean

site: $(INSTALLED)
	$(BIN)/glossary build

test: $(INSTALLED)
	$(BIN)/python -m pytest

lint: $(INSTALLED)
	$(BIN)/ruff check generator plots tests
	$(BIN)/ruff format --check generator plots tests

check generate serve: $(INSTALLED)
	$(BIN)/glossary $@

# Regenerate the golden files after an intended change to the rendered Markdown.
golden: $(INSTALLED)
	$(BIN)/python tests/generator/update_golden.py

clean:
	rm -rf site docs/glossary .cache

# requirements.lock pins every package, direct and indirect, to what the tests ran with.
$(INSTALLED): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $@
