"""``--jira-api 3``: descriptions in Atlassian Document Format, validated against
Atlassian's ADF JSON Schema (tests/export/adf/, see its README), and the update bodies."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from breach.export.common import Options
from breach.export.tickets import adf_blocks, adf_description, jira_issue, jira_update

from .conftest import NOW, run

SCHEMA = Path(__file__).parent / "adf" / "full.json"
#: what our code may mark: the labels (strong) and the command to type (code)
OUR_MARKS = {"strong", "code"}


@cache
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def valid(doc: dict[str, Any]) -> None:
    errors = [e.message[:300] for e in validator().iter_errors(doc)]
    assert not errors, errors


def nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = [node]
    for child in node.get("content") or []:
        found += nodes(child)
    return found


def issues(capsys, db, *args: str) -> list[dict[str, Any]]:
    code, out, err = run(
        capsys, "--db", str(db), "export", "--format", "jira", "--jira-api", "3", "--now", NOW,
        *args,
    )  # fmt: skip
    assert code == 0, err
    return [json.loads(line)["fields"] for line in out.splitlines()]


def test_the_schema_refuses_what_jira_refuses() -> None:
    with pytest.raises(jsonschema.ValidationError):
        validator().validate(
            {"type": "doc", "version": 1, "content": [
                {"type": "paragraph", "content": [{"type": "text", "text": ""}]}]}
        )  # fmt: skip


def test_v3_descriptions_are_valid_adf(capsys, source_db) -> None:
    found = issues(capsys, source_db)
    assert len(found) == 4
    for fields in found:
        doc = fields["description"]
        assert doc["type"] == "doc" and doc["version"] == 1
        valid(doc)
        kinds = {n["type"] for n in nodes(doc)}
        assert {"heading", "paragraph", "table", "tableRow", "tableHeader", "tableCell"} <= kinds
        for node in nodes(doc):
            if node["type"] == "text":
                assert isinstance(node["text"], str) and node["text"]
                assert {m["type"] for m in node.get("marks", [])} <= OUR_MARKS
                assert all(set(m) == {"type"} for m in node.get("marks", []))
        assert fields["summary"].startswith("[") and "labels" in fields


def test_v3_user_text_is_plain_text(capsys, source_db) -> None:
    doc = issues(capsys, source_db, "BR-2026-0002")[0]["description"]
    texts = [n for n in nodes(doc) if n["type"] == "text"]
    weird = [n for n in texts if n["text"].startswith("Evil")]
    assert weird and all("marks" not in n for n in weird)
    assert any("=cmd|' /C calc'!A0; a,b \\ ü€" in n["text"] for n in weird)
    assert any(n["text"].startswith(" second line") for n in texts)  # the line break
    assert "\x1b" not in json.dumps(doc, ensure_ascii=False)
    header = [n for n in nodes(doc) if n["type"] == "tableHeader"]
    assert [nodes(h)[-1]["text"] for h in header] == [
        "Due (UTC)", "Duty", "Recipient", "Basis", "Status"
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "[click|https://evil.example] *bold* {noformat} <b>x</b> ![img.png]",
        "https://evil.example/phish\n\n\nafter blank lines\n   \nlast",
        "",
        "   \n  ",
        "\x1b]52;c;aGk=\x07 tab\there",
    ],
)
def test_user_text_never_becomes_markup_or_empty_nodes(text: str) -> None:
    doc = {"type": "doc", "version": 1, "content": adf_blocks(text)}
    valid(doc)
    for node in nodes(doc):
        assert node["type"] in {"doc", "paragraph", "text", "hardBreak"}
        if node["type"] == "text":
            assert node["text"] and "marks" not in node and "\n" not in node["text"]


def test_a_minimal_incident_is_valid_adf() -> None:
    bare = {"id": "BR-2026-0009", "status": "open", "obligations": []}
    valid(adf_description(bare))
    fields = jira_issue(bare, Options(exported_at=NOW, jira_api=3))["fields"]
    valid(fields["description"])
    assert "duedate" not in fields


def test_v2_stays_wiki_markup(capsys, source_db) -> None:
    code, out, _ = run(capsys, "--db", str(source_db), "export", "--format", "jira", "--now", NOW)
    assert code == 0
    assert all(
        json.loads(line)["fields"]["description"].startswith("h2. ") for line in out.splitlines()
    )


@pytest.mark.parametrize("api", [2, 3])
def test_update_bodies(capsys, source_db, tmp_path, api) -> None:
    target = tmp_path / "all.json"
    code, _, err = run(capsys, "--db", str(source_db), "export", "-o", str(target), "--now", NOW)
    assert code == 0, err
    incidents = json.loads(target.read_text(encoding="utf-8"))["incidents"]
    options = Options(exported_at=NOW, jira_api=api, jira_project="PRIV")
    for incident in incidents:
        create = jira_issue(incident, options)["fields"]
        update = jira_update(incident, options)
        assert set(update) == {"fields"}
        fields = update["fields"]
        assert "project" not in fields and "issuetype" not in fields
        assert {k: v for k, v in create.items() if k not in ("project", "issuetype")} == {
            k: v for k, v in fields.items() if v is not None
        }
        if api == 3:
            valid(fields["description"])
    closed = jira_update(incidents[2], options)["fields"]
    assert closed["duedate"] is None  # null clears the due date in Jira
    assert jira_update(incidents[1], options)["fields"]["duedate"] == "2026-03-05"
