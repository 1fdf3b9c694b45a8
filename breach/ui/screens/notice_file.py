"""Write a notice to a file — the text as shown, Markdown, an HTML page, the EDPB form's
fields — or read a file into the editor: what ``breach notice --format -o`` and
``--edit-from`` do on the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from ...service.notice_drafts import EXTENSIONS
from .modals import DIALOG_CSS, Dialog

#: the formats a notice is written in: (what the responder reads, format)
FORMATS = [
    ("Text, as shown (your edits included)", "text"),
    ("Markdown, from the text shown", "md"),
    ("HTML page to e-mail or print, from the text shown", "html"),
    ("EDPB form fields (JSON), from the facts", "edpb-json"),
]
SUFFIXES = {fmt: f".{ext}" for fmt, ext in EXTENSIONS.items()}


@dataclass(frozen=True)
class FileChoice:
    """What the file dialog returns: write the notice to ``path`` in ``fmt``, or read the
    text of ``path`` into the editor."""

    action: Literal["write", "read"]
    path: Path
    fmt: str


class NoticeFileScreen(Dialog):
    """Choose a file and a format; ctrl+s writes, ctrl+r reads into the editor."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="NoticeFileScreen")
        + "NoticeFileScreen .buttons Button { margin-right: 2; }"
    )
    BINDINGS = [Binding("ctrl+r", "read", "Read into the editor", id="file-read")]

    def __init__(self, stem: Path, can_read: bool) -> None:
        """``stem``: the file name offered, less its extension; ``can_read``: whether the
        text shown may be replaced (a draft, not a version kept as sent)."""
        super().__init__()
        self.stem = stem
        self.can_read = can_read

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Write this notice to a file, or read a file into the editor")
            yield Label("Format")
            yield Select(FORMATS, value="text", allow_blank=False, id="format")
            yield Label("File (written readable by you only; ~ is your home folder)")
            yield Input(str(self.stem) + SUFFIXES["text"], id="path")
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Write (ctrl+s)", variant="primary", id="write")
                yield Button("Read into the editor (ctrl+r)", id="read", disabled=not self.can_read)

    def on_select_changed(self, event: Select.Changed) -> None:
        # the extension follows the format, unless the responder named the file otherwise
        path = self.query_one("#path", Input)
        current = Path(path.value)
        if current.suffix in SUFFIXES.values():
            path.value = str(current.with_suffix(SUFFIXES[str(event.value)]))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "write":
            self.action_save()
        elif event.button.id == "read":
            self.action_read()

    def on_input_submitted(self) -> None:
        self.action_save()

    def _path(self) -> Path | None:
        typed = self.query_one("#path", Input).value.strip()
        if not typed:
            self.query_one("#error", Static).update("Give a file name")
            return None
        return Path(typed).expanduser()

    def action_save(self) -> None:
        path = self._path()
        if path is None:
            return
        if path.is_dir():
            self.query_one("#error", Static).update(f"{path} is a folder: add a file name")
            return
        fmt = str(self.query_one("#format", Select).value)
        self.dismiss(FileChoice("write", path, fmt))

    def action_read(self) -> None:
        if not self.can_read:
            self.query_one("#error", Static).update(
                "Only a draft takes a file: a sent version stays as sent ('Draft now' gives "
                "the follow-up)"
            )
            return
        path = self._path()
        if path is not None:
            self.dismiss(FileChoice("read", path, "text"))
