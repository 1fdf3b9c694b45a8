"""A notice edited as text is sent as Markdown or as an HTML page: the page is made from
the text shown (the responder's edits kept), nothing typed is read as markup, and the
text read back is the text written."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from breach.clock import fixed_clock
from breach.notices import markup
from breach.notices.safe import ANY_MARKER
from breach.rules import load_rules
from breach.service import IncidentLog
from breach.service.notices import NoticeService

from .htmlcheck import assert_safe_page

NOW = datetime(2026, 9, 14, 12, tzinfo=UTC)

#: (incident, kind) of the golden log whose notices are converted, in every language
CASES = [
    ("BR-2026-0001", "authority"),
    ("BR-2026-0001", "data_subjects"),
    ("BR-2026-0002", "controller"),
    ("BR-2026-0003", "register"),
    ("BR-2026-0005", "public"),
]


@pytest.fixture(scope="module")
def notices(golden_db: Path) -> Iterator[NoticeService]:
    log = IncidentLog.open(golden_db, load_rules(), fixed_clock(NOW), "dpo")
    yield log.notices
    log.close()


def drafts(notices: NoticeService) -> Iterator[tuple[str, str, str, str]]:
    """(incident, kind, language, text) of each case in each of its languages."""
    for incident, kind in CASES:
        for language in notices.languages(kind):
            draft = notices.draft(incident, kind, language=language, voluntary=True)
            yield incident, kind, language, draft.text


def test_the_text_of_every_notice_reads_back_as_itself(notices: NoticeService) -> None:
    for incident, kind, language, text in drafts(notices):
        assert markup.to_text(markup.from_text(text)) == text, (incident, kind, language)
        as_markdown = notices.as_format(text, "md", language, kind)
        assert markup.to_text(markup.parse(as_markdown)) == text, (incident, kind, language)


def test_the_html_page_is_made_from_the_text_shown(notices: NoticeService) -> None:
    for incident, kind, language, text in drafts(notices):
        page = assert_safe_page(notices.as_format(text, "html", language, kind))
        title = text.split("\n", 1)[0]
        assert page.tags.count("h1") == 1 and title in page.all_text, (incident, kind)
        assert f'lang="{language}"' in notices.as_format(text, "html", language, kind)
        assert ("mark" in page.tags) == bool(ANY_MARKER.search(text)), (incident, kind, language)


def test_an_edit_is_kept_and_typed_markup_stays_text(notices: NoticeService) -> None:
    text = notices.draft("BR-2026-0001", "authority", language="en").text
    edited = text.replace(
        "\n\n",
        "\n\nAdded by the DPO: <script>alert(1)</script> **not bold** [a link](http://x.example)"
        " & 5 < 6\n\n",
        1,
    )
    page = notices.as_format(edited, "html", "en", "authority")
    parsed = assert_safe_page(page)
    assert "Added by the DPO: <script>alert(1)</script> **not bold**" in parsed.all_text
    assert "strong" not in parsed.tags[: parsed.tags.index("p") + 2]
    assert "&lt;script&gt;" in page and "<a " not in page
    as_markdown = notices.as_format(edited, "md", "en", "authority")
    assert "\\*\\*not bold\\*\\*" in as_markdown and "\\[a link\\]" in as_markdown
    assert markup.to_text(markup.parse(as_markdown)) == edited


def test_headings_lists_and_rules_of_a_hand_written_text() -> None:
    text = (
        "Notification\n============\n\nDear Sir or Madam,\nsecond line\n\n"
        "What happened\n-------------\n\n- first [to be confirmed]\n  continued\n- second\n\n"
        "---\n\nYours faithfully"
    )
    kinds = [b.kind for b in markup.from_text(text)]
    assert kinds == ["h1", "p", "h2", "ul", "hr", "p"]
    items = markup.from_text(text)[3].items
    assert len(items) == 2 and len(items[0]) == 2
    assert [s.marker for s in items[0][0]] == [False, True]
    assert markup.from_text("- a list item\n=====")[0].kind == "ul"  # not a heading


def test_only_text_markdown_and_html_come_from_a_text(notices: NoticeService) -> None:
    from breach.notices.errors import NoticeError

    assert notices.as_format("as is\n", "text", "en", "authority") == "as is\n"
    with pytest.raises(NoticeError, match="edpb-json"):
        notices.as_format("text\n", "edpb-json", "en", "authority")
