"""The post-incident report: every worked case renders; the timeline marks late duties."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from breach.clock import fixed_clock, format_utc
from breach.notices.svg import Mark, timeline_svg
from breach.rules import load_rules
from breach.service.incidents import IncidentService
from breach.service.notices import NoticeService
from breach.store import Store

from .conftest import CONTROLLER_FACTS, OPENED, ROOT, Golden, Runner, open_incident
from .htmlcheck import assert_safe_page

SHARED = ROOT.parent / "shared" / "cases"
CASES = sorted((ROOT / "tests" / "data" / "edpb_examples").glob("*.json"))
if SHARED.is_dir():
    CASES += sorted(SHARED.glob("*.json"))
CASE_NOW = datetime(2026, 12, 1, tzinfo=UTC)
SECTIONS = [
    "Summary",
    "Timeline",
    "Facts and their versions",
    "Decisions and their reasoning",
    "Duties met or late",
    "Notices sent",
    "Lessons learned and follow-up actions",
    "Audit chain",
]


@pytest.fixture(scope="module")
def cases_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    db = tmp_path_factory.mktemp("cases") / "breach.db"
    ids = [open_incident(db, json.loads(p.read_text())["facts"], CASE_NOW) for p in CASES]
    return db, ids


@pytest.mark.parametrize("index", range(len(CASES)), ids=[p.stem for p in CASES])
def test_a_report_renders_for_each_worked_case(
    cases_db: tuple[Path, list[str]], index: int
) -> None:
    db, ids = cases_db
    with Store.open(db) as store:
        service = NoticeService(store, load_rules(), fixed_clock(CASE_NOW), "dpo")
        html = service.report(ids[index], "html")
        markdown = service.report(ids[index], "md")
    page = assert_safe_page(html.text)
    headings = [t.strip() for t in page.text if t.strip() in SECTIONS]
    assert headings == SECTIONS
    assert page.tags.count("svg") == 1 and "style" in page.tags
    assert "detected" in page.all_text and "Verified:" in page.all_text
    for section in SECTIONS:
        assert f"## {section}" in markdown.text
    assert "lessons learned and follow-up actions" in markdown.unknowns


def test_report_golden_after_a_send_and_lessons(
    tmp_path: Path, cli: Runner, check_golden: Golden
) -> None:
    """Built through the services at fixed times (the CLI records the real clock), then
    rendered by ``breach report``."""
    db = tmp_path / "breach.db"
    open_incident(db, CONTROLLER_FACTS)
    later = datetime(2026, 9, 18, 12, tzinfo=UTC)
    with Store.open(db) as store:
        rules = load_rules()
        drafting = NoticeService(
            store, rules, fixed_clock(datetime(2026, 9, 14, 11, tzinfo=UTC)), "dpo"
        )
        notice = drafting.save("BR-2026-0001", drafting.draft("BR-2026-0001", "authority"))
        sending = NoticeService(
            store, rules, fixed_clock(datetime(2026, 9, 14, 12, tzinfo=UTC)), "dpo"
        )
        sent = sending.mark_sent(
            "BR-2026-0001", notice, at=datetime(2026, 9, 14, 11, 30, tzinfo=UTC),
            reference="CNPD-2026-77", channel="e-mail",
        )  # fmt: skip
        assert sent["sent_at"] == "2026-09-14T11:30:00Z"
        IncidentService(store, rules, fixed_clock(later), "dpo").mark_done(
            "BR-2026-0001", "gdpr.document"
        )
        NoticeService(store, rules, fixed_clock(later), "dpo").set_lessons(
            "BR-2026-0001",
            "The export feature had no access control review.\n"
            "- Add the support tool to the quarterly access review (owner: IT, due 2026-10-31)\n"
            "- Alert on bulk downloads from the support tool (owner: SOC, due 2026-10-15)\n",
        )
    args = ("--db", str(db), "report", "BR-2026-0001", "--now", format_utc(later), "--tz",
            "Europe/Luxembourg")  # fmt: skip
    code, out, err = cli(*args)
    assert code == 0, err
    check_golden("report.en.md", out)
    assert "gdpr.notify_data_subjects" in out and "**OVERDUE**" not in out
    code, out, err = cli(*args, "--format", "html", "-o", str(tmp_path / "r.html"))
    assert code == 0 and out == ""
    page = assert_safe_page((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert "Alert on bulk downloads from the support tool (owner: SOC, due 2026-10-15)" in (
        page.all_text
    )
    assert "CNPD-2026-77" in page.all_text and "met on time" in page.all_text


def test_the_timeline_marks_late_ones() -> None:
    start = OPENED
    marks = [
        Mark(start, "detection", "detected"),
        Mark(start + timedelta(hours=72), "deadline", "due: gdpr.notify_authority.LU", True),
        Mark(start + timedelta(hours=80), "sent", "done: gdpr.notify_authority.LU", True),
        Mark(start + timedelta(hours=10), "event", "note <b>&"),
    ]
    svg = str(timeline_svg(marks, start + timedelta(days=5), "Europe/Luxembourg"))
    assert svg.startswith("<svg") and svg.count('class="mark deadline late"') == 1
    assert 'class="mark sent late"' in svg and "done: gdpr.notify_authority.LU — late" in svg
    assert "note &lt;b&gt;&amp;" in svg and "<b>" not in svg
    assert "report date" in svg
    assert str(timeline_svg([], start, None)) == ""


def test_the_report_says_when_a_decisive_unknown_was_answered(tmp_path: Path, cli: Runner) -> None:
    """The key was unknown, then found safe: the report names the answered question in the
    assessment that followed, with the duties it changed."""
    db = tmp_path / "breach.db"
    facts = {
        **CONTROLLER_FACTS,
        "protection": "encrypted",
        "protection_state_of_the_art": True,
        "key_compromised": None,
    }
    open_incident(db, facts)
    update = tmp_path / "key.json"
    update.write_text('{"key_compromised": false}', encoding="utf-8")
    at = "2026-09-14T14:00:00Z"
    code, _, err = cli("--db", str(db), "update", "BR-2026-0001", str(update), "--now", at)
    assert code == 0, err
    code, out, err = cli("--db", str(db), "report", "BR-2026-0001", "--now", at)
    assert code == 0, err
    second = out.split("### Assessment 2", 1)[1].split("### ", 1)[0]
    assert "Decisive unknowns answered:** whether the encryption key" in second
    assert "gdpr.notify_authority.LU** → not required" in second
