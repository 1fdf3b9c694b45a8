"""Opening an incident log: what is started, what is refused untouched, and the one line
a locked, full or read-only file gives, with nothing lost."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from breach.clock import fixed_clock
from breach.model import facts_from_data
from breach.rules import load_rules
from breach.service import IncidentLog
from breach.store import Store, StoreError, Unavailable
from breach.store.base import Tables

from ..conftest import BASE_FACTS, NOW, run_cli


def one_line(err: str) -> str:
    lines = err.rstrip("\n").split("\n")
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    path = tmp_path / "log.db"
    with IncidentLog.open(path, load_rules(), fixed_clock(NOW), "dpo") as log:
        log.incidents.open(facts_from_data(BASE_FACTS))
    return path


def test_a_typed_path_in_a_missing_folder_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    typo = tmp_path / "nonexistent" / "dir" / "x.db"
    code, out, err = run_cli(capsys, "--db", str(typo), "list")
    assert code == 2 and out == "" and "x.db: no incident log here (check --db" in one_line(err)
    code, out, err = run_cli(capsys, "--db", str(typo), "note", "BR-2026-0001", "hello")
    assert code == 2 and out == ""
    assert f"the folder {typo.parent} does not exist (check --db; breach creates" in one_line(err)
    assert not (tmp_path / "nonexistent").exists()


def test_reading_a_typed_path_never_starts_a_log(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    typo = tmp_path / "breahc.db"
    for command in (("list",), ("show", "BR-2026-0001"), ("export",), ("audit", "verify")):
        code, out, err = run_cli(capsys, "--db", str(typo), *command)
        assert code == 2 and out == "" and "no incident log here" in one_line(err)
    assert not typo.exists()


def test_the_default_location_is_created_and_announced(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("BREACH_DB")
    home = tmp_path / "home"  # BREACH_HOME (conftest): the default log lives in it
    code, out, err = run_cli(capsys, "list")
    assert code == 0 and out == "No open incidents.\n"
    assert one_line(err) == f"breach: started a new incident log at {home / 'breach.db'}"
    assert (home / "breach.db").stat().st_mode & 0o777 == 0o600
    assert home.stat().st_mode & 0o777 == 0o700
    assert run_cli(capsys, "list")[2] == ""  # said once, on first use


def test_writing_a_typed_path_starts_a_log_and_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "new.db"
    facts = tmp_path / "facts.json"
    facts.write_text(__import__("json").dumps(BASE_FACTS), encoding="utf-8")
    code, out, err = run_cli(capsys, "--db", str(path), "new", str(facts), "--json")
    assert code == 0 and out.startswith("{")
    assert one_line(err) == f"breach: started a new incident log at {path}"


def test_another_programs_sqlite_file_is_refused_untouched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "other.db"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE contacts (name TEXT)")
    raw.execute("INSERT INTO contacts VALUES ('Ana')")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    for command in (("list",), ("note", "BR-2026-0001", "x"), ("audit", "verify")):
        code, _, err = run_cli(capsys, "--db", str(path), *command)
        assert code == 2 and "not a breach incident log (tables: contacts)" in one_line(err)
    assert path.read_bytes() == before and not list(tmp_path.glob("other.db-*"))
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "delete"  # not switched to WAL


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("my notes, not a database\n" * 200)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not an SQLite database"):
        Store.open(path)
    assert path.read_bytes() == before
    with pytest.raises(StoreError, match="not a file"):
        Store.open(tmp_path)


def test_a_locked_log_gives_one_line_and_loses_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, log_file: Path
) -> None:
    monkeypatch.setattr(Tables, "busy_timeout_s", 0.2)
    holder = sqlite3.connect(log_file)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        code, _, err = run_cli(capsys, "--db", str(log_file), "note", "BR-2026-0001", "called")
        assert code == 1
        assert one_line(err).endswith(
            "is locked by another breach or program (waited 0.2 s); nothing was changed: "
            "try again when it is done"
        )
        code, out, _ = run_cli(capsys, "--db", str(log_file), "list")  # readers still read
        assert code == 0 and "BR-2026-0001" in out
    finally:
        holder.rollback()
        holder.close()
    assert run_cli(capsys, "--db", str(log_file), "note", "BR-2026-0001", "called")[0] == 0
    with Store.open(log_file) as store:
        assert [e["kind"] for e in store.events("BR-2026-0001")] == ["opened", "note"]
        assert store.verify_audit().problem is None


def test_a_full_disk_gives_one_line_and_loses_nothing(log_file: Path) -> None:
    with IncidentLog.open(log_file, load_rules(), fixed_clock(NOW), "dpo") as log:
        pages = log.store.db.execute("PRAGMA page_count").fetchone()[0]
        log.store.db.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full now
        with pytest.raises(Unavailable, match="cannot grow: the disk is full; nothing was"):
            for n in range(200):
                log.incidents.add_note("BR-2026-0001", f"note {n} " + "x" * 2000)
        assert log.store.db.execute("PRAGMA max_page_count").fetchone()[0] == pages
    with Store.open(log_file) as store:
        assert store.verify_audit().problem is None and store.integrity_ok()
        notes = [e for e in store.events("BR-2026-0001") if e["kind"] == "note"]
        assert all(e["text"].startswith("note ") for e in notes)  # each whole, or not there


@pytest.fixture
def read_only(log_file: Path) -> Iterator[Path]:
    """The log made read-only for this process: mode 0444 (and, for root, whom modes do
    not stop, the immutable attribute)."""
    log_file.chmod(0o444)
    immutable = False
    if os.access(log_file, os.W_OK):  # root
        chattr = shutil.which("chattr")
        done = chattr and subprocess.run([chattr, "+i", str(log_file)], capture_output=True)
        immutable = bool(done and done.returncode == 0)
        if not immutable or os.access(log_file, os.W_OK):
            pytest.skip("cannot make a file read-only for this user here")
    yield log_file
    if immutable:
        subprocess.run([shutil.which("chattr") or "chattr", "-i", str(log_file)], check=True)
    log_file.chmod(0o600)


def test_a_read_only_log_can_be_read_and_verified(
    capsys: pytest.CaptureFixture[str], read_only: Path, tmp_path: Path
) -> None:
    before = read_only.read_bytes()
    db = ("--db", str(read_only))
    code, out, _ = run_cli(capsys, *db, "list")
    assert code == 0 and "BR-2026-0001" in out
    assert run_cli(capsys, *db, "show", "BR-2026-0001")[0] == 0
    code, out, _ = run_cli(capsys, *db, "export")
    assert code == 0 and '"BR-2026-0001"' in out
    code, out, _ = run_cli(capsys, *db, "audit", "verify")
    assert code == 0 and out.startswith("ok: ")
    assert run_cli(capsys, *db, "report", "BR-2026-0001", "-o", str(tmp_path / "r.md"))[0] == 0
    code, _, err = run_cli(capsys, *db, "note", "BR-2026-0001", "called")
    assert code == 1 and "is read-only here; nothing was changed" in one_line(err)
    assert read_only.read_bytes() == before


def test_a_failed_command_leaves_no_new_log_behind(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "fresh.db"
    code, _, err = run_cli(capsys, "--db", str(path), "note", "BR-2026-0001", "hello")
    assert code == 2 and "BR-2026-0001" in one_line(err)
    assert not path.exists() and not list(tmp_path.glob("fresh.db*"))


def test_an_upgrade_is_announced(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from sqlite_utils import Database, Migrations

    from breach.store.schema import m001_initial, m002_notices

    legacy = Migrations("breach")  # a log written before rows were vouched for (m003)
    legacy()(m001_initial)
    legacy()(m002_notices)
    old = tmp_path / "old.db"
    db = Database(old)
    legacy.apply(db)
    db.close()
    code, _, err = run_cli(capsys, "--db", str(old), "list")
    assert code == 0 and "upgrading" in one_line(err) and "m003_vouched_rows" in err
    assert run_cli(capsys, "--db", str(old), "list")[2] == ""
