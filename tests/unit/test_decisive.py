"""What to find out first: the unknown facts whose answers change the required duties."""

from __future__ import annotations

from typing import Any

from hypothesis import given

from breach.engine import assess
from breach.engine.decisive import open_facts, with_answer
from breach.model import Decision, Facts
from breach.rules import RuleSet

from ..conftest import NOW, make_facts
from .test_properties import PROPS, RULES, facts_data


def required(decision: Decision) -> set[str]:
    """The required duties the analysis compares (the follow-up, which any answer to the
    last unknown removes, is left out)."""
    return {o.id for o in decision.obligations if o.status == "required" and o.duty != "follow_up"}


def plain(facts: Facts) -> Decision:
    return assess(facts, RULES, NOW, analyse=False)


@PROPS
@given(data=facts_data())
def test_an_answer_changes_exactly_what_its_outcome_says(data: dict[str, Any]) -> None:
    """Setting a decisive field to an outcome's value and assessing again gives exactly the
    stated additions and removals; a fact reported as not decisive changes nothing."""
    facts = Facts.model_validate(data)
    decision = assess(facts, RULES, NOW)
    cautious = required(decision)
    decisive = {item.field: item for item in decision.decisive}
    for item in decision.decisive:
        assert any(o.adds or o.removes for o in item.outcomes)
        for outcome in item.outcomes:
            answered = required(plain(with_answer(facts, item.field, outcome.value)))
            assert sorted(answered - cautious) == outcome.adds, (item.field, outcome.value)
            assert sorted(cautious - answered) == outcome.removes, (item.field, outcome.value)
    org = facts.organisation if not isinstance(facts.organisation, str) else None
    countries = org.countries if org else RULES.profiles[str(facts.organisation)].countries
    for unknown in open_facts(facts, RULES, countries):
        if unknown.field in decisive:
            continue
        for value, _ in unknown.answers:
            assert required(plain(with_answer(facts, unknown.field, value))) == cautious


@PROPS
@given(data=facts_data())
def test_the_bounds_hold_the_cautious_decision(data: dict[str, Any]) -> None:
    decision = assess(Facts.model_validate(data), RULES, NOW)
    assert decision.bounds is not None
    assert required(decision) <= set(decision.bounds.most)
    assert decision.decisive or decision.bounds.least == decision.bounds.most


def test_an_encrypted_laptop_whose_key_may_be_lost(rules: RuleSet) -> None:
    """GDPR Art. 34(3)(a), 33(1): if the key was not on the laptop the data is
    unintelligible, so neither the authority nor the 3,200 people need be told."""
    facts = make_facts(
        protection="encrypted",
        protection_state_of_the_art=True,
        key_compromised=None,
        confidentiality="unknown_recipients",
        subjects={"count": 3200, "kinds": ["customers"], "countries": ["LU"]},
    )
    decision = assess(facts, rules, NOW)
    first = decision.decisive[0]
    assert first.field == "key_compromised"
    no = next(o for o in first.outcomes if o.value is False)
    assert "gdpr.notify_data_subjects" in no.removes and no.people == 3200
    assert "telling the 3,200 people" in no.says
    yes = next(o for o in first.outcomes if o.value is True)
    assert not yes.adds and not yes.removes
    assert decision.bounds is not None and "gdpr.notify_data_subjects" not in decision.bounds.least


def test_exfiltration_unknown_on_a_telecom_breach(rules: RuleSet) -> None:
    """Regulation 611/2013 Art. 2 and GDPR Art. 4(12): every breach at a telecom provider
    goes to the authority within 24 hours, but with nothing seen, altered, lost or copied
    out there is no personal data breach: whether data left decides everything."""
    facts = make_facts(
        organisation={
            "id": "lu-voip", "name": "LU VoIP", "establishments": [{"country": "LU"}],
            "main_establishment": "LU", "ecs_provider": True, "nis2": "none",
        },
        ecs_data=True,
        ecs_position="provider",
        non_ecs_data=False,
        data_categories=["traffic_data"],
        confidentiality="none",
        exfiltration="unknown",
        malicious=False,
        integrity="none",
        availability="none",
    )  # fmt: skip
    decision = assess(facts, rules, NOW)
    assert decision.decisive[0].field == "exfiltration"
    outcomes = {o.value: o for o in decision.decisive[0].outcomes}
    assert "eprivacy.notify_authority.LU" in outcomes["none"].removes
    assert "eprivacy.notify_data_subjects" in outcomes["none"].removes
    assert not outcomes["suspected"].removes and not outcomes["confirmed"].removes


def test_a_count_near_a_threshold_is_decisive_by_range(rules: RuleSet) -> None:
    """EDPB Guidelines 9/2022 para 114 and 01/2021 cases 13-16: an accidental disclosure of
    simple data to a few identified recipients is unlikely to be a risk; how many people
    decides it."""
    facts = make_facts(
        confidentiality="known_recipients",
        recipient_deleted=True,
        exfiltration="none",
        malicious=False,
        data_categories=["identity", "contact"],
        subjects={"count": None, "kinds": ["customers"], "countries": ["LU"]},
    )
    decision = assess(facts, rules, NOW)
    [item] = [d for d in decision.decisive if d.field == "subjects.count"]
    few = item.outcomes[0]
    assert few.value == 1 and "gdpr.notify_authority.LU" in few.removes
    assert few.label.startswith("1 to ")
    assert any(o.label.endswith("or more") for o in item.outcomes)


def test_nothing_unknown_means_nothing_decisive(rules: RuleSet) -> None:
    decision = assess(make_facts(), rules, NOW)
    assert decision.decisive == []
    assert decision.bounds is not None and decision.bounds.least == decision.bounds.most
