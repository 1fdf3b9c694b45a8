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
