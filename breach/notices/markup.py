"""The small Markdown subset notice templates are written in, and its text/HTML views.

A notice template renders Markdown (user values escaped by :func:`safe.md_escape`). The
plain-text and HTML notices are derived from it: the Markdown is parsed into blocks here,
then written as text, or handed to an autoescaping HTML layout template. Supported:
``#``/``##``/``###`` headings, ``- `` list items (with indented continuation lines),
paragraphs, ``---`` rules and ``**bold**``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .safe import ANY_MARKER, clean, md_escape

_HEADING = re.compile(r"^(#{1,3}) +(.*)$")
_BOLD_OR_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|\*\*")


@dataclass(frozen=True)
class Span:
    """A run of inline text: plain, bold, or the to-be-confirmed marker."""

    text: str
    bold: bool = False
    marker: bool = False


@dataclass
class Block:
    """A heading (``h1``-``h3``), paragraph (``p``), list (``ul``) or rule (``hr``).

    ``items`` holds one entry per list item (or one for headings and paragraphs); each
    entry is a list of lines, each line a list of spans.
    """

    kind: str
    items: list[list[list[Span]]] = field(default_factory=list)


def parse(markdown: str) -> list[Block]:
    """Parse the template Markdown subset into blocks."""
    blocks: list[Block] = []
    current: Block | None = None
    for line in markdown.split("\n"):
        if not line.strip():
            current = None
            continue
        heading = _HEADING.match(line)
        if heading:
            blocks.append(Block(f"h{len(heading.group(1))}", [[spans(heading.group(2))]]))
            current = None
        elif line.strip() == "---":
            blocks.append(Block("hr"))
            current = None
        elif line.startswith("- "):
            if current is None or current.kind != "ul":
                current = Block("ul")
                blocks.append(current)
            current.items.append([spans(line[2:])])
        elif current is not None:  # continuation of a list item or paragraph
            current.items[-1].append(spans(line.strip()))
        else:
            current = Block("p", [[spans(line)]])
            blocks.append(current)
    return blocks


def spans(line: str) -> list[Span]:
    """Inline spans of one line: ``**bold**``, backslash escapes, the marker."""
    result: list[Span] = []
    bold = False
    buffer: list[str] = []

    def flush() -> None:
        result.extend(_with_markers("".join(buffer), bold))
        buffer.clear()

    position = 0
    for match in _BOLD_OR_ESCAPE.finditer(line):
        buffer.append(line[position : match.start()])
        if match.group(1) is not None:
            buffer.append(match.group(1))
        else:
            flush()
            bold = not bold
        position = match.end()
    buffer.append(line[position:])
    flush()
    return result


def _line_text(line: list[Span]) -> str:
    return "".join(span.text for span in line)


def to_text(blocks: list[Block]) -> str:
    """Plain text: underlined headings, ``- `` lists, no markup, control characters removed."""
    out: list[str] = []
    for block in blocks:
        if block.kind == "hr":
            out.append("-" * 60)
            continue
        if block.kind in ("h1", "h2", "h3"):
            title = _line_text(block.items[0][0])
            rule = {"h1": "=", "h2": "-", "h3": ""}[block.kind]
            out.append(title + (f"\n{rule * min(len(title), 78)}" if rule else ""))
        elif block.kind == "ul":
            out.append(
                "\n".join(
                    "- " + "\n  ".join(_line_text(line) for line in item) for item in block.items
                )
            )
        else:
            out.append("\n".join(_line_text(line) for line in block.items[0]))
    return clean("\n\n".join(out) + "\n")


_RULE = re.compile(r"-{3,}")
_UNDERLINE = {"h1": re.compile(r"={3,}"), "h2": re.compile(r"-{3,}")}


def _with_markers(text: str, bold: bool) -> list[Span]:
    """``text`` as spans, each to-be-confirmed marker a span of its own."""
    result: list[Span] = []
    position = 0
    for found in ANY_MARKER.finditer(text):
        if found.start() > position:
            result.append(Span(text[position : found.start()], bold))
        result.append(Span(found.group(0), bold, marker=True))
        position = found.end()
    if position < len(text):
        result.append(Span(text[position:], bold))
    return result


def plain_spans(line: str) -> list[Span]:
    """The spans of a line of plain text: the markers found, nothing read as markup."""
    return _with_markers(line, False)


def from_text(text: str) -> list[Block]:
    """The blocks of a plain-text notice as :func:`to_text` writes it, edited by hand: a
    line underlined with ``===`` or ``---`` is a heading, ``- `` lines a list (indented
    lines continue an item), a line of dashes a rule, the rest paragraphs. Nothing typed
    is read as Markdown: an asterisk stays an asterisk."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n[ \t]*\n", clean(text).strip("\n")):
        lines = [line.rstrip() for line in chunk.split("\n")]
        if not any(lines):
            continue
        if len(lines) == 1 and _RULE.fullmatch(lines[0].strip()):
            blocks.append(Block("hr"))
            continue
        kind = next(
            (
                k
                for k, rule in _UNDERLINE.items()
                if len(lines) > 1
                and rule.fullmatch(lines[1].strip())
                and lines[0].strip()
                and not lines[0].startswith("- ")
            ),
            None,
        )
        if kind:
            blocks.append(Block(kind, [[plain_spans(lines[0].strip())]]))
            lines = lines[2:]
            if not lines:
                continue
        if lines[0].startswith("- "):
            block = Block("ul")
            for line in lines:
                if line.startswith("- ") or not block.items:
                    block.items.append([plain_spans(line[2:] if line.startswith("- ") else line)])
                else:
                    block.items[-1].append(plain_spans(line.strip()))
            blocks.append(block)
        else:
            blocks.append(Block("p", [[plain_spans(line) for line in lines]]))
    return blocks


def to_markdown(blocks: list[Block]) -> str:
    """Markdown for ``blocks`` (what :func:`parse` reads back): typed text escaped, the
    markers as they are."""

    def line(spans_: list[Span]) -> str:
        return "".join(s.text if s.marker else md_escape(s.text) for s in spans_)

    out: list[str] = []
    for block in blocks:
        if block.kind == "hr":
            out.append("---")
        elif block.kind in ("h1", "h2", "h3"):
            out.append("#" * int(block.kind[1]) + " " + line(block.items[0][0]))
        elif block.kind == "ul":
            out.append(
                "\n".join("- " + "\n  ".join(line(row) for row in item) for item in block.items)
            )
        else:
            out.append("\n".join(line(row) for row in block.items[0]))
    return "\n\n".join(out) + "\n"
