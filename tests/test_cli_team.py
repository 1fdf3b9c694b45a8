"""Who did what: actors on every change, assignments, handover notes — on the timeline,
in `show`, in exports and through an import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import BASE_FACTS
from .test_cli_incidents import new, run


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "team.db")


@pytest.fixture
def facts_file(tmp_path: Path) -> str:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(BASE_FACTS))
    return str(path)


def show_json(capsys, db: str, incident_id: str) -> dict:
    code, out, err = run(capsys, "--db", db, "show", incident_id, "--json")
    assert code == 0, err
    return json.loads(out)


def test_assign_an_incident_and_a_duty_and_take_them_off(capsys, db, facts_file) -> None:
    incident_id = new(capsys, db, facts_file)
    duty = show_json(capsys, db, incident_id)["obligations"][0]["id"]
    code, out, _ = run(capsys, "--db", db, "--actor", "alice", "assign", incident_id, "bob")
    assert code == 0 and out.strip() == f"alice assigned {incident_id} to bob"
    code, out, _ = run(capsys, "--db", db, "assign", incident_id, "carol", "--duty", duty)
    assert code == 0
    data = show_json(capsys, db, incident_id)
    assert data["assignees"] == {"incident": "bob", "duties": {duty: "carol"}}
    code, out, _ = run(capsys, "--db", db, "show", incident_id)
    assert "on it: bob" in out and "carol is on it" in out
    code, out, _ = run(capsys, "--db", db, "--actor", "bob", "assign", incident_id, "--off")
    assert code == 0 and out.strip() == f"bob took bob off {incident_id}"
    assert show_json(capsys, db, incident_id)["assignees"]["incident"] is None
    events = [e for e in show_json(capsys, db, incident_id)["events"] if e["kind"] == "assigned"]
    assert len(events) == 3 and events[0]["actor"] == "alice" and events[2]["actor"] == "bob"
    assert events[1]["data"] == {"person": "carol", "duty": duty, "was": None}


def test_assign_refuses_what_it_cannot_do(capsys, db, facts_file) -> None:
    incident_id = new(capsys, db, facts_file)
    for args, why in [
        ((incident_id,), "give either PERSON or --off"),
        ((incident_id, "bob", "--off"), "give either PERSON or --off"),
        ((incident_id, "bob", "--duty", "gdpr.nothing"), "has no duty 'gdpr.nothing'"),
        (("BR-2026-9999", "bob"), "BR-2026-9999"),
        ((incident_id, "--off"), "nobody is assigned"),
    ]:
        code, _, err = run(capsys, "--db", db, "assign", *args)
        assert code == 2 and why in err, (args, err)
        assert len(err.strip().splitlines()) == 1


def test_every_change_names_its_actor_and_handovers_stand_out(
    capsys, db, facts_file, monkeypatch
) -> None:
    incident_id = new(capsys, db, facts_file)
    monkeypatch.setenv("BREACH_ACTOR", "night-shift")
    run(capsys, "--db", db, "note", incident_id, "--handover", "Waiting for the CNPD's call")
    run(capsys, "--db", db, "--actor", "dpo", "note", incident_id, "Called the CNPD")
    code, out, _ = run(capsys, "--db", db, "show", incident_id)
    assert "HANDOVER Waiting for the CNPD's call  — night-shift" in out
    assert "Called the CNPD  — dpo" in out
    code, out, _ = run(capsys, "--db", db, "export", "--format", "csv")
    assert code == 0
    code, out, _ = run(capsys, "--db", db, "export", incident_id, "--format", "webhook")
    kinds = {json.loads(line)["event"]["kind"]: json.loads(line) for line in out.splitlines()}
    assert kinds["handover"]["event"]["actor"] == "night-shift"


def test_assignments_travel_through_export_and_import(capsys, db, facts_file, tmp_path) -> None:
    incident_id = new(capsys, db, facts_file)
    run(capsys, "--db", db, "assign", incident_id, "bob")
    exported = tmp_path / "export.json"
    code, _, err = run(capsys, "--db", db, "export", "-o", str(exported))
    assert code == 0, err
    other = str(tmp_path / "other.db")
    code, _, err = run(capsys, "--db", other, "import", str(exported))
    assert code == 0, err
    copy = show_json(capsys, other, incident_id)
    assert copy["assignees"]["incident"] == "bob"
    assert copy["uuid"] == show_json(capsys, db, incident_id)["uuid"]
    code, out, _ = run(capsys, "--db", other, "audit", "verify")
    assert code == 0, out
