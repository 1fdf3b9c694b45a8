"""``breach export`` writes breach.export/1 that validates against ``breach schema export``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import jsonschema
import pytest

from breach.cli import build_parser
from breach.export import FORMATS
from breach.service.views import incident_export
from breach.store import Store

from .conftest import NOW, WEIRD, export_file, run


@pytest.fixture(scope="module")
def schema() -> dict:
    from breach.model.export import ExportDocument

    return ExportDocument.model_json_schema(by_alias=True, mode="validation")


def test_schema_command_prints_the_generated_schema(capsys) -> None:
    code, out, _ = run(capsys, "schema", "export")
    printed = json.loads(out)
    assert code == 0 and printed["title"] == "breach.export/1"
    assert printed["$id"].endswith("/export/1")
    assert {"ExportIncident", "Facts", "Decision"} <= set(printed["$defs"])
    jsonschema.Draft202012Validator.check_schema(printed)


def test_export_validates_and_carries_everything(capsys, tmp_path, source_db, schema) -> None:
    data = export_file(capsys, source_db, tmp_path / "out.json")
    jsonschema.validate(data, schema)
    assert data["schema"] == "breach.export/1" and data["exported_at"] == NOW
    ids = [i["id"] for i in data["incidents"]]
    assert ids == ["BR-2026-0001", "BR-2026-0002", "BR-2026-0003", "BR-2026-0004"]
    first, second, third, _ = data["incidents"]
    done = next(o for o in first["obligations"] if o["id"] == "gdpr.notify_authority.LU")
    assert done["done_at"] == "2026-03-02T14:00:00Z" and done["reference"] == "CNPD-42"
    assert second["facts_version"] == 2 and second["facts"]["subjects"]["count"] == 5000
    assert [h["version"] for h in second["facts_history"]] == [1, 2]
    assert second["facts_history"][0]["facts"]["subjects"]["count"] == 50
    assert "facts" not in second["facts_history"][1]
    assert [n["status"] for n in second["notices"]] == ["sent", "draft"]
    assert second["notices"][0]["unknowns"] == ["[TO COMPLETE: count]"]
    assert [e["kind"] for e in second["events"]][-1] == "note"
    assert second["events"][-1]["text"] == WEIRD
    assert third["status"] == "closed" and second["decision"]["schema"] == "breach.decision/1"


def test_the_export_shape_is_the_show_json_shape(capsys, tmp_path, source_db) -> None:
    data = export_file(capsys, source_db, tmp_path / "out.json", "BR-2026-0002")
    (exported,) = data["incidents"]
    with Store.open(source_db) as store:
        shown = json.loads(json.dumps(incident_export(store, "BR-2026-0002")))
    for key, value in shown.items():
        if key == "obligations":
            assert sorted(value, key=lambda d: d["id"]) == exported[key]
        elif key == "facts_history":
            assert [h["version"] for h in value] == [h["version"] for h in exported[key]]
        elif key == "notices":
            assert [{k: n[k] for k in value[0]} for n in exported[key]] == value
        else:
            assert exported[key] == value, key


def test_no_raw_terminal_escapes_in_the_file(capsys, tmp_path, source_db) -> None:
    export_file(capsys, source_db, tmp_path / "out.json")
    raw = (tmp_path / "out.json").read_bytes()
    assert b"\x1b" not in raw and b"\xc2\x9b" not in raw
    assert b"\\u001b" in raw and b"\\u009b" in raw


def test_since_exports_only_what_changed(capsys, tmp_path, source_db, schema) -> None:
    data = export_file(capsys, source_db, tmp_path / "out.json", "--since", "2026-03-02T14:30:00Z")
    jsonschema.validate(data, schema)
    assert [i["id"] for i in data["incidents"]] == ["BR-2026-0003"]
    data = export_file(capsys, source_db, tmp_path / "none.json", "--since", "2030-01-01T00:00:00Z")
    assert data["incidents"] == []


def test_ids_select_incidents_and_unknown_ids_are_refused(capsys, tmp_path, source_db) -> None:
    data = export_file(capsys, source_db, tmp_path / "out.json", "BR-2026-0004", "BR-2026-0001")
    assert [i["id"] for i in data["incidents"]] == ["BR-2026-0004", "BR-2026-0001"]
    code, _, err = run(
        capsys, "--db", str(source_db), "export", "BR-2026-0099", "-o", str(tmp_path / "x.json")
    )
    assert code == 2 and "BR-2026-0099" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.json").exists() and not list(tmp_path.glob(".x.json*"))


def test_stdout_export_and_private_output_file(capsys, tmp_path, source_db) -> None:
    code, out, _ = run(capsys, "--db", str(source_db), "export", "BR-2026-0001", "--now", NOW)
    assert code == 0 and json.loads(out)["incidents"][0]["id"] == "BR-2026-0001"
    export_file(capsys, source_db, tmp_path / "out.json")
    assert (tmp_path / "out.json").stat().st_mode & 0o777 == 0o600


def test_the_cli_offers_every_export_format_and_says_what_each_is() -> None:
    export = _subparser("export")
    [fmt] = [a for a in export._actions if a.dest == "format"]
    assert list(fmt.choices or []) == list(FORMATS)
    assert all(name in (fmt.help or "") for name in FORMATS)


def _subparser(name: str) -> argparse.ArgumentParser:
    parser = build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    found: argparse.ArgumentParser = sub.choices[name]
    return found


def test_empty_database_exports_an_empty_document(capsys, tmp_path: Path, schema) -> None:
    Store.open(tmp_path / "empty.db").close()
    data = export_file(capsys, tmp_path / "empty.db", tmp_path / "out.json")
    jsonschema.validate(data, schema)
    assert data["incidents"] == []
