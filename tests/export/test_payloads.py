"""Ticket payloads (Jira, TheHive case and alert, webhook events) and the CSV register
(VERIS: test_veris.py)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from breach.export.common import Options
from breach.export.csvfmt import COLUMNS, neutralise, register_row
from breach.export.tickets import jira_issue, labels

from .conftest import NOW, run


def lines(capsys, db, fmt: str, *args: str) -> list[dict]:
    code, out, err = run(capsys, "--db", str(db), "export", "--format", fmt, "--now", NOW, *args)
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def test_jira_issue_create_payloads(capsys, source_db) -> None:
    issues = lines(capsys, source_db, "jira", "--project", "PRIV", "--issue-type", "Incident")
    assert len(issues) == 4
    fields = issues[1]["fields"]
    assert fields["project"] == {"key": "PRIV"} and fields["issuetype"] == {"name": "Incident"}
    assert fields["summary"].startswith("[BR-2026-0002] Evil") and len(fields["summary"]) <= 255
    assert "\n" not in fields["summary"] and "\x1b" not in fields["summary"]
    assert fields["duedate"] == "2026-03-05"  # the nearest open deadline, 72 h after awareness
    assert fields["priority"]["name"] in {"Low", "Medium", "High", "Highest"}
    assert all(" " not in label for label in fields["labels"])
    assert {"breach", "BR-2026-0002", "gdpr"} <= set(fields["labels"])
    assert "||Due (UTC)||Duty||" in fields["description"]
    assert "{noformat}" in fields["description"] and "\x1b" not in fields["description"]
    assert "duedate" not in issues[2]["fields"]  # closed: no open deadline


def test_jira_priority_follows_severity_and_due_date_the_zone() -> None:
    incident = {
        "id": "BR-2026-0001", "title": "t", "status": "open", "organisation": "x",
        "risk": "high", "regimes": ["gdpr"], "facts": {},
        "decision": {"severity": {"band": "very_high", "score": 4.1}},
        "obligations": [{"id": "gdpr.notify_authority.LU", "duty": "notify_authority",
                         "status": "required", "due_at": "2026-03-05T23:30:00Z",
                         "due_kind": "deadline", "done_at": None}],
    }  # fmt: skip
    fields = jira_issue(incident, Options(exported_at=NOW, zone="Europe/Luxembourg"))["fields"]
    assert fields["priority"] == {"name": "Highest"} and fields["duedate"] == "2026-03-06"
    assert labels({**incident, "organisation": "two words"})[-1] == "org-two_words"


def test_thehive_case_payloads(capsys, source_db) -> None:
    cases = lines(capsys, source_db, "thehive", "--tlp", "red", "--pap", "green")
    case = cases[1]
    assert case["title"].startswith("[BR-2026-0002]") and case["severity"] in (1, 2, 3, 4)
    assert case["tlp"] == 4 and case["pap"] == 1 and case["status"] == "New"
    assert {"breach", "breach:BR-2026-0002", "regime:gdpr"} <= set(case["tags"])
    assert isinstance(case["startDate"], int)
    fields = {f["name"]: f["value"] for f in case["customFields"]}
    assert fields["breach-id"] == "BR-2026-0002"
    assert fields["breach-authority-deadline"] == 1772701200000  # 2026-03-05T09:00:00Z
    task = next(t for t in case["tasks"] if "authority" in t["title"])
    assert task["dueDate"] == 1772701200000 and task["status"] == "Waiting"
    assert "\\[31m" in case["description"] and "\x1b" not in case["description"]
    done = next(t for t in cases[0]["tasks"] if "authority" in t["title"])
    assert done["status"] == "Completed" and "endDate" in done
    assert cases[2]["status"] == "TruePositive"


def test_thehive_alert_payloads(capsys, source_db) -> None:
    (alert,) = lines(capsys, source_db, "thehive", "--kind", "alert", "BR-2026-0001")
    assert alert["type"] and alert["source"] == "breach" and alert["sourceRef"] == "BR-2026-0001"
    assert isinstance(alert["date"], int) and "tasks" not in alert and alert["tlp"] == 2


@pytest.mark.parametrize("danger", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx"])
def test_csv_neutralises_formulas(danger: str) -> None:
    assert neutralise(danger) == "'" + danger
    assert neutralise("plain") == "plain" and neutralise(5) == 5


def test_csv_register(capsys, source_db) -> None:
    code, out, _ = run(capsys, "--db", str(source_db), "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [r["id"] for r in rows] == ["BR-2026-0001", "BR-2026-0002", "BR-2026-0003",
                                       "BR-2026-0004"]  # fmt: skip
    assert (
        "gdpr.notify_authority.LU 2026-03-02T14:00:00Z ref CNPD-42" in rows[0]["notified_authority"]
    )
    assert rows[1]["mitigation"] == "'=1+1"
    assert rows[1]["title"].startswith("Evil") and "second line" in rows[1]["summary"]
    assert all(not v.startswith(("=", "+", "-", "@")) for row in rows for v in row.values())
    assert "\x1b" not in out and "\x9b" not in out


def test_csv_removes_control_characters(capsys, source_db) -> None:
    code, out, _ = run(capsys, "--db", str(source_db), "export", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert rows[1]["title"].startswith("Evil [31mred[0m 2J =cmd")  # ESC and CSI gone
    for unwanted in ("\x1b", "\x9b", "\N{REPLACEMENT CHARACTER}", "\N{SYMBOL FOR ESCAPE}"):
        assert unwanted not in out
    assert neutralise("a\x00b\x07c\u202ed\x7fe\r\nf\tg") == "abcde\nf\tg"
    assert neutralise("\x1b=1+1") == "'=1+1"  # removing a control cannot unmask a formula


def test_csv_closed_incident_has_nothing_due(capsys, source_db) -> None:
    code, out, _ = run(capsys, "--db", str(source_db), "export", "--format", "csv")
    assert code == 0
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out, newline=""))}
    closed = rows["BR-2026-0003"]
    assert closed["status"] == "closed" and closed["next_due"] == "" and closed["next_duty"] == ""
    assert rows["BR-2026-0002"]["next_due"] == "2026-03-05T09:00:00Z"


def test_csv_lists_are_one_item_per_line() -> None:
    tricky = "CNPD; ref 1, 2\nsecond line;"
    duty = {
        "status": "required", "due_at": "2026-03-05T09:00:00Z", "due_kind": "deadline",
        "recipient": {"name": "Auth; ority, X"},
    }  # fmt: skip
    incident = {
        "id": "BR-2026-0009", "status": "open",
        "facts": {"data_categories": ["identity", "contact"]},
        "obligations": [
            {**duty, "id": "gdpr.notify_authority.LU", "duty": "notify_authority",
             "done_at": "2026-03-02T14:00:00Z", "reference": tricky, "late_reason": tricky},
            {**duty, "id": "gdpr.notify_authority.BE", "duty": "notify_authority",
             "done_at": "2026-03-02T15:00:00Z", "reference": "=SUM(A1)"},
            {**duty, "id": "gdpr.notify_data_subjects", "duty": "notify_data_subjects",
             "status": "exempt", "exemption": "encryption"},
        ],
    }  # fmt: skip
    row = dict(zip(COLUMNS, register_row(incident), strict=True))
    sent = str(row["notified_authority"]).split("\n")
    assert sent == [
        "gdpr.notify_authority.LU 2026-03-02T14:00:00Z ref CNPD; ref 1, 2 second line;",
        "gdpr.notify_authority.BE 2026-03-02T15:00:00Z ref =SUM(A1)",
    ]
    assert str(row["late_reasons"]).split("\n") == [
        "gdpr.notify_authority.LU: CNPD; ref 1, 2 second line;"
    ]
    assert row["exemptions"] == "gdpr.notify_data_subjects: encryption"
    duties = str(row["duties"]).split("\n")
    assert len(duties) == 3 and duties[0].startswith("gdpr.notify_authority.LU (")
    assert "Auth; ority, X" in duties[0]
    assert row["data_categories"] == "identity, contact"
    # the round trip a program makes: write, read back, split on line breaks
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(register_row(incident))
    (back,) = csv.reader(io.StringIO(buffer.getvalue(), newline=""))
    assert back[COLUMNS.index("notified_authority")].split("\n") == sent
