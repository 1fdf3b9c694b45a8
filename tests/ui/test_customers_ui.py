"""Controller customers by the dozen or the thousand, in the UI: one folded row in the
Duties and Notices tabs; enter writes every notice not yet sent (one file each, with
progress) and records the mail tool's delivery log, each delivered notice's duty done."""

from __future__ import annotations

import stat
from pathlib import Path

from textual.widgets import DataTable, Input, Select, Static

from breach.model import facts_from_data
from breach.ui.screens.customers import CustomersScreen
from breach.ui.screens.incident_duties import CUSTOMERS
from breach.ui.screens.modals import ConfirmScreen

from ..conftest import BASE_FACTS
from .conftest import build_app

CUSTOMER_COUNT = 12


def processor_incident(app, count: int = CUSTOMER_COUNT) -> str:
    controllers = [
        {"name": f"Kunde {n:02d} GmbH", "contact": f"dpo{n}@kunde.example", "language": "de"}
        for n in range(count)
    ]
    facts = {**BASE_FACTS, "role": "processor", "controllers": controllers}
    return app.incident_log.incidents.open(facts_from_data(facts))


def shown(screen, selector: str) -> str:
    rendered = screen.query_one(selector, Static).render()
    return getattr(rendered, "plain", str(rendered))


async def test_write_every_customer_notice_then_record_the_delivery_log(
    db: Path, tmp_path: Path
) -> None:
    app = build_app(db, demo=False)
    incident_id = processor_incident(app)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_incident(incident_id)
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        table = app.screen.query_one("#notices", DataTable)
        keys = [str(k.value) for k in table.rows]
        assert CUSTOMERS in keys and not any("notify_controller" in k for k in keys)
        row = table.get_row(CUSTOMERS)
        assert f"Customers informed: 0 of {CUSTOMER_COUNT}" in str(row[1])
        table.move_cursor(row=keys.index(CUSTOMERS))
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CustomersScreen)
        assert f"0 of {CUSTOMER_COUNT} controller customers informed" in shown(
            dialog, "#customers-title"
        )
        folder = tmp_path / "letters"
        dialog.query_one("#folder", Input).value = str(folder)
        dialog.query_one("#format", Select).value = "html"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await dialog.workers.wait_for_complete()
        await pilot.pause()
        files = sorted(folder.iterdir())
        assert len(files) == CUSTOMER_COUNT and all(f.suffix == ".html" for f in files)
        assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
        assert 'lang="de"' in files[0].read_text()  # each in its customer's language
        assert f"{CUSTOMER_COUNT} notice(s) written to {folder}" in shown(dialog, "#written")

        await pilot.press("ctrl+s")  # the folder holds them now: replacing them asks first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()

        log = tmp_path / "mail.csv"
        rows = [
            f"Kunde {n:02d} GmbH,2026-03-02T12:00:00+01:00,delivered,msg-{n}" for n in range(10)
        ]
        rows.append("Kunde 10 GmbH,2026-03-02T12:00:00+01:00,bounced,msg-10")
        rows.append("Nobody AG,2026-03-02T12:00:00+01:00,delivered,msg-x")
        log.write_text("name,sent_at,status,message_id\n" + "\n".join(rows) + "\n")
        dialog.query_one("#log", Input).value = str(log)
        await pilot.press("ctrl+r")
        await pilot.pause()
        recorded = shown(dialog, "#recorded")
        assert recorded.startswith(f"10 delivery(ies) recorded from {log}")
        assert "not delivered: line 12: Kunde 10 GmbH (bounced)" in recorded
        assert "no such customer: line 13: Nobody AG" in recorded
        assert f"10 of {CUSTOMER_COUNT} controller customers informed" in shown(
            dialog, "#customers-title"
        )
        await pilot.press("escape")
        await pilot.pause()
        duties = app.screen.query_one("#duties", DataTable)
        assert (
            str(duties.get_row(CUSTOMERS)[1])
            == f"10 of {CUSTOMER_COUNT} controller customers informed"
        )
        done = [
            d
            for d in app.incident_log.incident(incident_id)["obligations"]
            if d["duty"] == "notify_controller" and d["done_at"]
        ]
        assert len(done) == 10 and {d["reference"] for d in done} >= {"msg-0", "msg-9"}


async def test_a_bad_delivery_log_is_named_in_one_line_and_changes_nothing(
    db: Path, tmp_path: Path
) -> None:
    app = build_app(db, demo=False)
    incident_id = processor_incident(app)
    bad = tmp_path / "mail.csv"
    bad.write_text("name,sent_at,status\nKunde 01 GmbH,yesterday-ish,delivered\n")
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_incident(incident_id)
        await pilot.pause()
        table = app.screen.query_one("#duties", DataTable)
        table.move_cursor(row=table.get_row_index(CUSTOMERS))
        await pilot.press("d")  # marking them done: by their delivery log
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CustomersScreen)
        dialog.query_one("#log", Input).value = str(bad)
        await pilot.press("ctrl+r")
        await pilot.pause()
        error = shown(dialog, "#error")
        assert f"{bad} line 2: sent_at" in error and "\n" not in error
        assert app.incident_log.customers_informed(incident_id) == (0, CUSTOMER_COUNT)
        dialog.query_one("#log", Input).value = ""
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "Give the path" in shown(dialog, "#error")


async def test_escape_stops_the_writing_and_says_how_far_it_got(db: Path, tmp_path: Path) -> None:
    app = build_app(db, demo=False)
    incident_id = processor_incident(app, count=120)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_incident(incident_id)
        await pilot.pause()
        app.screen.open_customers()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CustomersScreen)
        dialog.query_one("#folder", Input).value = str(tmp_path / "letters")
        dialog.action_write()  # as ctrl+s; the key below arrives while it writes
        assert dialog.is_writing
        await pilot.press("escape")  # stops the writing; the dialog stays
        await dialog.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is dialog and not dialog.is_writing
        written = len(list((tmp_path / "letters").iterdir()))
        assert 0 < written < 120
        assert shown(dialog, "#written").startswith(f"Stopped: {written} notice(s) written")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not dialog


async def test_w_opens_what_the_next_action_line_names_the_customers(db: Path) -> None:
    app = build_app(db, demo=False)
    incident_id = processor_incident(app)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_incident(incident_id)
        await pilot.pause()
        assert "Next: Inform Kunde" in shown(app.screen, "#next-action")
        table = app.screen.query_one("#duties", DataTable)
        assert table.get_row_index(CUSTOMERS) != table.cursor_row  # the cursor elsewhere
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)
