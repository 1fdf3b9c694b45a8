"""The bad-input corpus: every file through ``assess``, ``new`` and ``update`` (and bad
exports through ``import``) is refused with exit 2 and one line naming the problem, and
the incident log is left exactly as it was."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from breach.store import Store

from ..conftest import run_cli

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).parent / "corpus"
EXPECTED: dict[str, str] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
FACTS = sorted(name for name in EXPECTED if name.startswith("facts-"))
CHANGES = sorted(name for name in EXPECTED if name.startswith("changes-"))
EXAMPLE = ROOT / "examples" / "mixvoip-cdr-exfiltration.json"


def assert_refused(result: tuple[int, str, str], fragment: str) -> None:
    """Exit 2, nothing on stdout, one short line on stderr that names the problem."""
    code, out, err = result
    assert code == 2 and out == "", (code, out, err)
    lines = err.rstrip("\n").split("\n")
    assert len(lines) == 1 and lines[0].startswith("breach: "), err
    assert "Traceback" not in err and len(lines[0]) <= 320, err
    assert fragment in lines[0], (fragment, lines[0])


def state(db: Path) -> tuple[Any, ...]:
    """What a change would move: the audit head and every table's row count."""
    with Store.open(db) as store:
        counts = tuple(
            store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("incidents", "facts_versions", "assessments", "duties", "events",
                          "notices", "audit")
        )  # fmt: skip
        return store.audit_head(), counts


@pytest.fixture
def log(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    db = tmp_path / "log.db"
    code, _, err = run_cli(capsys, "--db", str(db), "new", str(EXAMPLE))
    assert code == 0, err
    return db


def test_the_corpus_is_large_enough() -> None:
    assert len(FACTS) + len(CHANGES) >= 60
    assert {p.name for p in CORPUS.iterdir()} == {*EXPECTED, "expected.json"}


@pytest.mark.parametrize("name", FACTS)
def test_assess_refuses(capsys: pytest.CaptureFixture[str], name: str) -> None:
    assert_refused(run_cli(capsys, "assess", str(CORPUS / name), "--json"), EXPECTED[name])


@pytest.mark.parametrize("name", FACTS)
def test_new_refuses_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], log: Path, tmp_path: Path, name: str
) -> None:
    before = state(log)
    assert_refused(run_cli(capsys, "--db", str(log), "new", str(CORPUS / name)), EXPECTED[name])
    assert state(log) == before
    fresh = tmp_path / "fresh.db"
    assert_refused(run_cli(capsys, "--db", str(fresh), "new", str(CORPUS / name)), EXPECTED[name])
    assert not fresh.exists()  # no empty log left behind


@pytest.mark.parametrize("name", [n for n in FACTS if n.endswith(".bin")] + FACTS[:3])
def test_new_from_stdin_refuses(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, log: Path, name: str
) -> None:
    data = (CORPUS / name).read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    before = state(log)
    result = run_cli(capsys, "--db", str(log), "new", "-")
    assert_refused(result, EXPECTED[name])
    assert "<stdin>" in result[2]
    assert state(log) == before


@pytest.mark.parametrize("name", CHANGES + [n for n in FACTS if "json" in n][:12])
def test_update_refuses_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], log: Path, name: str
) -> None:
    before = state(log)
    result = run_cli(capsys, "--db", str(log), "update", "BR-2026-0001", str(CORPUS / name))
    assert_refused(result, EXPECTED[name])
    assert state(log) == before


def test_an_oversized_file_is_refused_before_parsing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    big = tmp_path / "big.json"
    big.write_text('{"summary": "' + "x" * (5 << 20) + '"}', encoding="utf-8")
    assert_refused(run_cli(capsys, "assess", str(big)), "more than 4 MB")
    near = tmp_path / "near.json"
    near.write_text('{"summary": "' + "x" * (2 << 20) + '"}', encoding="utf-8")
    assert_refused(run_cli(capsys, "assess", str(near)), "at most 1,048,576 are read")


