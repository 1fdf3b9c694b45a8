"""The plan of a decision: what the rules decide for an incident before any clock is read.

An incident's times matter to its decision only through the deadlines and the warnings
that a passed deadline raises. Everything else (which regimes and rules apply, each duty's
status, exemption, basis, reason and recipients) follows from its :class:`Situation`:

- the decision environment (``engine.decision_env``) restricted to the names the regimes
  read (:attr:`~breach.rules.RuleSet.decision_reads`);
- which versions of the rules are in force: the span between two
  :attr:`~breach.rules.RuleSet.version_boundaries` that the detection day falls in;
- what routing reads (:class:`~breach.routing.RouteInputs`).

:func:`build_plan` is given the situation and nothing else of the incident, so incidents in
the same situation get the same plan by construction. :func:`plan_for` remembers plans per
rule set: a dashboard re-assessing as the clock runs, or a log of incidents alike, reuses
them. The engine dates the planned duties and describes the affected people per incident.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter
from typing import Any, NamedTuple

from . import clock
from .memo import remembered
from .routing import SUBJECTS, RouteInputs, Target, recipients
from .rules import Rule, RuleSet, fill_template


class Situation(NamedTuple):
    """All that an incident's plan depends on (hashable: the key plans are kept under)."""

    #: index of the span of rule versions in force (see :func:`version_period`)
    period: int
    #: the values of ``rules.decision_reads`` in the decision environment, in that order
    reads: tuple[Any, ...]
    route: RouteInputs

    @classmethod
    def of(cls, env: dict[str, Any], day: date, route: RouteInputs, rules: RuleSet) -> Situation:
        """The situation of an incident detected on ``day`` (UTC) with environment ``env``."""
        names = rules.decision_reads
        # itemgetter gives a tuple for two names or more
        reads = itemgetter(*names)(env) if len(names) > 1 else tuple(env[n] for n in names)
        return cls(version_period(day, rules), reads, route)


def version_period(day: date, rules: RuleSet) -> int:
    """Which span between the rules' version boundaries ``day`` falls in."""
    return bisect_right(rules.version_boundaries, day)


class PlannedDuty(NamedTuple):
    """One obligation of a plan: its data, and how to date it and address it."""

    #: the data of the :class:`~breach.model.Obligation`, ``due_at`` still ``None``
    #: (read-only: shared by every decision with this plan)
    data: dict[str, Any]
    #: the event that starts the clock (``awareness`` or ``detection``) for a required
    #: duty, ``None`` for one that is not due at all
    start: str | None
    #: the rule's offset from the start event
    after: timedelta
    #: the period after that: elapsed hours, else ``months`` calendar months
    period: timedelta | None
    months: int
    #: addressed to the affected people, described per incident
    to_subjects: bool


class LateWarning(NamedTuple):
    """A rule's warning for when one of its duties (``duties[first:stop]``) is overdue."""

    text: str
    first: int
    stop: int


#: A plan's validated duties and steps (pydantic models, built by ``engine.assess``).
PlanModels = tuple[tuple[Any, ...], tuple[Any, ...]]


@dataclass(eq=False)
class Plan:
    """What the rules decide in one situation (read-only once built)."""

    duties: tuple[PlannedDuty, ...]
    #: indexes of the duties that each incident changes: those with a deadline, and
    #: those addressed to the affected people
    dated: tuple[int, ...]
    #: whether any duty is addressed to the affected people
    to_subjects: bool
    #: trace steps of the regimes that do not apply
    trace: tuple[dict[str, str], ...]
    #: warnings in order; a :class:`LateWarning` is given only when a deadline has passed
    warnings: tuple[str | LateWarning, ...]
    #: the validated duties and steps of the first Decision built on this plan (kept by
    #: ``engine.assess``; of the duties in ``dated`` only the recipient is reused)
    models: PlanModels | None = None


#: How many plans a rule set keeps; past this many distinct situations it starts again.
PLAN_MEMO = 512


def plan_for(situation: Situation, rules: RuleSet) -> Plan:
    """The plan of ``situation``, built once per rule set (see :func:`build_plan`)."""
    return remembered(rules.plans, situation, PLAN_MEMO, build_plan, situation, rules)


def build_plan(situation: Situation, rules: RuleSet) -> Plan:
    """Run the rules on ``situation``: for every regime that applies, every rule in force
    whose condition holds is not required, exempt or required, with one duty per recipient.
    """
    env = dict(zip(rules.decision_reads, situation.reads, strict=True))
    boundaries = rules.version_boundaries
    day = boundaries[situation.period - 1] if situation.period else date.min
    duties: list[PlannedDuty] = []
    trace: list[dict[str, str]] = []
    warnings: list[str | LateWarning] = []
    for regime in rules.regimes.values():
        if not regime.condition.test(env):
            trace.append(regime.not_applicable_step)
            continue
        for rule in regime.rules:
            if not rule.in_force(day) or not rule.condition.test(env):
                continue
            first = len(duties)
            targets = recipients(rule, regime.id, situation.route, rules)
            required = plan_rule(rule, regime.id, env, targets, duties)
            if not required:
                continue
            if rule.late_warning:
                warnings.append(LateWarning(rule.late_warning, first, len(duties)))
            if rule.unconfirmed and targets:
                warnings.append(f"Unconfirmed ({rule.id}): {rule.unconfirmed}")
        for warning in regime.warnings:
            if warning.condition.test(env):
                warnings.append(fill_template(warning.because, env))
    dated = tuple(i for i, duty in enumerate(duties) if duty.start or duty.to_subjects)
    to_subjects = any(duty.to_subjects for duty in duties)
    return Plan(tuple(duties), dated, to_subjects, tuple(trace), tuple(warnings))


def plan_rule(
    rule: Rule, regime: str, env: dict[str, Any], targets: list[Target], duties: list[PlannedDuty]
) -> bool:
    """Add the rule's duties (one per target, with its reason) to ``duties``; whether the
    rule is required (not ``not_required``, not exempt)."""
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
    required = status == "required"
    per_target = "{authority_route}" in template
    shared_reason = "" if per_target else fill_template(template, env)
    for target in targets:
        reason = shared_reason
        if per_target:
            route = {"authority_route": target.route} if target.route else {}
            reason = fill_template(template, env, route)
        to_subjects = target is SUBJECTS
        data = {
            "id": f"{rule.id}.{target.suffix}" if target.suffix else rule.id,
            "regime": regime,
            "duty": rule.duty,
            "status": status,
            "due_at": None,
            "due_kind": rule.due_kind if required else None,
            "recipient": None if to_subjects else target.recipient,
            "basis": basis,
            "exemption": exemption,
            "reason": reason,
            "rule": rule.id,
            "rule_version": rule.version,
        }
        hours = target.hours or rule.period.hours
        duties.append(
            PlannedDuty(
                data=data,
                start=rule.start if required else None,
                after=clock.elapsed(rule.after_hours),
                period=clock.elapsed(hours) if hours else None,
                months=rule.period.months or 0,
                to_subjects=to_subjects,
            )
        )
    return required
