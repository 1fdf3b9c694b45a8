"""``breach.export/1`` as a stream: a header, then one incident per line, then the end.

Nothing is collected: each incident is written as soon as it is read, so memory stays
flat however many incidents there are. The file is ordinary JSON (``json.load`` reads it)
and, one incident per line, easy to inspect with line tools.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from .common import json_safe
from .source import assemble

EXPORT_SCHEMA = "breach.export/1"


def page_lines(ids: list[str], page: dict[str, dict[str, Any]]) -> tuple[int, bytes]:
    """A page of incidents as document lines (``,\n`` between them), built where the page
    is read, so the writing thread only writes."""
    return len(ids), b",\n".join(json_safe(assemble(incident_id, page)) for incident_id in ids)


def write_json(
    out: BinaryIO,
    pages: Iterable[tuple[int, bytes]],
    exported_at: str,
    tick: Callable[[int], None],
) -> int:
    """Write the document with the incident ``pages``; returns how many incidents."""
    out.write(
        b'{"schema":%s,"exported_at":%s,"incidents":['
        % (json.dumps(EXPORT_SCHEMA).encode(), json.dumps(exported_at).encode())
    )
    separator, written = b"\n", 0
    for count, lines in pages:
        if not count:
            continue
        out.write(separator)
        out.write(lines)
        separator = b",\n"
        written += count
        tick(count)
    out.write(b"\n]}\n")
    return written
