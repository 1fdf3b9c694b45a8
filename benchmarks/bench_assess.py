"""Benchmark the decision engine (numbers recorded in docs/performance.md).

    python benchmarks/bench_assess.py [--runs 21] [--seconds 3]

1. Whole process: median wall time of `breach assess FILE --json --now …` over --runs,
   against `python -c pass` as the floor (the core imports no Textual).
2. In-process: assessments per second of `engine.assess` on the example facts, rules
   loaded once.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "mixvoip-cdr-exfiltration.json"


def median_seconds(command: list[str], runs: int) -> float:
    """Median wall time of running ``command`` ``runs`` times."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def assessments_per_second(seconds: float) -> tuple[float, int]:
    """How many in-process assessments run per second over about ``seconds``."""
    from breach.engine import assess
    from breach.inputs import parse_facts
    from breach.rules import load_rules

    rules = load_rules()
    facts = [parse_facts(p.read_text(), str(p)) for p in sorted((ROOT / "examples").glob("*.json"))]
    now = datetime(2026, 12, 1, tzinfo=UTC)
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for item in facts:
            assess(item, rules, now)
        count += len(facts)
    return count / (time.perf_counter() - start), count


def main() -> None:
    """Run both benchmarks and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    python = sys.executable
    floor = median_seconds([python, "-c", "pass"], args.runs)
    cli = [python, "-m", "breach", "assess", str(EXAMPLE), "--json", "--now", "2026-12-01T00:00:00Z"]
    whole = median_seconds(cli, args.runs)
    rate, count = assessments_per_second(args.seconds)
    print(f"python -c pass (floor):        median {floor * 1000:7.1f} ms over {args.runs} runs")
    print(f"breach assess (whole process): median {whole * 1000:7.1f} ms over {args.runs} runs")
    print(f"engine in-process:             {rate:9.0f} assessments/s ({count} assessments)")


if __name__ == "__main__":
    main()
