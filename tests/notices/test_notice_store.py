"""Notices kept in the store: versions, edits that survive re-rendering, sending, audit."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database, Migrations

from breach.clock import fixed_clock
from breach.notices.errors import NoticeError
from breach.rules import load_rules
from breach.service.incidents import IncidentService, ServiceError
from breach.service.notices import NoticeService
from breach.store import Store, StoreError
from breach.store.schema import m001_initial, migrations

from .conftest import CONTROLLER_FACTS, OPENED, open_incident

T1 = OPENED + timedelta(hours=1)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "breach.db"
    open_incident(path, CONTROLLER_FACTS)
    return path


def notices(db: Path, at: datetime = T1) -> tuple[Store, NoticeService]:
    store = Store.open(db)
    return store, NoticeService(store, load_rules(), fixed_clock(at), "dpo")


def test_save_list_and_show(db: Path) -> None:
    store, service = notices(db)
    with store:
        draft = service.draft("BR-2026-0001", "authority", fmt="md", language="en")
        first = service.save("BR-2026-0001", draft)
        second = service.save("BR-2026-0001", service.draft("BR-2026-0001", "authority"))
        rows = service.versions("BR-2026-0001")
        assert [(r["id"], r["version"], r["status"]) for r in rows] == [
            (first, 1, "draft"),
            (second, 2, "draft"),
        ]
        assert rows[0]["obligation"] == "gdpr.notify_authority.LU"
        assert rows[0]["recipient"] == "National Commission for Data Protection"
        assert rows[0]["unknowns"] and "text" not in rows[0]
        assert service.stored("BR-2026-0001", first)["text"] == draft.text
        kinds = [e["kind"] for e in store.events("BR-2026-0001")]
        assert kinds.count("notice") == 2
        checked = store.verify_audit()
        assert checked.entries == 3 and checked.problem is None


def test_an_edit_survives_re_rendering_after_the_facts_change(db: Path) -> None:
    store, service = notices(db)
    with store:
        draft = service.draft("BR-2026-0001", "authority", fmt="md", language="en")
        service.save("BR-2026-0001", draft)
        edited = draft.text.replace(
            "- **When it began:** [to be confirmed]",
            "- **When it began:** from 9 September 2026, 11:00 CEST",
        ).replace(
            "## Information to follow", "Our DPO adds a sentence here.\n\n## Information to follow"
        )
        assert edited != draft.text
        again = service.draft("BR-2026-0001", "authority", fmt="md", language="en")
        edit_id = service.save("BR-2026-0001", again, edited_text=edited)
        assert service.stored("BR-2026-0001", edit_id)["edited"]
        IncidentService(store, service.rules, fixed_clock(T1), "dpo").update(
            "BR-2026-0001", {"subjects": {"count": 4100}}
        )
        merged = service.draft("BR-2026-0001", "authority", fmt="md", language="en")
        assert merged.kept_edits_of == edit_id and not merged.conflicts
        assert "from 9 September 2026, 11:00 CEST" in merged.text
        assert "Our DPO adds a sentence here." in merged.text
        assert "4,100" in merged.text and "2,300" not in merged.text  # the new facts
        assert merged.markers_left == draft.markers_left - 1
        fresh = service.draft("BR-2026-0001", "authority", fmt="md", language="en", fresh=True)
        assert fresh.kept_edits_of is None and "Our DPO adds" not in fresh.text
        other_format = service.draft("BR-2026-0001", "authority", fmt="text", language="en")
        assert other_format.kept_edits_of is None


def test_conflicting_edit_keeps_the_users_line(db: Path) -> None:
    store, service = notices(db)
    with store:
        draft = service.draft("BR-2026-0001", "authority", fmt="md", language="en")
        edited = draft.text.replace("2,300", "about 2,300 (our estimate)")
        service.save("BR-2026-0001", draft, edited_text=edited)
        IncidentService(store, service.rules, fixed_clock(T1), "dpo").update(
            "BR-2026-0001", {"subjects": {"count": 5000}}
        )
        merged = service.draft("BR-2026-0001", "authority", fmt="md", language="en")
        assert "about 2,300 (our estimate)" in merged.text
        assert merged.conflicts and "5,000" in "".join(merged.conflicts[0].generated)


def test_sending_marks_the_duty_and_the_next_notice_is_a_follow_up(db: Path) -> None:
    store, service = notices(db)
    with store:
        draft = service.draft("BR-2026-0001", "authority", fmt="md", language="en")
        notice_id = service.save("BR-2026-0001", draft)
        sent = service.mark_sent(
            "BR-2026-0001", notice_id, reference="CNPD-2026-77", channel="e-mail", confirm=True
        )
        assert sent["status"] == "sent" and sent["sent_at"] == "2026-09-14T11:00:00Z"
        duty = {d["id"]: d for d in store.duties("BR-2026-0001")}["gdpr.notify_authority.LU"]
        assert duty["done_at"] == "2026-09-14T11:00:00Z" and duty["reference"] == "CNPD-2026-77"
        with pytest.raises(NoticeError, match="already sent"):
            service.mark_sent("BR-2026-0001", notice_id, confirm=True)
        with pytest.raises(sqlite3.IntegrityError, match="kept as sent"):
            store.db.execute("UPDATE notices SET text = 'changed' WHERE id = ?", (notice_id,))
        follow = service.draft(
            "BR-2026-0001", "authority", fmt="md", language="en",
            obligation="gdpr.notify_authority.LU",
        )  # fmt: skip
        assert follow.phase == "follow_up"
        assert (
            "follow-up notification (GDPR Art. 33(4)) to our notification of "
            "14 September 2026, 13:00 CEST" in follow.text
        )
        assert ", reference CNPD-2026-77;" in follow.text
        edpb = service.draft(
            "BR-2026-0001", "authority", fmt="edpb-json", obligation="gdpr.notify_authority.LU"
        )
        assert '"field_3": "b"' in edpb.text and "CNPD-2026-77" in edpb.text
        events = [e["kind"] for e in store.events("BR-2026-0001")]
        assert events[-2:] == ["done", "sent"]
        assert store.verify_audit().problem is None


def test_a_late_send_needs_reasons_and_they_appear_in_the_notice(db: Path) -> None:
    late = datetime(2026, 9, 18, 12, tzinfo=UTC)  # the 72 h ended on 17 September, 07:00 UTC
    store, service = notices(db, late)
    with store:
        draft = service.draft("BR-2026-0001", "authority", fmt="md", language="en")
        assert "## Reasons for the delay (Art. 33(1))" in draft.text
        assert "reasons for the delay" in draft.unknowns
        notice_id = service.save("BR-2026-0001", draft)
        with pytest.raises(ServiceError, match="--reason"):
            service.mark_sent("BR-2026-0001", notice_id, confirm=True)
        assert service.stored("BR-2026-0001", notice_id)["status"] == "draft"  # rolled back
        service.mark_sent(
            "BR-2026-0001",
            notice_id,
            reason="The export logs were only recovered on 18 September.",
            confirm=True,
        )
        again = service.draft("BR-2026-0001", "authority", fmt="md", language="en")
        assert "The export logs were only recovered on 18 September." in again.text


def test_sent_time_cannot_be_in_the_future(db: Path) -> None:
    store, service = notices(db)
    with store:
        notice_id = service.save("BR-2026-0001", service.draft("BR-2026-0001", "register"))
        with pytest.raises(NoticeError, match="future"):
            service.mark_sent("BR-2026-0001", notice_id, at=T1 + timedelta(hours=1), confirm=True)


def test_unknown_recipient_and_notice_are_bad_input(db: Path) -> None:
    store, service = notices(db)
    with store:
        with pytest.raises(NoticeError, match="not a duty"):
            service.draft("BR-2026-0001", "authority", obligation="gdpr.notify_authority.FR")
        with pytest.raises(StoreError, match="no notice 99"):
            service.stored("BR-2026-0001", 99)


def test_a_version_1_database_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Migrations("breach")
    old()(m001_initial)
    raw = Database(path)
    old.apply(raw)
    raw.execute("PRAGMA user_version = 1")
    raw.execute(
        "INSERT INTO incidents VALUES ('BR-2026-0001', 2026, 1, 't', 'x', 'X', 'controller', "
        "'open', NULL, '[]', NULL, NULL, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
    )
    raw.execute(
        "INSERT INTO notices (incident_id, kind, language, format, text, version, created_at) "
        "VALUES ('BR-2026-0001', 'authority', 'en', 'text', 'old text', 1, '2026-01-01')"
    )
    raw.close()
    with Store.open(path) as store:
        assert [m.name for m in migrations.applied(store.db)] == [
            "m001_initial",
            "m002_notices",
            "m003_vouched_rows",
            "m004_identities",
            "m005_assignees",
            "m006_filters_in_the_deadline_index",
        ]
        [row] = store.notice_versions("BR-2026-0001")
        assert row["status"] == "draft" and row["text"] == "old text" and row["unknowns"] == []
