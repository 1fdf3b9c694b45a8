"""Working as a team: who is on an incident or a duty, and handovers between shifts.

Every change records its actor (``--actor``, ``BREACH_ACTOR``, else the login name) on the
timeline and in the audit chain, like every other change.
"""

from __future__ import annotations

import json
from typing import Any

from ..clock import Clock, format_utc
from ..store import Store, canonical, sha256
from .incidents import ServiceError, known_duty

HANDOVER = "handover"


def assignees_of(row: dict[str, Any]) -> dict[str, Any]:
    """An incident row's assignees: ``{"incident": person | None, "duties": {id: person}}``."""
    found = row.get("assignees") or {}
    data = json.loads(found) if isinstance(found, str) else found
    return {"incident": data.get("incident"), "duties": dict(data.get("duties") or {})}


class TeamService:
    """Assign incidents and duties to people; write handover notes."""

    def __init__(self, store: Store, actor: str, record_clock: Clock) -> None:
        self.store = store
        self.actor = actor
        self.record_clock = record_clock

    def assign(
        self,
        incident_id: str,
        person: str | None,
        duty: str | None = None,
        expected_version: int | None = None,
    ) -> str:
        """Put ``person`` on the incident (or on one of its duties); None or "" takes whoever
        was on it off. Returns the sentence recorded on the timeline."""
        person = " ".join((person or "").split()) or None
        if person is not None and len(person) > 100:
            raise ServiceError("the person's name is too long (100 characters at most)")
        stamp = format_utc(self.record_clock())
        with self.store.transaction():
            row = self.store.incident(incident_id)
            current = assignees_of(row)
            if duty is not None:
                known_duty(incident_id, {d["id"]: d for d in self.store.duties(incident_id)}, duty)
                was = current["duties"].get(duty)
                if person is None:
                    current["duties"].pop(duty, None)
                else:
                    current["duties"][duty] = person
            else:
                was = current["incident"]
                current["incident"] = person
            if was == person:
                raise ServiceError(
                    f"{person or 'nobody'} is already on {duty or incident_id}"
                    if person
                    else f"nobody is assigned to {duty or incident_id}"
                )
            what = f"{duty} of {incident_id}" if duty else incident_id
            text = (
                f"{self.actor} assigned {what} to {person}" + (f" (was {was})" if was else "")
                if person
                else f"{self.actor} took {was} off {what}"
            )
            self.store.update_incident(
                incident_id,
                {"assignees": canonical(current), "updated_at": stamp},
                expected_version,
            )
            data = {"person": person, "duty": duty, "was": was}
            self.store.add_event(incident_id, stamp, "assigned", text, data, self.actor)
            self.store.append_audit(stamp, self.actor, "assign", incident_id, data)
        return text

    def handover(self, incident_id: str, text: str, expected_version: int | None = None) -> None:
        """A note for the next shift: what is done, what is open, who to call."""
        if not text.strip():
            raise ServiceError("a handover note needs some text")
        stamp = format_utc(self.record_clock())
        with self.store.transaction():
            self.store.update_incident(incident_id, {"updated_at": stamp}, expected_version)
            self.store.add_event(incident_id, stamp, HANDOVER, text, {}, self.actor)
            self.store.append_audit(
                stamp, self.actor, HANDOVER, incident_id, {"text_sha256": sha256(text)}
            )
