"""Escape in the wizard says what happens and does it: editing a recorded incident asks
save / discard / keep editing when something changed; a new incident's draft is kept and
`n` resumes it."""

from pathlib import Path

from textual.widgets import Input

from breach.store import Store
from breach.ui.screens.dashboard import DashboardScreen
from breach.ui.screens.incident import IncidentScreen
from breach.ui.screens.unsaved import UnsavedScreen
from breach.ui.screens.wizard import WizardScreen

from .conftest import build_app

EDITED = "DEMO-2026-0002"  # Mixvoip: call detail records exfiltrated


def escape_label(app) -> str:
    """What the footer says escape does on the current screen."""
    return app.screen.active_bindings["escape"].binding.description


def stored(db: Path) -> tuple[int, str, int]:
    """The edited incident's version, title and number of facts versions, as stored."""
    with Store.open(db) as store:
        row = store.incident(EDITED)
        return row["version"], row["title"], len(store.facts_history(EDITED))


async def open_editor(app, pilot) -> WizardScreen:
    await pilot.pause()
    app.open_incident(EDITED)
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    wizard = app.screen
    assert isinstance(wizard, WizardScreen) and wizard.incident_id == EDITED
    return wizard


def said(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_escape_without_changes_just_leaves(db: Path) -> None:
    app = build_app(db)
    before = stored(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(app, pilot)
        assert escape_label(app) == "Leave"  # no draft is kept for an edit: not promised
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)
    assert stored(db) == before


async def test_escape_on_the_question_keeps_editing_then_discard_leaves_it_as_it_was(
    db: Path,
) -> None:
    app = build_app(db)
    version, title, versions = stored(db)
    async with app.run_test(size=(120, 40)) as pilot:
        wizard = await open_editor(app, pilot)
        await pilot.press("end", *" (edited)")
        await pilot.press("escape")
        assert isinstance(app.screen, UnsavedScreen)
        assert EDITED in str(app.screen.query_one("#question").render())
        await pilot.press("escape")  # keep editing: nothing lost
        assert app.screen is wizard
        assert wizard.query_one("#f-title", Input).value == f"{title} (edited)"
        await pilot.press("escape", "d")
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)
        assert f"Changes to {EDITED} discarded" in said(app)
    assert stored(db) == (version, title, versions)
    with Store.open(db) as store:
        assert store.latest_draft() is None  # an edit keeps no draft behind


async def test_save_on_the_question_saves_and_reassesses_as_ctrl_s_does(db: Path) -> None:
    app = build_app(db)
    version, title, versions = stored(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(app, pilot)
        await pilot.press("end", *" (edited)", "escape", "s")
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)
        assert f"{EDITED} updated and re-assessed" in said(app)
    assert stored(db) == (version + 1, f"{title} (edited)", versions + 1)
    with Store.open(db) as store:
        assert store.assessments(EDITED)[-1]["facts_version"] == versions + 1  # re-assessed


async def test_a_save_that_is_refused_keeps_the_edit_open(db: Path) -> None:
    app = build_app(db)
    before = stored(db)
    async with app.run_test(size=(120, 40)) as pilot:
        wizard = await open_editor(app, pilot)
        await pilot.press("ctrl+n")
        detected = wizard.query_one("#f-detected_at", Input)
        detected.focus()
        detected.value = ""  # the detection time is required
        await pilot.pause()
        await pilot.press("escape", "s")
        await pilot.pause()
        assert app.screen is wizard  # refused, as ctrl+s refuses it: nothing lost
        assert any(message.startswith("Not yet:") for message in said(app))
        await pilot.press("escape")
        assert isinstance(app.screen, UnsavedScreen)  # still unsaved: asked again
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)
    assert stored(db) == before


async def test_a_change_undone_is_no_change(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        wizard = await open_editor(app, pilot)
        await pilot.press("end", "x")
        assert wizard.edited
        await pilot.press("backspace")
        assert not wizard.edited
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)


async def test_a_new_incidents_draft_is_kept_by_escape_and_resumed_by_n(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, WizardScreen) and app.screen.incident_id is None
        assert escape_label(app) == "Leave (draft kept)"
        await pilot.press(*"Half-typed incident", "ctrl+n", *"2026-11-20 08:00")
        await pilot.press("escape")  # no question: the draft is kept as it is
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "Draft kept: press n on the dashboard to resume it." in said(app)
        await pilot.press("n")
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        assert wizard.query_one("#f-title", Input).value == "Half-typed incident"
        assert wizard.query_one("#f-detected_at", Input).value == "2026-11-20 08:00"
        assert wizard.step == 1
    reopened = build_app(db, demo=False)  # and in the next session
    async with reopened.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        assert reopened.screen.query_one("#f-title", Input).value == "Half-typed incident"


async def test_escape_before_any_answer_promises_no_draft(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert not any(message.startswith("Draft kept") for message in said(app))
    with Store.open(db) as store:
        assert store.latest_draft() is None
