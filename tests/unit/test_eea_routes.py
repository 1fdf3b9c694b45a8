"""Every EEA country's telecom routes, as sourced data: a provider of public electronic
communications established there gets a named telecom authority with a contact, a named
NIS2 entry point and the national provision, and every entry cites what was read."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from breach.engine import assess
from breach.model import facts_from_data
from breach.rules import RuleSet, rules_dir
from breach.service import rulebook

from ..conftest import NOW, run_cli

EEA = (
    *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE"),
    *("IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK"),
)
URL = re.compile(r"\bhttps?://\S+")


def provider_in(country: str) -> dict[str, object]:
    """A small VoIP provider established only in ``country``, its telecom data breached."""
    return {
        "title": f"CDR export of a provider in {country}",
        "organisation": {
            "id": f"voip-{country.lower()}",
            "name": f"VoIP {country}",
            "establishments": [{"country": country}],
            "main_establishment": country,
            "ecs_provider": True,
            "nis2": "essential",
        },
        "role": "controller",
        "detected_at": "2026-11-30T08:00:00Z",
        "personal_data": True,
        "confidentiality": "unknown_recipients",
        "exfiltration": "confirmed",
        "malicious": True,
        "data_categories": ["traffic_data", "contact"],
        "subjects": {"count": 5000, "kinds": ["customers"], "countries": [country]},
        "ecs_data": True,
        "ecs_position": "provider",
        "significant_incident": True,
    }


def test_the_list_is_the_eea() -> None:
    assert len(EEA) == 30 and len(set(EEA)) == 30


@pytest.mark.parametrize("country", EEA)
def test_a_provider_established_there_gets_every_route(rules: RuleSet, country: str) -> None:
    decision = assess(facts_from_data(provider_in(country)), rules, NOW)
    by_rule: dict[str, list] = {}
    for ob in decision.obligations:
        if ob.status == "required":
            by_rule.setdefault(ob.rule, []).append(ob)
    telecom = by_rule.get("eprivacy.notify_authority", [])
    assert telecom, f"{country}: no telecom breach notice"
    for ob in telecom:
        assert ob.recipient and ob.recipient.authority_id, f"{country}: {ob.recipient}"
        assert (
            ob.recipient.contact
            and URL.match(ob.recipient.contact)
            or "@" in str(ob.recipient.contact)
        ), f"{country}: no contact for {ob.recipient.name}"
    law = rules.authorities.national_law("eprivacy", country)
    assert law is not None, f"{country}: no national ePrivacy provision"
    assert all(law.citation in ob.basis for ob in telecom), (country, telecom[0].basis)
    early = by_rule.get("nis2.early_warning", [])
    assert early, f"{country}: no NIS2 early warning"
    for ob in early:
        assert ob.recipient and ob.recipient.authority_id, f"{country}: NIS2 {ob.recipient}"
    assert rules.authorities.entry_points_of("nis2", country), f"{country}: no NIS2 entry point"
    assert rules.authorities.national_law("nis2", country) is not None, f"{country}: NIS2 law"


def test_every_entry_cites_what_was_read(rules: RuleSet) -> None:
    directory = rules.authorities
    entries = [*directory.authorities, *directory.entry_points, *directory.national_laws]
    for entry in entries:
        assert URL.search(entry.source), entry


@pytest.mark.parametrize("country", EEA)
def test_authorities_shows_the_country_routes(rules: RuleSet, country: str) -> None:
    regimes = {route["regime"]: route for route in rulebook.routes(rules, country)}
    assert {"gdpr", "eprivacy", "nis2"} <= set(regimes), country
    assert regimes["eprivacy"]["authorities"] and regimes["eprivacy"]["law"]
    assert regimes["nis2"]["because"], country  # a designated entry point, with why


@pytest.mark.parametrize("table", ["authorities", "entry_points", "national_laws"])
def test_rules_check_fails_on_an_entry_that_does_not_say_when_it_was_read(
    tmp_path, capsys: pytest.CaptureFixture[str], table: str
) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(rules_dir(), copy)
    path = copy / "authorities.toml"
    text = path.read_text(encoding="utf-8")
    entry = re.search(rf"^\[\[{table}\]\]\n(?:.+\n)*?(last_verified = .*\n)", text, re.M)
    assert entry is not None
    path.write_text(text[: entry.start(1)] + text[entry.end(1) :], encoding="utf-8")
    code, _, err = run_cli(capsys, "rules", "check", str(copy))
    assert code == 2 and "authorities.toml:" in err and "last_verified" in err, err


def test_rules_check_fails_on_an_entry_without_a_source(
    tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(rules_dir(), copy)
    path = copy / "authorities.toml"
    text = path.read_text(encoding="utf-8")
    first = re.search(r"^\[\[national_laws\]\]\n(?:.+\n)*?source = (\".*\")$", text, re.M)
    assert first is not None
    path.write_text(text.replace(first.group(1), '"read somewhere"', 1), encoding="utf-8")
    line = text[: first.start(1)].count("\n") + 1
    code, _, err = run_cli(capsys, "rules", "check", str(copy))
    assert code == 2
    assert f"authorities.toml:{line}:" in err and "URL" in err, err
    assert len(err.strip().splitlines()) == 1


def test_an_unconfirmed_recipient_is_a_warning_when_used(rules: RuleSet) -> None:
    # no source names Slovakia's telecom recipient: the DPA is listed, and the decision says so
    decision = assess(facts_from_data(provider_in("SK")), rules, NOW)
    [telecom] = [o for o in decision.obligations if o.rule == "eprivacy.notify_authority"]
    assert telecom.recipient is not None and telecom.recipient.authority_id == "sk-uoou"
    assert any(
        w.startswith("Not yet confirmed for SK:") and "cautious" in w for w in decision.warnings
    )


def test_open_details_of_recipients_are_one_warning(rules: RuleSet) -> None:
    facts = provider_in("DE")
    decision = assess(facts_from_data(facts), rules, NOW)
    found = [w for w in decision.warnings if w.startswith("Some details of the directory entries")]
    assert len(found) == 1
    assert "Federal Network Agency (DE)" in found[0] and "breach authorities DE" in found[0]


def test_authorities_country_prints_its_routes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "authorities", "hu")
    assert code == 0
    assert out.startswith("HU: where a provider established in HU files")
    assert "Telecom personal data breach" in out and "National Media and Infocommunications" in out
    assert "law: " in out and "source (read " in out
    code, out, _ = run_cli(capsys, "authorities", "HU", "--json")
    data = json.loads(out)
    assert data["country"] == "HU" and {r["regime"] for r in data["routes"]} >= {"eprivacy", "nis2"}
