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
from .incident_duties import set_left
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
    shown = [d for d in ordered if show_all or d["status"] != "not_required"]
    targets: dict[str, NoticeTarget] = {}
    for duty in shown:
        versions = [n for n in data.get("notices", []) if n["obligation"] == duty["id"]]
        voluntary = "Voluntary: " if duty["status"] != "required" else ""
        cells = [left_text(duty, now), fit(voluntary + words.duty(duty), what)]
        table.add_row(*cells, latest_text(versions, zone_name), key=duty["id"])
        targets[duty["id"]] = target_of(duty)
    hidden = len(ordered) - len(shown)
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

    def action_write_notice(self) -> None:
        """Open the notice of the duty under the cursor (or the next one due) to edit it,
        save versions and record it as sent."""
        tabs = self.query_one("#tabs", TabbedContent)
        target = None
        if tabs.active == "tab-notices":
            table = self.query_one("#notices", DataTable)
            if table.row_count:
                key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
                if key == VOLUNTARY:
                    self.show_all = True
                    self.reload()
                    return
                target = self._targets.get(str(key))
        else:
            duty = self._selected_duty(quiet=True)
            if duty is not None and notice_kind(duty["duty"]):
                target = target_of(duty)
        if target is None:
            waiting = next(iter(self._targets.values()), None)
            if waiting is None:
                self.notify("This incident's duties call for no notice", severity="warning")
                return
            target = waiting
        self.breach.open_notice(self.incident_id, target)
