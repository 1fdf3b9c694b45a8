"""Your own organisation profiles: saved in your config folder, every change a kept version.

``<config_home>/profiles/<id>.toml`` (or ``.json``) is the version assessments use;
``profiles/.history/<id>.<n>.<ext>`` keeps every version, so a Decision's ``profile``
(id, version, SHA-256) always names bytes that still exist. Saving validates exactly as
the shipped profiles are validated, and refuses a shipped profile's id.

After saving, a running :class:`~.log.IncidentLog` sees the profile once its rules are
read again: :meth:`IncidentLog.reload_rules`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..files import FileWriteError, write_private_text
from ..model import first_problem
from ..rules import (
    HISTORY,
    Format,
    Profile,
    ProfileError,
    RuleSet,
    as_data,
    check_profile_text,
    file_sha256,
    format_of,
    kept_number,
    kept_versions,
    load_rules,
    profile_files,
    profile_id_of,
    shipped_ids,
)

__all__ = [
    "ProfileError",
    "SavedProfile",
    "add_profile_text",
    "editable_file",
    "format_for",
    "listing",
    "profile_data",
    "profile_template",
    "save_profile",
    "user_profiles_dir",
]


@dataclass(frozen=True)
class SavedProfile:
    """What saving a profile did."""

    id: str
    version: int
    path: Path
    #: False: the content was already this version; nothing was written
    changed: bool = True


def user_profiles_dir(config_home: Path) -> Path:
    """Where the user's own profiles live (created only when one is saved)."""
    return config_home / "profiles"


def profile_template() -> dict[str, Any]:
    """The fields a new provider fills in: empty text and ``None`` are to be filled
    (``None`` may stay: unknown); it does not validate as it is."""
    return {
        "id": "",  # a slug, the profile's file name and what facts name: "acme-telecom"
        "name": "",
        "establishments": [{"country": "", "entity": ""}],  # ISO 3166 code, legal entity
        "main_establishment": None,  # country of the EU/EEA main establishment
        "ecs_provider": False,  # provides a public electronic communications service
        "gdpr_targeting": False,  # non-EU, offering services to people in the EU
        "nis2": "none",  # "essential", "important" or "none"
        "contact": None,  # DPO or contact point (e-mail)
        "dpo": {"designated": False, "name": None, "email": None, "phone": None},
        "languages": [],  # languages you can notify in: ["en", "fr"]
        "inventory": [{"label": "", "category": "identity"}],  # data you hold, by category
    }


def format_for(file: str) -> Format:
    """The format of a profile file by its extension; ``-`` (standard input) is JSON."""
    if file == "-":
        return "json"
    fmt = format_of(Path(file))
    if fmt is None:
        raise ProfileError(f"{file}: give a .toml or .json file (or - for JSON on standard input)")
    return fmt


def save_profile(
    config_home: Path, data: dict[str, Any], *, replace: bool = False, rules: RuleSet | None = None
) -> str:
    """Validate ``data`` as a profile and save it as the user's own; returns its id.

    Raises :class:`ProfileError` (a ``BadInput``) naming the field
    (``establishments[0].country: 'XX' is not an ISO 3166 alpha-2 country code``), for
    a shipped profile's id, and for an existing id unless ``replace``. ``rules`` tells
    the shipped ids (default: the shipped rules).
    """
    if not isinstance(data, dict):
        raise ProfileError("a profile is an object of fields")
    _refuse_shipped_id(data.get("id"), "", rules)
    try:
        profile = Profile.model_validate(data)
    except ValidationError as err:
        raise ProfileError(first_problem(err).line()) from None
    normalised = profile.model_dump(mode="json", exclude_unset=True)
    text = json.dumps(normalised, indent=2, ensure_ascii=False) + "\n"
    return _store(config_home, profile, text, "json", "", replace, rules).id


def add_profile_text(
    config_home: Path,
    text: str,
    source: str,
    fmt: Format,
    *,
    replace: bool = False,
    rules: RuleSet | None = None,
    keep_id: str | None = None,
) -> SavedProfile:
    """Validate profile ``text`` (read from ``source``) and save it as written, comments
    and all. Errors name ``source``, the line and the field. ``keep_id``: an edit, whose
    id must stay the same."""
    written_id, line = profile_id_of(text, source, fmt)
    where = f"{source}:{line}: "
    # the clash is what to fix first, before any other field of a copied shipped profile
    _refuse_shipped_id(written_id, where, rules)
    profile = check_profile_text(text, source, fmt)
    if keep_id is not None and profile.id != keep_id:
        raise ProfileError(
            f"{where}id: changed from {keep_id!r} to {profile.id!r}; an edit keeps the id "
            "(save a new profile with `breach profiles add`)"
        )
    return _store(config_home, profile, text, fmt, where, replace, rules)


