"""One test (or more) per GDPR rule in decision_rules/regimes/gdpr.toml."""

from datetime import UTC, datetime, timedelta

import pytest

from breach.engine import FactsError, assess

from ..conftest import NOW, make_facts


def ob(decision, obligation_id):
    return next(o for o in decision.obligations if o.id == obligation_id)


def by_duty(decision, duty, status=None):
    return [
        o for o in decision.obligations if o.duty == duty and (status is None or o.status == status)
    ]


def test_authority_within_72_hours_of_awareness(rules) -> None:
    facts = make_facts()
    d = assess(facts, rules, NOW)
    notify = ob(d, "gdpr.notify_authority.LU")
    assert notify.status == "required" and notify.due_kind == "deadline"
    assert notify.due_at - facts.awareness == timedelta(hours=72)
    assert notify.recipient.country == "LU" and notify.recipient.authority_id
    assert notify.basis == "GDPR Art. 33(1)" and notify.rule == "gdpr.notify_authority"
    assert "72 hours" in notify.reason


def test_awareness_defaults_to_detection(rules) -> None:
    facts = make_facts(aware_at=None)
    notify = ob(assess(facts, rules, NOW), "gdpr.notify_authority.LU")
    assert notify.due_at - facts.detected_at == timedelta(hours=72)


def test_unlikely_risk_means_document_only(rules) -> None:
    facts = make_facts(confidentiality="trusted_recipient", exfiltration="none", malicious=False)
    d = assess(facts, rules, NOW)
    assert d.risk == "unlikely"
    assert ob(d, "gdpr.notify_authority.LU").status == "not_required"
    assert ob(d, "gdpr.document").status == "required"
    assert "unlikely to result in a risk" in ob(d, "gdpr.notify_authority.LU").reason


def test_late_notification_warns_about_reasons_for_delay(rules) -> None:
    facts = make_facts()
    late = assess(facts, rules, facts.awareness + timedelta(hours=80))
    early = assess(facts, rules, facts.awareness + timedelta(hours=1))
    assert any("reasons for the delay" in w for w in late.warnings)
    assert not any("reasons for the delay" in w for w in early.warnings)


def test_unknown_facts_make_a_phased_follow_up(rules) -> None:
    d = assess(make_facts(subjects={"count": None, "kinds": [], "countries": ["LU"]}), rules, NOW)
    follow = ob(d, "gdpr.follow_up.LU")
    assert follow.status == "required" and follow.basis == "GDPR Art. 33(4)"
    assert "how many people" in follow.reason
    complete = assess(make_facts(), rules, NOW)
    assert ob(complete, "gdpr.follow_up.LU").status == "not_required"


def test_processor_informs_each_controller_and_has_no_authority_duty(rules) -> None:
    facts = make_facts(
        role="processor",
        controllers=[
            {"name": "Acme B.V.", "contact": "dpo@acme.example", "notice_hours": 12},
            {"name": "Beta GmbH"},
        ],
    )
    d = assess(facts, rules, NOW)
    controllers = by_duty(d, "notify_controller", "required")
    assert [o.recipient.name for o in controllers] == ["Acme B.V.", "Beta GmbH"]
    assert controllers[0].due_at - facts.awareness == timedelta(hours=12)
    assert controllers[1].due_at - facts.awareness == timedelta(
        hours=rules.settings.processor_notice_hours
    )
    assert controllers[0].id != controllers[1].id
    assert all(o.due_kind == "without_undue_delay" for o in controllers)
    assert not by_duty(d, "notify_authority", "required")
    assert "controller notifies" in by_duty(d, "notify_authority")[0].reason


def test_processor_without_listed_controllers_gets_a_placeholder_and_warning(rules) -> None:
    d = assess(make_facts(role="processor"), rules, NOW)
    [duty] = by_duty(d, "notify_controller", "required")
    assert "none listed" in duty.recipient.name
    assert any("No controller is listed" in w for w in d.warnings)


def test_profile_commitment_sets_the_processor_target(rules) -> None:
    profile = rules.profiles["infra-voip"]
    facts = make_facts(role="processor", organisation="infra-voip", controllers=[{"name": "C"}])
    [duty] = by_duty(assess(facts, rules, NOW), "notify_controller", "required")
    expected = (
        profile.breach_commitment.notice_hours
        if profile.breach_commitment and profile.breach_commitment.notice_hours
        else rules.settings.processor_notice_hours
    )
    assert duty.due_at - facts.awareness == timedelta(hours=expected)


HIGH = dict(
    data_categories=["special_category"],
    subjects={"count": 5000, "kinds": ["patients"], "countries": ["LU"]},
)


def test_high_risk_requires_communication_to_data_subjects(rules) -> None:
    d = assess(make_facts(**HIGH), rules, NOW)
    assert d.risk == "high"
    [duty] = by_duty(d, "notify_data_subjects")
    assert duty.status == "required" and duty.due_kind == "without_undue_delay" and duty.due_at
    assert "5,000 people" in duty.recipient.name


