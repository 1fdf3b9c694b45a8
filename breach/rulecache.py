"""Caches that let a command start without re-validating: rule sets and contract schemas.

Validating ``decision_rules/`` (TOML parsing, pydantic validation, condition compiling)
costs tens of milliseconds on every start, and importing pydantic to build the contract's
validators costs more. So two things are pickled into the user cache directory:

- the validated :class:`~breach.rules.RuleSet` (plain dataclasses: it loads without
  pydantic), under a key that hashes the path, size and modification time of every rule
  file;
- the contract's core schemas (:mod:`breach.contract`).

Both keys also hash the code that defines what is pickled and the installed breach,
pydantic and pydantic-core (their files' path, size and modification time, as Python does
for ``.pyc`` files), so an edit or an upgrade misses the cache and validates afresh. Only
this code's own validation writes the cache. ``BREACH_NO_CACHE=1`` bypasses it;
``BREACH_CACHE_DIR`` moves it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .rules import RuleSet

CACHE_ENV = "BREACH_CACHE_DIR"
NO_CACHE_ENV = "BREACH_NO_CACHE"
#: The modules whose classes are pickled in a rule set: a change to any of them invalidates it.
RULES_CODE = ("rules.py", "conditions.py", "vocabulary.py", "rulecache.py")
#: The modules the contract's schemas are built from.
CONTRACT_CODE = ("model.py", "vocabulary.py", "contract.py", "rulecache.py")
#: Installed packages whose version decides what a pickle means (found without importing).
PACKAGES = ("pydantic", "pydantic_core")


def cache_dir() -> Path:
    """Where cached rule sets live: ``BREACH_CACHE_DIR`` or the platform's user cache dir."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    from platformdirs import user_cache_path

    return user_cache_path("breach", appauthor=False)


def enabled() -> bool:
    """False when ``BREACH_NO_CACHE`` is set to anything but "" or "0"."""
    return os.environ.get(NO_CACHE_ENV, "") in ("", "0")


def fingerprint(files: list[Path], salt: str = "") -> str:
    """A hash of the path, size and modification time of ``files``, of the installed
    breach, pydantic and pydantic-core, and of ``salt``."""
    from . import __version__

    digest = hashlib.sha256(f"{__version__}|{salt}".encode())
    for path in [*files, *_package_files()]:
        stat = path.stat()
        digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:32]


@cache
def _package_files() -> tuple[Path, ...]:
    """The ``__init__`` files of :data:`PACKAGES` (found once per process, not imported)."""
    specs = [find_spec(package) for package in PACKAGES]
    return tuple(Path(spec.origin) for spec in specs if spec is not None and spec.origin)


def _code(names: tuple[str, ...]) -> list[Path]:
    here = Path(__file__).parent
    return [here / name for name in names]


def _rules_path(root: Path) -> Path:
    files = [*_code(RULES_CODE), *sorted(root.rglob("*.toml"))]
    return cache_dir() / f"rules-{fingerprint(files, str(root.resolve()))}.pickle"


def _contract_path() -> Path:
    return cache_dir() / f"contract-{fingerprint(_code(CONTRACT_CODE))}.pickle"


def _load(path: Path) -> Any:
    try:
        with path.open("rb") as file:
            return pickle.load(file)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None


def _store(path: Path, value: Any) -> None:
    """Write ``value`` atomically; a cache that cannot be written is silently skipped."""
    import tempfile  # only writing needs it (and it is slow to import)

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(file.name, path)
    except (OSError, pickle.PicklingError):
        return


def read(root: Path) -> RuleSet | None:
    """The cached rule set for ``root``'s current files, or None."""
    from .rules import RuleSet

    cached = _load(_rules_path(root))
    return cached if isinstance(cached, RuleSet) else None


def write(root: Path, rules: RuleSet) -> None:
    """Store ``rules`` for ``root``'s current files."""
    _store(_rules_path(root), rules)


def read_contract() -> dict[str, Any] | None:
    """The cached contract schemas (see :mod:`breach.contract`), or None."""
    cached = _load(_contract_path())
    return cached if isinstance(cached, dict) else None


def write_contract(schemas: dict[str, Any]) -> None:
    """Store the contract schemas built by this installation."""
    _store(_contract_path(), schemas)
