"""Webhook events: our documented shape, valid against its generated schema."""

from __future__ import annotations

import json

import jsonschema

from breach.export import webhook
from breach.model.webhook import WEBHOOK_SCHEMA, WebhookEvent, WebhookIncident, WebhookNotice

from .conftest import WEIRD, run
from .test_payloads import lines


def schema(capsys) -> dict:
    code, out, err = run(capsys, "schema", "webhook")
    assert code == 0, err
    return json.loads(out)


def test_every_event_is_valid_against_breach_schema_webhook(capsys, source_db) -> None:
    validator = jsonschema.Draft202012Validator(schema(capsys))
    events = lines(capsys, source_db, "webhook")
    assert len(events) >= 8
    for event in events:
        assert not list(validator.iter_errors(event)), event
        WebhookEvent.model_validate(event)


def test_one_event_per_change_with_the_objects_it_concerns(capsys, source_db) -> None:
    events = lines(capsys, source_db, "webhook", "BR-2026-0002")
    kinds = [e["event"]["kind"] for e in events]
    assert kinds[0] == "opened" and "facts" in kinds and kinds[-1] in ("note", "notice", "sent")
    note = next(e for e in events if e["event"]["kind"] == "note")
    assert note["event"]["text"] == WEIRD and note["incident"]["id"] == "BR-2026-0002"
    update = next(e for e in events if e["event"]["kind"] == "facts")
    assert update["incident"]["facts_version"] == 2
    assert len({e["delivery"] for e in events}) == len(events)
    uuid = events[0]["incident"]["uuid"]
    assert all(e["delivery"] == f"{uuid}:{e['event']['id']}" for e in events)


def test_notice_events_carry_the_notice_without_its_text(capsys, source_db) -> None:
    db = str(source_db)
    code, out, err = run(capsys, "--db", db, "notice", "BR-2026-0001", "authority", "--save")
    assert code == 0, err
    code, out, err = run(capsys, "--db", db, "notice", "BR-2026-0001", "--list", "--json")
    notice_id = json.loads(out)[-1]["id"]
    run(capsys, "--db", db, "notice-sent", "BR-2026-0001", str(notice_id), "--confirm")
    events = lines(capsys, source_db, "webhook", "BR-2026-0001")
    saved = next(e for e in events if e["event"]["kind"] == "notice")
    sent = next(e for e in events if e["event"]["kind"] == "sent")
    assert saved["notice"]["id"] == sent["notice"]["id"] == notice_id
    assert sent["notice"]["status"] == "sent" and "text" not in sent["notice"]


def test_duty_events_carry_the_duty(capsys, source_db) -> None:
    events = lines(capsys, source_db, "webhook", "BR-2026-0001")
    done = next(e for e in events if e["event"]["kind"] == "done")
    assert done["duty"]["id"] == done["event"]["data"]["duty"] and done["duty"]["done_at"]


def test_a_closed_incident_has_no_next_deadline(capsys, source_db) -> None:
    events = lines(capsys, source_db, "webhook", "BR-2026-0003")
    assert events[-1]["event"]["kind"] == "closed"
    assert all(e["incident"]["next_due"] is None for e in events)


def test_since_keeps_only_later_changes(capsys, source_db) -> None:
    later = lines(capsys, source_db, "webhook", "--since", "2026-03-02T14:00:00Z")
    assert later and all(e["event"]["at"] >= "2026-03-02T14:00:00Z" for e in later)
    assert len(later) < len(lines(capsys, source_db, "webhook"))


def test_the_builder_and_the_model_name_the_same_fields() -> None:
    assert tuple(WebhookIncident.model_fields) == webhook.INCIDENT_KEYS
    assert tuple(WebhookNotice.model_fields) == webhook.NOTICE_KEYS
    assert webhook.WEBHOOK_SCHEMA == WEBHOOK_SCHEMA


def test_a_reopened_duty_carries_the_duty(capsys, source_db) -> None:
    db = str(source_db)
    code, _, err = run(
        capsys, "--db", db, "undone", "BR-2026-0001", "gdpr.notify_authority.LU",
        "--reason", "sent to the wrong address",
    )  # fmt: skip
    assert code == 0, err
    events = lines(capsys, source_db, "webhook", "BR-2026-0001")
    reopened = next(e for e in events if e["event"]["kind"] == "reopened_duty")
    assert reopened["duty"]["id"] == "gdpr.notify_authority.LU"
    assert reopened["duty"]["done_at"] is None
