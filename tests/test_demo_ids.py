"""Demo incidents have ``DEMO-`` ids, for good, in the demo log only: your own log gives
``BR-`` ids, exports of either validate, and an import never mixes the two."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from breach.clock import fixed_clock
from breach.errors import BadInput
from breach.model.export import ID_PATTERN
from breach.service import IncidentLog

from .conftest import NOW, make_facts, run_cli

DEMO_IDS = [f"DEMO-2026-000{n}" for n in range(1, 6)]


def open_log(path: Path, rules) -> IncidentLog:
    return IncidentLog.open(path, rules, fixed_clock(NOW), "tester", record_clock=fixed_clock(NOW))


def demo_log(path: Path, rules) -> IncidentLog:
    log = open_log(path, rules)
    log.create_demo()
    return log


def test_the_demo_gives_demo_ids_and_goes_on_giving_them_when_reopened(tmp_path, rules) -> None:
    with demo_log(tmp_path / "demo.db", rules) as log:
        assert [s["id"] for s in log.summaries(include_closed=True)] == sorted(DEMO_IDS)
        assert log.id_prefix == "DEMO"
    with open_log(tmp_path / "demo.db", rules) as again:  # later, another process
        assert again.incidents.open(make_facts()) == "DEMO-2026-0006"


def test_your_own_log_gives_br_ids(tmp_path, rules) -> None:
    with open_log(tmp_path / "mine.db", rules) as log:
        assert log.id_prefix == "BR"
        assert log.incidents.open(make_facts()) == "BR-2026-0001"
    with open_log(tmp_path / "mine.db", rules) as again:
        assert again.incidents.open(make_facts()) == "BR-2026-0002"


def test_the_demo_is_refused_in_a_log_that_holds_incidents(tmp_path, rules) -> None:
    with open_log(tmp_path / "mine.db", rules) as log:
        log.incidents.open(make_facts())
        with pytest.raises(BadInput, match="already holds incidents"):
            log.create_demo()
        assert log.count() == 1  # nothing of the demo written
        assert log.incidents.open(make_facts()) == "BR-2026-0002"  # and still yours


def test_breach_demo_makes_a_demo_log_whose_export_validates(capsys, tmp_path) -> None:
    code, out, err = run_cli(capsys, "demo")
    assert code == 0, err
    demo = Path(out.strip().removeprefix("demo database ready: "))
    assert demo.parts[-2:] == ("demo", "demo.db")
    target = tmp_path / "demo.json"
    code, _, err = run_cli(capsys, "--db", str(demo), "export", "-o", str(target))
    assert code == 0, err
    document = json.loads(target.read_text(encoding="utf-8"))
    assert sorted(i["id"] for i in document["incidents"]) == DEMO_IDS
    code, schema, _ = run_cli(capsys, "schema", "export")
    assert code == 0
    jsonschema.validate(document, json.loads(schema))
    assert "(BR|DEMO)" in json.dumps(json.loads(schema))  # the schema says so too


@pytest.mark.parametrize("good", ["BR-2026-0001", "DEMO-2026-0001", "DEMO-2026-12345"])
def test_the_id_pattern_takes_both_kinds(good: str) -> None:
    assert re.match(ID_PATTERN, good)


@pytest.mark.parametrize("bad", ["DEMO-26-0001", "demo-2026-0001", "XX-2026-0001", "DEMO2026"])
def test_the_id_pattern_refuses_the_rest(bad: str) -> None:
    assert not re.match(ID_PATTERN, bad)


def export(capsys, db: Path, target: Path) -> Path:
    code, _, err = run_cli(capsys, "--db", str(db), "export", "-o", str(target))
    assert code == 0, err
    return target


def test_a_demo_export_is_refused_by_your_log_in_one_line(capsys, tmp_path, rules) -> None:
    demo_log(tmp_path / "demo.db", rules).close()
    exported = export(capsys, tmp_path / "demo.db", tmp_path / "demo.json")
    with open_log(tmp_path / "mine.db", rules) as mine:
        mine.incidents.open(make_facts())
    code, out, err = run_cli(capsys, "--db", str(tmp_path / "mine.db"), "import", str(exported))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "DEMO-2026-0001 is a demo incident" in err and "demo log" in err
    with open_log(tmp_path / "mine.db", rules) as mine:
        assert [s["id"] for s in mine.summaries(include_closed=True)] == ["BR-2026-0001"]


def test_a_demo_export_goes_into_another_demo_log(capsys, tmp_path, rules) -> None:
    demo_log(tmp_path / "demo.db", rules).close()
    exported = export(capsys, tmp_path / "demo.db", tmp_path / "demo.json")
    with open_log(tmp_path / "other-demo.db", rules) as other:
        other.store.mark_demo()
    code, out, err = run_cli(
        capsys, "--db", str(tmp_path / "other-demo.db"), "import", str(exported), "--json"
    )
    assert code == 0, err
    assert sorted(json.loads(out)["created"]) == DEMO_IDS
    with open_log(tmp_path / "other-demo.db", rules) as other:
        assert other.incidents.open(make_facts()) == "DEMO-2026-0006"


def test_your_export_is_refused_by_the_demo_log(capsys, tmp_path, rules) -> None:
    with open_log(tmp_path / "mine.db", rules) as mine:
        mine.incidents.open(make_facts())
    exported = export(capsys, tmp_path / "mine.db", tmp_path / "mine.json")
    demo_log(tmp_path / "demo.db", rules).close()
    code, _, err = run_cli(capsys, "--db", str(tmp_path / "demo.db"), "import", str(exported))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "BR-2026-0001 is not a demo incident" in err
