"""Particulars in notices: filled when known, marked in the letter's language when not;
notices for duties that do not exist refused; a notice with markers not sent unasked;
reasons for a delay printed; the stage and basis of each notice right."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import (
    CONTROLLER_FACTS,
    NOW,
    TZ,
    Runner,
    complete_controller_facts,
    open_incident,
)

ENGLISH_MARKER = "to be confirmed"
MARKERS = {"nl": "[nog te bevestigen]", "fr": "[à confirmer]", "de": "[noch zu bestätigen]"}
#: Each kind with the fixture incident (golden_db) that requires it, without and with
#: every particular, and the --now it is drafted at.
REQUIRED = {
    "authority": ("BR-2026-0001", "BR-2026-0003", NOW),
    "data_subjects": ("BR-2026-0001", "BR-2026-0003", NOW),
    "controller": ("BR-2026-0002", "BR-2026-0004", "2026-06-10T16:00:00Z"),
    "public": ("BR-2026-0005", "BR-2026-0006", NOW),
    "register": ("BR-2026-0001", "BR-2026-0003", NOW),
}


def _notice(cli: Runner, db: Path, incident: str, kind: str, now: str, *extra: str) -> Any:
    base = ("--db", str(db), "notice", incident, kind, "--now", now, "--tz", TZ)
    return cli(*base, "--format", "md", *extra)  # a later --format in extra wins


@pytest.mark.parametrize("lang", ["en", "nl", "fr", "de"])
@pytest.mark.parametrize("kind", sorted(REQUIRED))
def test_every_particular_given_leaves_no_marker(
    golden_db: Path, cli: Runner, kind: str, lang: str
) -> None:
    _, complete, now = REQUIRED[kind]
    code, out, err = _notice(cli, golden_db, complete, kind, now, "--lang", lang)
    assert code == 0, err
    assert "to be confirmed:" not in err
    assert not any(marker in out for marker in [*MARKERS.values(), f"[{ENGLISH_MARKER}]"])


@pytest.mark.parametrize("lang", sorted(MARKERS))
@pytest.mark.parametrize("kind", sorted(REQUIRED))
def test_unknowns_are_marked_in_the_letters_language(
    golden_db: Path, cli: Runner, kind: str, lang: str
) -> None:
    bare, _, now = REQUIRED[kind]
    for fmt in ("md", "text", "html"):
        code, out, err = _notice(cli, golden_db, bare, kind, now, "--lang", lang, "--format", fmt)
        assert code == 0, err
        assert MARKERS[lang] in out
        assert ENGLISH_MARKER not in out.lower()


def test_a_notice_for_a_duty_that_does_not_exist_is_refused(golden_db: Path, cli: Runner) -> None:
    code, out, err = _notice(cli, golden_db, "BR-2026-0002", "authority", NOW)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "no authority notice is due" in err and "not required" in err and "--voluntary" in err
    code, out, err = _notice(cli, golden_db, "BR-2026-0001", "public", NOW)
    assert code == 2 and "no public notice is due" in err
    code, out, err = _notice(cli, golden_db, "BR-2026-0001", "controller", NOW)
    assert code == 2 and "no duty a controller notice is for" in err
    code, out, _ = _notice(cli, golden_db, "BR-2026-0001", "public", NOW, "--voluntary")
    assert code == 0 and "The law does not require us to publish this notice" in out
    code, out, _ = _notice(
        cli, golden_db, "BR-2026-0002", "authority", NOW, "--voluntary", "--lang", "en"
    )
    assert code == 0 and out.startswith("# Voluntary notification: ")
    assert "initial notification" in out  # the notification itself, not a follow-up to it


def test_regulator_letters_cite_their_stage_and_not_our_deadlines(
    golden_db: Path, cli: Runner
) -> None:
    code, out, _ = _notice(cli, golden_db, "BR-2026-0003", "authority", NOW, "--lang", "en")
    assert code == 0 and "Deadline" not in out and "Target date" not in out
    assert "- **Type:** initial notification" in out
    code, out, _ = _notice(
        cli, golden_db, "BR-2026-0003", "authority", NOW, "--phase", "follow-up", "--lang", "en"
    )
    assert "- **Legal basis:** GDPR Art. 33(4)" in out and "Art. 33(1)" not in out.split("##")[0]
    for duty, title in (
        ("nis2.incident_notification.LU", "NIS2 incident notification"),
        ("nis2.final_report.LU", "NIS2 final report"),
        ("nis2.early_warning.LU", "NIS2 early warning"),
    ):
        code, out, err = _notice(
            cli, golden_db, "BR-2026-0003", "authority", NOW,
            "--recipient", duty, "--voluntary", "--lang", "en",
        )  # fmt: skip
        assert code == 0, err
        assert title in out.splitlines()[0] and "initial notification" not in out


def test_a_telecom_follow_up_cites_611_2013(tmp_path: Path, cli: Runner) -> None:
    db = tmp_path / "b.db"
    facts = {**complete_controller_facts(), "ecs_data": True, "occurred_at": None}
    open_incident(db, facts)
    code, out, err = cli("--db", str(db), "show", "BR-2026-0001", "--now", NOW)
    assert "[REQUIRED] eprivacy.follow_up.LU" in out  # Annex I asks the time of the incident
    code, out, _ = _notice(
        cli, db, "BR-2026-0001", "authority", NOW, "--recipient", "eprivacy.follow_up.LU",
        "--lang", "en",
    )  # fmt: skip
    assert code == 0 and "- **Legal basis:** Regulation (EU) 611/2013 Art. 2(3)" in out
    assert "second notification" in out


def test_sending_a_notice_with_markers_needs_confirmation(tmp_path: Path, cli: Runner) -> None:
    db = tmp_path / "b.db"
    open_incident(db, CONTROLLER_FACTS)
    base = ("--db", str(db))
    assert cli(*base, "notice", "BR-2026-0001", "authority", "--save", "--now", NOW)[0] == 0
    code, out, err = cli(*base, "notice-sent", "BR-2026-0001", "1", "--now", NOW)
    assert code == 2 and "still reads" in err and "--confirm" in err
    assert "the person sending the notification" in err and "more" in err
    code, out, _ = cli(*base, "notice-sent", "BR-2026-0001", "1", "--confirm", "--now", NOW)
    assert code == 0 and "gdpr.notify_authority.LU done" in out


def test_a_late_notice_prints_the_delay_reason_from_the_facts(tmp_path: Path, cli: Runner) -> None:
    db = tmp_path / "b.db"
    reason = "The export logs that showed the downloads were only recovered on 18 September."
    open_incident(db, {**complete_controller_facts(), "delay_reason": reason})
    late = "2026-09-18T12:00:00Z"
    code, out, _ = _notice(cli, db, "BR-2026-0001", "authority", late, "--lang", "en", "--save")
    assert code == 0 and "## Reasons for the delay (Art. 33(1))" in out and reason in out
    code, out, err = cli("--db", str(db), "notice-sent", "BR-2026-0001", "1", "--now", late)
    assert code == 0, err  # the reason comes from the facts: nothing more to ask
    shown = json.loads(cli("--db", str(db), "show", "BR-2026-0001", "--json")[1])
    duty = next(d for d in shown["obligations"] if d["id"] == "gdpr.notify_authority.LU")
    assert duty["late_reason"] == reason


def test_letters_to_people_are_dated_signed_and_on_their_clock(
    golden_db: Path, cli: Runner
) -> None:
    code, out, _ = _notice(cli, golden_db, "BR-2026-0003", "data_subjects", NOW, "--lang", "en")
    assert code == 0
    assert "MIXVOIP Sa (Mixvoip), 14 September 2026" in out
    assert "The incident began on 9 September 2026, 11:20 CEST" in out and " UTC)" not in out
    assert "call +352 20 33 44 55" in out and "privacy@mixvoip.example" in out
    assert "Anne Weber, Security officer" in out


def test_the_encryption_is_explained_to_the_people(tmp_path: Path, cli: Runner) -> None:
    db = tmp_path / "b.db"
    facts = {
        **complete_controller_facts(),
        "protection": "encrypted",
        "protection_state_of_the_art": False,
        "key_compromised": True,
    }
    open_incident(db, facts)
    code, out, err = _notice(cli, db, "BR-2026-0001", "data_subjects", NOW, "--lang", "en")
    assert code == 0, err
    assert "The data was encrypted, but we cannot rule out that it can be read" in out
    assert "the key needed to read it was exposed too" in out


def test_facts_particulars_are_validated(tmp_path: Path, cli: Runner) -> None:
    cases = {
        "by_country": ({"subjects": {"count": 10, "by_country": {"LU": 11}}}, "more than count"),
        "period": (
            {"occurred_at": "2026-09-10T10:00:00Z", "ended_at": "2026-09-09T10:00:00Z"},
            "ended_at is before occurred_at",
        ),
        "ongoing": (
            {"ongoing": True, "ended_at": "2026-09-14T06:00:00Z"},
            "ongoing is true but ended_at is given",
        ),
        "email": ({"reporter": {"name": "A", "email": "not an address"}}, "reporter.email"),
        "kind": ({"incident_kinds": ["alien_abduction"]}, "incident_kinds"),
        "language": ({"controllers": [{"name": "A", "language": "français"}]}, "language"),
    }
    for name, (change, expected) in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps({**CONTROLLER_FACTS, **change}), encoding="utf-8")
        code, out, err = cli("assess", str(path))
        assert code == 2 and expected in err and len(err.strip().splitlines()) == 1, (name, err)


def test_by_country_adds_its_countries_to_where_people_live(tmp_path: Path, cli: Runner) -> None:
    db = tmp_path / "b.db"
    facts = {**CONTROLLER_FACTS, "subjects": {"count": 20, "by_country": {"NL": 5, "LU": 15}}}
    open_incident(db, facts)
    shown = json.loads(cli("--db", str(db), "show", "BR-2026-0001", "--json")[1])
    assert shown["facts"]["subjects"]["countries"] == ["LU", "NL"]
    code, out, _ = _notice(cli, db, "BR-2026-0001", "authority", NOW, "--lang", "en")
    assert "- **Approximate number of people affected:** 20 (LU: 15, NL: 5)" in out


def test_an_ongoing_breach_needs_a_follow_up(tmp_path: Path, cli: Runner) -> None:
    path = tmp_path / "f.json"
    data = {**complete_controller_facts(), "ended_at": None, "ongoing": True}
    path.write_text(json.dumps(data), encoding="utf-8")
    decision = json.loads(cli("assess", str(path), "--json", "--now", NOW)[1])
    follow = next(o for o in decision["obligations"] if o["id"] == "gdpr.follow_up.LU")
    assert follow["status"] == "required" and "still going on" in follow["reason"]


def test_a_controller_notice_is_scoped_to_that_customer(golden_db: Path, cli: Runner) -> None:
    now = REQUIRED["controller"][2]
    code, out, err = _notice(
        cli, golden_db, "BR-2026-0004", "controller", now,
        "--recipient", "gdpr.notify_controller.brasserie_lumi_re_sarl",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("# ") and "Brasserie Lumière SARL" in out
    assert "[à confirmer]" not in out and "40" in out and "340" not in out  # its own people
