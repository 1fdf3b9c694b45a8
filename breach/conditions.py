"""A small, safe evaluator for the conditions written in rule files.

A condition is a Python-like boolean expression over named facts, for example
``role != 'processor' and risk in ['risk', 'high']``. It is parsed with :mod:`ast` and only
a whitelist of node kinds is accepted: names, string/number/bool/None literals, lists and
tuples, ``and``/``or``/``not``, comparisons (``== != < <= > >= in not in``). No calls, no
attribute access, no subscripts, no arithmetic: nothing in a rule file can run code.
Conditions are compiled once when the rules load, so a typo fails at load time.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Env = Mapping[str, Any]
_Evaluator = Callable[[Env], Any]
#: A compiled condition's top: gives a bool (see :func:`_build_test`).
_Test = Callable[[Env], bool]

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


class ConditionError(ValueError):
    """A condition could not be parsed, uses something not allowed, or names an unknown fact."""


@dataclass(frozen=True)
class Condition:
    """A compiled condition: call :meth:`evaluate` with the facts environment.

    ``test`` is the compiled function itself: the engine calls it directly, on
    environments that provide every name a rule may use (tests check both), saving a call
    per condition; :meth:`evaluate` adds a clear error for a missing name.
    """

    source: str
    names: frozenset[str]
    test: _Test

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        """Pickle as source text; unpickling compiles it again (closures do not pickle)."""
        return compile_condition, (self.source,)

    def evaluate(self, env: Env) -> bool:
        """Evaluate against ``env``; every name used must be present in it."""
        try:
            return self.test(env)  # compiled by _build_test: already a bool
        except KeyError:
            missing = sorted(self.names - env.keys())
            raise ConditionError(
                f"unknown name(s) {missing} in condition {self.source!r}"
            ) from None


def compile_condition(source: str, known_names: frozenset[str] | None = None) -> Condition:
    """Parse ``source`` into a :class:`Condition`, refusing anything outside the whitelist.

    Args:
        source: the expression text from a rule file.
        known_names: when given, every name in the expression must be one of these.
    """
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as err:
        raise ConditionError(f"cannot parse condition {source!r}: {err.msg}") from None
    names: set[str] = set()
    run = _build_test(tree.body, source, names)
    if known_names is not None:
        unknown = names - known_names
        if unknown:
            raise ConditionError(
                f"condition {source!r} uses unknown name(s) {sorted(unknown)}; "
                f"known: {', '.join(sorted(known_names))}"
            )
    return Condition(source=source, names=frozenset(names), test=run)


def _build(node: ast.expr, source: str, names: set[str]) -> _Evaluator:
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int | float | bool | None):
        value = node.value
        return lambda env: value
    if isinstance(node, ast.Name):
        if node.id in {"true", "false", "null"}:
            literal = {"true": True, "false": False, "null": None}[node.id]
            return lambda env: literal
        name = node.id
        names.add(name)
        return lambda env: env[name]
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        items = [_build(item, source, names) for item in node.elts]
        return lambda env: [item(env) for item in items]
    if isinstance(node, ast.BoolOp):
        parts = [_build(value, source, names) for value in node.values]
        combine = _and if isinstance(node.op, ast.And) else _or
        run = parts[0]
        for part in parts[1:]:
            run = combine(run, part)
        return run

    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        operand = _build(node.operand, source, names)
        return lambda env: not operand(env)
    if isinstance(node, ast.Compare):
        return _build_compare(node, source, names)
    raise ConditionError(
        f"condition {source!r}: {type(node).__name__} is not allowed "
        "(use names, literals, lists, and/or/not and comparisons)"
    )


_LITERAL_NAMES = {"true": True, "false": False, "null": None}


def _build_test(node: ast.expr, source: str, names: set[str]) -> _Test:
    """Like :func:`_build`, for a node whose truth is all that matters: returns a bool.

    Conditions are mostly ``and``/``or``/``not`` over names and comparisons, so these get
    one closure each (``not name`` reads the name itself) and a chain of ``and``/``or`` is
    one loop, instead of a closure per operator and per leaf.
    """
    if isinstance(node, ast.Name) and node.id not in _LITERAL_NAMES:
        name = node.id
        names.add(name)
        return lambda env: bool(env[name])
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        if isinstance(node.operand, ast.Name) and node.operand.id not in _LITERAL_NAMES:
            name = node.operand.id
            names.add(name)
            return lambda env: not env[name]
        operand = _build_test(node.operand, source, names)
        return lambda env: not operand(env)
    if isinstance(node, ast.BoolOp):
        parts = [_build_test(value, source, names) for value in node.values]
        return _all(parts) if isinstance(node.op, ast.And) else _any(parts)
    if isinstance(node, ast.Compare):
        return _build_compare(node, source, names)  # comparisons of plain values are bools
    value = _build(node, source, names)  # a literal or a list: refuses anything else
    if isinstance(node, ast.Constant | ast.Name):
        truth = bool(value({}))
        return lambda env: truth
    return lambda env: bool(value(env))


def _all(parts: list[_Test]) -> _Test:
    """``a and b and …`` over bool-returning parts."""
    if len(parts) == 2:
        return _and(*parts)

    def run(env: Env) -> bool:
        for part in parts:  # noqa: SIM110 (a loop: cheaper than all() over a generator)
            if not part(env):
                return False
        return True

    return run


def _any(parts: list[_Test]) -> _Test:
    """``a or b or …`` over bool-returning parts."""
    if len(parts) == 2:
        return _or(*parts)

    def run(env: Env) -> bool:
        for part in parts:  # noqa: SIM110 (a loop: cheaper than any() over a generator)
            if part(env):
                return True
        return False

    return run


def _and(first: _Evaluator, second: _Evaluator) -> _Evaluator:
    return lambda env: first(env) and second(env)


def _or(first: _Evaluator, second: _Evaluator) -> _Evaluator:
    return lambda env: first(env) or second(env)


def _build_compare(node: ast.Compare, source: str, names: set[str]) -> _Evaluator:
    left = _build(node.left, source, names)
    ops: list[Callable[[Any, Any], bool]] = []
    for op in node.ops:
        compare = _COMPARE.get(type(op))
        if compare is None:
            raise ConditionError(f"condition {source!r}: operator {type(op).__name__} not allowed")
        ops.append(compare)
    rights = [_build(c, source, names) for c in node.comparators]
    if len(ops) == 1:
        fast = _fast_compare(node, ops[0], names)
        return fast or _single_compare(ops[0], left, rights[0])

    def run(env: Env) -> bool:
        current = left(env)
        for compare, right in zip(ops, rights, strict=True):
            value = right(env)
            try:
                if not compare(current, value):
                    return False
            except TypeError:
                return False  # e.g. None < 3: an unknown never satisfies an ordering
            current = value
        return True

    return run


def _single_compare(
    compare: Callable[[Any, Any], bool], left: _Evaluator, right: _Evaluator
) -> _Evaluator:
    def run(env: Env) -> bool:
        try:
            return compare(left(env), right(env))
        except TypeError:
            return False  # e.g. None < 3: an unknown never satisfies an ordering

    return run


def _constant(node: ast.expr) -> tuple[bool, Any]:
    """(True, value) when ``node`` is a literal or a list of literals."""
    if isinstance(node, ast.Constant):
        return True, node.value
    if isinstance(node, ast.List | ast.Tuple | ast.Set) and all(
        isinstance(e, ast.Constant) for e in node.elts
    ):
        return True, [e.value for e in node.elts]  # type: ignore[attr-defined]
    return False, None


def _fast_compare(
    node: ast.Compare, compare: Callable[[Any, Any], bool], names: set[str]
) -> _Evaluator | None:
    """Specialised closures for ``name OP literal`` and ``literal in name`` (the common cases)."""
    right = node.comparators[0]
    is_const, value = _constant(right)
    if (
        isinstance(node.left, ast.Name)
        and node.left.id not in {"true", "false", "null"}
        and is_const
    ):
        name = node.left.id
        names.add(name)
        if isinstance(node.ops[0], ast.Eq):
            return lambda env: env[name] == value
        if isinstance(node.ops[0], ast.NotEq):
            return lambda env: env[name] != value
        if isinstance(node.ops[0], ast.In) and isinstance(value, list):
            members = frozenset(value)

            def member(env: Env) -> bool:
                try:
                    return env[name] in members
                except TypeError:  # an unhashable value is never a member
                    return False

            return member
        if not isinstance(value, list):  # an ordering: name < literal, …

            def ordered(env: Env) -> bool:
                try:
                    return compare(env[name], value)
                except TypeError:
                    return False  # e.g. None < 3: an unknown never satisfies an ordering

            return ordered
        return None
    left_const, literal = _constant(node.left)
    if left_const and isinstance(right, ast.Name) and isinstance(node.ops[0], ast.In | ast.NotIn):
        name = right.id
        names.add(name)
        if isinstance(node.ops[0], ast.In):
            return lambda env: literal in (env[name] or ())
        return lambda env: literal not in (env[name] or ())
    return None
