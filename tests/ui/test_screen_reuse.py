"""What keeps keys fast must never show something stale: the one incident screen kept
between incidents, the dashboard read again only when the log changed, the footer rebuilt
only when its keys change."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static, TabbedContent

from breach.ui.screens.dashboard import DashboardScreen
from breach.ui.screens.incident_duties import NOT_REQUIRED
from breach.ui.widgets.footer import SteadyFooter

from .conftest import build_app, demo_id


def footer_keys(screen) -> list[str]:
    footer = screen.query_one(SteadyFooter)
    return [key.key for key in footer.children if hasattr(key, "key")]


async def test_the_next_incident_opens_from_the_start(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        first, second = demo_id(app, "Call detail"), demo_id(app, "Phished admin")
        app.open_incident(first)
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#duties", DataTable)
        table.move_cursor(row=table.get_row_index(NOT_REQUIRED))
        await pilot.press("enter")  # the not-required duties shown
        await pilot.press("j", "4")  # the facts as JSON, then the Notices tab
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        app.open_incident(second)
        await pilot.pause()
        assert app.screen is screen  # the same screen, kept
        title = screen.query_one("#incident-title", Static).render()
        assert second in getattr(title, "plain", str(title))
        assert screen.query_one("#tabs", TabbedContent).active == "tab-duties"
        assert app.focused is table and table.cursor_row == 0
        keys = [str(k.value) for k in table.rows]
        assert NOT_REQUIRED in keys and not screen.show_all and not screen.facts_as_json
        shown = {d["id"] for d in app.incident_log.incident(second)["obligations"]}
        assert set(keys) - {NOT_REQUIRED} <= shown  # none of the first incident's rows


async def test_the_dashboard_reads_again_only_after_a_change(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        dashboard = app.screen
        reads = []
        original = dashboard.reload
        dashboard.reload = lambda: (reads.append(1), original())[1]
        incident_id = demo_id(app, "Call detail")
        app.open_incident(incident_id)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert reads == []  # nothing changed: the page shown stays
        app.open_incident(incident_id)
        await pilot.pause()
        await pilot.press("c", "y")  # close it
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert reads == [1]
        ids = [str(k.value) for k in dashboard.query_one("#incidents", DataTable).rows]
        assert incident_id not in ids  # closed: gone from the open list


async def test_the_footer_follows_the_keys_of_the_screen_in_front(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_incident(demo_id(app, "Call detail"))
        await pilot.pause()
        incident_keys = footer_keys(app.screen)
        assert "w" in incident_keys and "d" in incident_keys
        await pilot.press("2", "1", "4")  # focus moves, the keys stay: nothing rebuilt
        await pilot.pause()
        assert footer_keys(app.screen) == incident_keys
        await pilot.press("w")
        await pilot.pause()
        assert "ctrl+t" in footer_keys(app.screen)
        await pilot.press("escape")
        await pilot.pause()
        assert footer_keys(app.screen) == incident_keys


async def test_the_next_notice_opens_from_the_start(db: Path) -> None:
    from textual.widgets import Select

    from breach.ui.screens.notice_editor import NoticeScreen
    from breach.ui.widgets.notice_text import NoticeText

    app = build_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_incident(demo_id(app, "Phished admin"))
        await pilot.pause()
        table = app.screen.query_one("#duties", DataTable)
        table.move_cursor(row=table.get_row_index("gdpr.notify_authority.FR"))
        await pilot.press("w")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoticeScreen)
        editor.query_one("#notice-phase", Select).value = "follow_up"
        await pilot.pause()
        await pilot.press(*"typed ")
        await pilot.press("escape", "d")  # discard
        await pilot.pause()
        table.move_cursor(row=table.get_row_index("gdpr.notify_data_subjects"))
        await pilot.press("w")
        await pilot.pause()
        assert app.screen is editor  # the same screen, kept
        text = editor.query_one(NoticeText)
        assert editor.target.obligation == "gdpr.notify_data_subjects"
        assert editor.draft is not None and editor.draft.kind == "data_subjects"
        assert not text.read_only and not text.text.startswith("typed ")
        assert editor.phase is None and editor.draft.phase == "initial"
        assert editor.query_one("#notice-phase", Select).value == "auto"
        assert "Tell the people affected" in str(editor.query_one("#notice-title").render())


async def test_a_screen_below_an_opaque_one_is_not_painted_again(db: Path) -> None:
    """Textual paints the new screen whole a second time for the one it covers; below an
    opaque screen nothing shows through, below a dialog the screen it covers does."""
    from textual.app import App

    from breach.ui.screens.modals import HelpScreen

    assert isinstance(vars(App).get("_background_screens"), property)  # what is overridden
    app = build_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_incident(demo_id(app, "Call detail records"))
        await pilot.pause()
        assert app._background_screens == []
        incident = app.screen
        app.push_screen(HelpScreen())
        await pilot.pause()
        assert app._background_screens == [incident]


async def test_back_on_the_incident_it_is_read_again_only_after_a_change(db: Path) -> None:
    """Back from a notice: the incident shown stays as it was unless the log changed —
    here, or in another terminal (another connection to the same file)."""
    from breach.clock import fixed_clock
    from breach.rules import load_rules
    from breach.service import IncidentLog

    from .conftest import FROZEN

    app = build_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        incident_id = demo_id(app, "Call detail")
        app.open_incident(incident_id)
        await pilot.pause()
        incident = app.screen
        read = incident.data
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is incident and incident.data is read  # nothing changed
        await pilot.press("w")
        await pilot.pause()
        other = IncidentLog.open(db, load_rules(), fixed_clock(FROZEN), "colleague")
        other.incidents.add_note(incident_id, "Called the CNPD hotline")
        other.close()
        await pilot.press("escape")
        await pilot.pause()
        assert incident.data is not read
        timeline = incident.query_one("#timeline", Static).render()
        assert "Called the CNPD hotline" in getattr(timeline, "plain", str(timeline))


def test_a_steady_line_is_redrawn_only_when_it_reads_differently() -> None:
    from rich.text import Text

    from breach.ui.widgets.steady import SteadyStatic

    line = SteadyStatic()
    updates: list[object] = []
    line.update = updates.append  # type: ignore[method-assign]
    line.show(Text("5 h left", style="bold"))
    line.show(Text("5 h left", style="bold"))
    line.show(Text("5 h left"))  # the same words, another style: redrawn
    line.show("5 h left")  # a string for the text: redrawn
    line.show(Text("4 h left", style="bold"))
    assert [str(u) for u in updates] == ["5 h left", "5 h left", "5 h left", "4 h left"]
