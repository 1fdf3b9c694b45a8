"""Reading Facts from JSON text, with errors a responder can act on.

Every problem becomes one :class:`InputError` line naming the file, the field or the line:
JSON syntax errors give line and column; validation errors give the field path in plain
words. Times without a UTC offset are refused unless a zone is given (``--tz``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic_core import ValidationError  # pydantic's own, without importing pydantic

from .clock import TimeInputError, attach_zone, isoparse
from .errors import BadInput

if TYPE_CHECKING:
    from .model import Facts

#: Validates facts data: ``Facts.model_validate`` or a cached validator (breach.contract).
FactsValidator = Callable[[dict[str, Any]], "Facts"]

TIME_FIELDS = ("detected_at", "aware_at")


class InputError(BadInput):
    """Bad input; the message is one line naming the file and field."""


def parse_facts(
    text: str,
    source: str = "<stdin>",
    tz: str | None = None,
    validate: FactsValidator | None = None,
) -> Facts:
    """Parse and validate ``breach.facts/1`` JSON text (with ``validate``, if given)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{source}:{err.lineno}:{err.colno}: invalid JSON: {err.msg}") from None
    if not isinstance(data, dict):
        raise InputError(f"{source}: expected a JSON object of facts, got {type(data).__name__}")
    return facts_from_data(data, source, tz, validate)


def facts_from_data(
    data: dict[str, Any],
    source: str = "<facts>",
    tz: str | None = None,
    validate: FactsValidator | None = None,
) -> Facts:
    """Validate a facts mapping; naive times take zone ``tz`` or are refused."""
    data = dict(data)
    for name in TIME_FIELDS:
        value = data.get(name)
        if isinstance(value, str):
            data[name] = _with_offset(value, name, source, tz)
    if validate is None:
        from .model import Facts

        validate = Facts.model_validate
    try:
        return validate(data)
    except ValidationError as err:
        raise InputError(f"{source}: {plain_error(err)}") from None


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


def plain_error(err: ValidationError) -> str:
    """The first validation error as "field X: what is wrong" in plain words."""
    first = err.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "(document)"
    kind = first["type"]
    given = first.get("input")
    if kind == "missing":
        what = "is required but missing"
    elif kind == "extra_forbidden":
        what = "is not a known field (check the spelling against `breach schema facts`)"
    elif kind == "literal_error":
        allowed = first.get("ctx", {}).get("expected", "")
        what = f"{given!r} is not allowed; use one of {allowed}"
    elif kind in (
        "timezone_aware",
        "datetime_from_date_parsing",
        "datetime_parsing",
        "datetime_type",
    ):
        what = f"{given!r} must be an ISO 8601 time with a UTC offset"
    else:
        what = str(first["msg"]).removeprefix("Value error, ")
        if given is not None and not isinstance(given, dict | list):
            what += f" (got {given!r})"
    extra = len(err.errors()) - 1
    more = f" (and {extra} more problem{'s' if extra > 1 else ''})" if extra else ""
    return f"field {field}: {what}{more}"
