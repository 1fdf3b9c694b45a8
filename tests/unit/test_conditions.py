import pytest

from breach.rules.conditions import ConditionError, compile_condition


@pytest.mark.parametrize(
    ("source", "env", "expected"),
    [
        ("role == 'processor'", {"role": "processor"}, True),
        (
            "role != 'processor' and risk in ['risk', 'high']",
            {"role": "controller", "risk": "high"},
            True,
        ),
        ("not a or b", {"a": True, "b": False}, False),
        ("'x' in items", {"items": ["x", "y"]}, True),
        ("'z' not in items", {"items": ["x"]}, True),
        ("n >= 10 and n < 100", {"n": 50}, True),
        ("n > 72", {"n": None}, False),
        ("flag == true", {"flag": True}, True),
        ("value == null", {"value": None}, True),
        ("1 < n < 3", {"n": 2}, True),
    ],
)
def test_conditions_evaluate(source: str, env: dict, expected: bool) -> None:
    assert compile_condition(source).evaluate(env) is expected


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').system('echo hacked')",
        "open('/etc/passwd')",
        "role.upper() == 'X'",
        "items[0] == 'x'",
        "n + 1 > 2",
        "lambda: 1",
        "[x for x in items]",
        "f'{role}'",
    ],
)
def test_anything_beyond_the_whitelist_is_refused(source: str) -> None:
    with pytest.raises(ConditionError):
        compile_condition(source)


def test_unknown_names_fail_at_compile_time_when_names_are_known() -> None:
    with pytest.raises(ConditionError, match="unknown name"):
        compile_condition("rol == 'controller'", frozenset({"role"}))


def test_missing_name_at_evaluation_is_an_error_not_false() -> None:
    condition = compile_condition("risk == 'high'")
    with pytest.raises(ConditionError):
        condition.evaluate({})


def test_syntax_error_is_reported_with_the_condition() -> None:
    with pytest.raises(ConditionError, match="cannot parse"):
        compile_condition("risk == ")
