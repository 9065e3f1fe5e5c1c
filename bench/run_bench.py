#!/usr/bin/env python3
"""Benchmark of the project against the floor and the peer: a shim of ``python -m omnichannel_tools.benchmark``.

The benchmark lives in the package omnichannel_tools.benchmark (its docstring says what is measured).
"""

from omnichannel_tools.benchmark.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
