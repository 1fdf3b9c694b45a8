"""The EDPB template for Art. 33 notifications (v1.0, 2026) as JSON.

Keyed and coded as the field-by-field extraction of the template (:mod:`.template`):
``answers`` is an instance of that schema (``{"field_14": "a", ...}``), with only the
fields the template shows and we can fill. ``fields`` is the same for a reviewer, by
question number: label, whether mandatory, value, the option's text and where the value
came from (``facts``, ``decision``, ``profile``, ``log`` (the incident log) or
``suggested``: derived by breach, to review). Fields the template hides are left out and
listed in ``hidden``; mandatory fields still empty, or answered "to be determined" or only
in part, are listed in ``missing_mandatory``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...clock import format_utc
from ..safe import clean_data
from ..view import IncidentView
from . import authorities, nature, parties, risk, template
from .sheet import Sheet

TEMPLATE = "EDPB template for personal data breach notification, v1.0 (2026, consultation)"
SCHEMA = "breach.edpb-template/2"

__all__ = ["SCHEMA", "TEMPLATE", "edpb_document"]


def _entry(number: int, sheet: Sheet, mandatory: bool) -> dict[str, Any]:
    value = sheet.values.get(number)
    entry: dict[str, Any] = {
        "key": template.key(number),
        "label": template.label(number),
        "mandatory": mandatory,
        "value": value,
    }
    if template.options(number) and number not in template.NAMED and value is not None:
        codes = value if isinstance(value, list) else [value]
        texts = [template.option(number, code) for code in codes]
        entry["option"] = texts if isinstance(value, list) else texts[0]
    entry["source"] = sheet.sources.get(number)
    return entry


def _sub_type(sheet: Sheet, missing: list[dict[str, Any]]) -> None:
    """Field 4: complete only when nothing mandatory is missing or "to be determined"."""
    incomplete = bool(missing) or sheet.view.facts.personal_data is None
    sheet.put(4, "b" if incomplete else "a", "suggested")


def edpb_document(
    view: IncidentView,
    duty: dict[str, Any] | None,
    phase: str,
    series: list[dict[str, Any]],
    now: datetime,
) -> tuple[dict[str, Any], list[str]]:
    """The filled template and the labels of its mandatory fields still to be answered."""
    sheet = Sheet(view, duty, phase, series, now)
    for section in (parties, nature, risk, authorities):
        section.fill(sheet)
    entries: dict[int, dict[str, Any]] = {}
    hidden: list[int] = []
    missing: list[dict[str, Any]] = []
    for number in template.NUMBERS:
        if number == 4:  # decided from the others
            continue
        if not template.shown(number, sheet):
            hidden.append(number)
            sheet.values.pop(number, None)  # so what depends on it is hidden too
            continue
        mandatory = template.mandatory(number, sheet)
        if mandatory and (number not in sheet.values or number in sheet.pending):
            key, label = template.key(number), template.label(number)
            missing.append({"field": number, "key": key, "label": label})
        entries[number] = _entry(number, sheet, mandatory)
    _sub_type(sheet, missing)
    entries[4] = _entry(4, sheet, True)
    fields = {str(n): entries[n] for n in sorted(entries)}
    document = {
        "schema": SCHEMA,
        "template": TEMPLATE,
        "fields_from": template.SOURCE,
        "incident": view.id,
        "generated_at": format_utc(now),
        "for": (duty or {}).get("id"),
        "answers": {
            entry["key"]: entry["value"] for entry in fields.values() if entry["value"] is not None
        },
        "fields": fields,
        "hidden": hidden,
        "missing_mandatory": missing,
    }
    labels = [f"field {m['field']}: {m['label']}" for m in missing]
    return clean_data(document), labels
