"""The incident commands end to end through `breach` (in-process main and a real process)."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from breach.cli import main

from .conftest import BASE_FACTS

NOW = "2026-03-02T12:00:00Z"


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "cli.db")


@pytest.fixture
def facts_file(tmp_path: Path) -> str:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(BASE_FACTS))
    return str(path)


def new(capsys, db: str, facts_file: str) -> str:
    code, out, err = run(capsys, "--db", db, "new", facts_file, "--json", "--now", NOW)
    assert code == 0, err
    return json.loads(out)["id"]


def test_new_list_show_roundtrip(capsys, db, facts_file) -> None:
    incident_id = new(capsys, db, facts_file)
    assert incident_id == "BR-2026-0001"
    code, out, _ = run(capsys, "--db", db, "list", "--json")
    assert code == 0 and [r["id"] for r in json.loads(out)] == [incident_id]
    code, out, _ = run(capsys, "--db", db, "show", incident_id, "--json")
    data = json.loads(out)
    assert (
        data["id"] == incident_id
        and data["obligations"]
        and data["decision"]["schema"] == "breach.decision/1"
    )
    code, out, _ = run(
        capsys, "--db", db, "show", incident_id, "--now", NOW, "--tz", "Europe/Luxembourg"
    )
    assert code == 0 and "Duties" in out and "Timeline" in out


def test_update_done_note_close_reopen(capsys, db, facts_file, tmp_path) -> None:
    incident_id = new(capsys, db, facts_file)
    change = tmp_path / "change.json"
    change.write_text(json.dumps({"subjects": {"count": 20000}}))
    code, out, _ = run(
        capsys, "--db", db, "update", incident_id, str(change), "--json", "--now", NOW
    )
    assert code == 0 and json.loads(out)["facts_version"] == 2
    code, out, _ = run(
        capsys,
        "--db",
        db,
        "done",
        incident_id,
        "gdpr.notify_authority.LU",
        "--reference",
        "CNPD-7",
        "--channel",
        "e-mail",
        "--now",
        NOW,
    )
    assert code == 0 and "done at 2026-03-02T12:00:00Z" in out
    assert run(capsys, "--db", db, "note", incident_id, "called the DPO", "--now", NOW)[0] == 0
    assert run(capsys, "--db", db, "close", incident_id, "--now", NOW)[0] == 0
    assert json.loads(run(capsys, "--db", db, "list", "--json")[1]) == []
    assert run(capsys, "--db", db, "reopen", incident_id, "--now", NOW)[0] == 0
    data = json.loads(run(capsys, "--db", db, "show", incident_id, "--json")[1])
    done = next(o for o in data["obligations"] if o["id"] == "gdpr.notify_authority.LU")
    assert done["reference"] == "CNPD-7" and done["channel"] == "e-mail"
    assert [e["kind"] for e in data["events"]][-3:] == ["note", "closed", "reopened"]
    assert run(capsys, "--db", db, "audit", "verify")[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "BR-2026-0099"], "no incident 'BR-2026-0099'"),
        (["done", "{id}", "gdpr.nothing", "--now", NOW], "has no duty 'gdpr.nothing'"),
        (
            ["done", "{id}", "gdpr.document", "--at", "2020-01-01T00:00:00Z", "--now", NOW],
            "before the incident was detected",
        ),
        (["done", "{id}", "gdpr.notify_authority.LU", "--now", "2026-03-09T00:00:00Z"], "--reason"),
        (["update", "{id}", "{bad}"], "field role"),
        (["update", "{id}", "{missing}"], "no such file"),
        (["note", "{id}", " "], "needs some text"),
        (["close", "BR-1-1"], "no incident"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_changes_nothing(
    capsys, db, facts_file, tmp_path, args, message
) -> None:
    incident_id = new(capsys, db, facts_file)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"role": "owner"}))
    before = json.loads(run(capsys, "--db", db, "show", incident_id, "--json")[1])
    missing = str(tmp_path / "no-such-file.json")
    args = [
        a.replace("{id}", incident_id).replace("{bad}", str(bad)).replace("{missing}", missing)
        for a in args
    ]
    code, out, err = run(capsys, "--db", db, *args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert json.loads(run(capsys, "--db", db, "show", incident_id, "--json")[1]) == before


def test_done_twice_exits_2(capsys, db, facts_file) -> None:
    incident_id = new(capsys, db, facts_file)
    assert run(capsys, "--db", db, "done", incident_id, "gdpr.document", "--now", NOW)[0] == 0
    code, _, err = run(capsys, "--db", db, "done", incident_id, "gdpr.document", "--now", NOW)
    assert code == 2 and "already marked done" in err


def test_tampered_audit_row_fails_verify_naming_it(capsys, db, facts_file) -> None:
    incident_id = new(capsys, db, facts_file)
    run(capsys, "--db", db, "note", incident_id, "one", "--now", NOW)
    raw = sqlite3.connect(db)
    raw.executescript(
        "DROP TRIGGER audit_append_only_update;"
        "UPDATE audit SET at = '2020-01-01T00:00:00Z' WHERE seq = 2;"
    )
    raw.close()
    code, _, err = run(capsys, "--db", db, "audit", "verify")
    assert code == 1 and "audit entry 2" in err


def test_breach_db_env_is_the_default(capsys, facts_file, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BREACH_DB", str(tmp_path / "env.db"))
    assert run(capsys, "new", facts_file, "--now", NOW)[0] == 0
    assert (tmp_path / "env.db").exists()


def test_list_and_show_do_not_import_pydantic(tmp_path, facts_file) -> None:
    db = str(tmp_path / "light.db")
    subprocess.run(
        [sys.executable, "-m", "breach", "--db", db, "new", facts_file, "--now", NOW],
        check=True,
        capture_output=True,
    )
    code = (
        "import json, sys\nfrom breach.cli import main\n"
        f"for args in (['--db', {db!r}, 'list', '--json'],\n"
        f"             ['--db', {db!r}, 'show', 'BR-2026-0001', '--json']):\n"
        "    try:\n        main(args)\n    except SystemExit as end:\n"
        "        assert end.code == 0, (args, end.code)\n"
        "assert 'pydantic' not in sys.modules, 'pydantic was imported'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert '"id":"BR-2026-0001"' in proc.stdout  # the list
    assert '"facts_version": 1' in proc.stdout  # the incident shown
