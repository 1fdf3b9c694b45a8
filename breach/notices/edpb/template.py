"""The template's fields as the extraction gives them, and how this tool reads its conditions.

Titles, option keys and the mandatory fields come from ``fields.schema.json`` (see its
README). Its conditions are prose (``x-visible-if``, ``x-required-if``): :data:`SHOWN` is
our reading of them, and docs/notices.md lists where it departs from the text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Any

from .sheet import Sheet

SOURCE = (
    "NicklawAI/edpb-breach-notification-assistant, api/breach-notification.schema.json "
    "at 85e03a5 (CC BY 4.0): a third party's field-by-field extraction of the EDPB template"
)
_SCHEMA: dict[str, Any] = json.loads(
    resources.files(__package__).joinpath("fields.schema.json").read_text(encoding="utf-8")
)
_PROPERTIES: dict[str, dict[str, Any]] = _SCHEMA["properties"]


def key(number: int) -> str:
    """The schema's property key of question ``number``: ``field_14``."""
    return f"field_{number}"


#: Every input field's question number, in order.
NUMBERS = sorted(int(name.removeprefix("field_")) for name in _PROPERTIES)
#: Mandatory whenever shown (the schema's ``required``).
REQUIRED = {int(name.removeprefix("field_")) for name in _SCHEMA["required"]}
#: Mandatory under a condition (``x-required-if``), read as "when shown"...
CONDITIONAL = {n for n in NUMBERS if "x-required-if" in _PROPERTIES[key(n)]}
#: ... except these: 10, 11, 25 and 26 are "optional, implement only if required" by an
#: authority; 53's condition ("if 41a") is garbled; 99 may be left out because option b
#: of field 97 also covers "a date to be determined".
OPTIONAL = {10, 11, 25, 26, 53, 99}
#: Answered with a list: field 40 ("allow multiple") and the check-box questions the
#: extraction's authors also read as multi-select (their SCHEMA-NOTE.md).
MULTIPLE = {40, 55, 65, 70, 75, 79, 81, 83, 85, 94}
#: Answered per country, ``{"LU": 1500}``: "approximate number of data subjects per country".
PER_COUNTRY = {117, 122}
#: Lists of authority names: the extraction's option list for them is garbled (one option).
NAMED = {118, 123}

#: Titles shared by several fields ("Contact details*"), told apart for the CLI's list.
LABELS = {
    13: "Contact details of the organisation",
    22: "Contact details of the reporting person",
    31: "Contact details of the DPO",
    36: "Contact details of the contact person",
    41: "Contact details of the other involved party",
}
#: Option texts the extraction ran together with the next option.
OPTION_TEXTS = {
    (89, "c"): "The personal data breach is unlikely to result in a risk to the rights and "
    "freedoms of natural persons",
}


def label(number: int) -> str:
    """A readable label: the template's title without its footnote star."""
    title = LABELS.get(number) or str(_PROPERTIES[key(number)]["title"])
    return " ".join(title.replace("*", "").split())


def option(number: int, code: str) -> str | None:
    """The template's text of option ``code`` of ``number`` (None: not a coded field)."""
    if (number, code) in OPTION_TEXTS:
        return OPTION_TEXTS[number, code]
    options = _PROPERTIES[key(number)].get("x-options") or {}
    text = options.get(code)
    return " ".join(str(text).split()) if text is not None else None


def options(number: int) -> list[str]:
    """The option keys of ``number`` (empty: free text, a number or a date)."""
    return list(_PROPERTIES[key(number)].get("enum") or [])


Rule = Callable[[Sheet], bool]


def _is(number: int, *codes: str) -> Rule:
    return lambda sheet: sheet.has(number, *codes)


def _both(first: Rule, second: Rule) -> Rule:
    return lambda sheet: first(sheet) and second(sheet)


def _not_eea(sheet: Sheet) -> bool:
    return sheet.eea is False


def _one_stop(sheet: Sheet) -> bool:
    return sheet.one_stop_shop


def _dpo_asked(sheet: Sheet) -> bool:
    return not sheet.has(23, "a")


_SUBJECTS_TOLD = _is(97, "a")

#: When a field is shown; any other field always is. A hidden field is left out.
SHOWN: dict[int, Rule] = {
    5: _is(4, "c"),
    6: _is(3, "b"),
    15: _is(14, "a"),
    16: _is(15, "d"),
    18: _not_eea,
    19: _not_eea,  # the extraction gives 19 no condition: it goes with 18
    24: _is(23, "c"),
    29: _dpo_asked,  # not asked again when the reporting person is the DPO
    30: _both(_dpo_asked, _is(29, "yes")),
    31: _both(_dpo_asked, _is(29, "yes")),
    34: _is(33, "c"),  # the extraction gives 34-36 no condition: they describe 33's "Other"
    35: _is(33, "c"),
    36: _is(33, "c"),
    39: _is(38, "a"),
    40: _is(38, "a"),
    41: _is(38, "a"),
    47: _is(44, "a", "b"),
    49: lambda sheet: sheet.late and sheet.has(3, "a"),
    52: _is(50, "b", "c", "d", "e", "f"),
    56: _is(55, "a"),
    57: _is(55, "a"),
    58: _is(55, "b"),
    59: _is(55, "c"),
    68: _is(67, "a", "b"),
    73: _is(72, "a", "b"),
    79: _is(55, "a"),
    80: _is(79, "d"),
    81: _is(55, "b"),
    82: _is(81, "c"),
    83: _is(55, "c"),  # the extraction says "Integrity"; 83 is about availability
    84: _is(83, "c"),
    86: _is(85, "n"),
    98: _SUBJECTS_TOLD,
    99: _is(97, "b"),
    100: _is(97, "e"),
    101: _is(97, "e"),
    102: _SUBJECTS_TOLD,
    103: _is(102, "b"),
    104: _SUBJECTS_TOLD,
    105: _SUBJECTS_TOLD,
    106: _SUBJECTS_TOLD,
    111: lambda sheet: sheet.has(109, "a") or sheet.has(110, "a"),
    113: lambda sheet: sheet.eea is not False,
    114: _one_stop,
    115: _one_stop,
    116: _one_stop,
    117: _one_stop,
    118: _one_stop,
    120: lambda sheet: sheet.eea is not True,
    121: _is(120, "a"),
    122: _is(120, "a"),
    123: _is(120, "a"),
    126: _is(125, "j"),
}
#: Mandatory under a condition of its own, not just when shown.
MANDATORY_IF: dict[int, Rule] = {46: _is(44, "a", "b", "c")}


def shown(number: int, sheet: Sheet) -> bool:
    """Whether the template shows ``number`` given the other answers."""
    rule = SHOWN.get(number)
    return rule is None or rule(sheet)


def mandatory(number: int, sheet: Sheet) -> bool:
    """Whether a shown field must be answered."""
    if number in MANDATORY_IF:
        return MANDATORY_IF[number](sheet)
    return number not in OPTIONAL and (number in REQUIRED or number in CONDITIONAL)
