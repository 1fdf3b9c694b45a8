"""Bounded memos: a value computed once per key, for the caches the engine keeps.

Every cache here holds pure results (the same key always gives an equal value), so
starting one again when it is full never changes an answer, only the time it takes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

V = TypeVar("V")


def remembered(
    memo: dict[Any, Any], key: Hashable, limit: int, build: Callable[..., V], *args: Any
) -> V:
    """``memo[key]``, set to ``build(*args)`` on first use; a memo of ``limit`` entries
    starts again (cleared) before it takes a new one."""
    found: V | None = memo.get(key)
    if found is None:
        if len(memo) >= limit:
            memo.clear()
        found = memo[key] = build(*args)
    return found
