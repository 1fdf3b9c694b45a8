"""One incident: duties (mark done), facts (edit, versions), timeline (notes), decision."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from ...errors import BreachError
from ...files import private_file, write_private_text
from ...model import Decision
from ...service import NOTICE_KINDS
from ...service.words import DutyWords
from ...textsafe import clean_data, one_line
from ..formatting import countdown_text, local, parse_utc
from ..widgets.decision_panel import DecisionPanel
from .facts_view import facts_text
from .incident_actions import IncidentActions
from .incident_duties import NOT_REQUIRED, duty_detail, fill_duties, next_action
from .team import on_it_text, timeline_text

if TYPE_CHECKING:
    from ...service.incidents import IncidentService
    from ...service.notices import NoticeService
    from ...service.team import TeamService
    from ..app import BreachApp


#: Above this many controller customers, their duties fold into one row.
FOLD = 10
#: The row key of the folded customers.
CUSTOMERS = "customers"
#: The timeline tab shows this many latest events.
TIMELINE_LIMIT = 300


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


class IncidentScreen(IncidentActions, Screen[None]):
    """Everything about one incident, kept current with its countdowns."""

    BINDINGS = [
        Binding("d", "mark_done", "Mark done", id="mark-done"),
        # not in the footer (it is full): the help (f1) lists it
        Binding("u", "reopen_duty", "Reopen duty", id="reopen-duty", show=False),
        Binding("n", "note", "Note", id="note"),
        Binding("h", "handover", "Handover", id="handover"),
        Binding("a", "assign", "Assign", id="assign"),
        Binding("e", "edit", "Edit facts", id="edit"),
        Binding("f3", "find_out", "Find out first", id="find-out"),
        Binding("f2", "override", "Override risk", id="override"),
        Binding("c", "toggle_closed", "Close/reopen", id="close"),
        Binding("y", "copy_notice", "Copy notice", id="copy-notice"),
        Binding("s", "save_notice", "Save notice", id="save-notice", show=False),
        Binding("r", "report", "Report", id="report"),
        Binding("x", "export", "Export", id="export"),
        Binding("escape", "back", "Back", id="back"),
        Binding("1", "tab('tab-duties')", "Duties", id="tab-duties", show=False),
        Binding("2", "tab('tab-facts')", "Facts", id="tab-facts", show=False),
        Binding("3", "tab('tab-timeline')", "Timeline", id="tab-timeline", show=False),
        Binding("4", "tab('tab-notices')", "Notices", id="tab-notices", show=False),
        Binding("j", "toggle_json", "Facts as JSON", id="facts-json", show=False),
    ]

    def __init__(self, incident_id: str) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.data: dict[str, Any] = {}
        #: whether the not-required duties are shown one by one (enter on their line)
        self.show_all = False
        #: whether the Facts tab shows the stored JSON instead of the summary
        self.facts_as_json = False

    @property
    def breach(self) -> BreachApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="incident-title")
        yield Static("", id="next-action")
        with Horizontal(id="incident"):
            with TabbedContent(id="tabs"):
                with TabPane("Duties", id="tab-duties"):
                    table: DataTable[Any] = DataTable(cursor_type="row", id="duties")
                    for key, label in (
                        ("left", "Left"),
                        ("duty", "What to do"),
                        ("due", "Due"),
                        ("state", "Status"),
                    ):
                        table.add_column(label, key=key)
                    yield table
                    yield Static("", id="duty-detail")
                with TabPane("Facts", id="tab-facts"), VerticalScroll():
                    yield Static("", id="lacking")
                    yield Static("", id="facts")
                with TabPane("Timeline", id="tab-timeline"), VerticalScroll():
                    yield Static("", id="timeline")
                with TabPane("Notices", id="tab-notices"):
                    yield Select(
                        [(k.replace("_", " "), k) for k in NOTICE_KINDS],
                        value="authority",
                        allow_blank=False,
                        id="notice-kind",
                    )
                    yield Static("", id="notice-status")
                    yield TextArea("", read_only=True, id="notice-text")
            yield DecisionPanel(id="decision")
        yield Footer()

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
        self.reload()

    def reload(self) -> None:
        """Read the incident again and redraw every part."""
        # everything typed or imported is shown neutralised (controls, bidi overrides)
        self.data = clean_data(self.breach.incident_log.incident(self.incident_id))
        now = self.breach.clock()
        zone_name = self.breach.zone_name
        d = self.data
        self.query_one("#incident-title", Static).update(
            Text.assemble(
                (f"{d['id']} ", "bold"),
                one_line(d["title"]),
                f"  · {one_line(d['organisation_name'])} · {d['role']} · {d['status']}",
                on_it_text(d),
            )
        )
        table = self.query_one("#duties", DataTable)
        cursor = table.cursor_row
        table.clear()
        on_duty = (d.get("assignees") or {}).get("duties") or {}
        rest, customers = fold_customers(self.duties())
        words = DutyWords(self.breach.incident_log.rules)
        self._shown = fill_duties(table, rest, words, now, zone_name, on_duty, self.show_all)
        self._customers = customers
        self.query_one("#next-action", Static).update(
            next_action(d["obligations"], words, now) if d["status"] == "open" else ""
        )
        if customers:
            table.add_row(*self._customers_row(now, zone_name), key=CUSTOMERS)
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1))
        if self.query_one("#tabs", TabbedContent).active == "tab-facts":
            self.show_lacking()
        self.show_facts()
        timeline = timeline_text(d["events"], zone_name, TIMELINE_LIMIT)
        self.query_one("#timeline", Static).update(timeline)
        decision = Decision.model_validate(d["decision"]) if d["decision"] else None
        self._decision = decision
        self.show_decision(now)
        if self.query_one("#tabs", TabbedContent).active == "tab-notices":
            self.render_notice()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "tab-notices":
            self.render_notice()
        elif event.pane.id == "tab-facts":
            self.show_lacking()

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

    def render_notice(self) -> None:
        """Draft the chosen notice kind from what is stored now (the preview)."""
        kind = str(self.query_one("#notice-kind", Select).value)
        status = self.query_one("#notice-status", Static)
        try:
            draft = self.notice_service().draft(self.incident_id, kind, zone=self.breach.zone_name)
        except BreachError as err:
            self.query_one("#notice-text", TextArea).text = ""
            status.update(str(err))
            self._draft = None
            return
        self._draft = draft
        self.query_one("#notice-text", TextArea).text = draft.text
        parts = [f"{draft.recipient or 'no recipient'} · {draft.language} · {draft.phase}"]
        if draft.unknowns:
            parts.append(f"{len(draft.unknowns)} to be confirmed")
        parts.append("y copy · s save a draft version")
        status.update(" · ".join(parts))

    def on_select_changed(self, event: Select.Changed) -> None:
        notices_shown = self.query_one("#tabs", TabbedContent).active == "tab-notices"
        if event.select.id == "notice-kind" and notices_shown:
            self.render_notice()

    def action_copy_notice(self) -> None:
        draft = getattr(self, "_draft", None)
        if draft is None:
            self.notify("No notice to copy", severity="warning")
            return
        # OSC 52 reaches the clipboard only where the terminal (and tmux) allow it, and no
        # terminal says whether it did: the file is the copy that always exists
        self.app.copy_to_clipboard(draft.text)
        log = self.breach.incident_log
        folder = log.path.parent if log.path else Path.cwd()
        target = folder / f"{self.incident_id}-{draft.kind}.{draft.language}.txt"
        try:
            write_private_text(target, draft.text)
        except BreachError as err:
            self.notify(f"Sent to the terminal's clipboard (OSC 52); not saved: {err}")
            return
        self.notify(
            f"{draft.kind.replace('_', ' ')} notice ({len(draft.text):,} characters) sent to "
            f"the terminal's clipboard (OSC 52: tmux needs set-clipboard on) and written to "
            f"{target} (readable by you only)",
            timeout=12,
        )

    def action_save_notice(self) -> None:
        draft = getattr(self, "_draft", None)
        if draft is not None and self._run(
            lambda: self.notice_service().save(self.incident_id, draft)
        ):
            self.notify("Notice saved as a draft version (see breach notice ID --list)")

    def action_export(self) -> None:
        """Write this incident as breach.export/1 JSON and its deadlines as iCalendar."""
        from ...clock import format_utc
        from ...service import ExportOptions, Selection

        log = self.breach.incident_log
        folder = log.path.parent if log.path else Path.cwd()
        options = ExportOptions(
            exported_at=format_utc(self.breach.clock()), zone=self.breach.zone_name
        )
        written = []
        for fmt, suffix in (("json", "json"), ("ics", "ics")):
            target = folder / f"{self.incident_id}.{suffix}"
            try:
                with private_file(target) as out:
                    log.export(Selection((self.incident_id,)), fmt, out, options)
            except BreachError as err:
                self.notify(str(err), severity="error")
                return
            written.append(target.name)
        self.notify(f"Exported to {folder}: {', '.join(written)}", timeout=10)

    def action_report(self) -> None:
        """Write the post-incident report (self-contained HTML) next to the database."""
        try:
            rendered = self.notice_service().report(
                self.incident_id, "html", None, self.breach.zone_name
            )
        except BreachError as err:
            self.notify(str(err), severity="error")
            return
        log = self.breach.incident_log
        folder = log.path.parent if log.path else Path.cwd()
        target = folder / f"{self.incident_id}-report.html"
        try:
            write_private_text(target, rendered.text)
        except BreachError as err:
            self.notify(str(err), severity="error")
            return
        self.notify(f"Report written to {target} (readable by you only)", timeout=10)

    def duties(self) -> list[dict[str, Any]]:
        """Required and exempt duties first (by due time), not-required last."""
        rows = list(self.data.get("obligations", []))
        return sorted(
            rows,
            key=lambda r: (
                r["status"] == "not_required",
                bool(r["done_at"]),
                r["due_at"] or "9999",
                r["id"],
            ),
        )

    def show_decision(self, now: Any) -> None:
        """The decision panel, with the duties done so far shown as done."""
        done = frozenset(d["id"] for d in self.data["obligations"] if d["done_at"])
        panel = self.query_one("#decision", DecisionPanel)
        panel.show(self._decision, now, self.breach.zone_name, "no assessment", done)
        self._panel_minute = now.replace(second=0, microsecond=0)

    def tick(self) -> None:
        """Refresh the countdown column; the panel's clocks once a minute."""
        table = self.query_one("#duties", DataTable)
        now = self.breach.clock()
        if now.replace(second=0, microsecond=0) != getattr(self, "_panel_minute", None):
            self.show_decision(now)
        for duty in getattr(self, "_shown", []):
            if not duty["done_at"] and duty["status"] == "required":
                table.update_cell(
                    duty["id"], "left", countdown_text(parse_utc(duty["due_at"]), now)
                )
        if getattr(self, "_customers", None):
            left = self._customers_row(now, self.breach.zone_name)[0]
            table.update_cell(CUSTOMERS, "left", left)

    def _customers_row(self, now: Any, zone_name: str | None) -> tuple[Any, ...]:
        """One row for thousands of controller customers: informed of all, next due."""
        customers = self._customers
        waiting = sorted((d for d in customers if not d["done_at"]), key=lambda d: d["due_at"])
        done = len(customers) - len(waiting)
        first = parse_utc(waiting[0]["due_at"]) if waiting else None
        left = countdown_text(first, now) if waiting else Text("✓ done", style="green")
        return (
            left,
            f"Inform each controller customer — {done:,} of {len(customers):,} informed",
            local(first, zone_name) if first else "",
            "breach notice-sent ID --batch LOG.csv",
        )

    def show_lacking(self) -> None:
        """What each notice still to send lacks (drafted only when the facts tab shows)."""
        try:
            lacking = self.notice_service().lacking(self.incident_id)
        except BreachError as err:
            self.query_one("#lacking", Static).update(f"Notices cannot be drafted: {err}")
            return
        text = Text()
        if lacking:
            text.append("Still to be confirmed in the notices to send\n", style="bold yellow")
        for duty_id, count, unknowns in lacking:
            many = f" ({count:,} notices)" if count > 1 else ""
            text.append(f"  {duty_id}{many}: ", style="bold")
            text.append(("; ".join(unknowns) or "complete") + "\n")
        self.query_one("#lacking", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "duties":
            duty = next(
                (o for o in self.data["obligations"] if o["id"] == event.row_key.value), None
            )
            self.query_one("#duty-detail", Static).update(duty_detail(duty))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "duties" and event.row_key.value == NOT_REQUIRED:
            self.show_all = True
            self.reload()

    def _selected_duty(self) -> dict[str, Any] | None:
        table = self.query_one("#duties", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key == NOT_REQUIRED:
            return None
        if key == CUSTOMERS:
            self.notify(
                "Thousands of customers: send with breach notice ID controller --all, then "
                "record the mail log with breach notice-sent ID --batch LOG.csv",
                timeout=8,
            )
            return None
        return next((d for d in self.data["obligations"] if d["id"] == key), None)

    def action_tab(self, pane: str) -> None:
        """Show a tab (keys 1-4) and put the keys where its content is."""
        self.query_one("#tabs", TabbedContent).active = pane
        if pane == "tab-duties":
            self.query_one("#duties", DataTable).focus()

    def show_facts(self) -> None:
        """The Facts tab: a readable summary, or the stored JSON (``j``)."""
        d = self.data
        text = facts_text(d["facts"], d["facts_history"], self.breach.zone_name, self.facts_as_json)
        self.query_one("#facts", Static).update(text)

    def action_toggle_json(self) -> None:
        """The facts as a readable summary, or as stored (JSON)."""
        self.facts_as_json = not self.facts_as_json
        self.show_facts()
        self.action_tab("tab-facts")

    def action_back(self) -> None:
        self.app.pop_screen()
