"""Exports for ticketing systems and calendars, and import back (issue 7).

Core code: no Textual. ``breach.export/1`` JSON is streamed from fragments SQLite builds;
the other formats read the same incidents one by one and map them:

=========  =================================================================
json       ``breach.export/1`` (schema: ``breach schema export``)
jira       Jira issue-create payloads, one per line
thehive    TheHive 5 case (or alert) payloads, one per line
webhook    one TheHive-webhook-shaped event per timeline change, one per line
ics        iCalendar: each deadline an event with alarms, stable UIDs
veris      VERIS 1.4.1-shaped incidents, GDPR details under ``plus``, one per line
csv        the breach register (Art. 33(5)), formula injection neutralised
=========  =================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing
from typing import Any, BinaryIO

from ..store import Store
from .common import Options, json_line
from .source import Selection, incidents, read_pages

FORMATS = ("json", "jira", "thehive", "webhook", "ics", "veris", "csv")

__all__ = ["FORMATS", "Options", "Selection", "export"]


def export(
    store: Store,
    selection: Selection,
    fmt: str,
    out: BinaryIO,
    options: Options,
    tick: Callable[[int], None] = lambda n: None,
) -> int:
    """Write the selected incidents to ``out`` in ``fmt``; returns how many incidents.

    The reading generator is closed before returning, also when writing fails (a closed
    pipe), so its snapshot ends while the store is still open.
    """
    if fmt == "json":
        from .jsonfmt import page_lines, write_json

        with closing(read_pages(store, selection, page_lines)) as pages:
            return write_json(out, pages, options.exported_at, tick)
    with closing(incidents(store, selection)) as items:
        if fmt == "ics":
            from .ics import write_ics

            return write_ics(out, items, options, lambda: tick(1))
        if fmt == "csv":
            from .csvfmt import write_csv

            return write_csv(out, items, options, lambda: tick(1))
        payloads = _payloads(fmt, options, selection)
        count = 0
        for incident in items:
            for payload in payloads(incident):
                out.write(json_line(payload))
            count += 1
            tick(1)
        return count


def _payloads(
    fmt: str, options: Options, selection: Selection
) -> Callable[[dict[str, Any]], Iterator[dict[str, Any]]]:
    """The function mapping one incident to the objects a line-per-object format writes."""
    from . import tickets, veris

    if fmt == "jira":
        return lambda incident: iter([tickets.jira_issue(incident, options)])
    if fmt == "thehive":
        build = tickets.thehive_alert if options.thehive_kind == "alert" else tickets.thehive_case
        return lambda incident: iter([build(incident, options)])
    if fmt == "webhook":
        return lambda incident: tickets.webhook_events(incident, options, selection.since)
    if fmt == "veris":
        return lambda incident: iter([veris.veris_incident(incident, options)])
    raise ValueError(f"unknown export format {fmt!r}")
