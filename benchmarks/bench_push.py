"""Benchmark ``breach push`` to a loopback server (numbers in docs/performance.md).

    python benchmarks/bench_push.py DIR [--count 1000] [--target jira] [--runs 3]

Seeds a log of --count incidents in DIR (once, through the service, as bench_store.py
does), then per run: a copy of that log, a loopback HTTP server in this process answering
as Jira (or TheHive, or a webhook receiver) does, and one whole ``breach push`` process
creating every incident there; then a second push of the same log, which must send nothing.
Medians of --runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from pathlib import Path

from common import breach_command

ENV = {
    "BREACH_JIRA_TOKEN": "bench",
    "BREACH_THEHIVE_KEY": "bench",
    "BREACH_WEBHOOK_SECRET": "bench",
}


class Answering(BaseHTTPRequestHandler):
    """Answers every POST as the target's create call, everything else with 204."""

    numbers = count(1)
    received = 0

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Answering.received += 1
        number = next(self.numbers)
        body = json.dumps({"id": str(number), "key": f"SEC-{number}", "_id": f"~{number}"})
        self._answer(201, body.encode())

    def do_PUT(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Answering.received += 1
        self._answer(204, b"")

    do_PATCH = do_PUT  # noqa: N815

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def seed(path: Path, incidents: int) -> None:
    """A log of ``incidents`` incidents (bench_store.py's seeding)."""
    subprocess.run(
        ["python", str(Path(__file__).with_name("bench_store.py")), "seed", str(path),
         "--count", str(incidents)],
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def timed_push(db: Path, target: str, url: str) -> float:
    command = [*breach_command(), "--db", str(db), "push", target, "--url", url]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=os.environ | ENV)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--target", choices=("jira", "thehive", "webhook"), default="jira")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    source = args.dir / f"push-{args.count}.db"
    if not source.exists():
        seed(source, args.count)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answering)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/" + (
        "hook" if args.target == "webhook" else ""
    )
    first, second = [], []
    for _ in range(args.runs):
        db = args.dir / "push-run.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copy(source, db)
        Answering.received = 0
        first.append(timed_push(db, args.target, url))
        sent = Answering.received
        second.append(timed_push(db, args.target, url))
        if Answering.received != sent:
            raise SystemExit("the second push sent requests: it should have sent none")
    server.shutdown()
    print(
        f"push {args.target}, {args.count} incidents ({sent} requests): "
        f"median {statistics.median(first):.2f} s, best {min(first):.2f} s; "
        f"second push (nothing to send) median {statistics.median(second):.2f} s"
    )


if __name__ == "__main__":
    main()
