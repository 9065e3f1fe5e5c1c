# Two commands on a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DBT := $(BIN)/dbt
# Keyed by the pins and pyproject.toml (the package's metadata and entry points).
STAMP := $(VENV)/.installed-$(shell cat requirements.txt constraints.txt pyproject.toml | md5sum | cut -c1-12)

SESSIONS ?= 20000
SEED ?= 42
DEMO_DIR := $(CURDIR)/data/demo_export
WAREHOUSE_DIR := $(CURDIR)/warehouse

export DBT_PROFILES_DIR := $(CURDIR)
export DBT_DUCKDB_PATH ?= $(WAREHOUSE_DIR)/omnichannel.duckdb
export DBT_DUCKDB_TEMP_DIRECTORY ?= $(WAREHOUSE_DIR)/duckdb_tmp
# The serving file BI tools open: written by `make publish` after a fully green build only.
export DBT_DUCKDB_SERVING_PATH ?= $(WAREHOUSE_DIR)/serving.duckdb
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DATAVERSE_PATH ?= $(DEMO_DIR)
# Spark target (profiles.yml): Hive metastore and warehouse folder, absolute (git-ignored).
export DBT_SPARK_DIR ?= $(CURDIR)/.spark
DBT_VARS = --vars '{dataverse_path: "$(DATAVERSE_PATH)"}'

.PHONY: help setup demo run publish test test-fast lint lint-python dbt-test pytest clean

help:
	@echo "make run   - set up, generate the demo export if missing, dbt build, print headline figures, publish"
	@echo "make publish - after a fully green dbt build, write the serving file BI tools open (atomically)"
	@echo "make test  - set up, lint (sqlfluff, ruff), dbt build with every test on the demo export, pytest"
	@echo "make test-fast - the fast Python unit tests only (pytest -m unit, no dbt build)"
	@echo "make test-spark - the same project on a local Spark: load, dbt build --target spark, parity with DuckDB"
	@echo "make test-postgres - the same on a throwaway local PostgreSQL: load, dbt build --target postgres, BI role, parity"
	@echo "make dashboard - serve the Streamlit dashboard on 127.0.0.1:\$${DASHBOARD_PORT:-8501} (after make run)"
	@echo "make test-browser - headless Chromium against the running dashboard and the docs site (screenshots)"
	@echo "make docs  - dbt docs generate --static: one HTML file, target/static_index.html"
	@echo "make test-metricflow - install MetricFlow (optional extra); mf query equals the SQL views for the 14 metrics"

$(STAMP): requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

