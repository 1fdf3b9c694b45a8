"""Reading the user's own organisation profiles (their config folder) beside the shipped ones.

The folder holds one file per profile, ``<id>.toml`` or ``<id>.json``, validated exactly
like ``decision_rules/profiles/*.toml``, and ``.history/<id>.<n>.<ext>``: every version
kept. A profile's version is the number of the kept file with the same bytes; a file
changed by hand since is the next number, not yet kept (the next save keeps it first).

A broken file never stops the tool: the profile is left out and its error line is kept in
:attr:`RuleSet.broken_profiles`, for whoever names it (facts, ``breach profiles``).
Nothing here writes: saving is the service's (:mod:`breach.service.profiles`).
"""

from __future__ import annotations

import re
from pathlib import Path

from .directory import Profile
from .loading import (
    Format,
    RuleFileError,
    file_sha256,
    load_text,
    locate,
    locate_json,
    parse_text,
)
from .ruleset import ProfileOrigin, RuleSet

#: The file formats of a profile, by suffix.
SUFFIXES: dict[str, Format] = {".toml": "toml", ".json": "json"}
#: The folder of kept versions, inside the profiles folder.
HISTORY = ".history"
_KEPT = re.compile(r"^(?P<id>[^.]+)\.(?P<n>[0-9]{1,9})(?P<suffix>\.toml|\.json)$")


class ProfileError(RuleFileError):
    """A profile cannot be used or saved; the message names the file, line and field."""


def format_of(path: Path) -> Format | None:
    """The format of a profile file by its suffix (None: not a profile file)."""
    return SUFFIXES.get(path.suffix.lower())


def profile_files(folder: Path) -> dict[str, list[Path]]:
    """The profile files of ``folder`` by id (file name); dot files are not profiles."""
    found: dict[str, list[Path]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        if not path.name.startswith(".") and format_of(path) and path.is_file():
            found.setdefault(path.stem, []).append(path)
    return found


def kept_versions(folder: Path, profile_id: str) -> dict[int, Path]:
    """The kept versions of ``profile_id``: number → file."""
    history = folder / HISTORY
    if not history.is_dir():
        return {}
    found: dict[int, Path] = {}
    for path in history.glob(f"{profile_id}.*"):
        match = _KEPT.match(path.name)
        if match and match["id"] == profile_id:
            found[int(match["n"])] = path
    return found


def kept_number(kept: dict[int, Path], sha256: str) -> int | None:
    """The newest kept version with these bytes, if any."""
    return next((n for n in sorted(kept, reverse=True) if file_sha256(kept[n]) == sha256), None)


def shipped_ids(rules: RuleSet) -> set[str]:
    """The ids of the profiles in the rules folder (a user profile may not take one)."""
    return {key for key in rules.profiles if rules.origins.get(key, _SHIPPED).source == "shipped"}


def line_of_id(text: str, fmt: Format) -> int:
    """The line of the ``id`` key, for errors about the id."""
    return locate(text, ("id",)) if fmt == "toml" else locate_json(text, ("id",))


def read_profile_file(path: Path) -> tuple[Profile, str, str]:
    """A profile file validated: the profile, its text and the SHA-256 of its bytes."""
    fmt = format_of(path)
    if fmt is None:
        raise ProfileError(f"{path}: give a .toml or .json file")
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ProfileError(f"{path}: cannot read ({err.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ProfileError(f"{path}: not UTF-8 text (byte offset {err.start})") from None
    return check_profile_text(text, str(path), fmt), text, file_sha256(path)


def profile_id_of(text: str, source: str, fmt: Format) -> tuple[object, int]:
    """The ``id`` written in profile ``text`` (not yet validated) and its line; a syntax
    error is a :class:`ProfileError` naming the line."""
    try:
        data = parse_text(text, source, fmt)
    except RuleFileError as err:
        raise ProfileError(str(err)) from None
    return data.get("id"), line_of_id(text, fmt)


def check_profile_text(text: str, source: str, fmt: Format) -> Profile:
    """Profile ``text`` validated as the shipped ones are; :class:`ProfileError` otherwise."""
    try:
        return load_text(text, source, Profile, fmt)
    except RuleFileError as err:
        raise ProfileError(str(err)) from None


def with_user_profiles(rules: RuleSet, folder: Path) -> RuleSet:
    """``rules`` with the usable profiles of ``folder`` added; the others are reported in
    ``broken_profiles`` (a shipped id, two files, a file that does not validate)."""
    files = profile_files(folder)
    if not files:
        return rules
    shipped = shipped_ids(rules)
    profiles, origins = dict(rules.profiles), dict(rules.origins)
    broken = dict(rules.broken_profiles)
    for stem, paths in files.items():
        try:
            profile, origin = _read_user_profile(folder, stem, paths, shipped)
        except ProfileError as err:
            broken[stem] = str(err)
            continue
        profiles[stem], origins[stem] = profile, origin
    return rules.model_copy(
        update={"profiles": profiles, "origins": origins, "broken_profiles": broken}
    )


def _read_user_profile(
    folder: Path, stem: str, paths: list[Path], shipped: set[str]
) -> tuple[Profile, ProfileOrigin]:
    if len(paths) > 1:
        names = " and ".join(p.name for p in paths)
        raise ProfileError(f"{folder}: two files for profile {stem!r} ({names}): keep one")
    path = paths[0]
    if stem in shipped:
        raise ProfileError(
            f"{path}:1: id: {stem!r} is the id of a shipped profile; give yours another id "
            "(and file name)"
        )
    profile, text, sha = read_profile_file(path)
    if profile.id != stem:
        line = line_of_id(text, SUFFIXES[path.suffix.lower()])
        raise ProfileError(f"{path}:{line}: id: {profile.id!r} must equal the file name ({stem})")
    kept = kept_versions(folder, stem)
    number = kept_number(kept, sha)
    version = number if number is not None else max(kept, default=0) + 1
    origin = ProfileOrigin(
        source="user", path=str(path), version=str(version), sha256=sha, kept=number is not None
    )
    return profile, origin


_SHIPPED = ProfileOrigin(source="shipped", path="", version="", sha256="")
