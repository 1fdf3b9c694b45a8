"""The decision engine: ``assess(facts, rules, now) -> Decision``.

Pure: no I/O, no clock reads. What it remembers between calls (recipients and ENISA
scores on the rule set, validated parts in :mod:`breach.model`) never changes an answer
(property tests compare with fresh computations). The legal knowledge comes from the
:class:`~breach.rules.RuleSet`; this module only evaluates it:

1. resolve the organisation (a profile id or an inline object);
2. run the risk model (:mod:`breach.risk`);
3. build the decision environment the rule conditions read;
4. for every rule in force at the start event: ``not_required`` clauses, then exemptions,
   else required; expand it into one obligation per recipient and compute its due time.

:func:`decide` returns the Decision as data; :func:`assess` validates it as the pydantic
:class:`~breach.model.Decision`. ``breach assess`` validates the same data with the cached
validator of :mod:`breach.contract` instead, so it needs no pydantic import. The engine
reads facts and organisations by attribute only: a pydantic ``Facts`` or a cached
validator's record, an inline ``Organisation`` or a profile, are all the same to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from . import clock
from .errors import BadInput
from .risk import RiskResult, assess_risk
from .routing import Geography, OrganisationView, Target, recipients
from .rules import Profile, Rule, RuleSet, fill_template
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
        "unknowns": unknowns,
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
    """Decide which duties apply to ``facts`` at instant ``now`` under ``rules``."""
    from .model import decision_from_data

    return decision_from_data(decide(facts, rules, now))


def decide(facts: Facts, rules: RuleSet, now: datetime) -> dict[str, Any]:
    """The data of the Decision for ``facts`` at ``now`` (validate it before use).

    Read-only: some of its parts (recipients, trace steps, the severity) are shared between
    calls.
    """
    org, profile = resolve_organisation(facts, rules)
    risk = assess_risk(facts, rules.risk)
    unknowns = unknown_facts(facts)
    geo = Geography.of(facts, org)
    env = decision_env(facts, org, risk, unknowns, rules, geo)
    warnings = list(risk.warnings)
    # Steps and obligations are gathered as plain data and validated once, as one Decision.
    trace: list[dict[str, str]] = list(risk.trace)
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
    trace.append(BREACH_STEPS[env["personal_data_breach"]])
    obligations: list[dict[str, Any]] = []
    ctx = Context(facts, org, profile, rules, env, now, geo)
    incident_day = facts.detected_at.astimezone(UTC).date()
    for regime in rules.regimes.values():
        if not regime.condition.test(env):
            trace.append(regime.not_applicable_step)
            continue
        for rule in regime.rules:
            if not rule.in_force(incident_day) or not rule.condition.test(env):
                continue
            status, new = evaluate_rule(rule, regime.id, ctx)
            obligations.extend(new)
            if status != "required":
                continue
            if rule.late_warning and any(o["due_at"] and o["due_at"] < now for o in new):
                warnings.append(rule.late_warning)
            if rule.unconfirmed and new:
                warnings.append(f"Unconfirmed ({rule.id}): {rule.unconfirmed}")
        for warning in regime.warnings:
            if warning.condition.test(env):
                warnings.append(fill_template(warning.because, env))
    return {
        "rules_version": rules.version,
        "assessed_at": now,
        "personal_data_breach": env["personal_data_breach"],
        "risk": risk.level,
        "risk_source": risk.source,
        "severity": risk.severity,
        "obligations": obligations,
        "warnings": warnings,
        "trace": trace,
    }


@dataclass
class Context:
    """Everything one assessment shares between rules, with its recipient cache."""

    facts: Facts
    org: OrganisationView
    profile: Profile | None
    rules: RuleSet
    env: dict[str, Any]
    now: datetime
    geo: Geography
    targets: dict[tuple[str, tuple[str | None, ...]], list[Target]] = field(default_factory=dict)
    #: the events that start the rules' clocks (``Rule.start``), in UTC
    starts: dict[str, datetime] = field(init=False)

    def __post_init__(self) -> None:
        self.starts = {
            "awareness": awareness(self.facts).astimezone(UTC),
            "detection": self.facts.detected_at.astimezone(UTC),
        }

    def recipients(self, rule: Rule, regime: str) -> list[Target]:
        """The rule's recipients, computed once per route."""
        key = (regime, rule.route)
        found = self.targets.get(key)
        if found is None:
            found = self.targets[key] = recipients(
                rule, regime, self.facts, self.org, self.profile, self.rules, self.geo
            )
        return found


def evaluate_rule(rule: Rule, regime: str, ctx: Context) -> tuple[str, list[dict[str, Any]]]:
    """The rule's status and the obligations it produces: one per recipient, with a reason.

    Obligations come as the data of :class:`~breach.model.Obligation` (validated by the
    caller as part of the Decision).
    """
    env = ctx.env
    status, exemption, basis, template = "required", None, rule.basis, rule.required_because
    for clause in rule.not_required:
        if clause.condition.test(env):
            status, template = "not_required", clause.because
            break
    else:
        for exempt in rule.exemptions:
            if exempt.condition.test(env):
                status, exemption, basis, template = (
                    "exempt",
                    exempt.exemption,
                    exempt.basis,
                    exempt.because,
                )
                break
    start = None
    if status == "required":
        start = clock.add_hours(ctx.starts[rule.start], rule.after_hours)
    per_target = "{authority_route}" in template
    shared_reason = "" if per_target else fill_template(template, env)
    due_kind = rule.due_kind if start is not None else None
    result = []
    for target in ctx.recipients(rule, regime):
        due = None
        if start is not None:
            hours = target.hours or rule.period.hours
            due = (
                clock.add_hours(start, hours)
                if hours
                else clock.add_months(start, rule.period.months or 0)
            )
        reason = shared_reason
        if per_target:
            route = {"authority_route": target.route} if target.route else {}
            reason = fill_template(template, env, route)
        result.append(
            {
                "id": f"{rule.id}.{target.suffix}" if target.suffix else rule.id,
                "regime": regime,
                "duty": rule.duty,
                "status": status,
                "due_at": due,
                "due_kind": due_kind,
                "recipient": target.recipient,
                "basis": basis,
                "exemption": exemption,
                "reason": reason,
                "rule": rule.id,
                "rule_version": rule.version,
            }
        )
    return status, result
