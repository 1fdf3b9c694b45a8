"""Small dialogs: mark a duty done, add a note, override the risk, help, confirm, a
reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Markdown, Select, Static

from ...clock import TimeInputError, format_local, format_utc, humanise, parse_typed
from ..formatting import local, parse_utc

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 72; max-width: 100%; height: auto; max-height: 100%;
    overflow-y: auto; border: thick $accent; background: $surface; padding: 1 2; }}
{name} .error {{ color: $error; }}
{name} .buttons {{ height: auto; margin-top: 1; }}
{name} Input, {name} Select {{ margin-bottom: 1; }}
"""


class Dialog(ModalScreen[object]):
    """A form dialog: escape cancels (dismiss with None), ctrl+s saves."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "save", "Save", id="save"),
    ]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        """Validate and dismiss with the result (each dialog implements it)."""
        raise NotImplementedError


@dataclass(frozen=True)
class DoneForm:
    """What the mark-done dialog returns."""

    at: datetime
    reference: str
    channel: str
    reason: str


class MarkDoneScreen(Dialog):
    """Mark a duty done: when, reference, channel; a late one asks for the reason."""

    DEFAULT_CSS = DIALOG_CSS.format(name="MarkDoneScreen")

    #: what the dialog says it records
    VERB = "Mark done"

    def __init__(
        self,
        duty: dict[str, object],
        now: datetime,
        zone_name: str | None,
        delay_reason: str = "",
    ) -> None:
        """``delay_reason``: the facts' reasons for a delay, offered as the answer."""
        super().__init__()
        self.duty = duty
        self.now = now
        self.zone_name = zone_name
        self.delay_reason = delay_reason

    def compose(self) -> ComposeResult:
        due = parse_utc(str(self.duty["due_at"])) if self.duty.get("due_at") else None
        with Vertical():
            yield Label(f"{self.VERB}: {self.duty['id']}", classes="title")
            if due is not None:
                yield Static(f"Due {local(due, self.zone_name)} ({self.duty.get('due_kind')})")
            yield Label(
                "When was it sent? (now, 14:30, 2h ago, 2026-11-20 14:30, 20.11.2026 14:30)"
            )
            yield Input(value="now", id="at")
            yield Static(self._echo("now"), id="at-echo")
            yield Label("Reference given by the recipient")
            yield Input(id="reference")
            yield Label("Channel (portal, e-mail, letter…)")
            yield Input(id="channel")
            yield Label(
                "Reasons for the delay (required when late, GDPR Art. 33(1))", id="reason-label"
            )
            yield Input(self.delay_reason, id="reason")
            yield from self.more_fields()
            yield Static("", id="error", classes="error")
            with Grid(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")

    def more_fields(self) -> ComposeResult:
        """Fields a subclass asks for after the reason (none here)."""
        yield from ()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "at":
            self.query_one("#at-echo", Static).update(self._echo(event.value))

    def _echo(self, text: str) -> str:
        """What the typed time was understood as, shown before saving (as in the wizard)."""
        try:
            at = parse_typed(text, self.zone_name, self.now)
        except TimeInputError as err:
            return f"✗ {err}"
        return f"✓ {format_local(at, self.zone_name)} = {format_utc(at)}"

    def action_save(self) -> None:
        form = self.read_form()
        if form is not None:
            self.dismiss(form)

    def read_form(self) -> DoneForm | None:
        """The answers, or None with the error shown (a bad time, a late one's reason)."""
        error = self.query_one("#error", Static)
        try:
            at = parse_typed(self.query_one("#at", Input).value, self.zone_name, self.now)
        except TimeInputError as err:
            error.update(str(err))
            return None
        reason = self.query_one("#reason", Input).value.strip()
        due = parse_utc(str(self.duty["due_at"])) if self.duty.get("due_at") else None
        if self.duty.get("due_kind") == "deadline" and due and at > due and not reason:
            error.update(
                f"Done {humanise(at - due)} after the deadline: give the reasons for the delay."
            )
            self.query_one("#reason", Input).focus()
            return None
        return DoneForm(
            at,
            self.query_one("#reference", Input).value.strip(),
            self.query_one("#channel", Input).value.strip(),
            reason,
        )


class NoteScreen(ModalScreen[str | None]):
    """Add a note to the timeline."""

    DEFAULT_CSS = DIALOG_CSS.format(name="NoteScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Add a note to the timeline (enter to save)")
            yield Input(id="note")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class Override:
    """A risk override with its justification."""

    level: str
    justification: str


class OverrideRiskScreen(Dialog):
    """Override the engine's risk level; a justification is required."""

    DEFAULT_CSS = DIALOG_CSS.format(name="OverrideRiskScreen")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Override the risk level (your judgement wins and is marked)")
            yield Select(
                [
                    ("unlikely to result in a risk", "unlikely"),
                    ("risk", "risk"),
                    ("high risk", "high"),
                ],
                prompt="level",
                id="level",
            )
            yield Label("Justification (required: it goes into the register)")
            yield Input(id="justification")
            yield Static("", id="error", classes="error")
            yield Button("Save (ctrl+s)", variant="primary", id="save")

    def on_button_pressed(self) -> None:
        self.action_save()

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        level = self.query_one("#level", Select).value
        justification = self.query_one("#justification", Input).value.strip()
        if level == Select.NULL or not justification:
            self.query_one("#error", Static).update("Choose a level and give a justification.")
            return
        self.dismiss(Override(str(level), justification))


class ConfirmScreen(ModalScreen[bool]):
    """Ask before a step that changes much: ``y`` (or the button) confirms; ``n``,
    ``escape`` or the other button keeps things as they are."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmScreen")
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, question: str, yes_label: str, no_label: str = "Cancel") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes_label
        self.no_label = no_label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="question")
            with Grid(classes="buttons"):
                # Content: a plain label, so that "[y]" is shown, not read as markup
                yield Button(Content(f"[y] {self.yes_label}"), variant="warning", id="yes")
                yield Button(Content(f"[n/escape] {self.no_label}"), id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # enter on the default keeps things as they are

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ReasonScreen(ModalScreen[str | None]):
    """Ask for a reason that goes into the audit trail (enter saves; escape cancels)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ReasonScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            yield Input(id="reason")
            yield Static("", id="error", classes="error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        reason = event.value.strip()
        if not reason:
            self.query_one("#error", Static).update("Give a reason (escape cancels).")
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)


HELP = """\
# breach — keys

**Everywhere**: `ctrl+p` command palette (new incident, go to incident, theme…),
`f1` this help, `ctrl+q` quit.

**Dashboard**: `n` new incident (resumes an unfinished one), `enter` open the selected
incident, `/` search as you type (`escape` clears it), `f` filters: status, organisation,
regime and due window (`ctrl+s` applies, `escape` cancels; the status line says which are
on), `x` clear the filters, `a` open or all incidents, `m` only what you are on (mine);
filters, search and mine combine. `d` open the demo database (its incidents have `DEMO-`
ids; asks first; your own log stays as it is, and `d` on the demo's dashboard goes back
to it), `r` reload (changes from other terminals show by themselves within a second).

**New incident** (one question per step; every answer is saved at once):
`ctrl+n` next step, `ctrl+b` previous step, `ctrl+t` put *now* in a time field,
`f2` override the risk, `ctrl+s` record the incident, `escape` leave (the draft is kept:
`n` on the dashboard resumes it).
"Unknown" is always a valid answer: the decision takes the cautious branch and says so.

**Incident**: `1` `2` `3` `4` switch to the Duties, Facts, Timeline and Notices tabs;
`enter` on a "not required" line shows those duties; `j` the facts as stored (JSON);
`p` shows or hides the decision panel (hidden by itself below 140 columns).
`d` mark the selected duty done, `w` write its notice (on the Notices tab: the notice
under the cursor, also `enter`), `n` add a note, `h` a handover note for the next shift,
`a` assign the incident or a duty to someone, `e` edit the facts (`ctrl+s` saves and
re-assesses; `escape` with changes not saved asks: `s` save, `d` discard, `escape` keep
editing), `f3` edit them at the
first unknown that changes the duties, `u` reopen a duty marked done by mistake (asks for
the reason, which goes into the audit trail; a notice marked sent stays recorded as
sent), `f2` override the risk, `c` close / reopen (asks first), `r` write the
post-incident report (HTML, next to the database), `x` export it (JSON for ticketing,
.ics for the calendar, next to the database), `escape` back.
If a colleague changed the incident while you had it open, your change is not saved: you
are told who changed what, and the screen shows the fresh state.

**Notice** (`w`): the text is yours to edit; what is not yet known reads
*[to be confirmed]* (in the notice's language), highlighted and listed under the text.
Choose the language, the phase (initial or follow-up; *as due* by default) and the
version above the text: *Draft now* renders it from the
facts and keeps the edits you saved, *Fresh* ignores them, and each saved version can be
opened again. `ctrl+s` save a version, `ctrl+t` mark it sent (when, channel, reference,
the reasons if late; a text with markers left is sent only if you tick that the rest
follows later) — its duty is then done, `ctrl+g` go to the next marker, `ctrl+r` draft
again from the facts, `ctrl+o` copy (to the terminal's clipboard and to a file readable
by you only, whose path is shown), `ctrl+l` file: write the notice as text, Markdown or
an HTML page to e-mail or print (all from the text shown, your edits included) or the
EDPB form's fields (JSON, from the facts), or read a file you edited elsewhere into the
editor (`ctrl+s` there writes, `ctrl+r` reads; a file that exists is replaced only if
you confirm), `escape` back. Changes not saved are never lost by a key: leaving,
switching language or version, or reading a file in asks whether to save, discard or
keep editing. A sent version is kept as sent and cannot be edited; the next one to the
same recipient is the follow-up.

**Controller customers** (more than ten): their notices fold into one row of the Duties
and Notices tabs; `enter` or `w` on it writes every notice not yet sent, one file per
customer in a folder you choose (text, Markdown or HTML, each in its customer's
language; with a progress bar, `escape` stops), and records your mail tool's delivery
log (CSV: name or email, sent_at, status, message_id) — each delivered notice's duty is
then done; bounced lines and unknown recipients are listed, never guessed.

Times are shown in your zone; deadlines count elapsed hours (72 h is 72 h across a DST change).
"""


class HelpScreen(ModalScreen[None]):
    """The key reference; it scrolls (arrows, page up/down, home/end) on a small terminal."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,f1,q", "close", "Close", id="close-help")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-scroll"):
            yield Markdown(HELP)

    def on_mount(self) -> None:
        self.query_one("#help-scroll", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
