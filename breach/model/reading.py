"""Reading Facts from JSON text, with errors a responder can act on.

Every problem becomes one :class:`InputError` line naming the file, the field or the line:
JSON syntax errors give line and column; validation errors give the field path in plain
words. Times without a UTC offset are refused unless a zone is given (``--tz``).

JSON is read strictly (:func:`load_json`): the size and the nesting depth are checked
before parsing, and ``NaN``, ``Infinity`` and numbers of more than 20 digits are refused,
so that nothing a JSON parser elsewhere would reject is ever stored.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from ..clock import TimeInputError, attach_zone, isoparse
from ..errors import BadInput
from .facts import Facts
from .problems import first_problem

TIME_FIELDS = ("detected_at", "aware_at")


#: The largest facts (or changes) document read: a real one is a few kilobytes.
MAX_FACTS_BYTES = 1 << 20
#: How deeply objects and lists may nest (facts need 4).
MAX_DEPTH = 32
#: Digits of the longest number read (Python refuses 4,300; no fact needs 20).
MAX_DIGITS = 100


class InputError(BadInput):
    """Bad input; the message is one line naming the file and field."""


class RefusedNumber(ValueError):
    """A number no JSON reader could keep exactly (NaN, Infinity, too many digits)."""

    def __init__(self, message: str, token: str) -> None:
        super().__init__(message)
        self.token = token


def _refuse_constant(name: str) -> Any:
    raise RefusedNumber(f"{name} is not a number JSON allows", name)


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise RefusedNumber(f"the number {text[:12]}… has more than {MAX_DIGITS} digits", text)
    return int(text)


def _real(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise RefusedNumber(f"the number {text[:20]} is too large", text)
    return value


def _where(text: str, token: str) -> str:
    """``line:column`` of the first ``token`` in ``text`` ("" if not found)."""
    index = text.find(token)
    if index < 0:
        return ""
    line = text.count("\n", 0, index) + 1
    return f":{line}:{index - text.rfind(chr(10), 0, index)}"


#: A decoder that refuses what :func:`load_json` refuses (the import reader uses it too).
DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_int=_integer, parse_float=_real)
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')


def load_json(text: str, source: str, max_bytes: int = MAX_FACTS_BYTES) -> Any:
    """Parse JSON ``text`` strictly (see the module docstring); one-line errors."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise InputError(f"{source}: is {size:,} bytes; at most {max_bytes:,} are read")
    depth = 0
    for char in _STRINGS.sub("", text):
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(f"{source}: nested more than {MAX_DEPTH} levels deep")
        elif char in "]}":
            depth -= 1
    try:
        return DECODER.decode(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{source}:{err.lineno}:{err.colno}: invalid JSON: {err.msg}") from None
    except RefusedNumber as err:
        raise InputError(f"{source}{_where(text, err.token)}: invalid JSON: {err}") from None


def parse_facts(text: str, source: str = "<stdin>", tz: str | None = None) -> Facts:
    """Parse and validate ``breach.facts/1`` JSON text."""
    data = load_json(text, source)
    if not isinstance(data, dict):
        raise InputError(f"{source}: expected a JSON object of facts, got {type(data).__name__}")
    return facts_from_data(data, source, tz)


def parse_changes(text: str, source: str) -> dict[str, Any]:
    """Parse the JSON object of facts that changed (``breach update``)."""
    data = load_json(text, source)
    if not isinstance(data, dict):
        raise InputError(f"{source}: expected a JSON object with the facts that changed")
    return data


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
