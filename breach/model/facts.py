"""Facts in (``breach.facts/1``): what the responder knows, and the organisation it is about.

These pydantic models are the contract of CONTRACT.md; ``breach schema facts`` prints the
JSON Schema generated from them. Null or ``unknown`` always means "not yet known".
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

FACTS_SCHEMA = "breach.facts/1"

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
EcsPosition = Literal["provider", "sub_provider"]
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


def _country_code(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ValueError(f"{value!r} is not an ISO 3166 alpha-2 country code")
    return code


def _justified(value: str) -> str:
    if not value.strip():
        raise ValueError("a risk override needs a justification")
    return value


#: An ISO 3166 alpha-2 code, upper-cased.
CountryCode = Annotated[str, AfterValidator(_country_code)]


class Strict(BaseModel):
    """A contract model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


class Establishment(Strict):
    """A legal entity of the organisation in one country."""

    country: CountryCode = Field(description="ISO 3166 alpha-2 code")
    entity: str | None = Field(default=None, description="legal entity name")


class Organisation(Strict):
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

    @property
    def countries(self) -> set[str]:
        """Every country where the organisation has an entity (EEA or not)."""
        found = {e.country for e in self.establishments}
        if self.main_establishment:
            found.add(self.main_establishment)
        return found


class Subjects(Strict):
    """The people affected."""

    count: int | None = Field(default=None, ge=0, description="best estimate of people affected")
    kinds: list[SubjectKind] = Field(default_factory=list)
    countries: list[CountryCode] = Field(
        default_factory=list, description="ISO 3166 alpha-2 codes of where they live"
    )


class ControllerContact(Strict):
    """A controller customer a processor must inform (GDPR Art. 33(2))."""

    name: str = Field(min_length=1)
    contact: str | None = None
    notice_hours: float | None = Field(
        default=None, gt=0, description="agreed hours after awareness to inform this controller"
    )


class RiskOverride(Strict):
    """The responder's own risk judgement, which wins over the engine's."""

    level: RiskLevel
    justification: Annotated[str, AfterValidator(_justified)]


class Facts(Strict):
    """What the responder knows right now (``breach.facts/1``). Null means "not yet known"."""

    model_config = ConfigDict(extra="forbid", title=FACTS_SCHEMA)

    schema_: Literal["breach.facts/1"] | None = Field(default=None, alias="schema")
    title: str = ""
    summary: str = ""
    organisation: str | Organisation
    role: Role
    detected_at: AwareDatetime
    aware_at: AwareDatetime | None = None
    personal_data: bool | None = None
    confidentiality: Confidentiality = Field(
        default="unknown",
        description="who could see the data; trusted_recipient: a party with an established "
        "relationship with us (another department, a regular supplier) bound to "
        "confidentiality, who returned or deleted it, with no one else having had access "
        "(EDPB Guidelines 9/2022); a stranger, or a party trusted only because of its legal "
        "status, is known_recipients",
    )
    recipient_deleted: bool | None = Field(
        default=None,
        description="for known_recipients: the recipients confirmed that they deleted or "
        "returned the data and kept no copy; null: not (yet) confirmed",
    )
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
    ecs_data: bool = Field(
        default=False,
        description="data processed to provide a public electronic communications service "
        "(telecom/VoIP)",
    )
    ecs_position: EcsPosition | None = Field(
        default=None,
        description="for ecs_data: provider = we provide the public electronic communications "
        "service to the subscribers concerned (we hold the subscriber contract), whatever our "
        "GDPR role; sub_provider = we deliver part of another provider's service and have no "
        "contract with its subscribers (Reg. 611/2013 Art. 5); null: not known (assessed as "
        "provider)",
    )
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
