"""The dashboard's filters, driven by keys at 80x24: `f` opens the dialog (status,
organisation, regime, due window), ctrl+s applies, escape cancels, `x` clears; the status
line says what is on; the footer keeps the keys that matter, f1 Help among them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Button, DataTable, Select, Static
from textual.widgets._footer import FooterKey

from breach.clock import fixed_clock
from breach.rules import load_rules
from breach.service import IncidentLog
from breach.ui.app import make_app
from breach.ui.screens.dashboard import DashboardScreen
from breach.ui.screens.filters import FilterScreen

from .conftest import FROZEN, build_app, settings_for

SIZE = (80, 24)
OPEN = ["DEMO-2026-0001", "DEMO-2026-0002", "DEMO-2026-0003", "DEMO-2026-0004"]


def rows(app) -> list[str]:
    table = app.screen.query_one("#incidents", DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


def status(app) -> str:
    return str(app.screen.query_one("#dashboard-status", Static).render())


async def choose(pilot, name: str, typed: str) -> None:
    """Pick an option of the dialog's Select by keyboard: focus, open, type, enter."""
    pilot.app.screen.query_one(f"#filter-{name}", Select).focus()
    await pilot.press("enter", *typed, "enter")
    await pilot.pause()


async def filter_by(pilot, **typed: str) -> None:
    """f, choose each filter by typing the start of its option, ctrl+s."""
    await pilot.press("f")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FilterScreen)
    for name, text in typed.items():
        await choose(pilot, name, text)
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, DashboardScreen)


async def test_organisation_filter_narrows_the_rows_and_says_so(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert rows(app) == OPEN and "Filters:" not in status(app)
        await filter_by(pilot, organisation="Mixvoip")
        assert rows(app) == ["DEMO-2026-0002"]
        assert "1 open incident(s) shown of 5 recorded" in status(app)
        assert "Filters: open · Mixvoip — f to change, x to clear" in status(app)


async def test_regime_and_due_window_combine_and_x_clears_them(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await filter_by(pilot, regime="GDPR", due="Due within 24")
        assert rows(app) == ["DEMO-2026-0001", "DEMO-2026-0003"]  # overdue, then 21 h left
        assert "Filters: open · GDPR · due within 24 h" in status(app)
        await filter_by(pilot, regime="NIS2")  # the dialog opens on the filters applied
        assert rows(app) == ["DEMO-2026-0002"]
        assert "Filters: open · NIS2 · due within 24 h" in status(app)
        await pilot.press("x")
        await pilot.pause()
        assert rows(app) == OPEN and "Filters:" not in status(app)


async def test_overdue_counts_from_the_apps_clock(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await filter_by(pilot, due="Overdue")
        assert rows(app) == ["DEMO-2026-0001"]
        app.clock = fixed_clock(FROZEN + timedelta(hours=6))  # Mixvoip's 14:30 has passed
        app.screen.tick()  # a due window is counted again every minute
        await pilot.pause()
        assert rows(app) == ["DEMO-2026-0001", "DEMO-2026-0002"]


async def test_status_closed_and_a_toggles_open_and_all(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await filter_by(pilot, status="Closed")
        assert rows(app) == ["DEMO-2026-0005"]
        assert "1 closed incident(s) shown" in status(app)
        assert "Filters: closed" in status(app)
        await pilot.press("a")
        await pilot.pause()
        assert rows(app) == [*OPEN, "DEMO-2026-0005"]
        assert "Filters: open and closed" in status(app)
        await pilot.press("a")
        await pilot.pause()
        assert rows(app) == OPEN and "Filters:" not in status(app)


async def test_escape_leaves_the_filters_as_they_were(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await filter_by(pilot, organisation="DIFLEX")
        assert rows(app) == ["DEMO-2026-0004"]
        await pilot.press("f")
        await pilot.pause()
        await choose(pilot, "organisation", "Any")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert rows(app) == ["DEMO-2026-0004"] and "Filters: open · DIFLEX" in status(app)


async def test_clear_all_in_the_dialog(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await filter_by(pilot, regime="Georgian")
        assert rows(app) == ["DEMO-2026-0004"]
        await pilot.press("f")
        await pilot.pause()
        await pilot.click("#clear")
        await pilot.pause()
        assert rows(app) == OPEN and "Filters:" not in status(app)


async def test_filters_combine_with_search_and_mine(db: Path) -> None:
    app = build_app(db)
    app.incident_log.team.assign("DEMO-2026-0004", "tester")
    app.incident_log.team.assign("DEMO-2026-0002", "tester")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await filter_by(pilot, regime="GDPR")
        assert rows(app) == ["DEMO-2026-0001", "DEMO-2026-0003", "DEMO-2026-0004"]
        await pilot.press("m")
        await pilot.pause()
        assert rows(app) == ["DEMO-2026-0004"] and "mine: what tester is on" in status(app)
        await pilot.press("m", "slash", *"Voicemail")
        await pilot.pause()
        assert rows(app) == ["DEMO-2026-0003"]
        assert "search: 'Voicemail'" in status(app) and "Filters: open · GDPR" in status(app)


async def test_nothing_matching_says_so(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await filter_by(pilot, organisation="Assutech")  # its one incident is closed
        assert rows(app) == []
        assert "none matches the filters" in status(app)


async def test_the_dialog_fits_80x24(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        for widget in [*app.screen.query(Select), *app.screen.query(Button)]:
            region = widget.region
            assert region.width and region.right <= SIZE[0] and region.bottom <= SIZE[1]


def footer(app) -> dict[str, tuple[str, int, int]]:
    """Each footer key: its label and the columns it takes."""
    return {
        key.description: (key.key_display or key.key, key.region.x, key.region.right)
        for key in app.screen.query(FooterKey)
    }


def assert_fits(keys: dict[str, tuple[str, int, int]]) -> None:
    spans = sorted((left, right) for _, left, right in keys.values())
    assert all(right <= SIZE[0] for _, right in spans), keys
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), keys  # no overlap


async def test_footer_at_80_columns_on_your_log(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keys = footer(app)
        assert {"New", "Search", "Filter", "Mine", "Demo", "Help", "Quit"} <= set(keys)
        assert_fits(keys)


async def test_footer_at_80_columns_on_the_demo_keeps_f1_help(db: Path) -> None:
    demo = db.parent / "demo" / "demo.db"
    demo.parent.mkdir()
    log = IncidentLog.open(demo, load_rules(), fixed_clock(FROZEN), "tester")
    log.create_demo()
    app = make_app(log, settings_for(db))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.showing_demo
        keys = footer(app)
        assert {"New", "Search", "Filter", "Mine", "My log", "Help", "Quit"} <= set(keys)
        assert keys["Help"][0] == "f1" and keys["My log"][0] == "d"
        assert_fits(keys)
        # the keys left out of the footer still work and are listed in f1 help
        bindings = app.screen.active_bindings
        assert bindings["a"].binding.description == "All/open"
        assert bindings["x"].binding.description == "Clear filters"
    log.close()
