"""The cached validators (breach.contract) validate and serialise exactly as the models do."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from pydantic import BaseModel, ConfigDict, field_validator

from breach import contract
from breach.engine import assess, decide
from breach.inputs import InputError, facts_from_data
from breach.model import Facts

from ..conftest import BASE_FACTS, NOW
from .test_properties import PROPS, RULES, facts_data

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
CASES = sorted((ROOT.parent / "shared" / "cases").glob("*.json"))
# Rebuilt from a pickle, as a command reads them from the cache.
VALIDATORS = contract.Validators(pickle.loads(pickle.dumps(contract.portable_schemas())))


def both_ways(data: dict[str, Any]) -> tuple[Any, Any]:
    """The Decision's JSON data through the pydantic models and through the cached validators."""
    by_models = assess(Facts.model_validate(data), RULES, NOW).dump()
    facts = VALIDATORS.facts(data)
    assert isinstance(facts, contract.Record)
    cached = VALIDATORS.dump_decision(VALIDATORS.decision(decide(facts, RULES, NOW)))
    return by_models, cached


def facts_of(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text())
    return data.get("facts", data)


@pytest.mark.parametrize("path", EXAMPLES + CASES, ids=lambda p: p.stem)
def test_examples_and_cases_decide_the_same(path: Path) -> None:
    by_models, cached = both_ways(facts_of(path))
    assert json.dumps(cached) == json.dumps(by_models)


@PROPS
@given(data=facts_data())
def test_any_valid_facts_decide_the_same(data: dict[str, Any]) -> None:
    by_models, cached = both_ways(data)
    assert json.dumps(cached) == json.dumps(by_models)


@pytest.mark.parametrize(
    "change",
    [
        {"role": "owner"},
        {"colour": "red"},
        {"detected_at": "yesterday"},
        {"aware_at": "2026-03-01T00:00:00+00:00"},
        {"subjects": {"countries": ["Luxembourg"]}},
        {"risk_override": {"level": "high", "justification": "  "}},
        {"controllers": [{"name": ""}]},
        {"organisation": {"id": "x", "name": "X", "main_establishment": "EU1"}},
    ],
    ids=lambda c: next(iter(c)),
)
def test_bad_facts_get_the_same_message(change: dict[str, Any]) -> None:
    data = {**BASE_FACTS, **change}
    messages = []
    for validate in (None, VALIDATORS.facts):
        with pytest.raises(InputError) as caught:
            facts_from_data(data, "f.json", validate=validate)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert messages[0].startswith("f.json: field ")


def test_a_model_with_a_method_cannot_be_cached() -> None:
    class Named(BaseModel):
        model_config = ConfigDict(extra="forbid")
        name: str

        @field_validator("name")
        @classmethod
        def _strip(cls, value: str) -> str:
            return value.strip()

    with pytest.raises(contract.UnportableSchema, match="name"):
        contract._portable(Named.__pydantic_core_schema__, ("Named",), BaseModel)


def test_records_compare_by_their_fields() -> None:
    first, second = VALIDATORS.facts(BASE_FACTS), VALIDATORS.facts(BASE_FACTS)
    assert first == second and first is not second
    assert first.subjects.countries == ["LU"]
    assert first != VALIDATORS.facts({**BASE_FACTS, "title": "other"})


def test_a_damaged_or_disabled_cache_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    from breach import rulecache

    contract.remember()
    assert contract.cached_validators() is not None
    [path] = rulecache.cache_dir().glob("contract-*.pickle")
    path.write_bytes(b"not a pickle")
    assert contract.cached_validators() is None
    path.write_bytes(pickle.dumps({"Facts": {"type": "no-such-schema"}, "Decision": {}}))
    assert contract.cached_validators() is None
    contract.remember()
    monkeypatch.setenv("BREACH_NO_CACHE", "1")
    assert contract.cached_validators() is None
