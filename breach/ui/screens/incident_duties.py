"""The incident screen's duty list in a responder's words: what to do first, the rest
folded into one line that opens, the rule id and reason only in the detail below."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from ...service.words import DutyWords
from ...textsafe import one_line
from ..formatting import countdown_text, local, parse_utc

#: the row key of the folded not-required duties
NOT_REQUIRED = "not-required"


def fill_duties(
    table: DataTable[Any],
    duties: list[dict[str, Any]],
    words: DutyWords,
    now: datetime,
    zone_name: str | None,
    on_duty: dict[str, str],
    show_all: bool,
) -> list[dict[str, Any]]:
    """Put the duties in ``table`` (required and exempt first; the not-required ones in
    one row unless ``show_all``); returns the duties shown as rows."""
    shown = [d for d in duties if show_all or d["status"] != "not_required"]
    for duty in shown:
        due = parse_utc(duty["due_at"])
        if duty["done_at"]:
            left = Text("✓ done", style="green")
            state = f"done {local(parse_utc(duty['done_at']), zone_name)}"
        elif duty["status"] != "required":
            left = Text(duty["status"].replace("_", " "), style="dim")
            state = duty["status"].replace("_", " ")
        else:
            left = countdown_text(due, now)
            state = "to do"
        if duty["id"] in on_duty:
            state += f" · {one_line(on_duty[duty['id']])}"
        table.add_row(left, words.duty(duty), local(due, zone_name), state, key=duty["id"])
    hidden = len(duties) - len(shown)
    if hidden:
        table.add_row(
            Text("…", style="dim"),
            Text(f"{hidden} not required — enter shows them", style="dim"),
            "",
            "",
            key=NOT_REQUIRED,
        )
    return shown


def next_action(duties: list[dict[str, Any]], words: DutyWords, now: datetime) -> Text:
    """ "Next: Notify the CNPD (Luxembourg) — telecom, 24 h · 5 h 12 m left — 4: its
    notice, d: mark it done", or that nothing is open."""
    waiting = [d for d in duties if d["status"] == "required" and not d["done_at"]]
    if not waiting:
        return Text("Nothing open: every required duty is done.", style="green")
    first = min(waiting, key=lambda d: (d["due_at"] or "9999", d["id"]))
    text = Text("Next: ", style="bold")
    text.append(words.duty(first), style="bold")
    if first["due_at"]:
        text.append(" · ")
        text.append_text(countdown_text(parse_utc(first["due_at"]), now))
    text.append(" — 4: its notice, d: mark it done", style="dim")
    return text


def duty_detail(duty: dict[str, Any] | None) -> Text:
    """The highlighted duty's id, basis and the reason it applies, to read aloud."""
    if duty is None:
        return Text("")
    text = Text(f"{duty['id']}", style="bold")
    text.append(f" · {one_line(duty['basis'])}\n", style="dim")
    text.append(one_line(duty["reason"]))
    if duty.get("exemption"):
        text.append(f"\nExempt: {one_line(str(duty['exemption']))}", style="italic")
    return text
