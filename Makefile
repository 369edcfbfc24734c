# partnerlib: `make help` lists the targets. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANIFEST ?= data/sample/reviews.yml

.DEFAULT_GOAL := help
.PHONY: help install demo test lint docs bench demo-data notebooks schemas clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## install: create .venv and install partnerlib with its dependencies and the developer tools
install: $(STAMP)

## demo: set up, then render the demo partnership's review into reports/
demo: install
	$(BIN)/partnerlib render --manifest $(MANIFEST)

## test: set up, then run the whole test suite, measuring coverage in every process (kernels and workers too)
test: install
	rm -rf .coverage && mkdir -p .coverage
	$(BIN)/coverage run -m pytest
	$(BIN)/coverage combine --quiet
	$(BIN)/coverage report

## lint: ruff (lint and format check) and mypy, as CI runs them
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## docs: build the documentation site into site/ (strict: a broken link or reference fails)
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

## bench: run the benchmarks in benchmarks/ and print their figures
bench: install
	$(BIN)/python -m benchmarks

## demo-data: regenerate the demo partnership in data/sample (seeded, byte-identical)
demo-data: install
	$(BIN)/partnerlib demo-data

## notebooks: write each notebook's .ipynb from its jupytext .py pair (outputs stripped, cell ids kept)
notebooks: install
	$(BIN)/jupytext --update --to ipynb --update-metadata '{"jupytext":{"formats":"ipynb,py:percent"}}' notebooks/*.py

## schemas: rewrite the JSON Schemas of the codebook and the manifest in schemas/ from the models
schemas: install
	$(BIN)/partnerlib schemas

## clean: remove generated reports, the docs site, coverage data and the virtual environment
clean:
	rm -rf reports/* site .coverage $(VENV)

help:
	@echo "Targets:"
	@grep -E '^## ' Makefile | sed -e 's/^## /  /'
