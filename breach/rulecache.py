"""A cache of validated rule sets, so a command starts without re-parsing every file.

Validating ``decision_rules/`` (TOML parsing, pydantic validation, condition compiling)
costs tens of milliseconds on every start. The validated :class:`~breach.rules.RuleSet` is
pickled into the user cache directory under a key that hashes the path, size and
modification time of every rule file and of the code that defines its classes, with the
versions of breach and pydantic, so an edit or an upgrade misses the cache and validates
afresh. Only this code's own validation writes the cache. ``BREACH_NO_CACHE=1`` bypasses
it; ``BREACH_CACHE_DIR`` moves it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rules import RuleSet

CACHE_ENV = "BREACH_CACHE_DIR"
#: The modules whose classes are pickled: a change to any of them invalidates the cache.
CODE = ("rules.py", "model.py", "conditions.py", "rulecache.py")
NO_CACHE_ENV = "BREACH_NO_CACHE"


def cache_dir() -> Path:
    """Where cached rule sets live: ``BREACH_CACHE_DIR`` or the platform's user cache dir."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    from platformdirs import user_cache_path

    return user_cache_path("breach", appauthor=False)


def enabled() -> bool:
    """False when ``BREACH_NO_CACHE`` is set to anything but "" or "0"."""
    return os.environ.get(NO_CACHE_ENV, "") in ("", "0")


def fingerprint(root: Path) -> str:
    """A hash of the path, size and modification time (as Python does for .pyc files) of
    every rule file and of the modules whose classes are pickled, plus the versions."""
    from pydantic import VERSION

    from . import __version__

    digest = hashlib.sha256(f"{__version__}|{VERSION}|{root.resolve()}".encode())
    code = Path(__file__).parent
    for path in [*(code / name for name in CODE), *sorted(root.rglob("*.toml"))]:
        stat = path.stat()
        digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:32]


def _path(root: Path) -> Path:
    return cache_dir() / f"rules-{fingerprint(root)}.pickle"


def read(root: Path) -> RuleSet | None:
    """The cached rule set for ``root``'s current files, or None."""
    from .rules import RuleSet

    try:
        with _path(root).open("rb") as file:
            cached = pickle.load(file)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    return cached if isinstance(cached, RuleSet) else None


def write(root: Path, rules: RuleSet) -> None:
    """Store ``rules`` atomically; a cache that cannot be written is silently skipped."""
    try:
        target = _path(root)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile("wb", dir=target.parent, delete=False) as file:
            pickle.dump(rules, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(file.name, target)
    except (OSError, pickle.PicklingError):
        return
