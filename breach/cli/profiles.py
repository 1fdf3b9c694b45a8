"""``breach profiles``: the organisation profiles, shipped and your own (add, edit, versions)."""

from __future__ import annotations

import argparse
import contextlib
import shlex
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BadInput, BreachError
from ..settings import Settings
from .common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    UsageError,
    print_json,
    read_text,
    rules_for,
    warn,
)

if TYPE_CHECKING:
    from ..rules import Profile, RuleSet
    from ..service.profiles import SavedProfile

#: The actions and how many arguments each takes; any other word is a profile id.
ACTIONS = {"list": 0, "show": 1, "add": 1, "edit": 1, "template": 0}
USAGE = "breach profiles [ID | show ID | add FILE [--replace] | edit ID | template] [--json]"


def add_commands(sub: Any) -> None:
    """Register ``profiles``."""
    p = sub.add_parser(
        "profiles",
        usage=USAGE,
        help="list, show, add or edit organisation profiles (shipped and your own)",
        description=(
            "List the organisation profiles (shipped, and yours from the config folder), or "
            "show one. `add FILE` validates a profile (TOML or JSON by extension; - reads "
            "JSON from standard input) and saves it as yours; --replace saves it as the next "
            "version of an existing one. `edit ID` opens your profile in $VISUAL or $EDITOR "
            "(default vi) and saves a new version when it validates. `template` prints the "
            "fields a new profile needs. Every version is kept."
        ),
    )
    p.add_argument("words", nargs="*", metavar="ACTION", help="ID, or an action and its argument")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--replace", action="store_true", help="add: save as the next version of your profile"
    )
    p.set_defaults(run=cmd_profiles)


def cmd_profiles(args: argparse.Namespace, settings: Settings) -> int:
    """``breach profiles [ID | show ID | add FILE | edit ID | template]``."""
    words = list(args.words)
    action = words.pop(0) if words and (words[0] in ACTIONS or len(words) > 1) else None
    action = action or ("show" if words else "list")
    if action not in ACTIONS or len(words) != ACTIONS[action]:
        raise UsageError(f"usage: {USAGE}")
    if args.replace and action != "add":
        raise UsageError("--replace goes with `breach profiles add FILE`")
    if action == "template":
        from ..service.profiles import profile_template

        print_json(profile_template())
        return EXIT_OK
    if action == "add":
        return _add(args, settings, words[0])
    if action == "edit":
        return _edit(args, settings, words[0])
    rules = rules_for(settings)
    return _show(args, rules, words[0]) if action == "show" else _list(args, rules)


def _list(args: argparse.Namespace, rules: RuleSet) -> int:
    from ..service.profiles import listing

    entries = listing(rules)
    if args.json:
        print_json(entries)
        return EXIT_OK
    for entry in entries:
        if "error" in entry:
            print(f"{entry['id']:12} ! yours, cannot be used: {entry['error']}")
            continue
        p = rules.profiles[entry["id"]]
        where = p.main_establishment or ", ".join(sorted({e.country for e in p.establishments}))
        print(
            f"{p.id:12} {p.name} ({where}) · ECS provider: {'yes' if p.ecs_provider else 'no'}"
            f" · NIS2: {p.nis2} · {_source(entry)}"
        )
    return EXIT_OK


def _source(entry: dict[str, Any]) -> str:
    if entry["source"] == "shipped":
        return "shipped"
    hand = "" if entry["kept"] else ", changed by hand (kept at the next save)"
    return f"yours, version {entry['version']}{hand}"


def _show(args: argparse.Namespace, rules: RuleSet, profile_id: str) -> int:
    from ..service.profiles import ProfileError, listing, profile_data

    profile = rules.profiles.get(profile_id)
    if profile is None and profile_id in rules.broken_profiles:
        raise ProfileError(rules.broken_profiles[profile_id])
    if profile is None:
        known = ", ".join(sorted(rules.profiles))
        raise UsageError(f"profile {profile_id!r} not found (known: {known})")
    if args.json:
        print_json(profile_data(profile))  # exactly what `breach profiles add` reads back
        return EXIT_OK
    entry = next(e for e in listing(rules) if e["id"] == profile_id and "error" not in e)
    _print_profile(profile, entry)
    return EXIT_OK


