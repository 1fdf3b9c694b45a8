"""Escaping text that users typed before it reaches a terminal."""

from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """Replace control characters (ANSI escapes included) in text users typed."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text)


def clean(text: str) -> str:
    """User text with line endings normalised and control characters (ANSI) replaced."""
    return terminal_safe(text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_data(value: Any) -> Any:
    """:func:`clean` applied to every string inside JSON-like data (dicts, lists)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {k: clean_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_data(v) for v in value]
    return value
