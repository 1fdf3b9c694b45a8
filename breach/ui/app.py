"""The breach Textual app and its factory (shared by the console script and the tests)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from ..clock import Clock
from ..service import IncidentLog
from ..settings import Settings
from .commands import IncidentCommands

if TYPE_CHECKING:
    from .screens.notice_target import NoticeTarget

#: how often the UI looks for other processes' changes (SQLite's data_version: one
#: PRAGMA, no reading of incidents unless something changed)
LIVE_INTERVAL_S = 1.0


#: the names the incident and notice screens are installed under
INCIDENT_SCREEN = "incident"
NOTICE_SCREEN = "notice"


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
    def _background_screens(self) -> list[Screen[Any]]:
        """The screens that show through the top one: none below an opaque screen.
        Textual (pinned) counts the screen below as seen through in any case, and each
        screen pushed is then painted whole a second time, a frame later (~25 ms and a
        screenful of output a key); a dialog still shows the screen under it."""
        stack = self._screen_stack
        if stack and stack[-1].styles.background.a == 1:
            return []
        return super()._background_screens

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
        """Show one incident (on the one incident screen, kept between incidents)."""
        from .screens.incident import IncidentScreen

        self._show_kept(INCIDENT_SCREEN, IncidentScreen, incident_id)

    def open_notice(self, incident_id: str, target: NoticeTarget) -> None:
        """Edit one notice (on the one notice screen, kept between notices)."""
        from .screens.notice_editor import NoticeScreen

        self._show_kept(NOTICE_SCREEN, NoticeScreen, incident_id, target)

    def _show_kept(self, name: str, kind: type[Screen[None]], *args: Any) -> None:
        """Push the screen installed as ``name``, started on ``args`` (``kind(*args)`` the
        first time): building a screen anew costs more than the 50 ms a key may take. One
        already on the stack (an incident opened from another, ctrl+p) gets a new one."""
        if not self.is_screen_installed(name):
            self.install_screen(kind(*args), name)
        else:
            screen = self.get_screen(name)
            if screen in self.screen_stack:
                self.push_screen(kind(*args))
                return
            screen.start(*args)  # type: ignore[attr-defined]
        self.push_screen(name)

    def new_incident(self) -> None:
        """Start (or resume) the new-incident wizard."""
        from .screens.wizard import resume_or_new

        self.push_screen(resume_or_new(self))

    #: the title bar while the demo log is shown
    DEMO_TITLE = "DEMO DATABASE — not your incident log"
    #: the responder's own log while the demo is shown (kept open, untouched)
    _own_log: IncidentLog | None = None

    @property
    def showing_demo(self) -> bool:
        """Whether the log shown is the demo log (``Settings.demo_db``)."""
        path = self.incident_log.path
        return path is not None and path.resolve() == self.settings.demo_db.resolve()

    def open_demo(self) -> None:
        """On your own log: ask, then show the demo log (in its own folder, created on first
        use); your log stays open and untouched. On the demo log: back to your own log."""
        from .screens.dashboard import DashboardScreen
        from .screens.modals import ConfirmScreen

        if not isinstance(self.screen, DashboardScreen):
            self.notify("Go back to the dashboard first (escape), then press d")
            return
        if self.showing_demo:
            self._back_to_own_log()
            return
        question = (
            "Open the demo database? Your own log stays as it is; press d again on the "
            "demo's dashboard to come back."
        )

        def answer(yes: bool | None) -> None:
            if yes:
                self._show_demo()

        self.push_screen(ConfirmScreen(question, "open the demo", "stay on my log"), answer)

    def _show_demo(self) -> None:
        from ..errors import BreachError

        demo_path = self.settings.demo_db
        current = self.incident_log
        try:
            demo_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            demo = IncidentLog.open(
                demo_path,
                lambda: current.rules,
                current.clock,
                "demo",
                record_clock=current.record_clock,
            )
            if demo.count() == 0:
                demo.create_demo()
        except (BreachError, OSError) as err:
            self.notify(f"The demo database cannot be opened: {err}", severity="error")
            return
        self._own_log = current  # kept open as it is: back to it with d
        self._switch_to(demo)
        self.notify("Demo database opened: five incidents at different stages; d comes back")

    def _back_to_own_log(self) -> None:
        from ..errors import BreachError
        from ..service.audit_key import load_key

        demo = self.incident_log
        own = self._own_log
        if own is None:  # the app started on the demo (breach demo): open the settings' log
            settings = self.settings
            try:
                own = IncidentLog.open(
                    settings.db,
                    lambda: demo.rules,
                    demo.clock,
                    settings.actor,
                    load_key(settings.audit_key_path),
                    make_folders=settings.db_is_default,
                    record_clock=demo.record_clock,
                )
            except (BreachError, OSError) as err:
                self.notify(f"Your log cannot be opened: {err}", severity="error")
                return
        self._own_log = None
        demo.close()
        self._switch_to(own)
        self.notify(f"Back to your log: {own.path.name if own.path else 'in memory'}")

    def _switch_to(self, log: IncidentLog) -> None:
        """Show ``log`` on the dashboard; the title and sub-title say which log it is."""
        self.incident_log = log
        self._seen_version = log.data_version()
        if self.showing_demo:
            self.title = self.DEMO_TITLE
            self.sub_title = "demo · " + self._describe(log) + " · d: back to your log"
        else:
            self.title = self.TITLE
            self.sub_title = self._describe(log)
        self.screen.reload()  # type: ignore[attr-defined]
        self.screen.refresh_bindings()

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
