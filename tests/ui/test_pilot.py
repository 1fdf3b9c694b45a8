"""Pilot tests: the UI driven by keys, checked against the real SQLite file."""

from datetime import timedelta
from pathlib import Path

from textual.widgets import DataTable, Input, Select

from breach.clock import fixed_clock
from breach.service.wizard import STEPS, draft_facts
from breach.store import Store
from breach.ui.screens.dashboard import DashboardScreen
from breach.ui.screens.incident import IncidentScreen
from breach.ui.screens.modals import MarkDoneScreen
from breach.ui.screens.wizard import WizardScreen, step_index

from .conftest import FROZEN, ZONE, build_app


async def choose(pilot, select_id: str, value: str) -> None:
    """Pick a Select option by keyboard: focus, open, type to search, enter."""
    select = pilot.app.screen.query_one(select_id, Select)
    select.focus()
    await pilot.press("enter")
    await pilot.press(*value)
    await pilot.press("enter")
    await pilot.pause()


async def test_dashboard_lists_open_incidents_by_deadline(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        table = app.screen.query_one("#incidents", DataTable)
        assert table.row_count == 4
        first = str(table.get_cell_at((0, 0)))
        assert first.startswith("OVERDUE")
        await pilot.press("a")
        assert table.row_count == 5
        await pilot.press("slash", *"mixvoip", "enter")
        assert table.row_count == 1


async def test_create_an_incident_end_to_end_by_keys(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, WizardScreen)
        await pilot.press(*"Voicemail leak", "tab", *"bucket public")
        await pilot.press("ctrl+n")
        await pilot.press(*"2026-11-20 08:00", "tab", *"2026-11-20 09:00")
        await pilot.press("ctrl+n")
        await choose(pilot, "#f-organisation", "infra")
        await choose(pilot, "#f-role", "controller")
        await pilot.press("ctrl+n")
        await pilot.press("ctrl+n")
        app.screen.query_one("#f-count", Input).focus()
        await pilot.press(*"340", "tab", "tab")
        app.screen.query_one("#f-countries", Input).focus()
        await pilot.press(*"NL")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)
        incident_id = app.screen.incident_id
    with Store.open(db) as store:
        row = store.incident(incident_id)
        assert row["title"] == "Voicemail leak" and row["organisation"] == "infra-voip"
        _, facts = store.facts(incident_id)
        assert facts["summary"] == "bucket public"
        assert facts["detected_at"] == "2026-11-20T07:00:00Z"  # 08:00 in Luxembourg
        assert facts["subjects"]["count"] == 340 and facts["subjects"]["countries"] == ["NL"]
        duties = {d["id"]: d for d in store.duties(incident_id)}
        assert duties["gdpr.notify_authority.NL"]["status"] == "required"
        assert duties["gdpr.notify_authority.NL"]["due_at"] == "2026-11-23T08:00:00Z"
        assert store.latest_draft() is None  # the draft is gone once recorded


