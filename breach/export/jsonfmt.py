"""``breach.export/1`` as a stream: a header, then one incident per line, then the end.

Nothing is collected: each incident is written as soon as it is read, so memory stays
flat however many incidents there are. The file is ordinary JSON (``json.load`` reads it)
and, one incident per line, easy to inspect with line tools.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from ..textsafe import json_safe_bytes
from .source import assemble

EXPORT_SCHEMA = "breach.export/1"


def page_lines(ids: list[str], page: dict[str, dict[str, Any]]) -> tuple[int, list[bytes]]:
    """A page of incidents as the pieces of its document lines (``,\n`` between them),
    every character a terminal obeys escaped; built where the page is read."""
    pieces: list[bytes] = []
    for incident_id in ids:
        if pieces:
            pieces.append(b",\n")
        pieces += [json_safe_bytes(piece) for piece in assemble(incident_id, page)]
    return len(ids), pieces


def write_json(
    out: BinaryIO,
    pages: Iterable[tuple[int, list[bytes]]],
    exported_at: str,
    tick: Callable[[int], None],
    audit_head: tuple[int, str] | None = None,
) -> int:
    """Write the document with the incident ``pages``; returns how many incidents."""
    header: dict[str, Any] = {"schema": EXPORT_SCHEMA, "exported_at": exported_at}
    if audit_head is not None:
        header["audit_head"] = {"seq": audit_head[0], "hash": audit_head[1]}
    out.write(json.dumps(header, separators=(",", ":")).encode()[:-1] + b',"incidents":[')
    separator, written = b"\n", 0
    for count, pieces in pages:
        if not count:
            continue
        write_all(out, [separator, *pieces])
        separator = b",\n"
        written += count
        tick(count)
    out.write(b"\n]}\n")
    return written


def write_all(out: BinaryIO, pieces: list[bytes]) -> None:
    """Write ``pieces`` in order: with ``writev`` straight from them when ``out`` is a file
    (no joining copy), else joined."""
    try:
        fd = out.fileno()
    except (AttributeError, OSError, ValueError):
        out.write(b"".join(pieces))
        return
    out.flush()
    views = [memoryview(piece) for piece in pieces if piece]
    start = 0
    while start < len(views):
        written = os.writev(fd, views[start : start + 1024])  # at most IOV_MAX at once
        while start < len(views) and written >= len(views[start]):
            written -= len(views[start])
            start += 1
        if written:  # a partial write: the rest of this piece goes next
            views[start] = views[start][written:]
