# Two commands do everything on a fresh machine with Python 3.11 and make:
#   make site   - create .venv, install the pinned dependencies, build the site into site/
#   make test   - the same environment, then the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

NPM_INSTALLED := node_modules/.installed

.PHONY: site site-offline test lint check generate serve golden bench clean

site: $(INSTALLED) $(NPM_INSTALLED)
	$(BIN)/glossary build

# The same site for reading from disk (file://), with no network: see README.md.
site-offline: $(INSTALLED) $(NPM_INSTALLED)
	$(BIN)/glossary build --offline

# On every core (pytest-xdist); tests/conftest.py keeps tests that share a build together.
test: $(INSTALLED) $(NPM_INSTALLED)
	$(BIN)/python -m pytest -n auto --dist loadgroup

# ruff, then mypy in strict mode over generator/ and plots/ (configured in pyproject.toml).
lint: $(INSTALLED)
	$(BIN)/ruff check generator plots tests
	$(BIN)/ruff format --check generator plots tests
	$(BIN)/mypy

check generate: $(INSTALLED)
	$(BIN)/glossary $@

serve: $(INSTALLED) $(NPM_INSTALLED)
	$(BIN)/glossary $@

# Regenerate the golden files after an intended change to the rendered Markdown.
golden: $(INSTALLED)
	$(BIN)/python tests/generator/update_golden.py

# Benchmark on synthetic glossaries of 100, 1,000 and 10,000 terms, and plot it; what it
# measures and what it found is in docs/performance.md. Takes about ten minutes.
bench: $(INSTALLED) $(NPM_INSTALLED)
	$(BIN)/python bench/run.py --sizes 100 1000 10000 --calibrate --out docs/assets/performance-results.json
	$(BIN)/python bench/plot.py docs/assets/performance-results.json docs/assets/performance.svg

clean:
	rm -rf site site-offline docs/glossary .cache

# requirements.lock pins every package, direct and indirect, to what the tests ran with.
$(INSTALLED): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $@

# Browser assets the site serves itself (KaTeX, iframe-worker; axe-core for the tests), pinned
# in package-lock.json. `npm ci` installs exactly the locked versions.
$(NPM_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@
