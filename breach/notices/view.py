"""A stored incident as the notices see it: facts, organisation, decision, duties, notices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..engine import FactsError, resolve_organisation
from ..model import Facts, Organisation, facts_from_data
from ..rules import Authority, Profile, RuleSet
from .errors import NoticeError
from .fmt import instant
from .kinds import KIND_DUTIES

STATUS_ORDER = {"required": 0, "exempt": 1, "not_required": 2}


@dataclass
class IncidentView:
    """Everything stored about one incident, with its facts parsed and organisation resolved."""

    data: dict[str, Any]
    facts: Facts
    org: Organisation
    profile: Profile | None
    decision: dict[str, Any]
    duties: list[dict[str, Any]]
    notices: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)
    authorities: dict[str, Authority] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """The incident id (``BR-2026-0001``)."""
        return str(self.data["id"])

    def duty(self, obligation_id: str) -> dict[str, Any] | None:
        """The stored duty with this obligation id."""
        return next((d for d in self.duties if d["id"] == obligation_id), None)


def build_view(
    data: dict[str, Any],
    rules: RuleSet,
    notices: list[dict[str, Any]] | None = None,
    assessments: list[dict[str, Any]] | None = None,
) -> IncidentView:
    """Build the view from ``views.incident_export`` data (plus notice versions)."""
    facts = facts_from_data(data["facts"], f"stored facts of {data['id']}")
    try:
        org, profile = resolve_organisation(facts, rules)
    except FactsError:  # the profile was removed from the rules since: keep what was stored
        org, profile = Organisation(id=data["organisation"], name=data["organisation_name"]), None
    directory = {a.id: a for a in rules.authorities.authorities}
    authorities: dict[str, Authority] = {}
    duties = []
    for duty in data.get("obligations") or []:
        authority = directory.get(((duty.get("recipient") or {}).get("authority_id")) or "")
        if authority is not None:
            authorities[authority.id] = authority
        duties.append({**duty, "local_name": authority.local_name if authority else ""})
    return IncidentView(
        data=data,
        facts=facts,
        org=org,
        profile=profile,
        decision=data.get("decision") or {},
        duties=duties,
        notices=list(notices if notices is not None else data.get("notices") or []),
        assessments=list(assessments or []),
        authorities=authorities,
    )


def _due_key(duty: dict[str, Any], home: str | None) -> tuple[int, bool, str, bool, str]:
    """Required before exempt, open before done, nearest due first, home country first."""
    country = (duty.get("recipient") or {}).get("country")
    return (
        STATUS_ORDER.get(duty["status"], 3),
        bool(duty["done_at"]),
        duty["due_at"] or "9999",
        country != home,
        duty["id"],
    )


def pick_duty(
    view: IncidentView, kind: str, obligation_id: str | None
) -> tuple[dict[str, Any] | None, list[str]]:
    """The duty a notice of ``kind`` is for, and warnings for the responder.

    With ``obligation_id`` that duty (it must be one of the kind's duties). Otherwise the
    kind's first required duty not yet done (nearest deadline first), then done ones, then
    exempt and not-required ones; the other recipients are named in a warning.
    """
    wanted = KIND_DUTIES[kind]
    home = view.org.main_establishment
    candidates = sorted(
        (d for d in view.duties if d["duty"] in wanted), key=lambda d: _due_key(d, home)
    )
    warnings: list[str] = []
    if obligation_id:
        chosen = next((d for d in candidates if d["id"] == obligation_id), None)
        if chosen is None:
            known = ", ".join(d["id"] for d in candidates) or "none"
            raise NoticeError(
                f"{view.id}: {obligation_id!r} is not a duty a {kind} notice is for "
                f"(duties: {known})"
            )
    elif not candidates:
        warnings.append(f"the decision lists no duty for a {kind} notice; drafting one anyway")
        return None, warnings
    else:
        chosen = candidates[0]
        others = [d["id"] for d in candidates[1:] if d["status"] == "required"]
        if chosen["status"] == "required" and others:
            warnings.append(
                f"this {kind} notice is for {chosen['id']}; also required: "
                f"{', '.join(others)} (choose with --recipient)"
            )
    if chosen["status"] != "required":
        warnings.append(
            f"{chosen['id']} is {chosen['status'].replace('_', ' ')}: {chosen['reason']}"
        )
    return chosen, warnings


def phase_for(
    duty: dict[str, Any] | None, series: list[dict[str, Any]], requested: str | None = None
) -> str:
    """``initial`` or ``follow_up`` (GDPR Art. 33(4), 611/2013 Art. 2(3), NIS2 stages)."""
    if requested:
        return requested.replace("-", "_")
    if duty is not None and (duty["duty"] == "follow_up" or duty["done_at"]):
        return "follow_up"
    return "follow_up" if any(n["status"] == "sent" for n in series) else "initial"


def previous_send(
    duty: dict[str, Any] | None, series: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The last time this notice went out: ``{"at", "reference"}`` or None."""
    sent = [n for n in series if n["status"] == "sent"]
    if sent:
        return {"at": sent[-1]["sent_at"], "reference": sent[-1]["reference"]}
    if duty is not None and duty["done_at"]:
        return {"at": duty["done_at"], "reference": duty["reference"]}
    return None


def is_late(duty: dict[str, Any], now: datetime) -> bool:
    """A deadline duty done after its deadline, or still open past it."""
    due = instant(duty["due_at"])
    if duty["due_kind"] != "deadline" or due is None:
        return False
    done = instant(duty["done_at"])
    return (done or now) > due
