"""Snapshot tests (pytest-textual-snapshot, frozen clock, pinned Textual): dashboard, a
wizard step and the incident screen at 80x24 and 120x40. Regenerate only in a dedicated
commit after reviewing the report: pytest tests/snapshots --snapshot-update."""

from pathlib import Path

import pytest
from textual.widgets import Input

from ..ui.conftest import build_app

SIZES = [(80, 24), (100, 30), (120, 40)]


def no_blink(app) -> None:
    for widget in app.screen.query(Input):
        widget.cursor_blink = False


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dashboard(snap_compare, tmp_path: Path, size) -> None:
    async def run_before(pilot) -> None:
        await pilot.pause()

    assert snap_compare(build_app(tmp_path / "s.db"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_wizard_step(snap_compare, tmp_path: Path, size) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("n", *"CDR export exposed", "ctrl+n", *"2026-11-20 08:00")
        no_blink(pilot.app)
        await pilot.pause()

    assert snap_compare(build_app(tmp_path / "s.db"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_incident_screen(snap_compare, tmp_path: Path, size) -> None:
    async def run_before(pilot) -> None:
        pilot.app.open_incident("BR-2026-0002")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(build_app(tmp_path / "s.db"), terminal_size=size, run_before=run_before)
