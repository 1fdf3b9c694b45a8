"""The report's timeline: every dated step of an incident in words, and the lanes of its
picture (one per recipient, a row per duty) for :mod:`breach.notices.svg`.

The words come from ``report/_words.<lang>.j2`` (its tables ``lane``, ``row``, ``task``,
``regime``, ``mark``, ``event``, ``notice_kind``, ``outcome_short``), so the timeline reads
in the report's language ("Deadline (GDPR): Notify National Commission for Data Protection
(LU)"), never a duty id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .context import letter_name
from .fmt import Formatter, instant
from .safe import clean
from .svg import Lane, Row
from .view import IncidentView

TIMELINE_EVENTS = {"opened", "facts", "note", "closed", "reopened"}
#: Every outcome a duty can have, in the order the report counts them.
OUTCOMES = ("met", "late", "after_target", "overdue", "target_passed", "open", "exempt")
#: The outcome a row standing for many duties shows: the worst of theirs.
WORST = ("overdue", "late", "target_passed", "after_target", "open", "met", "exempt")
#: Outcomes drawn and named in red: a deadline passed.
LATE = ("late", "overdue")
#: More ``notify_controller`` duties than this share one lane of the picture.
CONTROLLER_LANES = 6
#: Duties with no recipient of their own: their lane is named from the words.
OWN_LANES = {
    "document": "register",
    "notify_data_subjects": "people",
    "public_communication": "public",
}


@dataclass(frozen=True)
class Entry:
    """One line of the written timeline."""

    at: datetime
    kind: str  # detection, awareness, deadline, target, done, sent, event
    label: str
    late: bool = False


def outcome(duty: dict[str, Any], now: datetime) -> str:
    """``met``, ``late``, ``after_target``, ``overdue``, ``target_passed``, ``open``, ``exempt``.

    Only a deadline makes a duty late; a "without undue delay" target that passed is named
    as such, since the law sets no fixed time for it.
    """
    if duty["status"] == "exempt":
        return "exempt"
    due = instant(duty["due_at"])
    done = instant(duty["done_at"])
    passed = due is not None and (done or now) > due
    deadline = duty["due_kind"] == "deadline"
    if done is not None:
        return ("late" if deadline else "after_target") if passed else "met"
    return ("overdue" if deadline else "target_passed") if passed else "open"


def recipient_name(duty: dict[str, Any], language: str) -> str:
    """The recipient as the report names it: its name in ``language``, with its country
    (``Commission nationale pour la protection des données (CNPD, LU)``)."""
    recipient = duty.get("recipient") or {}
    name = clean(letter_name(duty, language) or recipient.get("name") or "")
    country = recipient.get("country") or ""
    if country and not re.search(rf"\b{re.escape(country)}\b", name):
        name = f"{name[:-1]}, {country})" if name.endswith(")") else f"{name} ({country})"
    return name


def task(duty: dict[str, Any], language: str, words: Any) -> str:
    """The duty in words: ``Notify Autoriteit Persoonsgegevens (NL)``."""
    pattern = str(words.task.get(duty["duty"], duty["duty"]))
    return pattern % recipient_name(duty, language) if "%s" in pattern else pattern


def _step(words: Any, kind: str, duty: dict[str, Any], text: str) -> str:
    """A duty's line in the written timeline: ``Deadline (GDPR): Notify …``."""
    regime = words.regime.get(duty["regime"], duty["regime"])
    return f"{words.mark[kind]} ({regime}){words.colon} {text}"


def _lane_of(duty: dict[str, Any], language: str, words: Any) -> tuple[str, str]:
    """The lane a duty is drawn in: its recipient (key, title)."""
    own = OWN_LANES.get(duty["duty"])
    if own:
        return own, str(words.lane[own])
    recipient = duty.get("recipient") or {}
    key = recipient.get("authority_id") or recipient.get("name") or duty["id"]
    return f"to:{key}", recipient_name(duty, language)


