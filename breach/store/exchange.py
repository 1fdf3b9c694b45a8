"""Export and import: pages of incidents as JSON fragments built by SQLite, and the bulk
writes of an import.

SQLite builds one value per incident and table, so 100,000 incidents stream in seconds.
Child rows are exported with every column of their table, so columns added by later
migrations travel without changes here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .base import Tables


class ExchangeRows(Tables):
    """What ``breach.export`` reads and ``breach import`` writes."""

    EXPORT_JSON_COLUMNS: dict[tuple[str, str], str] = {
        ("duties", "recipient"): "json",
        ("events", "data"): "json",
        ("notices", "unknowns"): "json",
        ("notices", "edited"): "bool",
    }

    def table_columns(self, table: str) -> list[str]:
        """The columns of ``table`` (incidents, duties, notices or events), in table order."""
        if table not in ("incidents", "duties", "notices", "events"):
            raise ValueError(f"not an exported table: {table}")
        return [row[1] for row in self.db.execute(f"PRAGMA table_info({table})")]

    def count_updated_since(self, since: str | None) -> int:
        """How many incidents were updated at or after ``since`` (all when None)."""
        row = self.db.execute(
            "SELECT count(*) FROM incidents WHERE ? IS NULL OR updated_at >= ?", (since, since)
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
            "'version', version, 'next_due', next_due, 'next_duty', next_duty, "
            "'assignees', json(assignees), "
            "'uuid', (SELECT uuid FROM incident_uuids WHERE incident_id = incidents.id))"
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
            cursor = self.db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
            self._touch(table, cursor.lastrowid)

    def replace_incident_row(self, incident_id: str, fields: dict[str, Any]) -> None:
        """Overwrite an imported incident's row fields (its version included) as given."""
        assignments = ", ".join(f"{k} = :{k}" for k in fields)
        self.db.execute(
            f"UPDATE incidents SET {assignments} WHERE id = :id", {**fields, "id": incident_id}
        )
        self._touch("incidents", incident_id)
