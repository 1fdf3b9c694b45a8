"""What the benchmark scripts share: the command a user runs, and timing whole processes."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path


def breach_command() -> list[str]:
    """The ``breach`` console script next to this Python, else ``python -m breach``."""
    script = Path(sys.executable).with_name("breach")
    return [str(script)] if script.exists() else [sys.executable, "-m", "breach"]


def wall_times(command: list[str], runs: int) -> tuple[float, float]:
    """(median, best) wall time in seconds of running ``command`` ``runs`` times."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)
