"""Files breach writes hold personal data: 0600, written whole or not at all, and a target
that is not a regular file is written in place, never replaced. Record times are the real
clock, whatever ``--now`` says."""

from __future__ import annotations

import json
import os
import stat
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from breach.files import FileWriteError, private_file, write_private_text

from .conftest import BASE_FACTS, run_cli


@pytest.fixture
def log(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> tuple[str, str]:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(BASE_FACTS), encoding="utf-8")
    db = ("--db", str(tmp_path / "log.db"))
    assert run_cli(capsys, *db, "new", str(facts))[0] == 0
    return db


@pytest.mark.parametrize(
    "command",
    [
        ("report", "BR-2026-0001"),
        ("report", "BR-2026-0001", "--format", "html"),
        ("notice", "BR-2026-0001", "authority"),
        ("export",),
        ("export", "--format", "csv"),
    ],
)
def test_every_file_with_personal_data_is_yours_only(
    capsys: pytest.CaptureFixture[str],
    log: tuple[str, str],
    tmp_path: Path,
    command: tuple[str, ...],
) -> None:
    old_umask = os.umask(0o022)
    try:
        target = tmp_path / "out.file"
        target.write_text("the previous version")
        target.chmod(0o644)
        code, _, err = run_cli(capsys, *log, *command, "-o", str(target))
    finally:
        os.umask(old_umask)
    assert code == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8") != "the previous version"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("complete old report")
    with pytest.raises(RuntimeError), private_file(target) as out:
        out.write(b"half a new rep")
        raise RuntimeError("the export failed half-way")
    assert target.read_text() == "complete old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_fifo_is_written_in_place_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_private_text(fifo, "through the pipe\n")
    reader.join(timeout=10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the pipe, not a file put in its place


def test_a_device_is_written_in_place(
    capsys: pytest.CaptureFixture[str], log: tuple[str, str]
) -> None:
    before = os.stat("/dev/null")
    code, _, err = run_cli(capsys, *log, "export", "-o", "/dev/null")
    assert code == 0, err
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_full_device_is_one_line(
    capsys: pytest.CaptureFixture[str], log: tuple[str, str]
) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    code, out, err = run_cli(capsys, *log, "export", "-o", "/dev/full")
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert err.startswith("breach: /dev/full: cannot write (No space left on device)")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_folder_is_not_a_target(tmp_path: Path) -> None:
    with pytest.raises(FileWriteError, match="is a folder"):
        write_private_text(tmp_path, "x")


def test_now_changes_the_assessment_never_the_record_times(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--now`` in the past once moved ``updated_at`` before ``created_at``, and the next
    ``export --since`` skipped the change."""
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(BASE_FACTS), encoding="utf-8")
    db = ("--db", str(tmp_path / "log.db"))
    started = datetime.now(UTC).replace(microsecond=0)
    past = "2026-03-03T00:00:00Z"
    assert run_cli(capsys, *db, "new", str(facts), "--now", past)[0] == 0
    change = tmp_path / "change.json"
    change.write_text('{"subjects": {"count": 70}}', encoding="utf-8")
    since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert run_cli(capsys, *db, "update", "BR-2026-0001", str(change), "--now", past)[0] == 0
    shown = json.loads(run_cli(capsys, *db, "show", "BR-2026-0001", "--json")[1])
    created = datetime.fromisoformat(shown["created_at"].replace("Z", "+00:00"))
    updated = datetime.fromisoformat(shown["updated_at"].replace("Z", "+00:00"))
    assert started <= created <= updated <= datetime.now(UTC) + timedelta(seconds=1)
    assert shown["decision"]["assessed_at"] == past  # what was assessed: as of --now
    exported = json.loads(run_cli(capsys, *db, "export", "--since", since)[1])
    assert [i["id"] for i in exported["incidents"]] == ["BR-2026-0001"]
