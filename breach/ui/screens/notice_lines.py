"""The notice editor's lines about the text: each stored version in one line, and where
the text still reads a marker."""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text

from ...textsafe import one_line
from ..formatting import fit, local, parse_utc
from ..widgets.notice_text import NoticeText


def version_label(notice: dict[str, Any], zone_name: str | None) -> str:
    """ "#12 v2 · sent 20 Nov 13:05 · portal · ref 4711 · fr" for the version list."""
    parts = [f"#{notice['id']} v{notice['version']}"]
    if notice["status"] == "sent":
        parts.append(f"sent {local(parse_utc(notice['sent_at']), zone_name)}")
        parts += [str(notice[k]) for k in ("channel", "reference") if notice.get(k)]
    else:
        edited = " (edited)" if notice.get("edited") else ""
        parts.append(f"draft{edited} {local(parse_utc(notice['created_at']), zone_name)}")
    parts += [notice["phase"].replace("_", "-"), notice["language"], notice.get("actor") or ""]
    return one_line(" · ".join(p for p in parts if p))


def marker_list(editor: NoticeText) -> Text:
    """ "3 still to be confirmed — ctrl+g goes to each: line 8 Notified by · line 18 Date
    and time of the incident (2)" — each line once, named by its label."""
    spans = editor.markers()
    if not spans:
        return Text("No marker left: every fact the notice needs is filled in.", style="green")
    text = Text(f"{len(spans)} still to be confirmed", style="bold yellow")
    text.append(" — ctrl+g goes to each: ")
    rows: dict[int, int] = {}
    for row, _, _ in spans:
        rows[row] = rows.get(row, 0) + 1
    places = []
    for row, count in list(rows.items())[:5]:
        start = next(s[1] for s in spans if s[0] == row)
        label = _LABEL.sub("", editor.document.get_line(row)[:start]).split(":")[0].strip()
        many = f" ({count})" if count > 1 else ""
        places.append(f"line {row + 1} {fit(one_line(label), 30)}{many}".rstrip())
    text.append(" · ".join(places) + (" · …" if len(rows) > 5 else ""))
    return text


#: a list bullet or a number before a notice line's label ("- 4. ", "* ", "12. ")
_LABEL = re.compile(r"^[\s\-*•]*(\d+[.)–-]*\d*\.?\s*)?")
