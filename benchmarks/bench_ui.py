"""Benchmark the terminal UI (numbers recorded in docs/performance.md).

    python benchmarks/bench_ui.py DB [--runs 5]

First paint: a fresh process imports breach, opens DB and runs the app headless until the
dashboard has rendered its first page; the time from process start to then is printed
(median of --runs). Refresh: in one process, the time from a changed answer in the wizard
to the redrawn decision panel (re-assessment + render), median of 200 answers.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

FIRST_PAINT = r"""
import time, sys
started = time.perf_counter()
from breach.clock import system_clock
from breach.service import IncidentLog
from breach.service.rulebook import load
from breach.settings import Settings
from breach.ui.app import make_app

settings = Settings.load(db=sys.argv[1], zone="Europe/Luxembourg", actor="bench")
app = make_app(IncidentLog.open(settings.db, load, system_clock, "bench"), settings)

async def auto_pilot(pilot):
    await pilot.pause()
    rows = pilot.app.screen.query_one("#incidents").row_count
    print(f"{time.perf_counter() - started:.4f} {rows}")
    pilot.app.exit()

app.run(headless=True, size=(120, 40), auto_pilot=auto_pilot)
"""


def first_paint(db: Path, runs: int) -> tuple[float, int]:
    """Median seconds from process start to the first painted dashboard, and its rows."""
    times, rows = [], 0
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", FIRST_PAINT, str(db)], check=True, capture_output=True, text=True
        ).stdout.split()
        times.append(float(out[0]))
        rows = int(out[1])
    return statistics.median(times), rows


def refresh(db: Path, answers: int = 200) -> tuple[float, float]:
    """Median milliseconds from a changed answer to the updated decision panel (re-assess,
    rebuild and hand the text to the widget), and to the next rendered frame."""
    import asyncio

    from breach.clock import system_clock
    from breach.service import IncidentLog
    from breach.service.rulebook import load
    from breach.settings import Settings
    from breach.ui.app import make_app
    from breach.ui.screens.wizard import WizardScreen

    draft = {
        "title": "bench",
        "organisation": "mixvoip",
        "role": "controller",
        "detected_at": "2026-11-20T08:00:00+00:00",
        "ecs_data": True,
    }
    settings = Settings.load(db=str(db), zone="Europe/Luxembourg", actor="bench")
    app = make_app(IncidentLog.open(db, load(), system_clock, "bench"), settings)
    samples: list[float] = []
    frames: list[float] = []

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            wizard = WizardScreen(draft)
            await app.push_screen(wizard)
            await pilot.pause()
            for n in range(answers):
                wizard.draft["subjects"] = {"count": 100 + n, "kinds": [], "countries": ["LU"]}
                started = time.perf_counter()
                wizard.refresh_decision()
                samples.append((time.perf_counter() - started) * 1000)
                await pilot.pause()
                frames.append((time.perf_counter() - started) * 1000)

    asyncio.run(run())
    app.incident_log.close()
    return statistics.median(samples), statistics.median(frames)


def main() -> None:
    """Command line of the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    seconds, rows = first_paint(args.db, args.runs)
    print(f"first paint ({rows} rows on screen)         median {seconds:6.3f} s ({args.runs} runs)")
    updated, framed = refresh(args.db)
    print(f"answer -> decision panel updated     median {updated:6.1f} ms (200 answers)")
    print(f"answer -> next frame rendered        median {framed:6.1f} ms (with frame wait)")


if __name__ == "__main__":
    main()
