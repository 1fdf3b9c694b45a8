"""What other systems know this log by: its installation id, each incident's UUID, and
what ``breach push`` delivered where (remote ids and cursors)."""

from __future__ import annotations

from typing import Any

from .base import Tables


class RemoteRows(Tables):
    """Identities and push records (not vouched by the audit chain: they are bookkeeping
    about deliveries, not evidence of what was decided)."""

    def installation(self) -> str:
        """This log's random installation id (a UUID made when the log began)."""
        row = self._one("SELECT value FROM meta WHERE key = 'installation'")
        return str(row["value"]) if row else ""

    def set_incident_uuid(self, incident_id: str, value: str) -> None:
        """Keep an imported incident's UUID (the one it has everywhere)."""
        self.db.execute(
            "UPDATE incident_uuids SET uuid = ? WHERE incident_id = ? AND uuid <> ?",
            (value, incident_id, value),
        )

    def remote_records(self, target: str, endpoint: str, ids: list[str]) -> dict[str, Any]:
        """The push records of ``ids`` at ``target``/``endpoint``, by incident id."""
        found: dict[str, Any] = {}
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ", ".join("?" * len(part))
            for row in self.db.query(
                "SELECT * FROM remote_records WHERE target = ? AND endpoint = ? "
                f"AND incident_id IN ({marks})",
                [target, endpoint, *part],
            ):
                found[row["incident_id"]] = row
        return found

    def put_remote_record(self, record: dict[str, Any]) -> None:
        """Record (or move on) what was delivered of one incident to one endpoint."""
        self.db.table("remote_records").upsert(record, pk=("target", "endpoint", "incident_id"))

    def push_cursor(self, target: str, endpoint: str) -> str | None:
        """Where the last complete push to ``endpoint`` began (UTC), or None."""
        row = self._one(
            "SELECT cursor FROM push_cursors WHERE target = ? AND endpoint = ?", (target, endpoint)
        )
        return str(row["cursor"]) if row else None

    def put_push_cursor(self, target: str, endpoint: str, cursor: str) -> None:
        """Remember where the next incremental push starts."""
        self.db.execute(
            "INSERT INTO push_cursors (target, endpoint, cursor) VALUES (?, ?, ?) "
            "ON CONFLICT (target, endpoint) DO UPDATE SET cursor = excluded.cursor",
            (target, endpoint, cursor),
        )
