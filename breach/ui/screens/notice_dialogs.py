"""Record a notice as sent: when, how, the reference, the reasons when late, and sending
it with facts still to be confirmed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.app import ComposeResult
from textual.widgets import Static

from ..widgets.readable import ReadableCheckbox
from .modals import DIALOG_CSS, DoneForm, MarkDoneScreen


@dataclass(frozen=True)
class SentForm:
    """What the mark-sent dialog returns."""

    done: DoneForm
    #: sent knowing that some facts still read as to be confirmed (a phased notification)
    with_markers: bool


class MarkSentScreen(MarkDoneScreen):
    """Record that the notice shown was sent; a text still reading markers must be
    confirmed as sent that way (the rest follows in phases, GDPR Art. 33(4))."""

    DEFAULT_CSS = DIALOG_CSS.format(name="MarkSentScreen")
    VERB = "Mark sent"

    def __init__(
        self,
        duty: dict[str, object],
        now: datetime,
        zone_name: str | None,
        delay_reason: str,
        markers: int,
    ) -> None:
        super().__init__(duty, now, zone_name, delay_reason)
        self.markers = markers

    def more_fields(self) -> ComposeResult:
        if self.markers:
            yield ReadableCheckbox(
                f"Send with {self.markers} marker(s) left: the rest follows later",
                id="with-markers",
            )

    def action_save(self) -> None:
        if self.markers and not self.query_one("#with-markers", ReadableCheckbox).value:
            self.query_one("#error", Static).update(
                f"The text still reads {self.markers} marker(s): complete it first (escape), "
                "or tick the box to send it as a phased notification."
            )
            return
        form = self.read_form()
        if form is not None:
            self.dismiss(SentForm(form, bool(self.markers)))
