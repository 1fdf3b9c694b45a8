"""The dashboard: every open incident with its nearest deadline counting down."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from ..formatting import countdown_text, parse_utc, plain

if TYPE_CHECKING:
    from ..app import BreachApp

PAGE = 200  # the dashboard shows the nearest 200 deadlines; search narrows the rest
COLUMNS = (
    ("due", "Deadline"),
    ("id", "Incident"),
    ("org", "Organisation"),
    ("role", "Role"),
    ("risk", "Risk"),
    ("regimes", "Regimes"),
    ("title", "What happened"),
)


class DashboardScreen(Screen[None]):
    """Incidents sorted by nearest open deadline, with live countdowns."""

    BINDINGS = [
        Binding("n", "new_incident", "New", id="new"),
        Binding("enter", "open_incident", "Open", id="open", show=False),
        Binding("slash", "search", "Search", id="search"),
        Binding("a", "toggle_closed", "All/open", id="toggle-closed"),
        Binding("m", "toggle_mine", "Mine/all", id="toggle-mine"),
        Binding("d", "open_demo", "Demo", id="demo"),
        # on the demo's dashboard d goes back (check_action shows one of the two)
        Binding("d", "back_to_own_log", "Back to my log", id="own-log"),
        # other processes' changes show by themselves: reload stays a key, not a footer item
        Binding("r", "reload", "Reload", id="reload", show=False),
        Binding("escape", "clear_search", "Clear search", id="clear-search", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.include_closed = False
        self.mine = False
        self.search_text = ""
        self.rows: dict[str, dict[str, Any]] = {}

    @property
    def breach(self) -> BreachApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="dashboard-status")
        yield Input(placeholder="Search id, title or organisation (as you type)", id="search")
        table: DataTable[Any] = DataTable(cursor_type="row", zebra_stripes=True, id="incidents")
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#incidents", DataTable).focus()
        self.set_interval(1.0, self.tick)

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Load one page of incidents (never the whole table) and show them."""
        rows = self.breach.incident_log.page(
            self.include_closed, self.search_text, PAGE, mine=self.mine
        )
        table = self.query_one("#incidents", DataTable)
        selected = self._selected_id()
        table.clear()
        self.rows = {row["id"]: row for row in rows}
        now = self.breach.clock()
        for row in rows:
            table.add_row(
                countdown_text(parse_utc(row["next_due"]), now, row["status"] == "closed"),
                row["id"],
                plain(row["organisation_name"]),
                row["role"],
                row["risk"] or "?",
                ", ".join(row["regimes"]),
                plain(row["title"]),
                key=row["id"],
            )
        if selected in self.rows:
            table.move_cursor(row=table.get_row_index(selected))
        self._status(len(rows))

    def _status(self, shown: int) -> None:
        total = self.breach.incident_log.count()
        scope = "all" if self.include_closed else "open"
        parts = [f"{shown} {scope} incident(s) shown of {total} recorded"]
        if self.mine:
            parts.append(f"mine: what {self.breach.incident_log.actor} is on (m: everyone's)")
        if self.search_text:
            parts.append(f"search: {self.search_text!r}")
        if shown == 0 and total == 0:
            parts.append("no incidents yet: n records one, d opens the demo database")
        if self.breach.incident_log.latest_draft():
            parts.append("an unfinished new incident is waiting: press n to resume it")
        self.query_one("#dashboard-status", Static).update(" · ".join(parts))

    def tick(self) -> None:
        """Update only the countdown cells: no reload, no flicker."""
        table = self.query_one("#incidents", DataTable)
        now = self.breach.clock()
        for incident_id, row in self.rows.items():
            table.update_cell(
                incident_id,
                "due",
                countdown_text(parse_utc(row["next_due"]), now, row["status"] == "closed"),
            )

    def _selected_id(self) -> str | None:
        table = self.query_one("#incidents", DataTable)
        if not self.rows or table.cursor_row < 0 or table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.breach.open_incident(str(event.row_key.value))

    def action_open_incident(self) -> None:
        incident_id = self._selected_id()
        if incident_id:
            self.breach.open_incident(incident_id)

    def action_new_incident(self) -> None:
        self.breach.new_incident()

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Search as you type: each key narrows the list (one indexed page query)."""
        if event.input.id == "search" and event.value.strip() != self.search_text:
            self.search_text = event.value.strip()
            self.reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.search_text = event.value.strip()
        if not self.search_text:
            event.input.display = False
        self.reload()
        self.query_one("#incidents", DataTable).focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        search.display = False
        self.search_text = ""
        self.reload()
        self.query_one("#incidents", DataTable).focus()

    def action_toggle_closed(self) -> None:
        self.include_closed = not self.include_closed
        self.reload()

    def action_toggle_mine(self) -> None:
        self.mine = not self.mine
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``d`` opens the demo on your log, and goes back to your log on the demo."""
        if action == "open_demo":
            return not self.breach.showing_demo
        if action == "back_to_own_log":
            return self.breach.showing_demo
        return True

    def action_open_demo(self) -> None:
        """Ask, then show the demo log (your own log stays as it is)."""
        self.breach.open_demo()

    def action_back_to_own_log(self) -> None:
        """From the demo's dashboard, back to your own log."""
        self.breach.open_demo()
