"""The dashboard: every open incident with its nearest deadline counting down."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from ...service.filters import Filters
from ..formatting import countdown_text, parse_utc, plain
from ..widgets.footer import SteadyFooter

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

    # Short labels: at 80 columns the footer holds these, f1 Help, ctrl+q and the palette
    # key side by side; the keys left out of it (a, x, r, escape) are in the f1 help.
    BINDINGS = [
        Binding("n", "new_incident", "New", id="new"),
        Binding("enter", "open_incident", "Open", id="open", show=False),
        Binding("slash", "search", "Search", id="search"),
        Binding("f", "filter", "Filter", id="filter"),
        Binding("m", "toggle_mine", "Mine", id="toggle-mine"),
        Binding("d", "open_demo", "Demo", id="demo"),
        # on the demo's dashboard d goes back (check_action shows one of the two)
        Binding("d", "back_to_own_log", "My log", id="own-log"),
        # the status is in the filter dialog too: a stays a quick key, not a footer item
        Binding("a", "toggle_closed", "All/open", id="toggle-closed", show=False),
        Binding("x", "clear_filters", "Clear filters", id="clear-filters", show=False),
        # other processes' changes show by themselves: reload stays a key, not a footer item
        Binding("r", "reload", "Reload", id="reload", show=False),
        Binding("escape", "clear_search", "Clear search", id="clear-search", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filters = Filters()
        self.mine = False
        self.search_text = ""
        self.rows: dict[str, dict[str, Any]] = {}
        # names for the status line, as the filter dialog offered them
        self.organisation_names: dict[str, str] = {}
        self.regime_words: dict[str, str] = {}
        self.loaded_at: datetime | None = None
        self._loaded_mark: tuple[int, int] | None = None

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
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#incidents", DataTable).focus()
        self.set_interval(1.0, self.tick)

    def on_screen_resume(self) -> None:
        # back from an incident: read the page again only if the log changed meanwhile
        # (the countdowns tick by themselves)
        if self.breach.incident_log.change_mark() != self._loaded_mark:
            self.reload()
        else:
            self.tick()

    def reload(self) -> None:
        """Load one page of incidents (never the whole table) and show them."""
        rows = self.breach.incident_log.page(
            self.filters.status == "all", self.search_text, PAGE, self.mine, self.filters
        )
        self.loaded_at = self.breach.clock()
        self._loaded_mark = self.breach.incident_log.change_mark()
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
        parts = [f"{shown} {self.filters.status} incident(s) shown of {total} recorded"]
        if self.mine:
            parts.append(f"mine: what {self.breach.incident_log.actor} is on (m: everyone's)")
        if self.search_text:
            parts.append(f"search: {self.search_text!r}")
        if shown == 0 and total == 0:
            parts.append("no incidents yet: n records one, d opens the demo database")
        elif shown == 0 and self.filters.active:
            parts.append("none matches the filters")
        if self.breach.incident_log.latest_draft():
            parts.append("an unfinished new incident is waiting: press n to resume it")
        text = " · ".join(parts)
        if self.filters.active:
            words = self.filters.describe(self.organisation_names, self.regime_words)
            text += f"\nFilters: {words} — f to change, x to clear"
        self.query_one("#dashboard-status", Static).update(text)

    def tick(self) -> None:
        """Update only the countdown cells: no reload, no flicker (but a due window is
        counted again every minute: incidents move into it as time passes)."""
        if not self.is_current:  # under an incident: counted again when shown
            return
        table = self.query_one("#incidents", DataTable)
        now = self.breach.clock()
        if self.filters.due and self.loaded_at and now - self.loaded_at >= timedelta(minutes=1):
            self.reload()
            return
        for incident_id, row in self.rows.items():
            left = countdown_text(parse_utc(row["next_due"]), now, row["status"] == "closed")
            # a countdown reads differently once a minute: a cell redrawn for nothing
            # each second costs the next key its time
            if str(table.get_cell(incident_id, "due")) != left.plain:
                table.update_cell(incident_id, "due", left)

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
        """Open incidents, or open and closed ones (the other filters stay)."""
        status = "open" if self.filters.status == "all" else "all"
        self.filters = replace(self.filters, status=status)
        self.reload()

    def action_filter(self) -> None:
        """The filter dialog: status, organisation, regime, due window."""
        from .filters import FilterScreen

        log = self.breach.incident_log
        organisations = log.organisations()
        regimes = log.regimes()

        def chosen(filters: Filters | None) -> None:
            if filters is None:
                return  # escape: as they were
            self.organisation_names = organisations
            self.regime_words = {key: word for key, word, _ in regimes}
            self.filters = filters
            self.reload()

        self.app.push_screen(FilterScreen(self.filters, organisations, regimes), chosen)

    def action_clear_filters(self) -> None:
        """Back to every open incident (search and mine stay)."""
        if not self.filters.active:
            self.notify("No filters to clear (f chooses some)")
            return
        self.filters = Filters()
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
