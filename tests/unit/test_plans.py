"""Plans kept between assessments (breach.plan) and the remembered ENISA score change nothing."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from breach import plan as plans
from breach.engine import assess, decide, prepare
from breach.model import Decision, Facts
from breach.risk import enisa_severity, risk_env, severity_with_step
from breach.rules import load_rules

from ..conftest import NOW
from .test_properties import PROPS, RULES, facts_data
from .test_regimes import UK_ECS

SHIPPED = Path(__file__).resolve().parents[2] / "decision_rules"
FRESH = load_rules()


def afresh(facts: Facts, now: datetime = NOW) -> Decision:
    """The decision with no plan kept: every rule run again."""
    FRESH.plans.clear()
    return assess(facts, FRESH, now)


@PROPS
@given(data=facts_data())
def test_a_decision_built_on_a_plan_is_the_decision_validated_whole(data: dict[str, Any]) -> None:
    facts = Facts.model_validate(data)
    built = assess(facts, RULES, NOW)
    whole = Decision.model_validate(decide(facts, RULES, NOW))
    assert built == whole
    assert built.model_dump_json() == whole.model_dump_json()


@PROPS
@given(
    data=facts_data(),
    later=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=900)),
    count=st.one_of(st.none(), st.integers(0, 10**7)),
)
def test_an_incident_like_an_earlier_one_gets_its_own_decision(
    data: dict[str, Any], later: timedelta, count: int | None
) -> None:
    """Another incident with other times and another count, assessed with the plans the
    first one left, decides exactly as if no plan had been kept."""
    first = Facts.model_validate(data)
    assess(first, RULES, NOW)
    other = first.model_copy(
        update={
            "detected_at": first.detected_at + later,
            "aware_at": first.aware_at and first.aware_at + later,
            "subjects": first.subjects.model_copy(update={"count": count}),
        }
    )
    assert assess(other, RULES, NOW).dump() == afresh(other).dump()


def _incident(detected: str, **more: Any) -> Facts:
    return Facts.model_validate(
        {
            "organisation": "mixvoip",
            "role": "controller",
            "detected_at": detected,
            "confidentiality": "unknown_recipients",
            "exfiltration": "confirmed",
            "data_categories": ["contact", "financial"],
            "subjects": {"count": 1200, "kinds": ["customers"], "countries": ["LU"]},
            **more,
        }
    )


def test_incidents_alike_share_one_plan_and_its_validated_parts() -> None:
    rules = load_rules()
    early = _incident("2026-03-02T09:00:00+01:00")
    late = _incident("2026-03-09T18:00:00+01:00")
    assert prepare(early, rules).plan is prepare(late, rules).plan
    one, two = assess(early, rules, NOW), assess(late, rules, NOW)
    undue = [
        (a, b) for a, b in zip(one.obligations, two.obligations, strict=True) if a.due_at is None
    ]
    assert undue and all(a is b for a, b in undue)
    due = [(a, b) for a, b in zip(one.obligations, two.obligations, strict=True) if a.due_at]
    assert due and all(b.due_at - a.due_at == timedelta(days=7, hours=9) for a, b in due)
    with pytest.raises(ValidationError):
        one.obligations[0].reason = "changed"  # type: ignore[misc]


def test_the_people_affected_are_described_per_incident() -> None:
    rules = load_rules()
    names = {
        count: [
            o.recipient.name
            for o in assess(
                _incident(
                    "2026-03-02T09:00:00+01:00", subjects={"count": count, "countries": ["LU"]}
                ),
                rules,
                NOW,
            ).obligations
            if o.duty == "notify_data_subjects"
        ]
        for count in (1200, 5)
    }
    assert names == {
        1200: ["Affected data subjects (1,200 people; LU)"],
        5: ["Affected data subjects (5 people; LU)"],
    }


def test_a_late_warning_follows_the_clock_not_the_plan() -> None:
    rules = load_rules()
    facts = _incident("2026-03-02T09:00:00+01:00")
    in_time = assess(facts, rules, datetime.fromisoformat("2026-03-03T09:00:00+01:00"))
    overdue = assess(facts, rules, datetime.fromisoformat("2026-03-06T09:00:00+01:00"))
    late = {w for w in overdue.warnings if "late" in w.lower() or "delay" in w.lower()}
    assert late and not late & set(in_time.warnings)
    assert overdue.dump() == afresh(facts, overdue.assessed_at).dump()


def test_a_version_boundary_splits_incidents_otherwise_alike() -> None:
    """PECR changed on 20 August 2025: the day before and after get different versions."""
    rules = load_rules()

    def pecr_version(detected: str) -> str:
        facts = _incident(
            detected,
            organisation=UK_ECS,
            ecs_data=True,
            subjects={"count": 50, "countries": ["GB"]},
        )
        decision = assess(facts, rules, NOW)
        assert decision.dump() == afresh(facts).dump()
        [pecr] = [o for o in decision.obligations if o.rule == "pecr.notify_authority"]
        return pecr.rule_version

    assert pecr_version("2025-08-19T10:00:00+00:00") == "2013-08-25"
    assert pecr_version("2025-08-21T10:00:00+00:00") == "2025-08-20"
    assert pecr_version("2025-08-19T12:00:00+00:00") == "2013-08-25"


def test_a_plan_depends_on_every_name_the_rule_files_read(tmp_path: Path) -> None:
    """A condition on the number of people makes it part of the situation."""
    copy = tmp_path / "rules"
    shutil.copytree(SHIPPED, copy)
    gdpr = copy / "regimes" / "gdpr.toml"
    text = gdpr.read_text()
    marker = '  [[rules.not_required]]\n  when = "not gdpr_applies"'
    extra = (
        '  [[rules.not_required]]\n  when = "subjects_count != null and subjects_count < 10"\n'
        '  because = "Fewer than ten people (a test rule)."\n'
    )
    gdpr.write_text(text.replace(marker, extra + marker, 1))
    rules = load_rules(copy, cache=False)
    assert "subjects_count" in rules.decision_reads

    def register_status(count: int) -> str:
        facts = _incident("2026-03-02T09:00:00+01:00", subjects={"count": count})
        [register] = [o for o in assess(facts, rules, NOW).obligations if o.duty == "document"]
        return register.status

    assert [register_status(n) for n in (5, 5000, 3)] == [
        "not_required",
        "required",
        "not_required",
    ]
    assert "subjects_count" not in RULES.decision_reads  # the shipped rules do not read it


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"controllers": [{"name": "Acme SA"}]}, {"controllers": [{"name": "Beta GmbH"}]}),
        (
            {"controllers": [{"name": "Acme SA"}]},
            {"controllers": [{"name": "Acme SA", "notice_hours": 12}]},
        ),
        ({"organisation": "infra-voip"}, {"organisation": "mixvoip"}),  # their own hours
    ],
)
def test_what_routing_reads_is_part_of_the_situation(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    """Incidents alike but for their controllers (or the hours agreed with them) get their
    own recipients and deadlines."""
    rules = load_rules()
    decisions = []
    for more in (first, second):
        facts = _incident("2026-03-02T09:00:00+01:00", role="processor", **more)
        decision = assess(facts, rules, NOW)
        assert decision.dump() == afresh(facts).dump()
        decisions.append(
            [(o.recipient.name, o.due_at) for o in decision.obligations if o.recipient]
        )
    assert decisions[0] != decisions[1]


def test_a_profile_s_agreed_hours_are_part_of_the_situation(tmp_path: Path) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(SHIPPED, copy)
    profile = copy / "profiles" / "infra-voip.toml"
    profile.write_text(
        profile.read_text().replace(
            "[breach_commitment]\n", "[breach_commitment]\nnotice_hours = 12\n"
        )
    )
    rules = load_rules(copy, cache=False)

    def hours_to_tell_the_controller(organisation: str) -> float:
        facts = _incident("2026-03-02T09:00:00+01:00", organisation=organisation, role="processor")
        [duty] = [o for o in assess(facts, rules, NOW).obligations if o.duty == "notify_controller"]
        return (duty.due_at - facts.awareness) / timedelta(hours=1)

    default = rules.settings.processor_notice_hours
    assert [hours_to_tell_the_controller(o) for o in ("infra-voip", "mixvoip", "infra-voip")] == [
        12,
        default,
        12,
    ]


def test_the_register_is_the_organisation_s_own() -> None:
    rules = load_rules()
    names = []
    for name in ("Alpha Telecom", "Beta Telecom"):
        org = {"id": "x", "name": name, "establishments": [{"country": "LU"}]}
        facts = _incident("2026-03-02T09:00:00+01:00", organisation=org)
        [register] = [o for o in assess(facts, rules, NOW).obligations if o.duty == "document"]
        names.append(register.recipient.name)
    assert names == ["Breach register of Alpha Telecom", "Breach register of Beta Telecom"]


def test_the_plans_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = load_rules()
    monkeypatch.setattr(plans, "PLAN_MEMO", 3)
    countries = [["LU"], ["BE"], ["DE"], ["LU", "BE"], ["FR"], ["NL"], ["LU", "DE"]]
    for where in countries:
        facts = _incident("2026-03-02T09:00:00+01:00", subjects={"count": 9, "countries": where})
        assert assess(facts, rules, NOW).dump() == afresh(facts).dump()
        assert 1 <= len(rules.plans) <= 3


@PROPS
@given(data=facts_data())
def test_a_remembered_severity_is_the_one_computed_afresh(data: dict[str, Any]) -> None:
    facts = Facts.model_validate(data)
    env, _ = risk_env(facts, RULES.risk)
    severity, step = severity_with_step(facts, env, RULES.risk)  # warm from earlier examples
    assert severity == enisa_severity(facts, env, RULES.risk)
    assert step == {
        "rule": "risk.enisa",
        "result": severity["band"],
        "because": "; ".join(severity["breakdown"]),
    }


def test_a_rule_set_pickles_without_what_it_worked_out() -> None:
    """The rule cache stores the files' content: plans (with pydantic parts) stay in memory."""
    import pickle

    rules = load_rules()
    assess(_incident("2026-03-02T09:00:00+01:00"), rules, NOW)
    assert rules.plans and rules.route_cache and rules.risk.severities
    again = pickle.loads(pickle.dumps(rules))
    assert "plans" not in vars(again) and "severities" not in vars(again.risk)
    facts = _incident("2026-03-04T09:00:00+01:00")
    assert assess(facts, again, NOW).dump() == assess(facts, rules, NOW).dump()
