"""Exports for ticketing systems and calendars, and import back.

Core code: no Textual. ``breach.export/1`` JSON is streamed from fragments SQLite builds;
the other formats read the same incidents one by one and map them. :data:`WRITERS` is
the one list of formats: the CLI's choices and its help are derived from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from typing import Any, BinaryIO, NamedTuple, Protocol

from ..store import Store
from . import tickets, veris, webhook
from .common import Options, json_line
from .csvfmt import write_csv
from .ics import write_ics
from .jsonfmt import page_lines, write_json
from .source import Selection, incidents, read_pages

Tick = Callable[[int], None]


class Write(Protocol):
    """Write the selected incidents of ``store`` to ``out``; return how many there were."""

    def __call__(
        self, store: Store, selection: Selection, out: BinaryIO, options: Options, tick: Tick
    ) -> int: ...


class Writer(NamedTuple):
    """An export format: what it is, and how it is written."""

    help: str
    write: Write


def _json(store: Store, selection: Selection, out: BinaryIO, options: Options, tick: Tick) -> int:
    with closing(read_pages(store, selection, page_lines)) as pages:
        return write_json(out, pages, options.exported_at, tick, options.audit_head)


def _each(
    write: Callable[[BinaryIO, Iterable[dict[str, Any]], Options, Callable[[], None]], int],
) -> Write:
    """A format written from the incidents one by one (iCalendar, CSV)."""

    def run(store: Store, selection: Selection, out: BinaryIO, options: Options, tick: Tick) -> int:
        with closing(incidents(store, selection)) as items:
            return write(out, items, options, lambda: tick(1))

    return run


Payloads = Callable[[dict[str, Any], Options, Selection], Iterator[dict[str, Any]]]


def _lines(payloads: Payloads) -> Write:
    """A format of one JSON object per line, each incident giving one or more."""

    def run(store: Store, selection: Selection, out: BinaryIO, options: Options, tick: Tick) -> int:
        count = 0
        with closing(incidents(store, selection)) as items:
            for incident in items:
                for payload in payloads(incident, options, selection):
                    out.write(json_line(payload))
                count += 1
                tick(1)
        return count

    return run


def _thehive(incident: dict[str, Any], options: Options, _: Selection) -> Iterator[dict[str, Any]]:
    build = tickets.thehive_alert if options.thehive_kind == "alert" else tickets.thehive_case
    yield build(incident, options)


WRITERS: dict[str, Writer] = {
    "json": Writer("breach.export/1 (schema: `breach schema export`)", _json),
    "jira": Writer(
        "Jira issue-create payloads, one per line",
        _lines(lambda incident, options, _: iter([tickets.jira_issue(incident, options)])),
    ),
    "thehive": Writer("TheHive 5 case (or alert) payloads, one per line", _lines(_thehive)),
    "webhook": Writer(
        "breach.webhook/1 events, one per timeline change, one per line "
        "(schema: `breach schema webhook`)",
        _lines(lambda incident, options, sel: webhook.webhook_events(incident, options, sel.since)),
    ),
    "ics": Writer("iCalendar: each deadline an event with alarms, stable UIDs", _each(write_ics)),
    "veris": Writer(
        "VERIS 1.4 incidents (verisc schema), GDPR details under `plus`, one per line",
        _lines(lambda incident, options, _: iter([veris.veris_incident(incident, options)])),
    ),
    "csv": Writer(
        "the breach register (Art. 33(5)), formula injection neutralised", _each(write_csv)
    ),
}
FORMATS = tuple(WRITERS)

__all__ = ["FORMATS", "WRITERS", "Options", "Selection", "Writer", "export"]


def export(
    store: Store,
    selection: Selection,
    fmt: str,
    out: BinaryIO,
    options: Options,
    tick: Tick = lambda n: None,
) -> int:
    """Write the selected incidents to ``out`` in ``fmt``; returns how many incidents.

    The reading generator is closed before returning, also when writing fails (a closed
    pipe), so its snapshot ends while the store is still open.
    """
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}")
    return WRITERS[fmt].write(store, selection, out, options, tick)