def _print_profile(profile: Profile, entry: dict[str, Any]) -> None:
    policy = f" — from {profile.policy}" if profile.policy else ""
    print(f"{profile.name} ({profile.id}){policy}")
    shipped = f" with the rules {entry['version']}" if entry["source"] == "shipped" else ""
    print(f"  {_source(entry)}{shipped}: {entry['path']}")
    print(f"  sha256 {entry['sha256']}")
    for e in profile.establishments:
        print(f"  establishment {e.country}: {e.entity}")
    for r in profile.roles:
        print(f"  {r.role} for {r.scope}")
    if profile.breach_commitment:
        hours = profile.breach_commitment.notice_hours
        print(
            f"  breach commitment: {profile.breach_commitment.text}"
            + (f" ({hours:g} h)" if hours else "")
        )
    print("  data inventory:")
    for item in profile.inventory:
        print(f"    {item.label} → {item.category}")


def _add(args: argparse.Namespace, settings: Settings, file: str) -> int:
    from ..service.profiles import add_profile_text, format_for

    fmt = format_for(file)
    source = "<stdin>" if file == "-" else file
    saved = add_profile_text(
        settings.config_home,
        read_text(file),
        source,
        fmt,
        replace=args.replace,
        rules=rules_for(settings),
    )
    _saved(args, saved)
    return EXIT_OK


def _saved(args: argparse.Namespace, saved: SavedProfile) -> None:
    if args.json:
        print_json(
            {
                "id": saved.id,
                "version": saved.version,
                "path": str(saved.path),
                "changed": saved.changed,
            }
        )
    elif saved.changed:
        print(f"saved profile {saved.id} version {saved.version}: {saved.path}")
    else:
        print(f"profile {saved.id} unchanged: already version {saved.version} ({saved.path})")


def _edit(args: argparse.Namespace, settings: Settings, profile_id: str) -> int:
    """Edit a copy; the profile changes only when the copy validates (a new version)."""
    from ..files import write_private_text
    from ..service.profiles import add_profile_text, editable_file, format_for

    rules = rules_for(settings)
    path = editable_file(settings.config_home, rules, profile_id)
    original = read_text(str(path))
    copy = path.parent / ".edit" / path.name  # a dot folder: never read as a profile
    copy.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_private_text(copy, original)
    origin = rules.origins.get(profile_id)
    before = f"version {origin.version}" if origin else "the previous version"
    while True:
        _run_editor(settings.editor, copy)
        text = read_text(str(copy))
        if text == original:
            _drop(copy)
            print(f"no change: profile {profile_id} stays at {before}")
            return EXIT_OK
        try:
            saved = add_profile_text(
                settings.config_home,
                text,
                str(copy),
                format_for(str(path)),
                replace=True,
                rules=rules,
                keep_id=profile_id,
            )
        except BadInput as err:
            warn(str(err), 400)
            if _ask("edit it again? [Y/n] "):
                continue
            warn(f"nothing saved: profile {profile_id} stays at {before}; your edit is in {copy}")
            return EXIT_BAD_INPUT
        _drop(copy)
        _saved(args, saved)
        return EXIT_OK


def _drop(copy: Path) -> None:
    copy.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not empty: another edit's copy is there
        copy.parent.rmdir()


def _run_editor(editor: str, path: Path) -> None:
    command = [*shlex.split(editor), str(path)]
    try:
        done = subprocess.run(command, check=False)
    except OSError as err:
        raise UsageError(
            f"cannot start the editor {editor!r} ({err.strerror or err}); set VISUAL or EDITOR"
        ) from None
    if done.returncode != 0:
        raise _EditorFailed(f"the editor exited with status {done.returncode}; nothing saved")


class _EditorFailed(BreachError):
    """The editor failed (exit 1): the profile is untouched."""

    exit_code = EXIT_FAILED


def _ask(question: str) -> bool:
    """Ask on the terminal; without one (a script) the answer is no."""
    if not sys.stdin.isatty():
        return False
    print(question, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().lower() in ("", "y", "yes")
