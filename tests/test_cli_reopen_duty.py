"""`breach undone`: a duty marked done by mistake is opened again, with the reason in the
timeline and the audit trail; the chain still verifies."""

import json
from pathlib import Path

import pytest

from .conftest import BASE_FACTS
from .test_cli_incidents import run

NOW = "2026-03-02T12:00:00Z"
DUTY = "gdpr.notify_authority.LU"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "cli.db")


@pytest.fixture
def incident(capsys, db: str, tmp_path: Path) -> str:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(BASE_FACTS))
    code, out, err = run(capsys, "--db", db, "new", str(facts), "--json", "--now", NOW)
    assert code == 0, err
    return str(json.loads(out)["id"])


def show(capsys, db: str, incident_id: str) -> dict:
    code, out, err = run(capsys, "--db", db, "show", incident_id, "--json")
    assert code == 0, err
    return dict(json.loads(out))


def test_undone_reopens_the_duty_with_the_reason(capsys, db, incident) -> None:
    before = show(capsys, db, incident)
    due = next(o for o in before["obligations"] if o["id"] == DUTY)["due_at"]
    code, _, err = run(
        capsys, "--db", db, "done", incident, DUTY, "--reference", "CNPD-7", "--now", NOW
    )
    assert code == 0, err
    code, out, err = run(
        capsys, "--db", db, "undone", incident, DUTY, "--reason", "wrong incident", "--now", NOW
    )
    assert code == 0, err
    assert f"{DUTY} is open again" in out and f"Next: {DUTY}" in out
    data = show(capsys, db, incident)
    duty = next(o for o in data["obligations"] if o["id"] == DUTY)
    assert duty["done_at"] is None and duty["reference"] is None and duty["channel"] is None
    event = data["events"][-1]
    assert event["kind"] == "reopened_duty"
    assert event["text"].startswith(f"Reopened {DUTY}: wrong incident (was done at ")
    assert "ref CNPD-7" in event["text"]
    code, out, _ = run(capsys, "--db", db, "list", "--json")
    assert code == 0 and json.loads(out)[0]["next_due"] == due
    assert run(capsys, "--db", db, "audit", "verify")[0] == 0
    # done again afterwards, as any open duty
    assert run(capsys, "--db", db, "done", incident, DUTY, "--now", NOW)[0] == 0
    assert run(capsys, "--db", db, "audit", "verify")[0] == 0


def test_undone_needs_a_reason(capsys, db, incident) -> None:
    assert run(capsys, "--db", db, "done", incident, DUTY, "--now", NOW)[0] == 0
    code, _, err = run(capsys, "--db", db, "undone", incident, DUTY)
    assert code == 2 and "--reason" in err
    code, _, err = run(capsys, "--db", db, "undone", incident, DUTY, "--reason", "  ")
    assert code == 2 and "reason" in err
    duty = next(o for o in show(capsys, db, incident)["obligations"] if o["id"] == DUTY)
    assert duty["done_at"]  # still done


def test_undone_refuses_a_duty_not_done_or_unknown(capsys, db, incident) -> None:
    code, _, err = run(capsys, "--db", db, "undone", incident, DUTY, "--reason", "oops")
    assert code == 2 and "not marked done" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "--db", db, "undone", incident, "no.such.duty", "--reason", "x")
    assert code == 2 and "no duty 'no.such.duty'" in err
    assert run(capsys, "--db", db, "audit", "verify")[0] == 0
