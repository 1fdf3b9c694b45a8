"""What every part of the incident log shares: its errors, canonical JSON, the connection.

The store is one SQLite file; :class:`Tables` holds its connection and the transaction
helpers every subject module (:mod:`.incidents`, :mod:`.audit`, :mod:`.notices`,
:mod:`.exchange`) builds on. Only the store speaks SQL.
"""

from __future__ import annotations

import hashlib
import json
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


def canonical(data: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept; what hashes are computed over."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256(text: str) -> str:
    """Hex SHA-256 of UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Tables:
    """The connection to one incident log, and how to read and write it safely."""

    def __init__(self, db: Database, path: Path | None) -> None:
        self.db = db
        self.path = path

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
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        self.db.execute("COMMIT")

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

    def _one(
        self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()
    ) -> dict[str, Any] | None:
        rows = list(self.db.query(sql, params))
        return rows[0] if rows else None
