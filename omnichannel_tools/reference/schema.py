"""What the reference reads and computes: table columns by kind, keys, codes, output columns.

Constants come from the specs (``session-metrics.md``, ``dataverse-export.md``).
"""

from __future__ import annotations

from omnichannel_tools.paths import SEEDS_DIR

MODE_PRIMARY = 192350002
STATE_CLOSED = 192350002
CHANNEL_ENTITY_RECORDS = 192350000
CLOSURE_REJECT = 192350001
CLOSURE_TIMEOUT = 192350002
CLOSURE_TRANSFER = (192350006, 192350010)

DEFAULT_SEED = SEEDS_DIR / "dataverse_closure_reasons.csv"

GUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
FORMATS = ("parquet", "csv")

# Column kinds: guid, text, ts (timestamp), int (32-bit: choice codes, seconds), bigint, float, bool.
MECHANICS: dict[str, str] = {"versionnumber": "bigint", "sinkmodifiedon": "ts", "isdelete": "bool"}

TABLES: dict[str, dict[str, str]] = {
    "msdyn_ocsession": {
        "activityid": "guid",
        "msdyn_sessionid": "text",
        "msdyn_liveworkitemid": "guid",
        "msdyn_queueid": "guid",
        "msdyn_cdsqueueid": "guid",
        "msdyn_channel": "int",
        "msdyn_channelinstanceid": "guid",
        "msdyn_sessioncreatedon": "ts",
        "msdyn_agentassignedon": "ts",
        "msdyn_agentacceptedon": "ts",
        "msdyn_sessionclosedon": "ts",
        "msdyn_state": "int",
        "msdyn_closurereason": "int",
        "statuscode": "int",
    },
    "msdyn_sessionparticipant": {
        "msdyn_sessionparticipantid": "guid",
        "msdyn_omnichannelsession": "guid",
        "msdyn_agentid": "guid",
        "msdyn_mode": "int",
        "msdyn_addedon": "ts",
        "msdyn_joinedon": "ts",
        "msdyn_lefton": "ts",
        "msdyn_leftonreason": "text",
        "msdyn_activetime": "int",
        "msdyn_externalparticipantchannel": "text",
        "msdyn_externalparticipantchanneltype": "int",
        "msdyn_talktime": "int",
        "msdyn_activewrapuptime": "int",
    },
    "msdyn_ocliveworkitem": {
        "activityid": "guid",
        "msdyn_isoutbound": "bool",
        "statuscode": "int",
        "msdyn_createdon": "ts",
        "msdyn_closedon": "ts",
        "msdyn_firstwaitstartedon": "ts",
        "msdyn_transfercount": "int",
        "msdyn_cdsqueueid": "guid",
        "msdyn_activeagentid": "guid",
        "msdyn_conversationfirstwaittimeinseconds": "int",
    },
    "msdyn_ocsessionsentiment": {
        "msdyn_ocsessionsentimentid": "guid",
        "msdyn_omnichannelsession": "guid",
        "msdyn_sentimentpulse": "float",
        "msdyn_sentimentzone": "text",
        "createdon": "ts",
    },
    "systemuser": {
        "systemuserid": "guid",
        "fullname": "text",
        "msdyn_botapplicationid": "text",
    },
    "queue": {"queueid": "guid", "name": "text"},
    "msdyn_ocsessionparticipantevent": {
        "msdyn_ocsessionparticipanteventid": "guid",
        "msdyn_sessionid": "guid",
        "msdyn_sessionparticipantid": "guid",
        "msdyn_eventtype": "int",
        "msdyn_eventreason": "int",
        "msdyn_eventstarttime": "ts",
        "msdyn_eventendtime": "ts",
    },
    "msdyn_agentstatushistory": {
        "msdyn_agentstatushistoryid": "guid",
        "msdyn_agentid": "guid",
        "msdyn_presenceid": "guid",
        "msdyn_starttime": "ts",
        "msdyn_endtime": "ts",
        "msdyn_availablecapacity": "int",
        "msdyn_isagentloggedin": "bool",
    },
    "msdyn_presence": {"msdyn_presenceid": "guid", "msdyn_name": "text", "msdyn_basepresencestatus": "int"},
}

