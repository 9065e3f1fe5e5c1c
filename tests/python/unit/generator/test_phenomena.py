"""The generated data holds every phenomenon the pipeline must handle, consistently and plausibly."""

from __future__ import annotations

import duckdb
import pytest

from .exports import scalar

# ------------------------------------------------------------------ phenomena
PRIMARY = "p.msdyn_mode = 192350002"
BOT = f"""exists (select 1 from cur_msdyn_sessionparticipant p join cur_systemuser u
                 on u.systemuserid = p.msdyn_agentid
                 where p.msdyn_omnichannelsession = s.activityid and {PRIMARY}
                   and u.msdyn_botapplicationid is not null)"""
NEXT = """select s.*, lead(msdyn_queueid) over (partition by msdyn_liveworkitemid
                                              order by msdyn_sessioncreatedon) as next_queue
          from cur_msdyn_ocsession s"""
PHENOMENA = {
    "bot session": f"select count(*) from cur_msdyn_ocsession s where {BOT}",
    "bot escalation": f"""select count(*) from ({NEXT}) s
        where msdyn_closurereason = 192350026 and next_queue is not null and {BOT}""",
    "bot ends conversation": f"""select count(*) from cur_msdyn_ocsession s
        where msdyn_closurereason in (192350027, 192350009) and {BOT}""",
    "reject": """select count(*) from cur_msdyn_ocsession s join cur_msdyn_sessionparticipant p
        on p.msdyn_omnichannelsession = s.activityid
        where s.msdyn_closurereason = 192350001 and p.msdyn_leftonreason = 'AgentReject'
          and p.msdyn_joinedon is null""",
    "timeout": """select count(*) from cur_msdyn_ocsession s join cur_msdyn_sessionparticipant p
        on p.msdyn_omnichannelsession = s.activityid
        where s.msdyn_closurereason = 192350002 and p.msdyn_leftonreason = 'AgentTimeout'""",
    "abandon (closed, never assigned)": """select count(*) from cur_msdyn_ocsession
        where msdyn_state = 192350002 and msdyn_agentassignedon is null
          and msdyn_closurereason in (192350020, 192350003, 192350022)""",
    "agent transfer": f"""select count(*) from ({NEXT})
        where msdyn_closurereason = 192350006 and next_queue = msdyn_queueid""",
    "queue transfer to another queue": f"""select count(*) from ({NEXT})
        where msdyn_closurereason = 192350010 and next_queue <> msdyn_queueid""",
    "supervisor assign to queue": f"""select count(*) from ({NEXT})
        where msdyn_closurereason = 192350011 and next_queue <> msdyn_queueid""",
    "supervisor transfer to agent": """select count(*) from cur_msdyn_ocsession
        where msdyn_closurereason = 192350012""",
    "supervisor move of unaccepted work": """select count(*) from cur_msdyn_ocsession
        where msdyn_closurereason in (192350011, 192350012) and msdyn_agentacceptedon is null""",
    "consult participant": """select count(*) from cur_msdyn_sessionparticipant
        where msdyn_mode = 192350003 and msdyn_activetime is not null""",
    "monitor participant": """select count(*) from cur_msdyn_sessionparticipant
        where msdyn_mode = 192350004 and msdyn_activetime is not null""",
    "external participant handled": """select count(*) from cur_msdyn_sessionparticipant
        where msdyn_mode = 192350002 and msdyn_joinedon is not null
          and regexp_full_match(msdyn_externalparticipantchannel, '\\+1[0-9]{10}')
          and msdyn_externalparticipantchanneltype = 426120000""",
    "several sentiment rows": """select count(*) from (select msdyn_omnichannelsession
        from cur_msdyn_ocsessionsentiment group by 1 having count(*) >= 3)""",
    "entity records sessions": "select count(*) from cur_msdyn_ocsession where msdyn_channel = 192350000",
    "open waiting unassigned": """select count(*) from cur_msdyn_ocsession
        where msdyn_state <> 192350002 and msdyn_sessionclosedon is null
          and msdyn_agentassignedon is null""",
    "open accepted": """select count(*) from cur_msdyn_ocsession
        where msdyn_state in (192350001, 192350004) and msdyn_sessionclosedon is null
          and msdyn_agentacceptedon is not null and statuscode = 1""",
    "open conversation": "select count(*) from cur_msdyn_ocliveworkitem "
    "where statuscode in (1, 2, 3) and msdyn_closedon is null",
    "closed by state alone": """select count(*) from cur_msdyn_ocsession
        where msdyn_state = 192350002 and msdyn_sessionclosedon is null""",
    "superseded session versions": """select count(*) from (select activityid
        from msdyn_ocsession group by 1 having count(distinct versionnumber) > 1
           and not bool_or(isdelete))""",
    "superseded participant versions": """select count(*) from (select msdyn_sessionparticipantid
        from msdyn_sessionparticipant group by 1 having count(distinct versionnumber) > 1)""",
    "superseded conversation versions": """select count(*) from (select activityid
        from msdyn_ocliveworkitem group by 1 having count(distinct versionnumber) > 1)""",
    "session tombstones": "select count(*) from msdyn_ocsession where isdelete",
    "participant tombstones": "select count(*) from msdyn_sessionparticipant where isdelete",
    "two primary participants": """select count(*) from (select msdyn_omnichannelsession
        from cur_msdyn_sessionparticipant where msdyn_mode = 192350002
        group by 1 having count(*) = 2)""",
    "null activetime on accepted session": """select count(*)
        from cur_msdyn_sessionparticipant p join cur_msdyn_ocsession s
          on s.activityid = p.msdyn_omnichannelsession
        where p.msdyn_mode = 192350002 and s.msdyn_agentacceptedon is not null
          and s.msdyn_state = 192350002 and p.msdyn_activetime is null""",
    "unknown closure code": "select count(*) from cur_msdyn_ocsession where msdyn_closurereason = 192350099",
    "codes outside the seed list": """select count(distinct msdyn_closurereason)
        from cur_msdyn_ocsession where msdyn_closurereason in (192350023, 192350035)""",
    "null closure on closed session": """select count(*) from cur_msdyn_ocsession
        where msdyn_state = 192350002 and msdyn_closurereason is null""",
    "outbound conversation": "select count(*) from cur_msdyn_ocliveworkitem where msdyn_isoutbound",
}


