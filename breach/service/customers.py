"""Controller customers at scale: import them from a CSV file, record deliveries from a mail
tool's log, count who has been informed.

A hosted-PBX provider has thousands of business customers. They come in as one CSV file
(``name, contact, notice_hours, subjects, language``) and become the facts' ``controllers``
(a new facts version, re-assessed: one ``notify_controller`` duty each). Deliveries come
back as the mail tool's log (who, when, status, message id) and mark those duties done.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from ..clock import parse_instant
from ..errors import BadInput
from ..model import ControllerContact, first_problem
from .incidents import Change, Fulfilment, IncidentService

#: Column names a controllers file may use (lower-case), and the field each fills.
CONTROLLER_COLUMNS = {
    "name": "name",
    "contact": "contact",
    "email": "contact",
    "notice_hours": "notice_hours",
    "hours": "notice_hours",
    "subjects": "subjects",
    "people": "subjects",
    "language": "language",
    "lang": "language",
}
#: Column names of a mail tool's delivery log, and what each says.
DELIVERY_COLUMNS = {
    "name": "name",
    "recipient": "contact",
    "to": "contact",
    "email": "contact",
    "contact": "contact",
    "sent_at": "sent_at",
    "date": "sent_at",
    "time": "sent_at",
    "timestamp": "sent_at",
    "status": "status",
    "reference": "reference",
    "message_id": "reference",
    "message-id": "reference",
}
#: Delivery statuses that mean the message did not arrive: the duty stays open.
FAILED = {"bounced", "failed", "rejected", "deferred", "dropped", "error", "undelivered"}


class CsvError(BadInput):
    """A CSV file the command cannot use; the message names the file and line."""


def _rows(
    text: str, source: str, columns: dict[str, str], required: str
) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV text (comma or semicolon separated) keyed by field, with line numbers."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise CsvError(f"{source}: the file is empty")
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
        unknown = [h for h in header if h and h not in columns]
        if unknown:
            raise CsvError(
                f"{source} line 1: unknown column {unknown[0]!r} "
                f"(columns: {', '.join(sorted(set(columns)))})"
            )
        if not any(columns.get(h) == required for h in header):
            raise CsvError(f"{source} line 1: no {required!r} column")
        rows = []
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise CsvError(
                    f"{source} line {line}: {len(values)} values for {len(header)} columns"
                )
            row = {columns[h]: v.strip() for h, v in zip(header, values, strict=True) if h}
            rows.append((line, row))
    except csv.Error as err:
        raise CsvError(f"{source} line {reader.line_num}: {err}") from None
    return rows


def read_controllers(text: str, source: str) -> list[ControllerContact]:
    """The controller customers of a CSV file; any problem names its line and field."""
    contacts: list[ControllerContact] = []
    seen: dict[str, int] = {}
    for line, row in _rows(text, source, CONTROLLER_COLUMNS, "name"):
        data: dict[str, Any] = {k: v for k, v in row.items() if v != ""}
        for number in ("notice_hours", "subjects"):
            if number in data:
                data[number] = _number(data[number], source, line, number)
        try:
            contact = ControllerContact.model_validate(data)
        except ValidationError as err:
            problem = first_problem(err)
            raise CsvError(f"{source} line {line}: {problem.path}: {problem.what}") from None
        if contact.name in seen:
            raise CsvError(
                f"{source} line {line}: {contact.name!r} is already on line {seen[contact.name]}"
            )
        seen[contact.name] = line
        contacts.append(contact)
    if not contacts:
        raise CsvError(f"{source}: no controller rows below the header")
    return contacts


def _number(text: str, source: str, line: int, name: str) -> int | float:
    """A whole number for ``subjects``, a number of hours for ``notice_hours``."""
    try:
        return int(text) if name == "subjects" else float(text)
    except ValueError:
        raise CsvError(f"{source} line {line}: {name}: {text!r} is not a number") from None


def import_controllers(
    service: IncidentService,
    incident_id: str,
    contacts: list[ControllerContact],
    replace: bool = False,
) -> Change:
    """Merge ``contacts`` into the incident's controllers (same name: the file wins), or
    replace them all; one new facts version, re-assessed."""
    _, current = service.store.facts(incident_id)
    listed = {c.name: c.model_dump(mode="json") for c in contacts}
    kept = (
        [] if replace else [c for c in current.get("controllers") or [] if c["name"] not in listed]
    )
    return service.update(incident_id, {"controllers": kept + list(listed.values())})


@dataclass
class Delivery:
    """One line of a mail tool's log."""

    line: int
    name: str
    contact: str
    sent_at: datetime | None
    status: str
    reference: str


@dataclass
class BatchResult:
    """What a delivery log changed: duties marked done, and the lines it could not use."""

    done: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def read_deliveries(text: str, source: str, tz: str | None = None) -> list[Delivery]:
    """The deliveries of a mail tool's CSV log (recipient, sent_at, status, reference)."""
    rows = _rows(text, source, DELIVERY_COLUMNS, "sent_at")
    result = []
    for line, row in rows:
        if not (row.get("name") or row.get("contact")):
            raise CsvError(f"{source} line {line}: no recipient (name or e-mail)")
        try:
            sent = parse_instant(row["sent_at"], tz) if row.get("sent_at") else None
        except BadInput as err:
            raise CsvError(f"{source} line {line}: sent_at: {err}") from None
        result.append(
            Delivery(
                line,
                row.get("name", ""),
                row.get("contact", "").lower(),
                sent,
                row.get("status", "").lower(),
                row.get("reference", ""),
            )
        )
    return result


def record_deliveries(
    service: IncidentService, incident_id: str, deliveries: list[Delivery], reason: str | None
) -> BatchResult:
    """Mark each delivered controller notice's duty done (at its sent time, with its
    message id); bounced lines and lines naming no controller are reported, not guessed."""
    duties = [d for d in service.store.duties(incident_id) if d["duty"] == "notify_controller"]
    by_name = {(d["recipient"] or {}).get("name", ""): d for d in duties}
    by_contact: dict[str, dict[str, Any]] = {}
    for duty in duties:
        for address in ((duty["recipient"] or {}).get("contact") or "").lower().split(";"):
            if address.strip():
                by_contact.setdefault(address.strip(), duty)
    result = BatchResult()
    items: list[Fulfilment] = []
    seen: set[str] = set()
    for item in deliveries:
        match = by_name.get(item.name) or by_contact.get(item.contact)
        who = item.name or item.contact
        if match is None:
            result.unmatched.append(f"line {item.line}: {who}")
        elif item.status in FAILED:
            result.failed.append(f"line {item.line}: {who} ({item.status})")
        elif match["done_at"] or match["id"] in seen:
            result.already.append(match["id"])
        else:
            ref = item.reference or None
            items.append(Fulfilment(match["id"], item.sent_at, ref, "e-mail", reason))
            result.done.append(match["id"])
            seen.add(match["id"])
    if items:
        service.mark_done_many(incident_id, items)
    return result


def informed(duties: list[dict[str, Any]]) -> tuple[int, int]:
    """(done, required) controller notices: "2,998 of 3,000 customers informed"."""
    required = [d for d in duties if d["duty"] == "notify_controller" and d["status"] == "required"]
    return sum(1 for d in required if d["done_at"]), len(required)
