"""Deadlines as iCalendar (RFC 5545), written by hand: one VEVENT per duty with a due time.

- An open duty (required, not done, incident open) is a confirmed event at its due time
  with two alarms, 24 h and 2 h before.
- A duty that was done, is no longer required, or whose incident was closed is the same
  event, CANCELLED: importing a newer export into a calendar updates or removes it.
- UIDs are stable and name the log's installation
  (``BR-2026-0001.gdpr.notify_authority.LU.<installation>@breach``), so two logs never
  share one; SEQUENCE is the incident's version, so a re-import updates events instead of
  duplicating them.
- No METHOD: ``METHOD:PUBLISH`` would need an ORGANIZER in every event (RFC 5546 3.2.1),
  and RFC 5545 3.8.4.3 forbids ORGANIZER in events that are on one calendar only, not
  scheduled with attendees, as these deadlines are. METHOD is optional in RFC 5545: the
  file is a plain calendar to import.
- Text is escaped (``\\ ; , newline``); a tab becomes a space, C1 and bidi controls are
  dropped, other control characters show as their Control Pictures (ESC as ``␛``); lines
  are folded at 75 octets without splitting a UTF-8 character and end with CRLF.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

from .common import Options, clean, due_words, duty_title, is_open, one_line, utc

PRODID = "-//breach//breach export//EN"
ALARMS = (("PT24H", "24 hours"), ("PT2H", "2 hours"))


def write_ics(
    out: BinaryIO,
    incidents: Iterable[dict[str, Any]],
    options: Options,
    tick: Callable[[], None],
) -> int:
    """Write a VCALENDAR with an event per duty that has a due time; returns the incidents."""
    out.write(
        _lines(
            [
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                f"PRODID:{PRODID}",
                "CALSCALE:GREGORIAN",
                "X-WR-CALNAME:breach deadlines",
                *(
                    [f"X-BREACH-AUDIT-HEAD:{options.audit_head[0]}:{options.audit_head[1]}"]
                    if options.audit_head
                    else []
                ),
            ]
        )
    )
    count = 0
    for incident in incidents:
        for duty in incident.get("obligations") or []:
            if duty.get("due_at"):
                out.write(_lines(event(incident, duty, options)))
        count += 1
        tick()
    out.write(_lines(["END:VCALENDAR"]))
    return count


def uid(incident_id: str, duty_id: str, installation: str = "") -> str:
    """The event's UID: the same in every export of one log, unique across logs (the
    service always gives the installation; without one it is unique in one log only)."""
    return ".".join(part for part in (incident_id, duty_id, installation) if part) + "@breach"


def event(incident: dict[str, Any], duty: dict[str, Any], options: Options) -> list[str]:
    """The content lines (unfolded) of one duty's VEVENT."""
    live = incident.get("status") == "open" and is_open(duty)
    kind = due_words(duty)
    title = f"{incident['id']} {kind}: {duty_title(duty)}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{text(uid(incident['id'], duty['id'], options.installation))}",
        f"DTSTAMP:{stamp(options.exported_at)}",
        f"LAST-MODIFIED:{stamp(incident['updated_at'])}",
        f"SEQUENCE:{int(incident.get('version') or 0)}",
        f"DTSTART:{stamp(duty['due_at'])}",
        "DURATION:PT15M",
        f"SUMMARY:{text(title if live else 'Cancelled — ' + title)}",
        f"DESCRIPTION:{text(description(incident, duty, live))}",
        f"CATEGORIES:{text('breach')},{text(str(duty.get('regime') or ''))}",
        f"STATUS:{'CONFIRMED' if live else 'CANCELLED'}",
        "TRANSP:TRANSPARENT",
    ]
    if live:
        for trigger, words in ALARMS:
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                f"TRIGGER:-{trigger}",
                f"DESCRIPTION:{text(f'{words} left: {title}')}",
                "END:VALARM",
            ]
    lines.append("END:VEVENT")
    return lines


def description(incident: dict[str, Any], duty: dict[str, Any], live: bool) -> str:
    """The event's description: the incident, the duty, why, and how to close it."""
    recipient = duty.get("recipient") or {}
    parts = [
        f"Incident {incident['id']}: {one_line(incident.get('title'))}",
        f"Duty {duty['id']} ({duty.get('basis') or ''}), {due_words(duty)} {duty['due_at']}",
        one_line(duty.get("reason")),
    ]
    if recipient.get("contact"):
        parts.append(f"Contact: {one_line(recipient['contact'])}")
    if duty.get("done_at"):
        parts.append(f"Done at {duty['done_at']}" + _ref(duty))
    elif live:
        parts.append(f"When sent: breach done {incident['id']} {duty['id']} --reference REF")
    else:
        parts.append(
            "No longer due ("
            + str(duty.get("status"))
            + ", incident "
            + str(incident.get("status"))
            + ")"
        )
    return "\n".join(p for p in parts if p)


def _ref(duty: dict[str, Any]) -> str:
    return f", reference {one_line(duty['reference'])}" if duty.get("reference") else ""


def stamp(iso: str) -> str:
    """A UTC time in iCalendar's basic form: ``20260305T090000Z``."""
    return utc(iso).strftime("%Y%m%dT%H%M%SZ")


def text(value: str) -> str:
    """A TEXT value escaped per RFC 5545 3.3.11 (control characters dropped)."""
    value = clean(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    value = value.replace("\N{REPLACEMENT CHARACTER}", "")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> Iterator[bytes]:
    """One content line as octet lines of at most 75 octets (continuations start with a
    space), never splitting a UTF-8 character."""
    data = line.encode("utf-8")
    limit = 75
    while len(data) > limit:
        cut = limit
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # inside a multi-byte character
            cut -= 1
        yield data[:cut]
        data = b" " + data[cut:]
    yield data


def _lines(lines: list[str]) -> bytes:
    return b"".join(part + b"\r\n" for line in lines for part in fold(line))
