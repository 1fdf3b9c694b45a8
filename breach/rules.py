"""Load and validate the legal knowledge in ``decision_rules/``.

Every file is TOML, validated by a pydantic model with ``extra="forbid"``. Conditions and
reason templates are compiled at load time, so a typo in a rule file is reported with its
file and line before any assessment runs. The loaded :class:`RuleSet` is immutable and can
be shared by every assessment.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from datetime import date
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .conditions import Condition, ConditionError, compile_condition
from .errors import BadInput
from .model import (
    DataCategory,
    Duty,
    Establishment,
    Exemption,
    Nis2Status,
    Organisation,
    Recipient,
    Role,
    SubjectKind,
)

RULES_ENV = "BREACH_RULES_DIR"
M = TypeVar("M", bound=BaseModel)

#: Names a GDPR-style rule condition or reason may use (see engine.decision_env).
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
        "controllers_listed",
        "subjects_count",
        "main_establishment",
        "risk_because",
        "authority_route",
        "ecs_route",
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

#: Names the risk model's conditions may use (see risk.risk_env).
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
        "dpc",
    }
)


class RuleFileError(BadInput):
    """A rule file is invalid; the message names the file and line."""


class _Strict(BaseModel):
    # defer_build: a rule set read from the cache is never validated again, so the
    # validators are only built when files are actually validated.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def check_template(text: str, known: frozenset[str]) -> str:
    """Refuse ``{name}`` placeholders in reason text that are not known names."""
    unknown = set(_PLACEHOLDER.findall(text)) - known
    if unknown:
        raise ValueError(f"unknown placeholder(s) {sorted(unknown)} in {text!r}")
    return text


#: Reason texts split once into (literal, placeholder) pairs; rule texts are few and fixed.
_SPLIT_TEMPLATES: dict[str, tuple[tuple[str, str | None], ...]] = {}
_SPLIT_TEMPLATES_MAX = 4096


def _split_template(text: str) -> tuple[tuple[str, str | None], ...]:
    parts = _SPLIT_TEMPLATES.get(text)
    if parts is None:
        pieces: list[tuple[str, str | None]] = []
        position = 0
        for match in _PLACEHOLDER.finditer(text):
            pieces.append((text[position : match.start()], match.group(1)))
            position = match.end()
        pieces.append((text[position:], None))
        parts = tuple(pieces)
        if len(_SPLIT_TEMPLATES) < _SPLIT_TEMPLATES_MAX:
            _SPLIT_TEMPLATES[text] = parts
    return parts


def fill_template(text: str, env: Mapping[str, Any], extra: Mapping[str, Any] | None = None) -> str:
    """Replace each ``{name}`` with its value from ``extra`` or ``env`` (lists comma-joined)."""
    if "{" not in text:
        return text
    out: list[str] = []
    for literal, name in _split_template(text):
        out.append(literal)
        if name is None:
            continue
        value = extra[name] if extra and name in extra else env.get(name, "")
        if isinstance(value, list | tuple | set | frozenset):
            out.append(", ".join(str(v) for v in value) or "none")
        else:
            out.append(str(value))
    return "".join(out)


def _compiled(source: str, known: frozenset[str]) -> Condition:
    try:
        return compile_condition(source, known)
    except ConditionError as err:
        raise ValueError(str(err)) from None


class Clause(_Strict):
    """``when`` a condition holds, the duty is not required ``because`` …"""

    when: str
    because: str

    @cached_property
    def condition(self) -> Condition:
        """The compiled ``when``."""
        return _compiled(self.when, DECISION_NAMES)

    @model_validator(mode="after")
    def _check(self) -> Clause:
        _ = self.condition
        check_template(self.because, DECISION_NAMES)
        return self


class ExemptionClause(Clause):
    """An exemption: the duty is ``exempt`` by name when the condition holds."""

    exemption: Exemption
    basis: str


class Period(_Strict):
    """A period after a start event: elapsed hours, or calendar months."""

    hours: float | None = Field(default=None, gt=0)
    months: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one(self) -> Period:
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


class Rule(_Strict):
    """One duty of a regime, as data."""

    id: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    duty: Duty
    basis: str
    source: str
    note: str = ""
    effective_from: date = date(1900, 1, 1)
    effective_to: date | None = None
    when: str = "true"
    not_required: list[Clause] = Field(default_factory=list)
    exemptions: list[ExemptionClause] = Field(default_factory=list)
    required_because: str
    start: Literal["awareness", "detection"] = "awareness"
    after_hours: float = Field(default=0, ge=0, description="offset from the start event")
    period: Period
    due_kind: Literal["deadline", "without_undue_delay"]
    recipients: Recipients
    authority_regime: str | None = Field(
        default=None, description="regime key in authorities.toml (default: the regime id)"
    )
    authority_country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    recipient_label: str = "competent authority"
    late_warning: str = ""
    unconfirmed: str = Field(
        default="", description="what still lacks a source; shown as a warning when required"
    )

    @cached_property
    def condition(self) -> Condition:
        """The compiled ``when``: outside it the rule is not considered at all."""
        return _compiled(self.when, DECISION_NAMES)

    @cached_property
    def version(self) -> str:
        """The version each obligation records: the day this text of the rule took effect."""
        return self.effective_from.isoformat()

    @cached_property
    def route(self) -> tuple[str | None, ...]:
        """What decides this rule's recipients (rules with the same route share them)."""
        return (
            self.recipients,
            self.authority_regime,
            self.authority_country,
            self.recipient_label,
        )

    def in_force(self, day: date) -> bool:
        """Whether this version of the rule is in force on ``day`` (the incident's UTC date)."""
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)

    @model_validator(mode="after")
    def _check(self) -> Rule:
        _ = self.condition
        check_template(self.required_because, DECISION_NAMES)
        if self.recipients == "national_authority" and not self.authority_country:
            raise ValueError("recipients 'national_authority' needs authority_country")
        return self


