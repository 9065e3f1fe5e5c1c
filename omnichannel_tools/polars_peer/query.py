"""The session fact and the additive metric parts of an export, as one Polars lazy query.

The definitions are docs/metrics.md's, the same as the project's and the pandas reference's:
the current row of a key has the greatest versionnumber, then the latest sinkmodifiedon (NULLs
last in both), then a tombstone, then the row read last; a key whose current row is a tombstone
is gone, and a key that is not a canonical GUID is unusable. Sessions on the Entity Records
channel are out of scope (unless asked for); the session date is the creation day in the
reporting time zone.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from omnichannel_tools.polars_peer.columns import scan_table
from omnichannel_tools.reference.schema import (
    CHANNEL_ENTITY_RECORDS,
    CLOSURE_REJECT,
    CLOSURE_TIMEOUT,
    CLOSURE_TRANSFER,
    DEFAULT_SEED,
    GRAIN,
    GUID_PATTERN,
    MODE_PRIMARY,
    PART_COLUMNS,
    PRIMARY_KEYS,
    SESSION_COLUMNS,
    STATE_CLOSED,
)

VERSION_ORDER = ["versionnumber", "sinkmodifiedon", "_tomb", "_row"]


def latest(frame: pl.LazyFrame, by: str, order: list[str]) -> pl.LazyFrame:
    """One row per ``by`` value: the one with the greatest ``order`` values (descending, NULLs last).

    A group-by taking each group's first row in that order: at 1M sessions it beat sorting the
    whole table then keeping each key's first row (7.9 s vs 5.8-6.9 s for the whole query), and
    sorting only the keys with several rows (6.6 s) was no faster.
    """
    return frame.group_by(by).agg(pl.all().sort_by(order, descending=True, nulls_last=True).first())


def current_rows(root: Path, table: str, columns: list[str]) -> pl.LazyFrame:
    """The current, undeleted rows of one table with a canonical GUID key."""
    key = PRIMARY_KEYS[table]
    rows = scan_table(root, table, columns).with_row_index("_row")
    rows = rows.filter(pl.col(key).str.contains(GUID_PATTERN)).with_columns(_tomb=pl.col("isdelete").fill_null(False))
    return latest(rows, key, VERSION_ORDER).filter(~pl.col("_tomb")).select(columns)


def seconds(start: str, end: str) -> pl.Expr:
    """Exact seconds from start to end (microseconds); NULL when either is NULL or end is before start."""
    diff = (pl.col(end).dt.epoch("us") - pl.col(start).dt.epoch("us")) / 1_000_000.0
    return pl.when(diff >= 0).then(diff)


def _primaries(root: Path) -> pl.LazyFrame:
    """Per session: the latest Primary's agent and external flag, and all Primaries' active time."""
    columns = [
        "msdyn_sessionparticipantid",
        "msdyn_omnichannelsession",
        "msdyn_agentid",
        "msdyn_mode",
        "msdyn_addedon",
        "msdyn_joinedon",
        "msdyn_activetime",
        "msdyn_externalparticipantchannel",
    ]
    primary = current_rows(root, "msdyn_sessionparticipant", columns).filter(pl.col("msdyn_mode") == MODE_PRIMARY)
    primary = primary.filter(pl.col("msdyn_omnichannelsession").is_not_null())
    active = primary.group_by("msdyn_omnichannelsession").agg(
        active_time_sum=pl.col("msdyn_activetime").clip(lower_bound=0).fill_null(0).cast(pl.Float64).sum()
    )
    order = ["msdyn_joinedon", "msdyn_addedon", "msdyn_sessionparticipantid"]
    top = latest(primary, "msdyn_omnichannelsession", order).select(
        "msdyn_omnichannelsession",
        agent_id="msdyn_agentid",
        is_external=pl.col("msdyn_externalparticipantchannel").is_not_null() & pl.col("msdyn_joinedon").is_not_null(),
    )
    return top.join(active, on="msdyn_omnichannelsession", how="left")


def _sentiment(root: Path) -> pl.LazyFrame:
    """Per session: pulse and zone of the latest sentiment row (createdon, then id)."""
    columns = [
        "msdyn_ocsessionsentimentid",
        "msdyn_omnichannelsession",
        "msdyn_sentimentpulse",
        "msdyn_sentimentzone",
        "createdon",
    ]
    rows = current_rows(root, "msdyn_ocsessionsentiment", columns)
    rows = rows.filter(pl.col("msdyn_omnichannelsession").is_not_null())
    top = latest(rows, "msdyn_omnichannelsession", ["createdon", "msdyn_ocsessionsentimentid"])
    return top.select(
        "msdyn_omnichannelsession",
        customer_sentiment_pulse="msdyn_sentimentpulse",
        customer_sentiment_zone="msdyn_sentimentzone",
    )


def _bots(root: Path) -> pl.LazyFrame:
    """Ids of the current system users that are bots (a non-empty msdyn_botapplicationid)."""
    users = current_rows(root, "systemuser", ["systemuserid", "msdyn_botapplicationid"])
    return users.filter(pl.col("msdyn_botapplicationid").is_not_null()).select(
        agent_id="systemuserid", is_bot_session=pl.lit(True)
    )


def _closure_labels(seed: Path) -> pl.LazyFrame:
    return pl.scan_csv(seed, schema_overrides={"code": pl.Int32}).select(
        closure_reason_code="code", closure_reason_label="label"
    )


def session_date(created: pl.Expr, reporting_timezone: str) -> pl.Expr:
    """Calendar date of a naive UTC timestamp in the reporting time zone."""
    if reporting_timezone.upper() != "UTC":
        created = created.dt.replace_time_zone("UTC").dt.convert_time_zone(reporting_timezone)
    return created.dt.date()


def session_facts(
    root: Path,
    reporting_timezone: str = "UTC",
    exclude_entity_records: bool = True,
    closure_seed: Path = DEFAULT_SEED,
) -> pl.LazyFrame:
    """One row per current in-scope session with the fact's columns (a lazy frame)."""
    columns = SESSION_COLUMNS
    root = Path(root)
    sessions = current_rows(root, "msdyn_ocsession", columns)
    if exclude_entity_records:
        sessions = sessions.filter(pl.col("msdyn_channel").ne_missing(CHANNEL_ENTITY_RECORDS))
    code = pl.col("closure_reason_code")
    joined = (
        sessions.rename(
            {
                "activityid": "session_id",
                "msdyn_liveworkitemid": "conversation_id",
                "msdyn_channel": "channel_code",
                "msdyn_sessioncreatedon": "created_at",
                "msdyn_agentassignedon": "assigned_at",
                "msdyn_agentacceptedon": "accepted_at",
                "msdyn_sessionclosedon": "closed_at",
                "msdyn_closurereason": "closure_reason_code",
            }
        )
        .join(_primaries(root), left_on="session_id", right_on="msdyn_omnichannelsession", how="left")
        .join(_sentiment(root), left_on="session_id", right_on="msdyn_omnichannelsession", how="left")
        .join(_bots(root), on="agent_id", how="left")
        .join(_closure_labels(closure_seed), on="closure_reason_code", how="left")
    )
    facts = joined.with_columns(
        # the lookup to queue when exported, else the legacy omnichannel queue
        queue_id=pl.coalesce("msdyn_cdsqueueid", "msdyn_queueid"),
        session_date=session_date(pl.col("created_at"), reporting_timezone),
        is_bot_session=pl.col("is_bot_session").fill_null(False),
        is_closed=pl.col("closed_at").is_not_null() | (pl.col("msdyn_state") == STATE_CLOSED).fill_null(False),
        is_assigned=pl.col("assigned_at").is_not_null(),
        is_engaged=pl.col("accepted_at").is_not_null(),
        closure_reason_label=pl.when(code.is_not_null()).then(pl.col("closure_reason_label").fill_null("Unknown")),
        is_transferred_out=code.is_in(list(CLOSURE_TRANSFER)).fill_null(False),
        is_rejected=(code == CLOSURE_REJECT).fill_null(False),
        is_timed_out=(code == CLOSURE_TIMEOUT).fill_null(False),
        is_handled_by_external_participant=pl.col("is_external").fill_null(False),
        time_to_accept_seconds=seconds("assigned_at", "accepted_at"),
    ).with_columns(
        is_active=~pl.col("is_closed"),
        wait_time_seconds=pl.when("is_closed").then(_wait_seconds()),
        time_to_reject_seconds=pl.when("is_rejected").then(seconds("assigned_at", "closed_at")),
        handle_time_seconds=pl.when("is_engaged").then(pl.col("active_time_sum").fill_null(0.0)),
    )
    return facts.drop(
        "msdyn_queueid", "msdyn_cdsqueueid", "msdyn_channelinstanceid", "msdyn_state", "is_external", "active_time_sum"
    )


