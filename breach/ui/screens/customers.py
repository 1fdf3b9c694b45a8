"""Thousands of controller customers to inform: write every notice not yet sent, one file
each, then record the mail tool's delivery log — what ``breach notice ID controller --all``
and ``breach notice-sent ID --batch`` do on the command line."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, ProgressBar, Select, Static

from ...errors import BreachError
from ...files import read_user_text, write_private_text
from ...service.notice_drafts import file_name
from ...textsafe import one_line, terminal_safe
from ..widgets.readable import ReadableCheckbox
from .modals import DIALOG_CSS, ConfirmScreen
from .notice_target import notice_folder

if TYPE_CHECKING:
    from ..app import BreachApp

FORMATS = [("Text", "text"), ("Markdown", "md"), ("HTML page", "html")]
#: the lines of a delivery log shown when they could not be used (the rest counted)
SHOWN = 5
#: how many notices are written between two redraws of the progress bar
STEP = 20


class CustomersScreen(ModalScreen[None]):
    """Write the controller customers' notices, record their delivery."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="CustomersScreen").replace("> Vertical", "> #customers")
        + "CustomersScreen .buttons Button { margin-right: 2; }"
    )
    BINDINGS = [
        Binding("escape", "close", "Close", id="customers-close"),
        Binding("ctrl+s", "write", "Write notices", id="customers-write"),
        Binding("ctrl+r", "record", "Record deliveries", id="customers-record"),
    ]

    def __init__(self, incident_id: str, delay_reason: str) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.delay_reason = delay_reason

    @property
    def breach(self) -> BreachApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        folder = notice_folder(self.breach) / f"{self.incident_id}-controllers"
        with VerticalScroll(id="customers"):
            yield Static("", id="customers-title", classes="title")
            yield Static(
                "1. Write every notice not yet sent, one file per customer, each in "
                "its customer's language, into the folder:"
            )
            yield Input(str(folder), id="folder", compact=True)
            yield Select(FORMATS, value="text", allow_blank=False, id="format", compact=True)
            yield ReadableCheckbox(
                "Also keep each as a draft version in the log", id="save", compact=True
            )
            yield ProgressBar(id="progress", show_eta=False)
            yield Static("", id="written")
            yield Static(
                "2. Record your mail tool's delivery log (CSV: name or email, sent_at, status, "
                "message_id): each delivered notice's duty is done. The log:"
            )
            yield Input(placeholder="e.g. ~/mail/deliveries.csv", id="log", compact=True)
            yield Static("Reasons for the delay, for notices sent late (GDPR Art. 33(1)):")
            yield Input(
                self.delay_reason,
                placeholder="none: each was sent in time",
                id="reason",
                compact=True,
            )
            yield Static("", id="recorded")
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Write notices (ctrl+s)", variant="primary", id="write")
                yield Button("Record deliveries (ctrl+r)", id="record")

    def on_mount(self) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self.show_count()

    def show_count(self) -> None:
        """ "12 of 3,000 controller customers informed"."""
        done, required = self.breach.incident_log.customers_informed(self.incident_id)
        self.query_one("#customers-title", Static).update(
            f"{self.incident_id}: {done:,} of {required:,} controller customers informed"
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "write":
            self.action_write()
        elif event.button.id == "record":
            self.action_record()

    def _error(self, text: str) -> None:
        self.query_one("#error", Static).update(text)

    # -- writing ---------------------------------------------------------------------------

    def action_write(self) -> None:
        """Write the notices still to send into the folder (asking first if it holds files)."""
        if self.is_writing:
            return
        typed = self.query_one("#folder", Input).value.strip()
        if not typed:
            self._error("Give the folder to write the notices to")
            return
        folder = Path(typed).expanduser()
        if folder.exists() and not folder.is_dir():
            self._error(f"{folder} exists and is not a folder")
            return
        try:
            holds_files = folder.is_dir() and any(folder.iterdir())
        except OSError as err:
            self._error(f"{folder}: cannot be read ({err.strerror or err})")
            return
        self._error("")
        if holds_files:
            question = (
                f"{folder} holds files already: notices of the same customers are replaced. "
                "Write into it?"
            )

            def answer(yes: bool | None) -> None:
                if yes:
                    self.write_all(folder)

            self.app.push_screen(ConfirmScreen(question, "write", "cancel"), answer)
        else:
            self.write_all(folder)

    @property
    def is_writing(self) -> bool:
        """Whether the notices are being written."""
        return any(w.node is self and w.group == "write-all" and w.is_running for w in self.workers)

    @work(exclusive=True, group="write-all")
    async def write_all(self, folder: Path) -> None:
        """Draft and write each notice, the progress shown as it goes (escape stops)."""
        notices = self.breach.incident_log.notices
        fmt = str(self.query_one("#format", Select).value)
        keep = self.query_one("#save", ReadableCheckbox).value
        bar = self.query_one("#progress", ProgressBar)
        written = marked = 0
        unknowns: set[str] = set()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            bar.update(total=notices.count_open(self.incident_id, "controller"), progress=0)
            bar.display = True
            drafts = notices.draft_all(
                self.incident_id, "controller", fmt=fmt, zone=self.breach.zone_name
            )
            for draft in drafts:
                write_private_text(
                    folder / file_name(self.incident_id, draft), terminal_safe(draft.text)
                )
                if keep:
                    notices.save(self.incident_id, draft)
                written += 1
                marked += bool(draft.markers_left or draft.unknowns)
                unknowns.update(draft.unknowns)
                if written % STEP == 0:
                    bar.update(progress=written)
                    await asyncio.sleep(0)  # redraw, and let escape stop it
        except (BreachError, OSError) as err:
            self._error(f"Stopped after {written:,} notice(s): {one_line(str(err))}")
        except asyncio.CancelledError:
            self._written(written, folder, keep, marked, unknowns, stopped=True)
            raise
        else:
            self._written(written, folder, keep, marked, unknowns, stopped=False)
        finally:
            bar.update(progress=written)

    def _written(
        self, written: int, folder: Path, keep: bool, marked: int, unknowns: set[str], stopped: bool
    ) -> None:
        kept = " and kept as drafts" if keep else ""
        text = f"{written:,} notice(s) written to {folder}{kept}"
        if stopped:
            text = f"Stopped: {text}; the others are not written"
        elif not written:
            text = "No controller notice is left to send: every customer is informed"
        if unknowns:
            text += (
                f". {marked:,} still read markers for {len(unknowns)} fact(s) to be confirmed "
                "(the Facts tab lists them)"
            )
        self.query_one("#written", Static).update(one_line(text))

    # -- recording -------------------------------------------------------------------------

    def action_record(self) -> None:
        """Record the deliveries of the mail tool's log: each delivered notice's duty done."""
        typed = self.query_one("#log", Input).value.strip()
        if not typed:
            self._error("Give the path of the mail tool's delivery log (CSV)")
            return
        path = Path(typed).expanduser()
        reason = self.query_one("#reason", Input).value.strip() or None
        try:
            result = self.breach.incident_log.record_deliveries(
                self.incident_id, read_user_text(path), str(path), self.breach.zone_name, reason
            )
        except BreachError as err:
            self._error(one_line(str(err)))
            return
        self._error("")
        lines = [f"{len(result.done):,} delivery(ies) recorded from {path}"]
        if result.already:
            lines.append(f"{len(result.already):,} customer(s) were already recorded as informed")
        unused = (("not delivered", result.failed), ("no such customer", result.unmatched))
        for label, found in unused:
            lines += [f"{label}: {one_line(line)}" for line in found[:SHOWN]]
            if len(found) > SHOWN:
                lines.append(f"{label}: and {len(found) - SHOWN:,} more")
        self.query_one("#recorded", Static).update("\n".join(lines))
        self.show_count()

    def action_close(self) -> None:
        """Close; while notices are being written, stop that first (what is written stays)."""
        if self.is_writing:
            self.workers.cancel_group(self, "write-all")
            return
        self.dismiss(None)


def customers_screen(data: dict[str, Any]) -> CustomersScreen:
    """The customers dialog for the incident ``data`` (its facts' delay reason offered)."""
    reason = str((data.get("facts") or {}).get("delay_reason") or "")
    return CustomersScreen(str(data["id"]), reason)
