"""The notice, notice-sent and report commands: options, files, errors (exit 2, one line)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CONTROLLER_FACTS, NOW, Runner, open_incident


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "breach.db"
    open_incident(path, CONTROLLER_FACTS)
    return path


def test_save_edit_list_show_and_send(db: Path, tmp_path: Path, cli: Runner) -> None:
    base = ("--db", str(db), "notice", "BR-2026-0001")
    out_file = tmp_path / "draft.md"
    code, out, err = cli(*base, "authority", "--format", "md", "--save", "-o", str(out_file),
                         "--now", NOW)  # fmt: skip
    assert code == 0 and out == "" and "saved as notice #1" in err
    assert "to be confirmed:" in err and "also required" not in err
    edited = out_file.read_text(encoding="utf-8").replace(
        "- **When it began:** [to be confirmed]", "- **When it began:** 9 September"
    )
    out_file.write_text(edited, encoding="utf-8")
    code, out, err = cli(*base, "authority", "--format", "md", "--edit-from", str(out_file),
                         "--now", NOW)  # fmt: skip
    assert code == 0 and "saved your edit as notice #2" in out
    code, out, err = cli(*base, "authority", "--format", "md", "--now", NOW)
    assert code == 0 and "- **When it began:** 9 September" in out
    assert "kept your edits of notice #2" in err
    code, out, _ = cli(*base, "--list")
    lines = out.splitlines()
    assert len(lines) == 2 and lines[1].startswith("#2") and "edited" in lines[1]
    code, out, _ = cli(*base, "--show", "2")
    assert code == 0 and out == edited
    code, out, err = cli("--db", str(db), "notice-sent", "BR-2026-0001", "2",
                         "--reference", "CNPD-1", "--channel", "portal", "--confirm",
                         "--now", NOW)  # fmt: skip
    assert code == 0 and "gdpr.notify_authority.LU done" in out
    code, out, _ = cli(*base, "--list")
    assert "sent 2026-09-14T12:00:00Z ref CNPD-1 via portal edited" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["notice", "BR-2026-0009", "authority"], "no incident 'BR-2026-0009'"),
        (["notice", "BR-2026-0001"], "give a notice KIND"),
        (["notice", "BR-2026-0001", "authority", "--recipient", "x.y"], "not a duty"),
        (["notice", "BR-2026-0001", "--show", "7"], "has no notice 7"),
        (["notice", "BR-2026-0001", "public", "--edit-from", "{missing}"], "no such file"),
        (["notice", "BR-2026-0001", "public", "--tz", "Mars/Base"], "unknown time zone"),
        (["notice-sent", "BR-2026-0001", "3"], "has no notice 3"),
        (["report", "BR-2026-0001", "--lessons", "{missing}"], "no such file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    db: Path, cli: Runner, args: list[str], message: str
) -> None:
    missing = str(db.parent / "no-such-file.md")
    args = [arg.replace("{missing}", missing) for arg in args]
    code, out, err = cli("--db", str(db), *args, "--now", NOW)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err


def test_unknown_kind_and_format_are_refused(db: Path, cli: Runner) -> None:
    assert cli("--db", str(db), "notice", "BR-2026-0001", "police")[0] == 2
    assert cli("--db", str(db), "notice", "BR-2026-0001", "public", "--format", "pdf")[0] == 2


def test_sending_twice_is_refused(db: Path, cli: Runner) -> None:
    base = ("--db", str(db))
    assert cli(*base, "notice", "BR-2026-0001", "register", "--save", "--now", NOW)[0] == 0
    assert cli(*base, "notice-sent", "BR-2026-0001", "1", "--confirm", "--now", NOW)[0] == 0
    code, _, err = cli(*base, "notice-sent", "BR-2026-0001", "1", "--confirm", "--now", NOW)
    assert code == 2 and "already sent" in err


def test_notices_core_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import breach.service.notices, breach.cli.notices, breach.notices.report\n"
        "import breach.notices.edpb, breach.notices.svg\n"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        "assert not bad, bad\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_the_cli_offers_every_notice_kind_and_format() -> None:
    import argparse

    from breach.cli import build_parser
    from breach.notices import KINDS, NOTICE_FORMATS

    parser = build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    notice = sub.choices["notice"]
    choices = {a.dest: list(a.choices or []) for a in notice._actions if a.choices}
    assert choices["kind"] == list(KINDS)
    assert choices["format"] == list(NOTICE_FORMATS)
