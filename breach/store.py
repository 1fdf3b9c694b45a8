"""The incident log: one SQLite file, the only module that speaks SQL.

Durability and safety:
- WAL journal, ``synchronous=FULL``: a change is on disk when its transaction commits.
- Each command runs in one ``BEGIN IMMEDIATE`` transaction (:meth:`Store.transaction`), so a
  writer holds the write lock for its whole read-modify-write and two processes never
  lose each other's updates; a busy timeout makes the second wait instead of failing.
- Optimistic versions on incidents catch edits based on stale screens ("changed by
  someone else since you loaded it").
- ``events`` and ``audit`` are append-only (triggers refuse UPDATE and DELETE); each audit
  entry holds the SHA-256 of the previous entry and of its own canonical JSON, and the
  chain head is kept in ``meta``, so an edited or deleted entry is detected by
  :meth:`Store.verify_audit`.
- Ordered migrations (``sqlite_utils.Migrations``) run on open; a database written by a
  newer version of breach is refused untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database, Migrations

from .errors import BadInput, BreachError

DB_ENV = "BREACH_DB"
SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 30_000
GENESIS = "0" * 64

migrations = Migrations("breach")


class StoreError(BadInput):
    """A store problem a user can act on (printed as one line)."""


class NotFound(StoreError):
    """No such incident (or duty)."""


class Conflict(BreachError):
    """The incident changed since the caller loaded it (exit 1: retry, not bad input)."""


class NewerDatabase(StoreError):
    """The file was written by a newer breach; it is left untouched."""


def default_db_path() -> Path:
    """``BREACH_DB``, else ``breach.db`` in the platform's user data directory."""
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV])
    from platformdirs import user_data_path

    return user_data_path("breach", appauthor=False) / "breach.db"


