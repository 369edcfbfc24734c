# partnerlib: `make help` lists the targets. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANIFEST ?= data/sample/reviews.yml

.DEFAULT_GOAL := help
.PHONY: help install demo test bench demo-data notebooks clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

## install: create .venv and install partnerlib with its dependencies
install: $(STAMP)

## demo: set up, then render the demo partnership's review into reports/
demo: install
	$(BIN)/partnerlib render --manifest $(MANIFEST)

## test: set up, then run the whole test suite
test: install
	$(BIN)/python -m pytest

## bench: run the benchmarks in benchmarks/ and print their figures
bench: install
	$(BIN)/python -m benchmarks

## demo-data: regenerate the demo partnership in data/sample (seeded, byte-identical)
demo-data: install
	$(BIN)/partnerlib demo-data

## notebooks: write each notebook's .ipynb from its jupytext .py pair (outputs stripped)
notebooks: install
	$(BIN)/jupytext --to ipynb --update-metadata '{"jupytext":{"formats":"ipynb,py:percent"}}' notebooks/*.py

## clean: remove generated reports and the virtual environment
clean:
	rm -rf reports/* $(VENV)

help:
	@echo "Targets:"
	@grep -E '^## ' Makefile | sed -e 's/^## /  /'
