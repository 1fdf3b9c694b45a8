"""Benchmark the terminal UI (numbers recorded in docs/performance.md).

    python benchmarks/bench_ui.py DB [--runs 5]

First paint: a fresh process imports breach, opens DB and runs the app headless until the
dashboard has rendered its first page; the time from process start to then is printed
(median of --runs). Refresh: in one process, the time from a changed answer in the wizard
to the redrawn decision panel (re-assessment + render), median of 200 answers. Keys: in
one process at 80x24, the time from a key to the screen redrawn after it (the key's work
and the next frame), for the keys a responder presses on an incident: open it, switch
tabs, move down the duties, open a notice and leave it, back to the dashboard; median and
worst of each. Nothing is written to DB.
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


#: (what, keys) pressed in order on the incident with the nearest deadline
KEYS = (
    ("enter: open the incident", ("enter",)),
    ("down: next duty", ("down",)),
    ("2: Facts tab", ("2",)),
    ("3: Timeline tab", ("3",)),
    ("4: Notices tab", ("4",)),
    ("1: Duties tab", ("1",)),
    ("w: open its notice", ("w",)),
    ("escape: back to the incident", ("escape",)),
    ("escape: back to the dashboard", ("escape",)),
)


def keys(db: Path, rounds: int = 10) -> list[tuple[str, float, float, float]]:
    """(what, median ms, worst ms, median ms to the first frame) for each key: from the
    key to the last frame that changed what the terminal shows (the screen redrawn with
    everything the key does, also work a screen defers until it has painted, such as
    drafting a notice). A frame repainting the same cells (Textual repaints scrollbars
    after each layout) changes nothing a responder sees and is not counted."""
    import asyncio

    from textual import events

    from breach.clock import system_clock
    from breach.service import IncidentLog
    from breach.service.rulebook import load
    from breach.settings import Settings
    from breach.ui.app import make_app

    settings = Settings.load(db=str(db), zone="Europe/Luxembourg", actor="bench")
    app = make_app(IncidentLog.open(db, load(), system_clock, "bench"), settings)
    first: dict[str, list[float]] = {what: [] for what, _ in KEYS}
    last: dict[str, list[float]] = {what: [] for what, _ in KEYS}
    frames: list[tuple[float, object]] = []
    terminal = Terminal(80, 24)
    display = app._display  # every frame the app paints goes through it

    def counted(screen, update):  # type: ignore[no-untyped-def]
        if update is not None:  # None: the compositor found nothing to paint
            frames.append((time.perf_counter(), update))  # rendered after the key
        display(screen, update)

    app._display = counted  # type: ignore[method-assign]

    async def press(key: str) -> float:
        terminal.paint(frames)  # what the screen shows before the key
        frames.clear()
        started = time.perf_counter()
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)  # type: ignore[union-attr]
        while not frames and time.perf_counter() - started < 5:
            await asyncio.sleep(0)
        return started

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for _ in range(rounds):
                for what, pressed in KEYS:
                    started = await press(pressed[0])
                    first[what].append((frames[0][0] - started) * 1000 if frames else 5000.0)
                    await pilot.pause()  # everything the key set off, done
                    changed = terminal.paint(frames)
                    last[what].append((changed - started) * 1000 if changed else 0.0)
                    frames.clear()

    asyncio.run(run())
    app.incident_log.close()
    return [
        (what, statistics.median(v), max(v), statistics.median(first[what]))
        for what, v in last.items()
    ]


class Terminal:
    """What a terminal shows, from the frames the app painted (a pyte screen): to tell a
    frame that changes the screen from one that repaints the same cells."""

    def __init__(self, columns: int, lines: int) -> None:
        import io

        import pyte
        from rich.console import Console

        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.Stream(self.screen)
        # the frames' colours as a terminal gets them (a headless app's console has none)
        self.console = Console(
            file=io.StringIO(), width=columns, color_system="truecolor", force_terminal=True
        )

    def shown(self) -> tuple[tuple[object, ...], ...]:
        buffer, screen = self.screen.buffer, self.screen
        return tuple(
            tuple(buffer[y][x] for x in range(screen.columns)) for y in range(screen.lines)
        )

    def paint(self, frames: list[tuple[float, object]]) -> float | None:
        """Paint ``frames`` (time, update) in order; the time of the last one that changed
        what is shown (None if none did)."""
        changed = None
        before = self.shown()
        for at, update in frames:
            self.stream.feed(update.render_segments(self.console))  # type: ignore[attr-defined]
            now = self.shown()
            if now != before:
                changed, before = at, now
        return changed


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
    for what, median, worst, early in keys(args.db):
        print(
            f"key {what:<30} -> redrawn median {median:5.1f} ms, worst {worst:5.1f} ms "
            f"(first frame {early:5.1f} ms; 80x24)"
        )


if __name__ == "__main__":
    main()
