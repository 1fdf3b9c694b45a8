"""Telecom and recipient correctness: the ePrivacy position apart from the GDPR role,
subscriber-account data, recipients who kept the data, one NIS2 notification per national
entry point, national law cited. Each test names the law that decides it."""

from __future__ import annotations

import re
import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from breach.engine import assess
from breach.model import Decision, Obligation
from breach.rules import RuleSet, rules_dir

from ..conftest import NOW, make_facts

BE_NL_PBX = {
    "id": "pbx",
    "name": "Hosted PBX B.V.",
    "establishments": [{"country": "NL", "entity": "Hosted PBX B.V."}],
    "main_establishment": "NL",
    "ecs_provider": True,
    "nis2": "important",
}


def provider(country: str) -> dict[str, Any]:
    return {
        "id": f"voip-{country.lower()}",
        "name": f"VoIP {country}",
        "establishments": [{"country": country}],
        "main_establishment": country,
        "ecs_provider": True,
        "nis2": "important",
    }


def required(decision: Decision, regime: str, duty: str) -> list[Obligation]:
    return [
        o
        for o in decision.obligations
        if (o.regime, o.duty, o.status) == (regime, duty, "required")
    ]


def duty(decision: Decision, rule: str) -> Obligation:
    [found] = [o for o in decision.obligations if o.id == rule]
    return found


def hosted_pbx(**overrides: Any) -> Any:
    """The issue's scenario: voicemail and call records of business customers' users."""
    facts: dict[str, Any] = {
        "organisation": BE_NL_PBX,
        "role": "processor",
        "ecs_data": True,
        "ecs_position": "provider",
        "detected_at": "2026-06-10T14:00:00+02:00",
        "aware_at": "2026-06-10T16:00:00+02:00",
        "confidentiality": "unknown_recipients",
        "exfiltration": "confirmed",
        "malicious": True,
        "protection": "none",
        "data_categories": ["communications_content", "traffic_data", "contact"],
        "subjects": {"count": 3200, "kinds": ["customers"], "countries": ["NL", "BE"]},
        "significant_incident": False,
        "controllers": [
            {"name": "Acme BV", "contact": "privacy@acme.example", "notice_hours": 12},
            {"name": "Beta NV", "contact": "dpo@beta.example"},
        ],
        **overrides,
    }
    return make_facts(**facts)


def test_a_hosted_pbx_provider_is_the_provider_and_a_gdpr_processor(rules: RuleSet) -> None:
    """611/2013 Art. 2(2), 3: the provider of the public service (holding the subscriber
    contracts) notifies the authority within 24 h of detection and tells the subscribers;
    GDPR Art. 33(2), 28(3)(f), 95: as processor it still informs each controller, because
    ePrivacy puts no duty with the same objective on it towards them."""
    facts = hosted_pbx()
    d = assess(facts, rules, NOW)
    [authority] = required(d, "eprivacy", "notify_authority")
    assert authority.recipient and authority.recipient.country == "NL"
    assert authority.due_at == facts.detected_at + timedelta(hours=24)
    assert required(d, "eprivacy", "notify_data_subjects")
    controllers = required(d, "gdpr", "notify_controller")
    assert {c.recipient.name for c in controllers if c.recipient} == {"Acme BV", "Beta NV"}
    acme, beta = sorted(controllers, key=lambda c: c.id)
    assert acme.due_at == facts.awareness + timedelta(hours=12)  # the contract's hours
    assert beta.due_at == facts.awareness + timedelta(hours=24)  # the rule set's default
    assert all("72 hours" in c.reason and "24 hours" not in c.reason for c in controllers)
    assert not [o for o in d.obligations if o.rule == "eprivacy.notify_controller"]
    assert not required(d, "gdpr", "notify_authority")
    assert any("each controller customer must still be told" in w for w in d.warnings)


def test_a_wholesale_sub_provider_informs_the_contracting_provider_only(rules: RuleSet) -> None:
    """611/2013 Art. 5: a provider delivering part of another's service, without a contract
    with its subscribers, informs the contracting provider immediately; the authority and
    subscriber notices are that provider's. GDPR Art. 95: the same-objective duty replaces
    the processor's Art. 33(2) notice."""
    facts = make_facts(
        organisation=provider("LU"),
        role="processor",
        ecs_data=True,
        ecs_position="sub_provider",
        data_categories=["traffic_data"],
        controllers=[{"name": "Retail Telco S.A.", "contact": "noc@retail.example"}],
    )
    d = assess(facts, rules, NOW)
    [inform] = required(d, "eprivacy", "notify_controller")
    assert inform.recipient and inform.recipient.name == "Retail Telco S.A."
    assert inform.basis.startswith("Regulation (EU) 611/2013 Art. 5")
    for rule in ("eprivacy.notify_authority.LU", "eprivacy.notify_data_subjects"):
        assert duty(d, rule).status == "not_required"
        assert "Art. 5" in duty(d, rule).reason
    gdpr = duty(d, "gdpr.notify_controller.retail_telco_s_a")
    assert gdpr.status == "not_required" and "Art. 95" in gdpr.reason


