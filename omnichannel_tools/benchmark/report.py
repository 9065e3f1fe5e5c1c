"""The report: BENCHMARKS.md sections (one per size, replaced on re-run) from bench/results/<N>.json."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from omnichannel_tools.benchmark.settings import BENCHMARKS_MD, CONTENDERS, GIB, LABELS, MIB, RESULTS


def load_results() -> dict[int, dict[str, Any]]:
    found = {}
    for path in RESULTS.glob("*.json"):
        try:
            data = json.loads(path.read_text())
            found[int(data["sessions"])] = data
        except (ValueError, KeyError):
            continue
    return found


def fmt_s(seconds: float | None) -> str:
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "—"
    if seconds >= 600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds:.1f} s" if seconds >= 10 else f"{seconds:.2f} s"


def fmt_gib(size: int) -> str:
    return f"{size / GIB:.2f} GiB"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def fmt_ratio(value: float | None, suffix: str = "×") -> str:
    return "—" if value is None else f"{value:.2f}{suffix}"


def verdict(value: float | None, limit: float, above: bool = False) -> str:
    if value is None:
        return "not measured"
    met = value >= limit if above else value <= limit
    return "**met**" if met else "**missed**"


def render_section(result: dict[str, Any], all_results: dict[int, dict[str, Any]]) -> str:
    """The BENCHMARKS.md section of one size."""
    n = result["sessions"]
    cont = result["contenders"]
    floor_s = cont.get("floor", {}).get("wall_s")
    lines = [
        f"## {n:,} sessions",
        "",
        f"Measured {result['date']} at {result['revision']}; {result['machine']['cpus']} cores, "
        f"{result['machine']['memory_gib']} GiB, load average at start "
        f"{', '.join(f'{x:.1f}' for x in result['machine']['loadavg'])}. "
        f"`DBT_DUCKDB_MEMORY_LIMIT={result['memory_limit']}`"
        + (
            ""
            if result.get("profiles_dir", ".") in (".", "")
            else f", dbt profile from `{result['profiles_dir']}/profiles.yml` (not the repo's)"
        )
        + f". Median of {result['repeat']} "
        f"alternating runs. Export: {result['export']['bytes'] / MIB:,.0f} MiB of Parquet, "
        + ", ".join(
            f"{t} {v['rows']:,} rows"
            for t, v in result["export"]["tables"].items()
            if t in ("msdyn_ocsession", "msdyn_sessionparticipant", "msdyn_ocsessionsentiment")
        )
        + (f" (generated in {fmt_s(result['generation_s'])})." if result.get("generation_s") else "."),
        "",
        "| run | wall time (median) | all runs (s) | peak RSS (tree) | × floor | metric totals vs floor |",
        "|---|---:|---|---:|---:|---|",
    ]
    for name in CONTENDERS:
        if name not in cont:
            continue
        s = cont[name]
        agreement = result["agreement"].get(name)
        if name == "floor":
            check = "(reference)"
        elif agreement:
            check = "differ: " + "; ".join(agreement[:3])
        else:
            check = "identical"
        wall = fmt_s(s["wall_s"]) if s["wall_s"] else "did not finish: " + "; ".join(s["failures"][:1])
        if s["failures"] and s["wall_s"]:
            wall += f" ({len(s['failures'])} failed: {s['failures'][0]})"
        lines.append(
            f"| {LABELS[name]} | {wall} | {', '.join(map(str, s['walls_s']))} | "
            f"{fmt_gib(s['peak_rss'])} | {fmt_ratio(ratio(s['wall_s'], floor_s))} | {check} |"
        )
    lines += ["", *render_targets(result, all_results)]
    if "incremental" in result:
        lines += ["", *render_incremental(result["incremental"])]
    if "bi" in result:
        lines += ["", *render_bi(result["bi"])]
    if "parse" in result or result.get("compile"):
        lines += ["", *render_parse(result.get("parse"), result.get("compile", {}))]
    full = result.get("compile_full")
    if full:
        slow = ", ".join(f"{uid} {s:.1f} s" for uid, s in full["slowest_execute"])
        lines.append(f"In the full build (dbt's elapsed {fmt_s(full['elapsed_s'])}), slowest nodes: {slow}.")
    return "\n".join(lines)


def render_targets(result: dict[str, Any], all_results: dict[int, dict[str, Any]]) -> list[str]:
    cont = result["contenders"]
    wall = {name: s.get("wall_s") for name, s in cont.items()}
    floor_s = wall.get("floor")
    rows = [
        "| target (the issue's, set for 10M) | measured here | |",
        "|---|---:|---|",
    ]
    models_ratio = ratio(wall.get("models"), floor_s)
    full_ratio = ratio(wall.get("full"), floor_s)
    rows.append(f"| model build ≤ 1.3× floor | {fmt_ratio(models_ratio)} | {verdict(models_ratio, 1.3)} |")
    rows.append(f"| full build with tests ≤ 1.8× floor | {fmt_ratio(full_ratio)} | {verdict(full_ratio, 1.8)} |")
    peak = max((cont[c]["peak_rss"] for c in ("models", "full") if c in cont), default=None)
    rows.append(
        f"| project peak RSS ≤ 4 GiB | {fmt_gib(peak) if peak else '—'} | "
        f"{verdict(peak / GIB if peak else None, 4.0)} |"
    )
    speedup = ratio(wall.get("peer"), wall.get("models"))
    if "peer" in cont and not wall.get("peer"):
        rows.append(
            f"| model build faster than the pandas peer, at ≤ ¼ of its memory | peer did not finish "
            f"({'; '.join(cont['peer']['failures'][:1])}) | — |"
        )
    elif "peer" in cont and "models" in cont:
        memory = ratio(cont["models"]["peak_rss"], cont["peer"]["peak_rss"])
        met = speedup is not None and memory is not None and speedup >= 1.0 and memory <= 0.25
        rows.append(
            f"| model build faster than the pandas peer, at ≤ ¼ of its memory | "
            f"{fmt_ratio(speedup)} (peer ÷ model build), memory {fmt_ratio(memory)} of the peer's | "
            f"{'**met**' if met else '**missed**'} |"
        )
    polars = ratio(wall.get("polars"), wall.get("models"))
    if "polars" in cont:
        rows.append(
            f"| model build faster than the Polars peer | "
            f"{fmt_ratio(polars)} (Polars ÷ model build) | {verdict(polars, 1.0, above=True)} |"
        )
    smaller = result["sessions"] // 10
    if smaller in all_results and "contenders" in all_results[smaller]:
        other = all_results[smaller]["contenders"]
        for name in ("models", "full", "floor"):
            if name in other and wall.get(name) and other[name].get("wall_s"):
                growth = wall[name] / other[name]["wall_s"]
                rows.append(
                    f"| {name}: {result['sessions']:,} takes ≤ 10.5× {smaller:,} | "
                    f"{fmt_ratio(growth)} | {verdict(growth, 10.5)} |"
                )
    inc = result.get("incremental")
    if inc:
        share = ratio(inc["incremental"]["wall_s"], inc["full"]["wall_s"])
        limit = incremental_limit(inc)
        rows.append(
            f"| incremental build after a {change_label(inc)} change ≤ {limit * 100:g} % of a full build | "
            f"{fmt_ratio(share * 100 if share else None, ' %')} | {verdict(share, limit)} |"
        )
    storage = result.get("storage")
    if storage:
        size = ratio(storage["warehouse_bytes"], result["export"]["bytes"])
        rows.append(
            f"| warehouse no bigger than the export | {storage['warehouse_bytes'] / MIB:,.0f} MiB, "
            f"{fmt_ratio(size)} the export | {verdict(size, 1.0)} |"
        )
    parse = result.get("parse")
    if parse:
        rows.append(
            f"| `dbt parse` without partial parsing ≤ 3 s | {fmt_s(parse['full_s'])} | "
            f"{verdict(parse['full_s'], 3.0)} |"
        )
    bi = result.get("bi")
    if bi:
        reading = [b["view"] for b in bi if b["scans_fct_sessions"]]
        rows.append(
            f"| every metric view reads the pre-aggregated table | "
            f"{len(bi) - len(reading)}/{len(bi)} views | "
            f"{'**met**' if not reading else '**missed**: ' + ', '.join(reading)} |"
        )
    return rows


def incremental_limit(inc: dict[str, Any]) -> float:
    """The issue's target for the incremental share: ≤ 5 % after a 1 % change, ≤ 2 % after a 0.1 % one."""
    return 0.02 if inc.get("change_share", 0.01) <= 0.001 else 0.05


