"""Benchmark the incident log (numbers recorded in docs/performance.md).

    python benchmarks/bench_store.py seed DB [--count 100000]   # build a big database
    python benchmarks/bench_store.py run DB [--runs 11]         # measure list/show/create
    python benchmarks/bench_store.py verify DB [--runs 3]       # audit verify, report
    python benchmarks/bench_store.py filters DB [--runs 7]      # a dashboard page, filtered

`seed` creates incidents through the service (the real code path: assessment, duties,
events, audit chain), committing in batches of 1,000 so that 100,000 take minutes, not
hours; a quarter are closed. `run` measures, whole process, `breach list --json` and
`breach show ID` (median and best of --runs), then the time to create 10,000 incidents
through the service one transaction each, as users do, in a fresh database. `verify`
measures `breach audit verify` (the whole chain and every row it vouches for) and
`breach report ID` (the whole chain, that incident's rows), whole process. `filters`
measures, in one process, one dashboard page (200 rows) under each filter the dashboard
offers — every organisation and regime the log holds, and one it does not hold (the worst
case: no row matches, the whole list is walked) — median of --runs each.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import breach_command, wall_times  # benchmarks/common.py, next to this script

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def varied_facts(rng: random.Random, n: int) -> list[dict[str, object]]:
    """``n`` facts documents: the examples with shifted times and sizes."""
    base = [json.loads(p.read_text()) for p in EXAMPLES]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    out = []
    for i in range(n):
        facts = dict(rng.choice(base))
        detected = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 330))
        facts["detected_at"] = detected.isoformat()
        facts["aware_at"] = (detected + timedelta(hours=rng.randrange(0, 12))).isoformat()
        facts["title"] = f"Seeded incident {i}"
        facts["subjects"] = {**facts["subjects"], "count": rng.randrange(1, 200_000)}
        out.append(facts)
    return out


def service_for(db: Path):  # type: ignore[no-untyped-def]
    """A service on ``db`` with the shipped rules and the real clock."""
    from breach.clock import system_clock
    from breach.rules import load_rules
    from breach.service.incidents import IncidentService
    from breach.store import Store

    store = Store.open(db)
    return store, IncidentService(store, load_rules(), system_clock, actor="bench")


def seed(db: Path, count: int, batch: int = 1000) -> None:
    """Create ``count`` incidents through the service, ``batch`` per transaction."""
    from breach.model import facts_from_data

    rng = random.Random(7)
    store, service = service_for(db)
    started = time.perf_counter()
    done = 0
    with store:
        while done < count:
            size = min(batch, count - done)
            documents = varied_facts(rng, size)
            with store.transaction():
                for data in documents:
                    incident_id = service.open(facts_from_data(data))
                    if rng.random() < 0.25:
                        service.set_status(incident_id, "closed")
            done += size
            rate = done / (time.perf_counter() - started)
            print(f"\rseeded {done:,}/{count:,} ({rate:,.0f}/s)", end="", file=sys.stderr)
    print(file=sys.stderr)


def run(db: Path, runs: int, create: int) -> None:
    """Measure list, show and creation."""
    entry = breach_command()
    from breach.store import Store

    with Store.open(db) as store:
        total = store.count_incidents()
        some_id = store.list_incidents()[len(store.list_incidents()) // 2]["id"]
    for label, args in [
        (f"breach list --json ({total:,} incidents)", ["list", "--json"]),
        (f"breach show {some_id}", ["show", some_id]),
        (f"breach show {some_id} --json", ["show", some_id, "--json"]),
    ]:
        median, best = wall_times([*entry, "--db", str(db), *args], runs)
        print(f"{label:44} median {median:6.3f} s, best {best:6.3f} s ({runs} runs)")
    from breach.model import facts_from_data

    with tempfile.TemporaryDirectory() as tmp:
        store, service = service_for(Path(tmp) / "create.db")
        documents = [facts_from_data(d) for d in varied_facts(random.Random(3), create)]
        with store:
            start = time.perf_counter()
            for facts in documents:
                service.open(facts)  # one transaction (and fsync) each
            elapsed = time.perf_counter() - start
    print(
        f"create {create:,} incidents through the service   {elapsed:6.1f} s "
        f"({create / elapsed:,.0f}/s)"
    )


def verify(db: Path, runs: int) -> None:
    """Measure ``audit verify`` and ``report`` on the log."""
    entry = breach_command()
    from breach.store import Store

    with Store.open(db) as store:
        entries = store.db.execute("SELECT count(*) FROM audit").fetchone()[0]
        total = store.count_incidents()
        some_id = store.list_incidents()[0]["id"]
    for label, args in [
        (f"breach audit verify ({total:,} incidents, {entries:,} entries)", ["audit", "verify"]),
        (f"breach report {some_id}", ["report", some_id]),
    ]:
        median, best = wall_times([*entry, "--db", str(db), *args], runs)
        print(f"{label:60} median {median:6.1f} s, best {best:6.1f} s ({runs} runs)")


def filters(db: Path, runs: int) -> None:
    """Measure a filtered dashboard page, the slowest filter of each kind named."""
    import statistics

    from breach.clock import system_clock
    from breach.rules import load_rules
    from breach.service import IncidentLog
    from breach.service.filters import Filters

    with IncidentLog.open(db, load_rules(), system_clock, "bench") as log:
        organisations = [*log.organisations(), "no-such-organisation"]
        regimes = [r[0] for r in log.regimes()]  # the national ones: none in the seed
        kinds = {
            "status": [Filters(status=s) for s in ("open", "closed", "all")],
            "organisation": [Filters(organisation=o) for o in organisations],
            "regime": [Filters(regime=r) for r in regimes],
            "due window": [Filters(due=d) for d in ("overdue", "24h", "72h")],
        }
        for kind, choices in kinds.items():
            timed = []
            for choice in choices:
                samples = []
                for _ in range(runs):
                    start = time.perf_counter()
                    log.page(choice.status == "all", "", 200, filters=choice)
                    samples.append((time.perf_counter() - start) * 1000)
                timed.append((statistics.median(samples), choice))
            worst, which = max(timed, key=lambda t: t[0])
            median = statistics.median(t[0] for t in timed)
            print(
                f"page filtered by {kind:13} median {median:5.1f} ms, worst {worst:5.1f} ms {which}"
            )


def main() -> None:
    """Command line of the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("seed")
    p.add_argument("db", type=Path)
    p.add_argument("--count", type=int, default=100_000)
    p = sub.add_parser("run")
    p.add_argument("db", type=Path)
    p.add_argument("--runs", type=int, default=11)
    p.add_argument("--create", type=int, default=10_000)
    p = sub.add_parser("verify")
    p.add_argument("db", type=Path)
    p.add_argument("--runs", type=int, default=3)
    p = sub.add_parser("filters")
    p.add_argument("db", type=Path)
    p.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if args.what == "seed":
        seed(args.db, args.count)
    elif args.what == "verify":
        verify(args.db, args.runs)
    elif args.what == "filters":
        filters(args.db, args.runs)
    else:
        run(args.db, args.runs, args.create)


if __name__ == "__main__":
    main()
