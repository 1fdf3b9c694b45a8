"""A stored incident as the notices see it: facts, organisation, decision, duties, notices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from ..engine import FactsError, resolve_organisation
from ..model import ControllerContact, Facts, Organisation, facts_from_data
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

    @cached_property
    def controllers(self) -> dict[str, ControllerContact]:
        """The facts' controller customers by name (thousands are looked up per notice)."""
        return {c.name: c for c in self.facts.controllers}

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
        duties.append(
            {
                **duty,
                "local_name": authority.local_name if authority else "",
                "names": dict(authority.names) if authority else {},
                "languages": list(authority.languages) if authority else [],
            }
        )
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


#: Among duties equally (not) due, the notification itself before what follows it.
STAGE_ORDER = {"notify_authority": 0, "early_warning": 0, "incident_notification": 1}


def due_order(duty: dict[str, Any], home: str | None) -> tuple[int, bool, str, bool, int, str]:
    """Required before exempt, open before done, nearest due first, home country first,
    a notification before its follow-up."""
    country = (duty.get("recipient") or {}).get("country")
    return (
        STATUS_ORDER.get(duty["status"], 3),
        bool(duty["done_at"]),
        duty["due_at"] or "9999",
        country != home,
        STAGE_ORDER.get(duty["duty"], 2),
        duty["id"],
    )


#: Kinds drafted whatever the decision says: the register records why nothing was sent.
ALWAYS_DRAFTED = ("register",)


def pick_duty(
    view: IncidentView, kind: str, obligation_id: str | None, voluntary: bool = False
) -> tuple[dict[str, Any] | None, list[str]]:
    """The duty a notice of ``kind`` is for, and warnings for the responder.

    With ``obligation_id`` that duty (it must be one of the kind's duties). Otherwise the
    kind's first required duty not yet done (nearest deadline first), then done ones, then
    exempt and not-required ones; the other recipients are named in a warning. A notice
    for a duty that is not required is refused (:class:`NoticeError` saying why) unless
    ``voluntary``: then it is drafted, and titled as a voluntary notice.
    """
    wanted = KIND_DUTIES[kind]
    home = view.org.main_establishment
    candidates = sorted(
        (d for d in view.duties if d["duty"] in wanted), key=lambda d: due_order(d, home)
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
        if not voluntary and kind not in ALWAYS_DRAFTED:
            raise NoticeError(
                f"{view.id}: the decision has no duty a {kind} notice is for "
                "(--voluntary drafts one anyway)"
            )
        warnings.append(f"the decision lists no duty for a {kind} notice: drafted as voluntary")
        return None, warnings
    else:
        chosen = candidates[0]
        others = [d["id"] for d in candidates[1:] if d["status"] == "required"]
        if chosen["status"] == "required" and others:
            listed = ", ".join(others) if len(others) <= 5 else f"{len(others):,} more"
            warnings.append(
                f"this {kind} notice is for {chosen['id']}; also required: {listed} "
                "(choose with --recipient, or --all for every one)"
            )
    if chosen["status"] != "required":
        state = chosen["status"].replace("_", " ")
        if not voluntary and kind not in ALWAYS_DRAFTED:
            raise NoticeError(
                f"{view.id}: no {kind} notice is due: {chosen['id']} is {state}: "
                f"{chosen['reason']} (--voluntary drafts one anyway)"
            )
        warnings.append(f"{chosen['id']} is {state}: {chosen['reason']}")
    return chosen, warnings


def is_voluntary(duty: dict[str, Any] | None, kind: str) -> bool:
    """A notice the decision does not require (the register entry never is)."""
    return kind not in ALWAYS_DRAFTED and (duty is None or duty["status"] != "required")


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
