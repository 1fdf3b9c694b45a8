"""One test (or more) per regime other than the GDPR core, and per routing rule."""

from datetime import UTC, datetime, timedelta

import pytest

from breach.clock import add_months
from breach.engine import assess
from breach.engine.routing import Geography, countries_of_service

from ..conftest import NOW, make_facts

LU_ECS = {
    "id": "lu-voip",
    "name": "LU VoIP S.A.",
    "establishments": [{"country": "LU"}],
    "main_establishment": "LU",
    "ecs_provider": True,
    "nis2": "important",
}


def required(decision, regime, duty):
    return [
        o
        for o in decision.obligations
        if o.regime == regime and o.duty == duty and o.status == "required"
    ]


def listed(decision, regime):
    return [o for o in decision.obligations if o.regime == regime]


# --- ePrivacy / Regulation 611/2013 -------------------------------------------------------


def test_eprivacy_24_hours_from_detection_for_every_breach(rules) -> None:
    facts = make_facts(
        organisation=LU_ECS,
        ecs_data=True,
        confidentiality="trusted_recipient",
        exfiltration="none",
        malicious=False,
    )
    d = assess(facts, rules, NOW)
    assert d.risk == "unlikely"  # no risk threshold for the authority notice
    [notice] = required(d, "eprivacy", "notify_authority")
    assert notice.due_at - facts.detected_at == timedelta(hours=24)
    assert notice.recipient.country == "LU" and notice.due_kind == "deadline"
    assert not required(d, "eprivacy", "notify_data_subjects")


def test_eprivacy_replaces_gdpr_for_communications_data(rules) -> None:
    facts = make_facts(organisation=LU_ECS, ecs_data=True, data_categories=["traffic_data"])
    d = assess(facts, rules, NOW)
    assert required(d, "eprivacy", "notify_authority")
    assert not required(d, "gdpr", "notify_authority")
    [gdpr] = [o for o in listed(d, "gdpr") if o.duty == "notify_authority"]
    assert "Art. 95" in gdpr.reason


def test_non_ecs_data_at_a_telecom_provider_goes_the_gdpr_route(rules) -> None:
    d = assess(make_facts(organisation=LU_ECS, ecs_data=False), rules, NOW)
    assert required(d, "gdpr", "notify_authority")
    assert not listed(d, "eprivacy")


def test_mixed_incident_goes_both_routes_outside_germany(rules) -> None:
    facts = make_facts(organisation=LU_ECS, ecs_data=True, non_ecs_data=True)
    d = assess(facts, rules, NOW)
    assert required(d, "eprivacy", "notify_authority") and required(d, "gdpr", "notify_authority")
    assert any("Mixed incident" in w for w in d.warnings)


def test_mixed_incident_in_germany_is_telecom_only(rules) -> None:
    de = {
        **LU_ECS,
        "id": "de-voip",
        "establishments": [{"country": "DE"}],
        "main_establishment": "DE",
    }
    facts = make_facts(
        organisation=de,
        ecs_data=True,
        subjects={"count": 50, "kinds": ["customers", "employees"], "countries": ["DE"]},
    )
    d = assess(facts, rules, NOW)
    assert not required(d, "gdpr", "notify_authority")
    names = sorted(o.recipient.authority_id for o in required(d, "eprivacy", "notify_authority"))
    assert names == ["de-bfdi", "de-bnetza"]  # § 169 TKG: both
    assert any("telecom notification alone" in w for w in d.warnings)


def test_eprivacy_follow_up_within_three_days_of_the_initial_notice(rules) -> None:
    facts = make_facts(
        organisation=LU_ECS,
        ecs_data=True,
        subjects={"count": None, "kinds": [], "countries": ["LU"]},
    )
    [follow] = required(assess(facts, rules, NOW), "eprivacy", "follow_up")
    assert follow.due_at - facts.detected_at == timedelta(hours=24 + 72)


def test_eprivacy_subscriber_notice_and_its_encryption_exemption(rules) -> None:
    d = assess(make_facts(organisation=LU_ECS, ecs_data=True), rules, NOW)
    assert required(d, "eprivacy", "notify_data_subjects")
    facts = make_facts(
        organisation=LU_ECS,
        ecs_data=True,
        protection="encrypted",
        protection_state_of_the_art=True,
        key_compromised=False,
        risk_override={"level": "high", "justification": "the authority disagrees"},
    )
    [duty] = [
        o for o in listed(assess(facts, rules, NOW), "eprivacy") if o.duty == "notify_data_subjects"
    ]
    assert (duty.status, duty.exemption) == ("exempt", "encryption")


def test_unkeyed_hash_warning_for_telecom(rules) -> None:
    d = assess(make_facts(organisation=LU_ECS, ecs_data=True, protection="hashed"), rules, NOW)
    assert any("keyed cryptographic hash" in w for w in d.warnings)


