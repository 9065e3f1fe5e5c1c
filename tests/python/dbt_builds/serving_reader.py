"""A BI reader of the serving file, run as its own process by test_serving.py.

    python serving_reader.py SERVING OUT STOP PUBLISHED MODE

MODE hold: one read-only connection opened at the start and kept, queried again and again.
MODE loop: a new read-only connection per query, as a BI tool's fresh connection would be.
Each query reads every metric view in one statement (one snapshot): its row count, and the summed
total_sessions. Every reading goes to OUT as one JSON line {"after_publish", "fingerprint"} or
{"error"}; the reader stops when the file STOP exists. after_publish says whether the file
PUBLISHED existed before the query started.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

from omnichannel_tools.catalogue import metric_views


def fingerprint_query() -> str:
    counts = [f"(select count(*) from {view})" for view in metric_views()]
    return f"select {', '.join(counts)}, (select sum(total_sessions) from metric_total_sessions)"


def main() -> int:
    serving, out, stop, published, mode = sys.argv[1:6]
    query = fingerprint_query()
    held = duckdb.connect(serving, read_only=True) if mode == "hold" else None
    with Path(out).open("w", encoding="utf-8") as log:
        while not Path(stop).exists():
            after_publish = Path(published).exists()
            try:
                if held is not None:
                    row = held.execute(query).fetchone()
                else:
                    with duckdb.connect(serving, read_only=True) as con:
                        row = con.execute(query).fetchone()
                reading = {"after_publish": after_publish, "fingerprint": [int(v) for v in row]}
            except duckdb.Error as error:
                reading = {"error": f"{type(error).__name__}: {error}"}
            log.write(json.dumps(reading) + "\n")
            log.flush()
            time.sleep(0.05)
    if held is not None:
        held.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