def _sends(view: IncidentView) -> dict[str, list[dict[str, Any]]]:
    """Sent notices by the duty they served ("" for none)."""
    duties = {d["id"] for d in view.duties}
    found: dict[str, list[dict[str, Any]]] = {}
    for notice in view.notices:
        if notice["sent_at"]:
            key = notice["obligation"] if notice["obligation"] in duties else ""
            found.setdefault(key, []).append(notice)
    return found


def _notice_label(notice: dict[str, Any], words: Any) -> str:
    kind = words.notice_kind.get(notice["kind"], notice["kind"])
    if notice["recipient"]:
        return str(words.task["notice_to"] % (kind, notice["id"], clean(notice["recipient"])))
    return str(words.task["notice"] % (kind, notice["id"]))


def _event_label(event: dict[str, Any], words: Any) -> str:
    kind, data = event["kind"], event.get("data") or {}
    if kind == "note":
        return str(words.event["note"] % clean(event["text"]))
    if kind == "facts" and data.get("facts_version"):
        fields = ", ".join(str(c) for c in data.get("changed") or [])
        return str(words.event["facts"] % (data["facts_version"], fields))
    return str(words.event.get(kind, clean(event["text"])))


def timeline(
    view: IncidentView, now: datetime, language: str, words: Any
) -> tuple[list[Entry], list[Lane]]:
    """The written timeline (every dated step) and the picture's lanes: the incident
    itself, then one lane per recipient with a row per duty, nearest due first."""
    f = view.facts
    entries = [Entry(f.detected_at, "detection", str(words.mark["detection"]))]
    incident = [Row(str(words.row["detected"]), "detection", points=((f.detected_at, ""),))]
    if f.awareness != f.detected_at:
        entries.append(Entry(f.awareness, "awareness", str(words.mark["awareness"])))
        incident.append(Row(str(words.row["aware"]), "awareness", points=((f.awareness, ""),)))
    points = []
    for event in view.data.get("events") or []:
        at = instant(event["at"])
        if event["kind"] in TIMELINE_EVENTS and at is not None:
            label = _event_label(event, words)
            entries.append(Entry(at, "event", label))
            points.append((at, label))
    if points:
        incident.append(Row(str(words.row["log"]), "event", points=tuple(points)))
    lanes: dict[str, tuple[str, list[Row]]] = {"incident": (str(words.lane["incident"]), incident)}
    sends = _sends(view)
    duties = [d for d in view.duties if d["status"] != "not_required"]
    controllers = [d for d in duties if d["duty"] == "notify_controller"]
    grouped = len(controllers) > CONTROLLER_LANES
    for duty in duties:
        if grouped and duty["duty"] == "notify_controller":
            continue
        row, steps = _duty_row(duty, sends.get(duty["id"], []), view, now, language, words)
        entries.extend(steps)
        key, title = _lane_of(duty, language, words)
        lanes.setdefault(key, (title, []))[1].append(row)
    if grouped:
        row, steps = _controllers_row(controllers, view, now, language, words)
        entries.extend(steps)
        lanes["controllers"] = (str(words.lane["controllers"]), [row])
    for notice in sends.get("", []):
        sent = instant(notice["sent_at"])
        assert sent is not None
        label = _notice_label(notice, words)
        entries.append(Entry(sent, "sent", f"{words.mark['sent']}{words.colon} {label}"))
        row = Row(label, "met", done=(sent,))
        lanes.setdefault("other", (str(words.lane["other"]), []))[1].append(row)
    drawn = [Lane(title, tuple(rows)) for title, rows in lanes.values()]
    ordered = drawn[:1] + sorted(drawn[1:], key=lambda lane: min(_row_key(r) for r in lane.rows))
    order = {"detection": 0, "awareness": 1, "event": 2, "deadline": 3, "target": 3}
    entries.sort(key=lambda e: (e.at, order.get(e.kind, 4)))
    return entries, [Lane(lane.label, tuple(sorted(lane.rows, key=_row_key))) for lane in ordered]


