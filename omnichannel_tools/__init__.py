"""Python tools of the Omnichannel session analytics project, one job per sub-package or module.

generator (the demo export), reference (the pandas reference), loaders (Spark), benchmark
(``make bench``), catalogue (the metric catalogue), figures (``make run``), change (an
incremental change of an export), dbt_runner (dbt runs for tests and tools), paths.
"""
