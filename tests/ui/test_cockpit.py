"""The incident screen as a tired responder uses it: words before ids, the next action,
keys that land where the work is, the facts readable, the panel current."""

from __future__ import annotations

from textual.widgets import DataTable, Static, TabbedContent

from breach.ui.screens.incident import IncidentScreen
from breach.ui.screens.incident_duties import NOT_REQUIRED

from .conftest import build_app


def cells(table: DataTable, column: int) -> list[str]:
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


def shown(screen, selector: str) -> str:
    rendered = screen.query_one(selector, Static).render()
    return getattr(rendered, "plain", str(rendered))


async def test_duties_read_as_what_to_do_with_the_rest_folded(db) -> None:
    app = build_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_incident("DEMO-2026-0002")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        table = screen.query_one("#duties", DataTable)
        assert app.focused is table  # d, u, a act on the duty under the cursor at once
        words = cells(table, 1)
        assert "Notify the CNPD (Luxembourg) — telecom, 24 h" in words
        assert not any("eprivacy." in w or "gdpr." in w for w in words)
        folded = words[-1]
        assert folded.endswith("not required — enter shows them")
        before = table.row_count
        table.move_cursor(row=table.get_row_index(NOT_REQUIRED))
        await pilot.press("enter")
        await pilot.pause()
        assert table.row_count > before and NOT_REQUIRED not in [str(k.value) for k in table.rows]
        table.move_cursor(row=0)
        await pilot.pause()
        detail = shown(screen, "#duty-detail")
        first = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        # the highlighted duty in full, with its id, basis and reason
        assert detail.startswith("Notify the CNPD (Luxembourg) — telecom, 24 h · due ")
        assert detail.splitlines()[1].startswith(first)


async def test_the_next_action_names_the_duty_its_clock_and_keys(db) -> None:
    app = build_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_incident("DEMO-2026-0002")
        await pilot.pause()
        line = shown(app.screen, "#next-action")
        assert line.startswith("Next: ") and ("left" in line or "OVERDUE" in line)
        assert "w: write its notice, d: mark it done" in line


async def test_number_keys_switch_tabs_and_j_shows_the_json(db) -> None:
    app = build_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_incident("DEMO-2026-0002")
        await pilot.pause()
        tabs = app.screen.query_one("#tabs", TabbedContent)
        for key, pane in (("2", "tab-facts"), ("3", "tab-timeline"), ("4", "tab-notices")):
            await pilot.press(key)
            assert tabs.active == pane
        await pilot.press("1")
        assert tabs.active == "tab-duties" and app.focused is app.screen.query_one("#duties")
        await pilot.press("2")
        facts = shown(app.screen, "#facts")
        assert "Detected: " in facts and "CET" in facts and "Z)" in facts
        assert '"detected_at"' not in facts
        await pilot.press("j")
        assert '"detected_at"' in shown(app.screen, "#facts")
        await pilot.press("j")
        assert '"detected_at"' not in shown(app.screen, "#facts")


async def test_the_panel_shows_a_duty_done_as_done(db) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_incident("DEMO-2026-0002")
        await pilot.pause()
        screen = app.screen
        required = [d for d in screen.data["obligations"] if d["status"] == "required"]
        before = sum(1 for d in required if d["done_at"])
        assert (f"✓ {before} done" in shown(screen, "#decision-body")) == (before > 0)
        duty = next(
            d for d in screen.data["obligations"] if d["status"] == "required" and not d["done_at"]
        )
        app.incident_log.incidents.mark_done("DEMO-2026-0002", duty["id"])
        screen.reload()
        await pilot.pause()
        assert f"✓ {before + 1} done" in shown(screen, "#decision-body")
        assert "duties not required (the Duties tab says why)" in shown(screen, "#decision-body")


async def test_ticked_and_unticked_boxes_read_apart_without_colour(db) -> None:
    from breach.ui.widgets.readable import ReadableCheckbox, ReadableSelectionList

    app = build_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        wizard = app.screen
        wizard.show_step(3)
        await pilot.pause()
        lists = list(wizard.query(ReadableSelectionList))
        assert lists
        box = lists[-1]
        first = "".join(s.text for s in box.render_line(0))
        assert first.startswith("[ ] ")
        box.select(box.get_option_at_index(0).value)
        await pilot.pause()
        assert "".join(s.text for s in box.render_line(0)).startswith("[x] ")
        for checkbox in wizard.query(ReadableCheckbox):
            text = str(checkbox.render())
            assert text.startswith("[x]" if checkbox.value else "[ ]")


async def test_search_filters_as_you_type(db) -> None:
    app = build_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#incidents", DataTable)
        assert table.row_count == 4
        await pilot.press("slash", *"mixv")
        await pilot.pause()
        assert table.row_count == 1  # no enter needed
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 4
