"""The Facts tab: what is known, in the responder's words and zone (``j``: as stored)."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text

from ...clock import format_local, format_utc
from ...textsafe import one_line
from ..formatting import parse_utc

#: the facts a responder reads first, in the order they think of them
FIRST = (
    ("title", "Title"),
    ("summary", "What happened"),
    ("detected_at", "Detected"),
    ("aware_at", "Aware"),
    ("occurred_at", "Began"),
    ("ended_at", "Ended"),
    ("ongoing", "Still going on"),
    ("role", "Our role"),
    ("data_categories", "Data"),
    ("records", "Records"),
    ("confidentiality", "Confidentiality"),
    ("integrity", "Integrity"),
    ("availability", "Availability"),
    ("exfiltration", "Exfiltration"),
    ("protection", "Protection"),
    ("malicious", "Deliberate"),
    ("mitigation", "What we did"),
)
SKIPPED = {"schema", "organisation"}
FOLD = 10


def facts_text(
    facts: dict[str, Any], history: list[dict[str, Any]], zone_name: str | None, as_json: bool
) -> Text:
    """The facts as labelled lines (times in ``zone_name`` and UTC), or as stored JSON;
    then the versions, who changed what."""
    text = Text()
    if as_json:
        shown = dict(facts)
        listed = shown.get("controllers") or []
        if len(listed) > FOLD:
            more = f"… and {len(listed) - FOLD:,} more controller customers (breach show --json)"
            shown["controllers"] = [*listed[:FOLD], more]
        text.append(json.dumps(shown, indent=2, ensure_ascii=False))
    else:
        text.append("j: the facts as stored (JSON)\n\n", style="dim")
        for key, label in FIRST:
            _line(text, label, _value(key, facts.get(key), zone_name))
        subjects = facts.get("subjects") or {}
        people = subjects.get("count")
        who = ", ".join(subjects.get("kinds") or [])
        where = ", ".join(subjects.get("countries") or [])
        _line(
            text,
            "People",
            " · ".join(
                p for p in (f"{people:,}" if people is not None else "unknown", who, where) if p
            ),
        )
        controllers = facts.get("controllers") or []
        if controllers:
            _line(text, "Controllers to inform", f"{len(controllers):,}")
        shown_keys = {k for k, _ in FIRST} | {"subjects", "controllers"} | SKIPPED
        for key in sorted(
            k for k in facts if k not in shown_keys and facts[k] not in (None, [], {})
        ):
            _line(text, key.replace("_", " ").capitalize(), _value(key, facts[key], zone_name))
    text.append("\n\nVersions\n", style="bold")
    for version in history:
        when = format_local(parse_utc(version["created_at"]), zone_name)  # type: ignore[arg-type]
        what = "first recorded" if version["version"] == 1 else ", ".join(version["changed"])
        text.append(f"  v{version['version']} {when} by {one_line(version['actor'])}: {what}\n")
    return text


def _line(text: Text, label: str, value: str) -> None:
    text.append(f"{label}: ", style="bold")
    text.append(f"{value}\n")


def _value(key: str, value: Any, zone_name: str | None) -> str:
    if value is None:
        return "unknown"
    if value == "":
        return "not yet recorded"
    if key.endswith("_at") and isinstance(value, str):
        instant = parse_utc(value)
        if instant is not None:
            return f"{format_local(instant, zone_name)} ({format_utc(instant)})"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_value(key, v, zone_name) for v in value) or "none"
    if isinstance(value, dict):
        return one_line(", ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, "")))
    return one_line(
        str(value).replace("_", " ") if isinstance(value, str) and " " not in value else str(value)
    )
