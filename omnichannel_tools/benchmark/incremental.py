"""The incremental build after a change of the export (1 % of the sessions unless --change-share),
vs a full build of the changed export; and an incremental build after no change at all, the fixed
cost under any change (finding that nothing changed, dbt's parse and start-up)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from omnichannel_tools.benchmark.agreement import check_agreement
from omnichannel_tools.benchmark.contenders import MODELS_ONLY, Context, fresh_warehouse, run_dbt_build, run_floor
from omnichannel_tools.benchmark.export import link_export
from omnichannel_tools.benchmark.measure import Measurement, summarise
from omnichannel_tools.generator import TABLES

DELTA_SQL = """
set TimeZone = 'UTC';
create temp macro fake_guid(x) as
    substr(md5(x), 1, 8) || '-' || substr(md5(x), 9, 4) || '-' || substr(md5(x), 13, 4) || '-'
    || substr(md5(x), 17, 4) || '-' || substr(md5(x), 21, 12);
create temp macro bucket(x) as hash(x || '/bench-delta') % 10000;
create temp table mark as
select max(v) + 1 as v0, max(t) + interval 1 hour as t0 from (
    {marks}
);
create temp table cur_sessions as
select * from read_parquet('{export}/msdyn_ocsession/*.parquet', union_by_name = true)
qualify row_number() over (
    partition by activityid order by versionnumber desc nulls last, sinkmodifiedon desc nulls last) = 1;
delete from cur_sessions where coalesce(isdelete, false);
create temp table participants as
select * from read_parquet('{export}/msdyn_sessionparticipant/*.parquet', union_by_name = true)
qualify row_number() over (partition by msdyn_sessionparticipantid
    order by versionnumber desc nulls last, sinkmodifiedon desc nulls last) = 1;
delete from participants where coalesce(isdelete, false);
create temp table sentiments as
select * from read_parquet('{export}/msdyn_ocsessionsentiment/*.parquet', union_by_name = true)
qualify row_number() over (partition by msdyn_ocsessionsentimentid
    order by versionnumber desc nulls last, sinkmodifiedon desc nulls last) = 1;
delete from sentiments where coalesce(isdelete, false);

-- Of the changed share (1 % below; 10,000 buckets): a tenth tombstones, seven tenths new versions
-- (open sessions get closed, closed ones close 60 s later), two tenths new sessions (clones with
-- new ids of other sessions, with their participants and sentiment).
create temp table session_delta as
select * replace (
    true as isdelete,
    (select v0 from mark) + row_number() over (order by activityid) as versionnumber,
    (select t0 from mark) as sinkmodifiedon)
from cur_sessions where bucket(activityid) < {b10}
union all
select * replace (
    coalesce(msdyn_sessionclosedon + interval 60 second,
             greatest(msdyn_sessioncreatedon, msdyn_agentacceptedon) + interval 15 minute)
        as msdyn_sessionclosedon,
    192350002 as msdyn_state,
    coalesce(msdyn_closurereason, 192350000) as msdyn_closurereason,
    (select v0 from mark) + 1000000000 + row_number() over (order by activityid) as versionnumber,
    (select t0 from mark) as sinkmodifiedon)
from cur_sessions where bucket(activityid) between {b10} and {b80} - 1
union all
select * replace (
    fake_guid(activityid || '/new') as activityid,
    msdyn_sessionid || '-n' as msdyn_sessionid,
    (select v0 from mark) + 2000000000 + row_number() over (order by activityid) as versionnumber,
    (select t0 from mark) as sinkmodifiedon)
from cur_sessions where bucket(activityid) between {b80} and {b100} - 1;

-- Late rows: a second Primary participant for three tenths of the share, a new sentiment pulse for
-- four tenths, and the children of the new sessions.
create temp table participant_delta as
select * replace (
    fake_guid(msdyn_sessionparticipantid || '/late') as msdyn_sessionparticipantid,
    msdyn_joinedon + interval 1 second as msdyn_joinedon,
    30 as msdyn_activetime,
    (select v0 from mark) + 3000000000 + row_number() over (order by msdyn_sessionparticipantid)
        as versionnumber,
    (select t0 from mark) as sinkmodifiedon)
from participants
where msdyn_mode = 192350002 and bucket(msdyn_omnichannelsession) between {b10} and {b40} - 1
union all
select * replace (
    fake_guid(msdyn_sessionparticipantid || '/new') as msdyn_sessionparticipantid,
    fake_guid(msdyn_omnichannelsession || '/new') as msdyn_omnichannelsession,
    (select v0 from mark) + 4000000000 + row_number() over (order by msdyn_sessionparticipantid)
        as versionnumber,
    (select t0 from mark) as sinkmodifiedon)
from participants where bucket(msdyn_omnichannelsession) between {b80} and {b100} - 1;

create temp table sentiment_delta as
select * replace (
    fake_guid(msdyn_ocsessionsentimentid || '/late') as msdyn_ocsessionsentimentid,
    createdon + interval 1 second as createdon,
    50.0 as msdyn_sentimentpulse,
    'Neutral' as msdyn_sentimentzone,
    (select v0 from mark) + 5000000000 + row_number() over (order by msdyn_ocsessionsentimentid)
        as versionnumber,
    (select t0 from mark) as sinkmodifiedon)
from sentiments
where bucket(msdyn_omnichannelsession) between {b40} and {b80} - 1
qualify row_number() over (partition by msdyn_omnichannelsession order by createdon desc nulls last) = 1
union all
select * replace (
    fake_guid(msdyn_ocsessionsentimentid || '/new') as msdyn_ocsessionsentimentid,
    fake_guid(msdyn_omnichannelsession || '/new') as msdyn_omnichannelsession,
    (select v0 from mark) + 6000000000 + row_number() over (order by msdyn_ocsessionsentimentid)
        as versionnumber,
    (select t0 from mark) as sinkmodifiedon)
