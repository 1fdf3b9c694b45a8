"""The command line: output, JSON contract, and bad input (exit 2, one line, no traceback)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from breach.cli import main

from .conftest import BASE_FACTS

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run(capsys, *args: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        import io

        stream = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
        monkeypatch.setattr(sys, "stdin", stream)
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


@pytest.fixture
def facts_file(tmp_path: Path) -> Path:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(BASE_FACTS))
    return path


def test_assess_json_is_a_decision(capsys, facts_file) -> None:
    code, out, _ = run(capsys, "assess", str(facts_file), "--json", "--now", "2026-12-01T00:00:00Z")
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "breach.decision/1" and data["assessed_at"] == "2026-12-01T00:00:00Z"


def test_assess_is_reproducible_with_now(capsys, facts_file) -> None:
    first = run(capsys, "assess", str(facts_file), "--json", "--now", "2026-12-01T00:00:00Z")[1]
    second = run(capsys, "assess", str(facts_file), "--json", "--now", "2026-12-01T00:00:00Z")[1]
    assert first == second


def test_assess_readable_table_shows_local_and_utc_deadline(capsys, facts_file) -> None:
    code, out, _ = run(
        capsys,
        "assess",
        str(facts_file),
        "--now",
        "2026-03-03T09:00:00Z",
        "--tz",
        "Europe/Luxembourg",
    )
    assert code == 0
    assert "[REQUIRED] notify authority" in out
    assert "Thu 05 Mar 2026 10:00 CET" in out and "2026-03-05T09:00:00Z UTC" in out
    assert "48 h 0 m left" in out or "2 d 0 h left" in out
    assert "Severity (ENISA 2013" in out and "SE = " in out


def test_assess_reads_stdin(capsys, monkeypatch) -> None:
    code, out, _ = run(
        capsys,
        "assess",
        "-",
        "--json",
        "--now",
        "2026-12-01T00:00:00Z",
        stdin=json.dumps(BASE_FACTS),
        monkeypatch=monkeypatch,
    )
    assert code == 0 and json.loads(out)["risk"]


def test_typed_text_is_escaped_on_the_terminal(capsys, tmp_path) -> None:
    path = tmp_path / "f.json"
    path.write_text(json.dumps({**BASE_FACTS, "title": "evil \x1b[31mred\x1b[0m"}))
    out = run(capsys, "assess", str(path), "--now", "2026-12-01T00:00:00Z")[1]
    assert "\x1b" not in out


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"role": "owner"}, "field role: 'owner' is not allowed"),
        (
            {"detected_at": "2026-03-02T09:00:00"},
            "field detected_at: '2026-03-02T09:00:00' has no UTC offset",
        ),
        ({"detected_at": "yesterday"}, "field detected_at: 'yesterday' is not an ISO 8601 time"),
        ({"subjects": {"count": -3}}, "field subjects.count:"),
        ({"colour": "red"}, "field colour: is not a known field"),
        ({"organisation": "nobody"}, "field organisation: 'nobody' is not a known profile"),
        ({"aware_at": "2026-03-01T00:00:00Z"}, "field aware_at: is before detected_at"),
    ],
)
def test_bad_facts_exit_2_with_one_line(capsys, tmp_path, change, expected) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**BASE_FACTS, **change}))
    code, out, err = run(capsys, "assess", str(path), "--now", "2026-12-01T00:00:00Z")
    assert code == 2 and out == ""
    assert expected in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_missing_required_field(capsys, tmp_path) -> None:
    data = dict(BASE_FACTS)
    del data["role"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    code, _, err = run(capsys, "assess", str(path))
    assert code == 2 and "field role: is required but missing" in err


def test_naive_time_accepted_with_tz(capsys, tmp_path) -> None:
    path = tmp_path / "f.json"
    path.write_text(
        json.dumps(
            {**BASE_FACTS, "detected_at": "2026-03-02T09:00:00", "aware_at": "2026-03-02T10:00:00"}
        )
    )
    code, out, _ = run(
        capsys,
        "assess",
        str(path),
        "--json",
        "--tz",
        "Europe/Luxembourg",
        "--now",
        "2026-12-01T00:00:00Z",
    )
    assert code == 0
    due = next(o for o in json.loads(out)["obligations"] if o["duty"] == "notify_authority")[
        "due_at"
    ]
    assert due == "2026-03-05T09:00:00Z"


def test_invalid_json_names_line_and_column(capsys, tmp_path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "role": "controller",\n  oops\n}')
    code, _, err = run(capsys, "assess", str(path))
    assert code == 2 and f"{path}:3:" in err


@pytest.mark.parametrize(
    "args",
    [
        ["assess", "missing"],
        ["assess", "x", "--now", "tomorrow"],
        ["assess", "x", "--tz", "Mars/Olympus"],
        ["schema", "nothing"],
        ["authorities", "ZZ"],
        ["profiles", "nobody"],
    ],
)
def test_other_bad_input_exit_2(capsys, args, facts_file) -> None:
    missing = str(facts_file.with_name("no-such-facts.json"))
    args = [str(facts_file) if a == "x" else missing if a == "missing" else a for a in args]
    code, _, err = run(capsys, *args)
    assert code == 2 and "Traceback" not in err and err.strip()


def test_schema_facts_and_decision(capsys) -> None:
    facts = json.loads(run(capsys, "schema", "facts")[1])
    assert "detected_at" in facts["properties"] and "role" in facts["required"]
    decision = json.loads(run(capsys, "schema", "decision")[1])
    assert "obligations" in decision["properties"]


def test_rules_check_ok_and_broken(capsys, tmp_path) -> None:
    code, out, _ = run(capsys, "rules", "check")
    assert code == 0 and out.startswith("ok:")
    broken = tmp_path / "rules"
    import shutil

    from breach.rules import rules_dir

    shutil.copytree(rules_dir(), broken)
    (broken / "risk.toml").write_text(
        (broken / "risk.toml").read_text().replace("high_threshold = 3.0", "high_threshold = 'x'")
    )
    code, _, err = run(capsys, "rules", "check", str(broken))
    assert code == 2 and "risk.toml:" in err and "high_threshold" in err


def test_authorities_and_profiles_listing(capsys) -> None:
    code, out, _ = run(capsys, "authorities", "LU")
    assert code == 0 and "LU" in out
    code, out, _ = run(capsys, "profiles")
    assert code == 0 and "mixvoip" in out
    code, out, _ = run(capsys, "profiles", "mixvoip")
    assert code == 0 and "data inventory" in out


def test_examples_in_the_repo_assess(capsys) -> None:
    examples = sorted(EXAMPLES.glob("*.json"))
    assert len(examples) >= 4
    for path in examples:
        code, out, err = run(capsys, "assess", str(path), "--json", "--now", "2026-12-01T00:00:00Z")
        assert code == 0, err
        decision = json.loads(out)
        assert decision["schema"] == "breach.decision/1"
        assert any(o["status"] == "required" for o in decision["obligations"]), path.name


def test_real_process_prints_no_traceback(tmp_path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("[]")
    proc = subprocess.run(
        [sys.executable, "-m", "breach", "assess", str(path)], capture_output=True, text=True
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "expected a JSON object" in proc.stderr


def test_an_internal_error_is_one_line_unless_debugging(capsys, monkeypatch, facts_file) -> None:
    from breach.service import rulebook

    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(rulebook, "assess", broken)
    code, out, err = run(capsys, "assess", str(facts_file))
    assert code == 1 and err.strip().splitlines() == [
        "breach: internal error (RuntimeError: boom); BREACH_DEBUG=1 shows where"
    ]
    monkeypatch.setenv("BREACH_DEBUG", "1")
    with pytest.raises(RuntimeError, match="boom"):
        main(["assess", str(facts_file)])
