"""Fast tests of the Python tools: no dbt build (marker unit, make test-fast)."""