def change_label(inc: dict[str, Any]) -> str:
    """The incremental measurement's change as a percentage (results written before --change-share: 1 %)."""
    return f"{inc.get('change_share', 0.01) * 100:g} %"


def render_incremental(inc: dict[str, Any]) -> list[str]:
    share = ratio(inc["incremental"]["wall_s"], inc["full"]["wall_s"])
    agreement = inc["agreement"]
    check = "; ".join(f"{k}: {'identical' if not v else 'differ: ' + '; '.join(v[:2])}" for k, v in agreement.items())
    models = inc["models_are_incremental"]
    return [
        f"**Incremental build after a {change_label(inc)} change** (`bench/run_bench.py` writes one new file per "
        "changed table next to the cached export: "
        + ", ".join(f"{t} {r:,} rows" for t, r in inc["delta_rows"].items())
        + f"; tombstones, closed sessions, new sessions, late participants and sentiment). "
        f"Incremental models in the project: {', '.join(models) if models else 'none'}.",
        "",
        "| run | wall time (median) | all runs (s) | peak RSS (tree) |",
        "|---|---:|---|---:|",
        *(
            f"| {LABELS[k].format(change=change_label(inc))} | {fmt_s(inc[v]['wall_s'])} | "
            f"{', '.join(map(str, inc[v]['walls_s']))} | "
            f"{fmt_gib(inc[v]['peak_rss'])} |"
            for k, v in (
                ("inc_base", "base"),
                ("inc_unchanged", "unchanged"),
                ("incremental", "incremental"),
                ("inc_full", "full"),
                ("inc_floor", "floor"),
            )
            if v in inc  # results written before the no-change run have no "unchanged"
        ),
        "",
        f"Incremental ÷ full: {fmt_ratio(share * 100 if share else None, ' %')}. "
        f"Metric totals vs the floor on the changed export: {check}.",
        *render_unchanged(inc),
    ]


