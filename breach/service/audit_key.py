"""The audit key: a secret in the user's config folder that keys the chain (HMAC-SHA256).

With it, a rewrite of the audit chain by someone without the key is caught; without it,
keyed entries cannot be verified. It is created once (``breach audit key``), readable by
its owner only, and never overwritten.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from ..errors import BadInput, BreachError


def load_key(path: Path) -> bytes | None:
    """The key at ``path``, or None when there is none. A key others can read is refused."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise BreachError(f"{path}: cannot read the audit key ({err.strerror})") from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise BreachError(f"{path}: the audit key is readable by others; chmod 600 it")
    text = path.read_text(encoding="ascii", errors="replace").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise BreachError(f"{path}: not an audit key (64 hex digits expected)") from None
    if len(key) != 32:
        raise BreachError(f"{path}: not an audit key (64 hex digits expected)")
    return key


def create_key(path: Path) -> Path:
    """Create a new key at ``path`` (0600, its folder 0700); an existing key is kept."""
    if path.exists():
        raise BadInput(f"{path}: an audit key exists already; it is never replaced")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(32) + "\n")
    return path
