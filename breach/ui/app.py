"""The breach Textual app and its factory (shared by the console script and the tests)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from ..clock import Clock
from ..service import IncidentLog
from ..settings import Settings
from .commands import IncidentCommands

#: how often the UI looks for other processes' changes (SQLite's data_version: one
#: PRAGMA, no reading of incidents unless something changed)
LIVE_INTERVAL_S = 1.0


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

    def __init__(self, incident_log: IncidentLog, settings: Settings) -> None:
        super().__init__()
        self.incident_log = incident_log
        self.settings = settings
        self.zone_name = settings.zone

    @property
    def clock(self) -> Clock:
        """The clock the log's changes and the countdowns read."""
        return self.incident_log.clock

    @clock.setter
    def clock(self, clock: Clock) -> None:
        self.incident_log.clock = clock

    def on_mount(self) -> None:
        from .screens.dashboard import DashboardScreen

        self.sub_title = self._describe(self.incident_log)
        self.push_screen(DashboardScreen())
        self.set_timer(1.0, self._warm_up)  # after the first paint, not competing with it
        self._seen_version = self.incident_log.data_version()
        self.set_interval(LIVE_INTERVAL_S, self.watch_log)

    def watch_log(self) -> None:
        """Redraw the screen in front when another process changed the log (a colleague's
        terminal, a script, an import): within a second, without a key."""
        version = self.incident_log.data_version()
        if version == self._seen_version:
            return
        self._seen_version = version
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ModalScreen):
                continue  # a dialog stays as it is; the screen under it is redrawn
            reload = getattr(screen, "reload", None)
            if callable(reload):
                reload()
            break

    def _warm_up(self) -> None:
        """After the first paint, load the rules so the first answer is quick."""
        self.run_worker(lambda: self.incident_log.rules, thread=True)

    def _describe(self, log: IncidentLog) -> str:
        name = log.path.name if log.path else "in memory"
        state = " · read-only" if log.read_only else ""
        return f"{name}{state} · times in {self.zone_name or 'UTC'}"

    def open_incident(self, incident_id: str) -> None:
        """Show one incident."""
        from .screens.incident import IncidentScreen

        self.push_screen(IncidentScreen(incident_id))

    def new_incident(self) -> None:
        """Start (or resume) the new-incident wizard."""
        from .screens.wizard import resume_or_new

        self.push_screen(resume_or_new(self))

    def open_demo(self) -> None:
        """Switch to the demo log (created on first use); your own log is untouched."""
        demo_path = self.settings.demo_db
        current = self.incident_log
        if current.path and current.path.resolve() == demo_path.resolve():
            self.notify("This is the demo database already")
            return
        demo = IncidentLog.open(demo_path, lambda: current.rules, current.clock, "demo")
        if demo.count() == 0:
            demo.create_demo()
        current.close()
        self.incident_log = demo
        self._seen_version = demo.data_version()
        self.sub_title = self._describe(demo) + " · demo"
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


def make_app(incident_log: IncidentLog, settings: Settings) -> BreachApp:
    """Build the app from its collaborators (the console script and the tests share this)."""
    return BreachApp(incident_log, settings)
