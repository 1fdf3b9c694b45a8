"""The decision engine: ``assess(facts, rules, now) -> Decision``.

Pure: no I/O, no clock reads. The legal knowledge comes from the
:class:`~breach.rules.RuleSet`; this module only evaluates it:

1. resolve the organisation (a profile id or an inline object);
2. run the risk model (:mod:`breach.risk`);
3. build the decision environment the rule conditions read;
4. find the plan of the incident's situation (:mod:`breach.plan`): for every rule in force,
   ``not_required`` clauses, then exemptions, else required, with one duty per recipient;
5. date the plan's duties from the incident's start events, and warn of passed deadlines.

What it keeps between calls (plans, recipients and ENISA scores, on the rule set) never
changes an answer: a plan depends on nothing but its situation, and tests compare with
fresh computations. :func:`decide` returns the Decision as data; :func:`assess` as the
pydantic :class:`~breach.model.Decision`, validating each plan's parts once and each
incident's own parts every time. ``breach assess`` validates the data of :func:`decide`
with the cached validator of :mod:`breach.contract` instead, so it needs no pydantic
import. The engine reads facts and organisations by attribute only: a pydantic ``Facts``
or a cached validator's record, an inline ``Organisation`` or a profile, are all the same
to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from . import clock
from .errors import BadInput
from .plan import Plan, PlanModels, Situation, plan_for
from .risk import RiskResult, assess_risk
from .routing import Geography, OrganisationView, RouteInputs, subjects_recipient
from .rules import Profile, RuleSet
from .vocabulary import awareness

if TYPE_CHECKING:
    from .model import Decision, Facts


class FactsError(BadInput):
    """The facts cannot be assessed (e.g. an unknown organisation profile)."""


def resolve_organisation(facts: Facts, rules: RuleSet) -> tuple[OrganisationView, Profile | None]:
    """The facts' organisation (inline, or the profile it names), plus its profile if any.

    A profile has every attribute of an ``Organisation`` the engine and notices read.
    """
    if not isinstance(facts.organisation, str):
        return facts.organisation, rules.profiles.get(facts.organisation.id)
    profile = rules.profiles.get(facts.organisation)
    if profile is None:
        known = ", ".join(sorted(rules.profiles)) or "none"
        raise FactsError(
            f"organisation: {facts.organisation!r} is not a known profile (known: {known})"
        )
    return profile, profile


def unknown_facts(facts: Facts) -> list[str]:
    """Names of the facts still unknown, in the order a responder would chase them."""
    checks = [
        ("whether personal data is involved", facts.personal_data is None),
        ("who could see the data", facts.confidentiality == "unknown"),
        ("whether data was altered", facts.integrity == "unknown"),
        ("whether data was lost", facts.availability == "unknown"),
        ("whether data was copied out", facts.exfiltration == "unknown"),
        ("whether it was deliberate", facts.malicious is None),
        ("the data categories", not facts.data_categories),
        ("how many people", facts.subjects.count is None),
        ("where they live", not facts.subjects.countries),
        (
            "whether the key was compromised",
            facts.protection != "none" and facts.key_compromised is None,
        ),
    ]
    return [name for name, unknown in checks if unknown]


def is_personal_data_breach(facts: Facts) -> bool:
    """Personal data (or possibly) was affected in confidentiality, integrity or availability."""
    if facts.personal_data is False:
        return False
    untouched = (
        facts.confidentiality == "none"
        and facts.integrity == "none"
        and facts.availability == "none"
        and facts.exfiltration == "none"
    )
    return not untouched


def decision_env(
    facts: Facts,
    org: OrganisationView,
    risk: RiskResult,
    unknowns: list[str],
    rules: RuleSet,
    geo: Geography,
) -> dict[str, Any]:
    """The names rule conditions and reasons read (listed in docs/rules.md)."""
    everywhere = geo.everywhere
    subject_countries = set(facts.subjects.countries)
    eu_established = bool(geo.established)
    targeting = org.gdpr_targeting is not False  # unknown: cautious
    ecs_route = org.ecs_provider and facts.ecs_data and eu_established
    mixed = ecs_route and has_non_ecs_data(facts)
    main = org.main_establishment or (sorted(everywhere)[0] if len(everywhere) == 1 else None)
    ecs_only = main in rules.settings.ecs_only_for_mixed
    uk_applies = "GB" in everywhere or "GB" in subject_countries
    return {
        "role": facts.role,
        "personal_data_breach": is_personal_data_breach(facts),
        "personal_data_known": facts.personal_data is not None,
        "risk": risk.level,
        "risk_source": risk.source,
        "risk_because": risk.because,
        "unintelligible": risk.env["unintelligible"],
        "protection": facts.protection,
        "high_risk_averted": facts.high_risk_averted,
        "disproportionate_effort": facts.disproportionate_effort,
        "eu_established": eu_established,
        "gdpr_targeting": targeting,
        "gdpr_applies": eu_established or targeting,
        "cross_border": geo.cross_border,
        "ecs_provider": org.ecs_provider,
        "ecs_data": facts.ecs_data,
        "ecs_route": ecs_route,
        "mixed_data": mixed,
        "gdpr_replaced": ecs_route and (not mixed or ecs_only),
        "nis2": org.nis2 or "none",
        "nis2_entity": eu_established and org.nis2 in ("essential", "important"),
        "significant_incident": facts.significant_incident is not False,
        "uk_applies": uk_applies,
        "uk_ecs_route": uk_applies and org.ecs_provider and facts.ecs_data,
        "ch_applies": "CH" in everywhere or "CH" in subject_countries,
        "ge_applies": "GE" in everywhere,
        "confidentiality": risk.env["confidentiality"],
        "integrity": risk.env["integrity"],
        "availability": risk.env["availability"],
        "has_unknowns": bool(unknowns),
        "unknowns": tuple(unknowns),
        "controllers_listed": bool(facts.controllers),
        "subjects_count": facts.subjects.count,
        "main_establishment": main,
        "authority_route": "the supervisory authority",
    }


def has_non_ecs_data(facts: Facts) -> bool:
    """Whether the breach also hit data not processed for the communications service.

    ``non_ecs_data`` says so; when unknown, staff or applicant data (or employment data)
    among the affected data means a mixed incident.
    """
    if facts.non_ecs_data is not None:
        return facts.non_ecs_data
    return bool({"employees", "applicants"} & set(facts.subjects.kinds)) or (
        "employment" in facts.data_categories
    )


#: The trace step saying whether this is a personal data breach at all (read-only).
BREACH_STEPS = {
    True: {
        "rule": "breach.personal_data_breach",
        "result": "true",
        "because": "personal data affected in confidentiality, integrity or availability",
    },
    False: {
        "rule": "breach.personal_data_breach",
        "result": "false",
        "because": "no personal data, or no loss of confidentiality, integrity or availability",
    },
}


def assess(facts: Facts, rules: RuleSet, now: datetime) -> Decision:
    """Decide which duties apply to ``facts`` at instant ``now`` under ``rules``.

    The first Decision of a plan is validated whole, and the plan keeps its validated
    duties and steps; later ones validate only what is the incident's own: the duties with
    a due time or addressed to the affected people, the risk and the warnings.
    """
    from .model import Decision

    case = prepare(facts, rules)
    plan = case.plan
    decision = Decision.model_validate(case.decision_data(rules.version, now, plan.models))
    if plan.models is None:  # immutable parts, kept for the plan's next decisions
        plan_steps = decision.trace[len(decision.trace) - len(plan.trace) :]
        plan.models = (tuple(decision.obligations), tuple(plan_steps))
    return decision


def decide(facts: Facts, rules: RuleSet, now: datetime) -> dict[str, Any]:
    """The data of the Decision for ``facts`` at ``now`` (validate it before use).

    Read-only: some of its parts (the duties not due, recipients, trace steps, the
    severity) are shared between calls.
    """
    return prepare(facts, rules).decision_data(rules.version, now)


class Case(NamedTuple):
    """One incident on its way to a decision: its risk, its plan and its clocks."""

    facts: Facts
    risk: RiskResult
    plan: Plan
    personal_data_breach: bool
    #: warnings about the incident itself, before the plan's
    incident_warnings: list[str]

    def decision_data(
        self, rules_version: str, now: datetime, validated: PlanModels | None = None
    ) -> dict[str, Any]:
        """The data of this incident's Decision at ``now``. With ``validated`` (the plan's
        ``models``), the plan's validated duties and steps stand in for their data."""
        plan = self.plan
        duties, steps = validated or (None, plan.trace)
        dues = self.due_times()
        return {
            "rules_version": rules_version,
            "assessed_at": now,
            "personal_data_breach": self.personal_data_breach,
            "risk": self.risk.level,
            "risk_source": self.risk.source,
            "severity": self.risk.severity,
            "obligations": self.obligations(dues, duties),
            "warnings": self.warnings(dues, now),
            "trace": [*self.risk.trace, BREACH_STEPS[self.personal_data_breach], *steps],
        }

    def obligations(
        self, dues: list[datetime | None], validated: Sequence[Any] | None = None
    ) -> list[Any]:
        """The plan's duties for this incident: those with a due time or addressed to the
        affected people get this incident's own, the others are the plan's (read-only),
        validated ones when given (whose recipients the incident's duties then reuse)."""
        plan = self.plan
        obligations = list(validated) if validated else [duty.data for duty in plan.duties]
        subjects = subjects_recipient(self.facts) if plan.to_subjects else None
        for index in plan.dated:
            duty = plan.duties[index]
            if duty.to_subjects:
                recipient = subjects
            elif validated:  # a validated recipient is not validated again
                recipient = validated[index].recipient
            else:
                recipient = duty.data["recipient"]
            obligations[index] = {**duty.data, "due_at": dues[index], "recipient": recipient}
        return obligations

    def due_times(self) -> list[datetime | None]:
        """Each planned duty's deadline (``None`` if not due), in UTC: the rule's offset and
        period after its start event, elapsed hours or calendar months."""
        facts = self.facts
        detected = facts.detected_at.astimezone(UTC)
        starts = {"awareness": awareness(facts).astimezone(UTC), "detection": detected}
        duties = self.plan.duties
        dues: list[datetime | None] = [None] * len(duties)
        for index in self.plan.dated:
            duty = duties[index]
            if duty.start is None:
                continue
            start = starts[duty.start] + duty.after
            if duty.period is not None:
                dues[index] = start + duty.period
            else:
                dues[index] = clock.add_months(start, duty.months)
        return dues

    def warnings(self, dues: list[datetime | None], now: datetime) -> list[str]:
        """The incident's warnings, then the plan's (a late warning once a deadline passed)."""
        warnings = list(self.incident_warnings)
        for warning in self.plan.warnings:
            if isinstance(warning, str):
                warnings.append(warning)
            elif any(due is not None and due < now for due in dues[warning.first : warning.stop]):
                warnings.append(warning.text)
        return warnings


def prepare(facts: Facts, rules: RuleSet) -> Case:
    """Resolve the organisation, run the risk model, and find the plan for ``facts``."""
    org, profile = resolve_organisation(facts, rules)
    risk = assess_risk(facts, rules.risk)
    unknowns = unknown_facts(facts)
    geo = Geography.of(facts, org)
    env = decision_env(facts, org, risk, unknowns, rules, geo)
    warnings = list(risk.warnings)
    if facts.personal_data is None:
        warnings.append("Whether personal data is involved is unknown: assessed as if it is.")
    if env["nis2_entity"] and facts.significant_incident is None:
        warnings.append(
            "Whether this is a significant incident under NIS2 (Art. 23(3)) is unknown: "
            "assessed as significant, so the 24-hour early warning clock is running."
        )
    if org.gdpr_targeting is None:
        warnings.append(
            "Whether the organisation offers services to people in the EU is unknown: "
            "assessed as if it does (GDPR Art. 3(2))."
        )
    route = RouteInputs.of(facts, org, profile, rules, geo)
    day = facts.detected_at.astimezone(UTC).date()
    plan = plan_for(Situation.of(env, day, route, rules), rules)
    return Case(facts, risk, plan, env["personal_data_breach"], warnings)
