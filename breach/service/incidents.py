"""The incident lifecycle, used by the CLI and the UI alike (no legal logic here).

Every public method is one transaction: it reads what it needs, writes the change, appends
timeline events and a hash-chained audit entry, and commits — or changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..clock import Clock, format_utc, humanise
from ..engine import assess
from ..model import Decision, Facts, Organisation, facts_from_data
from ..rules import RuleSet
from ..store import NotFound, Store, StoreError, sha256

MERGED_OBJECTS = ("subjects",)  # objects merged key by key on update; others are replaced


class ServiceError(StoreError):
    """A request the service refuses (bad input: exit 2)."""


@dataclass(frozen=True)
class Change:
    """What an update did: the new facts version and how the duties moved."""

    incident_id: str
    facts_version: int
    changed: list[str]
    decision: Decision
    duty_changes: list[str]


@dataclass(frozen=True)
class Fulfilment:
    """A duty done: when, the recipient's reference, the channel, reasons if late."""

    obligation_id: str
    at: datetime | None = None
    reference: str | None = None
    channel: str | None = None
    reason: str | None = None


class IncidentService:
    """Open, update, mark done, note, close and reopen incidents in a :class:`Store`."""

    def __init__(
        self,
        store: Store,
        rules: RuleSet,
        clock: Clock,
        actor: str,
        record_clock: Clock | None = None,
    ) -> None:
        """``clock`` gives the instant assessed; ``record_clock`` (default: ``clock``)
        stamps what is recorded. The CLI and the UI pass the real clock as
        ``record_clock``, so ``--now`` never moves a record time."""
        self.store = store
        self.rules = rules
        self.clock = clock
        self.record_clock = record_clock or clock
        self.actor = actor

    # -- lifecycle -------------------------------------------------------------------------

    def open(self, facts: Facts) -> str:
        """Record a new incident from ``facts``, assess it, and return its id."""
        decision = assess(facts, self.rules, self.clock())
        data = facts.model_dump(mode="json", by_alias=True, exclude_none=False)
        org = facts.organisation
        org_id, org_name = (
            (org.id, org.name)
            if isinstance(org, Organisation)
            else (org, self.rules.profiles[org].name)
        )
        recorded = self.record_clock()
        at = format_utc(recorded)
        dump = decision.dump()
        duties = [duty_row(ob, at) for ob in _obligations(dump)]
        with self.store.transaction():
            incident_id, seq = self.store.next_incident_id(recorded.year)
            self.store.insert_incident(
                {
                    "id": incident_id,
                    "year": recorded.year,
                    "seq": seq,
                    "title": facts.title or "(untitled incident)",
                    "organisation": org_id,
                    "organisation_name": org_name,
                    "role": facts.role,
                    "status": "open",
                    "version": 1,
                    "created_at": at,
                    "updated_at": at,
                    **summary(decision.risk, duties),
                }
            )
            digest = self.store.add_facts_version(
                incident_id, 1, data, sorted(data), self.actor, at
            )
            self.store.add_event(incident_id, at, "opened", "Incident opened", {}, self.actor)
            self.store.add_assessment(incident_id, 1, dump)
            self.store.put_duties(incident_id, duties)
            self._audit(at, "open", incident_id, facts_version=1, facts_sha256=digest)
        return incident_id

    def update(
        self,
        incident_id: str,
        changes: dict[str, Any],
        expected_version: int | None = None,
        tz: str | None = None,
    ) -> Change:
        """Merge ``changes`` into the facts (a new version), re-assess, record what moved."""
        now = self.clock()
        at = format_utc(self.record_clock())
        with self.store.transaction():
            incident = self.store.incident(incident_id)
            version, current = self.store.facts(incident_id)
            merged = merge_facts(current, changes)
            facts = facts_from_data(merged, f"update of {incident_id}", tz)
            data = facts.model_dump(mode="json", by_alias=True, exclude_none=False)
            changed = sorted(k for k in set(data) | set(current) if data.get(k) != current.get(k))
            decision = assess(facts, self.rules, now)
            new_version = version + 1
            digest = self.store.add_facts_version(
                incident_id, new_version, data, changed, self.actor, at
            )
            what = ", ".join(changed) or "nothing"
            self.store.add_event(
                incident_id,
                at,
                "facts",
                f"Facts updated (version {new_version}): {what}",
                {"changed": changed, "facts_version": new_version},
                self.actor,
            )
            moved, duties = self._reconcile(incident_id, new_version, decision, at)
            self.store.update_incident(
                incident_id,
                {
                    "title": facts.title or incident["title"],
                    "role": facts.role,
                    "updated_at": at,
                    **summary(decision.risk, duties),
                },
                expected_version,
            )
            self._audit(at, "update", incident_id, facts_version=new_version, facts_sha256=digest)
        return Change(incident_id, new_version, changed, decision, moved)

    def mark_done(
        self,
        incident_id: str,
        obligation_id: str,
        at: datetime | None = None,
        reference: str | None = None,
        channel: str | None = None,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> dict[str, Any]:
        """Mark a duty fulfilled (``at``, default: the instant assessed); a late deadline
        duty needs ``reason`` (GDPR Art. 33(1)), else the facts' ``delay_reason``."""
        item = Fulfilment(obligation_id, at, reference, channel, reason)
        return self.mark_done_many(incident_id, [item], expected_version)[0]

    def mark_done_many(
        self,
        incident_id: str,
        items: list[Fulfilment],
        expected_version: int | None = None,
    ) -> list[dict[str, Any]]:
        """Mark several duties fulfilled in one transaction (a mail tool's delivery log for
        thousands of controller notices): all of them, or none if one is refused."""
        assessed = self.clock()  # the default done time, read first:
        now = self.record_clock()  # the same clock then never runs behind it
        stamp = format_utc(now)
        done: list[dict[str, Any]] = []
        with self.store.transaction():
            self.store.incident(incident_id)
            duties = {d["id"]: d for d in self.store.duties(incident_id)}
            _, facts = self.store.facts(incident_id)
            detected = facts_from_data(facts).detected_at
            for item in items:
                at = item.at or assessed
                updated = self._fulfil(incident_id, duties, item, at, detected, now, facts)
                duties[item.obligation_id] = updated
                done.append(updated)
            # rows first: each audit entry vouches for the rows as they now stand
            self.store.put_duties(incident_id, done)
            nearest = next_due(list(duties.values()))
            self.store.update_incident(
                incident_id, {**nearest, "updated_at": stamp}, expected_version
            )
            for updated in done:
                self._record_done(incident_id, stamp, updated)
        return done

    def _fulfil(
        self,
        incident_id: str,
        duties: dict[str, dict[str, Any]],
        item: Fulfilment,
        done_at: datetime,
        detected: datetime,
        now: datetime,
        facts: dict[str, Any],
    ) -> dict[str, Any]:
        """The duty as done by ``item``, or :class:`ServiceError` saying why it cannot be."""
        obligation_id = item.obligation_id
        duty = known_duty(incident_id, duties, obligation_id)
        if duty["done_at"]:
            raise ServiceError(f"{obligation_id} was already marked done at {duty['done_at']}")
        if done_at < detected:
            raise ServiceError(
                f"done time {format_utc(done_at)} is before the incident was detected "
                f"({format_utc(detected)})"
            )
        if done_at > now:
            raise ServiceError(f"done time {format_utc(done_at)} is in the future")
        late = (
            duty["due_kind"] == "deadline"
            and duty["due_at"] is not None
            and format_utc(done_at) > duty["due_at"]
        )
        reason = (item.reason or "").strip() or (facts.get("delay_reason") or "").strip() or None
        if late and not reason:
            overdue = humanise(done_at - datetime.fromisoformat(duty["due_at"]))
            raise ServiceError(
                f"{obligation_id} was done {overdue} after its deadline: give the reasons "
                "for the delay with --reason, or as delay_reason in the facts "
                "(GDPR Art. 33(1))"
            )
        return {
            **duty,
            "done_at": format_utc(done_at),
            "reference": item.reference,
            "channel": item.channel,
            "late_reason": reason if late else duty["late_reason"],
            "updated_at": format_utc(now),
        }

    def _record_done(self, incident_id: str, stamp: str, duty: dict[str, Any]) -> None:
        reference = duty["reference"]
        text = f"Done: {duty['id']}" + (f" (ref {reference})" if reference else "")
        self.store.add_event(
            incident_id,
            stamp,
            "done",
            text,
            {
                "duty": duty["id"],
                "done_at": duty["done_at"],
                "reference": reference,
                "channel": duty["channel"],
                "late_reason": duty["late_reason"],
            },
            self.actor,
        )
        self._audit(
            stamp,
            "done",
            incident_id,
            duty=duty["id"],
            done_at=duty["done_at"],
            reference=reference,
            late_reason=duty["late_reason"],
        )

    def reopen_duty(
        self,
        incident_id: str,
        duty_id: str,
        reason: str,
        expected_version: int | None = None,
    ) -> dict[str, Any]:
        """Open again a duty marked done by mistake; ``reason`` is required and goes into
        the timeline and the audit trail with what the duty had recorded. A notice marked
        sent stays recorded as sent (sent notices are frozen): only the duty is open again.
        Returns the duty as it now stands."""
        why = (reason or "").strip()
        if not why:
            raise ServiceError(f"give the reason for reopening {duty_id} (it goes into the audit)")
        stamp = format_utc(self.record_clock())
        with self.store.transaction():
            self.store.incident(incident_id)
            duties = {d["id"]: d for d in self.store.duties(incident_id)}
            duty = known_duty(incident_id, duties, duty_id)
            if not duty["done_at"]:
                raise ServiceError(f"{duty_id} is not marked done: nothing to reopen")
            was = {
                "done_at": duty["done_at"],
                "reference": duty["reference"],
                "channel": duty["channel"],
            }
            reopened = {
                **duty,
                **dict.fromkeys(DONE_FIELDS),
                "updated_at": stamp,
            }
            duties[duty_id] = reopened
            # rows first: the audit entry vouches for the rows as they now stand
            self.store.put_duties(incident_id, [reopened])
            self.store.update_incident(
                incident_id,
                {**next_due(list(duties.values())), "updated_at": stamp},
                expected_version,
            )
            ref = f" ref {was['reference']}" if was["reference"] else ""
            self.store.add_event(
                incident_id,
                stamp,
                "reopened_duty",
                f"Reopened {duty_id}: {why} (was done at {was['done_at']}{ref}; a notice "
                "marked sent stays recorded as sent)",
                {"duty": duty_id, "reason": why, "was": was},
                self.actor,
            )
            self._audit(stamp, "reopened_duty", incident_id, duty=duty_id, reason=why, was=was)
        return reopened

    def add_note(self, incident_id: str, text: str, expected_version: int | None = None) -> None:
        """Append a note to the timeline."""
        if not text.strip():
            raise ServiceError("a note needs some text")
        stamp = format_utc(self.record_clock())
        with self.store.transaction():
            self.store.update_incident(incident_id, {"updated_at": stamp}, expected_version)
            self.store.add_event(incident_id, stamp, "note", text, {}, self.actor)
            self._audit(stamp, "note", incident_id, text_sha256=sha256(text))

    def set_status(
        self, incident_id: str, status: str, expected_version: int | None = None
    ) -> None:
        """Close or reopen an incident."""
        stamp = format_utc(self.record_clock())
        with self.store.transaction():
            incident = self.store.incident(incident_id)
            if incident["status"] == status:
                raise ServiceError(f"{incident_id} is already {status}")
            self.store.update_incident(
                incident_id, {"status": status, "updated_at": stamp}, expected_version
            )
            verb = "closed" if status == "closed" else "reopened"
            self.store.add_event(incident_id, stamp, verb, f"Incident {verb}", {}, self.actor)
            self._audit(stamp, verb, incident_id)

    # -- internals -------------------------------------------------------------------------

    def _reconcile(
        self, incident_id: str, facts_version: int, decision: Decision, at: str
    ) -> tuple[list[str], list[dict[str, Any]]]:
        """Store the decision, reconcile the duties, log every duty that moved.

        Returns the moves and the duties as they now stand. A duty the rules no longer
        produce stays listed as not required, with why.
        """
        dump = decision.dump()
        self.store.add_assessment(incident_id, facts_version, dump)
        before = {d["id"]: d for d in self.store.duties(incident_id)}
        moved: list[str] = []
        rows: dict[str, dict[str, Any]] = {}
        for ob in _obligations(dump):
            old = before.get(ob["id"])
            keep = {k: old[k] for k in DONE_FIELDS} if old else {}
            rows[ob["id"]] = {**duty_row(ob, at), **keep}
            if old is None or old["status"] != ob["status"]:
                was = old["status"] if old else "new"
                moved.append(f"{ob['id']}: {was} -> {ob['status']}")
                self.store.add_event(
                    incident_id,
                    at,
                    "duty",
                    f"{ob['id']} is now {ob['status']}: {ob['reason']}",
                    {"duty": ob["id"], "from": was, "to": ob["status"]},
                    self.actor,
                )
        for duty_id, old in before.items():
            if duty_id in rows:
                continue
            if old["status"] == "not_required":
                rows[duty_id] = old
                continue
            why = "the rules no longer produce this duty for the current facts"
            rows[duty_id] = {**old, "status": "not_required", "reason": why, "updated_at": at}
            moved.append(f"{duty_id}: {old['status']} -> not_required")
            self.store.add_event(
                incident_id,
                at,
                "duty",
                f"{duty_id} is no longer required: {why}",
                {"duty": duty_id, "from": old["status"], "to": "not_required"},
                self.actor,
            )
        self.store.put_duties(incident_id, list(rows.values()))
        return moved, list(rows.values())

    def _audit(self, at: str, action: str, incident_id: str, **payload: Any) -> None:
        self.store.append_audit(at, self.actor, action, incident_id, payload)


DONE_FIELDS = ("done_at", "reference", "channel", "late_reason")


def _obligations(dump: dict[str, object]) -> list[dict[str, Any]]:
    obligations: list[dict[str, Any]] = dump["obligations"]  # type: ignore[assignment]
    return obligations


def known_duty(incident_id: str, duties: dict[str, Any], duty_id: str) -> dict[str, Any]:
    """The duty ``duty_id`` of ``duties`` (by id), or :class:`NotFound` naming the ones there."""
    duty = duties.get(duty_id)
    if duty is None:
        known = ", ".join(sorted(duties)) or "none"
        if len(duties) > 20:
            known = f"{len(duties):,} duties; see breach show {incident_id}"
        raise NotFound(f"{incident_id} has no duty {duty_id!r} (duties: {known})")
    return dict(duty)


def duty_row(ob: dict[str, Any], at: str) -> dict[str, Any]:
    """A stored duty from a Decision obligation (not yet done)."""
    return {
        "id": ob["id"],
        "regime": ob["regime"],
        "duty": ob["duty"],
        "status": ob["status"],
        "due_at": ob["due_at"],
        "due_kind": ob["due_kind"],
        "recipient": ob["recipient"],
        "basis": ob["basis"],
        "exemption": ob["exemption"],
        "reason": ob["reason"],
        "rule": ob["rule"],
        "rule_version": ob.get("rule_version", ""),
        "done_at": None,
        "reference": None,
        "channel": None,
        "late_reason": None,
        "updated_at": at,
    }


def next_due(duties: list[dict[str, Any]]) -> dict[str, Any]:
    """The nearest open required duty (deadlines before targets on a tie)."""
    open_duties = [
        d for d in duties if d["status"] == "required" and not d["done_at"] and d["due_at"]
    ]
    nearest = min(
        open_duties, key=lambda d: (d["due_at"], d["due_kind"] != "deadline"), default=None
    )
    return {
        "next_due": nearest["due_at"] if nearest else None,
        "next_duty": nearest["id"] if nearest else None,
    }


def summary(risk: str, duties: list[dict[str, Any]]) -> dict[str, Any]:
    """The incident row's denormalised view: risk, regimes with duties, nearest deadline."""
    regimes = sorted({d["regime"] for d in duties if d["status"] == "required"})
    return {"risk": risk, "regimes": json.dumps(regimes), **next_due(duties)}


def merge_facts(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``changes`` over ``current``: top-level keys replace, ``subjects`` merges key by key."""
    merged = dict(current)
    for key, value in changes.items():
        if key in MERGED_OBJECTS and isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged
