"""Facts in (``breach.facts/1``): what the responder knows, and the organisation it is about.

These pydantic models are the contract of CONTRACT.md; ``breach schema facts`` prints the
JSON Schema generated from them. Null or ``unknown`` always means "not yet known".

Input is read strictly: a yes/no field takes only ``true``, ``false`` or ``null`` (not
``"yes"``, not ``1``), a count only a whole number (not ``true``), a time only ISO 8601
text (not a number of seconds); numbers are finite and bounded, texts and lists have a
length limit, and country codes must be ISO 3166 codes.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AllowInfNan,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic import (
    Strict as StrictType,
)

from .countries import CountryCode as CountryCode
from .particulars import (
    Cause,
    DiscoveredBy,
    Dpo,
    IncidentKind,
    LanguageCode,
    Person,
    PoliceReport,
    ProcessorInvolved,
)

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


def _justified(value: str) -> str:
    if not value.strip():
        raise ValueError("a risk override needs a justification")
    return value


def _time_text(value: object) -> object:
    """A time is ISO 8601 text: a number (seconds since 1970?) is refused, not guessed."""
    if isinstance(value, bool | int | float):
        raise ValueError(
            f"{json.dumps(value)} is not a time: write it as ISO 8601 text with its offset "
            "(e.g. 2026-11-20T14:30:00+01:00)"
        )
    return value


#: true or false only (not "yes", not 1).
Flag = Annotated[bool, StrictType()]
#: How many people: a whole number (not true, not 1.5), at most ten billion.
Count = Annotated[int, StrictType(), Field(ge=0, le=10_000_000_000)]
#: Hours: a finite number, at most ten years.
Hours = Annotated[float, StrictType(), AllowInfNan(False), Field(ge=0, le=87_600)]
#: A time: ISO 8601 text with a UTC offset.
Time = Annotated[AwareDatetime, BeforeValidator(_time_text)]
#: A name or a title: one line's worth of text.
Name = Annotated[str, StrictType(), StringConstraints(max_length=500)]
#: A paragraph the responder writes (summary, mitigation, justification).
Prose = Annotated[str, StrictType(), StringConstraints(max_length=20_000)]


class Strict(BaseModel):
    """A contract model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


class Establishment(Strict):
    """A legal entity of the organisation in one country."""

    country: CountryCode = Field(description="ISO 3166 alpha-2 code")
    entity: Name | None = Field(default=None, description="legal entity name")


class Organisation(Strict):
    """Who we are: a profile from decision_rules/profiles/ or the same object inline."""

    id: Name
    name: Name
    establishments: list[Establishment] = Field(default_factory=list, max_length=300)
    main_establishment: CountryCode | None = Field(
        default=None, description="country of the EU/EEA main establishment"
    )
    ecs_provider: Flag = Field(
        default=False, description="provides a public electronic communications service"
    )
    gdpr_targeting: Flag | None = Field(
        default=False,
        description="non-EU organisation offering services to, or monitoring, people in the EU",
    )
    nis2: Nis2Status | None = "none"
    contact: Name | None = Field(default=None, description="DPO or contact point")
    languages: list[Name] = Field(default_factory=list, max_length=30)
    dpo: Dpo | None = Field(default=None, description="data protection officer, if designated")

    @property
    def countries(self) -> set[str]:
        """Every country where the organisation has an entity (EEA or not)."""
        found = {e.country for e in self.establishments}
        if self.main_establishment:
            found.add(self.main_establishment)
        return found


class Subjects(Strict):
    """The people affected."""

    count: Count | None = Field(default=None, description="best estimate of people affected")
    kinds: list[SubjectKind] = Field(default_factory=list, max_length=20)
    countries: list[CountryCode] = Field(
        default_factory=list,
        max_length=300,
        description="ISO 3166 alpha-2 codes of where they live",
    )
    by_country: dict[CountryCode, Count] = Field(
        default_factory=dict,
        max_length=300,
        description="people affected per country of residence (its countries count as "
        "listed in countries)",
    )

    @model_validator(mode="after")
    def _countries_cover_by_country(self) -> Subjects:
        missing = [c for c in self.by_country if c not in self.countries]
        if missing:
            self.countries = [*self.countries, *sorted(missing)]
        total = sum(self.by_country.values())
        if self.count is not None and total > self.count:
            raise ValueError(f"by_country adds up to {total:,}, more than count ({self.count:,})")
        return self


class ControllerContact(Strict):
    """A controller customer a processor must inform (GDPR Art. 33(2))."""

    name: Name = Field(min_length=1)
    contact: Name | None = None
    notice_hours: Hours | None = Field(
        default=None, gt=0, description="agreed hours after awareness to inform this controller"
    )
    subjects: Count | None = Field(
        default=None, description="how many of the affected people are this customer's"
    )
    language: LanguageCode | None = Field(default=None, description="language of its notice")