PRIMARY_KEYS: dict[str, str] = {
    "msdyn_ocsession": "activityid",
    "msdyn_sessionparticipant": "msdyn_sessionparticipantid",
    "msdyn_ocliveworkitem": "activityid",
    "msdyn_ocsessionsentiment": "msdyn_ocsessionsentimentid",
    "systemuser": "systemuserid",
    "queue": "queueid",
    "msdyn_ocsessionparticipantevent": "msdyn_ocsessionparticipanteventid",
    "msdyn_agentstatushistory": "msdyn_agentstatushistoryid",
    "msdyn_presence": "msdyn_presenceid",
}

# Columns without which the metrics cannot be computed; every other column is optional.
REQUIRED: dict[str, tuple[str, ...]] = {
    "msdyn_ocsession": ("activityid", "msdyn_sessioncreatedon"),
    "msdyn_sessionparticipant": (
        "msdyn_sessionparticipantid",
        "msdyn_omnichannelsession",
        "msdyn_mode",
    ),
    "msdyn_ocliveworkitem": ("activityid",),
    "msdyn_ocsessionsentiment": ("msdyn_ocsessionsentimentid", "msdyn_omnichannelsession"),
    "systemuser": ("systemuserid",),
    "queue": ("queueid",),
    "msdyn_ocsessionparticipantevent": ("msdyn_ocsessionparticipanteventid", "msdyn_sessionparticipantid"),
    "msdyn_agentstatushistory": ("msdyn_agentstatushistoryid", "msdyn_agentid", "msdyn_presenceid", "msdyn_starttime"),
    "msdyn_presence": ("msdyn_presenceid", "msdyn_basepresencestatus"),
}

# The tables session_facts reads.
METRIC_TABLES = (
    "msdyn_ocsession",
    "msdyn_sessionparticipant",
    "msdyn_ocsessionsentiment",
    "systemuser",
)

# Only the session table must be present; a missing folder for another table is empty.
REQUIRED_TABLES = ("msdyn_ocsession",)

# Session columns the fact needs.
SESSION_COLUMNS = [
    "activityid",
    "msdyn_liveworkitemid",
    "msdyn_queueid",
    "msdyn_cdsqueueid",
    "msdyn_channel",
    "msdyn_channelinstanceid",
    "msdyn_sessioncreatedon",
    "msdyn_agentassignedon",
    "msdyn_agentacceptedon",
    "msdyn_sessionclosedon",
    "msdyn_state",
    "msdyn_closurereason",
]

GRAIN = ["session_date", "queue_id", "channel_code", "agent_id"]

FACT_COLUMNS = [
    "session_id",
    "conversation_id",
    "queue_id",
    "channel_code",
    "agent_id",
    "is_bot_session",
    "created_at",
    "assigned_at",
    "accepted_at",
    "closed_at",
    "session_date",
    "is_closed",
    "is_active",
    "is_assigned",
    "is_engaged",
    "closure_reason_code",
    "closure_reason_label",
    "is_transferred_out",
    "is_rejected",
    "is_timed_out",
    "wait_time_seconds",
    "time_to_accept_seconds",
    "time_to_reject_seconds",
    "handle_time_seconds",
    "is_handled_by_external_participant",
    "customer_sentiment_pulse",
    "customer_sentiment_zone",
]

PART_COLUMNS = [
    "total_sessions",
    "active_sessions",
    "closed_sessions",
    "engaged_sessions",
    "assigned_sessions",
    "transferred_sessions",
    "rejected_sessions",
    "timeout_sessions",
    "time_to_reject_seconds_sum",
    "time_to_reject_count",
    "time_to_accept_seconds_sum",
    "time_to_accept_count",
    "wait_time_seconds_sum",
    "wait_time_count",
    "handle_time_seconds_sum",
    "handle_time_count",
    "sentiment_pulse_sum",
    "sentiment_count",
    "external_handled_sessions",
]
