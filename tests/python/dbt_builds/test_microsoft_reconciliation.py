"""Every reproduction query of docs/microsoft-reconciliation.md (blocks marked `-- reproduces: <name>`),
run on the built warehouse, equals Microsoft's formula computed here in pandas from the raw export
(current rows, the project's parsing rules), per session_date.

The pandas side follows Microsoft's published DAX and filters as the document reads them, not the
SQL: whole-second date differences (DAX DATEDIFF), distinct display ids, incoming = distinct
non-outbound conversations with an agent session, and so on.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import duckdb
import numpy as np
import pandas as pd
import pytest

from omnichannel_tools import reference
from omnichannel_tools.paths import REPO_ROOT

DOCUMENT = REPO_ROOT / "docs" / "microsoft-reconciliation.md"
PRIMARY, STATE_ACTIVE, STATE_CLOSED, STATUS_COMPLETED = 192350002, 192350001, 192350002, 2


def reproduction_queries() -> dict[str, str]:
    blocks = re.findall(r"```sql\n(-- reproduces: (\w+)\n.*?)```", DOCUMENT.read_text(), re.S)
    return {name: sql for sql, name in blocks}


@pytest.fixture(scope="module")
def export_tables(built_project) -> dict[str, pd.DataFrame]:
    return reference.load_export(built_project.export, "parquet")


@pytest.fixture(scope="module")
def sessions(export_tables) -> pd.DataFrame:
    """The reference's session facts with the session columns Microsoft's formulas also read."""
    facts = reference.session_facts(export_tables)
    raw = export_tables["msdyn_ocsession"][["activityid", "msdyn_sessionid", "msdyn_state", "statuscode"]]
    facts = facts.merge(raw, left_on="session_id", right_on="activityid", how="left")
    conversations = export_tables["msdyn_ocliveworkitem"][["activityid", "msdyn_isoutbound"]]
    outbound = facts["conversation_id"].map(conversations.set_index("activityid")["msdyn_isoutbound"])
    facts["is_outbound"] = outbound.fillna(False).astype(bool)
    facts["session_date"] = pd.to_datetime(facts["session_date"]).dt.date
    return facts


def whole_seconds(start: pd.Series, end: pd.Series) -> pd.Series:
    """DAX DATEDIFF(start, end, SECOND): second boundaries crossed."""
    return (end.dt.floor("s") - start.dt.floor("s")).dt.total_seconds()


def by_date(values: pd.Series, dates: pd.Series, how: str) -> pd.Series:
    grouped = values.groupby(dates)
    if how == "sum":
        return grouped.sum(min_count=1)
    if how == "mean":
        return grouped.mean()
    return grouped.nunique() if how == "nunique" else grouped.size()


def agent(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[~frame["is_bot_session"]]


def incoming_conversations(s: pd.DataFrame) -> pd.Series:
    rows = agent(s)
    rows = rows[rows["conversation_id"].notna() & ~rows["is_outbound"]]
    return by_date(rows["conversation_id"], rows["session_date"], "nunique")


def historical_rate(s: pd.DataFrame, flag: str, count_column: str, rate_column: str, agents: bool) -> pd.DataFrame:
    rows = agent(s) if agents else s
    rows = rows[rows[flag]]
    counted = by_date(rows["msdyn_sessionid"], rows["session_date"], "nunique")
    incoming = incoming_conversations(s)
    frame = pd.concat({"counted": counted, "incoming": incoming}, axis=1)
    frame[count_column] = frame["counted"].fillna(0)
    frame[rate_column] = frame[count_column] / frame["incoming"].where(frame["incoming"] != 0)
    return frame[[count_column, rate_column]]


def realtime_rate(s: pd.DataFrame, flag: str, column: str) -> pd.DataFrame:
    rows = agent(s)
    numerator = by_date(rows[flag].astype(int), rows["session_date"], "sum")
    closed = by_date((rows["msdyn_state"] == STATE_CLOSED).astype(int), rows["session_date"], "sum")
    return (numerator / closed.where(closed != 0)).rename(column).to_frame()


def count_where(s: pd.DataFrame, mask: pd.Series, column: str) -> pd.DataFrame:
    rows = agent(s)[mask[agent(s).index]]
    return by_date(rows["session_id"], rows["session_date"], "size").rename(column).to_frame()


def historical_engaged(s: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    participants = tables["msdyn_sessionparticipant"]
    joined = participants[(participants["msdyn_mode"] == PRIMARY) & participants["msdyn_joinedon"].notna()]
    return count_where(s, s["session_id"].isin(joined["msdyn_omnichannelsession"]), "engaged_sessions")


def historical_handle_time(s: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    participants = tables["msdyn_sessionparticipant"]
    active = participants["msdyn_activetime"].where(participants["msdyn_activetime"] >= 0)  # a negative one is a fault
    kept = (participants["msdyn_mode"] == PRIMARY) & participants["msdyn_joinedon"].notna() & active.notna()
    per_session = active[kept].groupby(participants.loc[kept, "msdyn_omnichannelsession"]).sum()
    rows = agent(s)
    rows = rows[(rows["statuscode"] == STATUS_COMPLETED) & rows["session_id"].isin(per_session.index)]
    minutes = rows["session_id"].map(per_session).astype("float64")
    return (by_date(minutes, rows["session_date"], "mean") / 60.0).rename("avg_session_handle_time_minutes").to_frame()


def waits(rows: pd.DataFrame) -> pd.Series:
    return whole_seconds(rows["created_at"], rows["accepted_at"].fillna(rows["closed_at"]))


def rejected_time(rows: pd.DataFrame) -> pd.DataFrame:
    seconds = whole_seconds(rows["assigned_at"], rows["closed_at"])
    return by_date(seconds, rows["session_date"], "sum").rename("time_to_reject_seconds").to_frame()


Expected = Callable[[pd.DataFrame, dict[str, pd.DataFrame]], pd.DataFrame]

EXPECTED: dict[str, Expected] = {
    "historical_incoming_conversations": lambda s, t: (
        incoming_conversations(s).rename("incoming_conversations").to_frame()
    ),
    "realtime_active_sessions": lambda s, t: count_where(s, s["msdyn_state"] == STATE_ACTIVE, "active_sessions"),
    "realtime_closed_sessions": lambda s, t: count_where(s, s["msdyn_state"] == STATE_CLOSED, "closed_sessions"),
    "historical_engaged_sessions": historical_engaged,
    "historical_session_transfer_rate": lambda s, t: historical_rate(
        s, "is_transferred_out", "transferred_sessions", "session_transfer_rate", agents=False
    ),
    "historical_session_rejection_rate": lambda s, t: historical_rate(
        s, "is_rejected", "rejected_sessions", "session_rejection_rate", agents=True
    ),
    "historical_session_timeout_rate": lambda s, t: historical_rate(
        s, "is_timed_out", "timeout_sessions", "session_timeout_rate", agents=True
    ),
    "realtime_session_rejection_rate": lambda s, t: realtime_rate(s, "is_rejected", "session_rejection_rate"),
    "realtime_session_timeout_rate": lambda s, t: realtime_rate(s, "is_timed_out", "session_timeout_rate"),
    "realtime_session_time_to_reject": lambda s, t: rejected_time(agent(s)[agent(s)["is_rejected"]]),
    "realtime_session_time_to_accept": lambda s, t: (
        by_date(whole_seconds(agent(s)["assigned_at"], agent(s)["accepted_at"]), agent(s)["session_date"], "sum")
        .rename("time_to_accept_seconds")
        .to_frame()
    ),
    "historical_session_wait_time": lambda s, t: (
        by_date(waits(s[s["closed_at"].notna()]), s.loc[s["closed_at"].notna(), "session_date"], "mean")
        .rename("avg_session_wait_time_seconds")
        .to_frame()
    ),
    "realtime_session_wait_time": lambda s, t: (
        by_date(waits(agent(s)), agent(s)["session_date"], "sum").rename("session_wait_time_seconds").to_frame()
    ),
    "historical_avg_session_handle_time": historical_handle_time,
    "realtime_avg_session_handle_time": lambda s, t: (
        by_date(
            agent(s).loc[agent(s)["is_engaged"], "handle_time_seconds"],
            agent(s).loc[agent(s)["is_engaged"], "session_date"],
            "mean",
        )
        .rename("avg_session_handle_time_seconds")
        .to_frame()
    ),
}


# Sessions still active exist only on the export's last days.
FEWEST_DATES = {"realtime_active_sessions": 1}


def test_every_reproduction_query_has_its_independent_computation() -> None:
    assert set(reproduction_queries()) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_query_reproduces_microsofts_formula(name: str, built_project, sessions, export_tables) -> None:
    with duckdb.connect(str(built_project.warehouse), read_only=True) as con:
        ours = con.sql(reproduction_queries()[name]).df()
    ours["session_date"] = pd.to_datetime(ours["session_date"]).dt.date
    ours = ours.set_index("session_date").sort_index()
    expected = EXPECTED[name](sessions, export_tables).sort_index()
    expected = expected[expected.index.notna()] if ours.index.notna().all() else expected
    assert list(ours.columns) == list(expected.columns), name
    assert list(ours.index) == list(expected.index), name
    assert len(ours) > FEWEST_DATES.get(name, 10), name
    for column in ours.columns:
        np.testing.assert_allclose(
            ours[column].astype("float64"), expected[column].astype("float64"), rtol=1e-9, equal_nan=True,
            err_msg=f"{name}.{column}",
        )  # fmt: skip
