"""One line for a pydantic validation error: where (the field path) and what is wrong.

Facts, rule files and imported exports all report their first problem through
:func:`first_problem`, so a responder reads the same words whatever the file.
"""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

from pydantic import ValidationError

#: A field name; anything else in a location (``str``, ``Organisation``,
#: ``function-after[…]``) names a branch of a union, not a field.
_FIELD = re.compile(r"^[a-z_][a-z0-9_]*$")
_TYPE_TAGS = {"str", "int", "float", "bool", "none", "dict", "list"}


class Problem(NamedTuple):
    """The first problem of a validation error."""

    #: the location, without the tags pydantic adds for the branches of a union
    loc: tuple[int | str, ...]
    #: pydantic's error type (``missing``, ``literal_error``, …)
    kind: str
    what: str
    #: how many other problems the error holds
    others: int

    @property
    def path(self) -> str:
        """``subjects.countries[1]``: the location as a reader writes it."""
        path = ""
        for part in self.loc:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
        return path

    def line(self, prefix: str = "") -> str:
        """``prefix`` + ``path: what`` (and how many more)."""
        where = f"{prefix}.{self.path}" if prefix and self.path else prefix or self.path
        more = f" (and {self.others} more problem{'s' if self.others > 1 else ''})"
        return f"{where or '(document)'}: {self.what}{more if self.others else ''}"


def first_problem(err: ValidationError) -> Problem:
    """The most specific of the first field's problems, in plain words."""
    errors = err.errors(include_url=False)
    first = errors[0]
    # a union reports one error per branch: the deepest one says what is really wrong
    same_field = [e for e in errors if e["loc"][:1] == first["loc"][:1]]
    chosen = max(same_field, key=lambda e: len(_fields(e["loc"])))
    others = len(errors) - len(same_field)
    return Problem(_fields(chosen["loc"]), chosen["type"], _words(chosen), others)


def _fields(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    return tuple(p for p in loc if isinstance(p, int) or (_FIELD.match(p) and p not in _TYPE_TAGS))


def _words(error: Any) -> str:
    kind, given = error["type"], error.get("input")
    if kind == "missing":
        return "is required but missing"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return "is not a known field here (check its spelling)"
    if kind == "literal_error":
        return (
            f"{_shown(given)} is not allowed; use one of {error.get('ctx', {}).get('expected', '')}"
        )
    if kind == "string_pattern_mismatch":
        return f"{_shown(given)} is not in the expected form"
    if kind.startswith(("timezone", "datetime")):
        return f"{_shown(given)} must be an ISO 8601 time with a UTC offset"
    ctx = {k: _number(v) for k, v in error.get("ctx", {}).items()}
    if kind in _PLAIN:
        return f"{_PLAIN[kind].format(**ctx)} (got {_shown(given)})"
    if kind in ("string_too_long", "too_long"):
        size = len(given) if isinstance(given, str | list | dict) else "more"
        unit = "characters" if kind == "string_too_long" else "items"
        return f"is too long: at most {ctx.get('max_length')} {unit} (got {size})"
    what = str(error["msg"]).removeprefix("Value error, ")
    shown = given is None or isinstance(given, dict | list)
    if not shown and repr(given) not in what and _shown(given) not in what:
        what += f" (got {_shown(given)})"
    return what


#: Pydantic's words for a wrong type or bound, in the words of a JSON file's reader.
_PLAIN = {
    "bool_type": "must be true, false or null",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "finite_number": "must be a finite number",
    "string_type": "must be text in double quotes",
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "must be at most {le}",
    "list_type": "must be a list [...]",
    "string_too_short": "must not be empty",
    "dict_type": "must be an object {{...}}",
    "model_type": "must be an object {{...}}",
}


def _number(value: Any) -> Any:
    """10000000000 as 10,000,000,000 and 0.0 as 0; anything else as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
        return f"{int(value):,}"
    return value


def _shown(value: Any, limit: int = 80) -> str:
    """The value as the file wrote it (JSON for numbers, true/false/null; text quoted),
    cut to ``limit`` characters: a huge bad value is not echoed whole."""
    if isinstance(value, bool | int | float) or value is None:
        text = "NaN" if value != value else json.dumps(value)
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
