"""Helpers the export formats share: reading an exported incident, naming its duties,
times as the target systems want them, and text made safe for them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..textsafe import json_safe, terminal_safe

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


@dataclass(frozen=True)
class Options:
    """What every format may need: the export instant and the target systems' settings."""

    exported_at: str
    zone: str | None = None
    jira_project: str = "SEC"
    jira_issue_type: str = "Task"
    #: Jira REST API version of the bodies: 2 (wiki markup) or 3 (Atlassian Document Format)
    jira_api: int = 2
    thehive_kind: str = "case"
    #: TLP as TheHive 5.2+ numbers it; bodies for an older ``thehive_version`` renumber it
    tlp: int = 2
    pap: int = 2
    #: the TheHive release the bodies are for ("5.0", "5.1", "5.2" = 5.2 and later)
    thehive_version: str = "5.2"
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: the audit chain's head when the export began (seq, hash): a copy anchors the log
    audit_head: tuple[int, str] | None = None
    #: this log's random installation id: makes calendar UIDs unique across installations
    installation: str = ""

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
    """User text with control and bidi characters replaced (line breaks and tabs kept)."""
    return terminal_safe(text or "")


def one_line(text: str | None, limit: int | None = None) -> str:
    """User text on one line, optionally cut to ``limit`` characters with an ellipsis."""
    line = " ".join(clean(text).split())
    if limit is not None and len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line


def json_line(data: Any) -> bytes:
    """Compact JSON on one line, UTF-8, with every character a terminal obeys escaped."""
    return json_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":"))).encode() + b"\n"


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
