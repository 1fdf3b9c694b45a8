"""The Decision out (``breach.decision/1``): every duty considered, with status, deadline and why.

``breach schema decision`` prints the JSON Schema generated from these models.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, ConfigDict, Field, PlainSerializer

from .facts import CountryCode, RiskLevel, Strict

DECISION_SCHEMA = "breach.decision/1"

Duty = Literal[
    "document",
    "notify_authority",
    "follow_up",
    "notify_data_subjects",
    "notify_controller",
    "public_communication",
    "early_warning",
    "incident_notification",
    "final_report",
]
DutyStatus = Literal["required", "not_required", "exempt"]
DueKind = Literal["deadline", "without_undue_delay"]
Exemption = Literal["encryption", "mitigated", "disproportionate_effort"]


def utc_z(value: datetime) -> str:
    """An aware datetime as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


#: An aware instant, written as UTC ``…Z`` text.
UtcInstant = Annotated[AwareDatetime, PlainSerializer(utc_z, return_type=str)]


class Recipient(Strict):
    """Who receives a notice."""

    name: str
    country: CountryCode | None = None
    contact: str | None = None
    authority_id: str | None = None


class Obligation(Strict):
    """One duty the engine considered, with its status, deadline and the reason why."""

    id: str
    regime: str
    duty: Duty
    status: DutyStatus
    due_at: UtcInstant | None = None
    due_kind: DueKind | None = None
    recipient: Recipient | None = None
    basis: str
    exemption: Exemption | None = None
    reason: str
    rule: str = Field(description="id of the rule that produced this obligation")
    rule_version: str = Field(
        default="", description="effective_from date of the rule version that was applied"
    )


class Severity(Strict):
    """The ENISA 2013 severity score with its breakdown."""

    method: Literal["ENISA 2013"] = "ENISA 2013"
    score: float
    band: Literal["low", "medium", "high", "very_high"]
    dpc: float = Field(description="data processing context, 1-4")
    ei: float = Field(description="ease of identification, 0.25-1")
    cb: float = Field(description="circumstances of breach, 0-2")
    breakdown: list[str] = Field(default_factory=list)


class TraceStep(Strict):
    """One step of the reasoning: which rule or factor, its result, and why."""

    rule: str
    result: str
    because: str


#: An answer a decisive fact can take: a yes/no, a listed value, a count, countries.
Answer = bool | int | str | list[str]


class Outcome(Strict):
    """What one answer to an unknown fact would change in the required duties."""

    value: Answer = Field(description="the answer, as the facts field would hold it")
    label: str = Field(description="the answer in words: 'no', 'fewer than 1,000 people'")
    adds: list[str] = Field(default_factory=list, description="duties this answer makes required")
    removes: list[str] = Field(
        default_factory=list, description="required duties this answer makes unnecessary"
    )
    people: int | None = Field(
        default=None, description="how many people the duties it changes are addressed to"
    )
    says: str = Field(default="", description="what this answer changes, in words")


class Decisive(Strict):
    """An unknown fact whose answer would change the required duties."""

    field: str = Field(description="the facts field: 'key_compromised', 'subjects.count'")
    question: str = Field(description="what to find out, in the responder's words")
    outcomes: list[Outcome]


class Bounds(Strict):
    """The required duties whatever the unknowns turn out to be: at least, at most."""

    least: list[str] = Field(description="required with every unknown at its lightest answer")
    most: list[str] = Field(
        description="required with some answer: the cautious decision's, and every duty an "
        "answer adds"
    )
    says: str = Field(default="", description="both ends, in words")


ProfileSource = Literal["shipped", "user"]


class ProfileUsed(Strict):
    """The organisation profile an assessment used, in the version it had then."""

    id: str
    source: ProfileSource = Field(
        description="shipped: in the rules folder; user: the user's own, in their config folder"
    )
    version: str = Field(
        description="user profiles: the version number ('1', '2', …), bumped by every change; "
        "shipped profiles: the rules version they came with"
    )
    sha256: str = Field(description="SHA-256 of the profile file's bytes, in hex")


class Decision(Strict):
    """The engine's answer (``breach.decision/1``)."""

    model_config = ConfigDict(extra="forbid", title=DECISION_SCHEMA)

    schema_: Literal["breach.decision/1"] = Field(default="breach.decision/1", alias="schema")
    rules_version: str
    profile: ProfileUsed | None = Field(
        default=None,
        description="the organisation profile used, with its version; null: the organisation "
        "was given inline and matches no profile",
    )
    assessed_at: UtcInstant
    personal_data_breach: bool
    risk: RiskLevel
    risk_source: Literal["engine", "override"]
    severity: Severity
    obligations: list[Obligation]
    warnings: list[str] = Field(default_factory=list)
    trace: list[TraceStep] = Field(default_factory=list)
    decisive: list[Decisive] = Field(
        default_factory=list,
        description="the unknown facts whose answer would change the required duties, most "
        "consequential first; empty when nothing unknown matters",
    )
    bounds: Bounds | None = Field(
        default=None, description="the fewest and the most duties the unknowns leave open"
    )

    def dump(self) -> dict[str, object]:
        """The Decision as JSON-ready data, with ``schema`` as its key."""
        return self.model_dump(mode="json", by_alias=True)
