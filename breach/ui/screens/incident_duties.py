"""The incident screen's duty list in a responder's words: what to do first, the rest
folded into one line that opens, the rule id and reason only in the detail below."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from ...service.words import DutyWords
from ...textsafe import one_line
from ..formatting import countdown_text, fit, local, parse_utc, short

#: the row key of the folded not-required duties
NOT_REQUIRED = "not-required"
#: above this many controller customers, their duties fold into one row
FOLD = 10
#: the row key of the folded customers
CUSTOMERS = "customers"


def set_left(table: DataTable[Any], row: str, text: Text) -> None:
    """Put a countdown in the Left column only when it reads differently: it changes once
    a minute, and redrawing a table each second for nothing costs every key."""
    if str(table.get_cell(row, "left")) != text.plain:
        table.update_cell(row, "left", text)


def cursor_key(table: DataTable[Any]) -> str | None:
    """The key of the row under the cursor (None in an empty table)."""
    if not table.row_count or table.cursor_row < 0:
        return None
    return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)


def fold_customers(
    duties: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the duties to list one by one, the controller customers folded into one row)."""
    customers = [
        d for d in duties if d["duty"] == "notify_controller" and d["status"] == "required"
    ]
    if len(customers) <= FOLD:
        return duties, []
    folded = {d["id"] for d in customers}
    return [d for d in duties if d["id"] not in folded], customers


def customers_left(customers: list[dict[str, Any]], now: datetime) -> Text:
    """The countdown of the controller customers' next notice due, or that all are done."""
    waiting = [d["due_at"] for d in customers if not d["done_at"]]
    return countdown_text(parse_utc(min(waiting)), now) if waiting else Text("✓ done", "green")


def customers_row(
    table: DataTable[Any],
    customers: list[dict[str, Any]],
    now: datetime,
    zone_name: str | None,
    what: int,
) -> list[Any]:
    """One row for thousands of controller customers (its text fit into ``what`` cells):
    how many informed, the next due."""
    waiting = [d["due_at"] for d in customers if not d["done_at"]]
    done = len(customers) - len(waiting)
    informed = f"{done:,} of {len(customers):,} controller customers informed"
    cells: list[Any] = [customers_left(customers, now), fit(informed, what)]
    if "due" in [str(k.value) for k in table.columns]:
        cells.append(short(parse_utc(min(waiting)), zone_name) if waiting else "")
    return [*cells, "enter: all"]


#: the duty list's columns: (key, label, width; 0 for the one that takes what is left)
COLUMNS = (
    ("left", "Left", 15),
    ("duty", "What to do", 0),
    ("due", "Due", 16),
    ("state", "Status", 14),
)
#: below this many columns the duty list leaves out the due time (Left says it)
WIDE = 90


def set_columns(table: DataTable[Any], width: int) -> int:
    """Lay the duty list out for ``width`` cells; returns the width of "What to do"."""
    columns = [c for c in COLUMNS if width >= WIDE or c[0] != "due"]
    if [str(k.value) for k in table.columns] != [c[0] for c in columns]:
        table.clear(columns=True)
        for key, label, _ in columns:
            table.add_column(label, key=key)
    return max(width - sum(c[2] + 2 for c in columns) - 3, 16)


def fill_duties(
    table: DataTable[Any],
    duties: list[dict[str, Any]],
    words: DutyWords,
    now: datetime,
    zone_name: str | None,
    on_duty: dict[str, str],
    show_all: bool,
    width: int,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Put the duties in ``table``, laid out for ``width`` cells (required and exempt
    first; the not-required ones in one row unless ``show_all``; more than ten controller
    customers in one row last); returns (the duties shown as rows, those folded customers)."""
    what = set_columns(table, width)
    with_due = "due" in [str(k.value) for k in table.columns]
    duties, customers = fold_customers(duties)
    shown = [d for d in duties if show_all or d["status"] != "not_required"]
    for duty in shown:
        due = parse_utc(duty["due_at"])
        if duty["done_at"]:
            left = Text("✓ done", style="green")
            state = short(parse_utc(duty["done_at"]), zone_name)[4:]  # "20 Nov 10:05"
        elif duty["status"] != "required":
            left = Text(duty["status"].replace("_", " "), style="dim")
            state = ""
        else:
            left = countdown_text(due, now)
            state = "to do"
        if duty["id"] in on_duty:
            state = one_line(on_duty[duty["id"]])  # who is on it says more than "to do"
        cells = [left, fit(words.duty(duty), what)]
        if with_due:
            cells.append(short(due, zone_name))
        table.add_row(*cells, fit(state, COLUMNS[3][2]), key=duty["id"])
    hidden = len(duties) - len(shown)
    if hidden:
        folded = Text(fit(f"{hidden} not required — enter shows them", what), style="dim")
        blanks = [""] * (len(table.columns) - 2)
        table.add_row(Text("…", style="dim"), folded, *blanks, key=NOT_REQUIRED)
    if customers:
        table.add_row(*customers_row(table, customers, now, zone_name, what), key=CUSTOMERS)
    return shown, customers


def next_action(duties: list[dict[str, Any]], words: DutyWords, now: datetime) -> Text:
    """ "Next: Notify the CNPD (Luxembourg) — telecom, 24 h · 5 h 12 m left — w: write
    its notice, d: mark it done" for the first open duty of ``duties`` (in the lists'
    order), or that nothing is open."""
    waiting = [d for d in duties if d["status"] == "required" and not d["done_at"]]
    if not waiting:
        return Text("Nothing open: every required duty is done.", style="green")
    first = waiting[0]  # in the order the lists show: nearest due, home country first
    text = Text("Next: ", style="bold")
    text.append(words.duty(first), style="bold")
    if first["due_at"]:
        text.append(" · ")
        text.append_text(countdown_text(parse_utc(first["due_at"]), now))
    text.append(" — w: write its notice, d: mark it done", style="dim")
    return text


def duty_detail(duty: dict[str, Any] | None, words: DutyWords, zone_name: str | None) -> Text:
    """The highlighted duty in full: what to do and by when, its id, basis and the reason
    it applies, to read aloud."""
    if duty is None:
        return Text("")
    text = Text(words.duty(duty), style="bold")
    if duty["due_at"]:
        text.append(f" · due {local(parse_utc(duty['due_at']), zone_name)}")
    text.append(f"\n{duty['id']}", style="bold")
    text.append(f" · {one_line(duty['basis'])}\n", style="dim")
    text.append(one_line(duty["reason"]))
    if duty.get("exemption"):
        text.append(f"\nExempt: {one_line(str(duty['exemption']))}", style="italic")
    return text
