"""Showing times, urgency and typed text: the one place that turns UTC instants into the
responder's zone, and text from the log into something the terminal only displays."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text

from ..clock import countdown, format_local, zone
from ..textsafe import one_line, terminal_safe

URGENT = timedelta(hours=6)
SOON = timedelta(hours=24)


def plain(text: str | None, *, lines: bool = False) -> Text:
    """Text typed by someone (a title, a note, a name), as text: never markup, controls
    and bidi overrides neutralised; on one line unless ``lines``."""
    value = text or ""
    return Text(terminal_safe(value) if lines else one_line(value))


def parse_utc(text: str | None) -> datetime | None:
    """A stored ``...Z`` instant, or None."""
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def urgency(due: datetime | None, now: datetime) -> str:
    """ "overdue", "urgent" (< 6 h), "soon" (< 24 h), "later" or "none"."""
    if due is None:
        return "none"
    left = due - now
    if left < timedelta(0):
        return "overdue"
    if left < URGENT:
        return "urgent"
    if left < SOON:
        return "soon"
    return "later"


STYLES = {
    "overdue": "bold red",
    "urgent": "bold dark_orange",
    "soon": "yellow",
    "later": "green",
    "none": "dim",
}


def countdown_text(due: datetime | None, now: datetime, closed: bool = False) -> Text:
    """ "23 h 14 m left" / "OVERDUE 3 h 5 m", coloured by urgency (NO_COLOR drops colour)."""
    if closed:
        return Text("closed", style="dim")
    if due is None:
        return Text("no open deadline", style="dim")
    return Text(countdown(due, now), style=STYLES[urgency(due, now)])


def local(instant: datetime | None, zone_name: str | None) -> str:
    """An instant on the responder's wall clock."""
    return format_local(instant, zone_name) if instant else "—"


def short(instant: datetime | None, zone_name: str | None) -> str:
    """ "Fri 20 Nov 14:30" for a table column (the zone is in the title bar)."""
    if instant is None:
        return "—"
    return instant.astimezone(zone(zone_name)).strftime("%a %d %b %H:%M")


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis (the whole of it is shown below)."""
    return text if len(text) <= width else text[: max(width - 1, 0)].rstrip() + "…"