# An export is regenerated when the generator changes (a checkout that adds tables or columns).
GENERATOR_SOURCES := $(wildcard omnichannel_tools/generator/*.py)

$(DEMO_DIR)/_COMPLETE: $(GENERATOR_SOURCES) | $(STAMP)
	rm -rf $(DEMO_DIR)
	$(PY) -m omnichannel_tools.generator --out $(DEMO_DIR) --sessions $(SESSIONS) --seed $(SEED) --format parquet
	touch $@

demo: $(DEMO_DIR)/_COMPLETE

# A failed build publishes nothing: publish then says why, and make run fails.
# make run builds every model and runs every data test (they check the export), not the unit
# tests: their inputs are static, they check the code, and make test and CI run them
# (DECISIONLOG "Cold start"). `make run RUN_ARGS=` runs them too.
RUN_ARGS ?= --exclude-resource-type unit_test
run: setup demo
	mkdir -p $(WAREHOUSE_DIR)
	$(DBT) build $(DBT_VARS) $(RUN_ARGS) || { $(PY) -m omnichannel_tools.serving || true; exit 1; }
	$(PY) -m omnichannel_tools.figures --warehouse $(DBT_DUCKDB_PATH)
	$(PY) -m omnichannel_tools.serving

# Publish the last build (target/run_results.json) if it is fully green: every model built, every
# error-severity test passed. Writes $(DBT_DUCKDB_SERVING_PATH) beside itself, then renames it in place.
publish: setup
	$(PY) -m omnichannel_tools.serving

lint: lint-python setup demo
	$(BIN)/sqlfluff lint models macros tests

# Python: ruff lint and format check (pyproject.toml [tool.ruff]); `ruff format .` fixes the format.
lint-python: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

dbt-test: export DBT_DUCKDB_PATH := $(WAREHOUSE_DIR)/test.duckdb
dbt-test: setup demo
	mkdir -p $(WAREHOUSE_DIR)
	rm -f $(DBT_DUCKDB_PATH)
	$(DBT) build $(DBT_VARS)
	$(PY) -m omnichannel_tools.checks.house_rules --manifest target/manifest.json --warehouse $(DBT_DUCKDB_PATH)
	$(DBT) source freshness $(DBT_VARS) --output target/sources.json

pytest: export OMNICHANNEL_TEST_WAREHOUSE := $(WAREHOUSE_DIR)/test.duckdb
pytest: export OMNICHANNEL_TEST_EXPORT := $(DATAVERSE_PATH)
pytest: setup demo
	$(PY) -m pytest

# The test exports are small, with many quick nodes: there two dbt threads help.
dbt-test pytest: export DBT_THREADS ?= 2

test: lint dbt-test pytest

# The fast unit tests (marker unit: no dbt build), in seconds.
test-fast: setup
	$(PY) -m pytest -m unit

# Benchmark (never part of `make test` or CI): the project vs hand-written DuckDB SQL (the floor)
# and pandas (the peer) on a cached demo export of SESSIONS sessions; writes BENCHMARKS.md.
# make bench SESSIONS=10000000; make bench SESSIONS=100000000 REPEAT=1 BENCH_ARGS=--skip=peer,full
.PHONY: bench
bench: SESSIONS := 1000000
REPEAT ?= 3
BENCH_ARGS ?=
bench: $(STAMP)
	$(PY) -m omnichannel_tools.benchmark --sessions $(SESSIONS) --repeat $(REPEAT) $(BENCH_ARGS)

# Spark (make test-spark): the Spark toolchain on top of the DuckDB one (its own stamp), a small
# demo export in Parquet and in CSV, each loaded into a fresh local catalog in .spark/test (Hive
# metastore + warehouse); dbt build --target spark with every test on the Parquet export, the
# models on the CSV one (its text parsing), then the parity test: each Spark build = DuckDB's.
SPARK_STAMP := $(VENV)/.spark-installed-$(shell cat requirements-spark.txt constraints-spark.txt constraints.txt | md5sum | cut -c1-12)
SPARK_SESSIONS ?= 3000
SPARK_EXPORT_DIR := $(CURDIR)/data/spark_export
SPARK_CSV_EXPORT_DIR := $(CURDIR)/data/spark_export_csv
SPARK_TEST_DIR := $(CURDIR)/.spark/test
SPARK_SCHEMA := omnichannel
SPARK_CSV_SCHEMA := omnichannel_csv

.PHONY: spark-setup test-spark

$(SPARK_STAMP): requirements-spark.txt constraints-spark.txt constraints.txt | $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-spark.txt -c constraints.txt -c constraints-spark.txt
	rm -f $(VENV)/.spark-installed-*
	touch $@

spark-setup: $(SPARK_STAMP)

$(SPARK_EXPORT_DIR)/_COMPLETE: $(GENERATOR_SOURCES) | $(STAMP)
	rm -rf $(SPARK_EXPORT_DIR)
	$(PY) -m omnichannel_tools.generator --out $(SPARK_EXPORT_DIR) --sessions $(SPARK_SESSIONS) --seed $(SEED) --format parquet
	touch $@

$(SPARK_CSV_EXPORT_DIR)/_COMPLETE: $(GENERATOR_SOURCES) | $(STAMP)
	rm -rf $(SPARK_CSV_EXPORT_DIR)
	$(PY) -m omnichannel_tools.generator --out $(SPARK_CSV_EXPORT_DIR) --sessions $(SPARK_SESSIONS) --seed $(SEED) --format csv
	touch $@

test-spark: export DBT_SPARK_DIR := $(SPARK_TEST_DIR)
test-spark: export OMNICHANNEL_SPARK_BUILDS := parquet:$(SPARK_EXPORT_DIR):$(SPARK_SCHEMA) csv:$(SPARK_CSV_EXPORT_DIR):$(SPARK_CSV_SCHEMA)
test-spark: spark-setup $(SPARK_EXPORT_DIR)/_COMPLETE $(SPARK_CSV_EXPORT_DIR)/_COMPLETE
	rm -rf $(SPARK_TEST_DIR)
	mkdir -p $(SPARK_TEST_DIR)
	$(PY) -m omnichannel_tools.loaders.spark --export $(SPARK_EXPORT_DIR) --format parquet --schema dataverse
	$(PY) -m omnichannel_tools.loaders.spark --export $(SPARK_CSV_EXPORT_DIR) --format csv --schema dataverse_csv
	DBT_SPARK_SCHEMA=$(SPARK_SCHEMA) $(DBT) build --target spark --vars '{dataverse_schema: dataverse}'
	DBT_SPARK_SCHEMA=$(SPARK_CSV_SCHEMA) $(DBT) build --target spark --resource-type seed --resource-type model \
		--vars '{dataverse_schema: dataverse_csv}'
	$(PY) -m pytest -m spark tests/python/spark

# The dashboard (omnichannel_tools.dashboard): reads the serving file DBT_DUCKDB_SERVING_PATH
# (default warehouse/serving.duckdb, written by `make run`'s publish) read-only, or Postgres with
# DASHBOARD_ENGINE=postgres.
DASHBOARD_PORT ?= 8501
.PHONY: dashboard
dashboard: setup
	@if [ ! -f "$(DBT_DUCKDB_SERVING_PATH)" ] && [ -f "$(DBT_DUCKDB_PATH)" ]; then \
		echo "No serving file at $(DBT_DUCKDB_SERVING_PATH): reading the build warehouse $(DBT_DUCKDB_PATH) (read-only)."; \
		export DBT_DUCKDB_SERVING_PATH="$(DBT_DUCKDB_PATH)"; \
	fi; \
	$(PY) -m omnichannel_tools.dashboard --address 127.0.0.1 --port $(DASHBOARD_PORT)

# Browser tests (pytest marker browser, never in `make test`: Chromium and a served app take a while):
# the running dashboard and the docs site in headless Chromium (Debian's chromium package,
# installed here when missing); screenshots in target/test-artifacts.
.PHONY: chromium test-browser docs
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test-browser: export OMNICHANNEL_TEST_WAREHOUSE := $(WAREHOUSE_DIR)/test.duckdb
test-browser: export OMNICHANNEL_TEST_EXPORT := $(DATAVERSE_PATH)
test-browser: export OMNICHANNEL_TEST_ARTIFACTS := $(CURDIR)/target/test-artifacts
# The browser tests read the warehouse `make test` built; alone, they build it first.
$(WAREHOUSE_DIR)/test.duckdb:
	$(MAKE) dbt-test

test-browser: export DBT_DUCKDB_PATH := $(WAREHOUSE_DIR)/test.duckdb
test-browser: setup demo chromium $(WAREHOUSE_DIR)/test.duckdb docs
	$(PY) -m pytest -m browser tests/python/browser

# MetricFlow (the optional extra, its own pins and stamp): `mf query` for the 14 session metrics at day
# grain and by queue equals the SQL views (pytest marker metricflow), on the warehouse `make test` built.
MF_STAMP := $(VENV)/.metricflow-installed-$(shell cat requirements-metricflow.txt constraints-metricflow.txt constraints.txt | md5sum | cut -c1-12)
.PHONY: metricflow-setup test-metricflow
$(MF_STAMP): requirements-metricflow.txt constraints-metricflow.txt constraints.txt | $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-metricflow.txt -c constraints.txt -c constraints-metricflow.txt
	rm -f $(VENV)/.metricflow-installed-*
	touch $@

metricflow-setup: $(MF_STAMP)

test-metricflow: export OMNICHANNEL_TEST_WAREHOUSE := $(WAREHOUSE_DIR)/test.duckdb
test-metricflow: export OMNICHANNEL_TEST_EXPORT := $(DATAVERSE_PATH)
test-metricflow: metricflow-setup demo $(WAREHOUSE_DIR)/test.duckdb
	$(PY) -m pytest -m metricflow tests/python/metricflow

# The docs site as one HTML file (target/static_index.html), catalog read from DBT_DUCKDB_PATH.
docs: setup demo
	mkdir -p $(WAREHOUSE_DIR)
	$(DBT) docs generate --static $(DBT_VARS)
	@echo "Docs site: $(CURDIR)/target/static_index.html (open it in a browser; no server needed)"

clean:
	rm -rf target logs warehouse data/demo_export data/spark_export data/spark_export_csv .spark

# PostgreSQL (make test-postgres): the PostgreSQL toolchain on top of the DuckDB one (its own
# stamp); Debian's `postgresql` server, installed when missing; a throwaway cluster on 127.0.0.1
# in a temporary folder (omnichannel_tools.loaders.postgres_cluster: random superuser password,
# stopped and removed whatever happens) holding the same two small demo exports as Spark, loaded
# by COPY; dbt build --target postgres with every test on the Parquet export (the BI role granted),
# the models on the CSV one, each published (the marts schema swapped in); then the pytest marker
# postgres: loader, BI role, reads during a rebuild, parity with DuckDB.
POSTGRES_STAMP := $(VENV)/.postgres-installed-$(shell cat requirements-postgres.txt constraints-postgres.txt constraints.txt | md5sum | cut -c1-12)
POSTGRES_SCHEMA := omnichannel
POSTGRES_CSV_SCHEMA := omnichannel_csv
POSTGRES_TARGET_PATH := $(CURDIR)/target/postgres
export BI_ROLE ?= bi_reader
POSTGRES_VARS = bi_role: $(BI_ROLE)

.PHONY: postgres-setup postgres-server test-postgres postgres-suite

$(POSTGRES_STAMP): requirements-postgres.txt constraints-postgres.txt constraints.txt | $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-postgres.txt -c constraints.txt -c constraints-postgres.txt
	rm -f $(VENV)/.postgres-installed-*
	touch $@

postgres-setup: $(POSTGRES_STAMP)

# Debian's server binaries (/usr/lib/postgresql/<version>/bin); CI runs as root.
postgres-server:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

test-postgres: postgres-setup postgres-server $(SPARK_EXPORT_DIR)/_COMPLETE $(SPARK_CSV_EXPORT_DIR)/_COMPLETE
	$(PY) -m omnichannel_tools.loaders.postgres_cluster -- $(MAKE) --no-print-directory postgres-suite

# Inside the cluster of test-postgres (its connection in DBT_POSTGRES_*): never run alone.
postgres-suite: export OMNICHANNEL_POSTGRES_BUILDS := parquet:$(SPARK_EXPORT_DIR):$(POSTGRES_SCHEMA) csv:$(SPARK_CSV_EXPORT_DIR):$(POSTGRES_CSV_SCHEMA)
postgres-suite: export DBT_TARGET := postgres
postgres-suite:
	@test -n "$${DBT_POSTGRES_PORT:-}" || { echo "postgres-suite runs inside make test-postgres"; exit 2; }
	$(PY) -m omnichannel_tools.serving.postgres_role --role $(BI_ROLE)
	$(PY) -m omnichannel_tools.loaders.postgres --export $(SPARK_EXPORT_DIR) --format parquet --schema dataverse
	$(PY) -m omnichannel_tools.loaders.postgres --export $(SPARK_CSV_EXPORT_DIR) --format csv --schema dataverse_csv
	DBT_POSTGRES_SCHEMA=$(POSTGRES_SCHEMA) $(DBT) build --target-path $(POSTGRES_TARGET_PATH) \
		--vars '{dataverse_schema: dataverse, $(POSTGRES_VARS)}'
	$(PY) -m omnichannel_tools.serving.postgres_publish --target-dir $(POSTGRES_TARGET_PATH) \
		--schema $(POSTGRES_SCHEMA) --role $(BI_ROLE)
	DBT_POSTGRES_SCHEMA=$(POSTGRES_CSV_SCHEMA) $(DBT) build --target-path $(POSTGRES_TARGET_PATH)_csv \
		--resource-type seed --resource-type model --vars '{dataverse_schema: dataverse_csv, $(POSTGRES_VARS)}'
	$(PY) -m omnichannel_tools.serving.postgres_publish --target-dir $(POSTGRES_TARGET_PATH)_csv \
		--schema $(POSTGRES_CSV_SCHEMA) --role $(BI_ROLE)
	$(PY) -m pytest -m postgres tests/python/postgres
