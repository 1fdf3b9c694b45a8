"""Validated parts reused between decisions (model.decision_from_data) change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from pydantic import ValidationError

from breach import model
from breach.engine import decide
from breach.model import Decision, Facts, decision_from_data
from breach.risk import enisa_severity, risk_env, severity_with_step

from ..conftest import NOW
from .test_properties import PROPS, RULES, facts_data


@PROPS
@given(data=facts_data())
def test_reused_parts_give_the_decision_a_full_validation_gives(data: dict[str, Any]) -> None:
    facts = Facts.model_validate(data)
    reused = decision_from_data(decide(facts, RULES, NOW))  # the memo is warm from earlier runs
    fresh = Decision.model_validate(decide(facts, RULES, NOW))
    assert reused == fresh
    assert reused.model_dump_json() == fresh.model_dump_json()


def test_parts_are_shared_and_immutable(facts_factory: Any) -> None:
    facts = facts_factory(confidentiality="none", exfiltration="none", integrity="recoverable")
    first = decision_from_data(decide(facts, RULES, NOW))
    second = decision_from_data(decide(facts, RULES, NOW))
    undue = [
        (a, b)
        for a, b in zip(first.obligations, second.obligations, strict=True)
        if a.due_at is None
    ]
    assert undue and all(a is b for a, b in undue)
    assert all(a is b for a, b in zip(first.trace, second.trace, strict=True))
    with pytest.raises(ValidationError):
        first.obligations[0].reason = "changed"  # type: ignore[misc]


def test_the_memo_is_bounded(monkeypatch: pytest.MonkeyPatch, facts_factory: Any) -> None:
    monkeypatch.setattr(model, "REUSED_PARTS", 3)
    monkeypatch.setattr(model, "_reused", {})
    for count in range(20):
        decision_from_data(decide(facts_factory(subjects={"count": count + 1}), RULES, NOW))
    assert model._reused and all(len(memo) <= 3 for memo in model._reused.values())


def test_bad_data_is_still_refused() -> None:
    data = decide(Facts.model_validate({**_minimal(), "role": "controller"}), RULES, NOW)
    data["obligations"][0] = {**data["obligations"][0], "due_at": None, "status": "maybe"}
    with pytest.raises(ValidationError, match="status"):
        decision_from_data(data)


def _minimal() -> dict[str, Any]:
    return {
        "organisation": "mixvoip",
        "detected_at": "2026-03-02T09:00:00+01:00",
        "confidentiality": "none",
    }


@PROPS
@given(data=facts_data())
def test_a_remembered_severity_is_the_one_computed_afresh(data: dict[str, Any]) -> None:
    facts = Facts.model_validate(data)
    env, _ = risk_env(facts, RULES.risk)
    severity, step = severity_with_step(facts, env, RULES.risk)  # warm from earlier examples
    assert severity == enisa_severity(facts, env, RULES.risk)
    assert step == {
        "rule": "risk.enisa",
        "result": severity["band"],
        "because": "; ".join(severity["breakdown"]),
    }
