"""Reason texts of rule files: ``{name}`` placeholders, checked on load, filled on use."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of a reason text."""
    return set(_PLACEHOLDER.findall(text))


def check_template(text: str, known: frozenset[str]) -> str:
    """Refuse ``{name}`` placeholders in reason text that are not known names."""
    unknown = placeholders(text) - known
    if unknown:
        raise ValueError(f"unknown placeholder(s) {sorted(unknown)} in {text!r}")
    return text


def fill_template(text: str, env: Mapping[str, Any], extra: Mapping[str, Any] | None = None) -> str:
    """Replace each ``{name}`` with its value from ``extra`` or ``env`` (lists comma-joined).

    A name in neither is a :class:`KeyError`: rule files may use only names the decision
    environment provides (``check_template``), so a missing one is a bug to show, not a blank.
    """

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        found = extra[name] if extra and name in extra else env[name]
        if isinstance(found, list | tuple | set | frozenset):
            return ", ".join(str(v) for v in found) or "none"
        return str(found)

    return _PLACEHOLDER.sub(value, text)
