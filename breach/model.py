"""The shared vocabulary: Facts in, Decision out (``breach.facts/1``, ``breach.decision/1``).

These pydantic models are the contract of ../shared/CONTRACT.md. JSON Schemas are generated
from them (``breach schema facts|decision``); never hand-write a schema.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_serializer,
    field_validator,
    model_validator,
)

FACTS_SCHEMA = "breach.facts/1"
DECISION_SCHEMA = "breach.decision/1"

Role = Literal["controller", "processor", "joint_controller"]
RiskLevel = Literal["unlikely", "risk", "high"]
Confidentiality = Literal[
    "none", "trusted_recipient", "known_recipients", "unknown_recipients", "unknown"
]
Integrity = Literal["none", "recoverable", "unrecoverable", "unknown"]
Availability = Literal["none", "temporary", "permanent", "unknown"]
Exfiltration = Literal["none", "suspected", "confirmed", "unknown"]
Identifiability = Literal["negligible", "limited", "significant", "maximum"]
Protection = Literal["none", "encrypted", "hashed", "pseudonymised"]
Nis2Status = Literal["essential", "important", "none"]
DataCategory = Literal[
    "identity",
    "contact",
    "account",
    "credentials",
    "national_id",
    "financial",
    "orders",
    "location",
    "traffic_data",
    "communications_content",
    "behavioural",
    "employment",
    "special_category",
    "criminal",
    "other",
]
SubjectKind = Literal[
    "customers",
    "employees",
    "applicants",
    "patients",
    "children",
    "vulnerable",
    "public_figures",
    "other",
]
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
CountryCode = str


def _utc_z(value: datetime) -> str:
    """Render an aware datetime as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC."""
    from datetime import UTC

    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Establishment(_Strict):
    """A legal entity of the organisation in one country."""

    country: CountryCode = Field(description="ISO 3166 alpha-2 code")
    entity: str | None = Field(default=None, description="legal entity name")

    @field_validator("country")
    @classmethod
    def _upper_country(cls, value: str) -> str:
        return _country(value)


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

    @field_validator("main_establishment")
    @classmethod
    def _upper_main(cls, value: str | None) -> str | None:
        return None if value is None else _country(value)


class Subjects(_Strict):
    """The people affected."""

    count: int | None = Field(default=None, ge=0, description="best estimate of people affected")
    kinds: list[SubjectKind] = Field(default_factory=list)
    countries: list[CountryCode] = Field(
        default_factory=list, description="ISO 3166 alpha-2 codes of where they live"
    )

    @field_validator("countries")
    @classmethod
    def _upper_countries(cls, value: list[str]) -> list[str]:
        return [_country(c) for c in value]


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
    justification: str

    @field_validator("justification")
    @classmethod
    def _justified(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a risk override needs a justification")
        return value


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
    subjects: Subjects = Field(default_factory=Subjects)
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

    @model_validator(mode="after")
    def _aware_not_before_detection(self) -> Facts:
        if self.aware_at is not None and self.aware_at < self.detected_at:
            raise ValueError("aware_at is before detected_at: awareness follows detection")
        return self

    @property
    def awareness(self) -> datetime:
        """The instant the GDPR clock starts: ``aware_at``, else ``detected_at``."""
        return self.aware_at or self.detected_at


class Recipient(_Strict):
    """Who receives a notice (immutable, so one instance can serve many decisions)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: str
    country: CountryCode | None = None
    contact: str | None = None
    authority_id: str | None = None


class Obligation(_Strict):
    """One duty the engine considered, with its status, deadline and the reason why."""

    id: str
    regime: str
    duty: Duty
    status: DutyStatus
    due_at: AwareDatetime | None = None
    due_kind: DueKind | None = None
    recipient: Recipient | None = None
    basis: str
    exemption: Exemption | None = None
    reason: str
    rule: str = Field(description="id of the rule that produced this obligation")
    rule_version: str = Field(
        default="", description="effective_from date of the rule version that was applied"
    )

    @field_serializer("due_at")
    def _due_utc(self, value: datetime | None) -> str | None:
        return None if value is None else _utc_z(value)


class Severity(_Strict):
    """The ENISA 2013 severity score with its breakdown."""

    method: Literal["ENISA 2013"] = "ENISA 2013"
    score: float
    band: Literal["low", "medium", "high", "very_high"]
    dpc: float = Field(description="data processing context, 1-4")
    ei: float = Field(description="ease of identification, 0.25-1")
    cb: float = Field(description="circumstances of breach, 0-2")
    breakdown: list[str] = Field(default_factory=list)


class TraceStep(_Strict):
    """One step of the reasoning: which rule or factor, its result, and why."""

    rule: str
    result: str
    because: str


class Decision(_Strict):
    """The engine's answer (``breach.decision/1``)."""

    model_config = ConfigDict(extra="forbid", title="breach.decision/1", defer_build=True)

    schema_: Literal["breach.decision/1"] = Field(default="breach.decision/1", alias="schema")
    rules_version: str
    assessed_at: AwareDatetime
    personal_data_breach: bool
    risk: RiskLevel
    risk_source: Literal["engine", "override"]
    severity: Severity
    obligations: list[Obligation]
    warnings: list[str] = Field(default_factory=list)
    trace: list[TraceStep] = Field(default_factory=list)

    @field_serializer("assessed_at")
    def _assessed_utc(self, value: datetime) -> str:
        return _utc_z(value)

    def dump(self) -> dict[str, object]:
        """The Decision as JSON-ready data, with ``schema`` as its key."""
        return self.model_dump(mode="json", by_alias=True)


def _country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ValueError(f"{value!r} is not an ISO 3166 alpha-2 country code")
    return code
