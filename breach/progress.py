"""Progress on standard error for long exports and imports — only when it is a terminal.

Scripts and pipes get nothing (their stderr stays clean); a person at a terminal sees a
bar that disappears when the work is done. rich is imported only in that case.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

Advance = Callable[[int], None]


def wanted(stream: TextIO | None = None, output_is_terminal: bool = False) -> bool:
    """Show progress: ``stream`` (stderr) is a terminal that the output is not drawn on."""
    target = stream if stream is not None else sys.stderr
    isatty = getattr(target, "isatty", None)
    return bool(isatty and isatty()) and not output_is_terminal


@contextmanager
def progress(
    label: str,
    total: int | None,
    stream: TextIO | None = None,
    show: bool = True,
    in_bytes: bool = False,
) -> Iterator[Advance]:
    """A context yielding ``advance(n)``; draws a bar on ``stream`` when ``show``
    (``in_bytes``: the total and the steps are bytes of a file)."""
    if not show:
        yield _ignore
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TimeRemainingColumn,
    )

    target = stream if stream is not None else sys.stderr
    # the bar's own escapes go to the terminal itself, not through the CLI's filter
    console = Console(file=getattr(target, "unfiltered", target))
    columns: list[str | ProgressColumn] = [
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn() if in_bytes else MofNCompleteColumn(),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)

        def advance(n: int = 1) -> None:
            bar.advance(task, n)

        yield advance


def _ignore(n: int = 1) -> None:
    """No progress to show."""
