"""The shared vocabulary: Facts in, Decision out (``breach.facts/1``, ``breach.decision/1``).

These pydantic models are the contract of ../shared/CONTRACT.md. JSON Schemas are generated
from them (``breach schema facts|decision``); never hand-write a schema.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)

from .vocabulary import (
    Availability,
    Confidentiality,
    DataCategory,
    DueKind,
    Duty,
    DutyStatus,
    Exemption,
    Exfiltration,
    Identifiability,
    Integrity,
    Nis2Status,
    Protection,
    RiskLevel,
    Role,
    SubjectKind,
    aware_not_before_detection,
    awareness,
    country_code,
    justified,
    utc_z,
)

FACTS_SCHEMA = "breach.facts/1"
DECISION_SCHEMA = "breach.decision/1"

__all__ = [
    "DECISION_SCHEMA",
    "FACTS_SCHEMA",
    "ControllerContact",
    "CountryCode",
    "Decision",
    "Establishment",
    "Facts",
    "Obligation",
    "Organisation",
    "Recipient",
    "RiskOverride",
    "Severity",
    "Subjects",
    "TraceStep",
    "UtcInstant",
    # the vocabulary, re-exported (defined in breach.vocabulary)
    "Availability",
    "Confidentiality",
    "DataCategory",
    "DueKind",
    "Duty",
    "DutyStatus",
    "Exemption",
    "Exfiltration",
    "Identifiability",
    "Integrity",
    "Nis2Status",
    "Protection",
    "RiskLevel",
    "Role",
    "SubjectKind",
]

# The checks and serialisers are plain functions of breach.vocabulary (not methods), so
# that the validators built from these models can be cached without pydantic
# (breach.contract).
CountryCode = Annotated[str, AfterValidator(country_code)]
UtcInstant = Annotated[AwareDatetime, PlainSerializer(utc_z, return_type=str)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Establishment(_Strict):
    """A legal entity of the organisation in one country."""

    country: CountryCode = Field(description="ISO 3166 alpha-2 code")
    entity: str | None = Field(default=None, description="legal entity name")


class Organisation(_Strict):
    """Who we are: a profile from decision_rules/profiles/ or the same object inline."""

    id: str
    name: str
    establishments: list[Establishment] = Field(default_factory=list)
    main_establishment: CountryCode | None = Field(
        default=None, description="country of the EU/EEA main establishment"
    )
    ecs_provider: bool = Field(
        default=False, description="provides a public electronic communications service"
    )
    gdpr_targeting: bool | None = Field(
        default=False,
        description="non-EU organisation offering services to, or monitoring, people in the EU",
    )
    nis2: Nis2Status | None = "none"
    contact: str | None = Field(default=None, description="DPO or contact point")
    languages: list[str] = Field(default_factory=list)


class Subjects(_Strict):
    """The people affected."""

    count: int | None = Field(default=None, ge=0, description="best estimate of people affected")
    kinds: list[SubjectKind] = Field(default_factory=list)
    countries: list[CountryCode] = Field(
        default_factory=list, description="ISO 3166 alpha-2 codes of where they live"
    )


class ControllerContact(_Strict):
    """A controller customer a processor must inform (GDPR Art. 33(2))."""

    name: str = Field(min_length=1)
    contact: str | None = None
    notice_hours: float | None = Field(
        default=None, gt=0, description="agreed hours after awareness to inform this controller"
    )


class RiskOverride(_Strict):
    """The responder's own risk judgement, which wins over the engine's."""

    level: RiskLevel
    justification: Annotated[str, AfterValidator(justified)]


class Facts(_Strict):
    """What the responder knows right now (``breach.facts/1``). Null means "not yet known"."""

    model_config = ConfigDict(extra="forbid", title="breach.facts/1", defer_build=True)

    schema_: Literal["breach.facts/1"] | None = Field(default=None, alias="schema")
    title: str = ""
    summary: str = ""
    organisation: str | Organisation
    role: Role
    detected_at: AwareDatetime
    aware_at: AwareDatetime | None = None
    personal_data: bool | None = None
    confidentiality: Confidentiality = "unknown"
    integrity: Integrity = "unknown"
    availability: Availability = "unknown"
    unavailable_hours: float | None = Field(default=None, ge=0)
    exfiltration: Exfiltration = "unknown"
    malicious: bool | None = None
    data_categories: list[DataCategory] = Field(default_factory=list)
    # the default is validated into Subjects (a factory that is a model class could not be
    # cached without pydantic)
    subjects: Subjects = Field(default_factory=dict, validate_default=True)
    identifiability: Identifiability = "maximum"
    protection: Protection = "none"
    protection_state_of_the_art: bool = False
    key_compromised: bool | None = None
    high_risk_averted: bool = False
    mitigation: str = ""
    disproportionate_effort: bool = False
    ecs_data: bool = False
    non_ecs_data: bool | None = Field(
        default=None,
        description="with ecs_data: the breach also hit data not processed for the "
        "communications service (HR, marketing); null: inferred from subjects and categories",
    )
    significant_incident: bool | None = None
    controllers: list[ControllerContact] = Field(default_factory=list)
    risk_override: RiskOverride | None = None

    _aware_not_before_detection = model_validator(mode="after")(aware_not_before_detection)

    @property
    def awareness(self) -> datetime:
        """The instant the GDPR clock starts: ``aware_at``, else ``detected_at``."""
        return awareness(self)


class Recipient(_Strict):
    """Who receives a notice (immutable, so one instance can serve many decisions)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: str
    country: CountryCode | None = None
    contact: str | None = None
    authority_id: str | None = None


class Obligation(_Strict):
    """One duty the engine considered, with its status, deadline and the reason why.

    Immutable, so one instance can serve many decisions (see :mod:`breach.plan`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

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


class Severity(_Strict):
    """The ENISA 2013 severity score with its breakdown (immutable)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    method: Literal["ENISA 2013"] = "ENISA 2013"
    score: float
    band: Literal["low", "medium", "high", "very_high"]
    dpc: float = Field(description="data processing context, 1-4")
    ei: float = Field(description="ease of identification, 0.25-1")
    cb: float = Field(description="circumstances of breach, 0-2")
    breakdown: list[str] = Field(default_factory=list)


class TraceStep(_Strict):
    """One step of the reasoning: which rule or factor, its result, and why (immutable)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    rule: str
    result: str
    because: str


class Decision(_Strict):
    """The engine's answer (``breach.decision/1``)."""

    model_config = ConfigDict(extra="forbid", title="breach.decision/1", defer_build=True)

    schema_: Literal["breach.decision/1"] = Field(default="breach.decision/1", alias="schema")
    rules_version: str
    assessed_at: UtcInstant
    personal_data_breach: bool
    risk: RiskLevel
    risk_source: Literal["engine", "override"]
    severity: Severity
    obligations: list[Obligation]
    warnings: list[str] = Field(default_factory=list)
    trace: list[TraceStep] = Field(default_factory=list)

    def dump(self) -> dict[str, object]:
        """The Decision as JSON-ready data, with ``schema`` as its key."""
        return self.model_dump(mode="json", by_alias=True)
