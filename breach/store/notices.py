"""Stored notice versions: drafts, the user's edits, and sent versions (never changed)."""

from __future__ import annotations

import json
from typing import Any

from .base import NotFound, StoreError, Tables


class NoticeRows(Tables):
    """Reading and writing notice versions."""

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

    def add_notice(self, incident_id: str, notice: dict[str, Any]) -> int:
        """Store a rendered notice; returns its id."""
        row = {**notice, "incident_id": incident_id}
        columns = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        cursor = self.db.execute(f"INSERT INTO notices ({columns}) VALUES ({marks})", row)
        self._touch("notices", cursor.lastrowid)
        return int(cursor.lastrowid or 0)

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
        self._touch("notices", notice_id)

    def update_notice(self, notice_id: int, fields: dict[str, Any]) -> None:
        """Apply an imported change to a draft notice (a sent one is never changed)."""
        assignments = ", ".join(f"{k} = :{k}" for k in fields)
        cursor = self.db.execute(
            f"UPDATE notices SET {assignments} WHERE id = :id AND status = 'draft'",
            {**fields, "id": notice_id},
        )
        if cursor.rowcount != 1:
            raise StoreError(f"notice {notice_id} is not a draft (already sent?)")
        self._touch("notices", notice_id)

    @staticmethod
    def _notice_data(row: dict[str, Any]) -> dict[str, Any]:
        """A notices row as plain data (``unknowns`` decoded, ``edited`` as bool)."""
        return {
            **row,
            "unknowns": json.loads(row.get("unknowns") or "[]"),
            "edited": bool(row.get("edited")),
        }
