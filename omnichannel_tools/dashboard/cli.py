"""`make dashboard`: serve the Streamlit app on 127.0.0.1 and print its URL.

python -m omnichannel_tools.dashboard [--port 8501] [--address 127.0.0.1]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from omnichannel_tools.dashboard.source import serving_path

APP = Path(__file__).resolve().with_name("app.py")


def streamlit_command(address: str, port: int) -> list[str]:
    """The `streamlit run` command line: local address, no browser opened, no usage statistics."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("DASHBOARD_PORT", "8501")))
    args = parser.parse_args(argv)
    if os.environ.get("DASHBOARD_ENGINE", "duckdb") == "duckdb":
        print(f"Reading {serving_path()} (read-only)", flush=True)
    print(f"Dashboard: http://{args.address}:{args.port}/  (Ctrl-C stops it)", flush=True)
    command = streamlit_command(args.address, args.port)
    os.execv(command[0], command)  # streamlit takes this process over: a signal to it stops the server


if __name__ == "__main__":
    raise SystemExit(main())
