"""The breach register (GDPR Art. 33(5)) as CSV: one row per incident.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
return) as a formula — ``=cmd|' /C calc'!A0`` is the classic. Every such text cell is
written with a leading apostrophe, the neutralisation OWASP recommends, so the register
opens as text. Line breaks in text stay inside quoted cells (RFC 4180); every other
control character (terminal escapes included) and every bidi control is removed.

A cell that lists things (notifications sent, exemptions, late reasons, duties) has one
item per line; an item's own line breaks become spaces, so splitting the cell on line
breaks gives the items back, whatever ``;`` or ``,`` the user text holds. Lists of codes
(data categories, kinds of people, countries) are joined with ``, ``: no code has a comma.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from .common import Options, decision, duty_title

COLUMNS = (
    "id", "title", "status", "organisation", "role", "detected_at", "aware_at",
    "recorded_at", "updated_at", "summary", "personal_data_breach", "data_categories",
    "subjects_count", "subjects_kinds", "subjects_countries", "confidentiality", "integrity",
    "availability", "exfiltration", "protection", "risk", "risk_source", "severity_band",
    "severity_score", "mitigation", "notified_authority", "notified_data_subjects",
    "exemptions", "late_reasons", "next_due", "next_duty", "duties",
)  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# C0 but tab and line feed, DEL, C1, and the bidi controls (as breach.textsafe lists them)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# the large parts of an exported incident that the register does not read
_UNREAD = ("events", "notices", "facts_history")


def plain(text: str) -> str:
    """Text with line endings as ``\\n`` and every other control character removed
    (tabs kept)."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _plain_data(value: Any) -> Any:
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, dict):
        return {key: _plain_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_data(item) for item in value]
    return value


def neutralise(value: object) -> object:
    """A cell value with control characters removed that no spreadsheet runs as a
    formula."""
    if isinstance(value, str):
        text = plain(value)
        if text.startswith(FORMULA_STARTS):
            return "'" + text
        return text
    return value


def _item(text: str) -> str:
    """One list item on one line (its line breaks and runs of spaces become a space)."""
    return " ".join(text.split())


def _items(items: Iterable[str]) -> str:
    return "\n".join(_item(item) for item in items)


def register_row(incident: dict[str, Any]) -> list[object]:
    """The register columns of one incident (see ``COLUMNS``)."""
    # controls go before any text is assembled: later steps would show them as symbols
    incident = {k: _plain_data(v) for k, v in incident.items() if k not in _UNREAD}
    facts = incident.get("facts") or {}
    subjects = facts.get("subjects") or {}
    found = decision(incident)
    severity = found.get("severity") or {}
    duties = incident.get("obligations") or []

    def sent(kinds: tuple[str, ...]) -> str:
        return _items(
            f"{d['id']} {d['done_at']}" + (f" ref {d['reference']}" if d.get("reference") else "")
            for d in duties
            if d.get("duty") in kinds and d.get("done_at")
        )

    organisation = facts.get("organisation")
    is_open = incident.get("status") == "open"
    row = {
        "id": incident["id"],
        "title": incident.get("title"),
        "status": incident.get("status"),
        "organisation": incident.get("organisation_name")
        or (organisation if isinstance(organisation, str) else ""),
        "role": incident.get("role"),
        "detected_at": facts.get("detected_at"),
        "aware_at": facts.get("aware_at"),
        "recorded_at": incident.get("created_at"),
        "updated_at": incident.get("updated_at"),
        "summary": facts.get("summary"),
        "personal_data_breach": found.get("personal_data_breach"),
        "data_categories": ", ".join(facts.get("data_categories") or []),
        "subjects_count": subjects.get("count"),
        "subjects_kinds": ", ".join(subjects.get("kinds") or []),
        "subjects_countries": ", ".join(subjects.get("countries") or []),
        "confidentiality": facts.get("confidentiality"),
        "integrity": facts.get("integrity"),
        "availability": facts.get("availability"),
        "exfiltration": facts.get("exfiltration"),
        "protection": facts.get("protection"),
        "risk": found.get("risk"),
        "risk_source": found.get("risk_source"),
        "severity_band": severity.get("band"),
        "severity_score": severity.get("score"),
        "mitigation": facts.get("mitigation"),
        "notified_authority": sent(("notify_authority", "early_warning", "incident_notification")),
        "notified_data_subjects": sent(("notify_data_subjects", "public_communication")),
        "exemptions": _items(f"{d['id']}: {d['exemption']}" for d in duties if d.get("exemption")),
        "late_reasons": _items(
            f"{d['id']}: {d['late_reason']}" for d in duties if d.get("late_reason")
        ),
        # a closed incident has nothing due, whatever its duties still say
        "next_due": incident.get("next_due") if is_open else None,
        "next_duty": incident.get("next_duty") if is_open else None,
        "duties": _items(
            f"{d['id']} ({duty_title(d)}): {d.get('status')}"
            + (f", done {d['done_at']}" if d.get("done_at") else "")
            for d in duties
        ),
    }
    return [_cell(row[column]) for column in COLUMNS]


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return neutralise(value)


def write_csv(
    out: BinaryIO,
    incidents: Iterable[dict[str, Any]],
    options: Options,
    tick: Callable[[], None],
) -> int:
    """Write the header and a row per incident (UTF-8, CRLF); returns how many rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for incident in incidents:
        writer.writerow(register_row(incident))
        count += 1
        tick()
        if buffer.tell() > 1 << 20:
            out.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
    out.write(buffer.getvalue().encode("utf-8"))
    return count
