"""A notice's text in an editor where every marker (``[to be confirmed]``, ``[à confirmer]``…)
stands out, also without colour (bold, reversed)."""

from __future__ import annotations

from rich.style import Style
from textual.widgets import TextArea
from textual.widgets.text_area import Selection, TextAreaTheme

from ...service.notice_drafts import marker_spans

MARKER = "breach.marker"
THEME = TextAreaTheme("breach-notice", syntax_styles={MARKER: Style(bold=True, reverse=True)})


class NoticeText(TextArea):
    """An editor for a notice: soft-wrapped, line numbers, markers highlighted."""

    def __init__(self, text: str = "", *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(text, soft_wrap=True, show_line_numbers=True, id=id)
        self.register_theme(THEME)
        self.theme = THEME.name

    def _build_highlight_map(self) -> None:
        # TextArea highlights only what a tree-sitter grammar captures; markers are found by
        # pattern instead, each time the text changes (a notice is a few hundred lines)
        super()._build_highlight_map()
        for row, start, end in marker_spans(self.text):
            line = self.document.get_line(row)
            # the highlight map counts UTF-8 bytes, not characters (à, ä, ü are two bytes)
            first = len(line[:start].encode())
            self._highlights[row].append((first, first + len(line[start:end].encode()), MARKER))

    def markers(self) -> list[tuple[int, int, int]]:
        """Where the text still reads a marker: (line, first column, end column), from 0."""
        return marker_spans(self.text)

    def next_marker(self) -> bool:
        """Select the next marker after the cursor (wrapping round); False if none is left."""
        spans = self.markers()
        if not spans:
            return False
        here = self.cursor_location
        after = [s for s in spans if (s[0], s[1]) > here]
        row, start, end = (after or spans)[0]
        self.selection = Selection((row, start), (row, end))
        self.scroll_cursor_visible(center=True)
        return True
