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
:mod:`.notices`, :mod:`.exchange`, :mod:`.remote`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from .audit import AuditChain, AuditProblem, Verification
from .base import (
    DEMO_ID_PREFIX,
    USER_ID_PREFIX,
    Conflict,
    NewerDatabase,
    NotFound,
    StoreError,
    Unavailable,
    canonical,
    sha256,
    unavailable,
)
from .exchange import ExchangeRows
from .incidents import IncidentRows
from .notices import NoticeRows
from .remote import RemoteRows
from .schema import BREACH_TABLES, MIGRATIONS, migrate, pending_migrations, refuse_newer

__all__ = [
    "DEMO_ID_PREFIX",
    "USER_ID_PREFIX",
    "AuditProblem",
    "Conflict",
    "NewerDatabase",
    "NotFound",
    "Store",
    "StoreError",
    "Unavailable",
    "Verification",
    "canonical",
    "sha256",
]


class Store(IncidentRows, AuditChain, NoticeRows, ExchangeRows, RemoteRows):
    """One SQLite incident log. Open with :meth:`open`; use as a context manager."""

    #: whether :meth:`open` started this log (the file did not exist)
    created = False
    #: whether the file is open read-only (not writable here)
    read_only = False

    @classmethod
    def open(
        cls,
        path: str | Path,
        audit_key: bytes | None = None,
        *,
        create: bool = True,
        make_folders: bool = True,
        upgrading: Callable[[str], None] = lambda message: None,
    ) -> Store:
        """Open and migrate the incident log at ``path``.

        A missing file is started (0600) when ``create``, else refused; its folder is made
        (0700) only with ``make_folders``. A file that is not a breach log, or was written
        by a newer breach, is refused untouched. A file that cannot be written here is
        opened read-only. ``":memory:"`` lives as long as the connection. ``audit_key``
        keys new audit entries (HMAC) and verifies keyed ones; ``upgrading`` hears of a
        migration before it runs.
        """
        if str(path) == ":memory:":
            memory = sqlite3.connect(":memory:", timeout=cls.busy_timeout_s)
            db = Database(memory, execute_plugins=False)
            return cls._prepare(db, None, audit_key, upgrading, writable=True)
        target = Path(path)
        created = not target.exists() and _start(target, create, make_folders)
        if not created and not target.is_file():
            raise StoreError(f"{target}: not a file (give the incident log's file with --db)")
        writable = os.access(target, os.W_OK) and os.access(target.parent, os.W_OK | os.X_OK)
        conn: sqlite3.Connection | None = None
        try:
            conn = _connect(target, writable, cls.busy_timeout_s)
            _check_identity(conn, target, created)
            db = Database(conn, execute_plugins=False)
            store = cls._prepare(db, target, audit_key, upgrading, writable=writable)
        except sqlite3.DatabaseError as err:
            if conn is not None:
                conn.close()
            failure = unavailable(err, target, cls.busy_timeout_s)
            if failure is not None:
                raise failure from None
            raise StoreError(f"{target}: not an SQLite database ({err}); left untouched") from None
        store.created, store.read_only = created, not writable
        return store

    @classmethod
    def _prepare(
        cls,
        db: Database,
        path: Path | None,
        audit_key: bytes | None,
        upgrading: Callable[[str], None],
        *,
        writable: bool,
    ) -> Store:
        db.execute(f"PRAGMA busy_timeout = {int(cls.busy_timeout_s * 1000)}")
        db.execute("PRAGMA foreign_keys = ON")
        try:
            refuse_newer(db, path)
            pending = pending_migrations(db)
            if pending and not writable:
                raise StoreError(
                    f"{path}: read-only here, and this version of breach must upgrade it "
                    f"first ({pending[0]}): open it once where it can be written"
                )
        except StoreError:
            db.close()
            raise
        if path is not None and writable:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
        if pending:
            if len(pending) < len(MIGRATIONS):
                upgrading(f"upgrading {path} for this version of breach ({', '.join(pending)})")
            migrate(db)
        return cls(db, path, audit_key)

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def discard_if_unused(self) -> bool:
        """Close, and delete the file if :meth:`open` started it and nothing was recorded
        since (a command that failed leaves no empty log behind). True if deleted."""
        unused = (
            self.created
            and self.path is not None
            and not self.db.execute("SELECT count(*) FROM audit").fetchone()[0]
        )
        self.close()
        if unused:
            assert self.path is not None
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        return bool(unused)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _start(target: Path, create: bool, make_folders: bool) -> bool:
    """Create the empty file of a new log (0600); True if this call created it."""
    if not create:
        raise StoreError(f"{target}: no incident log here (check --db; breach new starts one)")
    if not target.parent.is_dir():
        if not make_folders:
            raise StoreError(
                f"{target}: the folder {target.parent} does not exist (check --db; breach "
                "creates folders only for its default location)"
            )
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as err:
            raise StoreError(f"{target.parent}: cannot create folder ({err.strerror})") from None
    try:
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False  # another process started it first: open theirs
    except OSError as err:
        raise StoreError(f"{target}: cannot create the incident log ({err.strerror})") from None
    return True


def _connect(target: Path, writable: bool, timeout: float) -> sqlite3.Connection:
    """A connection, read-only (``mode=ro``) when the file cannot be written here."""
    if writable:
        return sqlite3.connect(str(target), timeout=timeout)
    uri = f"file:{quote(str(target.resolve()))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=timeout)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        # a WAL log in a folder we cannot write: SQLite cannot make its -shm file, so read
        # the file as it stands (nobody can be writing it from here either)
        conn.close()
        conn = sqlite3.connect(f"{uri}&immutable=1", uri=True, timeout=timeout)
    return conn


def _check_identity(conn: sqlite3.Connection, target: Path, created: bool) -> None:
    """Refuse, before anything is written, a SQLite file that is not a breach log."""
    tables = {
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    if not tables or created:
        return  # an empty file: a new log
    ours = (
        "_sqlite_migrations" in tables
        and conn.execute(
            "SELECT 1 FROM _sqlite_migrations WHERE migration_set = 'breach' LIMIT 1"
        ).fetchone()
    )
    if not ours or not tables >= BREACH_TABLES:
        conn.close()
        others = ", ".join(sorted(tables - BREACH_TABLES)[:3]) or ", ".join(sorted(tables)[:3])
        raise StoreError(
            f"{target}: an SQLite database, but not a breach incident log (tables: {others}); "
            "left untouched"
        )
