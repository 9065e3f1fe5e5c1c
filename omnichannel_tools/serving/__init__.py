"""Publish on green: after a fully green `dbt build`, copy what BI tools read into a serving file.

verdict: is the last build green (target/run_results.json, target/manifest.json)? publish: write
the serving DuckDB file (marts and metric views only) and put it in place atomically. cli: the
`make publish` command.
"""

from omnichannel_tools.serving.publish import PublishReport, publish, served_models
from omnichannel_tools.serving.verdict import BuildVerdict, build_verdict

__all__ = ["BuildVerdict", "PublishReport", "build_verdict", "publish", "served_models"]