def test_an_unknown_position_is_assessed_as_the_provider_with_a_warning(rules: RuleSet) -> None:
    """611/2013 Art. 2-3 and 5: the cautious answer is that the duties to the authority and
    the subscribers are yours; the warning says what to check."""
    d = assess(hosted_pbx(ecs_position=None), rules, NOW)
    assert required(d, "eprivacy", "notify_authority")
    assert required(d, "eprivacy", "notify_data_subjects")
    assert any(w.startswith("Whether you provide the communications service") for w in d.warnings)
    known = assess(hosted_pbx(), rules, NOW)
    assert not any("Whether you provide the communications" in w for w in known.warnings)


def test_a_subscriber_account_breach_goes_both_routes_unless_the_country_settles_it(
    rules: RuleSet,
) -> None:
    """GDPR Art. 95 and Directive 2002/58/EC Art. 4: authorities differ on whether a
    telecom provider's customer-account data follows the telecom rules; without a national
    rule both routes are required, the 24-hour notice first. Germany settles it (§ 169 TKG
    covers subscriber data, per BfDI and BNetzA): the telecom route alone."""
    account = {"ecs_data": True, "data_categories": ["identity", "contact", "financial"]}
    lu = assess(make_facts(organisation=provider("LU"), **account), rules, NOW)
    [telecom] = required(lu, "eprivacy", "notify_authority")
    [gdpr] = required(lu, "gdpr", "notify_authority")
    assert telecom.due_at and gdpr.due_at and telecom.due_at < gdpr.due_at
    assert any(w.startswith("Subscriber-account data only") for w in lu.warnings)
    de = assess(
        make_facts(
            organisation=provider("DE"),
            subjects={"count": 50, "kinds": ["customers"], "countries": ["DE"]},
            **account,
        ),
        rules,
        NOW,
    )
    assert required(de, "eprivacy", "notify_authority")
    assert not required(de, "gdpr", "notify_authority")
    assert not any(w.startswith("Subscriber-account data only") for w in de.warnings)
    calls = assess(
        make_facts(organisation=provider("LU"), ecs_data=True, data_categories=["traffic_data"]),
        rules,
        NOW,
    )
    assert not required(calls, "gdpr", "notify_authority")  # communications data: ePrivacy


def misdirected(**overrides: Any) -> Decision:
    """A spreadsheet with ID-card numbers e-mailed to the wrong customer (a stranger)."""
    facts = make_facts(
        confidentiality="known_recipients",
        exfiltration="none",
        malicious=False,
        data_categories=["identity", "national_id"],
        subjects={"count": 40, "kinds": ["customers"], "countries": ["LU"]},
        **overrides,
    )
    return assess(facts, rules_for_test(), NOW)


def rules_for_test() -> RuleSet:
    from breach.rules import load_rules

    return load_rules()


def test_a_recipient_who_kept_national_ids_makes_fraud_likely() -> None:
    """EDPB Guidelines 9/2022 para 110-113 and 01/2021 case 14: national identifiers in the
    hands of a recipient who has not confirmed deleting them make identity fraud likely; the
    'identified recipients can be asked to delete' reduction (01/2021 cases 13-16) needs the
    deletion confirmed."""
    kept = misdirected(recipient_deleted=False)
    unconfirmed = misdirected()
    deleted = misdirected(recipient_deleted=True)
    for decision in (kept, unconfirmed):
        rules_hit = {t.rule for t in decision.trace}
        assert "edpb.fraud" in rules_hit and "edpb.accidental_known_recipient" not in rules_hit
        assert decision.risk == "high"
    assert any("not confirmed: assessed as if they kept it" in w for w in unconfirmed.warnings)
    hit = {t.rule for t in deleted.trace}
    assert "edpb.accidental_known_recipient" in hit and "edpb.fraud" not in hit
    assert deleted.risk == "risk"
    fraud = next(t for t in kept.trace if t.rule == "edpb.fraud")
    assert "EDPB Guidelines 9/2022" in fraud.because and "01/2021" in fraud.because