def test_unconfirmed_rules_are_flagged_in_warnings(rules) -> None:
    d = assess(make_facts(organisation=LU_ECS, ecs_data=True), rules, NOW)
    [notice] = required(d, "eprivacy", "notify_authority")
    assert any(
        w.startswith(f"Not yet confirmed ({notice.basis.split('; Law')[0]})") for w in d.warnings
    )
    assert any(w.startswith("Not yet confirmed for LU: ") for w in d.warnings)


def test_the_worked_telecom_case_routes_to_every_country_of_service(rules) -> None:
    facts = make_facts(
        organisation="mixvoip",
        ecs_data=True,
        subjects={"count": 12000, "kinds": ["customers"], "countries": ["LU", "BE", "DE"]},
    )
    d = assess(facts, rules, NOW)
    countries = {o.recipient.country for o in required(d, "eprivacy", "notify_authority")}
    assert countries == {"LU", "BE", "DE"}


# --- routing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("countries", "expected"),
    [
        (["LU", "BE", "DE"], ["BE", "DE", "LU"]),
        (["BE"], ["BE"]),
        (["FR"], ["LU"]),  # hit only outside: the main establishment informs the others
        ([], ["BE", "DE", "LU"]),  # unknown: every country of service (cautious)
    ],
)
def test_service_countries(rules, countries, expected) -> None:
    facts = make_facts(
        organisation="mixvoip", subjects={"count": 5, "kinds": [], "countries": countries}
    )
    assert countries_of_service(Geography.of(facts, rules.profiles["mixvoip"])) == expected


# --- NIS2 ---------------------------------------------------------------------------------


def test_nis2_clocks_for_a_significant_incident(rules) -> None:
    facts = make_facts(organisation=LU_ECS, significant_incident=True)
    d = assess(facts, rules, NOW)
    [early] = required(d, "nis2", "early_warning")
    [notification] = required(d, "nis2", "incident_notification")
    [final] = required(d, "nis2", "final_report")
    assert early.due_at - facts.awareness == timedelta(hours=24)
    assert notification.due_at - facts.awareness == timedelta(hours=72)
    assert final.due_at == add_months(notification.due_at, 1)
    assert early.recipient.authority_id == "lu-ilr"
    [intermediate] = [o for o in listed(d, "nis2") if o.duty == "follow_up"]
    assert intermediate.status == "not_required" and "asks" in intermediate.reason


def test_nis2_final_report_is_calendar_month(rules) -> None:
    facts = make_facts(
        organisation=LU_ECS,
        significant_incident=True,
        detected_at="2026-01-28T09:00:00+00:00",
        aware_at="2026-01-28T09:00:00+00:00",
    )
    [final] = required(assess(facts, rules, NOW), "nis2", "final_report")
    assert final.due_at == datetime(2026, 2, 28, 9, 0, tzinfo=UTC)  # 31 Jan + 1 month


def test_nis2_not_significant_means_no_report_and_unknown_is_cautious(rules) -> None:
    d = assess(make_facts(organisation=LU_ECS, significant_incident=False), rules, NOW)
    assert not required(d, "nis2", "early_warning")
    d = assess(make_facts(organisation=LU_ECS, significant_incident=None), rules, NOW)
    assert required(d, "nis2", "early_warning")
    assert any("significant incident under NIS2" in w for w in d.warnings)


def test_nis2_in_germany_goes_to_bnetza_and_bsi(rules) -> None:
    de = {**LU_ECS, "establishments": [{"country": "DE"}], "main_establishment": "DE"}
    d = assess(
        make_facts(
            organisation=de,
            significant_incident=True,
            subjects={"count": 5, "kinds": [], "countries": ["DE"]},
        ),
        rules,
        NOW,
    )
    ids = sorted(o.recipient.authority_id for o in required(d, "nis2", "early_warning"))
    assert ids == ["de-bnetza", "de-bsi"]


def test_nis2_does_not_apply_outside_scope(rules) -> None:
    d = assess(make_facts(significant_incident=True), rules, NOW)  # nis2 = none
    assert not listed(d, "nis2")
    assert any(t.rule == "nis2.applies" and t.result == "false" for t in d.trace)


def test_nis2_country_without_directory_entry_still_has_a_recipient(rules) -> None:
    # the shipped directory covers every EEA country: take Austria's NIS2 bodies out of a copy
    directory = rules.authorities
    bare = type(directory)(
        authorities=[
            a for a in directory.authorities if not (a.country == "AT" and "nis2" in a.regimes)
        ],
        entry_points=[p for p in directory.entry_points if p.country != "AT"],
        national_laws=directory.national_laws,
    )
    without_at = type(rules)(**{**dict(rules), "authorities": bare})
    at = {**LU_ECS, "establishments": [{"country": "AT"}], "main_establishment": "AT"}
    [early] = required(
        assess(
            make_facts(
                organisation=at,
                significant_incident=True,
                subjects={"count": 5, "kinds": [], "countries": ["AT"]},
            ),
            without_at,
            NOW,
        ),
        "nis2",
        "early_warning",
    )
    assert early.recipient.country == "AT" and "CSIRT" in early.recipient.name


