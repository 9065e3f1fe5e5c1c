"""The main edge-case export: one session per case (versions, tombstones, keys, durations, closure,
participants, bots, scope, dates, sentiment), numbered; the comments say what each one tests."""

from __future__ import annotations

from datetime import datetime

from .rows import (
    ACTIVE,
    CONSULT,
    ENTITY_RECORDS,
    MONITOR,
    REJECT,
    TIMEOUT,
    TRANSFER,
    TRANSFER_TO_QUEUE,
    UTC,
    agent_key,
    at,
    naive,
    participant,
    queue_key,
    sentiment,
    session,
    session_key,
)

SESSIONS_PART0 = [
    session(1),
    # 2: three versions across files; the current one (v3) is upper-case with braces
    session(2, msdyn_queueid=queue_key(1), versionnumber=1),
    session(2, msdyn_queueid=queue_key(3), versionnumber=2),
    # 3: deleted (tombstone with empty columns is current)
    session(3),
    # 4: deleted then re-created
    {"activityid": session_key(4), "versionnumber": 1, "isdelete": True, "sinkmodifiedon": at(1)},
    # 5: tie on versionnumber -> latest sinkmodifiedon; a NULL versionnumber loses
    session(5, versionnumber=5, sinkmodifiedon=at(86400), msdyn_queueid=queue_key(1)),
    session(5, versionnumber=5, sinkmodifiedon=at(2 * 86400), msdyn_queueid=queue_key(2)),
    session(5, versionnumber=None, sinkmodifiedon=at(9 * 86400), msdyn_queueid=queue_key(3)),
    # 6: 1-second wait across a minute boundary
    session(
        6,
        msdyn_sessioncreatedon=at(59.6),
        msdyn_agentassignedon=at(60),
        msdyn_agentacceptedon=at(60.6),
        msdyn_sessionclosedon=at(300),
    ),
    # 7: accepted before assigned -> time to accept NULL
    session(7, msdyn_agentassignedon=at(10), msdyn_agentacceptedon=at(5)),
    # 8: rejected, closed before assigned -> time to reject NULL
    session(
        8,
        msdyn_agentassignedon=at(30),
        msdyn_agentacceptedon=None,
        msdyn_sessionclosedon=at(20),
        msdyn_closurereason=REJECT,
    ),
    # 9: rejected normally
    session(
        9,
        msdyn_agentacceptedon=None,
        msdyn_sessionclosedon=at(7.25),
        msdyn_closurereason=REJECT,
    ),
    # 10: closed by state alone, nothing else known
    session(
        10,
        msdyn_agentassignedon=None,
        msdyn_agentacceptedon=None,
        msdyn_sessionclosedon=None,
        msdyn_closurereason=None,
    ),
    # 11: closed by state alone, accepted
    session(11, msdyn_sessionclosedon=None),
    # 12: active (being waited on)
    session(
        12,
        msdyn_agentacceptedon=None,
        msdyn_sessionclosedon=None,
        msdyn_state=ACTIVE,
        msdyn_closurereason=None,
    ),
    session(13, msdyn_closurereason=192350099),  # unknown code
    session(14, msdyn_closurereason=TRANSFER_TO_QUEUE),
    session(15, msdyn_closurereason=TIMEOUT, msdyn_agentacceptedon=None),
    session(16),  # several primaries + consult + monitor
    session(17),  # primaries tie on joinedon -> addedon
    session(18),  # primaries tie on joinedon and addedon -> participant id
    session(19),  # NULL active time
    session(20),  # negative active time
    session(21),  # engaged, no participant
    session(22),  # bot
    session(23),  # agent with empty botapplicationid
    session(24, msdyn_channel=ENTITY_RECORDS),
    session(25, msdyn_channel=None),
    session(26),  # external, joined
    session(27),  # external channel ''
    session(28),  # external, not joined
    session(29),  # earlier primary external, latest not
    session(30, msdyn_sessioncreatedon=datetime(2025, 3, 1, 23, 30, tzinfo=UTC)),
    session(31),  # sentiment: NULL createdon loses
    session(32),  # sentiment: createdon tie -> id
    session(33, msdyn_closurereason=192350012),
    # invalid keys are dropped
    session(0, activityid=""),
    session(0, activityid="not-a-guid"),
    session(0, activityid=None),
]
SESSIONS_PART1 = [
    session(
        2,
        activityid="{" + session_key(2).upper() + "}",
        msdyn_queueid="{" + queue_key(2).upper() + "}",
        msdyn_closurereason=TRANSFER,
        versionnumber=3,
    ),
    {"activityid": session_key(3), "versionnumber": 2, "isdelete": True, "sinkmodifiedon": at(1)},
    session(4, versionnumber=2),
]

