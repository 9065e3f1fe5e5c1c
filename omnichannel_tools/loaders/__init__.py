"""Loaders: copy an export's files into an engine that reads tables, not files.

spark (``python -m omnichannel_tools.loaders.spark``): one managed Spark table per table
folder; spark_session: the local PySpark session on the dbt ``spark`` target's catalog.
Neither imports PySpark until a session is needed.
"""
