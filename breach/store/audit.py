"""The append-only, hash-chained audit log: each entry holds the SHA-256 of the previous
entry and of its own canonical JSON, so an edited or deleted entry is detected."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .base import Tables, canonical, sha256

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditProblem:
    """The first audit entry that does not verify."""

    seq: int
    problem: str


class AuditChain(Tables):
    """Appending to the audit chain and verifying it."""

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

    def state_token(self) -> str:
        """The head of the audit chain: every recorded change moves it, so two connections
        that read the same token see the same incidents."""
        row = self._one("SELECT value FROM meta WHERE key = 'audit_head'")
        return str(row["value"]) if row else ""
