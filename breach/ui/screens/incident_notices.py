"""The incident screen's Notices tab: one row per notice the duties call for (the next due
first), its latest version, and enter (or w) to open it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import DataTable, TabbedContent

from ...service.notice_drafts import notice_kind
from ...service.words import DutyWords
from ..formatting import countdown_text, fit, parse_utc, short
from .customers import customers_screen
from .incident_duties import CUSTOMERS, cursor_key, customers_left, fold_customers, set_left
from .notice_target import NoticeTarget, target_of

if TYPE_CHECKING:
    from .incident import IncidentScreen

    _Base = IncidentScreen
else:
    _Base = object

#: the row key of the folded notices no duty requires (drafted as voluntary)
VOLUNTARY = "voluntary"


def latest_text(notices: list[dict[str, Any]], zone_name: str | None) -> Text:
    """ "v2 sent 20 Nov 13:05" / "v1 draft · 3 to confirm" / "not drafted"."""
    if not notices:
        return Text("not drafted", style="dim")
    last = max(notices, key=lambda n: n["id"])
    if last["status"] == "sent":
        sent = short(parse_utc(last["sent_at"]), zone_name)[4:]  # "20 Nov 10:05"
        return Text(f"v{last['version']} sent {sent}", style="green")
    unknowns = last.get("unknowns") or []
    left = f" · {len(unknowns)} to confirm" if unknowns else ""
    return Text(f"v{last['version']} draft{left}")


#: the Notices tab's columns: (key, label, width; 0 for the one that takes what is left)
COLUMNS = (("left", "Left", 15), ("notice", "Notice", 0), ("latest", "Latest", 20))


def fill_notices(
    table: DataTable[Any],
    data: dict[str, Any],
    ordered: list[dict[str, Any]],
    words: DutyWords,
    now: datetime,
    zone_name: str | None,
    show_all: bool,
    width: int,
) -> dict[str, NoticeTarget]:
    """Put the notices of the incident in ``table`` (its duties ``ordered`` as drafts pick
    them), laid out for ``width`` cells; returns the targets by row key."""
    if not table.columns:
        for key, label, _ in COLUMNS:
            table.add_column(label, key=key)
    what = max(width - sum(c[2] + 2 for c in COLUMNS) - 3, 16)
    rest, customers = fold_customers(ordered)
    folded = {d["id"] for d in customers}
    shown = [d for d in rest if show_all or d["status"] != "not_required"]
    targets: dict[str, NoticeTarget] = {}
    listed = folded | {d["id"] for d in shown}
    for duty in [d for d in ordered if d["id"] in listed]:
        if duty["id"] in folded:  # thousands of letters, written and recorded together
            if CUSTOMERS not in table.rows:  # in the place of the first one due
                done, required = sum(1 for d in customers if d["done_at"]), len(customers)
                informed = fit(f"Customers informed: {done:,} of {required:,}", what)
                left, hint = customers_left(customers, now), Text("enter: write all", "dim")
                table.add_row(left, informed, hint, key=CUSTOMERS)
            continue
        versions = [n for n in data.get("notices", []) if n["obligation"] == duty["id"]]
        voluntary = "Voluntary: " if duty["status"] != "required" else ""
        cells = [left_text(duty, now), fit(voluntary + words.duty(duty), what)]
        table.add_row(*cells, latest_text(versions, zone_name), key=duty["id"])
        targets[duty["id"]] = target_of(duty)
    hidden = len(rest) - len(shown)
    if hidden:
        folded = f"{hidden} not required — enter shows them (voluntary)"
        table.add_row(
            Text("…", style="dim"), Text(fit(folded, what), style="dim"), "", key=VOLUNTARY
        )
    return targets


def left_text(duty: dict[str, Any], now: datetime) -> Text:
    """How long is left for a duty, or that it is done, exempt or not required."""
    if duty["done_at"]:
        return Text("✓ done", style="green")
    if duty["status"] != "required":
        return Text(duty["status"].replace("_", " "), style="dim")
    return countdown_text(parse_utc(duty["due_at"]), now)


class IncidentNotices(_Base):
    """The Notices tab of :class:`~.incident.IncidentScreen` (a mixin)."""

    def show_notices(self, words: DutyWords, now: Any, zone_name: str | None, width: int) -> None:
        """The Notices tab: each notice the duties call for, the next due first."""
        table = self.query_one("#notices", DataTable)
        cursor = table.cursor_row
        table.clear()
        self._targets = fill_notices(
            table, self.data, self._ordered, words, now, zone_name, self.show_all, width
        )
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1))

    def tick_notices(self, now: datetime) -> None:
        """Refresh the Notices tab's countdowns."""
        table = self.query_one("#notices", DataTable)
        for duty in self._ordered:
            if duty["id"] in self._targets and duty["status"] == "required":
                set_left(table, duty["id"], left_text(duty, now))
        if self._customers:
            set_left(table, CUSTOMERS, customers_left(self._customers, now))

    def action_write_notice(self) -> None:
        """Open the notice of the duty under the cursor (or the next one due) to edit it,
        save versions and record it as sent."""
        on_notices = self.query_one("#tabs", TabbedContent).active == "tab-notices"
        key = cursor_key(self.query_one("#notices" if on_notices else "#duties", DataTable))
        if key == CUSTOMERS:
            self.open_customers()
            return
        if on_notices and key == VOLUNTARY:
            self.show_all = True
            self.reload()
            return
        duty = next((d for d in self.data["obligations"] if d["id"] == key), None)
        target = (
            self._targets.get(str(key))
            if on_notices
            else (target_of(duty) if duty and notice_kind(duty["duty"]) else None)
        )
        if target is None:  # the next one due, as the next-action line says
            folded = {d["id"] for d in self._customers}
            due = next(
                (
                    d
                    for d in self._ordered
                    if d["status"] == "required" and not d["done_at"] and notice_kind(d["duty"])
                ),
                None,
            )
            if due is not None and due["id"] in folded:
                self.open_customers()
                return
            target = target_of(due) if due else next(iter(self._targets.values()), None)
            if target is None:
                self.notify("This incident's duties call for no notice", severity="warning")
                return
        self.breach.open_notice(self.incident_id, target)

    def open_customers(self) -> None:
        """The controller customers' notices: write them all, record their delivery."""
        self.app.push_screen(customers_screen(self.data), lambda _: self.reload())
