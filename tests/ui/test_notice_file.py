"""ctrl+l in the notice editor: write the notice as text, Markdown, an HTML page or the
EDPB form's fields; read a file edited elsewhere into the editor; never replace a file or
lose an edit unasked."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from textual.widgets import Input, Select

from breach.ui.screens.modals import ConfirmScreen
from breach.ui.screens.notice_editor import NoticeScreen
from breach.ui.screens.notice_file import NoticeFileScreen
from breach.ui.screens.unsaved import UnsavedScreen
from breach.ui.widgets.notice_text import NoticeText

from ..notices.htmlcheck import assert_safe_page
from .conftest import build_app, demo_id


async def open_editor(app, pilot) -> NoticeScreen:
    app.open_incident(demo_id(app, "Call detail records"))
    await pilot.pause()
    await pilot.press("4", "enter")
    await pilot.pause()
    assert isinstance(app.screen, NoticeScreen)
    return app.screen


async def file_dialog(app, pilot, path: Path, fmt: str) -> NoticeFileScreen:
    await pilot.press("ctrl+l")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, NoticeFileScreen)
    dialog.query_one("#format", Select).value = fmt
    await pilot.pause()
    dialog.query_one("#path", Input).value = str(path)
    return dialog


async def test_write_the_edited_text_as_an_html_page_readable_by_you_only(
    db: Path, tmp_path: Path
) -> None:
    app = build_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_editor(app, pilot)
        editor = screen.query_one(NoticeText)
        editor.move_cursor((0, 0))
        await pilot.press(*"URGENT <b> ")
        await pilot.press("ctrl+l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NoticeFileScreen)
        offered = Path(dialog.query_one("#path", Input).value)
        assert offered.parent == db.parent and offered.name.endswith(".en.txt")
        dialog.query_one("#format", Select).value = "html"
        await pilot.pause()
        assert dialog.query_one("#path", Input).value.endswith(".en.html")  # follows the format
        target = tmp_path / "out" / "notice.html"
        target.parent.mkdir()
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        page = assert_safe_page(target.read_text())
        assert "URGENT <b> " in page.all_text and "&lt;b&gt;" in target.read_text()
        assert "mark" in page.tags  # the markers still to confirm stand out
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert "Changed, not saved" in str(screen.query_one("#notice-state").render())


async def test_an_existing_file_is_replaced_only_when_confirmed(db: Path, tmp_path: Path) -> None:
    app = build_app(db)
    target = tmp_path / "notice.md"
    target.write_text("mine\n")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_editor(app, pilot)
        await file_dialog(app, pilot, target, "md")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # keep it
        await pilot.pause()
        assert app.screen is screen and target.read_text() == "mine\n"
        await file_dialog(app, pilot, target, "md")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        written = target.read_text()
        assert written.startswith("# ") and "National Commission for Data Protection" in written


async def test_the_edpb_form_fields_are_written_as_json(db: Path, tmp_path: Path) -> None:
    app = build_app(db)
    target = tmp_path / "form.json"
    async with app.run_test(size=(100, 30)) as pilot:
        await open_editor(app, pilot)
        await file_dialog(app, pilot, target, "edpb-json")
        await pilot.press("ctrl+s")
        await pilot.pause()
        document = json.loads(target.read_text())
        assert isinstance(document, dict) and document


async def test_read_a_file_into_the_editor_asks_before_dropping_an_edit(
    db: Path, tmp_path: Path
) -> None:
    app = build_app(db)
    edited = tmp_path / "edited.txt"
    edited.write_text("Written in my own editor\x1b[2J\nsecond line [to be confirmed]\n")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_editor(app, pilot)
        editor = screen.query_one(NoticeText)
        before = editor.text
        await pilot.press(*"typed ")
        await file_dialog(app, pilot, edited, "text")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedScreen)  # the typed change is not dropped unasked
        await pilot.press("escape")  # keep editing
        await pilot.pause()
        assert editor.text == "typed " + before
        await file_dialog(app, pilot, edited, "text")
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("d")  # discard the typed change, read the file
        await pilot.pause()
        assert editor.text.startswith("Written in my own editor") and "\x1b" not in editor.text
        assert editor.markers() and "Changed, not saved" in str(
            screen.query_one("#notice-state").render()
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        incident_id = screen.incident_id
        [version] = app.incident_log.notices.versions(incident_id)
        stored = app.incident_log.notices.stored(incident_id, version["id"])["text"]
        assert stored.startswith("Written in my own editor") and version["edited"]


async def test_a_file_that_is_not_text_is_refused_in_one_line(db: Path, tmp_path: Path) -> None:
    app = build_app(db)
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_editor(app, pilot)
        before = screen.query_one(NoticeText).text
        await file_dialog(app, pilot, binary, "text")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.query_one(NoticeText).text == before
        [note] = [n.message for n in app._notifications]
        assert str(binary) in note and "not UTF-8" in note and "\n" not in note
        await file_dialog(app, pilot, tmp_path / "missing.txt", "text")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert any("no such file" in n.message for n in app._notifications)
