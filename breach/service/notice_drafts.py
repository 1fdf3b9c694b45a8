"""A notice being worked on (:class:`Draft`), and what a screen needs to show one: which
notice kind a duty calls for, and where the text still reads a marker."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..notices.kinds import KIND_DUTIES
from ..notices.merge import Conflict
from ..notices.safe import ANY_MARKER


@dataclass
class Draft:
    """A notice as it would be sent now, with what is still unknown and what was kept."""

    kind: str
    language: str
    format: str
    obligation: str | None
    recipient: str
    phase: str
    text: str
    generated: str
    unknowns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kept_edits_of: int | None = None
    conflicts: list[Conflict] = field(default_factory=list)
    facts_version: int = 0
    #: the stored version this draft was opened from (None: rendered from the facts now)
    stored_id: int | None = None

    @property
    def markers_left(self) -> int:
        """How many markers (``[to be confirmed]``, ``[à confirmer]``…) the text still holds."""
        return len(ANY_MARKER.findall(self.text))


#: the file name extension of each notice format
EXTENSIONS = {"text": "txt", "md": "md", "html": "html", "edpb-json": "json"}


def file_name(incident_id: str, draft: Draft) -> str:
    """``BR-2026-0001-processor.notify_controller.acme.txt``: one file per recipient."""
    return f"{incident_id}-{draft.obligation or draft.kind}.{EXTENSIONS[draft.format]}"


def still_to_send(duties: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """The required duties a notice of ``kind`` is for that are not yet done."""
    wanted = KIND_DUTIES[kind]
    return [
        d for d in duties if d["duty"] in wanted and d["status"] == "required" and not d["done_at"]
    ]


def from_stored(notice: dict[str, Any]) -> Draft:
    """A stored version opened to be edited further: saving it makes a new version based
    on the same machine text, so later renderings still keep the edits."""
    unknowns = notice.get("unknowns") or []
    if isinstance(unknowns, str):
        unknowns = json.loads(unknowns)
    return Draft(
        kind=notice["kind"],
        language=notice["language"],
        format=notice["format"],
        obligation=notice["obligation"],
        recipient=notice["recipient"] or "",
        phase=notice["phase"],
        text=notice["text"],
        generated=notice["generated"] if notice["generated"] is not None else notice["text"],
        unknowns=list(unknowns),
        facts_version=int(notice.get("facts_version") or 0),
        stored_id=int(notice["id"]),
    )


def notice_kind(duty_name: str) -> str | None:
    """The notice kind a duty (``notify_authority``, ``notify_controller``…) is done by."""
    return next((kind for kind, duties in KIND_DUTIES.items() if duty_name in duties), None)


def marker_spans(text: str) -> list[tuple[int, int, int]]:
    """Where the text still reads a marker: (line, first column, end column), from 0."""
    return [
        (row, found.start(), found.end())
        for row, line in enumerate(text.split("\n"))
        for found in ANY_MARKER.finditer(line)
    ]
