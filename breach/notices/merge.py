"""Keep a user's edits when a notice is rendered again: a line-based three-way merge.

``base`` is the text the machine generated when the user started editing, ``edited`` the
user's version, ``new`` the text generated now (the facts may have changed). Lines the
user changed are kept; lines only the machine changed are updated; where both changed the
same lines differently the user's version wins and the machine's is reported as a
conflict, so nothing typed by a person is ever silently overwritten.

Lines breach owns (``machine``: the record line at a notice's foot, which names the audit
chain's head as of each rendering) always take the new rendering: an old copy of them in
the user's text is not an edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class Conflict:
    """Lines both the user and the new rendering changed; the user's lines were kept."""

    kept: list[str]
    generated: list[str]


def _matches(a: list[str], b: list[str]) -> dict[int, int]:
    """Line ``i`` of ``a`` -> the line of ``b`` it is matched with."""
    mapping: dict[int, int] = {}
    for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for offset in range(block.size):
            mapping[block.a + offset] = block.b + offset
    return mapping


def merge3(
    base: str, edited: str, new: str, machine: Callable[[str], bool] = lambda line: False
) -> tuple[str, list[Conflict]]:
    """Merge ``edited`` (user) and ``new`` (machine), both derived from ``base``."""
    b, e, n = base.splitlines(True), edited.splitlines(True), new.splitlines(True)
    e = _as_in_base(e, [line for line in b if machine(line)], machine)
    to_e, to_n = _matches(b, e), _matches(b, n)
    sync = [(i, to_e[i], to_n[i]) for i in range(len(b)) if i in to_e and i in to_n]
    sync.append((len(b), len(e), len(n)))
    out: list[str] = []
    conflicts: list[Conflict] = []
    bi = ei = ni = 0
    for sb, se, sn in sync:
        chunk_b, chunk_e, chunk_n = b[bi:sb], e[ei:se], n[ni:sn]
        if chunk_e == chunk_b:
            out.extend(chunk_n)
        elif chunk_n == chunk_b or chunk_e == chunk_n:
            out.extend(chunk_e)
        else:
            out.extend(chunk_e)
            conflicts.append(Conflict(chunk_e, chunk_n))
        if sb < len(b):
            out.append(e[se])
        bi, ei, ni = sb + 1, se + 1, sn + 1
    return "".join(out), conflicts


def _as_in_base(edited: list[str], owned: list[str], machine: Callable[[str], bool]) -> list[str]:
    """The user's lines with breach's own lines as the base had them (in order)."""
    lines, spare = [], iter(owned)
    for line in edited:
        lines.append(next(spare, line) if machine(line) else line)
    return lines
