"""``python -m omnichannel_tools.benchmark``: see omnichannel_tools.benchmark.cli."""

from omnichannel_tools.benchmark.cli import main

raise SystemExit(main(prog="python -m omnichannel_tools.benchmark"))