class Warning_(Clause):
    """A warning the regime adds to the decision when its condition holds."""


class Regime(_Strict):
    """A regime file: its identity, when it applies, and its rules."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    source: str
    last_verified: date
    note: str = ""
    applies: str = Field(default="true", description="condition: outside it, no rule is listed")
    not_applicable: str = Field(default="", description="why, when `applies` is false")
    rules: list[Rule]
    warnings: list[Warning_] = Field(default_factory=list)

    @cached_property
    def condition(self) -> Condition:
        """The compiled ``applies``."""
        return _compiled(self.applies, DECISION_NAMES)

    @model_validator(mode="after")
    def _check(self) -> Regime:
        _ = self.condition
        return self


class CategoryScore(_Strict):
    """ENISA DPC base score of one data category."""

    dpc: float = Field(ge=1, le=4)
    enisa: Literal["simple", "behavioural", "financial", "sensitive"]
    note: str = ""


class KindAdjustment(_Strict):
    """ENISA DPC increase for special characteristics of the individuals."""

    dpc: float
    because: str


class Factor(_Strict):
    """An EDPB factor the ENISA score leaves out: adds ``weight`` when ``when`` holds."""

    id: str
    when: str
    weight: float
    because: str
    source: str

    @cached_property
    def condition(self) -> Condition:
        """The compiled ``when``."""
        return _compiled(self.when, RISK_NAMES)

    @model_validator(mode="after")
    def _check(self) -> Factor:
        _ = self.condition
        return self


class Enisa(_Strict):
    """The ENISA 2013 severity method as data."""

    source: str
    categories: dict[DataCategory, CategoryScore]
    unknown_categories_dpc: float = Field(ge=1, le=4)
    kinds: dict[SubjectKind, KindAdjustment] = Field(default_factory=dict)
    ei: dict[str, float]
    unintelligible_ei: float
    cb_confidentiality: dict[str, float]
    cb_integrity: dict[str, float]
    cb_availability: dict[str, float]
    cb_malicious: float
    bands: dict[Literal["medium", "high", "very_high"], float]

    @cached_property
    def bands_ascending(self) -> list[tuple[str, float]]:
        """The bands from the lowest threshold up."""
        return sorted(self.bands.items(), key=lambda item: item[1])

    @model_validator(mode="after")
    def _complete(self) -> Enisa:
        tables: dict[str, tuple[Mapping[str, float] | Mapping[Any, Any], tuple[str, ...]]] = {
            "categories": (self.categories, get_args(DataCategory)),
            "ei": (self.ei, ("negligible", "limited", "significant", "maximum")),
            "cb_confidentiality": (
                self.cb_confidentiality,
                ("none", "trusted_recipient", "known_recipients", "unknown_recipients"),
            ),
            "cb_integrity": (self.cb_integrity, ("none", "recoverable", "unrecoverable")),
            "cb_availability": (self.cb_availability, ("none", "temporary", "permanent")),
        }
        for name, (table, needed) in tables.items():
            missing = [key for key in needed if key not in table]
            if missing:
                raise ValueError(f"{name} lacks {', '.join(missing)}")
        return self


class RiskModel(_Strict):
    """``risk.toml``: ENISA severity, EDPB factors and the thresholds to a risk level."""

    enisa: Enisa
    factors: list[Factor]
    high_threshold: float
    unlikely_when: str
    unlikely_because: str
    high_floor_when: str = "false"
    high_floor_because: str = ""
    short_outage_hours: float

    @cached_property
    def unlikely(self) -> Condition:
        """The compiled "no effective impact" condition."""
        return _compiled(self.unlikely_when, RISK_NAMES | {"short_outage"})

    @cached_property
    def high_floor(self) -> Condition:
        """Conditions that make the risk high whatever the score."""
        return _compiled(self.high_floor_when, RISK_NAMES | {"short_outage"})

    @model_validator(mode="after")
    def _check(self) -> RiskModel:
        _ = self.unlikely, self.high_floor
        return self


class Authority(_Strict):
    """A body that receives notifications."""

    id: str
    country: str = Field(pattern=r"^[A-Z]{2}$")
    regimes: list[str]
    name: str
    local_name: str = ""
    website: str = ""
    portal: str = ""
    languages: list[str] = Field(default_factory=list)
    zone: str = "UTC"
    source: str
    last_verified: date | None = Field(default=None, description="absent: not yet verified")
    note: str = ""

    @cached_property
    def recipient(self) -> Recipient:
        """This authority as the recipient of an obligation."""
        return Recipient(
            name=self.name,
            country=self.country,
            contact=self.portal or self.website or None,
            authority_id=self.id,
        )


class AuthorityDirectory(_Strict):
    """``authorities.toml``."""

    authorities: list[Authority]

    @cached_property
    def _index(self) -> dict[tuple[str, str], list[Authority]]:
        index: dict[tuple[str, str], list[Authority]] = {}
        for authority in self.authorities:
            for regime in authority.regimes:
                index.setdefault((regime, authority.country), []).append(authority)
        return index

    def for_regime(self, regime: str, country: str) -> list[Authority]:
        """Authorities of ``country`` that receive notifications under ``regime``."""
        return list(self._index.get((regime, country), []))


class ProfileSources(_Strict):
    """Where each profile field comes from in the organisation's policy."""

    name: str = ""
    main_establishment: str = ""
    ecs_provider: str = ""
    gdpr_targeting: str = ""
    nis2: str = ""
    contact: str = ""
    languages: str = ""


