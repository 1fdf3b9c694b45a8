"""The decision engine: ``assess(facts, rules, now) -> Decision``, in one pass.

Pure: no I/O, no clock reads, nothing remembered between calls. The legal knowledge comes
from the :class:`~breach.rules.RuleSet`; this module only evaluates it:

1. resolve the organisation (a profile id or an inline object);
2. run the risk model (:mod:`breach.engine.risk`);
3. build the decision environment the rule conditions read;
4. for every regime that applies and every rule in force whose condition holds: the first
   ``not_required`` clause that holds, else the first exemption, else required; one duty
   per recipient (:mod:`breach.engine.routing`), dated from its start event;
5. warn of what is unknown, unconfirmed or already overdue.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from .. import clock
from ..errors import BadInput
from ..model import Decision, Facts, Obligation, Organisation, TraceStep
from ..rules import Authority, Profile, Regime, Rule, RuleSet, fill_template
from .decisive import find_decisive
from .risk import RiskResult, assess_risk
from .routing import (
    Geography,
    Parties,
    Target,
    open_details_warning,
    recipients,
    subjects_recipient,
)


class FactsError(BadInput):
    """The facts cannot be assessed (e.g. an unknown organisation profile)."""


def resolve_organisation(facts: Facts, rules: RuleSet) -> tuple[Organisation, Profile | None]:
    """The facts' organisation (inline, or the profile it names), plus its profile if any."""
    if not isinstance(facts.organisation, str):
        return facts.organisation, rules.profiles.get(facts.organisation.id)
    profile = rules.profiles.get(facts.organisation)
    if profile is None:
        broken = rules.broken_profiles.get(facts.organisation)
        if broken:
            raise FactsError(
                f"organisation: your profile {facts.organisation!r} is broken: {broken}"
            )
        known = ", ".join(sorted(rules.profiles)) or "none"
        raise FactsError(
            f"organisation: {facts.organisation!r} is not a known profile (known: {known}); "
            "if it is a colleague's own, add the same file with `breach profiles add`"
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


#: Data that is the communication itself or about it: it follows the telecom rules.
COMMUNICATIONS_DATA = frozenset({"traffic_data", "location", "communications_content"})
#: A telecom provider's customer-account data: authorities differ on the route it follows.
ACCOUNT_DATA = frozenset(
    {"identity", "contact", "account", "credentials", "national_id", "financial", "orders"}
)


def account_data_only(facts: Facts) -> bool:
    """The breach hit subscribers' account data but no traffic, location or content data
    (unknown categories count: the cautious answer)."""
    categories = set(facts.data_categories)
    return not categories & COMMUNICATIONS_DATA and (
        not categories or bool(categories & ACCOUNT_DATA)
    )


def decision_env(
    facts: Facts, org: Organisation, risk: RiskResult, rules: RuleSet, geo: Geography
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
    settled = main in rules.settings.ecs_account_data_telecom_only
    account_split = ecs_route and account_data_only(facts) and not settled
    uk_applies = "GB" in everywhere or "GB" in subject_countries
    # what a later, phased notification would still have to give: the facts still
    # unknown, and the outcome of a breach still going on; Regulation 611/2013 Annex I
    # also asks for the date and time of the incident
    unknowns = unknown_facts(facts)
    if facts.ongoing:
        unknowns.append("how it ends (the breach is still going on)")
    annex = [*unknowns, *([] if facts.occurred_at else ["when the breach occurred"])]
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
        "ecs_position": facts.ecs_position or "provider",
        "ecs_position_known": facts.ecs_position is not None,
        "account_split": account_split,
        "mixed_data": mixed,
        "gdpr_replaced": ecs_route and not account_split and (not mixed or ecs_only),
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
        "has_annex_unknowns": bool(annex),
        "annex_unknowns": tuple(annex),
        "controllers_listed": bool(facts.controllers),
        "subjects_count": facts.subjects.count,
        "main_establishment": main,
        "authority_route": "the supervisory authority",
        "national_law": "the national law transposing Directive 2002/58/EC",
    }


def incident_warnings(facts: Facts, org: Organisation, env: dict[str, Any]) -> list[str]:
    """Warnings about unknown facts the risk model does not already name."""
    warnings = []
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
    return warnings


BREACH_BECAUSE = {
    True: "personal data affected in confidentiality, integrity or availability",
    False: "no personal data, or no loss of confidentiality, integrity or availability",
}


def assess(facts: Facts, rules: RuleSet, now: datetime, *, analyse: bool = True) -> Decision:
    """Decide which duties apply to ``facts`` at instant ``now`` under ``rules``.

    With ``analyse`` (the default), the Decision also says which unknown facts would
    change the duties and the range they leave open (:mod:`.decisive`): the facts are
    assessed again once per answer the rules tell apart. ``analyse=False`` is the single
    pass those assessments use.
    """
    org, profile = resolve_organisation(facts, rules)
    risk = assess_risk(facts, rules.risk)
    geo = Geography.of(facts, org)
    env = decision_env(facts, org, risk, rules, geo)
    parties = Parties(facts, org, profile, geo)
    breach = env["personal_data_breach"]
    trace = [
        *risk.trace,
        TraceStep(
            rule="breach.personal_data_breach",
            result=str(breach).lower(),
            because=BREACH_BECAUSE[breach],
        ),
    ]
    warnings = [*risk.warnings, *incident_warnings(facts, org, env)]
    obligations: list[Obligation] = []
    checks: list[Authority] = []
    day = facts.detected_at.astimezone(UTC).date()
    for regime in rules.regimes.values():
        if not regime.applies.evaluate(env):
            trace.append(
                TraceStep(
                    rule=f"{regime.id}.applies", result="false", because=regime.not_applicable
                )
            )
            continue
        for rule in regime.rules:
            if rule.in_force(day) and rule.when.evaluate(env):
                targets = recipients(rule, regime.id, parties, rules)
                duties = rule_duties(rule, regime, env, targets, facts)
                obligations.extend(duties)
                warnings.extend(rule_warnings(rule, duties, targets, now))
                if duties and duties[0].status == "required":
                    checks.extend(target.check for target in targets if target.check)
                trace.extend(route_steps(duties, targets))
        warnings.extend(
            fill_template(w.because, env) for w in regime.warnings if w.when.evaluate(env)
        )
    if checks:
        warnings.append(open_details_warning(checks))
    decision = Decision(
        rules_version=rules.version,
        # the profile's own version: a later edit of it must not rewrite this assessment
        profile=rules.profile_used(profile.id) if profile else None,
        assessed_at=now,
        personal_data_breach=breach,
        risk=risk.level,
        risk_source=risk.source,
        severity=risk.severity,
        obligations=obligations,
        warnings=list(dict.fromkeys(warnings)),  # a country's open point is said once
        trace=trace,
    )
    if analyse:
        decision.decisive, decision.bounds = find_decisive(
            facts,
            rules,
            decision,
            lambda f: assess(f, rules, now, analyse=False),
            set(geo.everywhere),
        )
    return decision


def rule_duties(
    rule: Rule, regime: Regime, env: dict[str, Any], targets: list[Target], facts: Facts
) -> list[Obligation]:
    """The rule's duties, one per target: not required, exempt or required (and then dated)."""
    status, exemption, basis, template = "required", None, rule.basis, rule.required_because
    clause = next((c for c in rule.not_required if c.when.evaluate(env)), None)
    exempt = next((e for e in rule.exemptions if e.when.evaluate(env)), None)
    if clause is not None:
        status, template = "not_required", clause.because
    elif exempt is not None:
        status, exemption, basis, template = (
            "exempt",
            exempt.exemption,
            exempt.basis,
            exempt.because,
        )
    required = status == "required"
    duties = []
    # thousands of controller targets share one reason and a few deadlines: word each once
    reasons: dict[tuple[str, str], str] = {}
    dues: dict[float | None, datetime] = {}
    for target in targets:
        key = (target.law or "", target.route or "")
        if key not in reasons:
            extra = {"national_law": target.law} if target.law else {}
            if target.route:
                extra["authority_route"] = target.route
            reasons[key] = fill_template(template, env, extra)
        if required and target.hours not in dues:
            dues[target.hours] = due_time(rule, target, facts)
        duties.append(
            Obligation(
                id=f"{rule.id}.{target.suffix}" if target.suffix else rule.id,
                regime=regime.id,
                duty=rule.duty,
                status=status,
                due_at=dues[target.hours] if required else None,
                due_kind=rule.due_kind if required else None,
                recipient=target.recipient or subjects_recipient(facts),
                basis=f"{basis}; {target.law}"
                if target.law and status != "not_required"
                else basis,
                exemption=exemption,
                reason=reasons[key],
                rule=rule.id,
                rule_version=rule.version,
            )
        )
    return duties


def due_time(rule: Rule, target: Target, facts: Facts) -> datetime:
    """A required duty's deadline in UTC: the rule's offset and period after its start
    event, in elapsed hours (the target's agreed hours first) or calendar months."""
    start = facts.awareness if rule.start == "awareness" else facts.detected_at
    start = start.astimezone(UTC) + timedelta(hours=rule.after_hours)
    hours = target.hours or rule.period.hours
    if hours:
        return start + timedelta(hours=hours)
    return clock.add_months(start, rule.period.months or 0)


def rule_warnings(
    rule: Rule, duties: list[Obligation], targets: list[Target], now: datetime
) -> list[str]:
    """A required rule's warnings: a passed deadline, and what still lacks a source (for
    the rule, and for the countries its duties go to)."""
    if not duties or duties[0].status != "required":
        return []
    warnings = []
    if rule.late_warning and any(d.due_at is not None and d.due_at < now for d in duties):
        warnings.append(rule.late_warning)
    if rule.unconfirmed:
        warnings.append(f"Not yet confirmed ({rule.basis}): {rule.unconfirmed}")
    warnings.extend(note for target in targets for note in target.unconfirmed)
    return warnings


def route_steps(duties: list[Obligation], targets: list[Target]) -> list[TraceStep]:
    """Why a required duty goes to a country's designated entry point, for the trace."""
    return [
        TraceStep(rule=f"{duty.id}.recipient", result=duty.recipient.name, because=target.why)
        for duty, target in zip(duties, targets, strict=True)
        if target.why and duty.status == "required" and duty.recipient is not None
    ]