def _wait_seconds() -> pl.Expr:
    """Seconds from creation to acceptance, or to closing when never accepted."""
    end = pl.coalesce("accepted_at", "closed_at")
    diff = (end.dt.epoch("us") - pl.col("created_at").dt.epoch("us")) / 1_000_000.0
    return pl.when(diff >= 0).then(diff)


def metric_parts(facts: pl.LazyFrame) -> pl.LazyFrame:
    """Additive metric parts of agent (not bot) sessions at the reporting grain (NULLs form groups)."""
    handled = pl.col("is_closed") & pl.col("is_engaged")
    parts = (
        facts.filter(~pl.col("is_bot_session"))
        .group_by(GRAIN)
        .agg(
            total_sessions=pl.len(),
            active_sessions=pl.col("is_active").sum(),
            closed_sessions=pl.col("is_closed").sum(),
            engaged_sessions=pl.col("is_engaged").sum(),
            assigned_sessions=pl.col("is_assigned").sum(),
            transferred_sessions=pl.col("is_transferred_out").sum(),
            rejected_sessions=pl.col("is_rejected").sum(),
            timeout_sessions=pl.col("is_timed_out").sum(),
            time_to_reject_seconds_sum=pl.col("time_to_reject_seconds").sum(),
            time_to_reject_count=pl.col("time_to_reject_seconds").count(),
            time_to_accept_seconds_sum=pl.col("time_to_accept_seconds").sum(),
            time_to_accept_count=pl.col("time_to_accept_seconds").count(),
            wait_time_seconds_sum=pl.col("wait_time_seconds").sum(),
            wait_time_count=pl.col("wait_time_seconds").count(),
            handle_time_seconds_sum=pl.col("handle_time_seconds").filter(handled).sum(),
            handle_time_count=pl.col("handle_time_seconds").filter(handled).count(),
            sentiment_pulse_sum=pl.col("customer_sentiment_pulse").sum(),
            sentiment_count=pl.col("customer_sentiment_pulse").count(),
            external_handled_sessions=pl.col("is_handled_by_external_participant").sum(),
        )
    )
    counts = [c for c in PART_COLUMNS if not c.endswith("_sum")]
    return parts.with_columns(pl.col(counts).cast(pl.Int64), pl.col("^.*_sum$").cast(pl.Float64)).select(
        *GRAIN, *PART_COLUMNS
    )


def metric_totals(parts: pl.LazyFrame, engine: str = "streaming") -> dict[str, float]:
    """Column totals of the metric parts (every part column, as float): the query, collected once."""
    row = parts.select(pl.col(PART_COLUMNS).sum()).collect(engine=engine).row(0, named=True)
    return {name: float(value or 0) for name, value in row.items()}