class ProfileEstablishment(_Strict):
    """An entity with its country and source."""

    country: str = Field(pattern=r"^[A-Z]{2}$")
    entity: str
    source: str


class ProfileRole(_Strict):
    """A role the organisation takes for some data."""

    role: Role
    scope: str
    source: str


class BreachCommitment(_Strict):
    """What the organisation promises its customers about breaches."""

    notice_hours: float | None = Field(default=None, gt=0)
    text: str
    exemptions: list[str] = Field(default_factory=list)
    source: str


class InventoryItem(_Strict):
    """A kind of data as the policy names it, mapped to a Facts category."""

    label: str
    category: DataCategory
    source: str


class Profile(_Strict):
    """An organisation profile built from its privacy policy."""

    id: str
    name: str
    policy: str
    main_establishment: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    ecs_provider: bool
    gdpr_targeting: bool
    nis2: Nis2Status
    contact: str | None = None
    languages: list[str]
    notes: list[str] = Field(default_factory=list)
    sources: ProfileSources
    establishments: list[ProfileEstablishment]
    roles: list[ProfileRole]
    breach_commitment: BreachCommitment | None = None
    inventory: list[InventoryItem]

    def organisation(self) -> Organisation:
        """The CONTRACT's Organisation view of this profile."""
        return Organisation(
            id=self.id,
            name=self.name,
            establishments=[
                Establishment(country=e.country, entity=e.entity) for e in self.establishments
            ],
            main_establishment=self.main_establishment,
            ecs_provider=self.ecs_provider,
            gdpr_targeting=self.gdpr_targeting,
            nis2=self.nis2,
            contact=self.contact,
            languages=list(self.languages),
        )


class Settings(_Strict):
    """``ruleset.toml``: the version and defaults of the whole rule set."""

    version: str
    processor_notice_hours: float = Field(gt=0)
    processor_notice_source: str
    ecs_only_for_mixed: list[str] = Field(
        default_factory=list,
        description="countries where a mixed incident goes the ePrivacy route alone (Art. 95)",
    )
    ecs_only_for_mixed_source: str = ""


class RuleSet(_Strict):
    """Everything in ``decision_rules/``, validated."""

    settings: Settings
    regimes: dict[str, Regime]
    risk: RiskModel
    authorities: AuthorityDirectory
    profiles: dict[str, Profile]
    directory: str

    @property
    def version(self) -> str:
        """The rules version recorded in every Decision."""
        return self.settings.version

    @cached_property
    def organisations(self) -> dict[str, Organisation]:
        """Each profile's CONTRACT Organisation view, built once."""
        return {pid: p.organisation() for pid, p in self.profiles.items()}

    @cached_property
    def route_cache(self) -> dict[tuple[Any, ...], Any]:
        """Recipients already looked up in the authorities directory (see :mod:`.routing`)."""
        return {}


