"""``breach.webhook/1``: the event ``breach push webhook`` posts for each change on an
incident's timeline. ``breach schema webhook`` prints its JSON Schema.

Our own shape, not TheHive's: ``event`` is the timeline entry as recorded (what changed,
when, by whom); ``incident``, ``duty`` and ``notice`` are those objects as they stood when
the event was delivered, which may be later than the change itself.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from .export import ID_PATTERN, Assignees, ExportEvent, ExportObligation, UtcTime, _Open
from .facts import RiskLevel, Role

WEBHOOK_SCHEMA = "breach.webhook/1"
EVENT_KINDS = (
    "opened", "facts", "duty", "done", "reopened_duty", "note", "handover", "assigned",
    "notice", "sent", "closed", "reopened",
)  # fmt: skip


class WebhookIncident(_Open):
    """The incident's row: no facts history, no timeline."""

    id: str = Field(pattern=ID_PATTERN)
    uuid: str | None = Field(description="the incident's random UUID, the same everywhere")
    title: str
    status: Literal["open", "closed"]
    organisation: str
    organisation_name: str
    role: Role
    risk: RiskLevel | None
    regimes: list[str]
    created_at: UtcTime
    updated_at: UtcTime
    version: int = Field(ge=1)
    next_due: UtcTime | None = Field(description="the nearest open deadline; null when closed")
    next_duty: str | None
    assignees: Assignees
    facts_version: int = Field(ge=1)


class WebhookNotice(_Open):
    """A notice version without its text (fetch it with ``breach notices``)."""

    id: int
    kind: str
    language: str
    version: int
    status: str | None
    obligation: str | None
    sent_at: str | None
    channel: str | None
    reference: str | None


class WebhookEvent(_Open):
    """One change on one incident's timeline, delivered once per endpoint."""

    model_config = ConfigDict(extra="allow", title=WEBHOOK_SCHEMA)

    schema_: Literal["breach.webhook/1"] = Field(alias="schema")
    delivery: str = Field(
        description="unique per change and the same on every retry and re-delivery: "
        "`<incident uuid>:<event id>`; drop a delivery you have already processed"
    )
    exported_at: UtcTime = Field(description="when this body was made")
    incident_id: str = Field(pattern=ID_PATTERN)
    event: ExportEvent = Field(
        description=f"the timeline entry; `kind` is one of {', '.join(EVENT_KINDS)} "
        "(later versions may add kinds)"
    )
    incident: WebhookIncident = Field(description="the incident as it stood when delivered")
    duty: ExportObligation | None = Field(
        default=None,
        description="for `duty`, `done` and `reopened_duty` events: that duty, as delivered",
    )
    notice: WebhookNotice | None = Field(
        default=None, description="for `notice` and `sent` events: that notice version"
    )
