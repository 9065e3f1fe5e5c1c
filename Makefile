# Two commands on a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DBT := $(BIN)/dbt
STAMP := $(VENV)/.installed-$(shell cat requirements.txt constraints.txt | md5sum | cut -c1-12)

SESSIONS ?= 20000
SEED ?= 42
DEMO_DIR := $(CURDIR)/data/demo_export
WAREHOUSE_DIR := $(CURDIR)/warehouse

export DBT_PROFILES_DIR := $(CURDIR)
export DBT_DUCKDB_PATH ?= $(WAREHOUSE_DIR)/omnichannel.duckdb
export DBT_DUCKDB_TEMP_DIRECTORY ?= $(WAREHOUSE_DIR)/duckdb_tmp
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DATAVERSE_PATH ?= $(DEMO_DIR)
DBT_VARS = --vars '{dataverse_path: "$(DATAVERSE_PATH)", dataverse_format: parquet}'

.PHONY: help setup demo run test lint dbt-test pytest clean

help:
	@echo "make run   - set up, generate the demo export if missing, dbt build, print headline figures"
	@echo "make test  - set up, sqlfluff lint, dbt build with every test on the demo export, pytest"

$(STAMP): requirements.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

$(DEMO_DIR)/_COMPLETE: | $(STAMP)
	$(PY) -m omnichannel_tools.generate --out $(DEMO_DIR) --sessions $(SESSIONS) --seed $(SEED) --format parquet
	touch $@

demo: $(DEMO_DIR)/_COMPLETE

run: setup demo
	mkdir -p $(WAREHOUSE_DIR)
	$(DBT) build $(DBT_VARS)
	$(PY) -m omnichannel_tools.figures --warehouse $(DBT_DUCKDB_PATH)

lint: setup demo
	$(BIN)/sqlfluff lint models macros tests

dbt-test: export DBT_DUCKDB_PATH := $(WAREHOUSE_DIR)/test.duckdb
dbt-test: setup demo
	mkdir -p $(WAREHOUSE_DIR)
	rm -f $(DBT_DUCKDB_PATH)
	$(DBT) build $(DBT_VARS)

pytest: export OMNICHANNEL_TEST_WAREHOUSE := $(WAREHOUSE_DIR)/test.duckdb
pytest: export OMNICHANNEL_TEST_EXPORT := $(DATAVERSE_PATH)
pytest: setup demo
	$(PY) -m pytest

test: lint dbt-test pytest

clean:
	rm -rf target logs warehouse data/demo_export
