"""dbt-duckdb plugins of the project (profiles.yml ``plugins:``): delta_files, the Delta reader's file list."""
