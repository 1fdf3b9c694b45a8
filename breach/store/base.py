"""What every part of the incident log shares: its errors, canonical JSON, the connection.

The store is one SQLite file; :class:`Tables` holds its connection and the transaction
helpers every subject module (:mod:`.incidents`, :mod:`.audit`, :mod:`.notices`,
:mod:`.exchange`) builds on. Only the store speaks SQL.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from ..errors import BadInput, BreachError


class StoreError(BadInput):
    """A store problem a user can act on (printed as one line)."""


class NotFound(StoreError):
    """No such incident (or duty)."""


class Conflict(BreachError):
    """The incident changed since the caller loaded it (exit 1: retry, not bad input)."""


class NewerDatabase(StoreError):
    """The file was written by a newer breach; it is left untouched."""


class Unavailable(BreachError):
    """The file cannot be written now: locked, full, read-only (exit 1; nothing changed)."""


#: What SQLite's error names mean to the responder, and what to do.
_FAILURES = {
    "SQLITE_BUSY": "is locked by another breach or program (waited {wait}); nothing was "
    "changed: try again when it is done",
    "SQLITE_LOCKED": "is locked by another breach or program; nothing was changed: try again",
    "SQLITE_FULL": "cannot grow: the disk is full; nothing was changed: free some space and "
    "try again",
    "SQLITE_READONLY": "is read-only here; nothing was changed (you can still list, show, "
    "export and verify it)",
    "SQLITE_IOERR": "could not be read or written (disk error: {detail}); nothing was changed",
    "SQLITE_CANTOPEN": "cannot be opened ({detail})",
    "SQLITE_PERM": "cannot be opened: permission denied",
}


def unavailable(err: sqlite3.Error, path: Path | None, wait_s: float) -> Unavailable | None:
    """The one line for a SQLite failure the responder can act on; None for a bug."""
    name = getattr(err, "sqlite_errorname", "") or ""
    family = next((k for k in _FAILURES if name == k or name.startswith(k + "_")), None)
    if family is None:
        return None
    text = _FAILURES[family].format(wait=f"{wait_s:g} s", detail=str(err))
    return Unavailable(f"{path or 'the in-memory log'}: {text}")


def canonical(data: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept; what hashes are computed over."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256(text: str) -> str:
    """Hex SHA-256 of UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: What a log's readable ids begin with: your incidents, and the demo log's (for good, see
#: :meth:`Tables.mark_demo`), so a demo incident never passes for one of yours.
USER_ID_PREFIX = "BR"
DEMO_ID_PREFIX = "DEMO"


#: The tables whose rows the audit chain vouches for, and the columns that key a row.
VOUCHED: dict[str, tuple[str, ...]] = {
    "incidents": ("id",),
    "facts_versions": ("incident_id", "version"),
    "assessments": ("id",),
    "duties": ("incident_id", "id"),
    "notices": ("id",),
    "events": ("id",),
}


class Tables:
    """The connection to one incident log, and how to read and write it safely.

    Every write method records the row it wrote (:meth:`_touch`); the next audit entry
    vouches for each such row with the hash of its content as stored.
    """

    #: how long a writer waits for another's write lock before giving up
    busy_timeout_s = 30.0

    def __init__(self, db: Database, path: Path | None, audit_key: bytes | None = None) -> None:
        self.db = db
        self.path = path
        self.audit_key = audit_key
        self._touched: dict[tuple[str, tuple[Any, ...]], None] = {}

    def _touch(self, table: str, *key: Any) -> None:
        """Note that a row of a vouched table was written (its key, in ``VOUCHED`` order)."""
        self._touched[(table, key)] = None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction, holding the write lock from the start (BEGIN IMMEDIATE).

        Nested use (e.g. a batch import wrapping many service calls) becomes a savepoint
        inside the outer transaction, which commits them all at once.
        """
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.conn.in_transaction:
                    self.db.rollback()
                self._touched.clear()
                raise
        except sqlite3.OperationalError as err:
            failure = unavailable(err, self.path, self.busy_timeout_s)
            if failure is None:
                raise
            raise failure from None

    @contextmanager
    def read_snapshot(self) -> Iterator[None]:
        """A read transaction: every read inside sees one consistent state of the file."""
        if self.db.conn.in_transaction:
            yield
            return
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            if self.db.conn.in_transaction:
                self.db.execute("COMMIT")  # nothing was written: ends the snapshot

    def id_prefix(self) -> str:
        """What this log's readable ids begin with: ``DEMO`` in a demo log, else ``BR``."""
        row = self._one("SELECT value FROM meta WHERE key = 'id_prefix'")
        return DEMO_ID_PREFIX if row and row["value"] == DEMO_ID_PREFIX else USER_ID_PREFIX

    def mark_demo(self) -> None:
        """Make this log a demo log: every id it gives from now on begins with ``DEMO-``
        (kept in the file, so the demo opened again later goes on giving them)."""
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES ('id_prefix', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (DEMO_ID_PREFIX,),
        )

    def _one(
        self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()
    ) -> dict[str, Any] | None:
        rows = list(self.db.query(sql, params))
        return rows[0] if rows else None
