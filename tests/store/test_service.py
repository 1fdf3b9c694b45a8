"""The incident lifecycle through the service, on a real SQLite file."""

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from breach.clock import fixed_clock
from breach.model import facts_from_data
from breach.service.incidents import IncidentService, ServiceError, merge_facts
from breach.store import Conflict, NewerDatabase, NotFound, Store

from ..conftest import BASE_FACTS

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # after BASE_FACTS awareness (09:00Z)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "breach.db"


@pytest.fixture
def store(db_path: Path):
    with Store.open(db_path) as opened:
        yield opened


def service(store: Store, at: datetime = T0) -> IncidentService:
    from breach.rules import load_rules

    return IncidentService(store, load_rules(), fixed_clock(at), actor="tester")


def open_one(store: Store, **changes) -> str:
    return service(store).open(facts_from_data({**BASE_FACTS, **changes}))


def test_file_and_directory_are_private(db_path: Path, store: Store) -> None:
    assert db_path.stat().st_mode & 0o777 == 0o600
    assert db_path.parent.stat().st_mode & 0o777 == 0o700
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_open_records_everything(store: Store) -> None:
    incident_id = open_one(store)
    assert incident_id == "BR-2026-0001"
    row = store.incident(incident_id)
    assert row["status"] == "open" and row["risk"] and row["next_due"]
    version, facts = store.facts(incident_id)
    assert version == 1 and facts["title"] == BASE_FACTS["title"]
    decision = store.decision(incident_id)
    assert decision["schema"] == "breach.decision/1"
    duties = {d["id"]: d for d in store.duties(incident_id)}
    assert duties["gdpr.notify_authority.LU"]["status"] == "required"
    assert [e["kind"] for e in store.events(incident_id)] == ["opened"]
    checked = store.verify_audit()
    assert checked.entries == 1 and checked.problem is None


def test_ids_count_up_per_year(store: Store) -> None:
    assert [open_one(store) for _ in range(3)] == ["BR-2026-0001", "BR-2026-0002", "BR-2026-0003"]
    later = service(store, datetime(2027, 1, 1, tzinfo=UTC)).open(facts_from_data(BASE_FACTS))
    assert later == "BR-2027-0001"


def test_update_makes_a_new_version_and_logs_duty_changes(store: Store) -> None:
    incident_id = open_one(store)
    change = service(store).update(
        incident_id,
        {"confidentiality": "trusted_recipient", "exfiltration": "none", "malicious": False},
    )
    assert change.facts_version == 2 and "confidentiality" in change.changed
    duties = {d["id"]: d for d in store.duties(incident_id)}
    notify = duties["gdpr.notify_authority.LU"]
    assert notify["status"] == "not_required" and "unlikely" in notify["reason"]
    kinds = [e["kind"] for e in store.events(incident_id)]
    assert kinds.count("duty") >= 1 and "facts" in kinds
    assert any(
        m == "gdpr.notify_authority.LU: required -> not_required" for m in change.duty_changes
    )


def test_a_duty_the_rules_stop_producing_stays_listed_with_why(store: Store) -> None:
    incident_id = open_one(store, role="processor", controllers=[{"name": "Acme"}])
    service(store).update(incident_id, {"role": "controller", "controllers": []})
    duties = {d["id"]: d for d in store.duties(incident_id)}
    gone = duties["gdpr.notify_controller.acme"]
    assert gone["status"] == "not_required" and "no longer produce" in gone["reason"]


def test_merge_facts_merges_subjects_and_replaces_the_rest() -> None:
    current = {"title": "a", "subjects": {"count": 5, "countries": ["LU"]}}
    merged = merge_facts(current, {"title": "b", "subjects": {"count": 9}})
    assert merged == {"title": "b", "subjects": {"count": 9, "countries": ["LU"]}}


def test_mark_done_records_reference_and_moves_next_due(store: Store) -> None:
    incident_id = open_one(store)
    before = store.incident(incident_id)["next_duty"]
    svc = service(store)
    duty = svc.mark_done(incident_id, before, reference="REF-1", channel="portal")
    assert duty["reference"] == "REF-1" and duty["done_at"] == "2026-03-02T12:00:00Z"
    assert store.incident(incident_id)["next_duty"] != before


def test_late_duty_needs_a_reason(store: Store) -> None:
    incident_id = open_one(store)
    late = T0 + timedelta(days=5)
    svc = service(store, late)
    with pytest.raises(ServiceError, match="reasons for the delay"):
        svc.mark_done(incident_id, "gdpr.notify_authority.LU")
    duty = svc.mark_done(incident_id, "gdpr.notify_authority.LU", reason="forensics took 4 days")
    assert duty["late_reason"] == "forensics took 4 days"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s, i: s.mark_done("BR-1999-0001", "x"), "no incident"),
        (lambda s, i: s.mark_done(i, "gdpr.nothing"), "has no duty"),
        (
            lambda s, i: s.mark_done(i, "gdpr.document", at=datetime(2020, 1, 1, tzinfo=UTC)),
            "before the incident",
        ),
        (lambda s, i: s.mark_done(i, "gdpr.document", at=T0 + timedelta(days=1)), "in the future"),
        (lambda s, i: s.add_note(i, "   "), "needs some text"),
        (lambda s, i: s.set_status(i, "open"), "already open"),
        (lambda s, i: s.update(i, {"role": "owner"}), "field role"),
    ],
)
def test_bad_requests_change_nothing(store: Store, call, message) -> None:
    incident_id = open_one(store)
    snapshot = (
        store.db.execute("SELECT count(*) FROM audit").fetchone()[0],
        store.incident(incident_id),
    )
    with pytest.raises((ServiceError, NotFound, ValueError), match=message):
        call(service(store), incident_id)
    assert (
        store.db.execute("SELECT count(*) FROM audit").fetchone()[0],
        store.incident(incident_id),
    ) == snapshot


