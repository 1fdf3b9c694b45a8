"""Hostile text through every output: whatever a title, a note, a name, a reference or a
notice holds, what reaches the terminal (or a file) carries no control character and no
bidi override, one-line views stay one line per row, and JSON keeps the text exactly
(escaped, not dropped)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from breach.cli import main
from breach.service import EXPORT_FORMATS, NOTICE_FORMATS, NOTICE_KINDS

from ..conftest import BASE_FACTS, run_cli

#: Clear the screen, write the clipboard (OSC 52), ring, overwrite the line, forge a row,
#: reverse the text, a C1 CSI, DEL and NUL.
HOSTILE = (
    "Ti\x1b[2J\x1b]52;c;ZXZpbA==\x07tle\rforged\nBR-2026-9999  OVERDUE  open  x\u202elive\u2066"
    "\x9b31m\x7f\x00end"
)
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
JSON_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def assert_terminal_safe(text: str) -> None:
    found = UNSAFE.search(text)
    assert found is None, (
        f"{found[0]!r} at {found.start()}: {text[max(0, found.start() - 40) :][:80]!r}"
    )


@pytest.fixture(scope="module")
def hostile_log(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A log whose every typed field is hostile: title, summary, mitigation, organisation
    and controller names, a note, a duty's reference, channel and late reason, an edited
    notice."""
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "log.db"
    organisation = {**BASE_FACTS["organisation"], "name": HOSTILE, "contact": HOSTILE}
    facts = {
        **BASE_FACTS,
        "title": HOSTILE,
        "summary": HOSTILE,
        "mitigation": HOSTILE,
        "organisation": organisation,
        "role": "processor",
        "controllers": [{"name": HOSTILE, "contact": HOSTILE}],
    }
    (folder / "facts.json").write_text(json.dumps(facts), encoding="utf-8")
    text = HOSTILE.replace("\x00", "")  # a text file holds no NUL (breach refuses one)
    (folder / "edit.md").write_text(f"# {text}\n\n{text}\n", encoding="utf-8")
    steps = [
        ("new", str(folder / "facts.json")),
        ("note", "BR-2026-0001", HOSTILE),
        ("done", "BR-2026-0001", "gdpr.document", "--reference", HOSTILE, "--channel", HOSTILE,
         "--reason", HOSTILE),
        ("notice", "BR-2026-0001", "controller", "--edit-from", str(folder / "edit.md")),
    ]  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BREACH_HOME", str(folder / "home"))
        for step in steps:
            with pytest.raises(SystemExit) as exit_info:
                main(["--db", str(db), *step])
            assert exit_info.value.code in (0, None), step
    return {"db": str(db), "folder": folder}


@pytest.fixture
def db(hostile_log: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    capsys.readouterr()
    return ("--db", hostile_log["db"])


TEXT_COMMANDS = {
    "list": ("list",),
    "list --all": ("list", "--all"),
    "show": ("show", "BR-2026-0001"),
    "notice --list": ("notice", "BR-2026-0001", "--list"),
    "notice --show": ("notice", "BR-2026-0001", "--show", "1"),
    "report md": ("report", "BR-2026-0001"),
    "report html": ("report", "BR-2026-0001", "--format", "html"),
    **{
        f"notice {kind} {fmt}": ("notice", "BR-2026-0001", kind, "--format", fmt, "--voluntary")
        for kind in NOTICE_KINDS
        for fmt in NOTICE_FORMATS
    },
    **{f"export {fmt}": ("export", "--format", fmt) for fmt in EXPORT_FORMATS},
}


@pytest.mark.parametrize("name", sorted(TEXT_COMMANDS))
def test_every_output_is_safe_for_the_terminal(
    capsys: pytest.CaptureFixture[str], db: tuple[str, str], name: str
) -> None:
    code, out, err = run_cli(capsys, *db, *TEXT_COMMANDS[name])
    assert code == 0, err
    assert out.strip()
    if name in ("export csv", "export ics"):  # CRLF ends their lines (RFC 4180, RFC 5545)
        out = out.replace("\r\n", "\n")
    assert_terminal_safe(out)
    assert_terminal_safe(err)


def test_one_line_views_stay_one_line_per_row(
    capsys: pytest.CaptureFixture[str], db: tuple[str, str]
) -> None:
    code, out, _ = run_cli(capsys, *db, "list")
    assert code == 0 and len(out.splitlines()) == 1  # the title's newline cannot forge a row
    assert "\N{RETURN SYMBOL}BR-2026-9999" in out and "\N{SYMBOL FOR ESCAPE}[2J" in out
    code, out, _ = run_cli(capsys, *db, "show", "BR-2026-0001")
    title, *rest = out.splitlines()
    assert title.startswith("BR-2026-0001 — Ti") and "forged" in title
    assert not any(line.startswith("BR-2026-9999") for line in rest)


@pytest.mark.parametrize(
    "command", [("show", "BR-2026-0001", "--json"), ("list", "--json"), ("export",)]
)
def test_json_escapes_and_keeps_the_text(
    capsys: pytest.CaptureFixture[str], db: tuple[str, str], command: tuple[str, ...]
) -> None:
    code, out, _ = run_cli(capsys, *db, *command)
    assert code == 0
    assert JSON_UNSAFE.search(out.replace("\n", "")) is None
    assert "\\u202e" in out and "\\u009b" in out
    data = json.loads(out)
    incident = data[0] if isinstance(data, list) else data.get("incidents", [data])[0]
    assert incident["title"] == HOSTILE  # escaped on the way out, the same text read back


def test_csv_cells_are_safe(capsys: pytest.CaptureFixture[str], db: tuple[str, str]) -> None:
    code, out, _ = run_cli(capsys, *db, "export", "--format", "csv")
    assert code == 0
    for row in csv.reader(io.StringIO(out)):
        for cell in row:
            assert_terminal_safe(cell)


def test_files_get_the_same_treatment(
    capsys: pytest.CaptureFixture[str], db: tuple[str, str], tmp_path: Path
) -> None:
    for args, name in (
        (("report", "BR-2026-0001", "-o"), "r.md"),
        (("notice", "BR-2026-0001", "--show", "1", "-o"), "n.md"),
        (("notice", "BR-2026-0001", "authority", "--format", "text", "--voluntary", "-o"), "a.txt"),
    ):
        code, _, err = run_cli(capsys, *db, *args, str(tmp_path / name))
        assert code == 0, err
        assert_terminal_safe((tmp_path / name).read_text(encoding="utf-8"))


def test_an_error_naming_hostile_text_is_safe(
    capsys: pytest.CaptureFixture[str], db: tuple[str, str]
) -> None:
    code, out, err = run_cli(capsys, *db, "done", "BR-2026-0001", HOSTILE)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1
    assert_terminal_safe(err)


def test_the_ui_shows_hostile_text_as_text() -> None:
    from rich.text import Text

    from breach.ui.formatting import plain

    shown = plain(HOSTILE)
    assert isinstance(shown, Text) and not shown.spans
    assert_terminal_safe(shown.plain)
    assert "\n" not in shown.plain and "[2J" in shown.plain
    assert_terminal_safe(plain(HOSTILE, lines=True).plain)