from sentiments where bucket(msdyn_omnichannelsession) between {b80} and {b100} - 1;

copy session_delta to '{delta}/msdyn_ocsession/part-delta-00001.parquet' (format parquet);
copy participant_delta to '{delta}/msdyn_sessionparticipant/part-delta-00001.parquet' (format parquet);
copy sentiment_delta to '{delta}/msdyn_ocsessionsentiment/part-delta-00001.parquet' (format parquet);
"""

DEFAULT_CHANGE_SHARE = 0.01
DELTA_TABLES = ("msdyn_ocsession", "msdyn_sessionparticipant", "msdyn_ocsessionsentiment")


def bucket_bounds(change_share: float) -> dict[str, int]:
    """The bucket thresholds (of 10,000) of DELTA_SQL for a change touching change_share of the sessions."""
    if not 0 < change_share <= 0.5:
        raise ValueError(f"--change-share must be in (0, 0.5], got {change_share}")
    scale = change_share / DEFAULT_CHANGE_SHARE
    bounds = {f"b{tenth}": round(tenth * scale) for tenth in (10, 40, 80, 100)}
    if bounds["b10"] < 1:
        raise ValueError(f"--change-share {change_share} is below one bucket (0.01 %) of tombstones")
    return bounds


def ensure_delta(ctx: Context, change_share: float = 0.01) -> tuple[Path, dict[str, int]]:
    """The cached change of the export (change_share of the sessions): one new file per changed table."""
    import duckdb
    import pyarrow.parquet as pq

    bounds = bucket_bounds(change_share)
    delta = ctx.export.parent / ("delta" if change_share == DEFAULT_CHANGE_SHARE else f"delta-{change_share:g}")
    stamp = delta / "_COMPLETE"
    if not stamp.exists():
        shutil.rmtree(delta, ignore_errors=True)
        for table in DELTA_TABLES:
            (delta / table).mkdir(parents=True)
        marks = "\nunion all\n".join(
            f"select max(versionnumber) as v, max(sinkmodifiedon) as t "
            f"from read_parquet('{ctx.export}/{t}/*.parquet', union_by_name = true)"
            for t in TABLES
        )
        sql = DELTA_SQL.format(export=ctx.export, delta=delta, marks=marks, **bounds)
        config = {
            "memory_limit": ctx.memory_limit,
            "temp_directory": str(ctx.temp_dir),
            "preserve_insertion_order": False,
        }
        with duckdb.connect(config=config) as con:
            con.execute(sql).fetchall()
        stamp.write_text("ok\n")
    rows = {t: sum(pq.ParquetFile(f).metadata.num_rows for f in (delta / t).glob("*.parquet")) for t in DELTA_TABLES}
    return delta, rows


def measure_incremental(ctx: Context, repeat: int, change_share: float = 0.01) -> dict[str, Any]:
    """Incremental `dbt build` (models) after a change (change_share of the sessions) vs a full build."""
    delta, delta_rows = ensure_delta(ctx, change_share)
    linked = ctx.work / "inc_export"
    target = ctx.work / "target_inc"
    base_wh = ctx.work / "inc_base.duckdb"
    run_wh = ctx.work / "inc_run.duckdb"
    full_wh = ctx.work / "inc_full.duckdb"
    link_export(ctx.export, linked)
    print("  incremental: full build before the change", flush=True)
    base = run_dbt_build(ctx, "inc_base", base_wh, MODELS_ONLY, export=linked, target=target)

    def build_on_a_copy(name: str, label: str) -> Measurement:
        """An incremental build of a fresh copy of the first warehouse, on the export as linked now."""
        fresh_warehouse(run_wh)
        shutil.copyfile(base_wh, run_wh)
        print(f"  incremental: {label}", flush=True)
        return run_dbt_build(ctx, name, run_wh, MODELS_ONLY, export=linked, target=target, fresh=False)

    unchanged = [build_on_a_copy("inc_unchanged", f"no change, run {i + 1}/{repeat}") for i in range(repeat)]
    link_export(ctx.export, linked, delta)
    floor = run_floor(ctx, "inc_floor", export=linked)
    incremental, full = [], []
    for i in range(repeat):
        incremental.append(build_on_a_copy("incremental", f"run {i + 1}/{repeat}"))
        if (target / "run_results.json").exists():  # the incremental run's node times, for the report
            shutil.copyfile(target / "run_results.json", ctx.work / "run_results_incremental.json")
        full.append(run_dbt_build(ctx, "inc_full", full_wh, MODELS_ONLY, export=linked, target=target))
    return {
        "change_share": change_share,
        "delta_rows": delta_rows,
        "base": summarise([base]),
        "incremental": summarise(incremental),
        "unchanged": summarise(unchanged),
        "full": summarise(full),
        "floor": summarise([floor]),
        "agreement": check_agreement(
            {
                "floor": floor.totals,
                "incremental": incremental[-1].totals,
                "inc_full": full[-1].totals,
            }
        ),
        # After no change: the totals of the build it started from (check_agreement's reference is named floor).
        "unchanged_agreement": check_agreement({"floor": base.totals, "unchanged": unchanged[-1].totals}),
        "models_are_incremental": count_incremental_models(target),
    }


def count_incremental_models(target: Path) -> list[str]:
    path = target / "manifest.json"
    if not path.exists():
        return []
    nodes = json.loads(path.read_text())["nodes"].values()
    return sorted(
        n["name"] for n in nodes if n["resource_type"] == "model" and n["config"].get("materialized") == "incremental"
    )
