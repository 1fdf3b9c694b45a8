"""Neutralising text that users typed (or a file brought in) before it reaches a terminal.

A title, a note or an imported notice may hold bytes a terminal obeys: ESC sequences that
clear the screen or write the clipboard (OSC 52), BEL, a carriage return that overwrites
the line, bidi overrides that make text read in another order (U+202E). Every output
replaces them, as ``docs/user-guide.md`` lists:

- a C0 control (U+0000–U+001F except tab and newline) becomes its Control Picture (ESC
  shows as ``␛``, BEL as ``␇``, CR as ``␍``), DEL as ``␡``;
- a C1 control (U+0080–U+009F) or a bidi control (U+061C, U+200E, U+200F, U+202A–U+202E,
  U+2066–U+2069) becomes ``�`` (U+FFFD);
- in one-line views (``breach list``, a timeline line) a newline becomes ``⏎`` and a tab
  a space, so a title cannot forge a row;
- JSON output writes C1, bidi, DEL and U+2028/U+2029 as ``\\u`` escapes (the data is
  unchanged for a JSON reader; C0 controls are escaped by every JSON encoder).
"""

from __future__ import annotations

import json
import re
from typing import Any

_PICTURES = {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)}
_PICTURES[0x7F] = "\N{SYMBOL FOR DELETE}"
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_BIDI}\u2028\u2029]")


def _replace(match: re.Match[str]) -> str:
    return _PICTURES.get(ord(match[0]), "\N{REPLACEMENT CHARACTER}")


def terminal_safe(text: str) -> str:
    """Text with control and bidi characters replaced; newlines and tabs kept."""
    return _UNSAFE.sub(_replace, text)


def one_line(text: str) -> str:
    """Text for a one-line view: as :func:`terminal_safe`, newlines shown as ``⏎``."""
    flat = text.replace("\r\n", "\n").replace("\n", "\N{RETURN SYMBOL}").replace("\t", " ")
    return terminal_safe(flat)


def clean(text: str) -> str:
    """User text with line endings normalised and control characters (ANSI) replaced."""
    return terminal_safe(text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_data(value: Any) -> Any:
    """:func:`clean` applied to every string inside JSON-like data (dicts, lists)."""
    if isinstance(value, dict | list) and not _holds_unsafe(value):
        return value  # a whole incident of thousands of rows is checked in one pass
    return _clean_all(value)


def _clean_all(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {k: _clean_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_all(v) for v in value]
    return value


# In JSON text, C0 controls are escapes (\u001b, \b, \f, \r; \n and \t are kept).
_JSON_C0 = re.compile(r"\\(?:u00[01][0-9a-fA-F]|u007[fF]|[bfr])")


def _holds_unsafe(value: Any) -> bool:
    """Whether any string in ``value`` holds a character :func:`clean` would change (a
    false alarm only means the slow path)."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return True
    return bool(_UNSAFE.search(text) or _JSON_C0.search(text))


def json_safe(serialised: str) -> str:
    """JSON text with C1, bidi, DEL and line-separator characters as ``\\u`` escapes.

    Only strings can hold such characters in JSON, and an escape inside a string means
    the same character, so the document is unchanged for a JSON reader."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", serialised)


_JSON_UNSAFE_UTF8 = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]"
)


def json_safe_bytes(data: bytes) -> bytes:
    """:func:`json_safe` for UTF-8 JSON bytes (the export's pages); byte searches decide,
    so most text is returned as it is."""
    if any(marker in data for marker in (b"\x7f", b"\xc2", b"\xe2\x80", b"\xe2\x81", b"\xd8")):
        return _JSON_UNSAFE_UTF8.sub(lambda m: b"\\u%04x" % ord(m[0].decode("utf-8")), data)
    return data


class SafeStream:
    """A text stream that neutralises (:func:`terminal_safe`) everything written to it.

    The CLI writes through it, so text that reaches a terminal is safe even where a
    command forgot; ``unfiltered`` is the stream itself, for the progress bar's ``\\r``.
    """

    def __init__(self, stream: Any) -> None:
        self.unfiltered = stream

    def write(self, text: str) -> int:
        return int(self.unfiltered.write(terminal_safe(text)))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.unfiltered, name)