async def test_decision_panel_follows_the_answers(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        body = wizard.query_one("#decision-body")
        assert "Still needed" in str(body.render())
        await pilot.press("ctrl+n", *"2026-11-20 08:00", "ctrl+n")
        await choose(pilot, "#f-organisation", "flex")
        await choose(pilot, "#f-role", "controller")
        assert "Risk" in str(body.render())


async def test_resume_after_a_closed_wizard(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", *"Half-typed incident", "ctrl+n")
        await pilot.press(*"2026-11-20 08:00")
    # the terminal closed mid-wizard: nothing to save, nothing lost
    reopened = build_app(db, demo=False)
    async with reopened.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        wizard = reopened.screen
        assert isinstance(wizard, WizardScreen)
        assert wizard.query_one("#f-title", Input).value == "Half-typed incident"
        assert wizard.query_one("#f-detected_at", Input).value == "2026-11-20 08:00"
        assert wizard.step == 1  # back on the step being answered


async def test_countdown_ticks_with_the_injected_clock(db: Path) -> None:
    app = build_app(db)
    now = [FROZEN]
    app.clock = lambda: now[0]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#incidents", DataTable)
        before = str(table.get_cell_at((1, 0)))
        now[0] = FROZEN + timedelta(hours=2, minutes=30)
        screen.tick()
        after = str(table.get_cell_at((1, 0)))
        assert before != after
        assert before.endswith("left") and after.endswith("left")


async def test_mark_done_late_asks_for_the_reason(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_incident("DEMO-2026-0001")  # Flexibelt: the GDPR deadline passed 8 h ago
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        table = screen.query_one("#duties", DataTable)
        assert "Notify the AP (Netherlands) — GDPR, 72 h" in [
            str(table.get_row_at(i)[1]) for i in range(table.row_count)
        ]
        table.move_cursor(row=table.get_row_index("gdpr.notify_authority.NL"))
        await pilot.press("d")
        assert isinstance(app.screen, MarkDoneScreen)
        await pilot.press("tab", *"AP-2026-77", "ctrl+s")
        assert isinstance(app.screen, MarkDoneScreen)  # refused: late without a reason
        assert "reasons for the delay" in str(app.screen.query_one("#error").render())
        app.screen.query_one("#reason", Input).focus()
        await pilot.press(*"reseller did not answer", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)
    with Store.open(db) as store:
        duty = next(
            d for d in store.duties("DEMO-2026-0001") if d["id"] == "gdpr.notify_authority.NL"
        )
        assert (
            duty["late_reason"] == "reseller did not answer" and duty["reference"] == "AP-2026-77"
        )


async def test_override_risk_needs_a_justification(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_incident("DEMO-2026-0001")
        await pilot.pause()
        await pilot.press("f2")
        await choose(pilot, "#level", "unlikely")
        await pilot.press("ctrl+s")
        assert "justification" in str(app.screen.query_one("#error").render())
        app.screen.query_one("#justification").focus()
        await pilot.press(*"reseller is a bank bound by secrecy", "enter")
        await pilot.pause()
    with Store.open(db) as store:
        assert store.decision("DEMO-2026-0001")["risk_source"] == "override"


async def test_help_note_and_palette(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f1")
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        app.open_incident("DEMO-2026-0002")
        await pilot.pause()
        await pilot.press("n", *"called the CNPD", "enter")
        await pilot.pause()
    with Store.open(db) as store:
        assert store.events("DEMO-2026-0002")[-1]["text"] == "called the CNPD"


async def test_demo_database_is_one_key_away(tmp_path: Path) -> None:
    app = build_app(tmp_path / "mine.db", demo=False)
    app.clock = fixed_clock(FROZEN)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d", "y")  # asked first: "Open the demo database?"
        await pilot.pause()
        assert app.screen.query_one("#incidents", DataTable).row_count == 4
    with Store.open(tmp_path / "mine.db") as mine:
        assert mine.count_incidents() == 0  # your own log is untouched


async def test_report_is_written_next_to_the_log(db: Path) -> None:
    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_incident("DEMO-2026-0002")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
    report = db.parent / "DEMO-2026-0002-report.html"
    assert report.exists() and "<svg" in report.read_text()
    assert report.stat().st_mode & 0o777 == 0o600  # it holds personal data


async def test_export_action_writes_json_and_calendar(db: Path) -> None:
    import json

    app = build_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_incident("DEMO-2026-0003")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
    document = json.loads((db.parent / "DEMO-2026-0003.json").read_text())
    assert document["schema"] == "breach.export/1"
    assert [i["id"] for i in document["incidents"]] == ["DEMO-2026-0003"]
    assert "BEGIN:VEVENT" in (db.parent / "DEMO-2026-0003.ics").read_text()
    for name in ("DEMO-2026-0003.json", "DEMO-2026-0003.ics"):
        assert (db.parent / name).stat().st_mode & 0o777 == 0o600


async def test_the_telecom_position_is_asked_once_the_data_is_telecom_data(db: Path) -> None:
    """Ticking "public telecom / VoIP service" shows the provider / sub-provider question;
    a sub-provider's decision is to inform the contracting provider (611/2013 Art. 5)."""
    app = build_app(db)
    draft = {
        "title": "CDRs of a white-label partner exposed",
        "organisation": "mixvoip",
        "role": "processor",
        "detected_at": "2026-11-20T08:00:00+00:00",
        "data_categories": ["traffic_data"],
        "controllers": [{"name": "Partner Telco"}],
    }
    async with app.run_test(size=(120, 40)) as pilot:
        wizard = WizardScreen(draft, step=3)
        await app.push_screen(wizard)
        await pilot.pause()
        box = wizard.query_one("#ecs-position-box")
        assert not box.display
        wizard.query_one("#f-ecs_data").focus()
        await pilot.press("space")
        await pilot.pause()
        assert box.display and wizard.draft["ecs_data"] is True
        await choose(pilot, "#f-ecs_position", "sub")
        assert wizard.draft["ecs_position"] == "sub_provider"
        wizard.refresh_decision()
        await pilot.pause()
        panel = str(wizard.query_one("#decision").query_one("#decision-body").render())
        assert "Partner Telco" in panel


async def test_f3_jumps_to_the_question_that_decides_the_duties(db: Path) -> None:
    """An encrypted laptop whose key may be lost: F3 goes to the key question."""
    app = build_app(db)
    draft = {
        "title": "Laptop stolen",
        "organisation": "mixvoip",
        "role": "controller",
        "detected_at": "2026-11-20T08:00:00+00:00",
        "personal_data": True,
        "confidentiality": "unknown_recipients",
        "integrity": "none",
        "availability": "none",
        "exfiltration": "confirmed",
        "malicious": True,
        "data_categories": ["identity", "contact"],
        "subjects": {"count": 3200, "kinds": ["customers"], "countries": ["LU"]},
        "protection": "encrypted",
        "protection_state_of_the_art": True,
        "significant_incident": False,
    }
    async with app.run_test(size=(120, 40)) as pilot:
        wizard = WizardScreen(draft)
        await app.push_screen(wizard)
        await pilot.pause()
        assert wizard.decisive_fields[0] == "key_compromised"
        await pilot.press("f3")
        await pilot.pause()
        assert wizard.step == step_index("protection")
        assert app.focused is not None and app.focused.id == "f-key_compromised"


async def test_typed_text_is_shown_as_text_never_obeyed(db: Path) -> None:
    """A title or note holding terminal escapes, bidi overrides or markup shows as text."""
    import re

    from rich.text import Text
    from textual.widgets import Static

    from breach.model import facts_from_data

    from ..conftest import BASE_FACTS

    hostile = "Ti\x1b[2J\x1b]52;c;eA==\x07tle\u202e[bold]x[/bold]\x9b\nforged row"
    app = build_app(db, demo=False)
    app.incident_log.incidents.open(facts_from_data({**BASE_FACTS, "title": hostile}))
    app.incident_log.incidents.add_note("BR-2026-0001", hostile)
    unsafe = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        cell = app.screen.query_one("#incidents", DataTable).get_cell_at((0, 6))
        assert isinstance(cell, Text) and "[bold]x[/bold]" in cell.plain
        assert not unsafe.search(cell.plain) and "\n" not in cell.plain
        app.open_incident("BR-2026-0001")
        await pilot.pause()
        for selector in ("#incident-title", "#timeline", "#facts"):
            shown = app.screen.query_one(selector, Static).render()
            text = getattr(shown, "plain", str(shown))
            assert "52;c;eA==" in text and not unsafe.search(text.replace("\n", "")), selector


async def test_the_details_step_asks_the_particulars_each_skippable(db: Path) -> None:
    """The details step comes after the decision questions; blank answers stay 'later',
    typed ones reach the draft's facts (times read on the responder's clock)."""
    app = build_app(db)
    draft = {
        "title": "Voicemail exposed",
        "organisation": "infra-voip",
        "role": "controller",
        "detected_at": "2026-11-20T08:00:00+00:00",
    }
    async with app.run_test(size=(120, 40)) as pilot:
        wizard = WizardScreen(draft, step=step_index("details"))
        await app.push_screen(wizard)
        await pilot.pause()
        assert step_index("details") == len(STEPS) - 1  # after every decision question
        assert "(each can wait" in str(wizard.query_one("#step-title").render())
        for widget, text in (
            ("#f-occurred_at", "2026-11-19 22:15"),
            ("#f-records", "1200"),
            ("#f-systems", "voicemail store, Amsterdam"),
            ("#f-reporter_name", "Joost de Vries"),
            ("#f-reporter_phone", "+31 229 820 820"),
        ):
            wizard.query_one(widget).focus()
            await pilot.press(*text)
        await pilot.pause()
        assert wizard.draft["occurred_at"] == "2026-11-19T21:15:00+00:00"  # Luxembourg, CET
        assert wizard.draft["records"] == 1200
        assert wizard.draft["systems"] == "voicemail store, Amsterdam"
        assert wizard.draft["reporter"] == {"name": "Joost de Vries", "phone": "+31 229 820 820"}
        assert wizard.draft["ended_at"] is None and wizard.draft.get("discovered_by") is None
        facts, problem = draft_facts(wizard.draft, ZONE)
        assert problem == "" and facts is not None and facts.records == 1200
