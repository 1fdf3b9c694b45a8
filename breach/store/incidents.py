"""Incidents and what hangs off them: facts versions, assessments, duties, the timeline,
and the wizard's unfinished drafts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .base import Conflict, NotFound, Tables, canonical, sha256

SUMMARY_COLUMNS = (
    "id", "title", "status", "organisation", "organisation_name", "role", "risk", "regimes",
    "next_due", "next_duty", "created_at", "updated_at",
)  # fmt: skip
DEADLINE_ORDER = "coalesce(next_due, '9999'), created_at"  # matches incidents_by_deadline


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    """A list row with its regimes decoded (they are stored as a JSON array)."""
    return {**row, "regimes": json.loads(row["regimes"])}


@dataclass(frozen=True)
class Narrowing:
    """What narrows a list of incidents besides search and *mine* (each field when set).

    ``due_before`` (ISO UTC, as stored) keeps the incidents whose next open deadline falls
    before it; a closed incident has no open deadline, so it also keeps open ones only.
    """

    status: str = "open"  # 'open', 'closed' or 'all'
    organisation: str | None = None  # the profile key (incidents.organisation)
    regime: str | None = None  # a regime with a required duty (incidents.regimes)
    due_before: str | None = None


def _narrowed(narrowing: Narrowing) -> tuple[list[str], list[Any]]:
    """SQL conditions and their parameters for ``narrowing``."""
    if narrowing.due_before and narrowing.status == "closed":
        return ["0"], []  # a closed incident has no open deadline
    where: list[str] = []
    params: list[Any] = []
    status = "open" if narrowing.due_before else narrowing.status
    if status != "all":
        where.append("status = ?")
        params.append(status)
    if narrowing.due_before:
        # the expression incidents_by_deadline indexes: a range on it, not a scan
        where.append("coalesce(next_due, '9999') < ?")
        params.append(narrowing.due_before)
    if narrowing.organisation:
        where.append("organisation = ?")
        params.append(narrowing.organisation)
    if narrowing.regime:
        # the regimes with a required duty, stored with the duties in the same transaction
        # (what the Regimes column shows) as a JSON array of ids, which the deadline index
        # holds: the quoted id found in it, without a JSON parse or a fetch of each row
        where.append("instr(regimes, json_quote(?)) > 0")
        params.append(narrowing.regime)
    return where, params


def _clause(where: list[str]) -> str:
    return f"WHERE {' AND '.join(where)}" if where else ""


def _open_only(include_closed: bool) -> Narrowing:
    return Narrowing(status="all" if include_closed else "open")


class IncidentRows(Tables):
    """Reading and writing incidents (writes inside :meth:`~Tables.transaction`)."""

    def incident(self, incident_id: str) -> dict[str, Any]:
        """The incident row; :class:`NotFound` names the id."""
        row = self._one("SELECT * FROM incidents WHERE id = ?", (incident_id,))
        if row is None:
            raise NotFound(f"no incident {incident_id!r} (see `breach list --all`)")
        return row

    def list_incidents(
        self, include_closed: bool = False, narrowing: Narrowing | None = None
    ) -> list[dict[str, Any]]:
        """Incidents, nearest open deadline first (none last); ``narrowing``, when given,
        decides which (``include_closed`` is then not read)."""
        where, params = _narrowed(narrowing or _open_only(include_closed))
        rows = self.db.query(
            f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM incidents {_clause(where)} "
            f"ORDER BY {DEADLINE_ORDER}",
            params,
        )
        return [_summary(row) for row in rows]

    def list_json(self, include_closed: bool = False, narrowing: Narrowing | None = None) -> str:
        """The same list as a JSON array built by SQLite (fast for 100,000 incidents)."""
        fields = ", ".join(
            f"'{c}', json({c})" if c == "regimes" else f"'{c}', {c}" for c in SUMMARY_COLUMNS
        )
        where, params = _narrowed(narrowing or _open_only(include_closed))
        row = self.db.execute(
            f"SELECT '[' || coalesce(group_concat(o, ','), '') || ']' FROM ("
            f"SELECT json_object({fields}) AS o FROM incidents {_clause(where)} "
            f"ORDER BY {DEADLINE_ORDER})",
            params,
        ).fetchone()
        return str(row[0])

    def organisations(self) -> list[tuple[str, str]]:
        """The organisations the log holds incidents of: (profile key, name), by name."""
        rows = self.db.execute(
            "SELECT organisation, max(organisation_name) AS name FROM incidents "
            "GROUP BY organisation ORDER BY name, organisation"
        ).fetchall()
        return [(str(key), str(name)) for key, name in rows]

    def count_incidents(self) -> int:
        """How many incidents there are."""
        return int(self.db.execute("SELECT count(*) FROM incidents").fetchone()[0])

    def page_incidents(
        self,
        include_closed: bool,
        search: str,
        limit: int,
        offset: int = 0,
        mine: str | None = None,
        narrowing: Narrowing | None = None,
    ) -> list[dict[str, Any]]:
        """One page of the dashboard list (never the whole table), optionally filtered by a
        search text, by ``mine`` (on the incident or one of its duties) and by
        ``narrowing`` (which, when given, decides the status: ``include_closed`` is then
        not read)."""
        where, params = _narrowed(narrowing or _open_only(include_closed))
        if mine:
            where.append(
                "EXISTS (SELECT 1 FROM json_tree(assignees) WHERE type = 'text' AND value = ?)"
            )
            params.append(mine)
        if search:
            where.append(
                "(id LIKE ? OR title LIKE ? OR organisation LIKE ? OR organisation_name LIKE ?)"
            )
            params += [f"%{search}%"] * 4
        rows = self.db.query(
            f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM incidents {_clause(where)} "
            f"ORDER BY {DEADLINE_ORDER} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [_summary(row) for row in rows]

    def data_version(self) -> int:
        """A number that changes when another connection commits to the file (SQLite's
        ``PRAGMA data_version``): how a screen learns that someone else changed the log."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def change_mark(self) -> tuple[int, int]:
        """Moves whenever the log changed, by another connection (``data_version``) or by
        this one (its ``total_changes``): a screen shown again reads only if it moved."""
        return self.data_version(), int(self.db.conn.total_changes)

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

    def assessments(self, incident_id: str) -> list[dict[str, Any]]:
        """Every stored assessment (facts version, rules version, Decision), oldest first."""
        rows = self.db.query(
            "SELECT facts_version, rules_version, assessed_at, decision FROM assessments "
            "WHERE incident_id = ? ORDER BY id",
            (incident_id,),
        )
        return [{**row, "decision": json.loads(row["decision"])} for row in rows]

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

    # -- writes (inside a transaction) -----------------------------------------------------

    def next_incident_id(self, year: int) -> tuple[str, int]:
        """The next readable id of ``year`` (``BR-2026-0007``; ``DEMO-2026-0007`` in a demo
        log, see :meth:`~Tables.id_prefix`) and its sequence number."""
        row = self.db.execute("SELECT max(seq) FROM incidents WHERE year = ?", (year,)).fetchone()
        seq = int(row[0] or 0) + 1
        return f"{self.id_prefix()}-{year}-{seq:04d}", seq

    def insert_incident(self, row: dict[str, Any]) -> None:
        """Add a new incident row (version 1)."""
        columns = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        self.db.execute(f"INSERT INTO incidents ({columns}) VALUES ({marks})", row)
        self._touch("incidents", row["id"])

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
        self._touch("incidents", incident_id)
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
        self._touch("facts_versions", incident_id, version)
        return sha256(text)

    def add_assessment(
        self, incident_id: str, facts_version: int, decision: dict[str, Any]
    ) -> None:
        """Store a Decision with the rules version it used."""
        cursor = self.db.execute(
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
        self._touch("assessments", cursor.lastrowid)

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
        for row in rows:
            self._touch("duties", incident_id, row["id"])

    def add_event(
        self, incident_id: str, at: str, kind: str, text: str, data: dict[str, Any], actor: str
    ) -> None:
        """Append a timeline event."""
        cursor = self.db.execute(
            "INSERT INTO events (incident_id, at, kind, text, data, actor) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (incident_id, at, kind, text, canonical(data), actor),
        )
        self._touch("events", cursor.lastrowid)

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
