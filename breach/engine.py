"""The decision engine: ``assess(facts, rules, now) -> Decision``.

Pure: no I/O, no clock reads, no globals. The legal knowledge comes from the
:class:`~breach.rules.RuleSet`; this module only evaluates it:

1. resolve the organisation (a profile id or an inline object);
2. run the risk model (:mod:`breach.risk`);
3. build the decision environment the rule conditions read;
4. for every rule in force at the start event: ``not_required`` clauses, then exemptions,
   else required; expand it into one obligation per recipient and compute its due time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from . import clock
from .model import Decision, Facts, Obligation, Organisation, Recipient, TraceStep
from .risk import RiskResult, assess_risk
from .rules import Authority, Profile, Rule, RuleSet, fill_template

#: EU member states plus Iceland, Liechtenstein and Norway (EEA): where the GDPR applies.
EEA = frozenset(
    {
        *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"),
        *("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
        *("IS", "LI", "NO"),
    }
)


class FactsError(ValueError):
    """The facts cannot be assessed (e.g. an unknown organisation profile)."""


@dataclass(frozen=True)
class Target:
    """One recipient of a rule's duty, with what to say about the route and the period."""

    recipient: Recipient
    suffix: str | None
    route: str = ""
    hours: float | None = None


def resolve_organisation(facts: Facts, rules: RuleSet) -> tuple[Organisation, Profile | None]:
    """The facts' organisation as an :class:`Organisation`, plus its profile when it has one."""
    if isinstance(facts.organisation, Organisation):
        profile = rules.profiles.get(facts.organisation.id)
        return facts.organisation, profile
    profile = rules.profiles.get(facts.organisation)
    if profile is None:
        known = ", ".join(sorted(rules.profiles)) or "none"
        raise FactsError(
            f"organisation: {facts.organisation!r} is not a known profile (known: {known})"
        )
    return rules.organisations[profile.id], profile


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
    facts: Facts, org: Organisation, risk: RiskResult, unknowns: list[str]
) -> dict[str, Any]:
    """The names rule conditions and reasons read (listed in docs/rules.md)."""
    eea_establishments = establishment_countries(org)
    eu_established = bool(eea_establishments)
    targeting = org.gdpr_targeting is not False  # unknown: cautious
    return {
        "role": facts.role,
        "personal_data_breach": is_personal_data_breach(facts),
        "personal_data_known": facts.personal_data is not None,
        "risk": risk.level,
        "risk_source": risk.source,
        "risk_because": risk.because,
        "unintelligible": risk.env["unintelligible"],
        "high_risk_averted": facts.high_risk_averted,
        "disproportionate_effort": facts.disproportionate_effort,
        "eu_established": eu_established,
        "gdpr_targeting": targeting,
        "gdpr_applies": eu_established or targeting,
        "cross_border": len(eea_establishments | eea_subject_countries(facts)) > 1,
        "ecs_provider": org.ecs_provider,
        "ecs_data": facts.ecs_data,
        "nis2": org.nis2 or "none",
        "significant_incident": facts.significant_incident is not False,
        "confidentiality": risk.env["confidentiality"],
        "integrity": risk.env["integrity"],
        "availability": risk.env["availability"],
        "has_unknowns": bool(unknowns),
        "unknowns": unknowns,
        "controllers_listed": bool(facts.controllers),
        "subjects_count": facts.subjects.count,
        "main_establishment": org.main_establishment,
        "authority_route": "the supervisory authority",
    }


def establishment_countries(org: Organisation) -> set[str]:
    """EEA countries where the organisation is established."""
    countries = {e.country for e in org.establishments}
    if org.main_establishment:
        countries.add(org.main_establishment)
    return countries & EEA


def eea_subject_countries(facts: Facts) -> set[str]:
    """EEA countries where affected people live."""
    return set(facts.subjects.countries) & EEA


