"""Rendering pieces: escaping, the Markdown subset, the merge, dates, languages, sandbox."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from breach.clock import fixed_clock
from breach.notices import markup
from breach.notices.errors import NoticeError
from breach.notices.fmt import Formatter
from breach.notices.merge import merge3
from breach.notices.missing import Missing
from breach.notices.render import Renderer
from breach.notices.safe import MARKER, md_escape, md_unescape
from breach.rules import load_rules, rules_dir
from breach.service.notices import NoticeService
from breach.store import Store

from .conftest import CONTROLLER_FACTS, open_incident

TEMPLATES = rules_dir() / "templates"
KINDS = ["authority", "data_subjects", "controller", "public", "register"]


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("<b>", "\\<b\\>"),
        ("# title\n- item\n1. first\n===", "\\# title\n\\- item\n1\\. first\n\\==="),
        ("3.5 and +1 and 2026-09-14 and a_b", "3.5 and +1 and 2026-09-14 and a_b"),
        ("**bold** _it_ `code` |", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\|"),
        ("\x1b[31mred\r\n", "\N{SYMBOL FOR ESCAPE}\\[31mred\n"),
    ],
)
def test_markdown_escaping(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped
    assert md_unescape(escaped) == raw.replace("\x1b", "\N{SYMBOL FOR ESCAPE}").replace(
        "\r\n", "\n"
    )


def test_markdown_subset_to_text() -> None:
    source = (
        "# Title\n\n- **To:** X \\[1\\]\n  continued\n- second [to be confirmed]\n\n"
        "Para one\nline two\n\n## Sub\n\n---\n"
    )
    blocks = markup.parse(source)
    assert [b.kind for b in blocks] == ["h1", "ul", "p", "h2", "hr"]
    assert blocks[1].items[1][0][-1].marker
    text = markup.to_text(blocks)
    assert text.startswith("Title\n=====\n\n- To: X [1]\n  continued\n- second [to be confirmed]")
    assert "Para one\nline two" in text and "Sub\n---" in text and "**" not in text


def test_merge_keeps_user_lines_and_takes_new_facts() -> None:
    base = "a\nb\nc\nd\n"
    merged, conflicts = merge3(base, "a\nB (mine)\nc\nd\n", "a\nb\nc\nD (new facts)\n")
    assert merged == "a\nB (mine)\nc\nD (new facts)\n" and not conflicts
    merged, conflicts = merge3(base, "a\nB (mine)\nc\nd\n", "a\nB (machine)\nc\nd\n")
    assert merged == "a\nB (mine)\nc\nd\n"
    assert conflicts[0].kept == ["B (mine)\n"] and conflicts[0].generated == ["B (machine)\n"]
    assert merge3(base, base, base) == (base, [])
    assert merge3(base, "a\nb\nc\nd\nadded\n", "x\na\nb\nc\nd\n")[0] == "x\na\nb\nc\nd\nadded\n"


def test_lines_breach_owns_take_the_new_rendering() -> None:
    """The record line at a notice's foot names the head as of each rendering: an old copy
    in the user's text (edited from an earlier draft) is not an edit."""
    foot = lambda line: line.startswith("record ")  # noqa: E731
    base, new = "a\nb\n\nrecord 1\n", "a\nb\n\nrecord 3\n"
    mine = "a\nB (mine)\n\nrecord 2\n"
    assert merge3(base, mine, new, foot) == ("a\nB (mine)\n\nrecord 3\n", [])
    merged, conflicts = merge3(base, mine, new)  # without: the old line looks like an edit
    assert merged == mine and conflicts[0].generated == ["record 3\n"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "1 March 2026, 10:05 CET (2026-03-01 09:05 UTC)"),
        ("nl", "1 maart 2026, 10:05 CET (2026-03-01 09:05 UTC)"),
        ("fr", "1er mars 2026 à 10:05 CET (2026-03-01 09:05 UTC)"),
        ("de", "1. März 2026, 10:05 CET (2026-03-01 09:05 UTC)"),
        ("ka", "2026-03-01 10:05 CET (2026-03-01 09:05 UTC)"),
    ],
)
def test_dates_per_language(lang: str, expected: str) -> None:
    when = datetime(2026, 3, 1, 9, 5, tzinfo=UTC)
    assert Formatter(lang, "Europe/Paris").when(when) == expected
    assert Formatter(lang).when(when).endswith("09:05 UTC")


