"""The tables of the demo export: Arrow schemas, the codes their choice columns hold, NULL sentinels.

Codes are those of Dataverse (``docs/metrics.md``, "Reading the export" and the glossary seeds); every code
the generator writes has a name here.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pyarrow as pa

# ------------------------------------------------------------------ units and NULL sentinels
NULL_TIMESTAMP = np.iinfo(np.int64).min  # NULL in timestamp columns (int64 µs since the epoch)
NULL_CODE = -1  # NULL in integer columns (choice codes, activetime, indices)
SECOND = 1_000_000  # microseconds
DAY = 86_400 * SECOND
VERSION_EPOCH_US = int(datetime(2020, 1, 1, tzinfo=UTC).timestamp()) * SECOND

# ------------------------------------------------------------------ schemas
TIMESTAMP = pa.timestamp("us", tz="UTC")
MECHANICS = [("versionnumber", pa.int64()), ("sinkmodifiedon", TIMESTAMP), ("isdelete", pa.bool_())]
SCHEMAS: dict[str, pa.Schema] = {
    "msdyn_ocsession": pa.schema(
        [
            ("activityid", pa.string()),
            ("msdyn_sessionid", pa.string()),
            ("msdyn_liveworkitemid", pa.string()),
            ("msdyn_queueid", pa.string()),
            ("msdyn_channel", pa.int32()),
            ("msdyn_channelinstanceid", pa.string()),
            ("msdyn_sessioncreatedon", TIMESTAMP),
            ("msdyn_agentassignedon", TIMESTAMP),
            ("msdyn_agentacceptedon", TIMESTAMP),
            ("msdyn_sessionclosedon", TIMESTAMP),
            ("msdyn_state", pa.int32()),
            ("msdyn_closurereason", pa.int32()),
            ("statuscode", pa.int32()),
            *MECHANICS,
        ]
    ),
    "msdyn_sessionparticipant": pa.schema(
        [
            ("msdyn_sessionparticipantid", pa.string()),
            ("msdyn_omnichannelsession", pa.string()),
            ("msdyn_agentid", pa.string()),
            ("msdyn_mode", pa.int32()),
            ("msdyn_addedon", TIMESTAMP),
            ("msdyn_joinedon", TIMESTAMP),
            ("msdyn_lefton", TIMESTAMP),
            ("msdyn_leftonreason", pa.string()),
            ("msdyn_activetime", pa.int32()),
            ("msdyn_externalparticipantchannel", pa.string()),
            ("msdyn_externalparticipantchanneltype", pa.int32()),
            ("msdyn_inactivetime", pa.int32()),
            ("msdyn_talktime", pa.int32()),
            ("msdyn_holdtime", pa.int32()),
            ("msdyn_activewrapuptime", pa.int32()),
            *MECHANICS,
        ]
    ),
    "msdyn_ocliveworkitem": pa.schema(
        [
            ("activityid", pa.string()),
            ("msdyn_isoutbound", pa.bool_()),
            ("statuscode", pa.int32()),
            ("msdyn_createdon", TIMESTAMP),
            ("msdyn_closedon", TIMESTAMP),
            ("msdyn_firstwaitstartedon", TIMESTAMP),
            ("msdyn_activeagentassignedon", TIMESTAMP),
            ("msdyn_wrapupinitiatedon", TIMESTAMP),
            ("msdyn_transfercount", pa.int32()),
            ("msdyn_isabandoned", pa.bool_()),
            ("msdyn_isagentaccepted", pa.bool_()),
            ("msdyn_cdsqueueid", pa.string()),
            ("msdyn_activeagentid", pa.string()),
            ("msdyn_conversationfirstwaittimeinseconds", pa.int32()),
            ("msdyn_conversationhandletimeinseconds", pa.int32()),
            ("msdyn_conversationholdtimeinseconds", pa.int32()),
            ("msdyn_conversationtalktimeinseconds", pa.int32()),
            ("msdyn_conversationwrapuptimeinseconds", pa.int32()),
            *MECHANICS,
        ]
    ),
    "msdyn_ocsessionsentiment": pa.schema(
        [
            ("msdyn_ocsessionsentimentid", pa.string()),
            ("msdyn_omnichannelsession", pa.string()),
            ("msdyn_sentimentpulse", pa.float64()),
            ("msdyn_sentimentzone", pa.string()),
            ("createdon", TIMESTAMP),
            *MECHANICS,
        ]
    ),
    "systemuser": pa.schema(
        [
            ("systemuserid", pa.string()),
            ("fullname", pa.string()),
            ("msdyn_botapplicationid", pa.string()),
            *MECHANICS,
        ]
    ),
    "queue": pa.schema([("queueid", pa.string()), ("name", pa.string()), *MECHANICS]),
    "msdyn_ocsessionparticipantevent": pa.schema(
        [
            ("msdyn_ocsessionparticipanteventid", pa.string()),
            ("msdyn_sessionid", pa.string()),
            ("msdyn_sessionparticipantid", pa.string()),
            ("msdyn_eventtype", pa.int32()),
            ("msdyn_eventreason", pa.int32()),
            ("msdyn_eventstarttime", TIMESTAMP),
            ("msdyn_eventendtime", TIMESTAMP),
            ("msdyn_eventduration", pa.int32()),
            *MECHANICS,
        ]
    ),
}
TABLES = tuple(SCHEMAS)

# ------------------------------------------------------------------ msdyn_ocsession
STATE_ACTIVE = 192350001
STATE_CLOSED = 192350002
STATE_NEW = 192350003  # waiting for an agent
STATE_WRAPUP = 192350004
SESSION_STATUS_OPEN = 1
SESSION_STATUS_COMPLETED = 2

CLOSURE_REASON_NAMES = [
    "Default", "AgentReject", "AgentTimeout", "ConversationTimeout", "AgentClosed",
    "ConversationClosed", "AgentTransfered", "AgentDisconnected", "AgentReRouted",
    "VirtualAgentClosed", "AgentTransferToQueue", "SupervisorAssignToQueue",
    "SupervisorTransferToAgent", "SystemReject", "ForceClose", "OverflowQueueTransfer",
    "OverflowEndConversation", "AddAgentFailed", "AutoClose", "SecondaryChannelClosed",
    "CustomerDisconnect", "AgentEndConversation", "CustomerEndConversation", "QueueTransfer",
    "InqueueOverflowQueueTransfer", "InqueueOverflowEndConversation", "BotTransferToAgent",
    "BotEndConversation", "BotCallFailureEndConversation", "BotCallFailureExternalTransfer",
    "BotCallFailurePromptAndEscalate", "BotCallFailureEscalate", "CanceledByProactiveService",
    "ManuallyClosedConversation", "ManuallyClosedSession", "AgentTransferToAgentGroup",
]  # fmt: skip
# Closure reason code by name: 192350000 Default, 192350001 AgentReject, ...
CLOSURE_REASONS = {name: 192350000 + offset for offset, name in enumerate(CLOSURE_REASON_NAMES)}
UNKNOWN_CLOSURE_REASON = 192350099  # a code no glossary knows

# Channel codes (msdyn_channel).
CHANNEL_LIVE_CHAT = 192360000
CHANNEL_VOICE_CALL = 192440000
CHANNEL_VOICE = 192370000
CHANNEL_SMS = 192340000
CHANNEL_WHATSAPP = 192300000
CHANNEL_FACEBOOK = 192330000
CHANNEL_TEAMS = 19241000
CHANNEL_APPLE_MESSAGES = 192450000
CHANNEL_GOOGLE_BUSINESS_MESSAGES = 192450001
CHANNEL_LINE = 192310000
CHANNEL_WECHAT = 192320000
CHANNEL_TWITTER = 192350001
CHANNEL_CUSTOM = 192350002
CHANNEL_VIDEO = 192380000
CHANNEL_ENTITY_RECORDS = 192350000

# ------------------------------------------------------------------ msdyn_sessionparticipant
MODE_PRIMARY = 192350002
MODE_CONSULT = 192350003
MODE_MONITOR = 192350004
EXTERNAL_CHANNEL_TYPE_PHONE = 426120000
LEFT_ON_REASONS = ("AgentReject", "AgentTimeout")  # msdyn_leftonreason of a participant who left

# ------------------------------------------------------------------ msdyn_ocliveworkitem (conversation) statuscode
CONVERSATION_OPEN = 1
CONVERSATION_ACTIVE = 2
CONVERSATION_WAITING = 3
CONVERSATION_CLOSED = 4
CONVERSATION_WRAPUP = 5

# ------------------------------------------------------------------ msdyn_presence, msdyn_agentstatushistory (optional)
PRESENCE_AVAILABLE = 192360000
PRESENCE_BUSY = 192360001
PRESENCE_BUSY_DND = 192360002
PRESENCE_AWAY = 192360003
PRESENCE_OFFLINE = 192360004
SCHEMAS["msdyn_presence"] = pa.schema(
    [
        ("msdyn_presenceid", pa.string()),
        ("msdyn_name", pa.string()),
        ("msdyn_basepresencestatus", pa.int32()),
        *MECHANICS,
    ]
)
SCHEMAS["msdyn_agentstatushistory"] = pa.schema(
    [
        ("msdyn_agentstatushistoryid", pa.string()),
        ("msdyn_agentid", pa.string()),
        ("msdyn_presenceid", pa.string()),
        ("msdyn_starttime", TIMESTAMP),
        ("msdyn_endtime", TIMESTAMP),
        ("msdyn_availablecapacity", pa.int32()),
        ("msdyn_isagentloggedin", pa.bool_()),
        *MECHANICS,
    ]
)
OPTIONAL_TABLES = ("msdyn_agentstatushistory", "msdyn_presence", "msdyn_ocsessionparticipantevent")  # may be absent
TABLES = tuple(SCHEMAS)