@pytest.mark.parametrize("name", PHENOMENA)
def test_phenomenon_occurs(name: str, con: duckdb.DuckDBPyConnection) -> None:
    assert scalar(con, PHENOMENA[name]) > 0, name


def test_sentiment_rows_and_zones(con: duckdb.DuckDBPyConnection) -> None:
    zones = {
        r[0] for r in con.execute("select distinct msdyn_sentimentzone from cur_msdyn_ocsessionsentiment").fetchall()
    }
    assert zones == {
        "Very negative",
        "Negative",
        "Slightly negative",
        "Neutral",
        "Slightly positive",
        "Positive",
        "Very positive",
    }
    assert (
        scalar(
            con,
            """select count(*) from cur_msdyn_ocsessionsentiment
        where msdyn_sentimentpulse not between 0 and 100""",
        )
        == 0
    )
    assert (
        scalar(
            con,
            """select max(n) from (select count(*) n from cur_msdyn_ocsessionsentiment
        group by msdyn_omnichannelsession)""",
        )
        <= 6
    )
    # Same pulse, same zone; a higher pulse never has a lower zone.
    assert (
        scalar(
            con,
            """select count(*) from (select msdyn_sentimentzone z,
        min(msdyn_sentimentpulse) lo, max(msdyn_sentimentpulse) hi
        from cur_msdyn_ocsessionsentiment group by 1) a join (select msdyn_sentimentzone z,
        min(msdyn_sentimentpulse) lo, max(msdyn_sentimentpulse) hi
        from cur_msdyn_ocsessionsentiment group by 1) b
        on a.z <> b.z and a.lo <= b.hi and b.lo <= a.hi""",
        )
        == 0
    )


