"""Read-only views of stored incidents as plain data (the export's incident shape).

Free of pydantic and of the engine: ``breach list`` and ``breach show`` only read what was
stored, so they start fast on any size of log.
"""

from __future__ import annotations

from typing import Any

from ..export.source import incident_data
from ..store import Store


def incident_export(store: Store, incident_id: str) -> dict[str, Any]:
    """The whole incident in the export shape of CONTRACT.md (``breach.export/1``): the
    same builder as ``breach export``, so ``show --json`` and an export always agree."""
    return incident_data(store, incident_id)