def _row_key(row: Row) -> tuple[datetime, str]:
    moments = [m for m in (row.due, *row.done, *(p[0] for p in row.points)) if m is not None]
    return (min(moments) if moments else datetime.max.replace(tzinfo=UTC), row.label)


def _duty_row(
    duty: dict[str, Any],
    sends: list[dict[str, Any]],
    view: IncidentView,
    now: datetime,
    language: str,
    words: Any,
) -> tuple[Row, list[Entry]]:
    """One duty's row of the picture and its lines of the written timeline."""
    result = outcome(duty, now)
    late = result in LATE
    label = task(duty, language, words)
    due, done = instant(duty["due_at"]), instant(duty["done_at"])
    kind = "deadline" if duty["due_kind"] == "deadline" else "target"
    steps = []
    if due is not None and duty["status"] == "required":
        steps.append(Entry(due, kind, _step(words, kind, duty, label), late))
    moments = []
    for notice in sends:
        sent = instant(notice["sent_at"])
        assert sent is not None
        moments.append(sent)
        kind_words = words.notice_kind.get(notice["kind"], notice["kind"])
        to = recipient_name(duty, language)
        text = _step(words, "sent", duty, words.task["notice_to"] % (kind_words, notice["id"], to))
        steps.append(Entry(sent, "sent", text, late and notice["sent_at"] == duty["done_at"]))
    if done is not None and done not in moments:
        moments.append(done)
        steps.append(Entry(done, "done", _step(words, "done", duty, label), late))
    row_label = f"{words.regime.get(duty['regime'], duty['regime'])}: {words.row[duty['duty']]}"
    required = duty["status"] == "required"
    row = Row(
        row_label,
        result,
        str(words.outcome_short[result]),
        late,
        start=min(view.facts.detected_at, view.facts.awareness) if required else None,
        due=due if required else None,
        deadline=kind == "deadline",
        done=tuple(sorted(moments)),
    )
    return row, steps


def _controllers_row(
    duties: list[dict[str, Any]], view: IncidentView, now: datetime, language: str, words: Any
) -> tuple[Row, list[Entry]]:
    """The many controller customers of a processor as one row: each due time, each done
    time, and how many are done."""
    fmt = Formatter(language)
    required = [d for d in duties if d["status"] == "required"]
    first = (required or duties)[0]
    results = [outcome(d, now) for d in required]
    late = any(r in LATE for r in results)
    steps: list[Entry] = []
    dues: dict[datetime, int] = {}
    dones: dict[datetime, int] = {}
    for duty in required:
        due, done = instant(duty["due_at"]), instant(duty["done_at"])
        if due is not None:
            dues[due] = dues.get(due, 0) + 1
        if done is not None:
            dones[done] = dones.get(done, 0) + 1
    deadline = any(d["due_kind"] == "deadline" for d in required)
    kind = "deadline" if deadline else "target"
    for due, count in sorted(dues.items()):
        label = words.task["controllers"] % fmt.number(count)
        steps.append(Entry(due, kind, _step(words, kind, first, label), late))
    for done, count in sorted(dones.items()):
        text = words.task["controllers_done"] % fmt.number(count)
        steps.append(Entry(done, "done", _step(words, "done", first, text)))
    worst = next((r for r in WORST if r in results), "open")
    row = Row(
        f"{words.regime.get(first['regime'], '')}: "
        f"{words.row['controllers'] % fmt.number(len(required))}",
        worst,
        f"{fmt.number(sum(dones.values()))}/{fmt.number(len(required))}",
        late,
        start=min(view.facts.detected_at, view.facts.awareness),
        due=max(dues) if dues else None,
        deadline=deadline,
        done=tuple(sorted(dones)),
    )
    return row, steps
