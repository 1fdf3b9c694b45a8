"""Load and validate the legal knowledge in ``decision_rules/``.

Every file is TOML, validated by pydantic against the dataclasses below with
``extra="forbid"``. Conditions and reason templates are compiled at load time, so a typo in
a rule file is reported with its file and line before any assessment runs. The loaded
:class:`RuleSet` is immutable and can be shared by every assessment.

The rule classes are plain dataclasses, not pydantic models: pydantic is imported only to
validate files, so a rule set read from the cache (:mod:`breach.rulecache`) loads without
it and ``breach assess`` starts fast. Field constraints are written as
``Annotated[type, Check(...)]``, which pydantic applies when it validates. The classes are
neither ``frozen`` nor given a generated ``__eq__`` (each costs about a millisecond per
class at import, which every command pays): a loaded rule set is shared by every
assessment, so treat it as read-only.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar, get_args

from .conditions import Condition, ConditionError, compile_condition
from .errors import BadInput
from .memo import remembered
from .vocabulary import DataCategory, Duty, Exemption, Nis2Status, Role, SubjectKind

if TYPE_CHECKING:
    from pydantic import TypeAdapter

RULES_ENV = "BREACH_RULES_DIR"
T = TypeVar("T")

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


#: Read by pydantic when it validates a rule dataclass: unknown keys are errors.
FORBID_EXTRA = {"extra": "forbid"}


class Check:
    """Constraints of a field, applied by pydantic: ``Annotated[str, Check(pattern=…)]``.

    The keys are those of pydantic-core's schema for the type (``pattern``, ``gt``, ``ge``,
    ``le``); no pydantic import is needed to declare them.
    """

    def __init__(self, **constraints: Any) -> None:
        self.constraints = constraints

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        """The schema of ``source`` with these constraints added."""
        schema = handler(source)
        schema.update(self.constraints)
        return schema


CountryPattern = Annotated[str, Check(pattern=r"^[A-Z]{2}$")]
Positive = Annotated[float, Check(gt=0)]
DpcScore = Annotated[float, Check(ge=1, le=4)]


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of a reason text."""
    return set(_PLACEHOLDER.findall(text))


def check_template(text: str, known: frozenset[str]) -> str:
    """Refuse ``{name}`` placeholders in reason text that are not known names."""
    unknown = placeholders(text) - known
    if unknown:
        raise ValueError(f"unknown placeholder(s) {sorted(unknown)} in {text!r}")
    return text


#: Reason texts split once into (literal, placeholder) pairs; rule texts are few and fixed.
_SPLIT_TEMPLATES: dict[str, tuple[tuple[str, str | None], ...]] = {}
_SPLIT_TEMPLATES_MAX = 4096


def _split_template(text: str) -> tuple[tuple[str, str | None], ...]:
    return remembered(_SPLIT_TEMPLATES, text, _SPLIT_TEMPLATES_MAX, _split, text)


def _split(text: str) -> tuple[tuple[str, str | None], ...]:
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        pieces.append((text[position : match.start()], match.group(1)))
        position = match.end()
    pieces.append((text[position:], None))
    return tuple(pieces)


def fill_template(text: str, env: Mapping[str, Any], extra: Mapping[str, Any] | None = None) -> str:
    """Replace each ``{name}`` with its value from ``extra`` or ``env`` (lists comma-joined).

    A name in neither is a :class:`KeyError`: rule files may use only names the decision
    environment provides (``check_template``), so a missing one is a bug to show, not a blank.
    """
    if "{" not in text:
        return text
    out: list[str] = []
    for literal, name in _split_template(text):
        out.append(literal)
        if name is None:
            continue
        value = extra[name] if extra and name in extra else env[name]
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


@dataclass(kw_only=True, eq=False)
class Clause:
    """``when`` a condition holds, the duty is not required ``because`` …"""

    __pydantic_config__ = FORBID_EXTRA

    when: str
    because: str

    @cached_property
    def condition(self) -> Condition:
        """The compiled ``when``."""
        return _compiled(self.when, DECISION_NAMES)

    def __post_init__(self) -> None:
        _ = self.condition
        check_template(self.because, DECISION_NAMES)


@dataclass(kw_only=True, eq=False)
class ExemptionClause(Clause):
    """An exemption: the duty is ``exempt`` by name when the condition holds."""

    exemption: Exemption
    basis: str


