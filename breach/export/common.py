"""Helpers the export formats share: reading an exported incident, naming its duties,
times as the target systems want them, and text made safe for them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DUTY_NAMES = {
    "document": "Record it in the breach register",
    "notify_authority": "Notify the supervisory authority",
    "follow_up": "Send the follow-up notification",
    "notify_data_subjects": "Notify the people affected",
    "notify_controller": "Inform the controller",
    "public_communication": "Publish a public communication",
    "early_warning": "Send the NIS2 early warning",
    "incident_notification": "Send the NIS2 incident notification",
    "final_report": "Send the NIS2 final report",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_UNSAFE_JSON = re.compile(rb"\x7f|\xc2[\x80-\x9f]")


@dataclass(frozen=True)
class Options:
    """What every format may need: the export instant and the target systems' settings."""

    exported_at: str
    zone: str | None = None
    jira_project: str = "SEC"
    jira_issue_type: str = "Task"
    thehive_kind: str = "case"
    tlp: int = 2
    pap: int = 2
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)

    def organisation(self, incident: dict[str, Any]) -> dict[str, Any]:
        """The incident's organisation as data: inline in the facts, else its profile."""
        given = (incident.get("facts") or {}).get("organisation")
        if isinstance(given, dict):
            return given
        return self.profiles.get(str(given or incident.get("organisation")), {})


def utc(text: str) -> datetime:
    """An exported UTC time (``2026-03-02T09:00:00Z``) as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def epoch_ms(text: str) -> int:
    """An exported time as milliseconds since 1970 (TheHive's dates)."""
    return int(utc(text).timestamp() * 1000)


def clean(text: str | None) -> str:
    """User text without control characters (line breaks and tabs are kept)."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text or "")


def one_line(text: str | None, limit: int | None = None) -> str:
    """User text on one line, optionally cut to ``limit`` characters with an ellipsis."""
    line = " ".join(clean(text).split())
    if limit is not None and len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line


def json_line(data: Any) -> bytes:
    """Compact JSON on one line, UTF-8, with DEL and C1 controls escaped."""
    return json_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":"))) + b"\n"


def json_safe(text: str) -> bytes:
    """JSON text as UTF-8 with DEL and C1 control characters escaped (see
    :func:`escape_controls`)."""
    return escape_controls(text.encode("utf-8"))


def escape_controls(data: bytes) -> bytes:
    """UTF-8 JSON with DEL and C1 control characters (terminal escapes such as CSI) written
    as ``\\u`` escapes; they can only occur inside strings, where the escape means the same
    character. Two byte searches decide; most text needs no change."""
    if b"\x7f" in data or b"\xc2" in data:
        return _UNSAFE_JSON.sub(lambda m: b"\\u%04x" % ord(m.group().decode("utf-8")), data)
    return data


def decision(incident: dict[str, Any]) -> dict[str, Any]:
    """The incident's latest Decision (empty when it has none)."""
    found: dict[str, Any] = incident.get("decision") or {}
    return found


def severity_band(incident: dict[str, Any]) -> str | None:
    """The ENISA severity band of the latest decision."""
    band = (decision(incident).get("severity") or {}).get("band")
    return str(band) if band else None


def is_open(duty: dict[str, Any]) -> bool:
    """A required duty not yet done."""
    return duty.get("status") == "required" and not duty.get("done_at")


def open_deadlines(incident: dict[str, Any]) -> list[dict[str, Any]]:
    """Required duties not yet done that have a due time, soonest first (deadlines before
    "without undue delay" targets on a tie)."""
    if incident.get("status") != "open":
        return []
    duties = [d for d in incident.get("obligations") or [] if is_open(d) and d.get("due_at")]
    return sorted(duties, key=lambda d: (d["due_at"], d.get("due_kind") != "deadline", d["id"]))


def duty_title(duty: dict[str, Any]) -> str:
    """A responder's name for a duty: "Notify the supervisory authority — CNPD (LU)"."""
    name = DUTY_NAMES.get(str(duty.get("duty")), str(duty.get("duty") or duty.get("id")))
    recipient = duty.get("recipient") or {}
    who = one_line(recipient.get("name"))
    if who and recipient.get("country"):
        who += f" ({recipient['country']})"
    return f"{name} — {who}" if who else name


def due_words(duty: dict[str, Any]) -> str:
    """The word for a due time: "deadline", or "target" for a "without undue delay" duty."""
    return "deadline" if duty.get("due_kind") == "deadline" else "target"