# ------------------------------------------------------------------ plausibility
CONSISTENCY = {
    "session times in order": """select count(*) from msdyn_ocsession
        where msdyn_agentassignedon < msdyn_sessioncreatedon
           or msdyn_agentacceptedon < msdyn_agentassignedon
           or msdyn_sessionclosedon < coalesce(msdyn_agentacceptedon, msdyn_agentassignedon,
                                               msdyn_sessioncreatedon)""",
    "participant times in order": """select count(*) from msdyn_sessionparticipant
        where msdyn_joinedon < msdyn_addedon or msdyn_lefton < coalesce(msdyn_joinedon,
                                                                         msdyn_addedon)""",
    "activetime within the participant's span": """select count(*) from msdyn_sessionparticipant
        where msdyn_activetime > epoch(msdyn_lefton) - epoch(coalesce(msdyn_joinedon,
                                                                       msdyn_addedon)) + 1""",
    "sink after the row's last change": """select count(*) from msdyn_ocsession
        where sinkmodifiedon < greatest(msdyn_sessioncreatedon, msdyn_agentassignedon,
                                        msdyn_agentacceptedon, msdyn_sessionclosedon)""",
    "participants reference sessions": """select count(*) from cur_msdyn_sessionparticipant p
        where not exists (select 1 from msdyn_ocsession s
                          where s.activityid = p.msdyn_omnichannelsession)""",
    "sessions reference conversations and queues": """select count(*) from cur_msdyn_ocsession s
        where not exists (select 1 from msdyn_ocliveworkitem c
                          where c.activityid = s.msdyn_liveworkitemid)
           or not exists (select 1 from cur_queue q where q.queueid = s.msdyn_queueid)""",
    "agents are users": """select count(*) from cur_msdyn_sessionparticipant p
        where p.msdyn_agentid is not null and not exists (
            select 1 from cur_systemuser u where u.systemuserid = p.msdyn_agentid)""",
    "sentiment within the session": """select count(*) from cur_msdyn_ocsessionsentiment t
        join cur_msdyn_ocsession s on s.activityid = t.msdyn_omnichannelsession
        where t.createdon < s.msdyn_agentacceptedon or t.createdon > s.msdyn_sessionclosedon""",
    "waiting-unassigned sessions have no participant": """select count(*)
        from cur_msdyn_ocsession s join cur_msdyn_sessionparticipant p
          on p.msdyn_omnichannelsession = s.activityid
        where s.msdyn_agentassignedon is null""",
    "tombstones are empty": """select count(*) from msdyn_ocsession where isdelete
        and (msdyn_sessionid is not null or msdyn_sessioncreatedon is not null
             or msdyn_state is not null)""",
    "tombstones are the newest row": """select count(*) from msdyn_ocsession d
        join msdyn_ocsession o on o.activityid = d.activityid and not o.isdelete
        where d.isdelete and (o.versionnumber >= d.versionnumber
                              or o.sinkmodifiedon >= d.sinkmodifiedon)""",
    "older versions are older": """select count(*) from msdyn_ocsession a join msdyn_ocsession b
        on a.activityid = b.activityid and a.versionnumber < b.versionnumber
        where a.sinkmodifiedon >= b.sinkmodifiedon""",
    "closed sessions are Completed": """select count(*) from cur_msdyn_ocsession
        where (msdyn_state = 192350002) <> (statuscode = 2)""",
}


@pytest.mark.parametrize("name", CONSISTENCY)
def test_consistency(name: str, con: duckdb.DuckDBPyConnection) -> None:
    assert scalar(con, CONSISTENCY[name]) == 0, name


def test_plausible_distributions(con: duckdb.DuckDBPyConnection) -> None:
    handle = dict(
        con.execute(
            f"""select msdyn_channel, median(epoch(msdyn_sessionclosedon)
        - epoch(msdyn_agentacceptedon)) from cur_msdyn_ocsession s
        where msdyn_channel in (192360000, 192440000) and not ({BOT}) group by 1"""
        ).fetchall()
    )
    assert handle[192440000] > handle[192360000] > 60  # voice longer than chat, minutes
    wait = scalar(
        con,
        """select median(epoch(msdyn_agentacceptedon) - epoch(msdyn_sessioncreatedon))
        from cur_msdyn_ocsession where msdyn_channel = 192360000""",
    )
    assert 5 < wait < 600
    rates = con.execute("""select avg((msdyn_closurereason = 192350001)::int),
        avg((msdyn_closurereason = 192350002)::int) from cur_msdyn_ocsession
        where msdyn_agentassignedon is not null""").fetchone()
    assert all(0.005 < r < 0.08 for r in rates)
    entity = scalar(con, "select avg((msdyn_channel = 192350000)::int) from cur_msdyn_ocsession")
    assert 0.005 < entity < 0.04
    versions = scalar(
        con,
        """select count(*) filter (where n > 1) / count(*) from (
        select count(*) n from msdyn_ocsession group by activityid)""",
    )
    assert 0.01 < versions < 0.05
