"""Tests that run dbt builds of generated exports (marker build)."""