# --- UK -----------------------------------------------------------------------------------

UK_ECS = {
    "id": "uk-voip",
    "name": "UK VoIP Ltd",
    "establishments": [{"country": "GB"}],
    "ecs_provider": True,
    "nis2": "none",
}


def test_uk_gdpr_72_hours_to_the_ico(rules) -> None:
    org = {**UK_ECS, "ecs_provider": False}
    facts = make_facts(organisation=org, subjects={"count": 50, "kinds": [], "countries": ["GB"]})
    d = assess(facts, rules, NOW)
    [ico] = required(d, "uk_gdpr", "notify_authority")
    assert ico.recipient.authority_id == "gb-ico" and ico.due_at - facts.awareness == timedelta(
        hours=72
    )
    assert not required(d, "gdpr", "notify_authority")


@pytest.mark.parametrize(
    ("detected", "aware", "hours_from", "hours"),
    [
        ("2025-08-19T10:00:00+01:00", "2025-08-19T16:00:00+01:00", "detection", 24),
        ("2025-08-20T10:00:00+01:00", "2025-08-20T16:00:00+01:00", "awareness", 72),
        ("2025-08-19T23:30:00+00:00", "2025-08-21T09:00:00+01:00", "detection", 24),
    ],
)
def test_pecr_deadline_changed_on_20_august_2025(rules, detected, aware, hours_from, hours) -> None:
    facts = make_facts(
        organisation=UK_ECS,
        ecs_data=True,
        detected_at=detected,
        aware_at=aware,
        subjects={"count": 50, "kinds": [], "countries": ["GB"]},
    )
    d = assess(facts, rules, NOW)
    [pecr] = required(d, "pecr", "notify_authority")
    start = facts.detected_at if hours_from == "detection" else facts.awareness
    assert pecr.due_at - start == timedelta(hours=hours)
    assert pecr.rule == "pecr.notify_authority"
    assert pecr.rule_version == ("2025-08-20" if hours == 72 else "2013-08-25")
    assert not required(d, "uk_gdpr", "notify_authority")  # PECR takes its place


# --- Switzerland --------------------------------------------------------------------------

CH_ORG = {
    "id": "ch",
    "name": "CH Telefonie AG",
    "establishments": [{"country": "CH"}],
    "nis2": "none",
}


def test_fadp_reports_only_high_risk_as_soon_as_possible(rules) -> None:
    high = make_facts(
        organisation=CH_ORG,
        data_categories=["special_category"],
        subjects={"count": 10, "kinds": [], "countries": ["CH"]},
    )
    [fdpic] = required(assess(high, rules, NOW), "ch_fadp", "notify_authority")
    assert fdpic.due_kind == "without_undue_delay" and fdpic.recipient.authority_id == "ch-fdpic"
    low = make_facts(
        organisation=CH_ORG,
        confidentiality="known_recipients",
        malicious=False,
        subjects={"count": 10, "kinds": [], "countries": ["CH"]},
    )
    assert not required(assess(low, rules, NOW), "ch_fadp", "notify_authority")


def test_fadp_processor_reports_to_controller(rules) -> None:
    facts = make_facts(
        organisation=CH_ORG,
        role="processor",
        controllers=[{"name": "Kunde AG"}],
        subjects={"count": 10, "kinds": [], "countries": ["CH"]},
    )
    assert required(assess(facts, rules, NOW), "ch_fadp", "notify_controller")


# --- Georgia ------------------------------------------------------------------------------


def test_georgia_72_hours_after_identification(rules) -> None:
    facts = make_facts(
        organisation="diflex", subjects={"count": 400, "kinds": [], "countries": ["GE"]}
    )
    d = assess(facts, rules, NOW)
    [pdps] = required(d, "ge_pdp", "notify_authority")
    assert pdps.due_at - facts.detected_at == timedelta(hours=72)  # identification, not awareness
    assert pdps.recipient.authority_id == "ge-pdps"
    assert required(d, "ge_pdp", "document")


def test_georgia_unlikely_damage_is_register_only(rules) -> None:
    facts = make_facts(
        organisation="diflex",
        confidentiality="trusted_recipient",
        exfiltration="none",
        malicious=False,
    )
    d = assess(facts, rules, NOW)
    assert not required(d, "ge_pdp", "notify_authority") and required(d, "ge_pdp", "document")


def test_several_regimes_side_by_side(rules) -> None:
    facts = make_facts(
        organisation="diflex", subjects={"count": 400, "kinds": [], "countries": ["GE", "DE", "GB"]}
    )
    d = assess(facts, rules, NOW)
    regimes = {
        o.regime for o in d.obligations if o.status == "required" and o.duty == "notify_authority"
    }
    assert regimes == {"ge_pdp", "gdpr", "uk_gdpr"}
