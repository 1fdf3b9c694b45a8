"""One notice, from draft to sent: choose its language and version, edit it with the
markers highlighted and listed, save versions, mark it sent. A sent version stays as
sent (read-only); the next notice to the same recipient is the follow-up."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Header, Select

from ...errors import BreachError
from ...service.notice_drafts import Draft
from ...service.words import DutyWords
from ...textsafe import clean_data, one_line
from ..formatting import countdown_text, local, parse_utc, short
from ..widgets.footer import SteadyFooter
from ..widgets.notice_text import NoticeText
from ..widgets.steady import SteadyStatic
from .notice_actions import NoticeActions
from .notice_lines import marker_list, version_label
from .notice_target import NoticeTarget

if TYPE_CHECKING:
    from ...service.notices import NoticeService
    from ..app import BreachApp

#: the version choice "render it now from the facts, keeping the edits saved last"
NOW = -1
#: the version choice "render it now from the facts, ignoring saved edits"
FRESH = -2
#: the phase choices: as the duty and the versions sent say, or as the responder says
AUTO = "auto"
PHASES = [("Phase: as due", AUTO), ("Initial", "initial"), ("Follow-up", "follow_up")]
BASE_VERSIONS = [
    ("Draft now (keeps your saved edits)", NOW),
    ("Fresh from the facts (ignores edits)", FRESH),
]


class NoticeScreen(NoticeActions, Screen[None]):
    """Edit one notice and record it as sent."""

    # the footer holds what a responder needs at 80 columns; f1 lists every key
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="notice-save"),
        Binding("ctrl+t", "mark_sent", "Mark sent", id="notice-sent"),
        Binding("ctrl+g", "next_marker", "Next marker", id="notice-marker"),
        Binding("ctrl+l", "file", "File", id="notice-file"),
        Binding("ctrl+o", "copy", "Copy", id="notice-copy"),
        Binding("escape", "back", "Back", id="notice-back"),
        Binding("f1", "app.help", "Help", id="notice-help"),
        Binding("ctrl+r", "redraft", "Redraft", id="notice-redraft", show=False),
        Binding("ctrl+q", "app.quit", "Quit", id="notice-quit", show=False),
    ]

    def __init__(self, incident_id: str, target: NoticeTarget) -> None:
        super().__init__()
        self.start(incident_id, target)

    def start(self, incident_id: str, target: NoticeTarget) -> None:
        """Open this notice from the start (the screen is kept for the next notice opened:
        mounting it anew costs more than the 50 ms a key may take)."""
        self.incident_id = incident_id
        self.target = target
        self.draft: Draft | None = None
        #: the text as opened or last saved: anything else is a change not yet saved
        self.baseline = ""
        #: the stored version shown when it was sent (read-only), else None
        self.sent: dict[str, Any] | None = None
        self.language: str | None = None
        #: the phase asked for (None: initial until one was sent, then follow-up)
        self.phase: str | None = None
        #: the version shown: NOW, FRESH or a stored notice's id
        self.showing = NOW
        #: values the screen set itself, by select, whose Changed events are not choices
        self._expected: dict[str, list[Any]] = {}
        #: the language options shown (set again only for a notice with other ones)
        self._languages: list[tuple[str, str]] = getattr(self, "_languages", [])
        #: whether the screen still has to show this notice (on mount or when shown again)
        self._fresh = True
        if self.is_mounted:  # kept: filled while hidden, to be laid out once when shown
            self.open_notice()

    @property
    def breach(self) -> BreachApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    @property
    def notices(self) -> NoticeService:
        """The notice service of the app's incident log."""
        return self.breach.incident_log.notices

    def compose(self) -> ComposeResult:
        yield Header()
        yield SteadyStatic(id="notice-title")
        yield SteadyStatic(id="notice-meta")
        with Horizontal(id="notice-controls"):
            yield Select([], prompt="Language", id="notice-lang", compact=True)
            yield Select(PHASES, value=AUTO, allow_blank=False, id="notice-phase", compact=True)
            yield Select(BASE_VERSIONS, allow_blank=False, id="notice-version", compact=True)
        yield NoticeText(id="notice-text")
        yield SteadyStatic(id="notice-markers")
        yield SteadyStatic(id="notice-state")
        yield SteadyFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.set_interval(30.0, self.show_meta)
        self.open_notice()

    def on_screen_resume(self) -> None:
        if self._fresh:  # shown again for another notice (see start), not after a dialog
            self.open_notice()

    def open_notice(self) -> None:
        """Show the notice :meth:`start` set, its choices and its text, all before the
        next frame (each further frame costs a key some 17 ms)."""
        self._fresh = False
        languages = [(x.upper(), x) for x in self.notices.languages(self.target.kind)]
        select: Select[str] = self.query_one("#notice-lang", Select)
        if languages != self._languages:  # the options of the last notice opened, if equal
            self._languages = languages
            select.set_options(languages)
        self._set(self.query_one("#notice-phase", Select), AUTO)
        self.reload()
        if not self.load_now(False):  # said why; nothing of the last notice stays shown
            self._show("", read_only=True)
        self.query_one(NoticeText).focus()

    # -- what is shown ---------------------------------------------------------------------

    def reload(self) -> None:
        """Read the incident again (another terminal's change): the duty, the versions;
        the text being edited stays as it is."""
        self.data = clean_data(self.breach.incident_log.incident(self.incident_id))
        self.duty = next(
            (d for d in self.data["obligations"] if d["id"] == self.target.obligation), None
        )
        words = DutyWords(self.breach.incident_log.rules)
        title = words.duty(self.duty) if self.duty else self.target.kind
        voluntary = " (voluntary)" if self.target.voluntary else ""
        self._line(
            "notice-title",
            Text.assemble((f"{self.incident_id} ", "bold"), (title + voluntary, "bold")),
        )
        self.show_meta()
        self._fill_versions()
        self.show_state()

    def series(self) -> list[dict[str, Any]]:
        """The stored versions of this notice (its kind and recipient), newest first."""
        mine = [
            n
            for n in self.data.get("notices", [])
            if n["kind"] == self.target.kind and n["obligation"] == self.target.obligation
        ]
        return sorted(mine, key=lambda n: n["id"], reverse=True)

    def _fill_versions(self) -> None:
        select: Select[int] = self.query_one("#notice-version", Select)
        zone = self.breach.zone_name
        options = [*BASE_VERSIONS, *((version_label(n, zone), int(n["id"])) for n in self.series())]
        before = select.value
        select.set_options(options)
        if select.value != before:  # set_options chose its own value: not the user's choice
            self._expected.setdefault("notice-version", []).append(select.value)
        self._set(select, self.showing if any(v == self.showing for _, v in options) else NOW)

    def show_meta(self) -> None:
        """To whom, which phase, due when and how long is left (ticks on its own)."""
        if not self.is_attached or not hasattr(self, "duty"):
            return
        duty, draft = self.duty, self.draft
        parts: list[str | Text] = []
        if draft is not None:
            parts.append(draft.phase.replace("_", "-"))
            if draft.recipient:
                parts.append(f"to {one_line(draft.recipient)}")
        if duty and duty["done_at"]:
            parts.append(Text(f"done {local(parse_utc(duty['done_at']), self.breach.zone_name)}"))
        elif duty and duty["due_at"] and duty["status"] == "required":
            due = parse_utc(duty["due_at"])
            parts.append(f"due {short(due, self.breach.zone_name)}")
            parts.append(countdown_text(due, self.breach.clock()))
        text = Text(" · ").join(Text(p) if isinstance(p, str) else p for p in parts)
        self._line("notice-meta", text)

    def show_state(self) -> None:
        """Saved or not, sent or not, what changed, and the warnings of the draft."""
        state = Text()
        if self.sent is not None:
            sent = local(parse_utc(self.sent["sent_at"]), self.breach.zone_name)
            state.append(f"Sent {sent} — kept as sent, read-only. ", style="bold green")
            state.append("Choose 'Draft now' for the follow-up.")
        elif self.draft is not None:
            stored = self.draft.stored_id
            if self.dirty:
                state.append("Changed, not saved — ctrl+s saves a new version. ", style="bold")
            elif stored is not None:
                state.append(f"Saved as #{stored}. ")
            else:
                state.append("Not saved yet. ")
            if self.draft.kept_edits_of is not None:
                state.append(f"Keeps your edits of #{self.draft.kept_edits_of}. ")
            if self.draft.conflicts:
                state.append(
                    f"{len(self.draft.conflicts)} place(s) changed by you and by the facts: "
                    "yours kept. ",
                    style="yellow",
                )
            facts_now = int(self.data["facts_version"])
            if self.draft.facts_version and facts_now > self.draft.facts_version:
                state.append(
                    f"The facts changed since (v{self.draft.facts_version} → v{facts_now}): "
                    "ctrl+r redrafts. ",
                    style="yellow",
                )
            for warning in self.draft.warnings:
                if "also required" not in warning:  # the Notices tab lists the others
                    state.append(one_line(warning) + ". ", style="dim")
        self._line("notice-state", state)

    def _line(self, name: str, text: Text) -> None:
        """Show ``text`` in the line ``name`` (the text area reports every text loaded as
        a change: most updates read as before)."""
        self.query_one(f"#{name}", SteadyStatic).show(text)

    @property
    def shown_language(self) -> str | None:
        """The language of the text shown (None while no notice could be drafted)."""
        if self.sent is not None:
            return str(self.sent["language"])
        return self.draft.language if self.draft else None

    @property
    def dirty(self) -> bool:
        """Whether the text differs from what was opened or last saved."""
        editor = self.query_one(NoticeText)
        return not editor.read_only and editor.text != self.baseline

    def _show(self, text: str, read_only: bool) -> None:
        editor = self.query_one(NoticeText)
        editor.read_only = read_only
        editor.load_text(text)
        self.baseline = text
        self._line("notice-markers", marker_list(editor))
        self.show_meta()
        self.show_state()

    def on_text_area_changed(self, event: NoticeText.Changed) -> None:
        self._line("notice-markers", marker_list(self.query_one(NoticeText)))
        self.show_state()

    # -- loading ---------------------------------------------------------------------------

    def load_now(self, fresh: bool) -> bool:
        """Render the notice now from the facts (keeping the saved edits unless ``fresh``)."""
        try:
            draft = self.notices.draft(
                self.incident_id,
                self.target.kind,
                language=self.language,
                obligation=self.target.obligation,
                zone=self.breach.zone_name,
                fresh=fresh,
                voluntary=self.target.voluntary,
                phase=self.phase,
            )
        except BreachError as err:
            self.notify(str(err), severity="error", timeout=10)
            return False
        self.draft, self.sent = draft, None
        self._pick(language=draft.language, version=FRESH if fresh else NOW)
        self._show(draft.text, read_only=False)
        return True

    def load_version(self, notice_id: int) -> None:
        """Show a stored version: a draft to edit further, a sent one read-only."""
        try:
            stored = self.notices.stored(self.incident_id, notice_id)
            sent = stored["status"] == "sent"
            draft = None if sent else self.notices.editable(self.incident_id, notice_id)
        except BreachError as err:
            self.notify(str(err), severity="error")
            return
        self.sent = clean_data(stored) if sent else None
        self.draft = draft or self.draft
        self._pick(language=stored["language"], version=notice_id)
        self._show(stored["text"], read_only=sent)

    def _pick(self, language: str, version: int) -> None:
        """Show the choices made, without taking them for the user's new choice."""
        self.showing = version
        self._set(self.query_one("#notice-lang", Select), language)
        self._set(self.query_one("#notice-version", Select), version)

    def _set(self, select: Select[Any], value: Any) -> None:
        """Set a choice from the screen: its Changed event, which arrives later, is known
        as the screen's own and ignored."""
        if select.value != value:
            self._expected.setdefault(str(select.id), []).append(value)
            select.value = value

    def on_select_changed(self, event: Select.Changed) -> None:
        expected = self._expected.get(str(event.select.id), [])
        if event.value in expected:  # set by the screen itself, not chosen
            expected.remove(event.value)
            return
        if event.value == Select.NULL:
            return
        shown_language = self.shown_language
        if event.select.id == "notice-lang":
            choice = str(event.value)
            if choice == shown_language:
                return

            def switch_language() -> None:
                self.language = choice
                self.load_now(fresh=False)

            self.when_saved(switch_language, revert=self._revert_choices)
        elif event.select.id == "notice-phase":
            phase = str(event.value)
            if (None if phase == AUTO else phase) == self.phase:
                return

            def switch_phase() -> None:
                self.phase = None if phase == AUTO else phase
                self.load_now(fresh=False)

            self.when_saved(switch_phase, revert=self._revert_choices)
        elif event.select.id == "notice-version":
            version = int(str(event.value))
            if version == self.showing:
                return

            def switch_version() -> None:
                if version in (NOW, FRESH):
                    self.load_now(fresh=version == FRESH)
                else:
                    self.load_version(version)

            self.when_saved(switch_version, revert=self._revert_choices)

    def _revert_choices(self) -> None:
        """Show again the choices of the text kept (the user chose to keep editing)."""
        self._set(self.query_one("#notice-phase", Select), self.phase or AUTO)
        self._pick(self.shown_language or "en", self.showing)
