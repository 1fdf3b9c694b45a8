"""Escaping text that users typed before it reaches a terminal."""

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """Replace control characters (ANSI escapes included) in text users typed."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text)
