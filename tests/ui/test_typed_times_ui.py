"""Typed relative times in the UI: the echo shows what was understood, in zone and UTC."""

from pathlib import Path

from textual.widgets import DataTable, Input, Static

from breach.ui.screens.modals import MarkDoneScreen
from breach.ui.screens.wizard import WizardScreen

from .conftest import build_app


async def _typed_in_detected(db: Path, typed: str) -> str:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, WizardScreen)
        await pilot.press("ctrl+n")
        field = app.screen.query_one("#f-detected_at", Input)
        field.focus()
        field.value = ""
        await pilot.press(*typed)
        await pilot.pause()
        return str(app.screen.query_one("#fb-detected_at", Static).render())


async def test_wizard_echoes_two_hours_ago(db: Path) -> None:
    echo = await _typed_in_detected(db, "2h ago")
    assert echo.startswith("✓ ") and echo.endswith(" = 2026-11-20T07:30:00Z")
    assert "08:30 CET" in echo


async def test_wizard_echoes_yesterday(db: Path) -> None:
    echo = await _typed_in_detected(db, "yesterday 23:10")
    assert echo == "✓ Thu 19 Nov 2026 23:10 CET = 2026-11-19T22:10:00Z"


async def test_wizard_shows_the_refusal_with_the_forms(db: Path) -> None:
    echo = await _typed_in_detected(db, "tomorrow")
    assert echo.startswith("✗ 'tomorrow' is not a time") and "2h ago" in echo


async def test_mark_done_echoes_the_typed_time(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one(DataTable).focus()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, MarkDoneScreen)
        echo = app.screen.query_one("#at-echo", Static)
        assert str(echo.render()).endswith("= 2026-11-20T09:30:00Z")
        field = app.screen.query_one("#at", Input)
        field.value = ""
        field.focus()
        await pilot.press(*"90m ago")
        await pilot.pause()
        assert str(echo.render()) == "✓ Fri 20 Nov 2026 09:00 CET = 2026-11-20T08:00:00Z"
