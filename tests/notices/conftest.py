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


def open_incident(db: Path, facts: dict[str, Any], at: datetime = OPENED) -> str:
    """Record an incident in ``db`` through the service, at a fixed time."""
    with Store.open(db) as store:
        service = IncidentService(store, load_rules(), fixed_clock(at), "dpo")
        return service.open(facts_from_data(facts))


@pytest.fixture(scope="module")
def golden_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A log with the controller incident (BR-2026-0001) and the processor one (-0002)."""
    db = tmp_path_factory.mktemp("golden") / "breach.db"
    assert open_incident(db, CONTROLLER_FACTS) == "BR-2026-0001"
    assert open_incident(db, processor_facts(), datetime(2026, 6, 10, 15, tzinfo=UTC)) == (
        "BR-2026-0002"
    )
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
