"""The append-only, hash-chained audit log, and the rows it vouches for.

Each entry holds the hash of the previous entry and of its own canonical JSON, and lists
every row its change wrote (incident, facts version, assessment, duty, notice, event) with
the SHA-256 of the row as stored. :meth:`AuditChain.verify_audit` walks the chain, then
recomputes every row's hash from the tables and names the first row that differs, is
missing, or is vouched for by no entry. With a key (HMAC-SHA256) a rewrite of the chain
without the key is caught too; a head kept outside the file (``expect``) catches
truncation and a full rewrite.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from .base import VOUCHED, Tables, canonical, sha256

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditProblem:
    """The first thing that does not verify: an entry (``seq``), or a row (``seq`` 0 when
    no entry vouches for it)."""

    seq: int
    problem: str

    def __str__(self) -> str:
        return f"audit entry {self.seq}: {self.problem}" if self.seq else self.problem


@dataclass(frozen=True)
class Verification:
    """What ``verify_audit`` found: entries and rows checked, the first problem, and the
    first keyed entry (0 when no entry is keyed)."""

    entries: int
    rows: int
    problem: AuditProblem | None
    keyed_from: int

    @property
    def keyed(self) -> bool:
        return self.keyed_from > 0


def row_hash(row: dict[str, Any]) -> str:
    """The SHA-256 of a stored row: its canonical JSON, every column by name."""
    return sha256(canonical(row))


def _digest(prev_hash: str, entry: dict[str, Any], key: bytes | None) -> str:
    text = prev_hash + canonical(entry)
    if key is None:
        return sha256(text)
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def read_rows(
    db: Database, table: str, keys: list[tuple[Any, ...]]
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Rows of a vouched table by their keys: one indexed query per 300 keys (per
    incident for a two-column key; SQLite scans the table for a row-value ``IN``)."""
    columns = VOUCHED[table]
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for key in keys:
        groups.setdefault(key[:-1], []).append(key[-1])
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    where = "".join(f"{column} = ? AND " for column in columns[:-1])
    for prefix, lasts in groups.items():
        for start in range(0, len(lasts), 300):
            part = lasts[start : start + 300]
            marks = ", ".join("?" * len(part))
            sql = f"SELECT * FROM {table} WHERE {where}{columns[-1]} IN ({marks})"
            for row in db.query(sql, [*prefix, *part]):
                found[tuple(row[c] for c in columns)] = row
    return found


def head_of(db: Database) -> tuple[int, str]:
    """The chain's last entry (seq and hash); ``(0, GENESIS)`` for an empty chain."""
    rows = list(db.query("SELECT value FROM meta WHERE key = 'audit_head'"))
    if not rows:
        return 0, GENESIS
    seq, digest = json.loads(rows[0]["value"])
    return int(seq), str(digest)


def append_entry(
    db: Database,
    at: str,
    actor: str,
    action: str,
    incident_id: str | None,
    payload: dict[str, Any],
    rows: list[list[Any]],
    key: bytes | None,
) -> str:
    """Append one entry vouching for ``rows`` ([table, key, hash]); returns its hash."""
    prev_seq, prev_hash = head_of(db)
    entry: dict[str, Any] = {
        "seq": prev_seq + 1,
        "at": at,
        "actor": actor,
        "action": action,
        "incident_id": incident_id,
        "payload": payload,
        "prev_hash": prev_hash,
    }
    if rows:
        entry["rows"] = rows
    if key is not None:
        entry["keyed"] = True
    digest = _digest(prev_hash, entry, key)
    db.execute(
        "INSERT INTO audit (seq, at, actor, action, incident_id, payload, prev_hash, hash, "
        "rows, keyed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            entry["seq"], at, actor, action, incident_id, canonical(payload), prev_hash, digest,
            canonical(rows), int(key is not None),
        ),
    )  # fmt: skip
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (canonical([entry["seq"], digest]),),
    )
    return digest


