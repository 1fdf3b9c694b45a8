"""Benchmark the decision engine (numbers recorded in docs/performance.md).

    python benchmarks/bench_assess.py [--runs 21] [--seconds 3] [--repeat-examples]

1. Whole process: median and best wall time of `breach assess FILE --json --now …` over
   --runs, against `python -c pass` and against Python + pydantic + one model (the floor
   of any pydantic command). The core imports no Textual.
2. In-process: assessments per second of `engine.assess` (and of `engine.decide` alone,
   before validation), rules loaded once: the median
   (and best) of half-second windows over --seconds. The facts are 200 distinct incidents
   made from the four examples (other times, counts and countries), so that nothing is
   measured on the same facts twice in a row and reused parts must earn their keep.
"""

from __future__ import annotations

import argparse
import compileall
import copy
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from common import breach_command, wall_times  # benchmarks/common.py, next to this script

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "mixvoip-cdr-exfiltration.json"
# The floor any pydantic-based command pays: import pydantic and build one model.
PYDANTIC_FLOOR = "from pydantic import BaseModel\nclass A(BaseModel):\n    x: int\nA(x=1)"


def incidents(parse: Any, per_example: int) -> list[Any]:
    """``per_example`` variants of each example: other detection times, counts, countries."""
    chosen = random.Random(2026)
    out = []
    for path in sorted((ROOT / "examples").glob("*.json")):
        base = json.loads(path.read_text())
        for _ in range(per_example):
            data = copy.deepcopy(base)
            detected = datetime.fromisoformat(data["detected_at"]) + timedelta(
                minutes=chosen.randrange(0, 60 * 24 * 60)
            )
            data["detected_at"] = detected.isoformat()
            data["aware_at"] = (detected + timedelta(hours=chosen.randrange(0, 48))).isoformat()
            subjects = data.setdefault("subjects", {})
            subjects["count"] = chosen.choice([None, chosen.randrange(1, 2_000_000)])
            extra = chosen.sample(["LU", "BE", "DE", "FR", "NL"], chosen.randrange(0, 3))
            subjects["countries"] = sorted({*subjects.get("countries", []), *extra})
            out.append(parse(json.dumps(data), str(path)))
    chosen.shuffle(out)
    return out


def assessments_per_second(
    seconds: float, window: float = 0.5, repeat_examples: bool = False, validate: bool = True
) -> tuple[float, float, int]:
    """Assessments per second over about ``seconds``: (median, best) of ``window``-long runs.

    The median of short windows is robust to the other tenants of a shared VM, whose
    bursts would otherwise decide an average over the whole run. ``validate=False`` times
    ``engine.decide`` (the decision as data) instead of ``engine.assess``.
    """
    from breach.engine import assess, decide
    from breach.inputs import parse_facts
    from breach.rules import load_rules

    rules = load_rules()
    if repeat_examples:  # the four examples, again and again (how sessions 1-2 measured)
        paths = sorted((ROOT / "examples").glob("*.json"))
        facts = [parse_facts(p.read_text(), str(p)) for p in paths]
    else:
        facts = incidents(parse_facts, 50)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    run = assess if validate else decide
    rates: list[float] = []
    total = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        count = 0
        start = time.perf_counter()
        while time.perf_counter() - start < window:
            for item in facts:
                run(item, rules, now)
            count += len(facts)
        rates.append(count / (time.perf_counter() - start))
        total += count
    return statistics.median(rates), max(rates), total


def main() -> None:
    """Run both benchmarks and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument(
        "--repeat-examples",
        action="store_true",
        help="assess the four examples over and over instead of 200 distinct incidents",
    )
    args = parser.parse_args()
    python = sys.executable
    compileall.compile_dir(str(ROOT / "breach"), quiet=1)  # as a wheel install would
    floor = wall_times([python, "-c", "pass"], args.runs)
    pydantic_floor = wall_times([python, "-c", PYDANTIC_FLOOR], args.runs)
    cli = [*breach_command(), "assess", str(EXAMPLE), "--json", "--now", "2026-12-01T00:00:00Z"]
    whole = wall_times(cli, args.runs)
    rate, best_rate, count = assessments_per_second(args.seconds, 0.5, args.repeat_examples)
    bare, best_bare, _ = assessments_per_second(args.seconds, 0.5, args.repeat_examples, False)
    for label, (median, best) in [
        ("python -c pass", floor),
        ("python + one pydantic model", pydantic_floor),
        ("breach assess (whole process)", whole),
    ]:
        timing = f"median {median * 1000:6.1f} ms, best {best * 1000:6.1f} ms"
        print(f"{label:31} {timing} ({args.runs} runs)")
    print(
        f"{'engine in-process':31} median {rate:6.0f} /s, best {best_rate:6.0f} /s "
        f"(0.5 s windows, {count} assessments)"
    )
    print(
        f"{'  engine.decide alone':31} median {bare:6.0f} /s, best {best_bare:6.0f} /s "
        "(the decision as data, not yet validated)"
    )


if __name__ == "__main__":
    main()
