"""A local PySpark session on the catalog of the dbt ``spark`` target.

The Spark parameters live in one place, ``profiles.yml`` (outputs.spark): this module reads
them from there and renders their ``env_var(...)`` calls the way dbt does, so the loader, dbt
and the parity test open the same Hive metastore and warehouse (``DBT_SPARK_DIR``, default
``<repo>/.spark``). The metastore is an embedded Derby database: one process at a time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import yaml

from omnichannel_tools.paths import REPO_ROOT

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

PROFILE_NAME = "omnichannel_analytics"
SPARK_OUTPUT = "spark"
DEFAULT_SPARK_DIR = REPO_ROOT / ".spark"


def _env_var(name: str, default: str | None = None) -> str:
    """dbt's env_var: the variable's value, else the default, else an error."""
    value = os.environ.get(name, default)
    if value is None:
        raise KeyError(f"Env var required but not provided: '{name}'")
    return value


def _spark_output(profiles_dir: Path | None = None) -> dict[str, Any]:
    folder = profiles_dir or Path(os.environ.get("DBT_PROFILES_DIR", REPO_ROOT))
    profiles = yaml.safe_load((folder / "profiles.yml").read_text())
    return profiles[PROFILE_NAME]["outputs"][SPARK_OUTPUT]


def _render(value: object) -> str:
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    return environment.from_string(str(value)).render(env_var=_env_var)


def _with_spark_dir_default() -> None:
    """Outside the Makefile, the catalog is <repo>/.spark whatever the working directory."""
    os.environ.setdefault("DBT_SPARK_DIR", str(DEFAULT_SPARK_DIR))


def spark_parameters(profiles_dir: Path | None = None) -> dict[str, str]:
    """The server_side_parameters of the dbt spark target, rendered; ANSI mode off as dbt-spark sets it."""
    _with_spark_dir_default()
    raw = _spark_output(profiles_dir).get("server_side_parameters", {})
    parameters = {str(key): _render(value) for key, value in raw.items()}
    parameters["spark.sql.ansi.enabled"] = "false"  # dbt-spark forces this on every session
    return parameters


def spark_target_schema(profiles_dir: Path | None = None) -> str:
    """The schema the dbt spark target builds into."""
    _with_spark_dir_default()
    return _render(_spark_output(profiles_dir)["schema"])


def spark_session(profiles_dir: Path | None = None) -> SparkSession:
    """The process's SparkSession, configured as the dbt spark target (Hive catalog, UTC)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in spark_parameters(profiles_dir).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
