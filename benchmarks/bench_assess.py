"""Benchmark the decision engine (numbers recorded in docs/performance.md).

    python benchmarks/bench_assess.py [--runs 21] [--seconds 3]

1. Whole process: median and best wall time of `breach assess FILE --json --now …` over
   --runs, against `python -c pass` and against Python + pydantic + one model (the floor
   of any command that validates). Budget: at most 3 times that floor.
2. In-process: assessments per second of `engine.assess`, rules loaded once: the median (and
   best) over batches of 2,000 incidents, for about --seconds of assessing. Every incident
   is new: a variant of one of the four examples with its own detection and awareness
   times, number of people and countries, made before its batch is timed. Budget: at least
   2,000 per second for the single pass (``analyse=False``); the same with the analysis of
   what to find out first is reported beside it.
3. The analysis of what to find out first, for facts with 10 unknowns: the median time of
   ``engine.assess`` with it, over --runs. Budget: at most 50 ms.
"""

from __future__ import annotations

import argparse
import compileall
import copy
import itertools
import json
import random
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from common import breach_command, wall_times  # benchmarks/common.py, next to this script

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXAMPLE = EXAMPLES / "mixvoip-cdr-exfiltration.json"
# The floor any pydantic-based command pays: import pydantic and build one model.
PYDANTIC_FLOOR = "from pydantic import BaseModel\nclass A(BaseModel):\n    x: int\nA(x=1)"


def variants(parse: Any, chosen: random.Random) -> Iterator[Any]:
    """Endless new incidents: variants of the examples (other times, counts, countries)."""
    bases = [(path, json.loads(path.read_text())) for path in sorted(EXAMPLES.glob("*.json"))]
    while True:
        path, base = chosen.choice(bases)
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
        yield parse(json.dumps(data), str(path))


class Rates(NamedTuple):
    """Assessments per second over batches: median, best, and how many were made."""

    median: float
    best: float
    count: int


def assessments_per_second(seconds: float, analyse: bool = False, batch: int = 2000) -> Rates:
    """Assessments per second over batches of ``batch`` new incidents (see the module doc).

    The median of batches is robust to the other tenants of a shared VM, whose bursts
    would otherwise decide an average over the whole run.
    """
    from breach.engine import assess
    from breach.model import parse_facts
    from breach.rules import load_rules

    rules = load_rules()
    stream = variants(parse_facts, random.Random(2026))
    now = datetime(2026, 12, 1, tzinfo=UTC)
    rates: list[float] = []
    spent = 0.0
    while spent < seconds:
        facts = list(itertools.islice(stream, batch))  # made before the clock starts
        start = time.perf_counter()
        for item in facts:
            assess(item, rules, now, analyse=analyse)
        elapsed = time.perf_counter() - start
        rates.append(batch / elapsed)
        spent += elapsed
    return Rates(statistics.median(rates), max(rates), batch * len(rates))


#: Facts with ten unknowns the rules read: the analysis's heavy case.
TEN_UNKNOWNS = {
    "organisation": "mixvoip",
    "role": "controller",
    "detected_at": "2026-11-20T08:00:00+01:00",
    "ecs_data": True,
    "protection": "encrypted",
    "protection_state_of_the_art": True,
}


def analysis_ms(runs: int) -> tuple[float, int]:
    """Median milliseconds of one assessment with its analysis, and how many unknowns."""
    from breach.engine import assess
    from breach.engine.decisive import open_facts
    from breach.model import facts_from_data
    from breach.rules import load_rules

    rules = load_rules()
    facts = facts_from_data(TEN_UNKNOWNS)
    now = datetime(2026, 11, 21, tzinfo=UTC)
    unknowns = len(open_facts(facts, rules, rules.profiles["mixvoip"].countries))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        assess(facts, rules, now)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), unknowns


def main() -> None:
    """Run both benchmarks and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    python = sys.executable
    compileall.compile_dir(str(ROOT / "breach"), quiet=1)  # as a wheel install would
    floor = wall_times([python, "-c", "pass"], args.runs)
    pydantic_floor = wall_times([python, "-c", PYDANTIC_FLOOR], args.runs)
    cli = [*breach_command(), "assess", str(EXAMPLE), "--json", "--now", "2026-12-01T00:00:00Z"]
    whole = wall_times(cli, args.runs)
    rate = assessments_per_second(args.seconds)
    full = assessments_per_second(args.seconds, analyse=True)
    analysis, unknowns = analysis_ms(max(args.runs, 21))
    for label, (median, best) in [
        ("python -c pass", floor),
        ("python + one pydantic model", pydantic_floor),
        ("breach assess (whole process)", whole),
    ]:
        timing = f"median {median * 1000:6.1f} ms, best {best * 1000:6.1f} ms"
        print(f"{label:31} {timing} ({args.runs} runs)")
    ratio = whole[0] / pydantic_floor[0]
    print(f"{'  against the pydantic floor':31} {ratio:.2f} times (budget: at most 3)")
    print(
        f"{'engine.assess, one pass':31} median {rate.median:6.0f} /s, best {rate.best:6.0f} /s "
        f"({rate.count} new incidents; budget: at least 2,000 /s)"
    )
    print(
        f"{'  with the analysis':31} median {full.median:6.0f} /s, best {full.best:6.0f} /s "
        f"({full.count} new incidents)"
    )
    print(
        f"{f'analysis, {unknowns} unknowns':31} median {analysis:6.1f} ms (budget: at most 50 ms)"
    )


if __name__ == "__main__":
    main()
