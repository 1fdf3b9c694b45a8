"""Shared fixtures for the notice and report tests: a fixed incident log and a CLI runner."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from breach.cli import main
from breach.clock import fixed_clock
from breach.model import facts_from_data
from breach.rules import load_rules
from breach.service.incidents import IncidentService
from breach.store import Store

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GOLDEN = HERE / "golden"
OPENED = datetime(2026, 9, 14, 10, 0, tzinfo=UTC)
NOW = "2026-09-14T12:00:00Z"  # before every deadline of the fixed incidents
TZ = "Europe/Luxembourg"

#: A realistic controller incident at a VoIP provider (GDPR route: not ECS data).
CONTROLLER_FACTS: dict[str, Any] = {
    "title": "Support tool exposed SIP credentials and customer contacts",
    "summary": (
        "A misconfigured export in our customer-support tool made a file with customer "
        "names, e-mail addresses, phone numbers, customer numbers and SIP account passwords "
        "downloadable without login from 9 to 14 September 2026. Access logs show two "
        "downloads from unknown IP addresses."
    ),
    "mitigation": (
        "We removed the file and closed the export on 14 September 2026 at 08:10, reset "
        "every SIP password in the file, blocked the two IP addresses and are monitoring "
        "the affected accounts for fraudulent calls."
    ),
    "organisation": "mixvoip",
    "role": "controller",
    "detected_at": "2026-09-14T07:30:00+02:00",
    "aware_at": "2026-09-14T09:00:00+02:00",
    "personal_data": True,
    "confidentiality": "unknown_recipients",
    "integrity": "none",
    "availability": "none",
    "exfiltration": "confirmed",
    "malicious": True,
    "data_categories": ["identity", "contact", "account", "credentials"],
    "subjects": {"count": 2300, "kinds": ["customers"], "countries": ["LU", "BE", "DE"]},
    "protection": "none",
    "ecs_data": False,
    "significant_incident": False,
}


#: Every particular of CONTRACT.md, known: notices from these facts hold no marker.
PARTICULARS: dict[str, Any] = {
    "occurred_at": "2026-09-09T11:20:00+02:00",
    "ended_at": "2026-09-14T08:10:00+02:00",
    "ongoing": False,
    "discovered_by": "internal_monitoring",
    "incident_kinds": ["misconfiguration"],
    "cause": "internal",
    "systems": "Customer-support tool (hosted in our Luxembourg data centre), its export folder",
    "records": 9200,
    "consequences": "The two downloaders may try the SIP passwords before customers change them.",
    "measures_before": "Role-based access to the support tool; SIP passwords of 16 characters.",
    "measures_planned": "A review of every export before release; alerts on public files.",
    "reporter": {
        "name": "Anne Weber",
        "role": "Security officer",
        "email": "anne.weber@mixvoip.example",
        "phone": "+352 20 33 44 55",
    },
    "processors": [{"name": "HelpDesk Cloud S.A.", "country": "LU"}],
    "police_report": {"filed": True, "reference": "PGD-2026-4471"},
    "subjects_contact": "privacy@mixvoip.example",
    "delay_reason": "",
}


def complete_controller_facts() -> dict[str, Any]:
    """The controller incident with every particular known."""
    data = {**CONTROLLER_FACTS, **PARTICULARS}
    data["subjects"] = {
        **CONTROLLER_FACTS["subjects"],
        "by_country": {"LU": 1500, "BE": 600, "DE": 200},
    }
    return data


def public_facts(complete: bool) -> dict[str, Any]:
    """The controller incident where informing each person is disproportionate (public)."""
    data = complete_controller_facts() if complete else dict(CONTROLLER_FACTS)
    return {**data, "disproportionate_effort": True}


def processor_facts() -> dict[str, Any]:
    """The Infra VOIP voicemail example (processor), with a summary and measures."""
    data = json.loads((ROOT / "examples" / "infra-voip-voicemail-exposed.json").read_text())
    data["summary"] = (
        "A storage bucket holding the voicemail recordings of one hosted-PBX customer was "
        "readable from the internet without authentication for about a week."
    )
    data["mitigation"] = (
        "We made the bucket private on 10 June 2026 at 15:20 and are reviewing the access logs."
    )
    return data


def complete_processor_facts() -> dict[str, Any]:
    """The processor incident with every particular known, two customers with their own
    numbers and languages."""
    data = {**processor_facts(), **PARTICULARS}
    data["occurred_at"] = "2026-06-03T09:00:00+02:00"
    data["ended_at"] = "2026-06-10T15:20:00+02:00"
    data["incident_kinds"] = ["misconfiguration"]
    data["systems"] = "Object storage bucket of the hosted-PBX voicemail service (Amsterdam)"
    data["records"] = 1900
    data["reporter"] = {
        "name": "Joost de Vries",
        "role": "Security officer",
        "email": "security@infravoip.example",
        "phone": "+31 229 820 820",
    }
    data["processors"] = []
    data["police_report"] = None
    data["subjects"] = {**data["subjects"], "by_country": {"NL": 340}}
    data["controllers"] = [
        {
            "name": "Acme Logistics B.V.",
            "contact": "privacy@acme.example",
            "notice_hours": 24,
            "subjects": 300,
            "language": "nl",
        },
        {
            "name": "Brasserie Lumière SARL",
            "contact": "dpo@lumiere.example",
            "notice_hours": 48,
            "subjects": 40,
            "language": "fr",
        },
    ]
    return data


def open_incident(db: Path, facts: dict[str, Any], at: datetime = OPENED) -> str:
    """Record an incident in ``db`` through the service, at a fixed time."""
    with Store.open(db) as store:
        service = IncidentService(store, load_rules(), fixed_clock(at), "dpo")
        return service.open(facts_from_data(facts))


@pytest.fixture(scope="module")
def golden_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A log with the controller incident (BR-2026-0001) and the processor one (-0002),
    each again with every particular (-0003, -0004), and the public-communication case
    without and with particulars (-0005, -0006)."""
    db = tmp_path_factory.mktemp("golden") / "breach.db"
    processor_opened = datetime(2026, 6, 10, 15, tzinfo=UTC)
    assert open_incident(db, CONTROLLER_FACTS) == "BR-2026-0001"
    assert open_incident(db, processor_facts(), processor_opened) == "BR-2026-0002"
    assert open_incident(db, complete_controller_facts()) == "BR-2026-0003"
    assert open_incident(db, complete_processor_facts(), processor_opened) == "BR-2026-0004"
    assert open_incident(db, public_facts(False)) == "BR-2026-0005"
    assert open_incident(db, public_facts(True)) == "BR-2026-0006"
    return db


Runner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Runner:
    """Run ``breach ARGS``; returns (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exc:
            main(list(argv))
        out, err = capsys.readouterr()
        return int(exc.value.code or 0), out, err

    return run


Golden = Callable[[str, str], None]


@pytest.fixture
def check_golden(tmp_path_factory: pytest.TempPathFactory) -> Golden:
    """Compare with ``golden/NAME``. The tests never write there: on a difference the new
    output goes to the session's temporary folder, whose path the failure names, to be
    reviewed and copied over by hand after a deliberate template change."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if path.exists() and text == path.read_text(encoding="utf-8"):
            return
        new = tmp_path_factory.getbasetemp() / "golden-new"
        new.mkdir(exist_ok=True)
        (new / name).write_text(text, encoding="utf-8")
        what = "differs from" if path.exists() else "has no golden file"
        pytest.fail(f"output {what} {path}; the new output is in {new / name}")

    return check
