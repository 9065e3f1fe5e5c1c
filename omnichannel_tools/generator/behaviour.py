"""The simulated contact centre's behaviour: channel mix, waits, outcomes, transfers, staff.

Every number that shapes the demo data lives here; the simulation (simulation.py) and the
tables (facts.py, participants.py) draw from these distributions. Changing one changes the
generated data for every seed.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from omnichannel_tools.generator.schema import (
    CHANNEL_APPLE_MESSAGES,
    CHANNEL_CUSTOM,
    CHANNEL_ENTITY_RECORDS,
    CHANNEL_FACEBOOK,
    CHANNEL_GOOGLE_BUSINESS_MESSAGES,
    CHANNEL_LINE,
    CHANNEL_LIVE_CHAT,
    CHANNEL_SMS,
    CHANNEL_TEAMS,
    CHANNEL_TWITTER,
    CHANNEL_VIDEO,
    CHANNEL_VOICE,
    CHANNEL_VOICE_CALL,
    CHANNEL_WECHAT,
    CHANNEL_WHATSAPP,
    CLOSURE_REASONS,
    NULL_CODE,
    UNKNOWN_CLOSURE_REASON,
)

# ------------------------------------------------------------------ channels
# Channel groups share waits, handle times and outcome rates.
GROUP_CHAT, GROUP_VOICE, GROUP_MESSAGING, GROUP_ENTITY_RECORDS = 0, 1, 2, 3
# (code, weight, group, outbound share, bot share, has channel instance)
CHANNELS = np.array([
    (CHANNEL_LIVE_CHAT, 0.360, GROUP_CHAT, 0.00, 0.27, 0),
    (CHANNEL_VOICE_CALL, 0.220, GROUP_VOICE, 0.08, 0.27, 1),
    (CHANNEL_VOICE, 0.020, GROUP_VOICE, 0.05, 0.00, 1),
    (CHANNEL_SMS, 0.070, GROUP_MESSAGING, 0.06, 0.00, 1),
    (CHANNEL_WHATSAPP, 0.090, GROUP_MESSAGING, 0.02, 0.00, 1),
    (CHANNEL_FACEBOOK, 0.050, GROUP_MESSAGING, 0.00, 0.00, 1),
    (CHANNEL_TEAMS, 0.070, GROUP_MESSAGING, 0.00, 0.00, 1),
    (CHANNEL_APPLE_MESSAGES, 0.020, GROUP_MESSAGING, 0.00, 0.00, 1),
    (CHANNEL_GOOGLE_BUSINESS_MESSAGES, 0.010, GROUP_MESSAGING, 0.00, 0.00, 1),
    (CHANNEL_LINE, 0.010, GROUP_MESSAGING, 0.00, 0.00, 1),
    (CHANNEL_WECHAT, 0.005, GROUP_MESSAGING, 0.00, 0.00, 1),
    (CHANNEL_TWITTER, 0.010, GROUP_MESSAGING, 0.00, 0.00, 1),
    (CHANNEL_CUSTOM, 0.020, GROUP_CHAT, 0.00, 0.00, 1),
    (CHANNEL_VIDEO, 0.010, GROUP_CHAT, 0.00, 0.00, 0),
    (CHANNEL_ENTITY_RECORDS, 0.015, GROUP_ENTITY_RECORDS, 0.00, 0.00, 0),
])  # fmt: skip
CHANNEL_CODES = CHANNELS[:, 0].astype(np.int32)
CHANNEL_WEIGHTS = CHANNELS[:, 1] / CHANNELS[:, 1].sum()
CHANNEL_GROUP = CHANNELS[:, 2].astype(np.int64)
CHANNEL_OUTBOUND_SHARE = CHANNELS[:, 3]
CHANNEL_BOT_SHARE = CHANNELS[:, 4]
CHANNEL_HAS_INSTANCE = CHANNELS[:, 5].astype(bool)

# ------------------------------------------------------------------ timings, per channel group (seconds)
WAIT_MEDIAN_S = np.array([40.0, 55.0, 150.0, 1500.0])
WAIT_SIGMA = np.array([1.0, 0.9, 1.1, 1.0])
ACCEPT_MEDIAN_S = np.array([7.0, 5.0, 18.0, 90.0])
HANDLE_MEDIAN_S = np.array([480.0, 660.0, 900.0, 1500.0])
HANDLE_SIGMA = np.array([0.6, 0.65, 0.8, 0.7])
ABANDON_MEDIAN_S = np.array([120.0, 150.0, 600.0, 3600.0])
TIMEOUT_AFTER_S = np.array([60.0, 45.0, 120.0, 300.0])
ACTIVE_SHARE_RANGE = np.array([[0.55, 0.95], [0.8, 1.0], [0.35, 0.85], [0.4, 0.9]])  # of the time worked

# ------------------------------------------------------------------ outcomes of an agent session
OUTCOME_ABANDON, OUTCOME_SUPERVISOR_MOVE, OUTCOME_REJECT, OUTCOME_TIMEOUT, OUTCOME_ACCEPT = range(5)
OUTCOME_WEIGHTS = np.array([  # per channel group
    [0.060, 0.006, 0.030, 0.025, 0.879],
    [0.070, 0.004, 0.025, 0.020, 0.881],
    [0.040, 0.008, 0.030, 0.035, 0.887],
    [0.000, 0.010, 0.040, 0.030, 0.920],
])  # fmt: skip
FINAL_OUTCOME_WEIGHTS = OUTCOME_WEIGHTS * np.array([1, 0, 0, 0, 1])  # last round: nothing hands on
ABANDON_CLOSURES = np.array(
    [
        CLOSURE_REASONS["CustomerDisconnect"],
        CLOSURE_REASONS["ConversationTimeout"],
        CLOSURE_REASONS["CustomerEndConversation"],
    ],
    np.int32,
)
ABANDON_WEIGHTS = np.array([0.60, 0.28, 0.12])

# Where the conversation goes after a session.
THEN_END, THEN_SAME_QUEUE, THEN_OTHER_QUEUE = 0, 1, 2
# Accepted sessions: closure code, weight, where the conversation goes next.
ACCEPTED_OUTCOMES = [
    (CLOSURE_REASONS["AgentClosed"], 0.330, THEN_END),
    (CLOSURE_REASONS["AgentEndConversation"], 0.300, THEN_END),
    (CLOSURE_REASONS["ConversationClosed"], 0.170, THEN_END),
    (CLOSURE_REASONS["CustomerEndConversation"], 0.040, THEN_END),
    (CLOSURE_REASONS["AutoClose"], 0.010, THEN_END),
    (CLOSURE_REASONS["AgentDisconnected"], 0.005, THEN_END),
    (CLOSURE_REASONS["ForceClose"], 0.003, THEN_END),
    (CLOSURE_REASONS["ManuallyClosedConversation"], 0.005, THEN_END),
    (CLOSURE_REASONS["ManuallyClosedSession"], 0.004, THEN_END),
    (UNKNOWN_CLOSURE_REASON, 0.0015, THEN_END),
    (NULL_CODE, 0.002, THEN_END),  # NULL closure reason
    (CLOSURE_REASONS["AgentTransfered"], 0.045, THEN_SAME_QUEUE),
    (CLOSURE_REASONS["AgentTransferToQueue"], 0.040, THEN_OTHER_QUEUE),
    (CLOSURE_REASONS["SupervisorAssignToQueue"], 0.004, THEN_OTHER_QUEUE),
    (CLOSURE_REASONS["SupervisorTransferToAgent"], 0.004, THEN_SAME_QUEUE),
    (CLOSURE_REASONS["QueueTransfer"], 0.006, THEN_OTHER_QUEUE),
    (CLOSURE_REASONS["AgentTransferToAgentGroup"], 0.004, THEN_SAME_QUEUE),
]
ACCEPTED_CLOSURES = np.array([outcome[0] for outcome in ACCEPTED_OUTCOMES], np.int32)
ACCEPTED_THEN = np.array([outcome[2] for outcome in ACCEPTED_OUTCOMES])
ACCEPTED_WEIGHTS = np.array([outcome[1] for outcome in ACCEPTED_OUTCOMES])
FINAL_ACCEPTED_WEIGHTS = ACCEPTED_WEIGHTS * (ACCEPTED_THEN == THEN_END)

# Bot sessions: the bot ends the conversation or escalates it to an agent queue.
BOT_CLOSURES = np.array(
    [
        CLOSURE_REASONS["BotEndConversation"],
        CLOSURE_REASONS["VirtualAgentClosed"],
        CLOSURE_REASONS["BotTransferToAgent"],
    ],
    np.int32,
)
BOT_WEIGHTS = np.array([0.38, 0.14, 0.48])
MAX_ROUNDS = 8  # sessions per conversation at most
SESSIONS_PER_CONVERSATION = 1.22  # observed ratio; used to size each chunk's arrivals

# ------------------------------------------------------------------ queues and staff
BOT_QUEUE = 0
QUEUES = [
    "Virtual Agent",
    "Web Chat Support",
    "Billing and Payments",
    "Voice Customer Care",
    "Technical Support Voice",
    "Digital Messaging",
    "Tier 2 Escalations",
    "Case Routing",
]
QUEUE_WAIT_FACTOR = np.array([1.0, 1.0, 1.3, 1.0, 1.2, 0.9, 1.6, 1.0])
# Agent queues serving each channel group, and the weights of the first queue a conversation lands in.
QUEUES_BY_GROUP = np.array([[1, 2, 6, NULL_CODE], [3, 4, 2, 6], [5, 2, 6, NULL_CODE], [7, 6, NULL_CODE, NULL_CODE]])
FIRST_QUEUE_WEIGHTS = np.array([[0.72, 0.28, 0, 0], [0.55, 0.30, 0.15, 0], [0.8, 0.2, 0, 0], [1, 0, 0, 0]])
HUMAN_AGENTS, SUPERVISORS = 60, 6  # the first SUPERVISORS human agents are supervisors
BOTS = [
    ("Contoso Virtual Agent", GROUP_CHAT),
    ("Copilot Service Agent", GROUP_CHAT),
    ("Voice IVR Bot", GROUP_VOICE),
    ("Billing Copilot", GROUP_VOICE),
]
FIRST_NAMES = [
    "Ava", "Ben", "Chloe", "Diego", "Elena", "Farah", "Gabriel", "Hana", "Ivan", "Jade", "Kenji", "Laura",
    "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rafael", "Sofia", "Tomas", "Uma", "Victor", "Wen", "Xavier",
    "Yara", "Zoe", "Amir", "Bianca", "Carlos", "Dana", "Emil", "Fatima", "Goran", "Helga", "Isaac", "Julia",
    "Kofi", "Lena", "Marco", "Nina",
]  # fmt: skip
LAST_NAMES = [
    "Adams", "Bauer", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Hansen", "Ito", "Jensen", "Kowalski",
    "Lopez", "Muller", "Nakamura", "Okafor", "Petrov", "Quintero", "Rossi", "Schmidt", "Tanaka", "Ueda",
    "Vargas", "Wagner", "Xu", "Yilmaz", "Zimmermann", "Andersen", "Brown", "Costa", "Silva",
]  # fmt: skip

# ------------------------------------------------------------------ sentiment
SENTIMENT_ZONES = pa.array(
    ["Very negative", "Negative", "Slightly negative", "Neutral", "Slightly positive", "Positive", "Very positive"]
)
SENTIMENT_ZONE_EDGES = np.array([15.0, 30.0, 45.0, 55.0, 70.0, 85.0])  # pulse thresholds between zones
