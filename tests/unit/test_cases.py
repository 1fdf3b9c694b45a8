"""The worked cases: ../shared/cases (when present) and tests/data/edpb_examples."""

import json
from datetime import datetime
from pathlib import Path

import pytest

from breach.engine import assess
from breach.model import facts_from_data

from ..conftest import NOW

HERE = Path(__file__).resolve().parents[1]
SHARED = HERE.parents[1] / "shared" / "cases"
CASES = sorted((HERE / "data" / "edpb_examples").glob("*.json"))
if SHARED.is_dir():
    CASES += sorted(SHARED.glob("*.json"))


def _t(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def check(decision, expect):
    """The same comparison as shared/tools/check_cases.py."""
    problems = []

    def required(key):
        regime, duty = key.split("/")
        return [
            o
            for o in decision.obligations
            if o.regime == regime and o.duty == duty and o.status == "required"
        ]

    for key, want in expect.items():
        if key == "risk":
            if decision.risk != want:
                problems.append(f"risk {decision.risk} != {want}")
        elif "@due" in key:
            if not any(o.due_at == _t(want) for o in required(key.split("@")[0])):
                problems.append(f"{key} != {want}")
        elif "#countries" in key:
            got = {o.recipient.country for o in required(key.split("#")[0]) if o.recipient}
            if not set(want) <= got:
                problems.append(f"{key}: {got}")
        elif "#n" in key:
            if len(required(key.split("#")[0])) != want:
                problems.append(key)
        elif bool(required(key)) != want:
            problems.append(f"{key} should be {want}")
    return problems


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_worked_case_agrees(rules, path: Path) -> None:
    case = json.loads(path.read_text())
    decision = assess(facts_from_data(case["facts"], str(path)), rules, NOW)
    assert check(decision, case["expect"]) == []
