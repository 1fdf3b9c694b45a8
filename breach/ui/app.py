"""The breach Textual app and its factory (shared by the console script and the tests)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..clock import Clock
from ..store import Store
from .commands import IncidentCommands

if TYPE_CHECKING:  # loaded on first use, so the dashboard paints before pydantic loads
    from ..rules import RuleSet
    from ..service import IncidentService


class BreachApp(App[None]):
    """The responder's cockpit: dashboard, new-incident wizard, incident screens."""

    TITLE = "breach"
    SUB_TITLE = "who to tell, by when, and why"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {IncidentCommands}
    BINDINGS = [
        Binding("f1", "help", "Help", id="help"),
        Binding("ctrl+q", "quit", "Quit", id="quit"),
    ]

    def __init__(
        self,
        store: Store,
        rules: RuleSet | Callable[[], RuleSet],
        clock: Clock,
        zone_name: str | None,
        demo_path: Path | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self._rules = rules
        self.clock = clock
        self.zone_name = zone_name
        self.demo_path = demo_path

    def on_mount(self) -> None:
        from .screens.dashboard import DashboardScreen

        self.sub_title = self._describe(self.store)
        self.push_screen(DashboardScreen())
        self.set_timer(1.0, self._warm_up)  # after the first paint, not competing with it

    def _warm_up(self) -> None:
        """After the first paint, load the rules and the engine so the first answer is quick."""
        self.run_worker(lambda: (self.rules, __import__("breach.engine")), thread=True)

    @property
    def rules(self) -> RuleSet:
        """The rule set, loaded on first use (the dashboard does not need it)."""
        if callable(self._rules):
            self._rules = self._rules()
        return self._rules

    def _describe(self, store: Store) -> str:
        name = store.path.name if store.path else "in memory"
        return f"{name} · times in {self.zone_name or 'UTC'}"

    def service(self) -> IncidentService:
        """The service on this app's store, rules and clock."""
        from ..service import IncidentService

        return IncidentService(self.store, self.rules, self.clock)

    def open_incident(self, incident_id: str) -> None:
        """Show one incident."""
        from .screens.incident import IncidentScreen

        self.push_screen(IncidentScreen(incident_id))

    def new_incident(self) -> None:
        """Start (or resume) the new-incident wizard."""
        from .screens.wizard import resume_or_new

        self.push_screen(resume_or_new(self))

    def open_demo(self) -> None:
        """Switch to the demo database (created on first use); your own log is untouched."""
        from ..demo import create_demo
        from ..store import Store

        if self.demo_path is None:
            self.notify("No demo database location configured", severity="error")
            return
        if self.store.path and self.store.path.resolve() == self.demo_path.resolve():
            self.notify("This is the demo database already")
            return
        store = Store.open(self.demo_path)
        if store.count_incidents() == 0:
            create_demo(store, self.rules, self.clock)
        self.store.close()
        self.store = store
        self.sub_title = self._describe(store) + " · demo"
        self.screen.reload()  # type: ignore[attr-defined]
        self.notify("Demo database opened: five incidents at different stages")

    def action_help(self) -> None:
        from .screens.modals import HelpScreen

        self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "New incident", "Record a new incident (resumes a draft)", self.new_incident
        )
        yield SystemCommand("Demo database", "Open the demo database", self.open_demo)
        yield SystemCommand("Help", "Keys and how the screens work", self.action_help)


def make_app(
    store: Store,
    rules: RuleSet | Callable[[], RuleSet],
    clock: Clock,
    zone_name: str | None,
    demo_path: Path | None = None,
) -> BreachApp:
    """Build the app from its collaborators (the console script and the tests share this)."""
    return BreachApp(store, rules, clock, zone_name, demo_path)
