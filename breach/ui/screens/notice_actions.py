"""The notice editor's actions: save a version, mark it sent, write it to a file or read
one in, copy, redraft, go to the next marker, leave; none loses a change unasked."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import BreachError
from ...files import read_user_text, write_private_text
from ...textsafe import clean, terminal_safe
from ..widgets.notice_text import NoticeText
from .modals import ConfirmScreen
from .notice_dialogs import MarkSentScreen, SentForm
from .notice_file import FileChoice, NoticeFileScreen
from .notice_target import copy_notice, notice_folder
from .unsaved import LeaveChoice, UnsavedScreen

if TYPE_CHECKING:
    from .notice_editor import NoticeScreen

    _Base = NoticeScreen
else:
    _Base = object


class NoticeActions(_Base):
    """What the keys of :class:`~.notice_editor.NoticeScreen` do (a mixin)."""

    # -- changes not yet saved -------------------------------------------------------------

    def when_saved(
        self, then: Callable[[], None], revert: Callable[[], None] | None = None
    ) -> None:
        """Run ``then`` at once if nothing is unsaved; else ask first: save a version,
        discard the changes, or keep editing (then nothing happens)."""
        if not self.dirty:
            then()
            return

        def answer(choice: LeaveChoice | None) -> None:
            if choice in (None, "keep"):
                if revert:
                    revert()
                return
            if choice == "save" and self.save() is None:
                return
            then()

        question = (
            f"Your changes to this {self.target.kind.replace('_', ' ')} notice are not saved. "
            "Save them as a new version, discard them, or keep editing?"
        )
        self.app.push_screen(UnsavedScreen(question), answer)

    # -- actions ---------------------------------------------------------------------------

    def save(self) -> int | None:
        """Store the text shown as a new version; returns its id (None if refused)."""
        draft, editor = self.draft, self.query_one(NoticeText)
        if self.sent is not None or draft is None:
            self.notify("A sent version stays as sent: choose 'Draft now' for the follow-up")
            return None
        if draft.stored_id is not None and not self.dirty:
            self.notify(f"Nothing changed since #{draft.stored_id}")
            return draft.stored_id
        text = editor.text
        try:
            notice_id = self.notices.save(self.incident_id, draft, edited_text=text)
            self.draft = self.notices.editable(self.incident_id, notice_id)
        except BreachError as err:
            self.notify(str(err), severity="error", timeout=10)
            return None
        self.draft.warnings = draft.warnings
        self.showing = notice_id  # before the versions are listed again
        self.baseline = text
        self.reload()
        self._pick(self.draft.language, notice_id)
        self.show_state()
        self.notify(f"Saved as #{notice_id} (version {self._version_of(notice_id)}, a draft)")
        return notice_id

    def _version_of(self, notice_id: int) -> int:
        return next((int(n["version"]) for n in self.series() if n["id"] == notice_id), 0)

    def action_save(self) -> None:
        self.save()

    def action_mark_sent(self) -> None:
        """Record the version shown as sent (saving the text first if it changed)."""
        if self.sent is not None:
            self.notify(f"#{self.sent['id']} was already sent at {self.sent['sent_at']}")
            return
        notice_id = (
            self.save()
            if self.dirty or self.draft is None or not self.draft.stored_id
            else self.draft.stored_id
        )
        if notice_id is None:
            return
        open_duty = self.duty if self.duty and not self.duty["done_at"] else None
        # a duty done already is not done late again: no deadline, no reasons asked
        duty = open_duty or {"id": self.target.obligation, "due_at": None}
        markers = len(self.query_one(NoticeText).markers())
        delay_reason = str(self.data["facts"].get("delay_reason") or "")
        screen = MarkSentScreen(
            duty, self.breach.clock(), self.breach.zone_name, delay_reason, markers
        )

        def record(form: SentForm | None) -> None:
            if form is None:
                return
            done = form.done
            try:
                self.notices.mark_sent(
                    self.incident_id,
                    notice_id,
                    at=done.at,
                    reference=done.reference or None,
                    channel=done.channel or None,
                    reason=done.reason or None,
                    confirm=form.with_markers,
                )
            except BreachError as err:
                self.notify(str(err), severity="error", timeout=12)
                return
            self.showing = notice_id  # before the versions are listed again
            self.reload()
            self.load_version(notice_id)
            done = "; its duty is marked done" if open_duty else ""
            self.notify(f"#{notice_id} recorded as sent{done}", timeout=8)

        self.app.push_screen(screen, record)

    def action_next_marker(self) -> None:
        editor = self.query_one(NoticeText)
        if not editor.next_marker():
            self.notify("No marker left in this notice")
        else:
            editor.focus()

    def action_redraft(self) -> None:
        self.when_saved(lambda: self.load_now(fresh=False))

    def action_copy(self) -> None:
        text = self.query_one(NoticeText).text
        language = self.shown_language or "en"
        copy_notice(self, self.incident_id, self.target.kind, language, text)

    def action_back(self) -> None:
        self.when_saved(self.app.pop_screen)

    def action_file(self) -> None:
        """Write the notice to a file (text, Markdown, HTML page, the EDPB form's fields)
        or read a file into the editor."""
        recipient = re.sub(r"[^\w.-]+", "-", self.target.obligation or self.target.kind)
        stem = (
            notice_folder(self.breach)
            / f"{self.incident_id}-{recipient}.{self.shown_language or 'en'}"
        )
        screen = NoticeFileScreen(stem, can_read=self.sent is None and self.draft is not None)

        def chosen(choice: FileChoice | None) -> None:
            if choice is None:
                return
            if choice.action == "read":
                self.when_saved(lambda: self._read_file(choice.path))
            elif choice.path.is_file():
                question = f"{choice.path} exists. Replace it with this notice?"

                def replace(yes: bool | None) -> None:
                    if yes:
                        self._write_file(choice)

                self.app.push_screen(ConfirmScreen(question, "replace", "keep it"), replace)
            else:
                self._write_file(choice)

        self.app.push_screen(screen, chosen)

    def _write_file(self, choice: FileChoice) -> None:
        text = self.query_one(NoticeText).text
        try:
            if choice.fmt == "edpb-json":
                if self.target.kind != "authority":
                    raise BreachError(
                        "The EDPB form's fields are those of a notification to an "
                        "authority: open the authority's notice to write them"
                    )
                content = self.notices.draft(
                    self.incident_id,
                    self.target.kind,
                    fmt="edpb-json",
                    obligation=self.target.obligation,
                    zone=self.breach.zone_name,
                    voluntary=self.target.voluntary,
                    phase=self.phase,
                ).text
            else:
                content = self.notices.as_format(
                    text, choice.fmt, self.shown_language or "en", self.target.kind
                )
            write_private_text(choice.path, terminal_safe(content))
        except BreachError as err:
            self.notify(str(err), severity="error", timeout=12)
            return
        unsaved = " — the text shown, not saved as a version yet" if self.dirty else ""
        self.notify(
            f"Written to {choice.path} ({choice.fmt}, readable by you only){unsaved}", timeout=10
        )

    def _read_file(self, path: Path) -> None:
        try:
            text = clean(read_user_text(path))  # written elsewhere: controls neutralised
        except BreachError as err:
            self.notify(str(err), severity="error", timeout=12)
            return
        self.query_one(NoticeText).load_text(text)
        lines = text.count("\n") + 1
        self.notify(
            f"Read {path} ({lines:,} lines) into the editor: ctrl+s saves it as your edit "
            "of this notice",
            timeout=10,
        )
