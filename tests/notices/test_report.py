"""The post-incident report: every worked case renders, in four languages; the counts agree
with the duty list; notes are whole; the risk is reasoned in sentences; the timeline has a
lane per recipient with human labels, red late rows and no overlapping text."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from breach.clock import fixed_clock, format_utc
from breach.notices.render import Renderer, templates_dir
from breach.notices.report import OUTCOMES, report_words
from breach.notices.svg import CHAR, LABEL_W, TICK_GAP, WIDTH, Lane, Row, timeline_svg
from breach.rules import load_rules
from breach.service.incidents import Fulfilment, IncidentService
from breach.service.notices import NoticeService
from breach.service.reports import ReportService
from breach.store import Store

from .conftest import CONTROLLER_FACTS, OPENED, ROOT, Golden, Runner, open_incident, processor_facts
from .htmlcheck import assert_safe_page

SHARED = ROOT.parent / "shared" / "cases"
CASES = sorted((ROOT / "tests" / "data" / "edpb_examples").glob("*.json"))
if SHARED.is_dir():
    CASES += sorted(SHARED.glob("*.json"))
CASE_NOW = datetime(2026, 12, 1, tzinfo=UTC)
LANGUAGES = ["en", "nl", "fr", "de"]
SVG = "{http://www.w3.org/2000/svg}"
RED = "#c0262d"
#: A duty id as the engine writes it (gdpr.notify_authority.NL, nis2.early_warning.DE.de_bsi).
DUTY_ID = re.compile(r"\b[a-z0-9_]+\.[a-z_]+(\.[A-Za-z0-9_]+)*\b")
RENDERER = Renderer(templates_dir())
WORDS = {lang: report_words(RENDERER, lang) for lang in LANGUAGES}
SECTIONS = list(WORDS["en"].heading.values())[1:]  # after the title
NOTE = (
    "Forensics started: the contractor imaged the SIP proxy and the database server of the "
    "support tool, and found the export job that published the file; it ran every night "
    "since 9 September and nobody reviewed its output folder. <b>not bold</b> & [x](y)\n"
    "Second line: the contractor's report is due on 18 September."
)
#: An ePrivacy + NIS2 + GDPR case in twelve EEA countries: 25 duties, some done late.
EEA_FACTS: dict[str, Any] = {
    **CONTROLLER_FACTS,
    "title": "SIP platform breach across the EEA",
    "ecs_data": True,
    "significant_incident": True,
    "subjects": {
        "count": 41000,
        "kinds": ["customers"],
        "countries": ["LU", "BE", "DE", "FR", "NL", "AT", "IT", "ES", "PL", "IE", "DK", "SE"],
    },
}
EEA_NOW = datetime(2026, 10, 1, 12, tzinfo=UTC)
#: (duty, hours after opening, reason if late): what was done, and when.
EEA_DONE = [
    ("nis2.early_warning.LU", 3, None),
    ("eprivacy.notify_authority.BE", 18, None),
    ("eprivacy.notify_authority.LU", 30, "The CNPD portal was down for a day."),
    ("gdpr.notify_authority.LU", 50, None),
    ("nis2.incident_notification.DE.de_bsi", 60, None),
    ("nis2.incident_notification.BE", 90, "We waited for the forensic report."),
    ("gdpr.document", 100, None),
]


@pytest.fixture(scope="module")
def cases_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    db = tmp_path_factory.mktemp("cases") / "breach.db"
    ids = [open_incident(db, json.loads(p.read_text())["facts"], CASE_NOW) for p in CASES]
    return db, ids


@pytest.fixture(scope="module")
def eea_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BR-2026-0001: the EEA case, with duties done (two late, one after its target) and a
    long note on the timeline."""
    db = tmp_path_factory.mktemp("eea") / "breach.db"
    incident = open_incident(db, EEA_FACTS)
    with Store.open(db) as store:
        rules = load_rules()
        for duty, hours, reason in EEA_DONE:
            at = OPENED + timedelta(hours=hours)
            service = IncidentService(store, rules, fixed_clock(at), "dpo")
            service.mark_done(incident, duty, at=at, reason=reason)
        at = OPENED + timedelta(hours=5)
        IncidentService(store, rules, fixed_clock(at), "dpo").add_note(incident, NOTE)
    return db


def report(db: Path, fmt: str, lang: str | None = None, now: datetime = EEA_NOW) -> Any:
    with Store.open(db) as store:
        service = ReportService(NoticeService(store, load_rules(), fixed_clock(now), "dpo"))
        return service.report("BR-2026-0001", fmt, lang)


def svg_texts(html: str) -> tuple[ET.Element, list[ET.Element]]:
    """The timeline's <svg> element and its <text> elements."""
    markup = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    root = ET.fromstring(markup)
    return root, list(root.iter(f"{SVG}text"))