class RiskOverride(Strict):
    """The responder's own risk judgement, which wins over the engine's."""

    level: RiskLevel
    justification: Annotated[Prose, AfterValidator(_justified)]


class Facts(Strict):
    """What the responder knows right now (``breach.facts/1``). Null means "not yet known"."""

    model_config = ConfigDict(extra="forbid", title=FACTS_SCHEMA)

    schema_: Literal["breach.facts/1"] | None = Field(default=None, alias="schema")
    title: Name = ""
    summary: Prose = ""
    organisation: Name | Organisation
    role: Role
    detected_at: Time
    aware_at: Time | None = None
    personal_data: Flag | None = None
    confidentiality: Confidentiality = Field(
        default="unknown",
        description="who could see the data; trusted_recipient: a party with an established "
        "relationship with us (another department, a regular supplier) bound to "
        "confidentiality, who returned or deleted it, with no one else having had access "
        "(EDPB Guidelines 9/2022); a stranger, or a party trusted only because of its legal "
        "status, is known_recipients",
    )
    recipient_deleted: Flag | None = Field(
        default=None,
        description="for known_recipients: the recipients confirmed that they deleted or "
        "returned the data and kept no copy; null: not (yet) confirmed",
    )
    integrity: Integrity = "unknown"
    availability: Availability = "unknown"
    unavailable_hours: Hours | None = None
    exfiltration: Exfiltration = "unknown"
    malicious: Flag | None = None
    data_categories: list[DataCategory] = Field(default_factory=list, max_length=30)
    subjects: Subjects = Field(default_factory=Subjects)
    identifiability: Identifiability = "maximum"
    protection: Protection = "none"
    protection_state_of_the_art: Flag = False
    key_compromised: Flag | None = None
    high_risk_averted: Flag = False
    mitigation: Prose = ""
    disproportionate_effort: Flag = False
    ecs_data: Flag = Field(
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
    non_ecs_data: Flag | None = Field(
        default=None,
        description="with ecs_data: the breach also hit data not processed for the "
        "communications service (HR, marketing); null: inferred from subjects and categories",
    )
    significant_incident: Flag | None = None
    controllers: list[ControllerContact] = Field(default_factory=list, max_length=10_000)
    risk_override: RiskOverride | None = None
    # -- particulars: what the notices and the regulators' forms need --------------------
    occurred_at: Time | None = Field(default=None, description="when the breach began")
    ended_at: Time | None = Field(default=None, description="when the breach ended")
    ongoing: Flag | None = Field(default=None, description="the breach is still going on")
    discovered_by: DiscoveredBy | None = Field(default=None, description="how we learnt of it")
    incident_kinds: list[IncidentKind] = Field(default_factory=list, max_length=14)
    cause: Cause | None = Field(default=None, description="internal or external origin")
    systems: Prose = Field(default="", description="systems, services and storage media, where")
    records: Count | None = Field(
        default=None, description="approximate number of personal data records"
    )
    consequences: Prose = Field(default="", description="likely consequences, in our words")
    measures_before: Prose = Field(default="", description="security measures before the breach")
    measures_planned: Prose = Field(
        default="", description="measures proposed, and to prevent recurrence"
    )
    reporter: Person | None = Field(default=None, description="who sends the notification")
    processors: list[ProcessorInvolved] | None = Field(
        default=None,
        max_length=100,
        description="processors or other providers involved; [] = none; null: not yet known",
    )
    police_report: PoliceReport | None = None
    subjects_contact: Prose = Field(
        default="", description="where affected people can get more information"
    )
    delay_reason: Prose = Field(
        default="", description="why a notification is late (GDPR Art. 33(1))"
    )

    @field_validator("aware_at")
    @classmethod
    def _aware_not_before_detection(
        cls, value: datetime | None, info: ValidationInfo
    ) -> datetime | None:
        detected = info.data.get("detected_at")
        if value is not None and detected is not None and value < detected:
            raise ValueError("is before detected_at: awareness follows detection")
        return value

    @model_validator(mode="after")
    def _breach_period(self) -> Facts:
        if self.occurred_at and self.ended_at and self.ended_at < self.occurred_at:
            raise ValueError("ended_at is before occurred_at")
        if self.ongoing and self.ended_at is not None:
            raise ValueError("ongoing is true but ended_at is given: which is it?")
        return self

    @property
    def awareness(self) -> datetime:
        """The instant the GDPR clock starts: ``aware_at``, else ``detected_at``."""
        return self.aware_at or self.detected_at
