"""Reading a ``breach.export/1`` file incident by incident, without loading it whole.

The top level must be a JSON object; its members come out one at a time, and the members
of its ``incidents`` array one element at a time, so memory holds one incident however
large the file is. Any JSON layout is accepted (one incident per line, pretty-printed,
minified). Syntax errors name the line and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from ..errors import BadInput
from ..model.reading import DECODER, RefusedNumber

CHUNK = 1 << 20
LIST_KEY = "incidents"
_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = DECODER  # strict: no NaN or Infinity, no 5,000-digit numbers


class ReadError(BadInput):
    """The file is not a well-formed export (one line: where and what)."""


class _Buffer:
    """A window on the file with line and column bookkeeping for error messages."""

    def __init__(self, fp: TextIO, source: str, on_read: Callable[[int], None]) -> None:
        self.fp, self.source, self.on_read = fp, source, on_read
        self.buf, self.pos, self.eof = "", 0, False
        self.line, self.col = 1, 0  # line and column (0-based) of buf[0]

    def fill(self) -> bool:
        """Append more of the file (at least doubling what is unread); False at its end."""
        if self.eof:
            return False
        data = self.fp.read(max(CHUNK, len(self.buf) - self.pos))
        if not data:
            self.eof = True
            return False
        self.on_read(len(data))
        dropped = self.buf[: self.pos]
        newlines = dropped.count("\n")
        if newlines:
            self.line += newlines
            self.col = len(dropped) - dropped.rfind("\n") - 1
        else:
            self.col += len(dropped)
        self.buf, self.pos = self.buf[self.pos :] + data, 0
        return True

    def where(self, index: int) -> str:
        newlines = self.buf.count("\n", 0, index)
        if newlines:
            return f"{self.line + newlines}:{index - self.buf.rfind(chr(10), 0, index)}"
        return f"{self.line}:{self.col + index + 1}"

    def fail(self, index: int, message: str) -> ReadError:
        return ReadError(f"{self.source}:{self.where(index)}: invalid JSON: {message}")

    def peek(self) -> str:
        """The next character after blanks ('' at the end of the file)."""
        while True:
            match = _SPACE.match(self.buf, self.pos)
            self.pos = match.end() if match else self.pos
            if self.pos < len(self.buf) or not self.fill():
                return self.buf[self.pos : self.pos + 1]

    def take(self, expected: str, what: str) -> None:
        if self.peek() != expected:
            found = repr(self.peek()) if self.peek() else "the end of the file"
            raise self.fail(self.pos, f"expected {what}, found {found}")
        self.pos += 1

    def value(self) -> Any:
        """The next JSON value, reading more of the file until it is complete."""
        self.peek()
        while True:
            try:
                found, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as err:
                cut_short = err.pos >= len(self.buf) - 8 or err.msg.startswith("Unterminated")
                if cut_short and self.fill():
                    continue
                raise self.fail(err.pos, err.msg) from None
            except RefusedNumber as err:
                found = self.buf.find(err.token, self.pos)
                raise self.fail(found if found >= 0 else self.pos, str(err)) from None
            except RecursionError:
                raise self.fail(
                    self.pos, "the value that starts here is nested too deeply"
                ) from None
            if end >= len(self.buf) and not self.eof and self.fill():
                continue  # a number may go on in the next chunk
            self.pos = end
            return found


def read_export(
    fp: TextIO, source: str, on_read: Callable[[int], None] = lambda n: None
) -> Iterator[tuple[str | int, Any]]:
    """Yield ``(key, value)`` for each top-level member — for ``incidents``, ``(key, None)``
    and then ``(index, incident)`` for each element (an int index) — and raise
    :class:`ReadError` on bad JSON."""
    buffer = _Buffer(fp, source, on_read)
    buffer.take("{", "a JSON object")
    seen: set[str] = set()
    if buffer.peek() == "}":
        buffer.pos += 1
    else:
        while True:
            start = buffer.pos
            key = buffer.value()
            if not isinstance(key, str):
                raise buffer.fail(start, "expected a member name in double quotes")
            if key in seen:
                raise ReadError(f"{source}: {key}: appears twice")
            seen.add(key)
            buffer.take(":", "':'")
            if key == LIST_KEY:
                if buffer.peek() != "[":
                    raise ReadError(f"{source}: {LIST_KEY}: expected a list of incidents")
                yield key, None  # the list starts; its elements follow
                yield from _elements(buffer)
            else:
                yield key, buffer.value()
            if buffer.peek() == ",":
                buffer.pos += 1
                continue
            buffer.take("}", "',' or '}'")
            break
    if buffer.peek():
        raise buffer.fail(buffer.pos, "extra data after the document")


def _elements(buffer: _Buffer) -> Iterator[tuple[str | int, Any]]:
    buffer.take("[", "'['")
    if buffer.peek() == "]":
        buffer.pos += 1
        return
    index = 0
    while True:
        yield index, buffer.value()
        index += 1
        if buffer.peek() == ",":
            buffer.pos += 1
            continue
        buffer.take("]", "',' or ']'")
        return