def svg_rows(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if "row" in (g.get("class") or "").split()]


def duty_lines(markdown: str) -> list[str]:
    section = markdown.split(f"## {WORDS['en'].heading['duties']}\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("- **")]


@pytest.mark.parametrize("index", range(len(CASES)), ids=[p.stem for p in CASES])
def test_a_report_renders_for_each_worked_case(
    cases_db: tuple[Path, list[str]], index: int
) -> None:
    db, ids = cases_db
    with Store.open(db) as store:
        service = ReportService(NoticeService(store, load_rules(), fixed_clock(CASE_NOW), "dpo"))
        html = service.report(ids[index], "html")
        markdown = service.report(ids[index], "md")
    page = assert_safe_page(html.text)
    headings = [t.strip() for t in page.text if t.strip() in SECTIONS]
    assert headings == SECTIONS
    assert page.tags.count("svg") == 1 and "style" in page.tags
    assert "Detected" in page.all_text and "Verified:" in page.all_text
    for section in SECTIONS:
        assert f"## {section}" in markdown.text
    assert "lessons learned and follow-up actions" in markdown.unknowns


def test_report_golden_after_a_send_and_lessons(
    tmp_path: Path, cli: Runner, check_golden: Golden
) -> None:
    """Built through the services at fixed times (the CLI records the real clock), then
    rendered by ``breach report`` in each language."""
    db = tmp_path / "breach.db"
    open_incident(db, CONTROLLER_FACTS)
    later = datetime(2026, 9, 18, 12, tzinfo=UTC)
    with Store.open(db) as store:
        rules = load_rules()
        drafting = NoticeService(
            store, rules, fixed_clock(datetime(2026, 9, 14, 11, tzinfo=UTC)), "dpo"
        )
        draft = drafting.draft("BR-2026-0001", "authority")
        text = "Notification of a personal data breach (the text is not part of this test).\n"
        fixed = replace(draft, text=text, generated=text, unknowns=[], warnings=[])
        notice = drafting.save("BR-2026-0001", fixed)  # the audit head then stays the same
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
        ReportService(NoticeService(store, rules, fixed_clock(later), "dpo")).set_lessons(
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
    assert "`gdpr.notify_data_subjects`" in out and "OVERDUE" not in out
    for lang in ("nl", "fr", "de"):
        code, translated, err = cli(*args, "--lang", lang)
        assert code == 0 and "warning" not in err, err
        check_golden(f"report.{lang}.md", translated)
    code, out, err = cli(*args, "--format", "html", "-o", str(tmp_path / "r.html"))
    assert code == 0 and out == ""
    page = assert_safe_page((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert "Alert on bulk downloads from the support tool (owner: SOC, due 2026-10-15)" in (
        page.all_text
    )
    assert "CNPD-2026-77" in page.all_text and "met on time" in page.all_text


@pytest.mark.parametrize("lang", ["nl", "fr", "de"])
def test_each_language_has_its_own_headings_and_words(eea_db: Path, lang: str) -> None:
    english = WORDS["en"]
    own = WORDS[lang]
    markdown = report(eea_db, "md", lang).text
    headings = [line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith("#")]
    assert [h for h in headings if not h.startswith(own.label["assessment"])][1:] == list(
        own.heading.values()
    )[1:]
    page = assert_safe_page(report(eea_db, "html", lang).text)
    for text in (markdown, page.all_text):
        for word in [*english.heading.values(), *english.lane.values(), *english.mark.values()]:
            assert word not in text, (lang, word)
        for word in ("Report date", "People affected", "met on time", "Deadline", "Why"):
            assert word not in text, (lang, word)
    assert own.heading["timeline"] in page.all_text and own.picture["title"] in page.all_text


def test_the_language_follows_the_organisation(tmp_path: Path, cli: Runner) -> None:
    """Without --lang the report is in the first of the profile's languages that has one
    (flexibelt: nl); --lang chooses; an unknown language falls back to EN with a warning."""
    db = tmp_path / "breach.db"
    open_incident(db, {**CONTROLLER_FACTS, "organisation": "flexibelt"})
    base = ("--db", str(db), "report", "BR-2026-0001", "--now", "2026-09-14T12:00:00Z")
    code, out, err = cli(*base)
    assert code == 0 and out.startswith(f"# {WORDS['nl'].heading['title']}") and "warn" not in err
    code, out, _ = cli(*base, "--lang", "de", "--format", "html")
    assert code == 0 and '<html lang="de">' in out
    code, out, err = cli(*base, "--lang", "xx")
    assert code == 0 and out.startswith("# Post-incident report") and "using EN" in err


def test_a_long_note_appears_whole_and_escaped(eea_db: Path) -> None:
    markdown = report(eea_db, "md").text
    first, second = NOTE.split("\n")
    escaped = first.replace("<", "\\<").replace(">", "\\>").replace("[", "\\[").replace("]", "\\]")
    assert f"Note: {escaped}\n  {second}" in markdown
    html = report(eea_db, "html").text
    page = assert_safe_page(html)
    assert f"Note: {NOTE}" in page.all_text and "b" not in page.tags
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp; [x](y)" in html  # escaped once, not twice
    _, texts = svg_texts(html)  # the picture shows a dot; its tooltip holds the whole note
    assert all(len(t.text or "") < 60 for t in texts)


def test_the_counts_agree_with_each_duty(eea_db: Path) -> None:
    words = WORDS["en"]
    markdown = report(eea_db, "md").text
    lines = duty_lines(markdown)
    shown = {o: sum(1 for line in lines if f"**{words.outcome[o]}**" in line) for o in OUTCOMES}
    summary = next(line for line in markdown.splitlines() if line.startswith("- **Duties ("))
    assert summary.startswith(f"- **Duties ({len(lines)}):**")
    counted = {o: 0 for o in OUTCOMES}
    for outcome, words_of in {o: words.outcome[o] for o in OUTCOMES}.items():
        found = re.search(re.escape(words_of) + r": (\d+)", summary)
        counted[outcome] = int(found.group(1)) if found else 0
    assert counted == shown and sum(shown.values()) == len(lines) == 25
    assert shown["late"] == 2 and shown["after_target"] == 1 and shown["met"] == 4
    for duty, _, reason in EEA_DONE:
        line = next(line for line in lines if f"`{duty}`" in line)
        assert ("**late (done after the deadline)**" in line) == (reason is not None)
    page = assert_safe_page(report(eea_db, "html").text)
    assert f"{words.outcome['late']}: 2" in page.all_text


def test_the_risk_is_reasoned_in_sentences(eea_db: Path, tmp_path: Path) -> None:
    jargon = ("adjusted score", " reaches 3", "moved by", "(+1)", "(+0.5)")
    for lang in LANGUAGES:
        markdown = report(eea_db, "md", lang).text
        assert not [j for j in jargon if j in markdown], lang
    markdown = report(eea_db, "md").text
    assert "The ENISA method (2013) rates the severity at 3 (high). It weighs more because " in (
        markdown
    )
    assert "So there is a high risk to the people concerned." in markdown
    db = tmp_path / "breach.db"
    why = "Only <b>test</b> & dummy accounts were exposed"
    open_incident(
        db, {**CONTROLLER_FACTS, "risk_override": {"level": "risk", "justification": why}}
    )
    markdown = report(db, "md", now=OPENED).text
    assert (
        "We set the risk ourselves: a risk, not a high risk. Our reasons: Only \\<b\\>test\\</b\\> "
        "& dummy accounts were exposed. Our risk model gave: a high risk." in markdown
    )
    html = report(db, "html", now=OPENED).text
    assert "Only &lt;b&gt;test&lt;/b&gt; &amp; dummy accounts were exposed." in html
    assert "&amp;lt;" not in html and "\\&lt;" not in html


def test_the_lanes_are_recipients_with_human_labels(eea_db: Path) -> None:
    root, texts = svg_texts(report(eea_db, "html").text)
    lanes = [t.text or "" for t in texts if t.get("class") == "lane"]
    labels = [t.text or "" for t in texts if t.get("class") == "label"]
    assert lanes[0] == "The incident"
    joined = " ".join(lanes)
    for name in ("National Commission for Data Protection", "Federal Network Agency (DE)"):
        assert name in joined
    assert "Breach register" in lanes and "The people affected" in lanes
    for text in lanes + labels:
        assert not DUTY_ID.search(text), text
    assert "NIS2: early warning" in labels and "ePrivacy: notify" in labels
    rows = svg_rows(root)
    assert sum(1 for g in rows if g.find(f"{SVG}text[@class='status']") is not None) == 25


def test_late_rows_are_red(eea_db: Path) -> None:
    markdown = report(eea_db, "md").text
    late = sum(1 for line in duty_lines(markdown) if "**late (" in line or "**OVERDUE" in line)
    root, _ = svg_texts(report(eea_db, "html").text)
    rows = svg_rows(root)
    red = [g for g in rows if "late" in (g.get("class") or "").split()]
    assert len(red) == late > 0
    for row in rows:
        status = row.find(f"{SVG}text[@class='status']")
        if status is None:
            continue
        is_red = status.get("fill") == RED
        assert is_red == (row in red), row.get("class")
        if is_red:
            marks = [e for e in row if e.tag == f"{SVG}polygon" or e.get("class") == "done"]
            assert marks
            assert all(RED in (e.get("fill", "") + e.get("stroke", "")) for e in marks)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_thirty_duties_do_not_overlap(eea_db: Path, lang: str) -> None:
    """Every label on its own line, inside its column and the viewBox; marks between the
    label and status columns; tick labels apart."""
    root, texts = svg_texts(report(eea_db, "html", lang).text)
    _, _, width, height = (float(v) for v in (root.get("viewBox") or "").split())
    assert width == WIDTH and root.get("width") == "100%"
    column = [t for t in texts if t.get("class") in ("lane", "label")]
    ys = [float(t.get("y") or 0) for t in column]
    assert len(column) > 30 and len(set(ys)) == len(ys) and ys == sorted(ys)
    assert min(b - a for a, b in zip(ys, ys[1:], strict=False)) >= 11  # one line apart
    for text in column:
        size = CHAR * (1.08 if text.get("class") == "lane" else 1)
        assert float(text.get("x") or 0) + len(text.text or "") * size <= LABEL_W, text.text
    for text in texts:
        x, y, chars = float(text.get("x") or 0), float(text.get("y") or 0), len(text.text or "")
        anchor = text.get("text-anchor")
        left = x - chars * CHAR * {"middle": 0.5, "end": 1.0}.get(anchor or "", 0.0)
        assert left >= 0 and left + chars * CHAR <= width and 0 < y <= height, text.text
    status_x = min(float(t.get("x") or 0) for t in texts if t.get("class") == "status")
    for mark in root.iter():
        x = mark.get("cx") or (mark.get("x") if mark.get("class") == "done" else None)
        if x is not None:
            assert LABEL_W < float(x) < status_x
    ticks = sorted(
        (float(t.get("x") or 0), len(t.text or ""))
        for t in texts
        if t.get("class") == "tick" and t.get("y") == "22.0"
    )
    assert len(ticks) >= 4
    for (x1, n1), (x2, n2) in zip(ticks, ticks[1:], strict=False):
        assert (x2 - n2 * CHAR / 2) - (x1 + n1 * CHAR / 2) >= TICK_GAP - 0.1


def test_many_controller_customers_share_one_lane(tmp_path: Path) -> None:
    """A processor with 1,200 controller customers, 1,198 of them informed."""
    db = tmp_path / "breach.db"
    facts = processor_facts()
    facts["controllers"] = [
        {"name": f"Customer {i:04d} B.V.", "contact": f"dpo{i}@customer.example"}
        for i in range(1200)
    ]
    opened = datetime(2026, 6, 10, 15, tzinfo=UTC)
    open_incident(db, facts, opened)
    done = opened + timedelta(hours=10)
    with Store.open(db) as store:
        service = IncidentService(store, load_rules(), fixed_clock(done), "dpo")
        ids = [d["id"] for d in store.duties("BR-2026-0001") if d["duty"] == "notify_controller"]
        service.mark_done_many("BR-2026-0001", [Fulfilment(i, done) for i in ids[:-2]])
    now = opened + timedelta(days=3)
    markdown = report(db, "md", now=now).text
    assert "- **Controller customers:** 1,198 of 1,200 customers informed" in markdown
    assert len(duty_lines(markdown)) >= 1200
    _, texts = svg_texts(report(db, "html", now=now).text)
    lanes = [t.text for t in texts if t.get("class") == "lane"]
    assert lanes == ["The incident", "Controller customers"]
    assert [t.text for t in texts if t.get("class") == "status"] == ["1,198/1,200"]


def test_the_timeline_picture_escapes_and_marks_late_ones() -> None:
    start = OPENED
    lanes = [
        Lane("The incident", (Row("detected", "detection", points=((start, ""),)),)),
        Lane(
            "AP <Persoonsgegevens> & co (NL)",
            (
                Row(
                    "GDPR: notify", "late", "late", True, start=start,
                    due=start + timedelta(hours=72), done=(start + timedelta(hours=80),),
                ),
                Row("GDPR: complete", "open", "open", start=start, due=start + timedelta(days=9)),
            ),
        ),
    ]  # fmt: skip
    svg = str(timeline_svg(lanes, start + timedelta(days=5), "Europe/Luxembourg"))
    assert svg.startswith("<svg") and svg.count('class="row late late"') == 1
    assert "AP &lt;Persoonsgegevens&gt; &amp; co (NL)" in svg and "<Pers" not in svg
    assert 'class="past-due"' in svg and "report date" in svg
    assert str(timeline_svg([], start, None)) == ""


def test_the_html_prints_on_a4(eea_db: Path, tmp_path: Path) -> None:
    html = report(eea_db, "html").text
    assert "@page { size: A4" in html and "svg.timeline { display: block; width: 100%" in html
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("headless Chromium is not installed")
    page, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    page.write_text(html, encoding="utf-8")
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    boxes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes()))
    assert boxes and all(abs(float(w) - 595) < 1 and abs(float(h) - 842) < 1 for w, h in boxes)


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
    assert "(`gdpr.notify_authority.LU`) → not required" in second
