"""A team on one log, in the UI: another process's changes appear by themselves, two
writers on one incident never lose an update, assignments and the "mine" filter."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from textual.widgets import DataTable, Static

from breach.clock import fixed_clock
from breach.rules import load_rules
from breach.service import IncidentLog
from breach.ui.screens.dashboard import DashboardScreen
from breach.ui.screens.incident import IncidentScreen
from breach.ui.screens.team import AssignScreen, HandoverScreen

from .conftest import FROZEN, build_app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "mixvoip-cdr-exfiltration.json"


def other_writer(db: Path, actor: str = "colleague") -> IncidentLog:
    """A second connection to the same file, as a colleague's breach would have."""
    return IncidentLog.open(db, load_rules(), fixed_clock(FROZEN), actor)


async def wait_until(pilot, condition, seconds: float = 10.0) -> float:
    """Let the app run, pressing no key, until ``condition()`` holds; how long it took.
    (The 2 s budget is measured by benchmarks/bench_team.py, not asserted here.)"""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > seconds:
            raise AssertionError(f"not on screen within {seconds} s")
        await pilot.pause(0.05)
    return time.monotonic() - start


def rows(app) -> list[str]:
    table = app.screen.query_one("#incidents", DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


async def test_an_incident_recorded_by_another_process_appears_on_the_dashboard(db) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and len(rows(app)) == 4
        subprocess.run(
            [sys.executable, "-m", "breach", "--db", str(db), "new", str(EXAMPLE)],
            check=True,
            capture_output=True,
        )
        await wait_until(pilot, lambda: len(rows(app)) == 5)
        assert "DEMO-2026-0006" in rows(app)


async def test_another_writers_change_shows_on_the_open_incident(db) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_incident("DEMO-2026-0002")
        await pilot.pause()
        colleague = other_writer(db)
        colleague.team.handover("DEMO-2026-0002", "Legal has the call log now")
        colleague.close()
        timeline = app.screen.query_one("#timeline", Static)
        await wait_until(pilot, lambda: "Legal has the call log now" in str(timeline.render()))
        text = str(timeline.render())
        assert "HANDOVER" in text and "— colleague" in text


async def test_two_writers_on_one_incident_lose_nothing(db) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_incident("DEMO-2026-0002")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await pilot.press("a")  # the dialog holds the version it was opened on
        assert isinstance(app.screen, AssignScreen)
        colleague = other_writer(db)
        colleague.team.assign("DEMO-2026-0002", "dana")
        colleague.close()
        await pilot.press("enter")  # "tester", on the whole incident
        await pilot.pause()
        assert app.screen is screen
        said = [n.message for n in app._notifications]
        assert any("was changed by colleague while you had it open" in m for m in said), said
        with IncidentLog.open(db, load_rules(), fixed_clock(FROZEN), "x") as log:
            assert log.incident("DEMO-2026-0002")["assignees"]["incident"] == "dana"
        assert "dana is on it" in str(screen.query_one("#incident-title", Static).render())


async def test_assign_then_filter_the_dashboard_to_mine(db) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_incident("DEMO-2026-0003")
        await pilot.pause()
        await pilot.press("a")
        assert isinstance(app.screen, AssignScreen)
        await pilot.press("enter")  # prefilled with the actor: "tester"
        await pilot.pause()
        title = str(app.screen.query_one("#incident-title", Static).render())
        assert "tester is on it" in title
        timeline = str(app.screen.query_one("#timeline", Static).render())
        assert "tester assigned DEMO-2026-0003 to tester" in timeline
        await pilot.press("h")
        assert isinstance(app.screen, HandoverScreen)
        await pilot.press(*"CNPD called back", "enter")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("m")
        assert rows(app) == ["DEMO-2026-0003"]
        status = str(app.screen.query_one("#dashboard-status", Static).render())
        assert "mine: what tester is on" in status
        await pilot.press("m")
        assert len(rows(app)) == 4


async def test_a_new_organisation_made_in_the_wizard_records_an_incident(db) -> None:
    from breach.service.rulebook import load
    from breach.ui.app import make_app
    from breach.ui.screens.new_organisation import NewOrganisationScreen

    from .conftest import settings_for
    from .test_pilot import choose

    settings = settings_for(db)

    def rules():
        return load(None, settings.config_home)

    log = IncidentLog.open(db, rules, fixed_clock(FROZEN), "tester")
    app = make_app(log, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", *"SIP trunk credentials leaked", "ctrl+n")
        await pilot.press(*"2026-11-20 08:00", "ctrl+n")
        await choose(pilot, "#f-organisation", "New organisation")
        assert isinstance(app.screen, NewOrganisationScreen)
        await pilot.press(*"Nordlicht Telecom GmbH", "tab", "tab", *"de, at")
        await pilot.press("ctrl+s")  # nothing ticked yet: refused, answers kept
        error = str(app.screen.query_one("#o-error", Static).render())
        assert "tick at least one kind of data" in error
        app.screen.query_one("#o-inventory").focus()
        await pilot.press("down", "down", "down", "space")  # credentials
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, NewOrganisationScreen)
        assert app.screen.query_one("#f-organisation").value == "nordlicht-telecom-gmbh"
        await choose(pilot, "#f-role", "controller")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)
        incident_id = app.screen.incident_id
    saved = settings.config_home / "profiles" / "nordlicht-telecom-gmbh.json"
    assert saved.exists()
    with IncidentLog.open(
        db, lambda: load(None, settings.config_home), fixed_clock(FROZEN), "x"
    ) as again:
        data = again.incident(incident_id)
        assert data["organisation"] == "nordlicht-telecom-gmbh"
        assert data["organisation_name"] == "Nordlicht Telecom GmbH"
        duties = {d["id"] for d in data["obligations"] if d["status"] == "required"}
        assert any(d.endswith(".DE") for d in duties), duties
