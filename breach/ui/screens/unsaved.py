"""Changes not yet saved (the facts being edited, a notice): save, discard, or keep
editing — never lost by a stray key."""

from __future__ import annotations

from typing import Literal, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from .modals import DIALOG_CSS

#: what the responder chose; "keep" (escape) goes back to the editor, nothing lost
LeaveChoice = Literal["save", "discard", "keep"]


class UnsavedScreen(ModalScreen[LeaveChoice]):
    """Ask what becomes of changes not yet saved: ``s`` saves them, ``d`` discards them,
    ``escape`` (or ``k``, or enter on the default button) goes back to editing."""

    DEFAULT_CSS = DIALOG_CSS.format(name="UnsavedScreen") + (
        "UnsavedScreen .buttons { grid-size: 3; grid-gutter: 0 1; }\n"
        "UnsavedScreen Button { width: 100%; }"
    )
    BINDINGS = [
        Binding("s", "answer('save')", "Save", id="unsaved-save"),
        Binding("d", "answer('discard')", "Discard", id="unsaved-discard"),
        Binding("k,escape", "answer('keep')", "Keep editing", id="unsaved-keep"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="question")
            with Grid(classes="buttons"):
                # Content: plain text, or "[s]" would be read as markup (strike)
                yield Button(Content("[s] Save"), variant="primary", id="save")
                yield Button(Content("[d] Discard"), variant="warning", id="discard")
                yield Button(Content("[esc] Keep editing"), id="keep")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()  # enter on the default loses nothing

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(str(event.button.id))

    def action_answer(self, choice: str) -> None:
        if choice in ("save", "discard", "keep"):
            self.dismiss(cast(LeaveChoice, choice))
