"""Snapshot tests (pytest-textual-snapshot, frozen clock, pinned Textual): dashboard, a
wizard step, the incident screen, its Notices tab, the notice editor, the help and the
controller customers dialog and the notice file dialog at
80x24, 100x30 and 120x40. Regenerate only after reviewing the report:
pytest tests/snapshots --snapshot-update."""

from pathlib import Path

import pytest
from textual.widgets import Input

from ..ui.conftest import build_app, demo_id

SIZES = [(80, 24), (100, 30), (120, 40)]


async def on_the_call_detail_incident(pilot, *keys: str) -> None:
    """Open the demo incident the snapshots show, then press ``keys``."""
    pilot.app.open_incident(demo_id(pilot.app, "Call detail"))
    await pilot.pause()
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


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
        await on_the_call_detail_incident(pilot)
        await pilot.pause()

    assert snap_compare(build_app(tmp_path / "s.db"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_notices_tab(snap_compare, tmp_path: Path, size) -> None:
    async def run_before(pilot) -> None:
        await on_the_call_detail_incident(pilot, "4")

    assert snap_compare(build_app(tmp_path / "s.db"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_notice_editor(snap_compare, tmp_path: Path, size) -> None:
    async def run_before(pilot) -> None:
        await on_the_call_detail_incident(pilot, "w")
        pilot.app.screen.query_one("#notice-text").cursor_blink = False
        await pilot.press("ctrl+g")  # the first marker selected
        await pilot.pause()

    assert snap_compare(build_app(tmp_path / "s.db"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, tmp_path: Path, size) -> None:
    async def run_before(pilot) -> None:
        await on_the_call_detail_incident(pilot, "f1")

    assert snap_compare(build_app(tmp_path / "s.db"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_customers_dialog(snap_compare, tmp_path: Path, size) -> None:
    """The controller customers' dialog over their incident (its folder fixed: the
    default is beside the test's own log)."""
    from ..ui.test_customers_ui import processor_incident

    app = build_app(tmp_path / "s.db", demo=False)
    incident_id = processor_incident(app, count=40)

    async def run_before(pilot) -> None:
        pilot.app.open_incident(incident_id)
        await pilot.pause()
        pilot.app.screen.open_customers()
        await pilot.pause()
        pilot.app.screen.query_one("#folder", Input).value = "~/breach/BR-2026-0001-controllers"
        no_blink(pilot.app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_notice_file_dialog(snap_compare, tmp_path: Path, size) -> None:
    """ctrl+l in the notice editor, the HTML page chosen (its file fixed: the default is
    beside the test's own log)."""

    async def run_before(pilot) -> None:
        await on_the_call_detail_incident(pilot, "w", "ctrl+l")
        pilot.app.screen.query_one("#format").value = "html"
        await pilot.pause()
        pilot.app.screen.query_one("#path", Input).value = "~/breach/DEMO-2026-0002.en.html"
        no_blink(pilot.app)
        await pilot.pause()

    assert snap_compare(build_app(tmp_path / "s.db"), terminal_size=size, run_before=run_before)