def test_a_non_utf8_argument_is_refused(capsys: pytest.CaptureFixture[str], log: Path) -> None:
    before = state(log)
    note = b"caf\xe9".decode("utf-8", "surrogateescape")  # what Python makes of latin-1 argv
    assert_refused(run_cli(capsys, "--db", str(log), "note", "BR-2026-0001", note), "argument 5")
    assert state(log) == before


def test_a_huge_bad_value_is_not_echoed_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    facts = json.loads(EXAMPLE.read_text())
    facts["role"] = "x" * 3_000_000
    path = tmp_path / "big-role.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    assert_refused(run_cli(capsys, "assess", str(path)), "bytes")
    facts["role"] = "x" * 500_000
    path.write_text(json.dumps(facts), encoding="utf-8")
    assert_refused(run_cli(capsys, "assess", str(path)), "role")


# -- import -------------------------------------------------------------------------------


def _mutations() -> dict[str, tuple[Any, str]]:
    """Bad exports made from a good one: what to change, and what the line must name."""

    def facts(key: str, value: Any) -> Any:
        return lambda d: d["incidents"][0]["facts"].__setitem__(key, value)

    def subjects(key: str, value: Any) -> Any:
        return lambda d: d["incidents"][0]["facts"]["subjects"].__setitem__(key, value)

    return {
        "unknown profile": (facts("organisation", "acme"), "is not a known profile"),
        "country XX": (subjects("countries", ["XX"]), "subjects.countries[0]"),
        "count true": (subjects("count", True), "subjects.count"),
        "count huge": (subjects("count", 10**30), "subjects.count"),
        "detected_at number": (facts("detected_at", 12345), "facts.detected_at"),
        "personal_data yes": (facts("personal_data", "yes"), "facts.personal_data"),
        "aware before detected": (facts("aware_at", "2000-01-01T00:00:00Z"), "aware_at"),
        "schema": (lambda d: d.__setitem__("schema", "breach.export/9"), "schema"),
        "audit head": (lambda d: d.__setitem__("audit_head", {"seq": 1}), "audit_head.hash"),
    }


MUTATIONS = _mutations()
RAW = {
    "infinity": (lambda text: text.replace('"count":12000', '"count":Infinity'), "Infinity"),
    "digits": (lambda text: text.replace('"count":12000', '"count":' + "7" * 5000), "digits"),
    "nested": (lambda text: text.replace('"count":12000', '"count":' + "[" * 5000 + "]" * 5000),
               "nested too deeply"),
}  # fmt: skip


@pytest.fixture
def exported(capsys: pytest.CaptureFixture[str], log: Path, tmp_path: Path) -> str:
    target = tmp_path / "export.json"
    code, _, err = run_cli(capsys, "--db", str(log), "export", "-o", str(target))
    assert code == 0, err
    return target.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", sorted(MUTATIONS))
def test_import_refuses_what_new_refuses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, exported: str, case: str
) -> None:
    change, fragment = MUTATIONS[case]
    data = json.loads(exported)
    change(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    target = tmp_path / "target.db"
    assert_refused(run_cli(capsys, "--db", str(target), "import", str(bad)), fragment)
    assert not target.exists()


@pytest.mark.parametrize("case", sorted(RAW))
def test_import_refuses_what_no_json_reader_keeps(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, log: Path, exported: str, case: str
) -> None:
    change, fragment = RAW[case]
    text = change(exported)
    assert text != exported
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    before = state(log)
    assert_refused(run_cli(capsys, "--db", str(log), "import", str(bad)), fragment)
    assert state(log) == before


def test_import_refuses_latin1(capsys: pytest.CaptureFixture[str], tmp_path: Path, log: Path,
                               exported: str) -> None:  # fmt: skip
    bad = tmp_path / "bad.json"
    bad.write_bytes(exported.replace("CDR", "CDR café").encode("latin-1", "replace"))
    before = state(log)
    assert_refused(run_cli(capsys, "--db", str(log), "import", str(bad)), "not UTF-8")
    assert state(log) == before
