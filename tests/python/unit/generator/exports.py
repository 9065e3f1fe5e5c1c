"""What the generator's tests know of an export: the spec's columns, and DuckDB views over the files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

SESSIONS = 3000
SEED = 42

# The columns of docs/metrics.md ("Reading the export"), plus the export mechanics.
MECHANICS = ["versionnumber", "sinkmodifiedon", "isdelete"]
SPEC_COLUMNS = {
    "msdyn_ocsession": [
        "activityid",
        "msdyn_sessionid",
        "msdyn_liveworkitemid",
        "msdyn_queueid",
        "msdyn_channel",
        "msdyn_channelinstanceid",
        "msdyn_sessioncreatedon",
        "msdyn_agentassignedon",
        "msdyn_agentacceptedon",
        "msdyn_sessionclosedon",
        "msdyn_state",
        "msdyn_closurereason",
        "statuscode",
    ],
    "msdyn_sessionparticipant": [
        "msdyn_sessionparticipantid",
        "msdyn_omnichannelsession",
        "msdyn_agentid",
        "msdyn_mode",
        "msdyn_addedon",
        "msdyn_joinedon",
        "msdyn_lefton",
        "msdyn_leftonreason",
        "msdyn_activetime",
        "msdyn_externalparticipantchannel",
        "msdyn_externalparticipantchanneltype",
        "msdyn_inactivetime",
        "msdyn_talktime",
        "msdyn_holdtime",
        "msdyn_activewrapuptime",
    ],
    "msdyn_ocliveworkitem": [
        "activityid",
        "msdyn_isoutbound",
        "statuscode",
        "msdyn_createdon",
        "msdyn_closedon",
        "msdyn_firstwaitstartedon",
        "msdyn_activeagentassignedon",
        "msdyn_wrapupinitiatedon",
        "msdyn_transfercount",
        "msdyn_isabandoned",
        "msdyn_isagentaccepted",
        "msdyn_cdsqueueid",
        "msdyn_activeagentid",
        "msdyn_conversationfirstwaittimeinseconds",
        "msdyn_conversationhandletimeinseconds",
        "msdyn_conversationholdtimeinseconds",
        "msdyn_conversationtalktimeinseconds",
        "msdyn_conversationwrapuptimeinseconds",
    ],
    "msdyn_ocsessionsentiment": [
        "msdyn_ocsessionsentimentid",
        "msdyn_omnichannelsession",
        "msdyn_sentimentpulse",
        "msdyn_sentimentzone",
        "createdon",
    ],
    "systemuser": ["systemuserid", "fullname", "msdyn_botapplicationid"],
    "queue": ["queueid", "name"],
    "msdyn_ocsessionparticipantevent": [
        "msdyn_ocsessionparticipanteventid",
        "msdyn_sessionid",
        "msdyn_sessionparticipantid",
        "msdyn_eventtype",
        "msdyn_eventreason",
        "msdyn_eventstarttime",
        "msdyn_eventendtime",
        "msdyn_eventduration",
    ],
}
KEYS = {t: cols[0] for t, cols in SPEC_COLUMNS.items()}
FACTS = ["msdyn_ocsession", "msdyn_sessionparticipant", "msdyn_ocliveworkitem", "msdyn_ocsessionsentiment"]
TS = pa.timestamp("us", tz="UTC")


def files_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def connect_export(root: Path, fmt: str = "parquet") -> duckdb.DuckDBPyConnection:
    """Views per table (all rows, with file name) and cur_<table> (current, not deleted)."""
    con = duckdb.connect()
    for table, key in KEYS.items():
        glob = f"{root}/{table}/*.{fmt}"
        reader = (
            f"read_parquet('{glob}', filename=true)"
            if fmt == "parquet"
            else f"read_csv('{glob}', header=true, filename=true)"
        )
        con.execute(f"create view {table} as select * from {reader}")
        con.execute(f"""create view cur_{table} as select * from {table}
            qualify row_number() over (partition by {key}
                                       order by versionnumber desc, sinkmodifiedon desc) = 1
                and not isdelete""")
    return con


def scalar(con: duckdb.DuckDBPyConnection, sql: str):
    return con.execute(sql).fetchone()[0]
