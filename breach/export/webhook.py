"""Webhook events (``breach.webhook/1``): one per change on an incident's timeline.

The shape is ours and documented by its JSON Schema (``breach schema webhook``, from
:class:`breach.model.webhook.WebhookEvent`); docs/export.md shows an example.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .common import Options

WEBHOOK_SCHEMA = "breach.webhook/1"
#: the fields of :class:`breach.model.webhook.WebhookIncident` and ``WebhookNotice`` (a
#: test checks they agree; listing and showing incidents load no pydantic)
INCIDENT_KEYS = (
    "id", "uuid", "title", "status", "organisation", "organisation_name", "role", "risk",
    "regimes", "created_at", "updated_at", "version", "next_due", "next_duty", "assignees",
    "facts_version",
)  # fmt: skip
NOTICE_KEYS = (
    "id", "kind", "language", "version", "status", "obligation", "sent_at", "channel",
    "reference",
)  # fmt: skip
DUTY_EVENTS = ("duty", "done", "reopened_duty")
NOTICE_EVENTS = ("notice", "sent")


def incident_object(incident: dict[str, Any]) -> dict[str, Any]:
    """The incident's row as delivered (no nested history); no next due once closed."""
    row = {key: incident.get(key) for key in INCIDENT_KEYS}
    if row["status"] != "open":
        row["next_due"] = row["next_duty"] = None
    return row


def delivery_id(incident: dict[str, Any], event: dict[str, Any]) -> str:
    """Unique per change across installations, the same on every re-delivery."""
    return f"{incident.get('uuid') or incident['id']}:{event['id']}"


def webhook_events(
    incident: dict[str, Any], options: Options, since: str | None = None, after: int = 0
) -> Iterator[dict[str, Any]]:
    """One event per timeline entry (at or after ``since``, with an id above ``after``),
    oldest first."""
    duties = {d["id"]: d for d in incident.get("obligations") or []}
    notices = {n["id"]: n for n in incident.get("notices") or []}
    row = incident_object(incident)
    for event in incident.get("events") or []:
        if event["id"] <= after or (since is not None and event["at"] < since):
            continue
        data = event.get("data") or {}
        body: dict[str, Any] = {
            "schema": WEBHOOK_SCHEMA,
            "delivery": delivery_id(incident, event),
            "exported_at": options.exported_at,
            "incident_id": incident["id"],
            "event": event,
            "incident": row,
        }
        if event["kind"] in DUTY_EVENTS and data.get("duty") in duties:
            body["duty"] = duties[data["duty"]]
        if event["kind"] in NOTICE_EVENTS and data.get("notice_id") in notices:
            notice = notices[data["notice_id"]]
            body["notice"] = {key: notice.get(key) for key in NOTICE_KEYS}
        yield body