PARTICIPANTS = [
    participant(1, 1),
    participant(2, 2, msdyn_omnichannelsession="{" + session_key(2).upper() + "}", msdyn_agentid=agent_key(2)),
    participant(3, 3),
    participant(4, 4),
    participant(5, 5),
    participant(6, 6),
    participant(7, 7),
    participant(8, 8, msdyn_joinedon=None, msdyn_activetime=None),
    participant(9, 9, msdyn_joinedon=None, msdyn_activetime=None),
    participant(11, 11, msdyn_activetime=40),
    participant(12, 12, msdyn_joinedon=None, msdyn_activetime=None),
    participant(13, 13),
    participant(14, 14),
    participant(15, 15, msdyn_joinedon=None, msdyn_activetime=None),
    # 16: latest Primary by joinedon is agent 2; a Primary never joined (NULL) loses
    participant(160, 16, msdyn_agentid=agent_key(1), msdyn_joinedon=naive(9), msdyn_activetime=100),
    participant(161, 16, msdyn_agentid=agent_key(2), msdyn_joinedon=naive(60), msdyn_activetime=50),
    participant(
        162,
        16,
        msdyn_agentid=agent_key(3),
        msdyn_joinedon=None,
        msdyn_addedon=naive(120),
        msdyn_activetime=None,
    ),
    participant(163, 16, msdyn_agentid=agent_key(3), msdyn_mode=CONSULT, msdyn_activetime=999),
    participant(164, 16, msdyn_agentid=agent_key(3), msdyn_mode=MONITOR, msdyn_activetime=888),
    # 17: same joinedon; later addedon wins
    participant(170, 17, msdyn_agentid=agent_key(2), msdyn_addedon=naive(6), msdyn_activetime=10),
    participant(171, 17, msdyn_agentid=agent_key(1), msdyn_addedon=naive(5), msdyn_activetime=20),
    # 18: same joinedon and addedon; greater participant id wins
    participant(181, 18, msdyn_agentid=agent_key(1), msdyn_activetime=1),
    participant(182, 18, msdyn_agentid=agent_key(3), msdyn_activetime=2),
    participant(19, 19, msdyn_activetime=None),
    participant(200, 20, msdyn_activetime=-5),
    participant(201, 20, msdyn_activetime=30, msdyn_joinedon=naive(10)),
    participant(22, 22, msdyn_agentid=agent_key(9)),
    participant(23, 23, msdyn_agentid=agent_key(8)),
    participant(24, 24),
    participant(25, 25),
    participant(26, 26, msdyn_externalparticipantchannel="+15550100"),
    participant(27, 27, msdyn_externalparticipantchannel=""),
    participant(28, 28, msdyn_externalparticipantchannel="+15550100", msdyn_joinedon=None),
    participant(290, 29, msdyn_externalparticipantchannel="+15550100", msdyn_joinedon=naive(9)),
    participant(291, 29, msdyn_joinedon=naive(20)),
    participant(30, 30),
    participant(31, 31),
    participant(32, 32),
    participant(33, 33),
    # a deleted participant of session 1 must not count
    participant(100, 1, msdyn_agentid=agent_key(3), msdyn_joinedon=naive(99), msdyn_activetime=5000),
    participant(100, 1, versionnumber=2, isdelete=True),
]

SENTIMENTS = [
    sentiment(1, 1, "40.0", "Negative", at(60)),
    sentiment(2, 1, "70.5", "Positive", at(120)),
    sentiment(3, 31, "10.0", "Negative", None),
    sentiment(4, 31, "20.0", "Neutral", at(60)),
    sentiment(5, 32, "30.0", "Negative", at(60)),
    sentiment(6, 32, "60.0", "Positive", at(60)),
]
