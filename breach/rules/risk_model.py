"""``risk.toml``: the ENISA 2013 severity method, the EDPB factors and the risk thresholds."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal, get_args

from pydantic import Field, PlainValidator, model_validator

from ..model import DataCategory, SubjectKind
from .conditions import Condition
from .regimes import AS_TEXT, NEVER, TEXT_SCHEMA, RuleModel, compiled

#: Names the risk model's conditions may use (see ``engine.risk.risk_env``).
RISK_NAMES = frozenset(
    {
        "confidentiality",
        "integrity",
        "availability",
        "exfiltration",
        "malicious",
        "unintelligible",
        "no_confidentiality_impact",
        "unavailable_hours",
        "outage_hours_known",
        "vital_context",
        "subjects_count",
        "categories",
        "kinds",
        "fraud_data",
        "uncertain_scope",
        "trusted_recipient",
        "recipient_deleted",
        "recipient_kept",
        "dpc",
    }
)
#: The risk level's conditions may also read whether the outage was short.
LEVEL_NAMES = RISK_NAMES | {"short_outage"}

RiskCondition = Annotated[
    Condition, PlainValidator(lambda value: compiled(value, RISK_NAMES)), AS_TEXT, TEXT_SCHEMA
]
LevelCondition = Annotated[
    Condition, PlainValidator(lambda value: compiled(value, LEVEL_NAMES)), AS_TEXT, TEXT_SCHEMA
]
DpcScore = Annotated[float, Field(ge=1, le=4)]


class CategoryScore(RuleModel):
    """ENISA DPC base score of one data category."""

    dpc: DpcScore
    enisa: Literal["simple", "behavioural", "financial", "sensitive"]
    note: str = ""


class KindAdjustment(RuleModel):
    """ENISA DPC increase for special characteristics of the individuals."""

    dpc: float
    because: str


class Factor(RuleModel):
    """An EDPB factor the ENISA score leaves out: adds ``weight`` when ``when`` holds."""

    id: str
    when: RiskCondition
    weight: float
    because: str
    source: str
    cites: str = Field(
        default="", description="the short citation the trace gives beside `because`"
    )

    @property
    def signed_weight(self) -> str:
        """The weight as the trace shows it: ``+1``, ``-0.5``."""
        return f"{'+' if self.weight >= 0 else ''}{self.weight:g}"


#: The entries each ENISA table must have.
ENISA_TABLES = {
    "categories": get_args(DataCategory),
    "ei": ("negligible", "limited", "significant", "maximum"),
    "cb_confidentiality": ("none", "trusted_recipient", "known_recipients", "unknown_recipients"),
    "cb_integrity": ("none", "recoverable", "unrecoverable"),
    "cb_availability": ("none", "temporary", "permanent"),
}


class Enisa(RuleModel):
    """The ENISA 2013 severity method as data."""

    source: str
    categories: dict[DataCategory, CategoryScore]
    unknown_categories_dpc: DpcScore
    ei: dict[str, float]
    unintelligible_ei: float
    cb_confidentiality: dict[str, float]
    cb_integrity: dict[str, float]
    cb_availability: dict[str, float]
    cb_malicious: float
    bands: dict[Literal["medium", "high", "very_high"], float]
    kinds: dict[SubjectKind, KindAdjustment] = Field(default_factory=dict)

    @cached_property
    def bands_ascending(self) -> list[tuple[str, float]]:
        """The bands from the lowest threshold up."""
        return sorted(self.bands.items(), key=lambda item: item[1])

    @model_validator(mode="after")
    def _complete(self) -> Enisa:
        for name, needed in ENISA_TABLES.items():
            missing = [key for key in needed if key not in getattr(self, name)]
            if missing:
                raise ValueError(f"{name} lacks {', '.join(missing)}")
        return self


class RiskModel(RuleModel):
    """``risk.toml``: ENISA severity, EDPB factors and the thresholds to a risk level."""

    enisa: Enisa
    factors: list[Factor]
    high_threshold: float
    unlikely_when: LevelCondition = Field(description='"no effective impact"')
    unlikely_because: str
    short_outage_hours: float
    high_floor_when: LevelCondition = Field(
        default=NEVER, description="conditions that make the risk high whatever the score"
    )
    high_floor_because: str = ""
