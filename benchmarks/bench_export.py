"""Benchmark ``breach export`` (numbers recorded in docs/performance.md, "Exports").

    python benchmarks/bench_store.py seed /tmp/big.db            # 100,000 incidents, once
    python benchmarks/bench_export.py /tmp/big.db [--runs 5] [--format json] [--out DIR]

Each run is a whole ``breach export`` process writing a file in --out (default: a
temporary directory on the same disk as /tmp); the previous output is deleted and the
page cache flushed to disk (``sync``) before each run, so one run's writeback does not slow
the next. Wall time is measured around the process; peak memory is the process's maximum
resident set size from ``wait4`` (what ``/usr/bin/time -v`` reports). ``--null`` also times
writing to /dev/null, to separate the disk from the export. ``--tracemalloc`` runs one
export in this process under tracemalloc and prints the peak of Python's own allocations.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from common import breach_command  # benchmarks/common.py, next to this script

NOW = "2026-12-01T00:00:00Z"


def one_run(db: Path, target: str, fmt: str) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one ``breach export`` process."""
    if target != os.devnull:
        Path(target).unlink(missing_ok=True)
    os.sync()
    command = [
        *breach_command(),
        "--db",
        str(db),
        "export",
        "--format",
        fmt,
        "-o",
        target,
        "--now",
        NOW,
    ]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"export failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024  # Linux: kilobytes


def traced(db: Path, fmt: str) -> float:
    """Peak of Python allocations (MB) of one export to /dev/null, in this process."""
    import tracemalloc

    from breach.export import Options, Selection, export
    from breach.store import Store

    tracemalloc.start()
    with Store.open(db) as store, open(os.devnull, "wb") as out:
        export(store, Selection(), fmt, out, Options(exported_at=NOW))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    """Command line of the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--format", default="json")
    parser.add_argument("--out", type=Path, help="directory for the output file")
    parser.add_argument("--null", action="store_true", help="also time output to /dev/null")
    parser.add_argument("--tracemalloc", action="store_true", help="Python allocation peak")
    args = parser.parse_args()
    from breach.store import Store

    with Store.open(args.db) as store:
        total = store.count_incidents()
    with tempfile.TemporaryDirectory(dir=args.out) as tmp:
        target = str(Path(tmp) / f"export.{args.format}")
        targets = [("file", target)] + ([("/dev/null", os.devnull)] if args.null else [])
        for label, path in targets:
            runs = [one_run(args.db, path, args.format) for _ in range(args.runs)]
            times = [t for t, _ in runs]
            size = Path(path).stat().st_size / 2**20 if path != os.devnull else 0
            print(
                f"export --format {args.format} of {total:,} incidents to {label}: "
                f"median {statistics.median(times):.1f} s, best {min(times):.1f} s, "
                f"worst {max(times):.1f} s; peak RSS {max(m for _, m in runs):.0f} MB"
                + (f"; output {size:,.0f} MB" if size else "")
                + f" ({args.runs} runs)"
            )
    if args.tracemalloc:
        print(f"tracemalloc peak of Python allocations: {traced(args.db, args.format):.0f} MB")


if __name__ == "__main__":
    main()
