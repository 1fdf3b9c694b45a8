"""The incident log: one SQLite file, the only package that speaks SQL.

Durability and safety:
- WAL journal, ``synchronous=FULL``: a change is on disk when its transaction commits.
- Each command runs in one ``BEGIN IMMEDIATE`` transaction (:meth:`Store.transaction`), so a
  writer holds the write lock for its whole read-modify-write and two processes never
  lose each other's updates; a busy timeout makes the second wait instead of failing.
- Optimistic versions on incidents catch edits based on stale screens ("changed by
  someone else since you loaded it").
- ``events`` and ``audit`` are append-only (triggers refuse UPDATE and DELETE); the audit
  log is hash-chained (:mod:`.audit`).
- Ordered migrations (:mod:`.schema`) run on open; a database written by a newer version
  of breach is refused untouched.

The store's methods are grouped by subject: :mod:`.incidents`, :mod:`.audit`,
:mod:`.notices`, :mod:`.exchange`.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from .audit import AuditChain, AuditProblem
from .base import Conflict, NewerDatabase, NotFound, StoreError, canonical, sha256
from .exchange import ExchangeRows
from .incidents import IncidentRows
from .notices import NoticeRows
from .schema import migrate, refuse_newer

BUSY_TIMEOUT_MS = 30_000

__all__ = [
    "AuditProblem",
    "Conflict",
    "NewerDatabase",
    "NotFound",
    "Store",
    "StoreError",
    "canonical",
    "sha256",
]


class Store(IncidentRows, AuditChain, NoticeRows, ExchangeRows):
    """One SQLite incident log. Open with :meth:`open`; use as a context manager."""

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open (creating if needed, 0700 directory / 0600 file) and migrate the database.

        ``":memory:"`` opens a database that lives only as long as the connection.
        """
        if str(path) == ":memory:":
            conn = sqlite3.connect(":memory:", timeout=BUSY_TIMEOUT_MS / 1000)
            return cls._prepare(Database(conn, execute_plugins=False), None)
        target = Path(path)
        if not target.exists():
            try:
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                os.close(fd)
            except FileExistsError:
                pass
            except OSError as err:
                raise StoreError(f"{target}: cannot create database ({err.strerror})") from None
        try:
            conn = sqlite3.connect(str(target), timeout=BUSY_TIMEOUT_MS / 1000)
            return cls._prepare(Database(conn, execute_plugins=False), target)
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{target}: not a breach database ({err})") from None

    @classmethod
    def _prepare(cls, db: Database, path: Path | None) -> Store:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        try:
            refuse_newer(db, path)
        except NewerDatabase:
            db.close()
            raise
        if path is not None:
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        migrate(db)
        return cls(db, path)

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
