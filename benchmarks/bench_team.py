"""Benchmark live views: another process's change on a running dashboard (docs/performance.md).

    python benchmarks/bench_team.py DB [--runs 5]

The UI runs headless in this process on DB; each run, a second process (``breach note``
on the first incident, then ``breach new``) changes the log, and the time from that
process's exit (its commit is on disk) to the new incident's row on the dashboard is
measured. Median and worst of --runs. First paint is bench_ui.py's measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import breach_command

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "mixvoip-cdr-exfiltration.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from breach.clock import system_clock
    from breach.service import IncidentLog
    from breach.service.rulebook import load
    from breach.settings import Settings
    from breach.ui.app import make_app

    settings = Settings.load(db=str(args.db), zone="Europe/Luxembourg", actor="bench")
    app = make_app(IncidentLog.open(settings.db, load, system_clock, "bench"), settings)
    delays: list[float] = []

    def total() -> int:
        status = str(app.screen.query_one("#dashboard-status").render())
        return int(status.split(" of ")[1].split()[0].replace(",", ""))

    async def auto_pilot(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        for _ in range(args.runs):
            before = total()
            await asyncio.to_thread(
                subprocess.run,
                [*breach_command(), "--db", str(args.db), "new", str(EXAMPLE)],
                check=True,
                capture_output=True,
            )
            done = time.perf_counter()
            while total() == before:
                await asyncio.sleep(0.01)
            delays.append(time.perf_counter() - done)
        pilot.app.exit()

    app.run(headless=True, size=(120, 40), auto_pilot=auto_pilot)
    print(
        f"another process's new incident on the dashboard: median "
        f"{statistics.median(delays):.2f} s, worst {max(delays):.2f} s over {len(delays)} runs"
    )


if __name__ == "__main__":
    sys.exit(main())
