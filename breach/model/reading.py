"""Reading Facts from JSON text, with errors a responder can act on.

Every problem becomes one :class:`InputError` line naming the file, the field or the line:
JSON syntax errors give line and column; validation errors give the field path in plain
words. Times without a UTC offset are refused unless a zone is given (``--tz``).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from ..clock import TimeInputError, attach_zone, isoparse
from ..errors import BadInput
from .facts import Facts
from .problems import first_problem

TIME_FIELDS = ("detected_at", "aware_at")


class InputError(BadInput):
    """Bad input; the message is one line naming the file and field."""


def parse_facts(text: str, source: str = "<stdin>", tz: str | None = None) -> Facts:
    """Parse and validate ``breach.facts/1`` JSON text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{source}:{err.lineno}:{err.colno}: invalid JSON: {err.msg}") from None
    if not isinstance(data, dict):
        raise InputError(f"{source}: expected a JSON object of facts, got {type(data).__name__}")
    return facts_from_data(data, source, tz)


def facts_from_data(data: dict[str, Any], source: str = "<facts>", tz: str | None = None) -> Facts:
    """Validate a facts mapping; naive times take zone ``tz`` or are refused."""
    data = dict(data)
    for name in TIME_FIELDS:
        value = data.get(name)
        if isinstance(value, str):
            data[name] = _with_offset(value, name, source, tz)
    try:
        return Facts.model_validate(data)
    except ValidationError as err:
        raise InputError(f"{source}: field {first_problem(err).line()}") from None


def _with_offset(value: str, name: str, source: str, tz: str | None) -> str:
    try:
        parsed = isoparse(value.strip())
    except (ValueError, OverflowError):
        raise InputError(
            f"{source}: field {name}: {value!r} is not an ISO 8601 time "
            "(e.g. 2026-11-20T14:30:00+01:00)"
        ) from None
    try:
        return attach_zone(parsed, tz, value).isoformat()
    except TimeInputError as err:
        raise InputError(f"{source}: field {name}: {err}") from None
