"""Finding ``decision_rules/`` and reading it: every file validated, errors with file and line.

Nothing is cached between processes: a command validates the files it is given, so an edit
is always seen (a legal tool must never apply yesterday's rules).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import BadInput
from ..model import first_problem, load_json
from .directory import AuthorityDirectory, Profile
from .regimes import Regime, Rule
from .risk_model import RiskModel
from .ruleset import ProfileOrigin, RuleSet, RulesetFile

RULES_ENV = "BREACH_RULES_DIR"
M = TypeVar("M", bound=BaseModel)
#: The formats a rule or profile file may be written in.
Format = Literal["toml", "json"]


class RuleFileError(BadInput):
    """A rule file is invalid; the message names the file and line."""


def rules_dir(explicit: str | Path | None = None) -> Path:
    """``decision_rules/``: the folder given, else the packaged copy, else the checkout's.

    (``--rules`` and ``BREACH_RULES_DIR`` reach here through :mod:`breach.settings`.)
    """
    if explicit:
        return Path(explicit)
    packaged = Path(__file__).parent.with_name("decision_rules")  # inside an installed wheel
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "decision_rules"


def load_rules(directory: str | Path | None = None) -> RuleSet:
    """Load and validate every rule file; raise :class:`RuleFileError` naming file and line."""
    root = rules_dir(directory)
    if not root.is_dir():
        raise RuleFileError(f"{root}: rules directory not found (check --rules or {RULES_ENV})")
    regimes = _each(root / "regimes", Regime, "regime")
    authorities = load_file(root / "authorities.toml", AuthorityDirectory)
    _check_versions([rule for regime in regimes.values() for rule in regime.rules], root)
    _check_unique([a.id for a in authorities.authorities], root / "authorities.toml")
    settings = load_file(root / "ruleset.toml", RulesetFile)
    profiles = _each(root / "profiles", Profile, "profile")
    return RuleSet(
        settings=settings,
        regimes=regimes,
        risk=load_file(root / "risk.toml", RiskModel),
        authorities=authorities,
        profiles=profiles,
        directory=str(root),
        origins={
            key: _shipped(root / "profiles" / f"{key}.toml", settings.version) for key in profiles
        },
    )


def _shipped(path: Path, version: str) -> ProfileOrigin:
    return ProfileOrigin(
        source="shipped", path=str(path), version=version, sha256=file_sha256(path)
    )


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _each(folder: Path, model: type[M], what: str) -> dict[str, M]:
    """Every ``*.toml`` of ``folder``, by id; each id must equal its file's name."""
    found: dict[str, M] = {}
    for path in sorted(folder.glob("*.toml")):
        item = load_file(path, model)
        if getattr(item, "id", None) != path.stem:
            raise RuleFileError(
                f"{path}:1: {what} id {getattr(item, 'id', None)!r} must equal the file name"
            )
        found[path.stem] = item
    return found


def load_file(path: Path, model: type[M]) -> M:
    """One TOML file validated as ``model``; :class:`RuleFileError` names file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise RuleFileError(f"{path}: cannot read ({err.strerror})") from None
    return load_text(text, str(path), model)


def load_text(text: str, source: str, model: type[M], fmt: Format = "toml") -> M:
    """TOML or JSON ``text`` validated as ``model``; the error is one line naming
    ``source``, the line and the field (``p.toml:12: establishments[0].country: …``)."""
    data = parse_text(text, source, fmt)
    try:
        return model.model_validate(data)
    except ValidationError as err:
        problem = first_problem(err)
        where = problem.path or "(file)"
        line = locate(text, problem.loc) if fmt == "toml" else locate_json(text, problem.loc)
        raise RuleFileError(f"{source}:{line}: {where}: {problem.what}") from None


def parse_text(text: str, source: str, fmt: Format = "toml") -> dict[str, Any]:
    """TOML or JSON ``text`` as a table; a syntax error names ``source`` and the line."""
    if fmt == "json":
        try:
            data = load_json(text, source)
        except BadInput as err:
            raise RuleFileError(str(err)) from None
        if not isinstance(data, dict):
            raise RuleFileError(f"{source}:1: expected a JSON object {{...}}")
        return data
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise RuleFileError(f"{source}: {err}") from None


def _check_versions(rules: list[Rule], where: Path) -> None:
    """Rules may share an id only as dated versions whose periods do not overlap."""
    by_id: dict[str, list[Rule]] = {}
    for rule in rules:
        by_id.setdefault(rule.id, []).append(rule)
    for rule_id, versions in by_id.items():
        versions.sort(key=lambda r: r.effective_from)
        for older, newer in zip(versions, versions[1:], strict=False):
            if older.effective_to is None or older.effective_to > newer.effective_from:
                raise RuleFileError(
                    f"{where / 'regimes'}: rule {rule_id!r} has versions in force at the same "
                    f"time (from {older.effective_from} and from {newer.effective_from}); "
                    "give the older one an effective_to"
                )


def _check_unique(ids: list[str], where: Path) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise RuleFileError(f"{where}: duplicate id {item!r}")
        seen.add(item)


def as_data(item: BaseModel) -> Any:
    """A rule object (a profile, an authority) as JSON-ready data."""
    return item.model_dump(mode="json")


def locate(text: str, loc: tuple[Any, ...]) -> int:
    """Best-effort line number (1-based) of a validation location in TOML text.

    Walks ``[[table]]`` headers for list indices and ``key =`` lines for keys, so an
    error in ``rules[3].period`` points at the ``period`` line of the fourth ``[[rules]]``.
    """
    lines = text.splitlines()
    start = 0
    path: list[str] = []
    for part in loc:
        if isinstance(part, int):
            header = re.compile(r"^\s*\[\[\s*" + re.escape(".".join(path)) + r"\s*\]\]")
            hits = [i for i, line in enumerate(lines) if i >= start and header.match(line)]
            if part < len(hits):
                start = hits[part]
            continue
        path.append(str(part))
        key = re.compile(r"^\s*" + re.escape(str(part)) + r"\s*=")
        table = re.compile(r"^\s*\[{1,2}\s*" + re.escape(".".join(path)) + r"\s*\]{1,2}")
        for i in range(start, len(lines)):
            if key.match(lines[i]) or table.match(lines[i]):
                start = i
                break
    return start + 1


def locate_json(text: str, loc: tuple[Any, ...]) -> int:
    """Line number (1-based) of a validation location in JSON text: the value the
    location names, else the nearest object or list holding it."""
    decoder = json.JSONDecoder()
    pos = _skip_space(text, 0)
    for part in loc:
        try:
            found = _member(text, pos, part, decoder)
        except ValueError:  # not valid JSON after all: the line reached so far
            break
        if found is None:
            break
        pos = found
    return text.count("\n", 0, pos) + 1


def _member(text: str, pos: int, part: Any, decoder: json.JSONDecoder) -> int | None:
    """Where the value of key or index ``part`` of the object or list at ``pos`` starts."""
    opening = text[pos : pos + 1]
    if (opening, isinstance(part, int)) not in (("{", False), ("[", True)):
        return None
    i, index = _skip_space(text, pos + 1), 0
    while i < len(text) and text[i] not in "]}":
        if opening == "{":
            key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
            i = _skip_space(text, _skip_space(text, i) + 1)  # past the colon
            if key == part:
                return i
        elif index == part:
            return i
        _, i = decoder.raw_decode(text, i)
        i = _skip_space(text, i)
        i, index = _skip_space(text, i + 1) if text[i : i + 1] == "," else i, index + 1
    return None


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos
