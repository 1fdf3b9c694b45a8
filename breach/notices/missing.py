"""A fact not yet known, as a notice prints it: the marker of the notice's language."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from markupsafe import Markup

from .safe import MARKER, clean

#: The marker of the notice being rendered (set by the renderer for its language).
current_marker: ContextVar[str] = ContextVar("current_marker", default=MARKER)


class Missing:
    """A fact not yet known: falsy, iterates as empty, prints as the marker, lists its label."""

    __slots__ = ("label",)

    def __init__(self, label: str) -> None:
        self.label = label

    def __bool__(self) -> bool:
        return False

    def __iter__(self) -> Any:
        return iter(())

    def __str__(self) -> str:
        return current_marker.get()

    def __repr__(self) -> str:
        return f"Missing({self.label!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Missing) and other.label == self.label

    def __hash__(self) -> int:
        return hash(self.label)


def known(value: Any, label: str) -> Any:
    """``value`` cleaned if known (non-empty), else :class:`Missing` with ``label``."""
    if value is None or value == "" or value == []:
        return Missing(label)
    if isinstance(value, Markup):  # generated (dates, numbers): already safe
        return value
    if isinstance(value, str):
        return clean(value)
    return value
