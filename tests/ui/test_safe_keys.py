"""One key must not do damage: closing asks first, a duty done by mistake is reopened with
a reason (timeline and audit), the demo asks first, lives in its own folder, and d goes
back to your own log."""

from pathlib import Path

from textual.widgets import DataTable

from breach.store import Store
from breach.ui.screens.dashboard import DashboardScreen
from breach.ui.screens.incident import IncidentScreen
from breach.ui.screens.modals import ConfirmScreen, ReasonScreen

from .conftest import build_app

OPEN_ID = "DEMO-2026-0003"
CLOSED_ID = "DEMO-2026-0005"  # Assutech: closed, its register entry done


async def test_close_asks_first_and_cancel_keeps_it_open(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_incident(OPEN_ID)
        await pilot.pause()
        await pilot.press("c")
        assert isinstance(app.screen, ConfirmScreen)
        assert f"Close {OPEN_ID}?" in app.screen.question
        await pilot.press("n")
        assert isinstance(app.screen, IncidentScreen)
        await pilot.press("c", "escape")
        assert isinstance(app.screen, IncidentScreen)
        with Store.open(db) as store:
            assert store.incident(OPEN_ID)["status"] == "open"
        await pilot.press("c", "y")
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)
        with Store.open(db) as store:
            assert store.incident(OPEN_ID)["status"] == "closed"
        await pilot.press("c")  # reopening asks too
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    with Store.open(db) as store:
        assert store.incident(OPEN_ID)["status"] == "open"


async def test_reopen_a_done_duty_with_a_reason(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_incident(CLOSED_ID)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        table = screen.query_one("#duties", DataTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("gdpr.document"))
        await pilot.press("u")
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press("enter")  # no reason: refused, the dialog stays
        assert isinstance(app.screen, ReasonScreen)
        await pilot.press(*"entry was for another incident", "enter")
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)
        await pilot.press("u")  # not done any more: refused with a notification
        assert isinstance(app.screen, IncidentScreen)
    with Store.open(db) as store:
        duty = next(d for d in store.duties(CLOSED_ID) if d["id"] == "gdpr.document")
        assert duty["done_at"] is None and duty["reference"] is None
        event = store.events(CLOSED_ID)[-1]
        assert event["kind"] == "reopened_duty"
        assert event["text"].startswith(
            "Reopened gdpr.document: entry was for another incident (was done at "
        )
        assert "ref REG-2026-014" in event["text"]
        assert store.verify_audit().problem is None


async def test_demo_asks_opens_its_own_folder_and_d_goes_back(db: Path) -> None:
    app = build_app(db, demo=False)
    before = db.read_bytes()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.incident_log.path == db  # declined: still your log
        await pilot.press("d", "y")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        demo = db.parent / "demo" / "demo.db"
        assert app.incident_log.path == demo and demo.exists()
        assert app.showing_demo and app.title.startswith("DEMO DATABASE")
        assert app.sub_title.startswith("demo ·")
        table = app.screen.query_one("#incidents", DataTable)
        assert table.row_count == 4
        assert all(str(table.get_row_at(i)[-1]).startswith("[DEMO] ") for i in range(4))
        await pilot.press("d")  # on the demo: back, no question
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.incident_log.path == db and not app.showing_demo
        assert app.title == "breach" and app.sub_title.startswith(db.name)
        assert app.screen.query_one("#incidents", DataTable).row_count == 0
    assert db.read_bytes() == before  # your log untouched
    assert not (db.parent / "demo.db").exists()  # never next to it


async def test_started_on_the_demo_d_opens_your_own_log(db: Path) -> None:
    from breach.clock import fixed_clock
    from breach.rules import load_rules
    from breach.service import IncidentLog
    from breach.ui.app import make_app

    from .conftest import FROZEN, settings_for

    demo = db.parent / "demo" / "demo.db"  # what breach demo opens (Settings.demo_db)
    demo.parent.mkdir()
    log = IncidentLog.open(demo, load_rules(), fixed_clock(FROZEN), "demo")
    log.create_demo()
    app = make_app(log, settings_for(db))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.showing_demo
        await pilot.press("d")
        await pilot.pause()
        assert app.incident_log.path == db and not app.showing_demo
    app.incident_log.close()
    log.close()
