"""The regime files (``decision_rules/regimes/*.toml``): each duty of a regime, as data.

The file format is these models: unknown keys are errors, conditions are compiled and
reason texts checked when a file is validated, so a typo is reported with its file and
line before any assessment runs.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)

from ..model import Duty, Exemption
from .conditions import Condition, ConditionError, compile_condition
from .text import check_template

#: Names a regime's conditions and reasons may use (see ``engine.assess.decision_env``).
DECISION_NAMES = frozenset(
    {
        "role",
        "personal_data_breach",
        "personal_data_known",
        "risk",
        "risk_source",
        "unintelligible",
        "high_risk_averted",
        "disproportionate_effort",
        "gdpr_applies",
        "eu_established",
        "gdpr_targeting",
        "cross_border",
        "ecs_provider",
        "ecs_data",
        "nis2",
        "significant_incident",
        "confidentiality",
        "integrity",
        "availability",
        "has_unknowns",
        "unknowns",
        "has_annex_unknowns",
        "annex_unknowns",
        "controllers_listed",
        "subjects_count",
        "main_establishment",
        "risk_because",
        "authority_route",
        "ecs_route",
        "ecs_position",
        "ecs_position_known",
        "account_split",
        "national_law",
        "mixed_data",
        "gdpr_replaced",
        "nis2_entity",
        "uk_applies",
        "uk_ecs_route",
        "ch_applies",
        "ge_applies",
        "protection",
    }
)


class RuleModel(BaseModel):
    """A part of a rule file: unknown keys are errors; read-only once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def compiled(value: Any, known: frozenset[str]) -> Condition:
    """A condition's text compiled against ``known`` names (a ``ValueError`` names the fault)."""
    if isinstance(value, Condition):
        return value
    if not isinstance(value, str):
        raise ValueError("a condition is a text, e.g. \"risk == 'high'\"")
    try:
        return compile_condition(value, known)
    except ConditionError as err:
        raise ValueError(str(err)) from None


#: How a condition is written back and described: as its text.
AS_TEXT = PlainSerializer(lambda condition: condition.source, return_type=str)
TEXT_SCHEMA = WithJsonSchema({"type": "string"})

DecisionCondition = Annotated[
    Condition, PlainValidator(lambda value: compiled(value, DECISION_NAMES)), AS_TEXT, TEXT_SCHEMA
]
DecisionText = Annotated[str, AfterValidator(lambda text: check_template(text, DECISION_NAMES))]
#: The conditions that always and never hold (the defaults).
ALWAYS = compile_condition("true")
NEVER = compile_condition("false")


class Clause(RuleModel):
    """``when`` a condition holds, the duty is not required ``because`` …"""

    when: DecisionCondition
    because: DecisionText


class ExemptionClause(Clause):
    """An exemption: the duty is ``exempt`` by name when the condition holds."""

    exemption: Exemption
    basis: str


class RegimeWarning(Clause):
    """A warning the regime adds to the decision when its condition holds."""


class Period(RuleModel):
    """A period after a start event: elapsed hours, or calendar months."""

    hours: float | None = Field(default=None, gt=0)
    months: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_unit(self) -> Period:
        if (self.hours is None) == (self.months is None):
            raise ValueError("give exactly one of hours or months")
        return self


Recipients = Literal[
    "supervisory_authority",  # GDPR Art. 55/56 routing (lead / single establishment / Art. 3(2))
    "service_authorities",  # each EEA country where the service is provided and people are hit
    "national_authority",  # the authority of `authority_country`
    "data_subjects",
    "public",
    "controllers",
    "register",
]


class Rule(RuleModel):
    """One duty of a regime."""

    id: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    duty: Duty
    basis: str
    source: str
    required_because: DecisionText
    period: Period
    due_kind: Literal["deadline", "without_undue_delay"]
    recipients: Recipients
    note: str = ""
    effective_from: date = date(1900, 1, 1)
    effective_to: date | None = None
    when: DecisionCondition = Field(
        default=ALWAYS, description="outside it the rule is not considered at all"
    )
    not_required: list[Clause] = Field(default_factory=list)
    exemptions: list[ExemptionClause] = Field(default_factory=list)
    start: Literal["awareness", "detection"] = "awareness"
    after_hours: float = Field(default=0, ge=0, description="offset from the start event")
    authority_regime: str | None = Field(
        default=None, description="regime key in authorities.toml (default: the regime id)"
    )
    authority_country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    recipient_label: str = "competent authority"
    late_warning: str = ""
    unconfirmed: str = Field(
        default="", description="what still lacks a source; shown as a warning when required"
    )

    @property
    def version(self) -> str:
        """The version each obligation records: the day this text of the rule took effect."""
        return self.effective_from.isoformat()

    def in_force(self, day: date) -> bool:
        """Whether this version of the rule is in force on ``day`` (the incident's UTC date)."""
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)

    @model_validator(mode="after")
    def _country_for_national(self) -> Rule:
        if self.recipients == "national_authority" and not self.authority_country:
            raise ValueError("recipients 'national_authority' needs authority_country")
        return self


class Regime(RuleModel):
    """A regime file: its identity, when it applies, and its rules."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    source: str
    last_verified: date
    rules: list[Rule]
    note: str = ""
    applies: DecisionCondition = Field(default=ALWAYS, description="outside it, no rule is listed")
    not_applicable: str = Field(default="", description="why, when `applies` is false")
    warnings: list[RegimeWarning] = Field(default_factory=list)
