"""A throwaway PostgreSQL cluster for tests: initdb in a temporary folder, served on 127.0.0.1 only.

    python -m omnichannel_tools.loaders.postgres_cluster -- COMMAND [ARGS...]

starts a cluster (Debian's `postgresql` binaries, /usr/lib/postgresql/<version>/bin), runs
COMMAND with the connection in the environment (DBT_POSTGRES_HOST, _PORT, _USER, _PASSWORD,
_DATABASE; the superuser's password is random, made for this run, never written to the
repository), and stops the cluster and removes its folder whatever happens: COMMAND failing, an
exception, SIGTERM or SIGINT. Its exit code is COMMAND's. Run as root, initdb and the server run as
the `postgres` system user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

SUPERUSER = "postgres"
DATABASE = "omnichannel"
SYSTEM_USER = "postgres"


def postgres_bin() -> Path:
    """The newest installed PostgreSQL server's bin folder."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if not candidates:
        raise FileNotFoundError("no PostgreSQL server found under /usr/lib/postgresql (apt-get install postgresql)")
    return candidates[-1].parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_owner(command: list[str]) -> list[str]:
    """COMMAND run as the postgres system user when we are root (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SYSTEM_USER, "--", *command]


def _run(command: list[str], **kwargs: object) -> None:
    kwargs.setdefault("check", True)
    subprocess.run(_as_owner(command), **kwargs)  # noqa: S603


@contextlib.contextmanager
def cluster() -> Iterator[dict[str, str]]:
    """A running cluster; yields its connection environment. Stopped and removed on exit."""
    bin_dir = postgres_bin()
    root = Path(tempfile.mkdtemp(prefix="omnichannel-pg-"))
    data, password = root / "data", secrets.token_urlsafe(24)
    pwfile = root / "pwfile"
    pwfile.write_text(password + "\n")
    if os.geteuid() == 0:
        shutil.chown(root, SYSTEM_USER)
        shutil.chown(pwfile, SYSTEM_USER)
    port = free_port()
    started = False
    try:
        _run(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, f"--pwfile={pwfile}", "-A", "scram-sha-256"]
            + ["-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            stdout=subprocess.DEVNULL,
        )
        pwfile.unlink()
        options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root} -c fsync=off"
        options += " -c TimeZone=UTC -c max_connections=40 -c shared_buffers=256MB"
        _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-o", options, "-w", "start"])
        started = True
        env = {
            "DBT_POSTGRES_HOST": "127.0.0.1",
            "DBT_POSTGRES_PORT": str(port),
            "DBT_POSTGRES_USER": SUPERUSER,
            "DBT_POSTGRES_PASSWORD": password,
            "DBT_POSTGRES_DATABASE": DATABASE,
            "PGPASSWORD": password,
        }
        subprocess.run(
            [str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", SUPERUSER, DATABASE],
            check=True,
            env={**os.environ, **env},
        )
        yield env
    finally:
        if started:
            _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], check=False)
        shutil.rmtree(root, ignore_errors=True)


def _raise_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _raise_on_signal)
    with cluster() as env:
        print(f"PostgreSQL cluster on 127.0.0.1:{env['DBT_POSTGRES_PORT']} (stopped when the command ends)")
        return subprocess.run(args, env={**os.environ, **env}, check=False).returncode  # noqa: S603


if __name__ == "__main__":
    raise SystemExit(main())