def test_numbers_per_language() -> None:
    assert [Formatter(lang).number(12000) for lang in ("en", "nl", "fr", "de")] == [
        "12,000", "12.000", "12 000", "12.000",
    ]  # fmt: skip
    assert Formatter("de").number(3.5) == "3,5" and Formatter("en").number(None) == ""


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_a_template_in_the_four_languages(kind: str) -> None:
    assert {"en", "nl", "fr", "de"} <= set(Renderer(TEMPLATES).languages(kind))


def test_language_choice_and_explicit_fallback() -> None:
    renderer = Renderer(TEMPLATES)
    assert renderer.choose_language("authority", None, ["ka", "fr"]) == ("fr", [])
    assert renderer.choose_language("authority", "DE", []) == ("de", [])
    lang, warnings = renderer.choose_language("authority", None, ["ka"])
    assert lang == "en" and "organisation's languages (ka): using EN" in warnings[0]
    lang, warnings = renderer.choose_language("register", "it", ["en"])
    assert lang == "en" and "no register template in 'it'" in warnings[0]


def test_profile_languages_and_authority_languages_pick_the_notice_language(
    tmp_path: Path,
) -> None:
    db = tmp_path / "breach.db"
    subjects = {"count": 10, "kinds": ["customers"], "countries": ["NL"]}
    open_incident(db, {**CONTROLLER_FACTS, "organisation": "flexibelt", "subjects": subjects})
    open_incident(
        db,
        {
            **CONTROLLER_FACTS,
            "organisation": {
                "id": "geo",
                "name": "Geo VoIP",
                "establishments": [{"country": "LU"}],
                "languages": ["ka"],
            },
        },
    )
    with Store.open(db) as store:
        service = NoticeService(store, load_rules(), fixed_clock(datetime.now(UTC)), "dpo")
        dutch = service.draft("BR-2026-0001", "authority")
        assert dutch.language == "nl" and not [w for w in dutch.warnings if "using EN" in w]
        assert "Melding van een inbreuk" in dutch.text
        fallback = service.draft("BR-2026-0002", "data_subjects")
        assert fallback.language == "en"
        assert any("languages (ka): using EN" in w for w in fallback.warnings)


def test_unknowns_are_marked_and_listed(tmp_path: Path) -> None:
    renderer = Renderer(tmp_path)
    (tmp_path / "k").mkdir()
    (tmp_path / "k" / "en.md.j2").write_text(
        "- a: {{ a }}\n- b: {{ b }}\n{% for x in c %}{{ x }}{% else %}- c: {{ c }}{% endfor %}\n"
        "{% if d is known %}known{% endif %}\n"
    )
    result = renderer.render_notice(
        "k",
        "en",
        "md",
        {"a": Missing("first"), "b": "ok", "c": Missing("third"), "d": Missing("x")},
    )
    assert result.text.count(MARKER) == 2 and result.unknowns == ["first", "third"]
    assert "known" not in result.text
    html = renderer.render_notice("k", "en", "text", {"a": Missing("first"), "b": "<", "c": [1]})
    assert html.text.startswith("- a: [to be confirmed]\n- b: <")


def test_templates_are_sandboxed_and_strict(tmp_path: Path) -> None:
    (tmp_path / "k").mkdir()
    renderer = Renderer(tmp_path)
    (tmp_path / "k" / "en.md.j2").write_text("{{ x.__class__.__mro__ }}")
    with pytest.raises(NoticeError, match="template k/en.md.j2"):
        renderer.render_notice("k", "en", "md", {"x": "s"})
    (tmp_path / "k" / "en.md.j2").write_text("{{ misspelt }}")
    with pytest.raises(NoticeError, match="misspelt"):
        renderer.render_notice("k", "en", "md", {})
    (tmp_path / "k" / "en.md.j2").write_text("{{ none }}")
    with pytest.raises(NoticeError, match="None"):
        renderer.render_notice("k", "en", "md", {"none": None})
    (tmp_path / "k" / "en.md.j2").write_text("{% set _ = items.append(1) %}")
    with pytest.raises(NoticeError):
        renderer.render_notice("k", "en", "md", {"items": []})
