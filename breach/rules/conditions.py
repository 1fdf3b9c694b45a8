"""A small, safe evaluator for the conditions written in rule files.

A condition is a Python-like boolean expression over named facts, for example
``role != 'processor' and risk in ['risk', 'high']``. It is parsed with :mod:`ast` and only
a whitelist of node kinds is accepted: names, string/number/bool/None literals, lists and
tuples, ``and``/``or``/``not``, comparisons (``== != < <= > >= in not in``). No calls, no
attribute access, no subscripts, no arithmetic: nothing in a rule file can run code.
Conditions are compiled when the rules load, so a typo fails at load time.

An unknown value never satisfies an ordering (``None < 3`` is false), and membership in an
unknown (``'x' in None``) is false.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Env = Mapping[str, Any]
_Evaluator = Callable[[Env], Any]

_LITERALS = {"true": True, "false": False, "null": None}


def _contains(item: Any, container: Any) -> bool:
    return container is not None and item in container


_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: _contains,
    ast.NotIn: lambda a, b: not _contains(a, b),
}


class ConditionError(ValueError):
    """A condition could not be parsed, uses something not allowed, or names an unknown fact."""


@dataclass(frozen=True)
class Condition:
    """A compiled condition: call :meth:`evaluate` with the facts environment."""

    source: str
    names: frozenset[str]
    run: _Evaluator

    def evaluate(self, env: Env) -> bool:
        """Evaluate against ``env``; every name used must be present in it."""
        try:
            return bool(self.run(env))
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
    run = _build(tree.body, source, names)
    if known_names is not None and names - known_names:
        raise ConditionError(
            f"condition {source!r} uses unknown name(s) {sorted(names - known_names)}; "
            f"known: {', '.join(sorted(known_names))}"
        )
    return Condition(source=source, names=frozenset(names), run=run)


def _build(node: ast.expr, source: str, names: set[str]) -> _Evaluator:
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int | float | bool | None):
        value = node.value
        return lambda env: value
    if isinstance(node, ast.Name):
        if node.id in _LITERALS:
            literal = _LITERALS[node.id]
            return lambda env: literal
        name = node.id
        names.add(name)
        return lambda env: env[name]
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        items = [_build(item, source, names) for item in node.elts]
        return lambda env: [item(env) for item in items]
    if isinstance(node, ast.BoolOp):
        parts = [_build(value, source, names) for value in node.values]
        if isinstance(node.op, ast.And):
            return lambda env: all(part(env) for part in parts)
        return lambda env: any(part(env) for part in parts)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        operand = _build(node.operand, source, names)
        return lambda env: not operand(env)
    if isinstance(node, ast.Compare):
        return _build_compare(node, source, names)
    raise ConditionError(
        f"condition {source!r}: {type(node).__name__} is not allowed "
        "(use names, literals, lists, and/or/not and comparisons)"
    )


def _build_compare(node: ast.Compare, source: str, names: set[str]) -> _Evaluator:
    left = _build(node.left, source, names)
    ops: list[Callable[[Any, Any], bool]] = []
    for op in node.ops:
        compare = _COMPARE.get(type(op))
        if compare is None:
            raise ConditionError(f"condition {source!r}: operator {type(op).__name__} not allowed")
        ops.append(compare)
    rights = [_build(c, source, names) for c in node.comparators]

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
