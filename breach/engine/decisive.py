"""What to find out first: the unknown facts whose answer would change the required duties.

While a fact is unknown the engine takes the cautious branch. For every fact still open,
the facts are assessed once per answer the rules tell apart (for counts, hours and
countries: the thresholds and countries the rules actually distinguish), and each answer's
required duties are compared with the cautious decision's. A fact none of whose answers
changes anything is not decisive. The decisive ones are ranked by consequence: how many
duties an answer adds or removes, how many people those duties are addressed to, how soon
they fall due. Pure and deterministic, like the engine.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from ..model import Answer, Bounds, Decision, Decisive, Facts, Obligation, Outcome
from ..rules import Condition, RuleSet
from .routing import EEA, the

Assess = Callable[[Facts], Decision]


class Unknown(NamedTuple):
    """A fact the facts leave open, and the answers the rules tell apart."""

    field: str
    question: str
    answers: list[tuple[Answer, str]]


QUESTIONS = {
    "personal_data": "whether personal data is involved at all",
    "confidentiality": "who could see the data",
    "recipient_deleted": "whether the recipients confirmed deleting or returning the data",
    "integrity": "whether the data was altered",
    "availability": "whether the data was lost or made unavailable",
    "unavailable_hours": "how long the data is unavailable",
    "exfiltration": "whether the data was copied out",
    "malicious": "whether it was deliberate (an attack, a theft, an insider)",
    "data_categories": "what kinds of personal data are involved",
    "subjects.count": "how many people are affected",
    "subjects.countries": "where the affected people live",
    "key_compromised": "whether the encryption key (or secret) was exposed too",
    "ecs_position": "whether you hold the subscriber contracts or deliver part of another "
    "provider's service",
    "non_ecs_data": "whether other personal data (staff, marketing) was hit too",
    "significant_incident": "whether this is a significant incident under NIS2",
}
YES_NO: list[tuple[Answer, str]] = [(True, "yes"), (False, "no")]
#: Representative answers for unknown data categories: what the rules score differently.
CATEGORY_ANSWERS: list[tuple[Answer, str]] = [
    (["identity", "contact"], "names and contact details only"),
    (["traffic_data"], "call or connection records"),
    (["communications_content"], "call recordings, voicemail or messages"),
    (["financial"], "financial data"),
    (["national_id"], "ID numbers"),
    (["special_category"], "special-category data (GDPR Art. 9)"),
]


def open_facts(facts: Facts, rules: RuleSet, org_countries: set[str]) -> list[Unknown]:
    """The facts still unknown that the rules read, each with its distinguishable answers."""

    def labelled(values: tuple[str, ...]) -> list[tuple[Answer, str]]:
        return [(value, value.replace("_", " ")) for value in values]

    found: list[Unknown] = []

    def add(field: str, answers: list[tuple[Answer, str]]) -> None:
        found.append(Unknown(field, QUESTIONS[field], answers))

    if facts.personal_data is None:
        add("personal_data", YES_NO)
    if facts.confidentiality == "unknown":
        add("confidentiality", labelled(
            ("none", "trusted_recipient", "known_recipients", "unknown_recipients")
        ))  # fmt: skip
    if facts.confidentiality == "known_recipients" and facts.recipient_deleted is None:
        add("recipient_deleted", YES_NO)
    if facts.integrity == "unknown":
        add("integrity", labelled(("none", "recoverable", "unrecoverable")))
    if facts.availability == "unknown":
        add("availability", labelled(("none", "temporary", "permanent")))
    if facts.availability == "temporary" and facts.unavailable_hours is None:
        add("unavailable_hours", [(h, f"{h:g} hours") for h in thresholds(rules, "hours")])
    if facts.exfiltration == "unknown":
        add("exfiltration", labelled(("none", "suspected", "confirmed")))
    if facts.malicious is None:
        add("malicious", YES_NO)
    if not facts.data_categories:
        add("data_categories", CATEGORY_ANSWERS)
    if facts.subjects.count is None:
        add("subjects.count", [(n, _people(n)) for n in thresholds(rules, "count")])
    if not facts.subjects.countries:
        add("subjects.countries", country_answers(org_countries))
    if facts.protection != "none" and facts.key_compromised is None:
        add("key_compromised", YES_NO)
    if facts.ecs_data and facts.ecs_position is None:
        add("ecs_position", [("provider", "provider"), ("sub_provider", "sub-provider")])
    if facts.ecs_data and facts.non_ecs_data is None:
        add("non_ecs_data", YES_NO)
    if facts.significant_incident is None:
        add("significant_incident", YES_NO)
    return found


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count:,} people"


def country_answers(established: set[str]) -> list[tuple[Answer, str]]:
    """Where the people may live, as the routing tells it apart: each EEA country of
    establishment alone, all of them, an EEA country without one, the UK, Switzerland."""
    ours = sorted(established & EEA)
    answers: list[tuple[Answer, str]] = [([c], f"only in {c}") for c in ours]
    if len(ours) > 1:
        answers.append((ours, "in " + ", ".join(ours)))
    elsewhere = sorted(EEA - established)[:1]
    answers += [(elsewhere, f"only in {elsewhere[0]} (no establishment there)")]
    answers += [(["GB"], "only in the UK"), (["CH"], "only in Switzerland")]
    return answers


def _conditions(rules: RuleSet) -> Iterator[Condition]:
    for regime in rules.regimes.values():
        yield regime.applies
        yield from (w.when for w in regime.warnings)
        for rule in regime.rules:
            yield rule.when
            yield from (c.when for c in [*rule.not_required, *rule.exemptions])
    yield from (f.when for f in rules.risk.factors)
    yield rules.risk.unlikely_when
    yield rules.risk.high_floor_when


def thresholds(rules: RuleSet, what: str) -> list[int]:
    """The answers either side of every number the rules compare a count (``subjects_count``)
    or outage (``unavailable_hours``, the short-outage limit) with."""
    name = "subjects_count" if what == "count" else "unavailable_hours"
    numbers: set[float] = set()
    if what == "hours":
        numbers.add(rules.risk.short_outage_hours)
    for condition in _conditions(rules):
        if name not in condition.names:
            continue
        for node in ast.walk(ast.parse(condition.source, mode="eval")):
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                if any(isinstance(o, ast.Name) and o.id == name for o in operands):
                    numbers.update(
                        o.value for o in operands
                        if isinstance(o, ast.Constant) and isinstance(o.value, int | float)
                        and not isinstance(o.value, bool)
                    )  # fmt: skip
    values = {1} if what == "count" else {1}
    for number in numbers:
        values.update({int(number), int(number) + 1, max(int(number) - 1, 0)})
    return sorted(v for v in values if v >= (1 if what == "count" else 0))


def with_answer(facts: Facts, field: str, value: Answer) -> Facts:
    """``facts`` with one field answered (a copy; the facts are not changed)."""
    if field.startswith("subjects."):
        subjects = facts.subjects.model_copy(update={field.removeprefix("subjects."): value})
        return facts.model_copy(update={"subjects": subjects})
    return facts.model_copy(update={field: value})


def _required(decision: Decision) -> dict[str, Obligation]:
    """The required duties, but the follow-up that exists because facts are missing: any
    answer may remove it, so it would make every unknown look decisive."""
    return {
        o.id: o for o in decision.obligations if o.status == "required" and o.duty != "follow_up"
    }


def find_decisive(
    facts: Facts, rules: RuleSet, decision: Decision, assess: Assess, org_countries: set[str]
) -> tuple[list[Decisive], Bounds]:
    """The decisive unknowns of ``decision`` (the cautious one for ``facts``), most
    consequential first, and the bounds of the required duties over all of them."""
    cautious = _required(decision)
    answer = _one_customer_probe(facts, cautious, assess)
    ranked: list[tuple[tuple[int, int, str], Decisive]] = []
    lightest: list[tuple[str, Answer]] = []
    adds: set[str] = set()
    people = facts.subjects.count
    words = {i: _phrase(o, people) for i, o in cautious.items()}
    for unknown in open_facts(facts, rules, org_countries):
        outcomes: list[Outcome] = []
        changed: list[Obligation] = []
        for value, label in unknown.answers:
            alternative, answered = answer(unknown.field, value)
            added = sorted(answered.keys() - cautious.keys())
            removed = sorted(cautious.keys() - answered.keys())
            duties = [answered[i] for i in added] + [cautious[i] for i in removed]
            count = value if unknown.field == "subjects.count" else facts.subjects.count
            told = count if isinstance(count, int) and any(map(_to_people, duties)) else None
            listed = {o.id: o for o in alternative.obligations}
            firsts = {o.rule: o for o in alternative.obligations if o.duty == "notify_controller"}
            for gone in removed:  # a customer left out of the probe reads as the first one
                if gone not in listed and cautious[gone].rule in firsts:
                    listed[gone] = firsts[cautious[gone].rule]
            words.update((i, _phrase(answered[i], people)) for i in added)
            sentence = says(label, [answered[i] for i in added], [cautious[i] for i in removed],
                            listed, told)  # fmt: skip
            outcomes.append(Outcome(value=value, label=label, adds=added, removes=removed,
                                    people=told, says=sentence))  # fmt: skip
            changed += duties
        outcomes = _merged(outcomes)
        if not changed:
            continue
        adds.update(i for o in outcomes for i in o.adds)
        lightest.append((unknown.field, min(outcomes, key=_weight).value))
        size = max(len(o.adds) + len(o.removes) for o in outcomes)
        reached = max((o.people or 0) for o in outcomes)
        soonest = min((d.due_at.isoformat() for d in changed if d.due_at), default="9999")
        decisive = Decisive(field=unknown.field, question=unknown.question, outcomes=outcomes)
        ranked.append(((-size, -reached, soonest), decisive))
    ranked.sort(key=lambda item: item[0])
    least_facts = facts
    for field, value in lightest:
        least_facts = with_answer(least_facts, field, value)
    lightest_duties = answer(None, least_facts)[1] if lightest else cautious
    words.update((i, _phrase(o, people)) for i, o in lightest_duties.items())
    least, most = sorted(lightest_duties), sorted(cautious.keys() | adds)
    least_set = set(least)
    extra = [i for i in most if i not in least_set]

    def phrases(ids: list[str]) -> str:
        return "; ".join(dict.fromkeys(words[i] for i in ids))

    text = "at least: " + (phrases(least) or "no notification")
    text += f". At most, also: {phrases(extra)}" if extra else ""
    return [decisive for _, decisive in ranked], Bounds(least=least, most=most, says=text)


def _one_customer_probe(
    facts: Facts, cautious: dict[str, Obligation], assess: Assess
) -> Callable[[str | None, Any], tuple[Decision, dict[str, Obligation]]]:
    """``answer(field, value)``: the assessment with that answer and its required duties.

    With thousands of controller customers, the alternatives are assessed with the first
    customer only: whether a rule requires informing controllers does not depend on which
    one, so each customer's duty is required exactly when the first one's is. Where an
    answer would add controller duties the cautious decision lacks, the whole list is
    assessed (their deadlines are needed). ``answer(None, facts)`` assesses given facts.
    """
    many = len(facts.controllers) > 1
    probe = facts.model_copy(update={"controllers": facts.controllers[:1]}) if many else facts

    def answer(field: str | None, value: Any) -> tuple[Decision, dict[str, Obligation]]:
        full = value if field is None else with_answer(facts, field, value)
        if not many:
            alternative = assess(full)
            return alternative, _required(alternative)
        reduced = full.model_copy(update={"controllers": full.controllers[:1]})
        alternative = assess(reduced if field is None else with_answer(probe, field, value))
        answered = _required(alternative)
        firsts = {o.rule for o in answered.values() if o.duty == "notify_controller"}
        known = {o.rule for o in cautious.values() if o.duty == "notify_controller"}
        if firsts - known:  # new controller duties: their deadlines come from all of them
            alternative = assess(full)
            return alternative, _required(alternative)
        kept = {i: o for i, o in answered.items() if o.duty != "notify_controller"}
        kept.update(
            (i, o)
            for i, o in cautious.items()
            if o.duty == "notify_controller" and o.rule in firsts
        )
        return alternative, kept

    return answer


def _weight(outcome: Outcome) -> tuple[int, int]:
    """Fewer duties is lighter (removals count, additions weigh against)."""
    return (len(outcome.adds) - len(outcome.removes), -len(outcome.removes))


def _to_people(duty: Obligation) -> bool:
    return duty.duty in ("notify_data_subjects", "public_communication")


def _merged(outcomes: list[Outcome]) -> list[Outcome]:
    """Consecutive count or hour answers with the same effect become one range."""
    merged: list[Outcome] = []
    for outcome in outcomes:
        last = merged[-1] if merged else None
        if (
            last is not None
            and isinstance(outcome.value, int)
            and not isinstance(outcome.value, bool)
            and (last.adds, last.removes) == (outcome.adds, outcome.removes)
        ):
            continue  # the range's first value stands for it
        merged.append(outcome)
    return _range_labels(merged)


def _range_labels(outcomes: list[Outcome]) -> list[Outcome]:
    numeric = [o for o in outcomes if isinstance(o.value, int) and not isinstance(o.value, bool)]
    if len(numeric) != len(outcomes) or len(outcomes) < 2:
        return outcomes
    labelled = []
    for index, outcome in enumerate(outcomes):
        low = int(outcome.value)  # type: ignore[arg-type]
        upper = outcomes[index + 1].value if index + 1 < len(outcomes) else None
        unit = outcome.label.split(" ", 1)[1] if " " in outcome.label else ""
        unit = "people" if unit == "person" else unit
        if upper is None:
            label = f"{low:,} {unit} or more"
        elif int(upper) - 1 == low:  # type: ignore[arg-type]
            label = outcome.label
        else:
            label = f"{low:,} to {int(upper) - 1:,} {unit}"  # type: ignore[arg-type]
        sentence = f"if {label}: " + outcome.says.split(": ", 1)[-1]
        labelled.append(outcome.model_copy(update={"label": label, "says": sentence}))
    return labelled


_NOUNS = {
    "notify_authority": "the notice to {who}",
    "follow_up": "the follow-up to {who}",
    "early_warning": "the NIS2 early warning to {who}",
    "incident_notification": "the NIS2 incident notification to {who}",
    "final_report": "the NIS2 final report to {who}",
    "notify_controller": "telling {who}",
    "public_communication": "a public communication",
    "document": "the register entry",
}


def _phrase(duty: Obligation, people: int | None) -> str:
    """A duty in the responder's words: "telling the 3,200 people", "the notice to the AP"."""
    if duty.duty == "notify_data_subjects":
        return f"telling the {people:,} people" if people else "telling the people affected"
    who = duty.recipient.name if duty.recipient else "the recipient"
    if who.startswith(("Each ", "The ")):  # a placeholder: "Each controller … (none listed)"
        who = who[0].lower() + who[1:]
    if duty.recipient and duty.recipient.country:
        who = f"{the(who)} ({duty.recipient.country})"
    return _NOUNS.get(duty.duty, duty.duty).format(who=who)


def says(
    label: str,
    added: list[Obligation],
    removed: list[Obligation],
    answered: dict[str, Obligation],
    people: int | None,
) -> str:
    """What an answer changes, as a sentence a responder can act on:
    "if no: not needed — telling the 3,200 people (GDPR Art. 34(3)(a))"."""
    parts = []
    if removed:
        gone = []
        for duty in removed:
            why = answered.get(duty.id)  # the same duty under this answer: exempt, not required
            cite = f" ({why.basis})" if why is not None and why.status == "exempt" else ""
            gone.append(_phrase(duty, people) + cite)
        parts.append("not needed — " + "; ".join(gone))
    if added:
        parts.append(
            "needed too — " + "; ".join(f"{_phrase(d, people)} ({d.basis})" for d in added)
        )
    return f"if {label}: " + "; and ".join(parts) if parts else f"if {label}: nothing changes"
