"""Thousands of controller customers: the decisive-fact analysis probes with the first one
only, and finds exactly what assessing every customer finds."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import breach.engine.decisive as decisive
from breach.engine import assess
from breach.model import facts_from_data
from breach.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 6, 10, 16, tzinfo=UTC)


def _processor(change: dict[str, Any]) -> dict[str, Any]:
    data = json.loads((ROOT / "examples" / "infra-voip-voicemail-exposed.json").read_text())
    data["controllers"] = [
        {"name": f"Customer {n} B.V.", "contact": f"c{n}@example.com", "notice_hours": 12 + n}
        for n in range(25)
    ]
    return {**data, **change}


def _every_customer(facts: Any, cautious: Any, run: Any) -> Any:
    def answer(field: str | None, value: Any) -> Any:
        alternative = run(value if field is None else decisive.with_answer(facts, field, value))
        return alternative, decisive._required(alternative)

    return answer


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"exfiltration": "unknown", "malicious": None, "personal_data": None},
        {"ecs_data": True, "ecs_position": None, "significant_incident": None},
        {"subjects": {"count": None, "kinds": [], "countries": []}},
        {"role": "controller", "personal_data": None},
    ],
)
def test_the_probe_finds_what_every_customer_finds(
    monkeypatch: pytest.MonkeyPatch, change: dict[str, Any]
) -> None:
    rules = load_rules()
    facts = facts_from_data(_processor(change))
    probed = assess(facts, rules, NOW)
    monkeypatch.setattr(decisive, "_one_customer_probe", _every_customer)
    full = assess(facts, rules, NOW)
    assert probed.decisive == full.decisive and probed.bounds == full.bounds
    if facts.role == "processor":
        assert any(o.duty == "notify_controller" for o in probed.obligations)