def test_nis2_goes_once_to_each_national_entry_point_and_says_why(rules: RuleSet) -> None:
    """NIS2 Art. 23(1): the entity notifies its CSIRT or, where applicable, its competent
    authority, as the country designates: one notification per entry point (NL: the NCSC's
    portal, which informs the RDI; DE: § 168 TKG names both BNetzA and BSI)."""
    nl = assess(hosted_pbx(significant_incident=True), rules, NOW)
    [early] = required(nl, "nis2", "early_warning")
    assert early.id == "nis2.early_warning.NL"
    assert early.recipient and early.recipient.authority_id == "nl-ncsc"
    assert "it informs the Dutch Authority for Digital Infrastructure" in early.reason
    [why] = [t for t in nl.trace if t.rule == "nis2.early_warning.NL.recipient"]
    assert "Cyberbeveiligingswet" in why.because
    de = assess(
        make_facts(
            organisation=provider("DE"),
            significant_incident=True,
            subjects={"count": 50, "kinds": ["customers"], "countries": ["DE"]},
        ),
        rules,
        NOW,
    )
    ids = {o.recipient.authority_id for o in required(de, "nis2", "early_warning") if o.recipient}
    assert ids == {"de-bnetza", "de-bsi"}


def test_every_telecom_duty_cites_the_national_law(rules: RuleSet) -> None:
    """Directive 2002/58/EC Art. 4 as transposed: LU Law of 30 May 2005, DE § 169 TKG, BE
    WEC Art. 114/1, NL Telecommunicatiewet art. 11.3a, FR loi Informatique et Libertés
    art. 85, cited beside Regulation 611/2013 in the basis and the reason."""
    laws = {
        "LU": "Law of 30 May 2005",
        "DE": "§ 169 TKG",
        "BE": "WEC/LCE Art. 114/1",
        "NL": "Telecommunicatiewet art. 11.3a",
        "FR": "loi Informatique et Libertés art. 85",
    }
    for country, law in laws.items():
        facts = make_facts(
            organisation=provider(country),
            ecs_data=True,
            data_categories=["traffic_data"],
            subjects={"count": 50, "kinds": ["customers"], "countries": [country]},
        )
        d = assess(facts, rules, NOW)
        telecom = [o for o in d.obligations if o.regime == "eprivacy" and o.status == "required"]
        assert telecom
        for obligation in telecom:
            assert law in obligation.basis, (country, obligation.id)
        for notice in required(d, "eprivacy", "notify_authority"):
            assert law in notice.reason


def test_a_warning_about_national_law_names_only_the_incident_s_countries(rules: RuleSet) -> None:
    """The Dutch and French NIS2 laws' open points are not warned of for a Belgian incident."""
    d = assess(
        make_facts(
            organisation=provider("BE"),
            significant_incident=True,
            subjects={"count": 50, "kinds": ["customers"], "countries": ["BE"]},
        ),
        rules,
        NOW,
    )
    assert required(d, "nis2", "early_warning")
    text = " ".join(d.warnings)
    for other in ("Netherlands", "Dutch", "French", "Luxembourg", "for NL", "for FR", "for LU"):
        assert other not in text


def test_what_users_see_cites_sources_not_unshipped_files() -> None:
    """Reasons, warnings, notes and sources cite articles, guidelines and URLs, never the
    reference notes the rule set was compiled from (they are not shipped)."""

    def strings(value: Any) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    for path in Path(rules_dir()).rglob("*.toml"):
        for text in strings(tomllib.loads(path.read_text(encoding="utf-8"))):
            assert "regimes.md" not in text and "enisa.md" not in text, (path.name, text)
            assert not re.search(r"(?<![\w.])law/\w+\.md", text), (path.name, text)


def test_the_facts_schema_explains_the_position_and_the_recipient_fields() -> None:
    from breach.model import Facts

    properties = Facts.model_json_schema(by_alias=True)["properties"]
    assert "sub_provider" in properties["ecs_position"]["description"]
    assert "confirmed" in properties["recipient_deleted"]["description"]
    assert "established relationship" in properties["confidentiality"]["description"]


def test_detection_anchors_the_telecom_clock(rules: RuleSet) -> None:
    """611/2013 Art. 2(2): 24 hours from detection, not awareness."""
    facts = hosted_pbx(aware_at="2026-06-11T09:00:00+02:00")
    [notice] = required(assess(facts, rules, NOW), "eprivacy", "notify_authority")
    assert notice.due_at == datetime.fromisoformat("2026-06-11T14:00:00+02:00")
