"""The ``breach.export/1`` document as pydantic models.

``breach schema export`` prints the JSON Schema generated from :class:`ExportDocument`; the
importer validates files with the same models. Facts and Decision are the models of
``breach.model``. Objects accept fields added by later versions of breach (the contract:
fields are added, never renamed or removed); the importer refuses any it cannot store.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from .decision import Decision, DueKind, Duty, DutyStatus, Exemption, Recipient
from .facts import Facts, RiskLevel, Role

EXPORT_SCHEMA = "breach.export/1"
UTC_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$"
ID_PATTERN = r"^(BR|DEMO)-[0-9]{4}-[0-9]{4,}$"  # DEMO-: the demo log's incidents


def _real_instant(value: str) -> str:
    datetime.fromisoformat(value.replace("Z", "+00:00"))  # ValueError names a bad date
    return value


UtcTime = Annotated[
    str,
    Field(
        pattern=UTC_PATTERN,
        description="UTC time, YYYY-MM-DDTHH:MM:SSZ",
        json_schema_extra={"format": "date-time"},
    ),
    AfterValidator(_real_instant),
]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ExportFactsVersion(_Open):
    """One version of the incident's facts: who changed what, when."""

    version: int = Field(ge=1)
    changed: list[str] = Field(description="top-level facts fields that changed")
    actor: str
    created_at: UtcTime
    facts: Facts | None = Field(
        default=None,
        description="the facts of a superseded version (the current version's are the "
        "incident's `facts`)",
    )


class ExportObligation(_Open):
    """A duty of the incident as it stands: the engine's obligation plus what was done."""

    id: str
    regime: str
    duty: Duty
    status: DutyStatus
    due_at: UtcTime | None
    due_kind: DueKind | None
    recipient: Recipient | None
    basis: str
    exemption: Exemption | None
    reason: str
    rule: str
    rule_version: str = ""
    done_at: UtcTime | None = Field(description="when it was sent or done")
    reference: str | None = Field(description="the recipient's reference number")
    channel: str | None = None
    late_reason: str | None = Field(default=None, description="reasons for a late notice")
    updated_at: UtcTime


class ExportNotice(_Open):
    """A stored notice version (text as reviewed and sent)."""

    id: int
    kind: str
    language: str
    format: str
    text: str
    version: int
    created_at: str
    sent_at: str | None = None
    status: str | None = Field(default=None, description="draft or sent")
    obligation: str | None = None
    recipient: str | None = None
    phase: str | None = None
    edited: bool | None = None
    generated: str | None = None
    facts_version: int | None = None
    unknowns: list[str] | None = None
    channel: str | None = None
    reference: str | None = None
    actor: str | None = None


class ExportEvent(_Open):
    """One entry of the timeline."""

    id: int
    at: UtcTime
    kind: str
    text: str
    data: dict[str, Any]
    actor: str


class Assignees(_Open):
    """Who is on the incident, and on which of its duties."""

    incident: str | None = Field(default=None, description="the person on the incident")
    duties: dict[str, str] = Field(default_factory=dict, description="duty id: person")


class ExportIncident(_Open):
    """One incident: its row, current facts with their history, latest decision, duties,
    notices and timeline."""

    id: str = Field(
        pattern=ID_PATTERN, description="stable id, BR-YYYY-NNNN (DEMO-YYYY-NNNN in the demo log)"
    )
    title: str
    status: Literal["open", "closed"]
    organisation: str = Field(description="organisation (profile) id")
    organisation_name: str
    role: Role
    risk: RiskLevel | None
    regimes: list[str] = Field(description="regimes with a required duty")
    created_at: UtcTime
    updated_at: UtcTime = Field(description="last change; `breach export --since` uses it")
    version: int = Field(ge=1, description="bumped by every change")
    next_due: UtcTime | None
    next_duty: str | None
    assignees: Assignees = Field(
        default_factory=Assignees, description="who is assigned (`breach assign`)"
    )
    uuid: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
        description="a random UUID (version 4) the incident keeps everywhere, also when "
        "imported elsewhere: its VERIS incident_id",
    )
    facts_version: int = Field(ge=1)
    facts: Facts
    facts_history: list[ExportFactsVersion] = Field(min_length=1)
    decision: Decision | None
    obligations: list[ExportObligation]
    notices: list[ExportNotice]
    events: list[ExportEvent]


class AuditHead(BaseModel):
    """The head of an audit chain: its last entry's number and hash."""

    seq: int = Field(ge=0)
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")


class ExportDocument(_Open):
    """``breach.export/1``: incidents for ticketing systems, calendars and other breach
    databases (``breach import``)."""

    model_config = ConfigDict(extra="allow", title=EXPORT_SCHEMA)

    schema_: Literal["breach.export/1"] = Field(alias="schema")
    exported_at: UtcTime
    audit_head: AuditHead | None = Field(
        default=None,
        description="the source log's audit chain head when the export began: "
        "`breach audit verify --expect SEQ:HASH` there proves the log was not rewritten since",
    )
    incidents: list[ExportIncident]