def editable_file(config_home: Path, rules: RuleSet, profile_id: str) -> Path:
    """The file of the user's profile ``profile_id`` (a broken one too: editing fixes it)."""
    origin = rules.origins.get(profile_id)
    if origin is not None and origin.source == "shipped":
        raise ProfileError(
            f"{profile_id!r} is a shipped profile and cannot be edited; start yours from a "
            f"copy: `breach profiles {profile_id} --json > mine.json`, give it a new id, then "
            "`breach profiles add mine.json`"
        )
    folder = user_profiles_dir(config_home)
    files = profile_files(folder).get(profile_id, [])
    if not files:
        raise ProfileError(
            f"no profile {profile_id!r} of yours in {folder} (see `breach profiles`)"
        )
    if len(files) > 1:
        raise ProfileError(rules.broken_profiles.get(profile_id, f"{folder}: two files"))
    return files[0]


def listing(rules: RuleSet) -> list[dict[str, Any]]:
    """Every profile, shipped and the user's, by id: name, source, version, file, SHA-256;
    a broken one of the user's with its ``error`` line instead (beside the shipped one of
    the same id, when it took a shipped id)."""
    found: list[dict[str, Any]] = []
    for key, profile in rules.profiles.items():
        origin = rules.origins.get(key)
        found.append(
            {
                "id": key,
                "name": profile.name,
                "source": origin.source if origin else "shipped",
                "version": origin.version if origin else rules.version,
                "kept": origin.kept if origin else True,
                "path": origin.path if origin else "",
                "sha256": origin.sha256 if origin else "",
            }
        )
    found += [{"id": key, "source": "user", "error": e} for key, e in rules.broken_profiles.items()]
    return sorted(found, key=lambda entry: (entry["id"], "error" in entry))


def profile_data(profile: Profile) -> Any:
    """A profile as JSON-ready data (what ``breach profiles add`` reads back)."""
    return as_data(profile)


def _store(
    config_home: Path,
    profile: Profile,
    text: str,
    fmt: Format,
    where: str,
    replace: bool,
    rules: RuleSet | None,
) -> SavedProfile:
    _refuse_shipped_id(profile.id, where, rules)
    folder = user_profiles_dir(config_home)
    current = profile_files(folder).get(profile.id, [])
    if current and not replace:
        raise ProfileError(
            f"{where}id: profile {profile.id!r} exists ({current[0]}); add --replace to save "
            "this as its next version"
        )
    suffix, data = f".{fmt}", text.encode("utf-8")
    new_sha = hashlib.sha256(data).hexdigest()
    kept = kept_versions(folder, profile.id)
    for path in current:
        sha = file_sha256(path)
        number = kept_number(kept, sha)
        if number is None:  # changed by hand: keep it before it is replaced
            number = max(kept, default=0) + 1
            kept[number] = _keep(folder, profile.id, number, path.suffix, path.read_bytes())
        if len(current) == 1 and sha == new_sha and path.suffix == suffix:
            return SavedProfile(profile.id, number, path, changed=False)
    number = max(kept, default=0) + 1
    _keep(folder, profile.id, number, suffix, data)
    target = folder / f"{profile.id}{suffix}"
    write_private_text(target, text)
    for path in current:
        if path != target:
            path.unlink(missing_ok=True)
    return SavedProfile(profile.id, number, target)


def _refuse_shipped_id(profile_id: Any, where: str, rules: RuleSet | None) -> None:
    shipped = shipped_ids(rules if rules is not None else load_rules())
    if isinstance(profile_id, str) and profile_id in shipped:
        raise ProfileError(
            f"{where}id: {profile_id!r} is the id of a shipped profile; give yours another id"
        )


def _keep(folder: Path, profile_id: str, number: int, suffix: str, data: bytes) -> Path:
    """Write version ``number``; a kept version is never overwritten."""
    history = folder / HISTORY
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        history.mkdir(exist_ok=True, mode=0o700)
    except OSError as err:
        raise FileWriteError(f"{history}: cannot create ({err.strerror})") from None
    target = history / f"{profile_id}.{number}{suffix}"
    if target.exists():
        raise ProfileError(f"{target}: exists already (another save at the same time?); try again")
    write_private_text(target, data.decode("utf-8"))
    return target
