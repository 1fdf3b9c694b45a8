"""``breach profiles``: listing, add, edit (a fake $EDITOR), versions, and incidents recorded
with a profile of the user's own."""

from __future__ import annotations

import io
import json
import shlex
import sqlite3
import sys
from pathlib import Path

import pytest

from breach.cli import main

from .conftest import BASE_FACTS

NOW = "2026-03-02T12:00:00Z"

ACME_TOML = """\
# Acme's own profile
id = "acme-telecom"
name = "Acme Telecom"
main_establishment = "BE"
ecs_provider = true
gdpr_targeting = false
nis2 = "important"
contact = "dpo@acme.example"
languages = ["fr", "nl"]

[[establishments]]
country = "BE"
entity = "Acme Telecom SRL"

[[inventory]]
label = "Call detail records"
category = "traffic_data"
"""
COUNTRY_LINE = 12  # country = "BE" above

FACTS = {
    **BASE_FACTS,
    "organisation": "acme-telecom",
    "data_categories": ["traffic_data"],
    "ecs_data": True,
    "ecs_position": "provider",
    "subjects": {"count": 500, "kinds": ["customers"], "countries": ["BE"]},
}


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The user's profiles folder, as the conftest's BREACH_HOME places it."""
    return tmp_path / "home" / "config" / "profiles"


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    path = tmp_path / "acme.toml"
    path.write_text(ACME_TOML)
    return path


def add(capsys, path: Path, *more: str) -> tuple[int, str, str]:
    return run(capsys, "profiles", "add", str(path), *more)


def editor(monkeypatch, tmp_path: Path, body: str) -> None:
    """$EDITOR: a Python script given the file to edit as ``path``."""
    script = tmp_path / "fake_editor.py"
    script.write_text(f"import pathlib, sys\npath = pathlib.Path(sys.argv[1])\n{body}\n")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")


def test_add_saves_yours_and_the_listing_says_where_it_comes_from(capsys, acme, folder) -> None:
    code, out, err = add(capsys, acme)
    assert code == 0, err
    saved = folder / "acme-telecom.toml"
    assert out.strip() == f"saved profile acme-telecom version 1: {saved}"
    assert saved.read_text() == ACME_TOML  # as written, comments and all
    code, out, _ = run(capsys, "profiles")
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert "yours, version 1" in lines["acme-telecom"] and lines["mixvoip"].endswith("shipped")
    code, out, _ = run(capsys, "profiles", "--json")
    entries = {e["id"]: e for e in json.loads(out)}
    assert entries["acme-telecom"]["source"] == "user"
    assert entries["acme-telecom"]["path"] == str(saved)
    assert entries["acme-telecom"]["version"] == "1"
    assert entries["mixvoip"]["source"] == "shipped"
    code, out, _ = run(capsys, "profiles", "show", "acme-telecom")
    assert code == 0 and f"yours, version 1: {saved}" in out and "Call detail records" in out


def test_the_shipped_profiles_still_list_and_show(capsys) -> None:
    code, out, _ = run(capsys, "profiles", "mixvoip")
    assert code == 0 and "data inventory" in out and "shipped with the rules" in out
    code, out, _ = run(capsys, "profiles", "mixvoip", "--json")
    assert code == 0 and json.loads(out)["id"] == "mixvoip"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["profiles", "add"], "usage"),
        (["profiles", "edit"], "usage"),
        (["profiles", "one", "two"], "usage"),
        (["profiles", "--replace"], "--replace goes with"),
        (["profiles", "nobody"], "not found"),
        (["profiles", "edit", "nobody"], "no profile 'nobody' of yours"),
    ],
)
def test_usage_errors_exit_2(capsys, args, words) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2 and words in err and "Traceback" not in err


def test_a_bad_field_names_file_line_and_field(capsys, acme, folder) -> None:
    acme.write_text(ACME_TOML.replace('country = "BE"', 'country = "XX"'))
    code, out, err = add(capsys, acme)
    assert code == 2 and out == ""
    assert err.startswith(f"breach: {acme}:{COUNTRY_LINE}: establishments[0].country: 'XX' is")
    assert len(err.strip().splitlines()) == 1
    assert not folder.exists()


def test_syntax_errors_name_the_line(capsys, tmp_path) -> None:
    toml = tmp_path / "p.toml"
    toml.write_text('id = "x"\nname = = "y"\n')
    code, _, err = add(capsys, toml)
    assert code == 2 and f"{toml}: " in err and "line 2" in err
    bad = tmp_path / "p.json"
    bad.write_text('{\n  "id": "x",\n  "name": \n}')
    code, _, err = add(capsys, bad)
    assert code == 2 and f"{bad}:4:1: invalid JSON" in err
    code, _, err = add(capsys, tmp_path / "p.yaml")
    assert code == 2 and "give a .toml or .json file" in err


def test_json_from_stdin(capsys, monkeypatch, folder) -> None:
    text = json.dumps({**json.loads(json.dumps(_acme_data())), "id": "acme-json"}, indent=2)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, out, err = run(capsys, "profiles", "add", "-")
    assert code == 0, err
    assert (folder / "acme-json.json").read_text() == text


def test_a_shipped_profile_is_copied_under_a_new_id(capsys, tmp_path, folder) -> None:
    _, out, _ = run(capsys, "profiles", "mixvoip", "--json")
    copy = tmp_path / "mine.json"
    copy.write_text(out)
    code, _, err = add(capsys, copy)
    assert code == 2 and "'mixvoip' is the id of a shipped profile" in err
    assert f"{copy}:2: id:" in err
    copy.write_text(out.replace('"id": "mixvoip"', '"id": "my-mixvoip"'))
    code, _, err = add(capsys, copy)
    assert code == 0, err
    _, out, _ = run(capsys, "profiles", "my-mixvoip", "--json")
    assert json.loads(out)["name"] == "Mixvoip"


def test_an_existing_id_needs_replace_and_versions_are_kept(capsys, acme, folder) -> None:
    add(capsys, acme)
    acme.write_text(ACME_TOML.replace('nis2 = "important"', 'nis2 = "essential"'))
    code, _, err = add(capsys, acme)
    assert code == 2 and "exists" in err and "--replace" in err
    code, out, err = add(capsys, acme, "--replace", "--json")
    assert code == 0, err
    assert json.loads(out) == {
        "id": "acme-telecom",
        "version": 2,
        "path": str(folder / "acme-telecom.toml"),
        "changed": True,
    }
    history = folder / ".history"
    assert (history / "acme-telecom.1.toml").read_text() == ACME_TOML
    assert "essential" in (history / "acme-telecom.2.toml").read_text()
    code, out, _ = add(capsys, acme, "--replace")
    assert code == 0 and "unchanged: already version 2" in out


def test_an_incident_keeps_the_profile_version_it_was_assessed_with(
    capsys, acme, folder, tmp_path
) -> None:
    add(capsys, acme)
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(FACTS))
    db = str(tmp_path / "log.db")
    code, out, err = run(capsys, "--db", db, "new", str(facts), "--json", "--now", NOW)
    assert code == 0, err
    incident = json.loads(out)["id"]
    _, out, _ = run(capsys, "--db", db, "show", incident, "--json")
    shown = json.loads(out)
    required = {o["id"] for o in shown["obligations"] if o["status"] == "required"}
    assert "eprivacy.notify_authority.BE" in required  # a Belgian telecom provider: 24 h route
    assert shown["decision"]["profile"]["id"] == "acme-telecom"
    assert shown["decision"]["profile"]["version"] == "1"
    assert shown["decision"]["profile"]["source"] == "user"
    # the profile moves to Luxembourg: the next assessment uses version 2, the first stays 1
    acme.write_text(
        ACME_TOML.replace('"BE"', '"LU"').replace('nis2 = "important"', 'nis2 = "essential"')
    )
    assert add(capsys, acme, "--replace")[0] == 0
    change = tmp_path / "change.json"
    change.write_text(json.dumps({"title": "CDR leak, reassessed"}))
    code, _, err = run(capsys, "--db", db, "update", incident, str(change), "--now", NOW)
    assert code == 0, err
    _, out, _ = run(capsys, "--db", db, "show", incident, "--json")
    latest = json.loads(out)["decision"]
    assert latest["profile"]["version"] == "2"
    assert "eprivacy.notify_authority.LU" in {o["id"] for o in latest["obligations"]}
    with sqlite3.connect(db) as con:
        stored = [json.loads(row[0]) for row in con.execute("SELECT decision FROM assessments")]
    assert [d["profile"]["version"] for d in stored] == ["1", "2"]
    assert stored[0]["profile"]["sha256"] != stored[1]["profile"]["sha256"]


def test_edit_with_the_editor_saves_a_new_version(capsys, monkeypatch, acme, folder, tmp_path):
    add(capsys, acme)
    editor(
        monkeypatch,
        tmp_path,
        "path.write_text(path.read_text().replace('Acme Telecom\"', 'Acme\"'))",
    )
    code, out, err = run(capsys, "profiles", "edit", "acme-telecom")
    assert code == 0, err
    assert out.strip() == f"saved profile acme-telecom version 2: {folder / 'acme-telecom.toml'}"
    assert (folder / ".history" / "acme-telecom.1.toml").read_text() == ACME_TOML
    assert 'name = "Acme"' in (folder / "acme-telecom.toml").read_text()
    assert not (folder / ".edit").exists()  # the copy is gone once saved
    _, out, _ = run(capsys, "profiles")
    assert "Acme (BE)" in out and "yours, version 2" in out


def test_visual_wins_over_editor(capsys, monkeypatch, acme, folder, tmp_path) -> None:
    add(capsys, acme)
    editor(monkeypatch, tmp_path, "raise SystemExit(3)")
    monkeypatch.setenv("VISUAL", f"{shlex.quote(sys.executable)} -c pass")
    code, out, _ = run(capsys, "profiles", "edit", "acme-telecom")
    assert code == 0 and "no change" in out
    assert sorted(p.name for p in (folder / ".history").iterdir()) == ["acme-telecom.1.toml"]


def test_an_invalid_edit_keeps_the_previous_version(capsys, monkeypatch, acme, folder, tmp_path):
    add(capsys, acme)
    editor(monkeypatch, tmp_path, "path.write_text(path.read_text().replace('\"BE\"', '\"XX\"'))")
    code, out, err = run(capsys, "profiles", "edit", "acme-telecom")
    copy = folder / ".edit" / "acme-telecom.toml"
    assert code == 2 and out == ""
    assert f"{copy}:{COUNTRY_LINE}: establishments[0].country: 'XX'" in err
    assert "nothing saved: profile acme-telecom stays at version 1" in err
    assert (folder / "acme-telecom.toml").read_text() == ACME_TOML
    assert 'country = "XX"' in copy.read_text()  # the edit is not lost either
    assert sorted(p.name for p in (folder / ".history").iterdir()) == ["acme-telecom.1.toml"]


def test_at_a_terminal_an_invalid_edit_is_reopened(capsys, monkeypatch, acme, folder, tmp_path):
    add(capsys, acme)
    runs = tmp_path / "runs"
    editor(
        monkeypatch,
        tmp_path,
        f"runs = pathlib.Path({str(runs)!r})\n"
        "n = int(runs.read_text()) + 1 if runs.exists() else 1\n"
        "runs.write_text(str(n))\n"
        "text = path.read_text()\n"
        "path.write_text(text.replace('important', 'maybe') if n == 1 else "
        "text.replace('maybe', 'essential'))",
    )

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    code, out, err = run(capsys, "profiles", "edit", "acme-telecom")
    assert code == 0, err
    assert "nis2: 'maybe' is not allowed" in err and "edit it again?" in err
    assert runs.read_text() == "2"  # opened again, then saved
    assert "version 2" in out and "essential" in (folder / "acme-telecom.toml").read_text()


def test_a_failing_editor_changes_nothing(capsys, monkeypatch, acme, folder, tmp_path) -> None:
    add(capsys, acme)
    editor(monkeypatch, tmp_path, "path.write_text('garbage')\nraise SystemExit(1)")
    code, _, err = run(capsys, "profiles", "edit", "acme-telecom")
    assert code == 1 and "the editor exited with status 1; nothing saved" in err
    assert (folder / "acme-telecom.toml").read_text() == ACME_TOML
    monkeypatch.setenv("EDITOR", "no-such-editor-here")
    code, _, err = run(capsys, "profiles", "edit", "acme-telecom")
    assert code == 2 and "cannot start the editor 'no-such-editor-here'" in err


def test_a_shipped_profile_cannot_be_edited(capsys, monkeypatch, tmp_path) -> None:
    editor(monkeypatch, tmp_path, "raise SystemExit('must not run')")
    code, _, err = run(capsys, "profiles", "edit", "mixvoip")
    assert code == 2 and "shipped profile and cannot be edited" in err
    assert "breach profiles mixvoip --json > mine.json" in err


def test_a_broken_profile_of_yours_does_not_stop_the_tool(
    capsys, monkeypatch, folder, tmp_path
) -> None:
    folder.mkdir(parents=True)
    broken = folder / "acme-telecom.toml"
    broken.write_text(ACME_TOML.replace('nis2 = "important"', 'nis2 = "sometimes"'))
    code, out, _ = run(capsys, "profiles")
    assert code == 0 and "mixvoip" in out
    assert f"acme-telecom ! yours, cannot be used: {broken}:7: nis2: 'sometimes'" in out
    code, out, _ = run(capsys, "profiles", "--json")
    assert any(e["id"] == "acme-telecom" and "error" in e for e in json.loads(out))
    code, _, err = run(capsys, "profiles", "acme-telecom")
    assert code == 2 and f"{broken}:7: nis2" in err
    shipped = tmp_path / "shipped.json"
    shipped.write_text(json.dumps({**FACTS, "organisation": "mixvoip"}))
    code, _, err = run(capsys, "assess", str(shipped), "--now", NOW)
    assert code == 0, err  # a command that does not need it keeps working
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(FACTS))
    code, _, err = run(capsys, "assess", str(facts), "--now", NOW)
    assert code == 2 and "your profile 'acme-telecom' cannot be used" in err
    assert f"{broken}:7: nis2" in err
    # and edit opens broken files too: that is how they are fixed
    editor(monkeypatch, tmp_path, "path.write_text(path.read_text().replace('sometimes', 'none'))")
    code, out, err = run(capsys, "profiles", "edit", "acme-telecom")
    assert code == 0, err
    assert "version 2" in out
    assert run(capsys, "assess", str(facts), "--now", NOW)[0] == 0
    assert "sometimes" in (folder / ".history" / "acme-telecom.1.toml").read_text()


def test_a_shipped_id_in_the_folder_is_refused_and_the_shipped_one_used(
    capsys, folder, tmp_path
) -> None:
    folder.mkdir(parents=True)
    (folder / "mixvoip.toml").write_text(ACME_TOML.replace("acme-telecom", "mixvoip"))
    code, out, _ = run(capsys, "profiles")
    assert "mixvoip      ! yours, cannot be used" in out and "id of a shipped profile" in out
    _, out, _ = run(capsys, "profiles", "mixvoip", "--json")
    assert json.loads(out)["name"] == "Mixvoip"


def test_template_is_json_to_start_from(capsys) -> None:
    code, out, _ = run(capsys, "profiles", "template")
    template = json.loads(out)
    assert code == 0 and template["establishments"] == [{"country": "", "entity": ""}]
    assert {"ecs_provider", "nis2", "dpo", "languages", "inventory"} <= set(template)


def _acme_data() -> dict[str, object]:
    import tomllib

    return tomllib.loads(ACME_TOML)