def rows_of(
    db: Database, incident_id: str
) -> Iterator[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    """Every vouched row of one incident: (table, key, row)."""
    for table, columns in VOUCHED.items():
        column = "id" if table == "incidents" else "incident_id"
        for row in db.query(
            f"SELECT * FROM {table} WHERE {column} = ? ORDER BY rowid", [incident_id]
        ):
            yield table, tuple(row[c] for c in columns), row


class AuditChain(Tables):
    """Appending to the audit chain and verifying it and the rows it vouches for."""

    def append_audit(
        self, at: str, actor: str, action: str, incident_id: str | None, payload: dict[str, Any]
    ) -> str:
        """Append an entry vouching for every row written since the last one; its hash."""
        by_table: dict[str, list[tuple[Any, ...]]] = {}
        for table, key in self._touched:
            by_table.setdefault(table, []).append(key)
        rows = []
        for table, keys in by_table.items():
            stored = read_rows(self.db, table, keys)
            rows += [[table, list(k), row_hash(stored[k])] for k in keys if k in stored]
        self._touched.clear()
        return append_entry(self.db, at, actor, action, incident_id, payload, rows, self.audit_key)

    def verify_size(self) -> int:
        """The steps of :meth:`verify_audit`: entries, then incidents."""
        entries = self.db.execute("SELECT count(*) FROM audit").fetchone()[0]
        incidents = self.db.execute("SELECT count(*) FROM incidents").fetchone()[0]
        return int(entries) + int(incidents)

    def audit_head(self) -> tuple[int, str]:
        """The chain's head: the last entry's seq and hash (keep it outside the file)."""
        return head_of(self.db)

    def verify_audit(
        self,
        expect: tuple[int, str] | None = None,
        tick: Callable[[int], None] = lambda n: None,
        incident_id: str | None = None,
    ) -> Verification:
        """Walk the chain, then every vouched row; the first problem, if any.

        ``expect`` is a head kept outside the file: the chain must still reach it.
        ``tick`` is called with 1 per entry and per incident checked (progress).
        ``incident_id`` checks the rows of that incident only (the whole chain still).
        """
        entries, problem, keyed_from = self._walk(expect, tick)
        if problem is not None:
            return Verification(entries, 0, problem, keyed_from)
        count, problem = self._check_rows(tick, incident_id)
        return Verification(entries, count, problem, keyed_from)

    def _walk(
        self, expect: tuple[int, str] | None, tick: Callable[[int], None]
    ) -> tuple[int, AuditProblem | None, int]:
        prev_seq, prev_hash, count, keyed = 0, GENESIS, 0, 0
        reached = expect is None
        for row in self.db.query("SELECT * FROM audit ORDER BY seq"):
            count += 1
            tick(1)
            seq = row["seq"]
            if seq != prev_seq + 1:
                return count, AuditProblem(prev_seq + 1, "entry is missing (deleted?)"), keyed
            if row["prev_hash"] != prev_hash:
                return count, AuditProblem(seq, "does not link to the previous entry"), keyed
            try:
                entry = {
                    "seq": seq,
                    "at": row["at"],
                    "actor": row["actor"],
                    "action": row["action"],
                    "incident_id": row["incident_id"],
                    "payload": json.loads(row["payload"]),
                    "prev_hash": row["prev_hash"],
                }
                rows = json.loads(row["rows"])
            except json.JSONDecodeError:
                return count, AuditProblem(seq, "is not valid JSON (edited?)"), keyed
            if rows:
                entry["rows"] = rows
            if row["keyed"]:
                entry["keyed"] = True
                if self.audit_key is None:
                    why = (
                        "is keyed, and the audit key is not here: restore your backup of "
                        "audit.key to verify it"
                    )
                    return count, AuditProblem(seq, why), keyed or seq
                keyed = keyed or seq
            elif keyed:
                why = "is not keyed although earlier entries are (rewritten without the key?)"
                return count, AuditProblem(seq, why), keyed
            digest = _digest(prev_hash, entry, self.audit_key if row["keyed"] else None)
            if digest != row["hash"]:
                return count, AuditProblem(seq, "content does not match its hash (edited?)"), keyed
            if expect is not None and seq == expect[0]:
                if row["hash"] != expect[1]:
                    why = "differs from the head you kept (the chain was rewritten)"
                    return count, AuditProblem(seq, why), keyed
                reached = True
            prev_seq, prev_hash = seq, row["hash"]
        head = head_of(self.db)
        if head != (prev_seq, prev_hash):
            where = prev_seq + 1 if head[0] > prev_seq else head[0]
            why = "the chain ends before its recorded head (entries deleted at the end?)"
            return count, AuditProblem(where, why), keyed
        if not reached and expect is not None:
            why = (
                f"the chain no longer reaches the head you kept ({expect[0]}:{expect[1][:12]}…): "
                f"it ends at entry {prev_seq} (truncated or rewritten)"
            )
            return count, AuditProblem(0, why), keyed
        return count, None, keyed

    def _check_rows(
        self, tick: Callable[[int], None], only: str | None = None
    ) -> tuple[int, AuditProblem | None]:
        """Every vouched row against the hash its latest entry recorded, incident by
        incident (so memory holds one incident's rows at a time)."""
        ids = (
            [only]
            if only is not None
            else [
                row[0]
                for row in self.db.execute(
                    "SELECT id FROM incidents UNION SELECT incident_id FROM audit "
                    "WHERE incident_id IS NOT NULL "
                    + "".join(
                        f"UNION SELECT incident_id FROM {t} " for t in VOUCHED if t != "incidents"
                    )
                    + "ORDER BY 1"
                )
            ]
        )
        checked = 0
        for incident_id in ids:
            tick(1)
            vouched: dict[tuple[str, tuple[Any, ...]], tuple[str, int]] = {}
            for entry in self.db.query(
                "SELECT seq, rows FROM audit WHERE incident_id = ? ORDER BY seq", [incident_id]
            ):
                for table, key, digest in json.loads(entry["rows"]):
                    vouched[(table, tuple(key))] = (digest, entry["seq"])
            for table, key, row in rows_of(self.db, incident_id):
                checked += 1
                recorded = vouched.pop((table, key), None)
                name = _row_name(table, key, incident_id)
                if recorded is None:
                    why = f"{name} is vouched for by no audit entry (written outside breach?)"
                    return checked, AuditProblem(0, why)
                if row_hash(row) != recorded[0]:
                    why = f"{name} differs from what this entry recorded (edited?)"
                    return checked, AuditProblem(recorded[1], why)
            if vouched:
                (table, key), (_, seq) = min(vouched.items(), key=lambda item: item[1][1])
                why = f"{_row_name(table, key, incident_id)} is missing (deleted?)"
                return checked, AuditProblem(seq, why)
        return checked, None

    def integrity_ok(self) -> bool:
        """SQLite's own ``PRAGMA integrity_check``."""
        return bool(self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")

    def state_token(self) -> str:
        """The head of the audit chain: every recorded change moves it, so two connections
        that read the same token see the same incidents."""
        row = self._one("SELECT value FROM meta WHERE key = 'audit_head'")
        return str(row["value"]) if row else ""


def _row_name(table: str, key: tuple[Any, ...], incident_id: str) -> str:
    """ "duty gdpr.notify_authority.LU of BR-2026-0001", "the incident row of BR-2026-0001"."""
    names = {
        "incidents": "the incident row",
        "facts_versions": f"facts version {key[-1]}",
        "assessments": f"assessment #{key[-1]}",
        "duties": f"duty {key[-1]}",
        "notices": f"notice #{key[-1]}",
        "events": f"timeline event #{key[-1]}",
    }
    return f"{names[table]} of {incident_id}"
