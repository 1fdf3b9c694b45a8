"""Escaping what users typed for each target: Markdown, plain text, HTML (via autoescape).

The marker for a fact not yet known (:data:`MARKERS`, one per notice language) is inserted
by the renderer itself and never escaped, so a reader can search for it.
"""

from __future__ import annotations

import re

from ..textsafe import clean, clean_data

MARKER = "[to be confirmed]"
#: The marker in each notice language (a language without one uses the English marker).
MARKERS = {
    "en": MARKER,
    "nl": "[nog te bevestigen]",
    "fr": "[à confirmer]",
    "de": "[noch zu bestätigen]",
}
#: Any marker, in whatever language: what ``notice-sent`` looks for before sending.
ANY_MARKER = re.compile("|".join(re.escape(m) for m in MARKERS.values()))

__all__ = [
    "ANY_MARKER",
    "MARKER",
    "MARKERS",
    "clean",
    "clean_data",
    "marker_for",
    "md_escape",
    "md_unescape",
]


def marker_for(language: str) -> str:
    """The marker a notice in ``language`` prints where a fact is not yet known."""
    return MARKERS.get(language.split("-")[0].lower(), MARKER)


# Characters that start Markdown structure anywhere in a line: escapes, code, emphasis,
# links and images ([ ]), raw HTML and autolinks (< >), tables, strikethrough, headings;
# an underscore only where it could start or end emphasis (not inside a_word).
_MD_INLINE = re.compile(r"([\\`*\[\]<>|~#]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
# ... and at the start of a line: list items, thematic breaks, setext underlines, ordered
# lists (only where Markdown would read them as such, so "3.5" and "+1" stay readable).
_MD_LINE_START = re.compile(r"^([ \t]*)([-+])(?=[ \t]|$|-)", re.MULTILINE)
_MD_SETEXT = re.compile(r"^([ \t]*)(=+[ \t]*)$", re.MULTILINE)
_MD_ORDERED = re.compile(r"^([ \t]*\d{1,9})([.)])(?=[ \t]|$)", re.MULTILINE)
_MD_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def md_escape(text: str) -> str:
    """Escape user text so Markdown shows it literally: no links, HTML, headings or lists."""
    text = _MD_INLINE.sub(r"\\\1", clean(text))
    text = _MD_LINE_START.sub(r"\1\\\2", text)
    text = _MD_SETEXT.sub(r"\1\\\2", text)
    return _MD_ORDERED.sub(r"\1\\\2", text)


def md_unescape(text: str) -> str:
    """Undo Markdown backslash escapes (for the text and HTML views of a Markdown notice)."""
    return _MD_UNESCAPE.sub(r"\1", text)
