"""Tests of the Spark loader and of Spark = DuckDB (marker spark, run by make test-spark only)."""