def assess(facts: Facts, rules: RuleSet, now: datetime) -> Decision:
    """Decide which duties apply to ``facts`` at instant ``now`` under ``rules``."""
    org, profile = resolve_organisation(facts, rules)
    risk = assess_risk(facts, rules.risk)
    unknowns = unknown_facts(facts)
    env = decision_env(facts, org, risk, unknowns)
    warnings = list(risk.warnings)
    trace = list(risk.trace)
    if facts.personal_data is None:
        warnings.append("Whether personal data is involved is unknown: assessed as if it is.")
    if org.gdpr_targeting is None:
        warnings.append(
            "Whether the organisation offers services to people in the EU is unknown: "
            "assessed as if it does (GDPR Art. 3(2))."
        )
    trace.append(
        TraceStep(
            rule="breach.personal_data_breach",
            result=str(env["personal_data_breach"]).lower(),
            because="personal data affected in confidentiality, integrity or availability"
            if env["personal_data_breach"]
            else "no personal data, or no loss of confidentiality, integrity or availability",
        )
    )
    obligations: list[Obligation] = []
    ctx = Context(facts, org, profile, rules, env, now)
    start_days = {
        "awareness": facts.awareness.astimezone(UTC).date(),
        "detection": facts.detected_at.astimezone(UTC).date(),
    }
    for regime in rules.regimes.values():
        for rule in regime.rules:
            if not in_force(rule, start_days) or not rule.condition.evaluate(env):
                continue
            new = evaluate_rule(rule, regime.id, ctx)
            obligations.extend(new)
            if rule.late_warning and any(
                o.status == "required" and o.due_at is not None and o.due_at < now for o in new
            ):
                warnings.append(rule.late_warning)
        for warning in regime.warnings:
            if warning.condition.evaluate(env):
                warnings.append(fill_template(warning.because, env))
    return Decision(
        rules_version=rules.version,
        assessed_at=now,
        personal_data_breach=env["personal_data_breach"],
        risk=risk.level,
        risk_source=risk.source,
        severity=risk.severity,
        obligations=obligations,
        warnings=warnings,
        trace=trace,
    )


def in_force(rule: Rule, start_days: dict[str, date]) -> bool:
    """Whether ``rule`` is the version in force on the (UTC) day of its start event."""
    day = start_days[rule.start]
    return rule.effective_from <= day and (rule.effective_to is None or day < rule.effective_to)


def start_instant(rule: Rule, facts: Facts) -> datetime:
    """The event that starts the rule's clock."""
    return facts.detected_at if rule.start == "detection" else facts.awareness


@dataclass
class Context:
    """Everything one assessment shares between rules, with its recipient cache."""

    facts: Facts
    org: Organisation
    profile: Profile | None
    rules: RuleSet
    env: dict[str, Any]
    now: datetime
    targets: dict[str, list[Target]] = field(default_factory=dict)

    def recipients(self, rule: Rule) -> list[Target]:
        """The rule's recipients, computed once per recipient kind."""
        kind = rule.recipients
        if kind not in self.targets:
            self.targets[kind] = recipients(rule, self.facts, self.org, self.profile, self.rules)
        return self.targets[kind]


def evaluate_rule(rule: Rule, regime: str, ctx: Context) -> list[Obligation]:
    """The obligations one rule produces: one per recipient, each with status and reason."""
    env = ctx.env
    status, exemption, basis, template = "required", None, rule.basis, rule.required_because
    for clause in rule.not_required:
        if clause.condition.evaluate(env):
            status, template = "not_required", clause.because
            break
    else:
        for exempt in rule.exemptions:
            if exempt.condition.evaluate(env):
                status, exemption, basis, template = (
                    "exempt",
                    exempt.exemption,
                    exempt.basis,
                    exempt.because,
                )
                break
    start = start_instant(rule, ctx.facts)
    result = []
    for target in ctx.recipients(rule):
        due = None
        if status == "required":
            hours = target.hours or rule.period.hours
            due = (
                clock.add_hours(start, hours)
                if hours
                else clock.add_months(start, rule.period.months or 0)
            )
        route = {"authority_route": target.route} if target.route else {}
        result.append(
            Obligation(
                id=f"{rule.id}.{target.suffix}" if target.suffix else rule.id,
                regime=regime,
                duty=rule.duty,
                status=status,
                due_at=due,
                due_kind=rule.due_kind if due else None,
                recipient=target.recipient,
                basis=basis,
                exemption=exemption,
                reason=fill_template(template, env, route),
                rule=rule.id,
            )
        )
    return result