def test_done_twice_is_refused(store: Store) -> None:
    incident_id = open_one(store)
    svc = service(store)
    svc.mark_done(incident_id, "gdpr.document")
    with pytest.raises(ServiceError, match="already marked done"):
        svc.mark_done(incident_id, "gdpr.document")


def test_close_and_reopen(store: Store) -> None:
    incident_id = open_one(store)
    svc = service(store)
    svc.set_status(incident_id, "closed")
    assert store.list_incidents() == []
    assert [r["id"] for r in store.list_incidents(include_closed=True)] == [incident_id]
    svc.set_status(incident_id, "open")
    assert [e["kind"] for e in store.events(incident_id)][-2:] == ["closed", "reopened"]


def test_stale_version_is_a_conflict_not_a_lost_update(store: Store) -> None:
    incident_id = open_one(store)
    loaded = store.incident(incident_id)["version"]
    service(store).add_note(incident_id, "someone else")
    with pytest.raises(Conflict, match="changed by someone else"):
        service(store).add_note(incident_id, "mine", expected_version=loaded)


def test_list_is_sorted_by_nearest_open_deadline(store: Store) -> None:
    early = open_one(store, aware_at="2026-03-02T10:00:00+01:00")
    late = open_one(
        store, detected_at="2026-03-02T11:00:00+01:00", aware_at="2026-03-02T12:00:00+01:00"
    )
    none = open_one(store, personal_data=False)
    assert [r["id"] for r in store.list_incidents()] == [early, late, none]


def test_audit_detects_an_edited_entry(store: Store, db_path: Path) -> None:
    incident_id = open_one(store)
    service(store).add_note(incident_id, "hello")
    raw = sqlite3.connect(db_path)
    raw.execute("DROP TRIGGER audit_append_only_update")
    raw.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 1")
    raw.commit()
    raw.close()
    problem = store.verify_audit().problem
    assert problem is not None and problem.seq == 1


def test_audit_detects_a_deleted_last_entry(store: Store, db_path: Path) -> None:
    incident_id = open_one(store)
    service(store).add_note(incident_id, "hello")
    raw = sqlite3.connect(db_path)
    raw.execute("DROP TRIGGER audit_append_only_delete")
    raw.execute("DELETE FROM audit WHERE seq = 2")
    raw.commit()
    raw.close()
    assert store.verify_audit().problem.seq == 2


def test_edited_facts_are_detected(store: Store, db_path: Path) -> None:
    open_one(store)
    raw = sqlite3.connect(db_path)
    raw.execute("UPDATE facts_versions SET facts = replace(facts, 'Test', 'Fake')")
    raw.commit()
    raw.close()
    problem = store.verify_audit().problem
    assert problem is not None and str(problem) == (
        "audit entry 1: facts version 1 of BR-2026-0001 differs from what this entry "
        "recorded (edited?)"
    )


def test_events_and_audit_are_append_only(store: Store) -> None:
    open_one(store)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute("DELETE FROM events")


def test_newer_database_is_refused_untouched(db_path: Path) -> None:
    """A migration this breach does not know was applied: a newer breach wrote the file."""
    Store.open(db_path).close()
    raw = sqlite3.connect(db_path)
    raw.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('breach', 'm099_from_the_future', '2030-01-01')"
    )
    raw.commit()
    raw.close()
    before = db_path.read_bytes()
    with pytest.raises(NewerDatabase, match="newer version of breach .*m099_from_the_future"):
        Store.open(db_path)
    assert db_path.read_bytes() == before


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    from breach.store import StoreError

    path = tmp_path / "junk.db"
    path.write_text("this is not sqlite" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="junk.db: not an SQLite database .*left untouched"):
        Store.open(path)
    assert path.read_bytes() == before


def test_export_shape(store: Store) -> None:
    from breach.service.views import incident_export

    incident_id = open_one(store)
    data = incident_export(store, incident_id)
    assert set(data) >= {
        "id",
        "title",
        "status",
        "organisation",
        "role",
        "created_at",
        "updated_at",
        "facts",
        "decision",
        "obligations",
        "notices",
        "events",
    }
    assert all("done_at" in o and "reference" in o and "id" in o for o in data["obligations"])
    json.dumps(data)


def test_list_json_matches_the_list(store: Store) -> None:
    first = open_one(store)
    second = open_one(store, personal_data=False)
    service(store).set_status(second, "closed")
    for include_closed in (False, True):
        assert json.loads(store.list_json(include_closed)) == store.list_incidents(include_closed)
    assert [r["id"] for r in json.loads(store.list_json())] == [first]
