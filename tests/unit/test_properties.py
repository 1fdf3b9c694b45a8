"""Hypothesis properties of the engine."""

from datetime import UTC, datetime, timedelta
from typing import Any, get_args

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breach import model
from breach.engine import assess
from breach.model import Facts
from breach.rules import load_rules

from ..conftest import NOW

RULES = load_rules()

ORGS = [
    {
        "id": "de",
        "name": "DE",
        "establishments": [{"country": "DE"}],
        "main_establishment": "DE",
        "ecs_provider": True,
        "nis2": "important",
    },
    {"id": "gb", "name": "GB", "establishments": [{"country": "GB"}], "ecs_provider": True},
    {"id": "ch", "name": "CH", "establishments": [{"country": "CH"}], "gdpr_targeting": None},
    "mixvoip",
    "infra-voip",
    "diflex",
    "flexibelt",
    "assutech",
    {"id": "x", "name": "X", "establishments": [{"country": "FR"}], "main_establishment": "FR"},
]


def literal(kind: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from(get_args(kind))


@st.composite
def facts_data(draw: st.DrawFn) -> dict[str, Any]:
    detected = draw(
        st.datetimes(
            min_value=datetime(2019, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
        )
    )
    aware = detected + timedelta(hours=draw(st.integers(0, 200)))
    return {
        "organisation": draw(st.sampled_from(ORGS)),
        "role": draw(literal(model.Role)),
        "detected_at": detected.isoformat(),
        "aware_at": draw(st.sampled_from([None, aware.isoformat()])),
        "personal_data": draw(st.sampled_from([True, False, None])),
        "confidentiality": draw(literal(model.Confidentiality)),
        "integrity": draw(literal(model.Integrity)),
        "availability": draw(literal(model.Availability)),
        "unavailable_hours": draw(st.one_of(st.none(), st.floats(0, 10_000))),
        "exfiltration": draw(literal(model.Exfiltration)),
        "malicious": draw(st.sampled_from([True, False, None])),
        "data_categories": draw(st.lists(literal(model.DataCategory), max_size=4, unique=True)),
        "subjects": {
            "count": draw(st.one_of(st.none(), st.integers(0, 10**7))),
            "kinds": draw(st.lists(literal(model.SubjectKind), max_size=3, unique=True)),
            "countries": draw(
                st.lists(
                    st.sampled_from(["LU", "DE", "BE", "NL", "FR", "GE", "GB", "CH"]),
                    max_size=3,
                    unique=True,
                )
            ),
        },
        "identifiability": draw(literal(model.Identifiability)),
        "protection": draw(literal(model.Protection)),
        "protection_state_of_the_art": draw(st.booleans()),
        "key_compromised": draw(st.sampled_from([True, False, None])),
        "high_risk_averted": draw(st.booleans()),
        "disproportionate_effort": draw(st.booleans()),
        "ecs_data": draw(st.booleans()),
        "significant_incident": draw(st.sampled_from([True, False, None])),
        "non_ecs_data": draw(st.sampled_from([True, False, None])),
        "ecs_position": draw(st.sampled_from([None, "provider", "sub_provider"])),
        "recipient_deleted": draw(st.sampled_from([None, True, False])),
        "controllers": draw(
            st.lists(
                st.builds(
                    lambda n, h: {"name": n, "notice_hours": h},
                    st.text(min_size=1, max_size=20),
                    st.one_of(st.none(), st.floats(1, 200)),
                ),
                max_size=2,
            )
        ),
    }


PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def required(decision) -> set[tuple[str, str]]:
    return {(o.regime, o.duty) for o in decision.obligations if o.status == "required"}


@PROPS
@given(data=facts_data())
def test_any_valid_facts_assess_without_raising(data) -> None:
    decision = assess(Facts.model_validate(data), RULES, NOW)
    ids = [o.id for o in decision.obligations]
    assert len(ids) == len(set(ids))
    for o in decision.obligations:
        if o.status == "required":
            assert o.recipient is not None and o.recipient.name
            assert o.due_at is not None and o.due_kind is not None
        else:
            assert o.due_at is None


UNKNOWABLE = {
    "personal_data": None,
    "confidentiality": "unknown",
    "integrity": "unknown",
    "availability": "unknown",
    "exfiltration": "unknown",
    "malicious": None,
    "key_compromised": None,
    "significant_incident": None,
}


@PROPS
@given(data=facts_data(), field=st.sampled_from(sorted(UNKNOWABLE)))
def test_making_an_answer_unknown_never_removes_a_required_duty(data, field) -> None:
    known = assess(Facts.model_validate(data), RULES, NOW)
    unknown = assess(Facts.model_validate({**data, field: UNKNOWABLE[field]}), RULES, NOW)
    assert required(known) <= required(unknown)


@PROPS
@given(data=facts_data(), count=st.integers(0, 10**6))
def test_unknown_count_never_removes_a_required_duty(data, count) -> None:
    known = {**data, "subjects": {**data["subjects"], "count": count}}
    unknown = {**data, "subjects": {**data["subjects"], "count": None}}
    assert required(assess(Facts.model_validate(known), RULES, NOW)) <= required(
        assess(Facts.model_validate(unknown), RULES, NOW)
    )


@PROPS
@given(data=facts_data(), method=st.sampled_from(["encrypted", "hashed"]))
def test_making_data_unintelligible_never_adds_a_data_subject_duty(data, method) -> None:
    before = assess(Facts.model_validate(data), RULES, NOW)
    protected = {
        **data,
        "protection": method,
        "protection_state_of_the_art": True,
        "key_compromised": False,
    }
    after = assess(Facts.model_validate(protected), RULES, NOW)
    subject_duties = {"notify_data_subjects", "public_communication"}
    assert {d for d in required(after) if d[1] in subject_duties} <= {
        d for d in required(before) if d[1] in subject_duties
    }


@PROPS
@given(data=facts_data())
def test_fixed_period_due_times_are_exact_elapsed_time(data) -> None:
    facts = Facts.model_validate(data)
    decision = assess(facts, RULES, NOW)
    for o in decision.obligations:
        if o.status == "required" and o.duty == "notify_authority" and o.regime == "gdpr":
            assert o.due_at - facts.awareness == timedelta(hours=72)


@PROPS
@given(data=facts_data())
def test_environments_provide_every_name_a_rule_may_use(data) -> None:
    """Every name a rule file may use is in the environments the engine builds."""
    from breach.engine import resolve_organisation
    from breach.engine.assess import decision_env
    from breach.engine.risk import assess_risk
    from breach.engine.routing import Geography
    from breach.rules import DECISION_NAMES, RISK_NAMES

    facts = Facts.model_validate(data)
    org, _ = resolve_organisation(facts, RULES)
    risk = assess_risk(facts, RULES.risk)
    assert RISK_NAMES | {"short_outage"} <= risk.env.keys()
    env = decision_env(facts, org, risk, RULES, Geography.of(facts, org))
    assert env.keys() >= DECISION_NAMES
