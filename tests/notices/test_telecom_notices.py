"""Notices to the party a telecom provider informs: a controller customer (GDPR Art. 33(2))
or the contracting provider of a sub-provider (Regulation 611/2013 Art. 5), each told its
own deadline."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from .conftest import Runner, open_incident, processor_facts

LANGUAGES = ["en", "nl", "fr", "de"]
#: how each language writes the contracting provider's 24 hours and "611/2013 Art. 5"
HOURS_24 = {"en": "24 hours", "nl": "24 uur", "fr": "24 heures", "de": "24 Stunden"}
HOURS_72 = {"en": "72 hours", "nl": "72 uur", "fr": "72 heures", "de": "72 Stunden"}
ARTICLE_5 = {"en": "611/2013 Art. 5", "nl": "611/2013, art. 5", "fr": "611/2013, art. 5",
             "de": "611/2013 Art. 5"}  # fmt: skip


@pytest.fixture(scope="module")
def telecom_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BR-2026-0001: a hosted-PBX provider (provider, processor); -0002: a sub-provider."""
    db = tmp_path_factory.mktemp("telecom") / "breach.db"
    opened = datetime(2026, 6, 10, 15, tzinfo=UTC)
    pbx = {**processor_facts(), "ecs_data": True, "ecs_position": "provider"}
    wholesale = {
        **processor_facts(),
        "ecs_data": True,
        "ecs_position": "sub_provider",
        "data_categories": ["traffic_data"],
        "controllers": [{"name": "Retail Telco B.V.", "contact": "noc@retail.example"}],
    }
    assert open_incident(db, pbx, opened) == "BR-2026-0001"
    assert open_incident(db, wholesale, opened) == "BR-2026-0002"
    return db


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_controller_customer_is_told_its_own_72_hours(
    telecom_db: Path, cli: Runner, lang: str
) -> None:
    code, out, err = cli(
        "--db", str(telecom_db), "notice", "BR-2026-0001", "controller", "--lang", lang,
        "--now", "2026-06-10T16:00:00Z",
    )  # fmt: skip
    assert code == 0, err
    assert HOURS_72[lang] in out and HOURS_24[lang] not in out
    assert ARTICLE_5[lang] not in out


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_contracting_provider_is_told_its_24_hours(
    telecom_db: Path, cli: Runner, lang: str
) -> None:
    code, out, err = cli(
        "--db", str(telecom_db), "notice", "BR-2026-0002", "controller", "--lang", lang,
        "--now", "2026-06-10T16:00:00Z",
    )  # fmt: skip
    assert code == 0, err
    assert HOURS_24[lang] in out and HOURS_72[lang] not in out
    assert ARTICLE_5[lang] in out
    assert "Retail Telco B.V." in out


def _provider_in(country: str, languages: list[str]) -> dict[str, object]:
    return {
        "title": f"CDR export of a provider in {country}",
        "organisation": {
            "id": f"voip-{country.lower()}",
            "name": f"VoIP {country}",
            "establishments": [{"country": country}],
            "main_establishment": country,
            "ecs_provider": True,
            "languages": languages,
        },
        "role": "controller",
        "detected_at": "2026-06-10T08:00:00Z",
        "personal_data": True,
        "confidentiality": "unknown_recipients",
        "exfiltration": "confirmed",
        "data_categories": ["traffic_data"],
        "subjects": {"count": 500, "kinds": ["customers"], "countries": [country]},
        "ecs_data": True,
        "ecs_position": "provider",
    }


def test_an_authority_notice_is_drafted_in_a_language_it_accepts(
    tmp_path: Path, cli: Runner
) -> None:
    # an Austrian provider whose own language is English: the DSB takes German
    db = tmp_path / "breach.db"
    incident = open_incident(db, _provider_in("AT", ["en"]))
    code, out, err = cli(
        "--db", str(db), "notice", incident, "authority",
        "--recipient", "eprivacy.notify_authority.AT", "--now", "2026-06-10T09:00:00Z",
    )  # fmt: skip
    assert code == 0, err
    assert "Rechtsgrundlage" in out and "have it translated" not in err


def test_a_notice_in_a_language_the_authority_does_not_take_says_so(
    tmp_path: Path, cli: Runner
) -> None:
    # Hungary's NMHH takes Hungarian; there is no Hungarian template: warn, never hide it
    db = tmp_path / "breach.db"
    incident = open_incident(db, _provider_in("HU", ["en"]))
    code, out, err = cli(
        "--db", str(db), "notice", incident, "authority",
        "--recipient", "eprivacy.notify_authority.HU", "--now", "2026-06-10T09:00:00Z",
    )  # fmt: skip
    assert code == 0, err
    assert "National Media and Infocommunications Authority" in out
    assert "Eht." in out  # the national law beside the EU act
    assert "accepts notifications in hu" in err and "have it translated" in err