@dataclass(kw_only=True, eq=False)
class Period:
    """A period after a start event: elapsed hours, or calendar months."""

    __pydantic_config__ = FORBID_EXTRA

    hours: Positive | None = None
    months: Annotated[int, Check(gt=0)] | None = None

    def __post_init__(self) -> None:
        if (self.hours is None) == (self.months is None):
            raise ValueError("give exactly one of hours or months")


Recipients = Literal[
    "supervisory_authority",  # GDPR Art. 55/56 routing (lead / single establishment / Art. 3(2))
    "service_authorities",  # each EEA country where the service is provided and people are hit
    "national_authority",  # the authority of `authority_country`
    "data_subjects",
    "public",
    "controllers",
    "register",
]


@dataclass(kw_only=True, eq=False)
class Rule:
    """One duty of a regime, as data."""

    __pydantic_config__ = FORBID_EXTRA

    id: Annotated[str, Check(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")]
    duty: Duty
    basis: str
    source: str
    required_because: str
    period: Period
    due_kind: Literal["deadline", "without_undue_delay"]
    recipients: Recipients
    note: str = ""
    effective_from: date = date(1900, 1, 1)
    effective_to: date | None = None
    when: str = "true"
    not_required: list[Clause] = field(default_factory=list)
    exemptions: list[ExemptionClause] = field(default_factory=list)
    start: Literal["awareness", "detection"] = "awareness"
    #: offset from the start event
    after_hours: Annotated[float, Check(ge=0)] = 0
    #: regime key in authorities.toml (default: the regime id)
    authority_regime: str | None = None
    authority_country: CountryPattern | None = None
    recipient_label: str = "competent authority"
    late_warning: str = ""
    #: what still lacks a source; shown as a warning when required
    unconfirmed: str = ""

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

    def __post_init__(self) -> None:
        _ = self.condition
        check_template(self.required_because, DECISION_NAMES)
        if self.recipients == "national_authority" and not self.authority_country:
            raise ValueError("recipients 'national_authority' needs authority_country")


@dataclass(kw_only=True, eq=False)
class Warning_(Clause):
    """A warning the regime adds to the decision when its condition holds."""


@dataclass(kw_only=True, eq=False)
class Regime:
    """A regime file: its identity, when it applies, and its rules."""

    __pydantic_config__ = FORBID_EXTRA

    id: Annotated[str, Check(pattern=r"^[a-z0-9_]+$")]
    name: str
    source: str
    last_verified: date
    rules: list[Rule]
    note: str = ""
    #: condition: outside it, no rule is listed
    applies: str = "true"
    #: why, when `applies` is false
    not_applicable: str = ""
    warnings: list[Warning_] = field(default_factory=list)

    @cached_property
    def condition(self) -> Condition:
        """The compiled ``applies``."""
        return _compiled(self.applies, DECISION_NAMES)

    @cached_property
    def not_applicable_step(self) -> dict[str, str]:
        """The trace step when the regime does not apply (read-only)."""
        return {"rule": f"{self.id}.applies", "result": "false", "because": self.not_applicable}

    def __post_init__(self) -> None:
        _ = self.condition


@dataclass(kw_only=True, eq=False)
class CategoryScore:
    """ENISA DPC base score of one data category."""

    __pydantic_config__ = FORBID_EXTRA

    dpc: DpcScore
    enisa: Literal["simple", "behavioural", "financial", "sensitive"]
    note: str = ""


@dataclass(kw_only=True, eq=False)
class KindAdjustment:
    """ENISA DPC increase for special characteristics of the individuals."""

    __pydantic_config__ = FORBID_EXTRA

    dpc: float
    because: str


@dataclass(kw_only=True, eq=False)
class Factor:
    """An EDPB factor the ENISA score leaves out: adds ``weight`` when ``when`` holds."""

    __pydantic_config__ = FORBID_EXTRA

    id: str
    when: str
    weight: float
    because: str
    source: str

    @cached_property
    def condition(self) -> Condition:
        """The compiled ``when``."""
        return _compiled(self.when, RISK_NAMES)

    @cached_property
    def signed_weight(self) -> str:
        """The weight as the trace shows it: ``+1``, ``-0.5``."""
        return f"{'+' if self.weight >= 0 else ''}{self.weight:g}"

    @cached_property
    def trace_step(self) -> dict[str, str]:
        """The trace step when the factor applies (read-only)."""
        return {"rule": self.id, "result": self.signed_weight, "because": self.because}

    def __post_init__(self) -> None:
        _ = self.condition


@dataclass(kw_only=True, eq=False)
class Enisa:
    """The ENISA 2013 severity method as data."""

    __pydantic_config__ = FORBID_EXTRA

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
    kinds: dict[SubjectKind, KindAdjustment] = field(default_factory=dict)

    @cached_property
    def bands_ascending(self) -> list[tuple[str, float]]:
        """The bands from the lowest threshold up."""
        return sorted(self.bands.items(), key=lambda item: item[1])

    def __post_init__(self) -> None:
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


@dataclass(kw_only=True, eq=False)
class RiskModel:
    """``risk.toml``: ENISA severity, EDPB factors and the thresholds to a risk level."""

    __pydantic_config__ = FORBID_EXTRA

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the severities remembered (see :func:`file_content`)."""
        return file_content(self)

    enisa: Enisa
    factors: list[Factor]
    high_threshold: float
    unlikely_when: str
    unlikely_because: str
    short_outage_hours: float
    high_floor_when: str = "false"
    high_floor_because: str = ""

    @cached_property
    def unlikely(self) -> Condition:
        """The compiled "no effective impact" condition."""
        return _compiled(self.unlikely_when, RISK_NAMES | {"short_outage"})

    @cached_property
    def high_floor(self) -> Condition:
        """Conditions that make the risk high whatever the score."""
        return _compiled(self.high_floor_when, RISK_NAMES | {"short_outage"})

    @cached_property
    def severities(self) -> dict[tuple[Any, ...], Any]:
        """ENISA results already computed (see :func:`breach.risk.severity_with_step`)."""
        return {}

    def __post_init__(self) -> None:
        _ = self.unlikely, self.high_floor


@dataclass(kw_only=True, eq=False)
class Authority:
    """A body that receives notifications."""

    __pydantic_config__ = FORBID_EXTRA

    id: str
    country: CountryPattern
    regimes: list[str]
    name: str
    local_name: str = ""
    website: str = ""
    portal: str = ""
    languages: list[str] = field(default_factory=list)
    zone: str = "UTC"
    source: str
    #: absent: not yet verified
    last_verified: date | None = None
    note: str = ""

    @cached_property
    def recipient(self) -> dict[str, str | None]:
        """This authority as the recipient of an obligation (a ``Recipient``'s data)."""
        return {
            "name": self.name,
            "country": self.country,
            "contact": self.portal or self.website or None,
            "authority_id": self.id,
        }


@dataclass(kw_only=True, eq=False)
class AuthorityDirectory:
    """``authorities.toml``."""

    __pydantic_config__ = FORBID_EXTRA

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


@dataclass(kw_only=True, eq=False)
class ProfileSources:
    """Where each profile field comes from in the organisation's policy."""

    __pydantic_config__ = FORBID_EXTRA

    name: str = ""
    main_establishment: str = ""
    ecs_provider: str = ""
    gdpr_targeting: str = ""
    nis2: str = ""
    contact: str = ""
    languages: str = ""


@dataclass(kw_only=True, eq=False)
class ProfileEstablishment:
    """An entity with its country and source."""

    __pydantic_config__ = FORBID_EXTRA

    country: CountryPattern
    entity: str
    source: str


@dataclass(kw_only=True, eq=False)
class ProfileRole:
    """A role the organisation takes for some data."""

    __pydantic_config__ = FORBID_EXTRA

    role: Role
    scope: str
    source: str


@dataclass(kw_only=True, eq=False)
class BreachCommitment:
    """What the organisation promises its customers about breaches."""

    __pydantic_config__ = FORBID_EXTRA

    notice_hours: Positive | None = None
    text: str
    exemptions: list[str] = field(default_factory=list)
    source: str


@dataclass(kw_only=True, eq=False)
class InventoryItem:
    """A kind of data as the policy names it, mapped to a Facts category."""

    __pydantic_config__ = FORBID_EXTRA

    label: str
    category: DataCategory
    source: str


@dataclass(kw_only=True, eq=False)
class Profile:
    """An organisation profile built from its privacy policy.

    It has every attribute of the CONTRACT's ``Organisation`` that the engine reads (its
    establishments have ``country`` and ``entity``), so the engine uses it as one.
    """

    __pydantic_config__ = FORBID_EXTRA

    id: str
    name: str
    policy: str
    main_establishment: CountryPattern | None = None
    ecs_provider: bool
    gdpr_targeting: bool
    nis2: Nis2Status
    contact: str | None = None
    languages: list[str]
    notes: list[str] = field(default_factory=list)
    sources: ProfileSources
    establishments: list[ProfileEstablishment]
    roles: list[ProfileRole]
    breach_commitment: BreachCommitment | None = None
    inventory: list[InventoryItem]


@dataclass(kw_only=True, eq=False)
class Settings:
    """``ruleset.toml``: the version and defaults of the whole rule set."""

    __pydantic_config__ = FORBID_EXTRA

    version: str
    processor_notice_hours: Positive
    processor_notice_source: str
    #: countries where a mixed incident goes the ePrivacy route alone (Art. 95)
    ecs_only_for_mixed: list[str] = field(default_factory=list)
    ecs_only_for_mixed_source: str = ""


@dataclass(kw_only=True, eq=False)
class RuleSet:
    """Everything in ``decision_rules/``, validated."""

    settings: Settings
    regimes: dict[str, Regime]
    risk: RiskModel
    authorities: AuthorityDirectory
    profiles: dict[str, Profile]
    directory: str

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the plans and routes worked out (see :func:`file_content`)."""
        return file_content(self)

    @property
    def version(self) -> str:
        """The rules version recorded in every Decision."""
        return self.settings.version

    @cached_property
    def route_cache(self) -> dict[tuple[Any, ...], Any]:
        """Recipients already looked up in the authorities directory (see :mod:`.routing`)."""
        return {}

    @cached_property
    def plans(self) -> dict[Any, Any]:
        """Plans already worked out, by situation (see :mod:`.plan`)."""
        return {}

    @cached_property
    def decision_reads(self) -> tuple[str, ...]:
        """The names of the decision environment that the regimes read, sorted: in the
        conditions of regimes, rules, clauses and warnings, and in reason texts."""
        names: set[str] = set()
        for regime in self.regimes.values():
            names |= regime.condition.names
            for warning in regime.warnings:
                names |= warning.condition.names | placeholders(warning.because)
            for rule in regime.rules:
                names |= rule.condition.names | placeholders(rule.required_because)
                for clause in [*rule.not_required, *rule.exemptions]:
                    names |= clause.condition.names | placeholders(clause.because)
        return tuple(sorted(names))

    @cached_property
    def version_boundaries(self) -> tuple[date, ...]:
        """The days on which some rule version takes or loses effect, in order: from one
        to the next, the same versions are in force."""
        days = set()
        for regime in self.regimes.values():
            for rule in regime.rules:
                days.add(rule.effective_from)
                if rule.effective_to is not None:
                    days.add(rule.effective_to)
        return tuple(sorted(days))


def file_content(rules: Any) -> dict[str, Any]:
    """The fields of a rule dataclass, which is what the rule cache pickles: what is worked
    out from them and remembered on use (plans, routes, severities) is left out."""
    return {item.name: getattr(rules, item.name) for item in fields(rules)}


def rules_dir(explicit: str | Path | None = None) -> Path:
    """Find ``decision_rules/``: argument, ``BREACH_RULES_DIR``, packaged copy, or checkout."""
    if explicit:
        return Path(explicit)
    if os.environ.get(RULES_ENV):
        return Path(os.environ[RULES_ENV])
    packaged = Path(__file__).with_name("decision_rules")  # inside an installed wheel
    if packaged.is_dir():
        return packaged
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


def _load(path: Path, model: type[T]) -> T:
    import tomllib

    from pydantic import ValidationError

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise RuleFileError(f"{path}: cannot read ({err.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise RuleFileError(f"{path}: {err}") from None
    try:
        return _adapter(model).validate_python(data)
    except ValidationError as err:
        first = err.errors()[0]
        loc = tuple(first["loc"])
        line = locate(text, loc)
        where = ".".join(str(p) for p in loc) or "(file)"
        raise RuleFileError(f"{path}:{line}: {where}: {_plain(first)}") from None


def as_data(item: Any) -> Any:
    """A rule object (a profile, an authority, a whole rule set) as JSON-ready data."""
    return _adapter(type(item)).dump_python(item, mode="json")


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(model: type[T]) -> TypeAdapter[T]:
    """pydantic's validator of a rule dataclass, built once per process."""
    from pydantic import TypeAdapter

    if model not in _ADAPTERS:
        _ADAPTERS[model] = TypeAdapter(model)
    return _ADAPTERS[model]


def _plain(error: Any) -> str:
    if error["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
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