def rules_dir(explicit: str | Path | None = None) -> Path:
    """Find ``decision_rules/``: argument, ``BREACH_RULES_DIR``, packaged copy, or checkout."""
    if explicit:
        return Path(explicit)
    if os.environ.get(RULES_ENV):
        return Path(os.environ[RULES_ENV])
    packaged = resources.files("breach") / "decision_rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[1] / "decision_rules"


def load_rules(directory: str | Path | None = None, *, cache: bool = True) -> RuleSet:
    """Load and validate every rule file; raise :class:`RuleFileError` naming file and line.

    With ``cache`` (the default), a rule set validated earlier from identical files is
    reused (see :mod:`breach.rulecache`); ``cache=False`` always validates from scratch.
    """
    from . import rulecache

    root = rules_dir(directory)
    if not root.is_dir():
        raise RuleFileError(f"{root}: rules directory not found (set {RULES_ENV})")
    use_cache = cache and rulecache.enabled()
    if use_cache and (cached := rulecache.read(root)) is not None:
        return cached
    rules = _validate(root)
    if use_cache:
        rulecache.write(root, rules)
    return rules


def _validate(root: Path) -> RuleSet:
    settings = _load(root / "ruleset.toml", Settings)
    regimes = {}
    for path in sorted((root / "regimes").glob("*.toml")):
        regime = _load(path, Regime)
        if regime.id != path.stem:
            raise RuleFileError(f"{path}:1: regime id {regime.id!r} must equal the file name")
        regimes[regime.id] = regime
    profiles = {}
    for path in sorted((root / "profiles").glob("*.toml")):
        profile = _load(path, Profile)
        if profile.id != path.stem:
            raise RuleFileError(f"{path}:1: profile id {profile.id!r} must equal the file name")
        profiles[profile.id] = profile
    authorities = _load(root / "authorities.toml", AuthorityDirectory)
    _check_versions([r for g in regimes.values() for r in g.rules], root / "regimes")
    _check_unique([a.id for a in authorities.authorities], root / "authorities.toml", "id")
    return RuleSet(
        settings=settings,
        regimes=regimes,
        risk=_load(root / "risk.toml", RiskModel),
        authorities=authorities,
        profiles=profiles,
        directory=str(root),
    )


def _check_versions(rules: list[Rule], where: Path) -> None:
    """Rules may share an id only as dated versions whose periods do not overlap."""
    by_id: dict[str, list[Rule]] = {}
    for rule in rules:
        by_id.setdefault(rule.id, []).append(rule)
    for rule_id, versions in by_id.items():
        versions.sort(key=lambda r: r.effective_from)
        for older, newer in zip(versions, versions[1:], strict=False):
            if older.effective_to is None or older.effective_to > newer.effective_from:
                raise RuleFileError(
                    f"{where}: rule {rule_id!r} has versions in force at the same time "
                    f"(from {older.effective_from} and from {newer.effective_from}); "
                    "give the older one an effective_to"
                )


def _check_unique(ids: list[str], where: Path, what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise RuleFileError(f"{where}: duplicate {what} {item!r}")
        seen.add(item)


def _load(path: Path, model: type[M]) -> M:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise RuleFileError(f"{path}: cannot read ({err.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise RuleFileError(f"{path}: {err}") from None
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        loc = tuple(first["loc"])
        line = locate(text, loc)
        where = ".".join(str(p) for p in loc) or "(file)"
        raise RuleFileError(f"{path}:{line}: {where}: {_plain(first)}") from None


def _plain(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key (not allowed here)"
    if error["type"] == "missing":
        return "required key is missing"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def locate(text: str, loc: tuple[Any, ...]) -> int:
    """Best-effort line number (1-based) of a validation location in TOML text.

    Walks ``[[table]]`` headers for list indices and ``key =`` lines for keys, so an
    error in ``rules[3].period`` points at the ``period`` line of the fourth ``[[rules]]``.
    """
    lines = text.splitlines()
    start = 0
    path: list[str] = []
    for part in loc:
        if isinstance(part, int):
            header = re.compile(r"^\s*\[\[\s*" + re.escape(".".join(path)) + r"\s*\]\]")
            hits = [i for i, line in enumerate(lines) if i >= start and header.match(line)]
            if part < len(hits):
                start = hits[part]
            continue
        path.append(str(part))
        key = re.compile(r"^\s*" + re.escape(str(part)) + r"\s*=")
        table = re.compile(r"^\s*\[{1,2}\s*" + re.escape(".".join(path)) + r"\s*\]{1,2}")
        for i in range(start, len(lines)):
            if key.match(lines[i]) or table.match(lines[i]):
                start = i
                break
    return start + 1
