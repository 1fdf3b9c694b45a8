"""The authorities looked up once per rule set: bounded, and never shared by reference."""

from breach import routing
from breach.engine import assess
from breach.rules import load_rules

from ..conftest import NOW, make_facts


def _facts(countries: list[str]):
    return make_facts(
        organisation="mixvoip", subjects={"count": 100, "countries": countries, "kinds": []}
    )


def test_the_route_cache_starts_again_when_full_and_decisions_do_not_change(monkeypatch) -> None:
    rules = load_rules()
    monkeypatch.setattr(routing, "ROUTE_CACHE_SIZE", 2)
    cases = [["LU"], ["BE"], ["DE"], ["LU", "BE"], ["LU"]]
    first = [assess(_facts(c), rules, NOW).dump() for c in cases]
    assert len(rules.route_cache) <= 2
    rules.route_cache.clear()
    rules.plans.clear()  # so that every route is looked up again
    again = [assess(_facts(c), rules, NOW).dump() for c in cases]
    assert first == again


def test_a_caller_changing_its_recipients_does_not_change_the_next_decision() -> None:
    rules = load_rules()
    facts = _facts(["LU", "DE"])
    rule = next(r for r in rules.regimes["eprivacy"].rules if r.duty == "notify_authority")
    countries = ["DE", "LU"]
    targets = routing.country_authorities(rule, "eprivacy", countries, rules)
    expected = list(targets)
    targets.clear()
    assert expected
    assert routing.country_authorities(rule, "eprivacy", countries, rules) == expected
    assert assess(facts, rules, NOW).dump() == assess(facts, load_rules(), NOW).dump()
