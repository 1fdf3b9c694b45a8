"""``breach import``: the round trip, no duplicates, incremental updates, all or nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from breach.store import Store

from .conftest import NOW, T0, export_file, run, service


def db_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("incidents", "facts_versions", "assessments", "duties", "notices",
                          "events", "audit")
        }  # fmt: skip


def import_file(capsys, db: Path, path: Path, *args: str) -> tuple[int, str, str]:
    return run(capsys, "--db", str(db), "import", str(path), "--now", NOW, *args)


def test_round_trip_gives_the_same_incidents(capsys, tmp_path, source_db) -> None:
    first = tmp_path / "first.json"
    export_file(capsys, source_db, first)
    target = tmp_path / "target.db"
    code, out, err = import_file(capsys, target, first, "--json")
    assert code == 0, err
    assert json.loads(out)["created"] == ["BR-2026-0001", "BR-2026-0002", "BR-2026-0003",
                                          "BR-2026-0004"]  # fmt: skip
    second = tmp_path / "second.json"
    export_file(capsys, target, second, "--now", "2026-04-01T00:00:00Z")
    a, b = (json.loads(p.read_text()) for p in (first, second))
    assert a["exported_at"] != b["exported_at"]
    assert a["incidents"] == b["incidents"]
    assert first.read_bytes().split(b"\n")[1:] == second.read_bytes().split(b"\n")[1:]
    code, out, _ = run(capsys, "--db", str(target), "audit", "verify")
    assert code == 0 and "ok:" in out


def test_importing_twice_creates_no_duplicates(capsys, tmp_path, source_db) -> None:
    exported = tmp_path / "e.json"
    export_file(capsys, source_db, exported)
    target = tmp_path / "target.db"
    assert import_file(capsys, target, exported)[0] == 0
    before = db_counts(target)
    code, out, _ = import_file(capsys, target, exported)
    assert code == 0 and "0 new, 0 updated, 4 unchanged" in out
    assert db_counts(target) == before


def test_imported_facts_keep_their_hash_and_new_ids_continue(
    capsys, tmp_path, source_db, rules
) -> None:
    exported = tmp_path / "e.json"
    export_file(capsys, source_db, exported)
    target = tmp_path / "target.db"
    import_file(capsys, target, exported)
    with Store.open(target) as store:
        entries = list(store.db.query("SELECT action, payload FROM audit"))
        assert all(json.loads(e["payload"])["via"] == "import" for e in entries)
        # one entry per facts version (5), then one per incident for the rest of its rows
        assert [e["action"] for e in entries].count("import") == 4 and len(entries) == 9
        assert service(store, rules).open(_facts()) == "BR-2026-0005"
        assert store.verify_audit().problem is None


def _facts():
    from ..conftest import make_facts

    return make_facts(title="After the import")


def test_incremental_export_brings_an_imported_copy_up_to_date(
    capsys, tmp_path, source_db, rules
) -> None:
    full = tmp_path / "full.json"
    export_file(capsys, source_db, full)
    copy = tmp_path / "copy.db"
    import_file(capsys, copy, full)
    with Store.open(source_db) as store:
        later = service(store, rules, T0.replace(day=4))
        later.add_note("BR-2026-0001", "authority called back")
        later.update("BR-2026-0004", {"subjects": {"count": 77}})
        later.mark_done("BR-2026-0002", "gdpr.notify_authority.LU", reference="R2")
        store.mark_notice_sent(2, "2026-03-04T13:00:00Z", "REF-10", "portal")
    delta = tmp_path / "delta.json"
    data = export_file(capsys, source_db, delta, "--since", "2026-03-04T00:00:00Z")
    assert [i["id"] for i in data["incidents"]] == ["BR-2026-0001", "BR-2026-0002",
                                                     "BR-2026-0004"]  # fmt: skip
    code, out, err = import_file(capsys, copy, delta)
    assert code == 0 and "0 new, 3 updated, 0 unchanged" in out, err
    again_source, again_copy = tmp_path / "s.json", tmp_path / "c.json"
    export_file(capsys, source_db, again_source)
    export_file(capsys, copy, again_copy)
    # the same incidents, byte for byte; only the header's audit head is each log's own
    assert again_source.read_bytes().split(b"\n")[1:] == again_copy.read_bytes().split(b"\n")[1:]
    assert run(capsys, "--db", str(copy), "audit", "verify")[0] == 0
    code, out, _ = import_file(capsys, copy, full)  # the older file again: nothing to do
    assert code == 0 and "4 unchanged" in out


def test_a_diverged_incident_refuses_the_whole_file(capsys, tmp_path, source_db, rules) -> None:
    full = tmp_path / "full.json"
    export_file(capsys, source_db, full)
    copy = tmp_path / "copy.db"
    import_file(capsys, copy, full)
    for db, text in ((source_db, "there"), (copy, "here")):
        with Store.open(db) as store:
            service(store, rules, T0.replace(day=5)).add_note("BR-2026-0003", text)
    with Store.open(source_db) as store:
        service(store, rules, T0.replace(day=5)).add_note("BR-2026-0001", "also new")
    newer = tmp_path / "newer.json"
    export_file(capsys, source_db, newer)
    before = db_counts(copy)
    code, out, err = import_file(capsys, copy, newer)
    assert code == 2 and out == ""
    assert "incidents[2]: BR-2026-0003 is already in this database" in err
    assert "changed both here and where the file comes from" in err
    assert db_counts(copy) == before  # BR-2026-0001's note was not imported either


def test_row_ids_used_by_another_incident_are_renumbered(
    capsys, tmp_path, source_db, rules
) -> None:
    exported = tmp_path / "e.json"
    export_file(capsys, source_db, exported)
    target = tmp_path / "busy.db"
    with Store.open(target) as store:  # another incident already uses events 1..n
        service(store, rules, T0.replace(year=2025)).open(_facts())
    code, out, err = import_file(capsys, target, exported)
    assert code == 0, err
    reexported = export_file(capsys, target, tmp_path / "r.json", "BR-2026-0001", "BR-2026-0002")
    original = json.loads(exported.read_text())["incidents"]
    for mine, theirs in zip(reexported["incidents"], original, strict=False):
        assert [e["text"] for e in mine["events"]] == [e["text"] for e in theirs["events"]]
        assert [e["id"] for e in mine["events"]] != [e["id"] for e in theirs["events"]]
    assert import_file(capsys, target, exported)[1].endswith("4 unchanged\n")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["incidents"][1]["facts"].update(detected_at="2026-03-02T09:00:00"),
         "incidents[1].facts.detected_at: '2026-03-02T09:00:00' must be an ISO 8601 time"),
        (lambda d: d["incidents"][3].update(created_at="yesterday"),
         "incidents[3].created_at: 'yesterday' is not in the expected form"),
        (lambda d: d["incidents"][0]["obligations"][0].update(status="maybe"),
         "incidents[0].obligations[0].status: 'maybe' is not allowed"),
        (lambda d: d["incidents"][2].pop("facts"), "incidents[2].facts: is required but missing"),
        (lambda d: d["incidents"][2].update(colour="red"), "incidents[2].colour: is not a field"),
        (lambda d: d["incidents"][3].update(id="BR-2026-0001"),
         "incidents[3].id: BR-2026-0001 appears twice (first at incidents[0])"),
        (lambda d: d["incidents"][1]["facts_history"][0].pop("facts"),
         "incidents[1].facts_history[0].facts: required for a superseded version"),
        (lambda d: d["incidents"][1].update(facts_version=1),
         "incidents[1].facts_version: must be the last version of facts_history (2)"),
        (lambda d: d["incidents"][0].update(id="BR-2026-1"),
         "incidents[0].id: 'BR-2026-1' is not in the expected form"),
        (lambda d: d.update(schema="breach.export/9"), "schema: 'breach.export/9' is not allowed"),
        (lambda d: d.pop("incidents"), "incidents: is required but missing"),
    ],
)  # fmt: skip
def test_a_malformed_file_is_refused_whole(capsys, tmp_path, source_db, change, expected) -> None:
    exported = tmp_path / "e.json"
    export_file(capsys, source_db, exported)
    data = json.loads(exported.read_text())
    change(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, indent=1))
    target = tmp_path / "target.db"
    code, out, err = import_file(capsys, target, bad)
    assert code == 2 and out == ""
    assert err.startswith(f"breach: {bad}: ") and expected in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not target.exists()  # a failed import leaves no new, empty log behind


def test_bad_json_names_line_and_column_and_writes_nothing(capsys, tmp_path, source_db) -> None:
    exported = tmp_path / "e.json"
    export_file(capsys, source_db, exported)
    lines = exported.read_text().split("\n")
    lines[3] = lines[3][:200]  # the third incident cut short: the second was fine
    bad = tmp_path / "bad.json"
    bad.write_text("\n".join(lines))
    target = tmp_path / "target.db"
    code, _, err = import_file(capsys, target, bad)
    assert code == 2 and f"{bad}:4:" in err and "invalid JSON" in err
    assert not target.exists()


def test_stdin_and_missing_files(capsys, tmp_path, source_db, monkeypatch) -> None:
    import io

    exported = tmp_path / "e.json"
    export_file(capsys, source_db, exported)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(exported.read_bytes())))
    code, out, _ = run(capsys, "--db", str(tmp_path / "t.db"), "import", "-")
    assert code == 0 and "imported <stdin>: 4 new" in out
    code, _, err = run(capsys, "--db", str(tmp_path / "t.db"), "import", str(tmp_path / "no"))
    assert code == 2 and "no such file" in err
