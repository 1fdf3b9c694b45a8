"""``--format ics``: the deadlines as calendar events, parsed back with icalendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar

from breach.export.ics import fold, text
from breach.store import Store

from .conftest import NOW, T0, WEIRD, populate, run, service


def calendar(capsys, db, *args: str) -> tuple[bytes, icalendar.Calendar]:
    code, out, err = run(capsys, "--db", str(db), "export", "--format", "ics", "--now", NOW, *args)
    assert code == 0, err
    raw = out.encode("utf-8")
    return raw, icalendar.Calendar.from_ical(raw)


def events(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def installation(db) -> str:
    with Store.open(db) as store:
        return store.installation()


def uid(db, incident_id: str, duty_id: str) -> str:
    """The UID the export gives a duty of the log at ``db``."""
    return f"{incident_id}.{duty_id}.{installation(db)}@breach"


def test_each_open_deadline_is_an_event_with_two_alarms(capsys, source_db) -> None:
    raw, cal = calendar(capsys, source_db)
    assert cal["VERSION"] == "2.0" and "breach" in str(cal["PRODID"])
    found = events(cal)
    event = found[uid(source_db, "BR-2026-0004", "gdpr.notify_controller.acme_b_v")]
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART").tzinfo is not None
    triggers = sorted(a.decoded("TRIGGER") for a in event.walk("VALARM"))
    assert triggers == [timedelta(hours=-24), timedelta(hours=-2)]
    assert all(a["ACTION"] == "DISPLAY" for a in event.walk("VALARM"))
    second = found[uid(source_db, "BR-2026-0002", "gdpr.notify_authority.LU")]
    assert second.decoded("DTSTART") == datetime(2026, 3, 5, 9, tzinfo=UTC)
    assert "breach done BR-2026-0002 gdpr.notify_authority.LU" in str(second["DESCRIPTION"])
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_done_duties_and_closed_incidents_are_cancelled(capsys, source_db) -> None:
    _, cal = calendar(capsys, source_db)
    found = events(cal)
    done = found[uid(source_db, "BR-2026-0001", "gdpr.notify_authority.LU")]
    closed = found[uid(source_db, "BR-2026-0003", "gdpr.notify_authority.LU")]
    for event in (done, closed):
        assert event["STATUS"] == "CANCELLED" and not event.walk("VALARM")


def test_uids_are_stable_and_a_change_raises_the_sequence(capsys, source_db, rules) -> None:
    _, before = calendar(capsys, source_db, "BR-2026-0002")
    with Store.open(source_db) as store:
        service(store, rules, T0 + timedelta(hours=5)).mark_done(
            "BR-2026-0002", "gdpr.notify_authority.LU", reference="X"
        )
    _, after = calendar(capsys, source_db, "BR-2026-0002")
    old, new = events(before), events(after)
    assert set(old) == set(new)
    key = uid(source_db, "BR-2026-0002", "gdpr.notify_authority.LU")
    assert new[key]["SEQUENCE"] > old[key]["SEQUENCE"]
    assert old[key]["STATUS"] == "CONFIRMED" and new[key]["STATUS"] == "CANCELLED"


def test_user_text_is_escaped_and_folded(capsys, source_db) -> None:
    raw, cal = calendar(capsys, source_db, "BR-2026-0002")
    assert b"\x1b" not in raw and "\x9b".encode() not in raw
    key = uid(source_db, "BR-2026-0002", "gdpr.notify_authority.LU")
    description = str(events(cal)[key]["DESCRIPTION"])
    assert "=cmd|' /C calc'!A0; a,b \\ ü€" in description
    assert text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    line = "SUMMARY:" + "€" * 60
    parts = list(fold(line))
    assert (
        all(len(p) <= 75 for p in parts)
        and b"".join(p[1:] if i else p for i, p in enumerate(parts)).decode() == line
    )
    assert WEIRD.split()[0] in str(cal.walk("VEVENT")[0]["DESCRIPTION"])


def test_uids_name_the_installation(capsys, source_db, tmp_path, rules) -> None:
    _, cal = calendar(capsys, source_db)
    mine = installation(source_db)
    assert len(mine) == 36  # a UUID
    assert all(str(e["UID"]).endswith(f".{mine}@breach") for e in cal.walk("VEVENT"))
    other = tmp_path / "other.db"
    with Store.open(other) as store:  # another log, same incidents: other UIDs
        populate(store, rules)
    _, theirs = calendar(capsys, other)
    assert set(events(cal)).isdisjoint(events(theirs))
    assert len(events(theirs)) == len(events(cal))


def test_no_method_and_no_organizer(capsys, source_db) -> None:
    raw, cal = calendar(capsys, source_db)
    # METHOD:PUBLISH needs an ORGANIZER per event (RFC 5546 3.2.1), which RFC 5545 forbids
    # in events that are not group-scheduled: the calendar carries neither
    assert "METHOD" not in cal and b"\r\nMETHOD:" not in raw
    assert not any("ORGANIZER" in e or "ATTENDEE" in e for e in cal.walk("VEVENT"))