def test_exemption_a_unintelligible_data(rules) -> None:
    facts = make_facts(
        **HIGH,
        protection="encrypted",
        protection_state_of_the_art=True,
        key_compromised=False,
        risk_override={"level": "high", "justification": "regulator asked us to treat it as high"},
    )
    [duty] = by_duty(assess(facts, rules, NOW), "notify_data_subjects")
    assert (duty.status, duty.exemption, duty.basis) == (
        "exempt",
        "encryption",
        "GDPR Art. 34(3)(a)",
    )


def test_exemption_b_high_risk_averted(rules) -> None:
    [duty] = by_duty(
        assess(make_facts(**HIGH, high_risk_averted=True), rules, NOW), "notify_data_subjects"
    )
    assert (duty.status, duty.exemption) == ("exempt", "mitigated")


def test_exemption_c_disproportionate_effort_needs_public_communication(rules) -> None:
    d = assess(make_facts(**HIGH, disproportionate_effort=True), rules, NOW)
    [duty] = by_duty(d, "notify_data_subjects")
    assert (duty.status, duty.exemption) == ("exempt", "disproportionate_effort")
    [public] = by_duty(d, "public_communication")
    assert public.status == "required" and public.due_at
    normal = assess(make_facts(**HIGH), rules, NOW)
    assert by_duty(normal, "public_communication")[0].status == "not_required"


def test_joint_controllers_are_warned_about_the_arrangement(rules) -> None:
    d = assess(make_facts(role="joint_controller"), rules, NOW)
    assert ob(d, "gdpr.notify_authority.LU").status == "required"
    assert any("Art. 26" in w for w in d.warnings)


def test_cross_border_goes_to_the_lead_authority_of_the_main_establishment(rules) -> None:
    facts = make_facts(
        organisation="mixvoip",
        subjects={"count": 500, "kinds": ["customers"], "countries": ["LU", "BE", "DE"]},
    )
    d = assess(facts, rules, NOW)
    [notify] = by_duty(d, "notify_authority", "required")
    main = rules.profiles["mixvoip"].main_establishment
    assert notify.recipient.country == main
    assert "lead supervisory authority" in notify.reason and "Art. 56(1)" in notify.reason


def test_single_establishment_authority_otherwise(rules) -> None:
    [notify] = by_duty(assess(make_facts(), rules, NOW), "notify_authority", "required")
    assert "Art. 55" in notify.reason


def test_non_eu_organisation_notifies_every_authority_where_people_live(rules) -> None:
    facts = make_facts(
        organisation="diflex",
        subjects={"count": 500, "kinds": ["customers"], "countries": ["DE", "FR", "GE"]},
    )
    d = assess(facts, rules, NOW)
    gdpr = [o for o in by_duty(d, "notify_authority", "required") if o.regime == "gdpr"]
    assert sorted(o.recipient.country for o in gdpr) == ["DE", "FR"]
    assert any("para 73" in w for w in d.warnings)


def test_non_eu_without_targeting_is_outside_the_gdpr(rules) -> None:
    org = {
        "id": "x",
        "name": "Tbilisi Telecom",
        "establishments": [{"country": "GE"}],
        "gdpr_targeting": False,
    }
    d = assess(make_facts(organisation=org), rules, NOW)
    assert not [o for o in d.obligations if o.status == "required" and o.regime == "gdpr"]
    assert "does not apply" in ob(d, "gdpr.document").reason


def test_no_personal_data_means_no_breach(rules) -> None:
    d = assess(make_facts(personal_data=False), rules, NOW)
    assert d.personal_data_breach is False
    assert not [o for o in d.obligations if o.status == "required" and o.regime == "gdpr"]


def test_unknown_profile_is_a_facts_error(rules) -> None:
    with pytest.raises(FactsError, match="not a known profile"):
        assess(make_facts(organisation="nobody"), rules, NOW)


def test_every_obligation_names_its_rule_and_a_reason(rules) -> None:
    d = assess(make_facts(**HIGH), rules, NOW)
    rule_ids = {r.id for g in rules.regimes.values() for r in g.rules}
    for o in d.obligations:
        assert o.rule in rule_ids and o.id.startswith(o.rule)
        assert o.reason.endswith(".") and "{" not in o.reason
    assert {t.rule for t in d.trace} >= {"risk.enisa", "risk.level", "breach.personal_data_breach"}


def test_rules_not_yet_in_force_do_not_apply(rules) -> None:
    facts = make_facts(
        detected_at="2017-03-02T09:00:00+01:00", aware_at="2017-03-02T09:00:00+01:00"
    )
    d = assess(facts, rules, datetime(2017, 3, 10, tzinfo=UTC))
    assert not [o for o in d.obligations if o.regime == "gdpr"]


def test_decision_json_has_the_contract_shape(rules) -> None:
    data = assess(make_facts(), rules, NOW).dump()
    assert data["schema"] == "breach.decision/1"
    assert data["assessed_at"] == "2026-12-01T00:00:00Z"
    assert set(data) >= {
        "rules_version",
        "personal_data_breach",
        "risk",
        "risk_source",
        "severity",
        "obligations",
        "warnings",
        "trace",
    }
    assert data["severity"]["method"] == "ENISA 2013"
    first = data["obligations"][0]
    assert set(first) >= {
        "id",
        "regime",
        "duty",
        "status",
        "due_at",
        "due_kind",
        "recipient",
        "basis",
        "exemption",
        "reason",
    }
    assert first["due_at"].endswith("Z")