def canonical(data: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept; what hashes are computed over."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256(text: str) -> str:
    """Hex SHA-256 of UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@migrations()
def m001_initial(db: Database) -> None:
    """Incidents, facts versions, assessments, duties, notices, events, audit, meta."""
    db.executescript(
        """
        CREATE TABLE incidents (
            id TEXT PRIMARY KEY,
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            title TEXT NOT NULL,
            organisation TEXT NOT NULL,
            organisation_name TEXT NOT NULL,
            role TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
            risk TEXT,
            regimes TEXT NOT NULL DEFAULT '[]',
            next_due TEXT,
            next_duty TEXT,
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (year, seq)
        );
        CREATE INDEX incidents_by_deadline
            ON incidents (status, coalesce(next_due, '9999'), created_at);
        CREATE TABLE facts_versions (
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            version INTEGER NOT NULL,
            facts TEXT NOT NULL,
            changed TEXT NOT NULL,
            actor TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (incident_id, version)
        );
        CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            facts_version INTEGER NOT NULL,
            rules_version TEXT NOT NULL,
            assessed_at TEXT NOT NULL,
            decision TEXT NOT NULL
        );
        CREATE INDEX assessments_incident ON assessments (incident_id, id);
        CREATE TABLE duties (
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            id TEXT NOT NULL,
            regime TEXT NOT NULL,
            duty TEXT NOT NULL,
            status TEXT NOT NULL,
            due_at TEXT,
            due_kind TEXT,
            recipient TEXT,
            basis TEXT NOT NULL,
            exemption TEXT,
            reason TEXT NOT NULL,
            rule TEXT NOT NULL,
            rule_version TEXT NOT NULL DEFAULT '',
            done_at TEXT,
            reference TEXT,
            channel TEXT,
            late_reason TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (incident_id, id)
        );
        CREATE TABLE notices (
            id INTEGER PRIMARY KEY,
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            kind TEXT NOT NULL,
            language TEXT NOT NULL,
            format TEXT NOT NULL,
            text TEXT NOT NULL,
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            sent_at TEXT
        );
        CREATE INDEX notices_incident ON notices (incident_id, id);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            incident_id TEXT NOT NULL REFERENCES incidents(id),
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            data TEXT NOT NULL DEFAULT '{}',
            actor TEXT NOT NULL
        );
        CREATE INDEX events_incident ON events (incident_id, id);
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            incident_id TEXT,
            payload TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE drafts (
            id INTEGER PRIMARY KEY,
            data TEXT NOT NULL,
            step INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
        CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
        CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """
    )


@migrations()
def m002_notices(db: Database) -> None:
    """Notice versions: status (draft/sent), recipient duty, phase, edits, send details."""
    columns = (
        "status TEXT NOT NULL DEFAULT 'draft'",
        "obligation TEXT",
        "recipient TEXT",
        "phase TEXT NOT NULL DEFAULT 'initial'",
        "edited INTEGER NOT NULL DEFAULT 0",
        "generated TEXT",
        "facts_version INTEGER",
        "unknowns TEXT NOT NULL DEFAULT '[]'",
        "channel TEXT",
        "reference TEXT",
        "actor TEXT",
    )
    for column in columns:  # one statement each: executescript would commit early
        db.execute(f"ALTER TABLE notices ADD COLUMN {column}")
    db.execute("CREATE INDEX notices_series ON notices (incident_id, kind, obligation, id)")
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER notices_sent_frozen_{verb.lower()} BEFORE {verb} ON notices "
            "WHEN OLD.status = 'sent' "
            "BEGIN SELECT RAISE(ABORT, 'a sent notice is kept as sent'); END"
        )


@dataclass(frozen=True)
class AuditProblem:
    """The first audit entry that does not verify."""

    seq: int
    problem: str


SUMMARY_COLUMNS = (
    "id", "title", "status", "organisation", "organisation_name", "role", "risk", "regimes",
    "next_due", "next_duty", "created_at", "updated_at",
)  # fmt: skip
DEADLINE_ORDER = "coalesce(next_due, '9999'), created_at"  # matches incidents_by_deadline


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    """A list row with its regimes decoded (they are stored as a JSON array)."""
    return {**row, "regimes": json.loads(row["regimes"])}


def _open_only(include_closed: bool) -> str:
    return "" if include_closed else "WHERE status = 'open'"


class Store:
    """One SQLite incident log. Open with :meth:`open`; use as a context manager."""

    def __init__(self, db: Database, path: Path | None) -> None:
        self.db = db
        self.path = path

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path | None = None) -> Store:
        """Open (creating if needed, 0700 directory / 0600 file) and migrate the database."""
        target = Path(path) if path else default_db_path()
        if str(target) == ":memory:":
            conn = sqlite3.connect(":memory:", timeout=BUSY_TIMEOUT_MS / 1000)
            return cls._prepare(Database(conn, execute_plugins=False), None)
        creating = not target.exists()
        if creating:
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
        found = db.execute("PRAGMA user_version").fetchone()[0]
        if found > SCHEMA_VERSION:
            db.close()
            raise NewerDatabase(
                f"{path}: written by a newer version of breach (schema {found}, this version "
                f"reads up to {SCHEMA_VERSION}); upgrade breach — the file was not changed"
            )
        if path is not None:
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        if migrations.pending(db):
            migrations.apply(db)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return cls(db, path)

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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

    # -- reads -----------------------------------------------------------------------------

    def _one(
        self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()
    ) -> dict[str, Any] | None:
        rows = list(self.db.query(sql, params))
        return rows[0] if rows else None

    def incident(self, incident_id: str) -> dict[str, Any]:
        """The incident row; :class:`NotFound` names the id."""
        row = self._one("SELECT * FROM incidents WHERE id = ?", (incident_id,))
        if row is None:
            raise NotFound(f"no incident {incident_id!r} (see `breach list --all`)")
        return row

    def list_incidents(self, include_closed: bool = False) -> list[dict[str, Any]]:
        """Incidents, nearest open deadline first (none last)."""
        rows = self.db.query(
            f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM incidents {_open_only(include_closed)} "
            f"ORDER BY {DEADLINE_ORDER}"
        )
        return [_summary(row) for row in rows]

    def list_json(self, include_closed: bool = False) -> str:
        """The same list as a JSON array built by SQLite (fast for 100,000 incidents)."""
        fields = ", ".join(
            f"'{c}', json({c})" if c == "regimes" else f"'{c}', {c}" for c in SUMMARY_COLUMNS
        )
        row = self.db.execute(
            f"SELECT '[' || coalesce(group_concat(o, ','), '') || ']' FROM ("
            f"SELECT json_object({fields}) AS o FROM incidents {_open_only(include_closed)} "
            f"ORDER BY {DEADLINE_ORDER})"
        ).fetchone()
        return str(row[0])

    def count_incidents(self) -> int:
        """How many incidents there are."""
        return int(self.db.execute("SELECT count(*) FROM incidents").fetchone()[0])

    def facts(self, incident_id: str) -> tuple[int, dict[str, Any]]:
        """The latest facts version number and its data."""
        row = self._one(
            "SELECT version, facts FROM facts_versions WHERE incident_id = ? "
            "ORDER BY version DESC LIMIT 1",
            (incident_id,),
        )
        if row is None:
            raise NotFound(f"incident {incident_id!r} has no facts")
        return row["version"], json.loads(row["facts"])

    def facts_history(self, incident_id: str) -> list[dict[str, Any]]:
        """Every facts version, oldest first."""
        return list(
            self.db.query(
                "SELECT version, changed, actor, created_at FROM facts_versions "
                "WHERE incident_id = ? ORDER BY version",
                (incident_id,),
            )
        )

    def decision(self, incident_id: str) -> dict[str, Any] | None:
        """The latest Decision JSON."""
        row = self._one(
            "SELECT decision FROM assessments WHERE incident_id = ? ORDER BY id DESC LIMIT 1",
            (incident_id,),
        )
        return json.loads(row["decision"]) if row else None

    def duties(self, incident_id: str) -> list[dict[str, Any]]:
        """The incident's duties in a stable order (due time, then id)."""
        rows = self.db.query(
            "SELECT * FROM duties WHERE incident_id = ? ORDER BY due_at IS NULL, due_at, id",
            (incident_id,),
        )
        result = []
        for row in rows:
            row["recipient"] = json.loads(row["recipient"]) if row["recipient"] else None
            del row["incident_id"]
            result.append(row)
        return result

    def events(self, incident_id: str) -> list[dict[str, Any]]:
        """The timeline, oldest first."""
        rows = self.db.query(
            "SELECT id, at, kind, text, data, actor FROM events WHERE incident_id = ? ORDER BY id",
            (incident_id,),
        )
        return [{**row, "data": json.loads(row["data"])} for row in rows]

    def notices(self, incident_id: str) -> list[dict[str, Any]]:
        """Stored notices, oldest first."""
        return list(
            self.db.query(
                "SELECT id, kind, language, format, text, version, created_at, sent_at "
                "FROM notices WHERE incident_id = ? ORDER BY id",
                (incident_id,),
            )
        )

    # -- wizard drafts (each answer saved at once) ------------------------------------------

    def save_draft(self, draft_id: int | None, data: dict[str, Any], step: int, at: str) -> int:
        """Create or update a new-incident draft; returns its id. Commits at once."""
        with self.transaction():
            if draft_id is None:
                cursor = self.db.execute(
                    "INSERT INTO drafts (data, step, created_at, updated_at) VALUES (?, ?, ?, ?)",
                    (canonical(data), step, at, at),
                )
                return int(cursor.lastrowid or 0)
            self.db.execute(
                "UPDATE drafts SET data = ?, step = ?, updated_at = ? WHERE id = ?",
                (canonical(data), step, at, draft_id),
            )
            return draft_id

    def latest_draft(self) -> dict[str, Any] | None:
        """The most recently edited draft (to resume), or None."""
        row = self._one("SELECT * FROM drafts ORDER BY updated_at DESC, id DESC LIMIT 1")
        return {**row, "data": json.loads(row["data"])} if row else None

    def delete_draft(self, draft_id: int) -> None:
        """Drop a draft (once its incident is recorded, or when discarded)."""
        with self.transaction():
            self.db.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))

    def page_incidents(
        self, include_closed: bool, search: str, limit: int, offset: int = 0
    ) -> list[dict[str, Any]]:
        """One page of the dashboard list (never the whole table), optionally filtered."""
        where = ["status = 'open'"] if not include_closed else []
        params: list[Any] = []
        if search:
            where.append(
                "(id LIKE ? OR title LIKE ? OR organisation LIKE ? OR organisation_name LIKE ?)"
            )
            params += [f"%{search}%"] * 4
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self.db.query(
            f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM incidents {clause} "
            f"ORDER BY {DEADLINE_ORDER} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [_summary(row) for row in rows]

    # -- writes (inside a transaction) -----------------------------------------------------

    def next_incident_id(self, year: int) -> tuple[str, int]:
        """The next readable id of ``year`` (``BR-2026-0007``) and its sequence number."""
        row = self.db.execute("SELECT max(seq) FROM incidents WHERE year = ?", (year,)).fetchone()
        seq = int(row[0] or 0) + 1
        return f"BR-{year}-{seq:04d}", seq

    def insert_incident(self, row: dict[str, Any]) -> None:
        """Add a new incident row (version 1)."""
        columns = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        self.db.execute(f"INSERT INTO incidents ({columns}) VALUES ({marks})", row)

    def update_incident(
        self, incident_id: str, fields: dict[str, Any], expected_version: int | None
    ) -> int:
        """Update fields and bump the version; :class:`Conflict` if it moved underneath."""
        current = int(self.incident(incident_id)["version"])
        if expected_version is not None and current != expected_version:
            raise Conflict(
                f"{incident_id} was changed by someone else since you loaded it "
                f"(version {expected_version}, now {current}); reload and try again"
            )
        assignments = ", ".join(f"{k} = :{k}" for k in fields)
        params = {**fields, "id": incident_id, "version": current + 1, "current": current}
        self.db.execute(
            f"UPDATE incidents SET {assignments}, version = :version "
            "WHERE id = :id AND version = :current",
            params,
        )
        return current + 1

    def add_facts_version(
        self,
        incident_id: str,
        version: int,
        facts: dict[str, Any],
        changed: list[str],
        actor: str,
        at: str,
    ) -> str:
        """Store a facts version; returns the SHA-256 of its canonical JSON (for the audit)."""
        text = canonical(facts)
        self.db.execute(
            "INSERT INTO facts_versions (incident_id, version, facts, changed, actor, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (incident_id, version, text, canonical(changed), actor, at),
        )
        return sha256(text)

    def add_assessment(
        self, incident_id: str, facts_version: int, decision: dict[str, Any]
    ) -> None:
        """Store a Decision with the rules version it used."""
        self.db.execute(
            "INSERT INTO assessments (incident_id, facts_version, rules_version, assessed_at, "
            "decision) VALUES (?, ?, ?, ?, ?)",
            (
                incident_id,
                facts_version,
                decision["rules_version"],
                decision["assessed_at"],
                canonical(decision),
            ),
        )

    def put_duties(self, incident_id: str, duties: list[dict[str, Any]]) -> None:
        """Insert or update duties (keyed by incident and obligation id) in one statement."""
        if not duties:
            return
        rows = []
        for duty in duties:
            row = {**duty, "incident_id": incident_id}
            if isinstance(row.get("recipient"), dict):
                row["recipient"] = json.dumps(row["recipient"], ensure_ascii=False)
            rows.append(row)
        columns = list(rows[0])
        updates = ", ".join(
            f"{k} = excluded.{k}" for k in columns if k not in ("incident_id", "id")
        )
        self.db.conn.executemany(
            f"INSERT INTO duties ({', '.join(columns)}) "
            f"VALUES ({', '.join(':' + k for k in columns)}) "
            f"ON CONFLICT (incident_id, id) DO UPDATE SET {updates}",
            rows,
        )

    def add_notice(self, incident_id: str, notice: dict[str, Any]) -> int:
        """Store a rendered notice; returns its id."""
        row = {**notice, "incident_id": incident_id}
        columns = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        cursor = self.db.execute(f"INSERT INTO notices ({columns}) VALUES ({marks})", row)
        return int(cursor.lastrowid or 0)

    def add_event(
        self, incident_id: str, at: str, kind: str, text: str, data: dict[str, Any], actor: str
    ) -> None:
        """Append a timeline event."""
        self.db.execute(
            "INSERT INTO events (incident_id, at, kind, text, data, actor) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (incident_id, at, kind, text, canonical(data), actor),
        )

    def append_audit(
        self, at: str, actor: str, action: str, incident_id: str | None, payload: dict[str, Any]
    ) -> str:
        """Append a hash-chained audit entry; returns its hash."""
        head = self._one("SELECT value FROM meta WHERE key = 'audit_head'")
        prev_seq, prev_hash = (0, GENESIS)
        if head:
            prev_seq, prev_hash = json.loads(head["value"])
        entry = {
            "seq": prev_seq + 1,
            "at": at,
            "actor": actor,
            "action": action,
            "incident_id": incident_id,
            "payload": payload,
            "prev_hash": prev_hash,
        }
        digest = sha256(prev_hash + canonical(entry))
        self.db.execute(
            "INSERT INTO audit (seq, at, actor, action, incident_id, payload, prev_hash, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (entry["seq"], at, actor, action, incident_id, canonical(payload), prev_hash, digest),
        )
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES ('audit_head', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (canonical([entry["seq"], digest]),),
        )
        return digest

    # -- verification ----------------------------------------------------------------------

    def verify_audit(self) -> tuple[int, AuditProblem | None]:
        """Walk the audit chain; returns (entries checked, first problem or None)."""
        prev_seq, prev_hash, count = 0, GENESIS, 0
        for row in self.db.query("SELECT * FROM audit ORDER BY seq"):
            count += 1
            seq = row["seq"]
            if seq != prev_seq + 1:
                return count, AuditProblem(prev_seq + 1, "entry is missing (deleted?)")
            if row["prev_hash"] != prev_hash:
                return count, AuditProblem(seq, "does not link to the previous entry")
            try:
                payload = json.loads(row["payload"])
            except json.JSONDecodeError:
                return count, AuditProblem(seq, "payload is not valid JSON (edited?)")
            entry = {
                "seq": seq,
                "at": row["at"],
                "actor": row["actor"],
                "action": row["action"],
                "incident_id": row["incident_id"],
                "payload": payload,
                "prev_hash": row["prev_hash"],
            }
            if sha256(prev_hash + canonical(entry)) != row["hash"]:
                return count, AuditProblem(seq, "content does not match its hash (edited?)")
            prev_seq, prev_hash = seq, row["hash"]
        head = self._one("SELECT value FROM meta WHERE key = 'audit_head'")
        if head and json.loads(head["value"]) != [prev_seq, prev_hash]:
            head_seq = json.loads(head["value"])[0]
            return count, AuditProblem(
                prev_seq + 1 if head_seq > prev_seq else head_seq,
                "the chain ends before its recorded head (entries deleted at the end?)",
            )
        problem = self._verify_facts()
        return count, problem

    def _verify_facts(self) -> AuditProblem | None:
        """Each facts version must still match the hash its audit entry recorded."""
        recorded: dict[tuple[str, int], tuple[int, str]] = {}
        for row in self.db.query(
            "SELECT seq, incident_id, payload FROM audit WHERE action IN ('open', 'update')"
        ):
            payload = json.loads(row["payload"])
            if "facts_version" in payload:
                key = (row["incident_id"], payload["facts_version"])
                recorded[key] = (row["seq"], payload["facts_sha256"])
        for row in self.db.query("SELECT incident_id, version, facts FROM facts_versions"):
            seq, digest = recorded.get((row["incident_id"], row["version"]), (0, ""))
            if sha256(row["facts"]) != digest:
                return AuditProblem(
                    seq, f"facts version {row['version']} of {row['incident_id']} was altered"
                )
        return None

    def integrity_ok(self) -> bool:
        """SQLite's own ``PRAGMA integrity_check``."""
        return bool(self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")

    # -- notices ---------------------------------------------------------------------------

    def notice_versions(self, incident_id: str) -> list[dict[str, Any]]:
        """Every stored notice version with its status and send details, oldest first."""
        rows = self.db.query(
            "SELECT * FROM notices WHERE incident_id = ? ORDER BY id", (incident_id,)
        )
        return [self._notice_data(row) for row in rows]

    def notice(self, incident_id: str, notice_id: int) -> dict[str, Any]:
        """One notice version; :class:`NotFound` names the ids."""
        row = self._one(
            "SELECT * FROM notices WHERE incident_id = ? AND id = ?", (incident_id, notice_id)
        )
        if row is None:
            raise NotFound(
                f"{incident_id} has no notice {notice_id} "
                f"(see `breach notice {incident_id} --list`)"
            )
        return self._notice_data(row)

    def notice_series(
        self, incident_id: str, kind: str, obligation: str | None
    ) -> list[dict[str, Any]]:
        """The versions of one notice (kind and recipient duty), oldest first."""
        rows = self.db.query(
            "SELECT * FROM notices WHERE incident_id = ? AND kind = ? AND obligation IS ? "
            "ORDER BY id",
            (incident_id, kind, obligation),
        )
        return [self._notice_data(row) for row in rows]

    def mark_notice_sent(
        self, notice_id: int, sent_at: str, reference: str | None, channel: str | None
    ) -> None:
        """Mark a draft version sent (a sent version is never changed again)."""
        cursor = self.db.execute(
            "UPDATE notices SET status = 'sent', sent_at = ?, reference = ?, channel = ? "
            "WHERE id = ? AND status = 'draft'",
            (sent_at, reference, channel, notice_id),
        )
        if cursor.rowcount != 1:
            raise StoreError(f"notice {notice_id} is not a draft (already sent?)")

    def assessments(self, incident_id: str) -> list[dict[str, Any]]:
        """Every stored assessment (facts version, rules version, Decision), oldest first."""
        rows = self.db.query(
            "SELECT facts_version, rules_version, assessed_at, decision FROM assessments "
            "WHERE incident_id = ? ORDER BY id",
            (incident_id,),
        )
        return [{**row, "decision": json.loads(row["decision"])} for row in rows]

    @staticmethod
    def _notice_data(row: dict[str, Any]) -> dict[str, Any]:
        """A notices row as plain data (``unknowns`` decoded, ``edited`` as bool)."""
        return {
            **row,
            "unknowns": json.loads(row.get("unknowns") or "[]"),
            "edited": bool(row.get("edited")),
        }

    # -- export and import -----------------------------------------------------------------
    # Used by breach/export/: pages of incidents as JSON fragments built by SQLite (one value
    # per incident and table, so 100,000 incidents stream in seconds), and the bulk writes
    # of an import. Child rows are exported with every column of their table, so columns
    # added by later migrations travel without changes here.

    EXPORT_JSON_COLUMNS: dict[tuple[str, str], str] = {
        ("duties", "recipient"): "json",
        ("events", "data"): "json",
        ("notices", "unknowns"): "json",
        ("notices", "edited"): "bool",
    }

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

    def state_token(self) -> str:
        """The head of the audit chain: every recorded change moves it, so two connections
        that read the same token see the same incidents."""
        row = self._one("SELECT value FROM meta WHERE key = 'audit_head'")
        return str(row["value"]) if row else ""

    def table_columns(self, table: str) -> list[str]:
        """The columns of ``table`` (incidents, duties, notices or events), in table order."""
        if table not in ("incidents", "duties", "notices", "events"):
            raise ValueError(f"not an exported table: {table}")
        return [row[1] for row in self.db.execute(f"PRAGMA table_info({table})")]

    def count_updated_since(self, since: str | None) -> int:
        """How many incidents were updated at or after ``since`` (all when None)."""
        if since is None:
            return self.count_incidents()
        row = self.db.execute(
            "SELECT count(*) FROM incidents WHERE updated_at >= ?", (since,)
        ).fetchone()
        return int(row[0])

    def incident_id_pages(self, since: str | None = None, size: int = 500) -> Iterator[list[str]]:
        """Ids of incidents updated at or after ``since`` (all when None), by year and number,
        ``size`` at a time (keyset pagination: no cursor stays open between pages)."""
        year, seq = 0, 0
        where = "" if since is None else "AND updated_at >= :since"
        while True:
            rows = self.db.execute(
                f"SELECT id, year, seq FROM incidents WHERE (year, seq) > (:year, :seq) {where} "
                "ORDER BY year, seq LIMIT :size",
                {"year": year, "seq": seq, "since": since, "size": size},
            ).fetchall()
            if not rows:
                return
            yield [row[0] for row in rows]
            year, seq = rows[-1][1], rows[-1][2]

    def existing_ids(self, ids: list[str]) -> set[str]:
        """Which of ``ids`` are incidents in this database."""
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ", ".join("?" * len(part))
            found.update(
                row[0]
                for row in self.db.execute(f"SELECT id FROM incidents WHERE id IN ({marks})", part)
            )
        return found

    def export_page(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """JSON fragments (UTF-8 bytes) of the incidents ``ids``, each keyed by incident id.

        ``head``: the incident row as a JSON object; ``versions``: a list of (version, facts
        JSON, history entry JSON) oldest first; ``decision``: the latest Decision JSON;
        ``obligations``, ``notices``, ``events``: JSON arrays of the rows, in id order.
        SQLite builds them (without the GIL) and hands over bytes, which go to the output
        without being decoded, joined or copied again.
        """
        marks = ", ".join("?" * len(ids))
        head = (
            "json_object('id', id, 'title', title, 'status', status, 'organisation', "
            "organisation, 'organisation_name', organisation_name, 'role', role, 'risk', risk, "
            "'regimes', json(regimes), 'created_at', created_at, 'updated_at', updated_at, "
            "'version', version, 'next_due', next_due, 'next_duty', next_duty)"
        )
        entry = (
            "json_object('version', version, 'changed', json(changed), 'actor', actor, "
            "'created_at', created_at)"
        )
        run = self.db.conn.execute
        page: dict[str, dict[str, Any]] = {
            "head": dict(
                run(f"SELECT id, CAST({head} AS BLOB) FROM incidents WHERE id IN ({marks})", ids)
            ),
            "versions": {},
            "decision": dict(  # rows in id order: the last one, the latest, wins
                run(
                    f"SELECT incident_id, CAST(decision AS BLOB) FROM assessments "
                    f"WHERE incident_id IN ({marks}) ORDER BY incident_id, id",
                    ids,
                )
            ),
        }
        for table, key in (("duties", "obligations"), ("notices", "notices"), ("events", "events")):
            page[key] = dict(
                run(
                    f"SELECT incident_id, CAST('[' || group_concat(o, ',') || ']' AS BLOB) FROM ("
                    f"SELECT incident_id, {self._row_json(table)} AS o FROM {table} "
                    f"WHERE incident_id IN ({marks}) ORDER BY incident_id, id"
                    ") GROUP BY incident_id",
                    ids,
                )
            )
        for incident_id, version, facts, history in run(
            f"SELECT incident_id, version, CAST(facts AS BLOB), CAST({entry} AS BLOB) "
            f"FROM facts_versions WHERE incident_id IN ({marks}) ORDER BY incident_id, version",
            ids,
        ):
            page["versions"].setdefault(incident_id, []).append((version, facts, history))
        return page

    def _row_json(self, table: str) -> str:
        """SQL building a JSON object of one row of ``table`` (without ``incident_id``)."""
        parts = []
        for column in self.table_columns(table):
            if column == "incident_id":
                continue
            kind = self.EXPORT_JSON_COLUMNS.get((table, column))
            if kind == "json":
                value = f"json({column})"
            elif kind == "bool":
                value = f"json(CASE WHEN {column} THEN 'true' ELSE 'false' END)"
            else:
                value = column
            parts.append(f"'{column}', {value}")
        return f"json_object({', '.join(parts)})"

    def row_ids_taken(self, table: str, ids: list[int]) -> bool:
        """Whether any of these row ids is already used in ``events`` or ``notices``."""
        if table not in ("events", "notices"):
            raise ValueError(f"no row ids to check in {table}")
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ", ".join("?" * len(part))
            if self.db.execute(
                f"SELECT 1 FROM {table} WHERE id IN ({marks}) LIMIT 1", part
            ).fetchone():
                return True
        return False

    def insert_rows(self, table: str, incident_id: str, rows: list[dict[str, Any]]) -> None:
        """Insert imported ``events`` or ``notices`` rows as they are (an ``id`` key keeps
        the row id; without it SQLite assigns the next one)."""
        if table not in ("events", "notices"):
            raise ValueError(f"cannot import rows into {table}")
        for row in rows:
            values = {**row, "incident_id": incident_id}
            columns = ", ".join(values)
            marks = ", ".join(f":{k}" for k in values)
            self.db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)

    def replace_incident_row(self, incident_id: str, fields: dict[str, Any]) -> None:
        """Overwrite an imported incident's row fields (its version included) as given."""
        assignments = ", ".join(f"{k} = :{k}" for k in fields)
        self.db.execute(
            f"UPDATE incidents SET {assignments} WHERE id = :id", {**fields, "id": incident_id}
        )

    def update_notice(self, notice_id: int, fields: dict[str, Any]) -> None:
        """Apply an imported change to a draft notice (a sent one is never changed)."""
        assignments = ", ".join(f"{k} = :{k}" for k in fields)
        cursor = self.db.execute(
            f"UPDATE notices SET {assignments} WHERE id = :id AND status = 'draft'",
            {**fields, "id": notice_id},
        )
        if cursor.rowcount != 1:
            raise StoreError(f"notice {notice_id} is not a draft (already sent?)")
