"""The tamper corpus: one edit per table and kind, made as an attacker with the sqlite3
shell would (append-only triggers and foreign keys dropped first). `breach audit verify`
must name the row or entry; truncation and full rewrites are caught with `--expect`, and a
rewrite without the key is caught when the chain is keyed."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from breach.clock import fixed_clock
from breach.model import facts_from_data
from breach.rules import load_rules
from breach.service.incidents import IncidentService
from breach.service.notices import NoticeService
from breach.store import Store
from breach.store.audit import GENESIS, _digest, row_hash
from breach.store.base import canonical

from ..conftest import BASE_FACTS, NOW, run_cli

KEY = bytes(range(32))


def build(path: Path, key: bytes | None = None) -> None:
    """Two incidents with facts versions, duties done, notes and a sent notice."""
    rules = load_rules()
    with Store.open(path, key) as store:
        incidents = IncidentService(store, rules, fixed_clock(NOW), "dpo")
        first = incidents.open(facts_from_data(BASE_FACTS))
        incidents.open(facts_from_data({**BASE_FACTS, "title": "Second"}))
        incidents.update(first, {"subjects": {"count": 70}})
        incidents.add_note(first, "called the CNPD")
        incidents.mark_done(first, "gdpr.document", reference="REG-1")
        notices = NoticeService(store, rules, fixed_clock(NOW), "dpo")
        saved = notices.save(first, notices.draft(first, "authority"))
        notices.mark_sent(first, saved, reference="CNPD-9", reason="found late", confirm=True)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tamper") / "breach.db"
    build(path)
    return path


def attack(original: Path, into: Path, sql: str) -> Path:
    """A copy of ``original`` edited with ``sql``, with the protections dropped first."""
    target = into / "edited.db"
    shutil.copy(original, target)
    raw = sqlite3.connect(target)
    raw.execute("PRAGMA foreign_keys = OFF")
    for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        raw.execute(f"DROP TRIGGER {name}")
    raw.executescript(sql)
    raw.commit()
    raw.close()
    return target


def problem(path: Path, expect: tuple[int, str] | None = None, key: bytes | None = None) -> str:
    with Store.open(path, key) as store:
        found = store.verify_audit(expect).problem
    return str(found) if found else ""


def test_the_untouched_log_verifies(pristine: Path) -> None:
    with Store.open(pristine) as store:
        checked = store.verify_audit()
    assert checked.problem is None and checked.entries >= 7 and checked.rows > 20


EDITS = {
    "incident title": ("UPDATE incidents SET title = 'nothing happened' WHERE id = 'BR-2026-0001'",
                       "the incident row of BR-2026-0001 differs"),
    "incident deleted": ("DELETE FROM incidents WHERE id = 'BR-2026-0002'",
                         "the incident row of BR-2026-0002 is missing"),
    "whole incident deleted": (
        "DELETE FROM duties WHERE incident_id = 'BR-2026-0002';"
        "DELETE FROM events WHERE incident_id = 'BR-2026-0002';"
        "DELETE FROM assessments WHERE incident_id = 'BR-2026-0002';"
        "DELETE FROM facts_versions WHERE incident_id = 'BR-2026-0002';"
        "DELETE FROM incidents WHERE id = 'BR-2026-0002'",
        "of BR-2026-0002 is missing"),
    "incident added": (
        "INSERT INTO incidents SELECT 'BR-2026-0099', year, 99, title, organisation, "
        "organisation_name, role, status, risk, regimes, next_due, next_duty, version, "
        "created_at, updated_at, assignees FROM incidents WHERE id = 'BR-2026-0002'",
        "the incident row of BR-2026-0099 is vouched for by no audit entry"),
    "facts edited": ("UPDATE facts_versions SET facts = replace(facts, '\"count\":70', "
                     "'\"count\":7') WHERE version = 2", "facts version 2 of BR-2026-0001 differs"),
    "facts version deleted": ("DELETE FROM facts_versions WHERE version = 2",
                              "facts version 2 of BR-2026-0001 is missing"),
    "decision risk": ("UPDATE assessments SET decision = replace(decision, '\"risk\":\"high\"', "
                      "'\"risk\":\"unlikely\"')", "assessment #1 of BR-2026-0001 differs"),
    "assessment deleted": ("DELETE FROM assessments WHERE id = 3",
                           "assessment #3 of BR-2026-0001 is missing"),
    "duty done_at": ("UPDATE duties SET done_at = '2026-03-02T10:00:00Z' "
                     "WHERE id = 'gdpr.document'", "duty gdpr.document of BR-2026-0001 differs"),
    "duty reference": ("UPDATE duties SET reference = 'X' WHERE id = 'gdpr.document'",
                       "duty gdpr.document of BR-2026-0001 differs"),
    "duty status": ("UPDATE duties SET status = 'not_required' "
                    "WHERE id = 'gdpr.notify_authority.LU' AND incident_id = 'BR-2026-0002'",
                    "duty gdpr.notify_authority.LU of BR-2026-0002 differs"),
    "duty deleted": ("DELETE FROM duties WHERE id = 'gdpr.notify_data_subjects' "
                     "AND incident_id = 'BR-2026-0002'",
                     "duty gdpr.notify_data_subjects of BR-2026-0002 is missing"),
    "duty added": ("INSERT INTO duties SELECT incident_id, 'gdpr.extra', regime, duty, status, "
                   "due_at, due_kind, recipient, basis, exemption, reason, rule, rule_version, "
                   "done_at, reference, channel, late_reason, updated_at FROM duties "
                   "WHERE id = 'gdpr.document' AND incident_id = 'BR-2026-0002'",
                   "duty gdpr.extra of BR-2026-0002 is vouched for by no audit entry"),
    "sent notice text": ("UPDATE notices SET text = 'we told them nothing' WHERE status = 'sent'",
                         "notice #1 of BR-2026-0001 differs"),
    "notice sent_at": ("UPDATE notices SET sent_at = '2026-03-02T09:00:00Z'",
                       "notice #1 of BR-2026-0001 differs"),
    "notice deleted": ("DELETE FROM notices", "notice #1 of BR-2026-0001 is missing"),
    "event text": ("UPDATE events SET text = 'nothing' WHERE kind = 'note'",
                   "timeline event"),
    "event deleted": ("DELETE FROM events WHERE kind = 'note'", "is missing"),
    "event added": ("INSERT INTO events (incident_id, at, kind, text, data, actor) VALUES "
                    "('BR-2026-0001', '2026-03-02T09:30:00Z', 'note', 'forged', '{}', 'dpo')",
                    "is vouched for by no audit entry"),
    "audit entry edited": ("UPDATE audit SET actor = 'someone else' WHERE seq = 2",
                           "audit entry 2: content does not match its hash"),
    "audit entry deleted": ("DELETE FROM audit WHERE seq = 3", "audit entry 3: entry is missing"),
    "audit tail deleted": ("DELETE FROM audit WHERE seq > 5",
                           "the chain ends before its recorded head"),
    "audit row hashes edited": ("UPDATE audit SET rows = '[]' WHERE seq = 1",
                                "audit entry 1: content does not match its hash"),
}  # fmt: skip


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_every_kind_of_edit_is_caught(pristine: Path, tmp_path: Path, edit: str) -> None:
    sql, expected = EDITS[edit]
    found = problem(attack(pristine, tmp_path, sql))
    assert expected in found, (edit, found)


def recompute(path: Path, key: bytes | None = None, drop_after: int | None = None) -> None:
    """What an attacker with the sqlite3 shell and Python does: rewrite the whole chain
    (optionally without its last entries) so every hash links again."""
    raw = sqlite3.connect(path)
    for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        raw.execute(f"DROP TRIGGER {name}")
    if drop_after is not None:
        raw.execute("DELETE FROM audit WHERE seq > ?", (drop_after,))
    prev = GENESIS
    rows = raw.execute(
        "SELECT seq, at, actor, action, incident_id, payload, rows FROM audit ORDER BY seq"
    ).fetchall()
    for seq, at, actor, action, incident_id, payload, vouched in rows:
        entry = {
            "seq": seq, "at": at, "actor": actor, "action": action,
            "incident_id": incident_id, "payload": json.loads(payload), "prev_hash": prev,
        }  # fmt: skip
        if json.loads(vouched):
            entry["rows"] = json.loads(vouched)
        if key is not None:
            entry["keyed"] = True
        digest = _digest(prev, entry, key)
        raw.execute(
            "UPDATE audit SET prev_hash = ?, hash = ?, keyed = ? WHERE seq = ?",
            (prev, digest, int(key is not None), seq),
        )
        prev = digest
    raw.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (canonical([seq, prev]),))
    raw.commit()
    raw.close()


def head(path: Path) -> tuple[int, str]:
    with Store.open(path) as store:
        return store.audit_head()


def test_truncation_with_a_rewritten_head_is_caught(pristine: Path, tmp_path: Path) -> None:
    """The rows the dropped entries vouched for betray the cut; the kept head names it."""
    kept = head(pristine)
    edited = tmp_path / "edited.db"
    shutil.copy(pristine, edited)
    recompute(edited, drop_after=kept[0] - 2)
    assert "differs from what this entry recorded" in problem(edited)
    assert "no longer reaches the head you kept" in problem(edited, expect=kept)


def test_a_full_rewrite_is_caught_with_the_head_kept(pristine: Path, tmp_path: Path) -> None:
    kept = head(pristine)
    edited = attack(
        pristine, tmp_path, "UPDATE duties SET reference = 'X' WHERE id = 'gdpr.document'"
    )
    with Store.open(edited) as store:  # the attacker also re-vouches the row …
        rows = list(store.db.query("SELECT * FROM duties WHERE id = 'gdpr.document'"))
    raw = sqlite3.connect(edited)
    for entry_seq, vouched in raw.execute("SELECT seq, rows FROM audit").fetchall():
        fixed = []
        for table, key, digest in json.loads(vouched):
            if table == "duties" and key[1] == "gdpr.document":
                match = next(r for r in rows if r["incident_id"] == key[0])
                digest = row_hash(match)
            fixed.append([table, key, digest])
        raw.execute("UPDATE audit SET rows = ? WHERE seq = ?", (canonical(fixed), entry_seq))
    raw.commit()
    raw.close()
    recompute(edited)  # … and the whole chain
    assert problem(edited) == ""
    assert "differs from the head you kept" in problem(edited, expect=kept)


def test_a_keyed_chain_cannot_be_rewritten_without_the_key(tmp_path: Path) -> None:
    path = tmp_path / "keyed.db"
    build(path, KEY)
    assert problem(path, key=KEY) == ""
    with Store.open(path, KEY) as store:
        assert store.verify_audit().keyed
    recompute(path, key=bytes(32))  # the attacker's own key
    assert "content does not match its hash" in problem(path, key=KEY)
    assert "is keyed, and the audit key is not here" in problem(path, key=None)


def test_a_log_from_before_row_vouching_is_vouched_for_on_upgrade(tmp_path: Path) -> None:
    """Migration m003 vouches for the rows as they stood, one entry per incident."""
    from sqlite_utils import Database, Migrations

    from breach.store.schema import m001_initial, m002_notices

    path = tmp_path / "old.db"
    old = Migrations("breach")
    old()(m001_initial)
    old()(m002_notices)
    raw = Database(path)
    old.apply(raw)
    raw.execute(
        "INSERT INTO incidents VALUES ('BR-2026-0001', 2026, 1, 't', 'x', 'X', 'controller', "
        "'open', NULL, '[]', NULL, NULL, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
    )
    raw.conn.commit()
    raw.close()
    with Store.open(path) as store:
        checked = store.verify_audit()
        assert checked.problem is None and checked.rows == 1
    edited = attack(path, tmp_path, "UPDATE incidents SET title = 'x'")
    assert "the incident row of BR-2026-0001 differs" in problem(edited)


def test_the_audit_commands(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``audit head``, ``verify --expect`` and ``audit key`` as a responder uses them."""
    path = tmp_path / "log.db"
    build(path)
    db = ("--db", str(path))
    code, out, _ = run_cli(capsys, *db, "audit", "head", "--json")
    kept = json.loads(out)
    assert code == 0 and kept["seq"] == head(path)[0] and len(kept["hash"]) == 64
    code, out, _ = run_cli(capsys, *db, "audit", "head")
    assert out.strip() == f"{kept['seq']}:{kept['hash']}"
    code, out, _ = run_cli(capsys, *db, "audit", "verify", "--expect", out.strip())
    assert code == 0 and "chain not keyed" in out and "still reaches the head you kept" in out
    wrong = f"{kept['seq']}:{'0' * 64}"
    code, _, err = run_cli(capsys, *db, "audit", "verify", "--expect", wrong)
    assert code == 1 and "differs from the head you kept" in err
    code, _, err = run_cli(capsys, *db, "audit", "verify", "--expect", "12:abc")
    assert code == 2 and "give the head as SEQ:HASH" in err

    code, out, _ = run_cli(capsys, *db, "audit", "key")
    key_file = tmp_path / "home" / "config" / "audit.key"
    assert code == 0 and str(key_file) in out and key_file.stat().st_mode & 0o777 == 0o600
    secret = key_file.read_bytes()
    code, _, err = run_cli(capsys, *db, "audit", "key")
    assert code == 2 and "never replaced" in err and key_file.read_bytes() == secret
    assert run_cli(capsys, *db, "note", "BR-2026-0001", "keyed from here")[0] == 0
    code, out, _ = run_cli(capsys, *db, "audit", "verify")
    assert code == 0 and f"chain keyed from entry {kept['seq'] + 1}" in out
    key_file.rename(tmp_path / "elsewhere.key")
    code, _, err = run_cli(capsys, *db, "audit", "verify")
    assert code == 1 and "the audit key is not here: restore your backup" in err
    (tmp_path / "elsewhere.key").rename(key_file)
    key_file.chmod(0o644)
    code, _, err = run_cli(capsys, *db, "audit", "verify")
    assert code == 1 and "readable by others; chmod 600 it" in err
