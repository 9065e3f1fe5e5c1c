"""Benchmark of the project against the floor (hand-written DuckDB SQL) and the peer (pandas).

    python -m omnichannel_tools.benchmark --sessions 1000000 --repeat 3

(also ``make bench``, or the shim ``bench/run_bench.py``). Generates (and caches under
bench/cache/<N>/export) a Parquet demo export of N sessions, then measures, alternating the
contenders and repeating each ``--repeat`` times (median):

- floor:    bench/floor.sql, one DuckDB process, fct_sessions + the metric aggregate;
- models:   the project's ``dbt build`` of seeds and models, no tests, into a fresh warehouse;
- full:     the project's full ``dbt build`` (with every data and unit test), fresh warehouse;
- peer:     omnichannel_tools.reference, the plain pandas implementation.

It checks that the three implementations give the same metric totals, times the BI queries on
every metric view (pre-aggregated table vs the same aggregate over fct_sessions), an incremental
``dbt build`` after a 1 % change of the export vs a full one, and ``dbt parse`` with and without
partial parsing; prints the tables and writes them into BENCHMARKS.md (one section per size,
replaced on re-run) and the raw figures into bench/results/<N>.json.

Peak RSS is that of the whole process tree: a sampler thread sums the resident set of the
process and all its descendants (/proc/<pid>/statm, every 50 ms); the figure reported is the
larger of that sampled peak and the exact high-water mark of the largest single process of the
tree (``ru_maxrss`` from ``wait4``), so a spike shorter than the sampling period is not missed
when one process does the work (dbt + DuckDB, the floor, the peer all do).

Modules: settings (paths, contenders, labels), measure (timing, process-tree RSS), export (the
cached export), contenders (the dbt builds, the floor, the peer, the rounds), agreement (metric
totals compared), bi_queries, parse_timing (dbt parse, compile profile), incremental (the 1 %
change), report (BENCHMARKS.md), run (one size end to end), cli.
"""