def render_unchanged(inc: dict[str, Any]) -> list[str]:
    """The no-change run's share of a full build: the fixed cost under any incremental run."""
    if "unchanged" not in inc:
        return []
    share = ratio(inc["unchanged"]["wall_s"], inc["full"]["wall_s"])
    differ = inc.get("unchanged_agreement", {}).get("unchanged")
    same = "identical" if differ == [] else "differ: " + "; ".join((differ or ["not compared"])[:2])
    return [
        f"Incremental after no change ÷ full: {fmt_ratio(share * 100 if share else None, ' %')} "
        "(the cost of finding that nothing changed, plus dbt's parse and start-up: "
        "no incremental build is cheaper). "
        f"Its metric totals vs the build before the change: {same}.",
    ]


def render_bi(bi: list[dict[str, Any]]) -> list[str]:
    rows = [
        "**BI queries**: each metric view's unfiltered aggregate (the sum of every additive "
        "column; by closure reason for the closure view), median of 5 warm runs, vs the same "
        "aggregate computed from `fct_sessions`.",
        "",
        "| view | view (ms) | over fct_sessions (ms) | ratio | plan scans fct_sessions | same result |",
        "|---|---:|---:|---:|---|---|",
    ]
    for b in bi:
        rows.append(
            f"| {b['view']} | {b['view_ms']:.1f} | {b['fct_ms']:.1f} | {b['ratio']:.3f} | "
            f"{'yes' if b['scans_fct_sessions'] else 'no'} | "
            f"{'yes' if b['same_result'] else 'NO'} |"
        )
    return rows


def render_parse(parse: dict[str, Any] | None, compile_info: dict[str, Any]) -> list[str]:
    lines = (
        []
        if parse is None
        else [
            f"**dbt overhead**: `dbt parse` {fmt_s(parse['full_s'])} without partial parsing "
            f"(dbt's own load_all {fmt_s(parse['full_load_all_s'])}), {fmt_s(parse['partial_s'])} "
            f"with it (load_all {fmt_s(parse['partial_load_all_s'])}); starting Python and importing "
            f"dbt alone takes {fmt_s(parse['python_startup_s'])}.",
        ]
    )
    if compile_info:
        slow = ", ".join(f"{uid} {s:.2f} s" for uid, s in compile_info["slowest_compile"])
        slow_exec = ", ".join(f"{uid} {s:.1f} s" for uid, s in compile_info["slowest_execute"])
        lines.append(
            f"In the model build (dbt's elapsed {fmt_s(compile_info['elapsed_s'])}), compiling "
            f"the nodes took {fmt_s(compile_info['compile_total_s'])} in all; slowest to compile: "
            f"{slow}. Slowest to run: {slow_exec}."
        )
    return lines


START = "<!-- bench:{n} start -->"
END = "<!-- bench:{n} end -->"
HEADER = """# Benchmarks

Written by `make bench` (`python -m omnichannel_tools.benchmark`); each size's section is replaced
when that size is re-run. How to run and what is measured: README.md (`make bench`) and the
docstring of `omnichannel_tools/benchmark`.
"""


def write_benchmarks(sessions: int, section: str) -> None:
    """Insert or replace the section of one size in BENCHMARKS.md (sizes in increasing order)."""
    text = BENCHMARKS_MD.read_text() if BENCHMARKS_MD.exists() else HEADER
    start, end = START.format(n=sessions), END.format(n=sessions)
    block = f"{start}\n{section}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        # Before the first section of a larger size, else at the end.
        position = len(text)
        for match in re.finditer(r"<!-- bench:(\d+) start -->", text):
            if int(match.group(1)) > sessions:
                position = match.start()
                break
        text = text[:position].rstrip("\n") + "\n\n" + block + "\n\n" + text[position:].lstrip("\n")
    BENCHMARKS_MD.write_text(text.rstrip("\n") + "\n")
