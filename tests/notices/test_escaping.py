"""Everything users type is escaped for its target: HTML, Markdown, terminal, JSON.

A hostile incident (script tags, ANSI and OSC escapes, javascript: links, Markdown
structure) is rendered as every notice kind, every format, and as the report.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from breach.clock import fixed_clock
from breach.rules import load_rules
from breach.service.incidents import IncidentService
from breach.service.notices import NoticeService
from breach.store import Store

from .conftest import CONTROLLER_FACTS, Runner, open_incident
from .htmlcheck import assert_safe_page

SCRIPT = "<script>alert('x')</script>"
ANSI = "\x1b[31mRED\x1b[0m"
OSC = "\x1b]0;pwned\x07"
LINK = "[click](javascript:alert(1))"
HOSTILE_TITLE = f"{SCRIPT} {ANSI} {LINK}"
HOSTILE_SUMMARY = (
    f"First line <img src=x onerror=alert(2)> {OSC}\n# Injected heading\n- injected item\n"
    "1. injected number\n![i](javascript:alert(3)) <javascript:alert(4)> **bold** `code` "
    "| cell |\n---\n[ref]: javascript:alert(5)"
)
HOSTILE_MITIGATION = f"</li></ul>{SCRIPT}&lt;b&gt; \x9b31m"
HOSTILE_FACTS: dict[str, Any] = {
    **CONTROLLER_FACTS,
    "title": HOSTILE_TITLE,
    "summary": HOSTILE_SUMMARY,
    "mitigation": HOSTILE_MITIGATION,
    "organisation": {
        "id": "evil",
        "name": f"Evil {SCRIPT} Ltd",
        "establishments": [{"country": "LU", "entity": f"Evil {LINK} S.A."}],
        "main_establishment": "LU",
        "contact": f"javascript:alert(6) {ANSI}",
        "languages": ["en"],
    },
    "controllers": [{"name": f"Customer {SCRIPT} {LINK}", "contact": "javascript:alert(7)"}],
    "disproportionate_effort": True,
}
KINDS = ["authority", "data_subjects", "controller", "public", "register"]
NOW = datetime(2026, 9, 14, 12, tzinfo=UTC)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A log holding the hostile incident as controller (0001) and as processor (0002)."""
    db = tmp_path_factory.mktemp("hostile") / "breach.db"
    controller = open_incident(db, HOSTILE_FACTS)
    processor = open_incident(db, {**HOSTILE_FACTS, "role": "processor"})
    with Store.open(db) as store:
        IncidentService(store, load_rules(), fixed_clock(NOW), "x").add_note(
            controller, f"Call with {SCRIPT} {ANSI} {LINK}"
        )
    return db, controller, processor


def _render(db: Path, incident: str, kind: str, fmt: str) -> str:
    with Store.open(db) as store:
        service = NoticeService(store, load_rules(), fixed_clock(NOW), "x")
        return service.draft(incident, kind, fmt=fmt, language="en", voluntary=True).text


def _markdown_html(text: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return str(markdown_it.MarkdownIt("commonmark").enable("table").render(text))


def _incident(hostile: tuple[Path, str, str], kind: str) -> str:
    return hostile[2] if kind == "controller" else hostile[1]


@pytest.mark.parametrize("kind", KINDS)
def test_html_escapes_everything(hostile: tuple[Path, str, str], kind: str) -> None:
    text = _render(hostile[0], _incident(hostile, kind), kind, "html")
    page = assert_safe_page(text)
    assert "img" not in page.tags and "a" not in page.tags
    assert SCRIPT in page.all_text  # shown, as text
    assert not CONTROL.search(text)


@pytest.mark.parametrize("kind", KINDS)
def test_markdown_shows_user_text_literally(hostile: tuple[Path, str, str], kind: str) -> None:
    text = _render(hostile[0], _incident(hostile, kind), kind, "md")
    assert not CONTROL.search(text)
    assert not re.search(r"(?<!\\)[<>]", text)  # every < and > escaped
    assert not re.search(r"(?<!\\)\]\(javascript:", text)
    assert "\n# Injected" not in text and "\n- injected" not in text
    html = _markdown_html(text)
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html.lower() and "<a " not in html
    assert "Injected heading</h1>" not in html and "<li>injected item" not in html
    assert "&lt;script&gt;" in html  # the title is shown, as text


@pytest.mark.parametrize("kind", KINDS)
def test_text_has_no_terminal_escapes(hostile: tuple[Path, str, str], kind: str) -> None:
    text = _render(hostile[0], _incident(hostile, kind), kind, "text")
    assert not CONTROL.search(text)
    assert "RED" in text and "\N{SYMBOL FOR ESCAPE}" in text


def test_edpb_json_is_valid_and_escaped(hostile: tuple[Path, str, str]) -> None:
    text = _render(hostile[0], hostile[1], "authority", "edpb-json")
    assert not CONTROL.search(text)
    document = json.loads(text)
    assert document["fields"]["62"]["value"].startswith("First line <img")


def test_report_escapes_everything(hostile: tuple[Path, str, str], cli: Runner) -> None:
    db, incident, _ = hostile
    lessons = db.parent / "lessons.md"
    lessons.write_text(f"- {SCRIPT} {LINK}\n# heading {ANSI}\n", encoding="utf-8")
    base = ("--db", str(db), "report", incident, "--now", "2026-09-15T12:00:00Z")
    code, out, err = cli(*base, "--format", "html", "--lessons", str(lessons))
    assert code == 0, err
    page = assert_safe_page(out)
    assert page.tags.count("svg") == 1 and "img" not in page.tags and "a" not in page.tags
    assert SCRIPT in page.all_text and not CONTROL.search(out)
    code, out, _ = cli(*base, "--format", "md")
    assert code == 0 and not CONTROL.search(out)
    html = _markdown_html(out)
    assert "<script" not in html and 'href="javascript' not in html and "<a " not in html


def test_cli_output_and_errors_are_terminal_safe(
    hostile: tuple[Path, str, str], cli: Runner
) -> None:
    db, incident, _ = hostile
    base = ("--db", str(db), "notice", incident, "register")
    code, out, err = cli(*base, "--now", "2026-09-15T12:00:00Z")
    assert code == 0 and not CONTROL.search(out + err)
    code, out, err = cli(*base, "--recipient", f"x{ANSI}")
    assert code == 2 and not CONTROL.search(err)
    code, out, err = cli("--db", str(db), "notice", incident, "--list", "--json")
    assert code == 0 and not CONTROL.search(out)