def recipients(
    rule: Rule, facts: Facts, org: Organisation, profile: Profile | None, rules: RuleSet
) -> list[Target]:
    """Expand a rule's recipient kind into concrete recipients."""
    if rule.recipients == "supervisory_authority":
        return gdpr_authorities(facts, org, rules)
    if rule.recipients == "controllers":
        return controller_targets(facts, profile, rules)
    if rule.recipients == "data_subjects":
        count = facts.subjects.count
        who = f"{count:,} people" if count is not None else "number not yet known"
        where = ", ".join(facts.subjects.countries) or "countries not yet known"
        return [Target(Recipient(name=f"Affected data subjects ({who}; {where})"), None)]
    if rule.recipients == "public":
        return [
            Target(
                Recipient(
                    name="The public (website notice, press or an equally effective channel)"
                ),
                None,
            )
        ]
    return [Target(Recipient(name=f"Breach register of {org.name}", contact=org.contact), None)]


def _authority_recipient(authority: Authority | None, country: str | None) -> Recipient:
    if authority is None:
        name = (
            f"Supervisory authority of {country}"
            if country
            else (
                "The supervisory authority of each EU/EEA country where affected people live "
                "(countries not yet known)"
            )
        )
        return Recipient(name=name, country=country)
    return authority.recipient


def gdpr_authorities(facts: Facts, org: Organisation, rules: RuleSet) -> list[Target]:
    """GDPR Art. 55/56 routing: the lead or single establishment's authority, or each (3(2))."""
    established = establishment_countries(org)

    def authority_of(country: str) -> Authority | None:
        found = rules.authorities.for_regime("gdpr", country)
        return found[0] if found else None

    if established:
        main = org.main_establishment if org.main_establishment in established else None
        country = main or sorted(established)[0]
        authority = authority_of(country)
        name = authority.name if authority else f"the supervisory authority of {country}"
        cross_border = len(established | eea_subject_countries(facts)) > 1
        if cross_border and main:
            route = (
                f"{name} ({country}), lead supervisory authority of your main establishment "
                "(Art. 56(1))"
            )
        elif cross_border:
            route = (
                f"{name} ({country}) — main establishment not set, so the lead authority is "
                "not certain; confirm it"
            )
        else:
            route = f"{name} ({country}), the authority of your establishment (Art. 55)"
        return [Target(_authority_recipient(authority, country), country, route)]
    countries = sorted(eea_subject_countries(facts))
    if not countries:
        return [
            Target(
                _authority_recipient(None, None),
                None,
                "each EU/EEA authority where affected people live",
            )
        ]
    return [
        Target(
            _authority_recipient(authority_of(c), c),
            c,
            f"the authority of {c}, where affected people live (no EU establishment: "
            "EDPB Guidelines 9/2022 para 73)",
        )
        for c in countries
    ]


def controller_targets(facts: Facts, profile: Profile | None, rules: RuleSet) -> list[Target]:
    """One target per controller customer, with its agreed (or default) notice hours."""
    promised = (
        profile.breach_commitment.notice_hours if profile and profile.breach_commitment else None
    )
    default = promised or rules.settings.processor_notice_hours
    if not facts.controllers:
        return [
            Target(
                Recipient(name="Each controller whose data is affected (none listed yet)"),
                None,
                hours=default,
            )
        ]
    targets = []
    seen: set[str] = set()
    for index, controller in enumerate(facts.controllers, start=1):
        slug = re.sub(r"[^a-z0-9]+", "_", controller.name.lower()).strip("_") or str(index)
        if slug in seen:
            slug = f"{slug}_{index}"
        seen.add(slug)
        targets.append(
            Target(
                Recipient(name=controller.name, contact=controller.contact),
                slug,
                hours=controller.notice_hours or default,
            )
        )
    return targets
