"""A notice from draft to sent in the UI: the list of notices the duties call for, the
editor with its markers, versions, language, unsaved changes, mark sent, read-only."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Select, Static

from breach.ui.screens.incident import IncidentScreen
from breach.ui.screens.notice_dialogs import MarkSentScreen
from breach.ui.screens.notice_editor import NoticeScreen
from breach.ui.screens.unsaved import UnsavedScreen
from breach.ui.widgets.notice_text import MARKER, NoticeText

from .conftest import build_app, demo_id


def shown(screen, selector: str) -> str:
    rendered = screen.query_one(selector, Static).render()
    return getattr(rendered, "plain", str(rendered))


async def open_notices(app, pilot, words: str) -> IncidentScreen:
    app.open_incident(demo_id(app, words))
    await pilot.pause()
    await pilot.press("4")
    await pilot.pause()
    assert isinstance(app.screen, IncidentScreen)
    return app.screen


async def test_the_notices_tab_lists_what_the_duties_call_for_next_due_first(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_notices(app, pilot, "Call detail records")
        table = screen.query_one("#notices", DataTable)
        assert app.focused is table
        rows = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert rows[0].startswith("Notify the CNPD (Luxembourg) — telecom, 24 h")
        assert rows[-1].endswith("not required — enter shows them (voluntary)")
        assert not any(r.startswith("Voluntary") for r in rows[:-1])
        assert str(table.get_row_at(0)[2]) == "not drafted"


async def test_enter_opens_the_next_due_notice_with_its_markers_highlighted(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_notices(app, pilot, "Call detail records")
        await pilot.press("enter")
        await pilot.pause()
        editor_screen = app.screen
        assert isinstance(editor_screen, NoticeScreen)
        assert editor_screen.target.obligation == "eprivacy.notify_authority.LU"
        editor = editor_screen.query_one(NoticeText)
        assert app.focused is editor and not editor.read_only
        assert "National Commission for Data Protection" in editor.text
        spans = editor.markers()
        assert spans and editor.document.get_line(spans[0][0])[spans[0][1] :].startswith(
            "[to be confirmed]"
        )
        assert any(h[2] == MARKER for h in editor._highlights[spans[0][0]])
        listed = shown(editor_screen, "#notice-markers")
        assert listed.startswith(f"{len(spans)} still to be confirmed — ctrl+g goes to each")
        assert f"line {spans[0][0] + 1}" in listed
        await pilot.press("ctrl+g")
        assert editor.selected_text in ("[to be confirmed]",)
        assert "left" in shown(editor_screen, "#notice-meta")  # the clock of its duty


async def test_edit_save_versions_and_mark_sent_then_read_only(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        incident = await open_notices(app, pilot, "Call detail records")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        editor = screen.query_one(NoticeText)
        editor.move_cursor((0, 0))
        await pilot.press(*"URGENT ")
        assert "Changed, not saved" in shown(screen, "#notice-state")
        await pilot.press("ctrl+s")
        await pilot.pause()
        log = app.incident_log
        incident_id = incident.incident_id
        versions = log.notices.versions(incident_id)
        assert [(v["version"], v["edited"], v["status"]) for v in versions] == [(1, True, "draft")]
        assert log.notices.stored(incident_id, versions[0]["id"])["text"].startswith("URGENT ")
        assert "Saved as #" in shown(screen, "#notice-state")
        await pilot.press("ctrl+s")  # nothing changed: no second, identical version
        assert len(log.notices.versions(incident_id)) == 1
        await pilot.press(*"again ")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [v["version"] for v in log.notices.versions(incident_id)] == [1, 2]

        await pilot.press("ctrl+t")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, MarkSentScreen) and dialog.markers > 0
        dialog.query_one("#channel").value = "portal"
        dialog.query_one("#reference").value = "CNPD-2026-77"
        await pilot.press("ctrl+s")  # markers left and the box not ticked: refused
        await pilot.pause()
        assert app.screen is dialog and "tick the box" in shown(dialog, "#error")
        dialog.query_one("#with-markers").value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        sent = log.notices.versions(incident_id)[-1]
        assert (sent["status"], sent["channel"], sent["reference"]) == (
            "sent",
            "portal",
            "CNPD-2026-77",
        )
        duty = next(
            d
            for d in log.incident(incident_id)["obligations"]
            if d["id"] == "eprivacy.notify_authority.LU"
        )
        assert duty["done_at"]  # sending the notice did the duty
        assert editor.read_only and "kept as sent, read-only" in shown(screen, "#notice-state")
        await pilot.press("x")  # typing into a sent version changes nothing
        assert log.notices.stored(incident_id, sent["id"])["text"] == editor.text
        await pilot.press("ctrl+s")
        assert len(log.notices.versions(incident_id)) == 2

        version = screen.query_one("#notice-version", Select)
        version.value = -1  # draft now: the follow-up
        await pilot.pause()
        assert not editor.read_only and screen.draft.phase == "follow_up"
        screen.query_one("#notice-phase", Select).value = "initial"  # as the responder says
        await pilot.pause()
        assert screen.draft.phase == "initial" and "initial" in shown(screen, "#notice-meta")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)
        table = app.screen.query_one("#notices", DataTable)
        assert str(table.get_row_at(table.get_row_index("eprivacy.notify_authority.LU"))[0]) == (
            "✓ done"
        )


async def test_escape_with_unsaved_changes_asks_and_keeps_editing_by_default(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        incident = await open_notices(app, pilot, "Call detail records")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        await pilot.press(*"note ")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedScreen)
        await pilot.press("escape")  # keep editing: nothing lost
        await pilot.pause()
        assert app.screen is screen and screen.query_one(NoticeText).text.startswith("note ")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")  # save, then leave
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)
        versions = app.incident_log.notices.versions(incident.incident_id)
        assert len(versions) == 1 and versions[0]["edited"]
        await pilot.press("enter")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, NoticeScreen)
        assert again.query_one(NoticeText).text.startswith("note ")  # your edits are kept
        await pilot.press(*"more ")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")  # discard
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)
        assert len(app.incident_log.notices.versions(incident.incident_id)) == 1


async def test_language_and_recipient_are_chosen(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        incident = await open_notices(app, pilot, "Call detail records")
        table = incident.query_one("#notices", DataTable)
        table.move_cursor(row=table.get_row_index("eprivacy.notify_authority.DE.de_bnetza"))
        await pilot.press("w")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NoticeScreen)
        assert screen.target.obligation == "eprivacy.notify_authority.DE.de_bnetza"
        assert screen.draft is not None and "Federal Network Agency" in screen.draft.recipient
        screen.query_one("#notice-lang", Select).value = "de"
        await pilot.pause()
        editor = screen.query_one(NoticeText)
        assert screen.draft.language == "de" and "[noch zu bestätigen]" in editor.text
        spans = editor.markers()
        row, start, end = spans[0]
        line = editor.document.get_line(row)
        highlight = next(h for h in editor._highlights[row] if h[2] == MARKER)
        # the highlight map counts bytes: the marker with its ä is highlighted whole
        assert line.encode()[highlight[0] : highlight[1]].decode() == line[start:end]


async def test_a_not_required_notice_opens_as_voluntary(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        incident = await open_notices(app, pilot, "Customer list e-mailed")
        table = incident.query_one("#notices", DataTable)
        table.move_cursor(row=table.row_count - 1)
        await pilot.press("enter")  # the folded line opens
        await pilot.pause()
        key = "gdpr.public_communication"
        table.move_cursor(row=table.get_row_index(key))
        assert str(table.get_row_at(table.cursor_row)[1]).startswith("Voluntary: Publish")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NoticeScreen) and screen.target.voluntary
        assert "(voluntary)" in shown(screen, "#notice-title")


async def test_w_on_the_duty_list_opens_that_duty_s_notice(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_incident(demo_id(app, "Phished admin"))
        await pilot.pause()
        table = app.screen.query_one("#duties", DataTable)
        table.move_cursor(row=table.get_row_index("gdpr.notify_data_subjects"))
        await pilot.press("w")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NoticeScreen)
        assert (screen.target.kind, screen.target.obligation) == (
            "data_subjects",
            "gdpr.notify_data_subjects",
        )
        await pilot.press("ctrl+o")
        copied = list(db.parent.glob("*-data_subjects.*.txt"))
        assert len(copied) == 1 and copied[0].stat().st_mode & 0o777 == 0o600
        assert app.clipboard == screen.query_one(NoticeText).text == copied[0].read_text()
        said = [n.message for n in app._notifications]
        assert any(str(copied[0]) in m and "OSC 52" in m for m in said), said


async def test_help_scrolls_to_its_end_at_80x24(db: Path) -> None:
    from textual.containers import VerticalScroll

    from breach.ui.screens.modals import HelpScreen

    app = build_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        scroll = app.screen.query_one("#help-scroll", VerticalScroll)
        assert scroll.max_scroll_y > 0 and scroll.scroll_y == 0
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
