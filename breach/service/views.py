"""Read-only views of stored incidents as plain data (the export's incident shape).

Free of pydantic and of the engine: ``breach list`` and ``breach show`` only read what was
stored, so they start fast on any size of log.
"""

from __future__ import annotations

import json
from typing import Any

from ..store import Store


def incident_export(store: Store, incident_id: str) -> dict[str, Any]:
    """The whole incident in the export shape of CONTRACT.md (``breach.export/1``)."""
    row = store.incident(incident_id)
    facts_version, facts = store.facts(incident_id)
    return {
        "id": row["id"],
        "title": row["title"],
        "status": row["status"],
        "organisation": row["organisation"],
        "organisation_name": row["organisation_name"],
        "role": row["role"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "version": row["version"],
        "next_due": row["next_due"],
        "next_duty": row["next_duty"],
        "facts_version": facts_version,
        "facts": facts,
        "facts_history": [
            {**version, "changed": json.loads(version["changed"])}
            for version in store.facts_history(incident_id)
        ],
        "decision": store.decision(incident_id),
        "obligations": store.duties(incident_id),
        "notices": [
            {k: v for k, v in notice.items() if k != "incident_id"}
            for notice in store.notice_versions(incident_id)
        ],
        "events": store.events(incident_id),
    }
