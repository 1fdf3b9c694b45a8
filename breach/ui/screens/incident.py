"""One incident: duties (mark done), facts (edit, versions), timeline (notes), notices
(draft to sent) and the decision; laid out for the terminal's width."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Header,
    Static,
    TabbedContent,
    TabPane,
)

from ...errors import BreachError
from ...model import Decision
from ...service.words import DutyWords
from ...textsafe import clean_data, one_line
from ..formatting import countdown_text, parse_utc
from ..widgets.decision_panel import DecisionPanel
from ..widgets.footer import SteadyFooter
from ..widgets.steady import SteadyStatic
from .facts_view import facts_text
from .incident_actions import IncidentActions
from .incident_duties import (
    CUSTOMERS,
    NOT_REQUIRED,
    cursor_key,
    customers_left,
    duty_detail,
    fill_duties,
    next_action,
    set_left,
)
from .incident_notices import IncidentNotices
from .team import on_it_text, timeline_text

if TYPE_CHECKING:
    from ...service.incidents import IncidentService
    from ...service.notices import NoticeService
    from ...service.team import TeamService
    from ..app import BreachApp


#: The timeline tab shows this many latest events.
TIMELINE_LIMIT = 300
#: Under the Notices tab's list.
NOTICES_HELP = (
    "enter or w: open the notice to edit it, choose its language, save versions and mark it "
    "sent (the next one due is first)"
)
#: Below this many columns the decision panel is hidden (p shows it): the lists need them.
PANEL_MIN_WIDTH = 140


class IncidentScreen(IncidentActions, IncidentNotices, Screen[None]):
    """Everything about one incident, kept current with its countdowns."""

    # the footer holds what a responder needs at 80 columns; f1 lists every key
    BINDINGS = [
        Binding("d", "mark_done", "Done", id="mark-done"),
        Binding("w", "write_notice", "Notice", id="write-notice"),
        Binding("n", "note", "Note", id="note"),
        Binding("e", "edit", "Facts", id="edit"),
        Binding("c", "toggle_closed", "Close", id="close"),
        Binding("r", "report", "Report", id="report"),
        Binding("x", "export", "Export", id="export"),
        Binding("f1", "app.help", "Help", id="more-keys"),
        Binding("escape", "back", "Back", id="back", show=False),
        Binding("ctrl+q", "app.quit", "Quit", id="quit-here", show=False),
        Binding("u", "reopen_duty", "Reopen duty", id="reopen-duty", show=False),
        Binding("h", "handover", "Handover", id="handover", show=False),
        Binding("a", "assign", "Assign", id="assign", show=False),
        Binding("f3", "find_out", "Find out first", id="find-out", show=False),
        Binding("f2", "override", "Override risk", id="override", show=False),
        Binding("1", "tab('tab-duties')", "Duties", id="tab-duties", show=False),
        Binding("2", "tab('tab-facts')", "Facts", id="tab-facts", show=False),
        Binding("3", "tab('tab-timeline')", "Timeline", id="tab-timeline", show=False),
        Binding("4", "tab('tab-notices')", "Notices", id="tab-notices", show=False),
        Binding("j", "toggle_json", "Facts as JSON", id="facts-json", show=False),
        Binding("p", "toggle_panel", "Decision panel", id="panel", show=False),
    ]

    def __init__(self, incident_id: str) -> None:
        super().__init__()
        self.start(incident_id)

    def start(self, incident_id: str) -> None:
        """Show ``incident_id`` from the start (the screen is kept for the next incident
        opened: building it anew costs more than the 50 ms a key may take)."""
        self.incident_id = incident_id
        self.data: dict[str, Any] = {}
        self._ordered: list[dict[str, Any]] = []
        #: the duties listed one by one, and the controller customers folded into one row
        self._shown: list[dict[str, Any]] = []
        self._customers: list[dict[str, Any]] = []
        self._targets: dict[str, Any] = {}
        #: whether the not-required duties are shown one by one (enter on their line)
        self.show_all = False
        #: whether the Facts tab shows the stored JSON instead of the summary
        self.facts_as_json = False
        #: the decision panel shown (True), hidden (False), or by the width (None)
        self.panel: bool | None = None
        #: the width the lists were laid out for, and the incident version whose
        #: notices' unknowns the Facts tab shows
        self._laid_out_for = 0
        self._lacking_for: int | None = None
        #: the log's change mark when last read (see IncidentLog.change_mark)
        self._loaded_mark: tuple[int, int] | None = None
        if self.is_mounted:  # kept for the next incident: filled before it is shown
            self._open()

    @property
    def breach(self) -> BreachApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield SteadyStatic(id="incident-title")
        yield SteadyStatic(id="next-action")
        with Horizontal(id="incident"):
            with TabbedContent(id="tabs"):
                with TabPane("Duties", id="tab-duties"):
                    yield DataTable(cursor_type="row", id="duties")
                    yield SteadyStatic(id="duty-detail")
                with TabPane("Facts", id="tab-facts"), VerticalScroll():
                    yield SteadyStatic(id="lacking")
                    yield SteadyStatic(id="facts")
                with TabPane("Timeline", id="tab-timeline"), VerticalScroll():
                    yield SteadyStatic(id="timeline")
                with TabPane("Notices", id="tab-notices"):
                    yield DataTable(cursor_type="row", id="notices")
                    yield Static(NOTICES_HELP, id="notices-help")
            yield DecisionPanel(id="decision")
        yield SteadyFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.reload()
        self._mounted_now = True  # the first resume follows at once: no second read
        self.set_interval(1.0, self.tick)
        # the duty list has the keys: d, u, a act on the row under the cursor at once
        self.query_one("#duties", DataTable).focus()

    def on_screen_resume(self) -> None:
        if getattr(self, "_mounted_now", False):
            self._mounted_now = False
            return
        # back from a notice or a dialog: read again only if the log changed meanwhile
        if self.breach.incident_log.change_mark() != self._loaded_mark:
            self.reload()
        else:
            self.tick()

    def _open(self) -> None:
        """Show the incident :meth:`start` set from its first row and tab (while the
        screen is hidden: it is then laid out once, when shown)."""
        for selector in ("#duties", "#notices"):
            self.query_one(selector, DataTable).move_cursor(row=0)
        self.query_one("#tabs", TabbedContent).active = "tab-duties"
        self.reload()
        self.query_one("#duties", DataTable).focus()

    def reload(self) -> None:
        """Read the incident again and redraw every part."""
        # everything typed or imported is shown neutralised (controls, bidi overrides)
        self._loaded_mark = self.breach.incident_log.change_mark()
        self.data = clean_data(self.breach.incident_log.incident(self.incident_id))
        now = self.breach.clock()
        zone_name = self.breach.zone_name
        d = self.data
        self.query_one("#incident-title", SteadyStatic).show(
            Text.assemble(
                (f"{d['id']} ", "bold"),
                one_line(d["title"]),
                f"  · {one_line(d['organisation_name'])} · {d['role']}"
                f" · risk {d['risk'] or 'not assessed'} · {d['status']}",
                on_it_text(d),
            )
        )
        table = self.query_one("#duties", DataTable)
        cursor = table.cursor_row
        table.clear()
        on_duty = (d.get("assignees") or {}).get("duties") or {}
        self._ordered = self.notice_service().in_order(d)
        words = self._words = DutyWords(self.breach.incident_log.rules)
        width = self._laid_out_for = self.list_width()
        self._shown, self._customers = fill_duties(
            table, self._ordered, words, now, zone_name, on_duty, self.show_all, width
        )
        action = next_action(self._ordered, words, now) if d["status"] == "open" else Text()
        if d["status"] == "open" and (d.get("decision") or {}).get("decisive"):
            action.append(" · f3: what to find out first", style="dim")
        self.query_one("#next-action", SteadyStatic).show(action)
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1))
        self.show_detail()
        if self.query_one("#tabs", TabbedContent).active == "tab-facts":
            self.show_lacking()
        self.show_facts()
        timeline = timeline_text(d["events"], zone_name, TIMELINE_LIMIT)
        self.query_one("#timeline", SteadyStatic).show(timeline)
        decision = Decision.model_validate(d["decision"]) if d["decision"] else None
        self._decision = decision
        self.show_decision(now)
        self.show_notices(words, now, zone_name, width)

    def list_width(self) -> int:
        """The cells the lists have: the screen's, less the decision panel's if shown."""
        width = self.size.width or self.app.size.width
        shown = width >= PANEL_MIN_WIDTH if self.panel is None else self.panel
        panel = self.query_one("#decision", DecisionPanel)
        panel.display = shown
        return width - (max(width * 30 // 100, 34) if shown else 0)

    def on_resize(self) -> None:
        # the lists are laid out for the width: redraw only when it changed
        if self.data and self.list_width() != self._laid_out_for:
            self.reload()

    def action_toggle_panel(self) -> None:
        """Show or hide the decision panel (hidden by itself on a narrow terminal)."""
        self.panel = not self.query_one("#decision", DecisionPanel).display
        self.reload()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "tab-facts":
            # drafting every notice takes a while: the tab shows first, this follows
            self.call_after_refresh(self.show_lacking)

    @property
    def incidents(self) -> IncidentService:
        """The incident service of the app's incident log."""
        return self.breach.incident_log.incidents

    @property
    def team(self) -> TeamService:
        """Assignments and handovers in the app's incident log."""
        return self.breach.incident_log.team

    def notice_service(self) -> NoticeService:
        """The notice service of the app's incident log."""
        return self.breach.incident_log.notices

    def show_decision(self, now: Any) -> None:
        """The decision panel, with the duties done so far shown as done."""
        done = frozenset(d["id"] for d in self.data["obligations"] if d["done_at"])
        panel = self.query_one("#decision", DecisionPanel)
        panel.show(self._decision, now, self.breach.zone_name, "no assessment", done)
        self._panel_minute = now.replace(second=0, microsecond=0)

    def tick(self) -> None:
        """Refresh the countdown column; the panel's clocks once a minute."""
        if not self.data or not self.is_current:  # kept for the next incident, not shown
            return
        table = self.query_one("#duties", DataTable)
        now = self.breach.clock()
        if now.replace(second=0, microsecond=0) != getattr(self, "_panel_minute", None):
            self.show_decision(now)
        for duty in self._shown:
            if not duty["done_at"] and duty["status"] == "required":
                set_left(table, duty["id"], countdown_text(parse_utc(duty["due_at"]), now))
        if self._customers:
            set_left(table, CUSTOMERS, customers_left(self._customers, now))
        self.tick_notices(now)

    def show_lacking(self) -> None:
        """What each notice still to send lacks (drafted only when the facts tab shows,
        and again only once the incident changed)."""
        if self._lacking_for == self.data["version"]:
            return
        self._lacking_for = self.data["version"]
        try:
            lacking = self.notice_service().lacking(self.incident_id)
        except BreachError as err:
            self.query_one("#lacking", SteadyStatic).show(f"Notices cannot be drafted: {err}")
            return
        text = Text()
        if lacking:
            text.append("Still to be confirmed in the notices to send\n", style="bold yellow")
        duties = {d["id"]: d for d in self.data["obligations"]}
        for duty_id, count, unknowns in lacking:
            many = f" ({count:,} notices)" if count > 1 else ""
            what = self._words.duty(duties[duty_id]) if duty_id in duties else duty_id
            text.append(f"  {what}{many}: ", style="bold")
            text.append(("; ".join(unknowns) or "complete") + "\n")
        self.query_one("#lacking", SteadyStatic).show(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "duties":
            self.show_detail()

    def show_detail(self) -> None:
        """The duty under the cursor in full (shown with the list, not a frame later
        when the table reports its cursor)."""
        key = cursor_key(self.query_one("#duties", DataTable))
        duty = next((o for o in self.data["obligations"] if o["id"] == key), None)
        detail = duty_detail(duty, self._words, self.breach.zone_name)
        self.query_one("#duty-detail", SteadyStatic).show(detail)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "duties" and event.row_key.value == NOT_REQUIRED:
            self.show_all = True
            self.reload()
        elif event.data_table.id == "duties" and event.row_key.value == CUSTOMERS:
            self.open_customers()
        elif event.data_table.id == "notices":
            self.action_write_notice()

    def _selected_duty(self) -> dict[str, Any] | None:
        """The duty under the cursor; on the folded customers, their dialog opens."""
        key = cursor_key(self.query_one("#duties", DataTable))
        if key == CUSTOMERS:
            self.open_customers()
            return None
        return next((d for d in self.data["obligations"] if d["id"] == key), None)

    def action_tab(self, pane: str) -> None:
        """Show a tab (keys 1-4) and put the keys where its content is."""
        self.query_one("#tabs", TabbedContent).active = pane
        if pane == "tab-duties":
            self.query_one("#duties", DataTable).focus()
        elif pane == "tab-notices":
            self.query_one("#notices", DataTable).focus()

    def show_facts(self) -> None:
        """The Facts tab: a readable summary, or the stored JSON (``j``)."""
        d = self.data
        text = facts_text(d["facts"], d["facts_history"], self.breach.zone_name, self.facts_as_json)
        self.query_one("#facts", SteadyStatic).show(text)

    def action_toggle_json(self) -> None:
        """The facts as a readable summary, or as stored (JSON)."""
        self.facts_as_json = not self.facts_as_json
        self.show_facts()
        self.action_tab("tab-facts")

    def action_back(self) -> None:
        self.app.pop_screen()
