"""Benchmark a processor incident with thousands of controller customers (docs/performance.md).

    python benchmarks/bench_customers.py DIR [--customers 3000] [--runs 3]

In a fresh log in DIR: ``breach new`` of the facts with N controllers (whole process), then
``breach notice ID controller --all --output-dir`` (whole process, N letters), then the
incident screen opening in the terminal UI (headless, from the key press on the dashboard
to the painted incident screen). Medians of --runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import breach_command

ROOT = Path(__file__).resolve().parents[1]

OPEN_SCREEN = r"""
import sys, time
from breach.clock import system_clock
from breach.service import IncidentLog
from breach.service.rulebook import load
from breach.settings import Settings
from breach.ui.app import make_app

settings = Settings.load(db=sys.argv[1], zone="Europe/Amsterdam", actor="bench")
app = make_app(IncidentLog.open(settings.db, load, system_clock, "bench"), settings)

async def auto_pilot(pilot):
    await pilot.pause()
    started = time.perf_counter()
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    print(f"{time.perf_counter() - started:.4f} {type(screen).__name__}")
    pilot.app.exit()

app.run(headless=True, size=(120, 40), auto_pilot=auto_pilot)
"""


def facts(customers: int) -> dict[str, object]:
    """The voicemail example with ``customers`` controller customers, each with its people."""
    data = json.loads((ROOT / "examples" / "infra-voip-voicemail-exposed.json").read_text())
    data["subjects"]["count"] = customers * 3
    data["controllers"] = [
        {
            "name": f"Customer {n:05d} B.V.",
            "contact": f"privacy@customer{n}.example",
            "notice_hours": 24,
            "subjects": 3,
            "language": ("nl", "en", "fr", "de")[n % 4],
        }
        for n in range(customers)
    ]
    return data


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--customers", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    source = args.dir / "facts.json"
    source.write_text(json.dumps(facts(args.customers)), encoding="utf-8")
    breach = breach_command()
    news, letters, screens = [], [], []
    for run in range(args.runs):
        db = args.dir / f"run{run}.db"
        db.unlink(missing_ok=True)
        news.append(timed([*breach, "--db", str(db), "new", str(source)]))
        out = args.dir / f"letters{run}"
        drafting = ["notice", "BR-2026-0001", "controller", "--all", "--output-dir", str(out)]
        letters.append(timed([*breach, "--db", str(db), *drafting]))
        shown = subprocess.run(
            [sys.executable, "-c", OPEN_SCREEN, str(db)], check=True, capture_output=True, text=True
        ).stdout.split()
        screens.append(float(shown[0]))
    n = f"{args.customers:,} customers"
    print(f"breach new, {n}: {statistics.median(news):.2f} s (budget 1 s)")
    print(f"notice controller --all, {n}: {statistics.median(letters):.2f} s (budget 15 s)")
    print(f"incident screen opens, {n}: {statistics.median(screens):.2f} s (budget 1 s)")


if __name__ == "__main__":
    main()
