"""TheHive 5 bodies checked against thehive4py 2.x's types (typeguard), and the TLP
numbering of each TheHive release."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typeguard
from thehive4py.types.alert import InputAlert, InputUpdateAlert
from thehive4py.types.case import InputCase, InputUpdateCase
from thehive4py.types.task import InputTask

from breach.errors import BadInput
from breach.export.common import Options
from breach.export.tickets import (
    TLP,
    thehive_alert,
    thehive_alert_update,
    thehive_case,
    thehive_case_update,
)

from .conftest import NOW, run


def check(value: Any, expected: Any) -> None:
    """typeguard on every item of every list (its default looks at the first only)."""
    typeguard.check_type(
        value,
        expected,
        collection_check_strategy=typeguard.CollectionCheckStrategy.ALL_ITEMS,
    )


@pytest.fixture
def incidents(capsys, source_db: Path, tmp_path: Path) -> list[dict[str, Any]]:
    """The fixture's four incidents (open with a duty done, open, closed, processor)."""
    target = tmp_path / "all.json"
    code, _, err = run(capsys, "--db", str(source_db), "export", "-o", str(target), "--now", NOW)
    assert code == 0, err
    found: list[dict[str, Any]] = json.loads(target.read_text(encoding="utf-8"))["incidents"]
    assert [i["status"] for i in found] == ["open", "open", "closed", "open"]
    assert found[3]["role"] == "processor"
    return found


OPTIONS = Options(exported_at=NOW, tlp=TLP["amber+strict"])


def test_case_bodies_are_input_cases(incidents) -> None:
    for incident in incidents:
        case = thehive_case(incident, OPTIONS)
        check(case, InputCase)
        assert case["tasks"]
        for task in case["tasks"]:
            check(task, InputTask)
    closed = thehive_case(incidents[2], OPTIONS)
    assert closed["status"] == "TruePositive" and "impactStatus" not in closed


def test_case_update_bodies_are_input_update_cases(incidents) -> None:
    allowed = {
        "title", "description", "severity", "tags", "flag", "tlp", "pap", "customFields",
        "status", "summary", "impactStatus",
    }  # fmt: skip
    for incident in incidents:
        update = thehive_case_update(incident, OPTIONS)
        check(update, InputUpdateCase)
        assert set(update) <= allowed and "tasks" not in update
    opened, closed = (thehive_case_update(incidents[i], OPTIONS) for i in (1, 2))
    assert opened["status"] == "InProgress" and "impactStatus" not in opened
    assert closed["status"] == "TruePositive" and closed["impactStatus"] == "WithImpact"
    assert closed["summary"]


def test_alert_bodies_are_input_alerts(incidents) -> None:
    for incident in incidents:
        alert = thehive_alert(incident, OPTIONS)
        check(alert, InputAlert)
        assert alert["sourceRef"] == incident["id"] and "tasks" not in alert
        update = thehive_alert_update(incident, OPTIONS)
        check(update, InputUpdateAlert)
        assert "sourceRef" not in update and update["title"] == alert["title"]


def test_the_command_writes_valid_bodies(capsys, source_db) -> None:
    for kind, expected in (("case", InputCase), ("alert", InputAlert)):
        code, out, err = run(
            capsys, "--db", str(source_db), "export", "--format", "thehive", "--kind", kind,
            "--now", NOW,
        )  # fmt: skip
        assert code == 0, err
        for line in out.splitlines():
            check(json.loads(line), expected)


@pytest.mark.parametrize(
    ("version", "level", "number"),
    [
        ("5.2", "clear", 0), ("5.2", "green", 1), ("5.2", "amber", 2),
        ("5.2", "amber+strict", 3), ("5.2", "red", 4),
        ("5.1", "white", 0), ("5.1", "green", 1), ("5.1", "amber", 2), ("5.1", "red", 3),
        ("5.0", "clear", 0), ("5.0", "red", 3),
    ],
)  # fmt: skip
def test_tlp_numbers_follow_the_release(capsys, source_db, version, level, number) -> None:
    code, out, err = run(
        capsys, "--db", str(source_db), "export", "BR-2026-0001", "--format", "thehive",
        "--tlp", level, "--thehive-version", version, "--now", NOW,
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["tlp"] == number


def test_tlp_default_numbering_is_5_2(capsys, source_db) -> None:
    code, out, _ = run(
        capsys, "--db", str(source_db), "export", "BR-2026-0001", "--format", "thehive",
        "--tlp", "red", "--now", NOW,
    )  # fmt: skip
    assert code == 0 and json.loads(out)["tlp"] == 4


@pytest.mark.parametrize("version", ["5.0", "5.1"])
def test_amber_strict_is_refused_before_5_2(capsys, source_db, version) -> None:
    code, out, err = run(
        capsys, "--db", str(source_db), "export", "--format", "thehive",
        "--tlp", "amber+strict", "--thehive-version", version, "--now", NOW,
    )  # fmt: skip
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "amber+strict" in err and "5.2" in err
    with pytest.raises(BadInput, match="5.2"):
        thehive_case({"id": "BR-1"}, Options(exported_at=NOW, tlp=3, thehive_version=version))
