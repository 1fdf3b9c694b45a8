"""The post-incident report: summary, timeline picture, facts versions, decisions with
their reasoning, duties met or late, notices sent, lessons learned, audit chain status.

Markdown (``report/<lang>.md.j2``) or one self-contained HTML file with inline CSS and SVG
(``report/<lang>.html.j2``, autoescaped).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from .context import (
    Missing,
    decision_groups,
    duty_data,
    facts_data,
    known,
    organisation_data,
    risk_data,
)
from .fmt import Formatter, instant
from .render import Rendered, Renderer
from .safe import clean
from .svg import Mark, timeline_svg
from .view import IncidentView, is_late

TIMELINE_EVENTS = {"opened", "facts", "note", "closed", "reopened"}


def render_report(
    renderer: Renderer,
    view: IncidentView,
    audit: dict[str, Any],
    now: datetime,
    fmt: str,
    lang: str | None,
    zone: str | None,
) -> Rendered:
    """Render the report of one incident in ``fmt`` (md or html).

    ``audit`` says whether the audit chain verified: ``entries``, ``ok``, ``problem``.
    """
    language, warnings = renderer.choose_language("report", lang, ["en"], fmt)
    context = report_context(view, audit, now, language, zone, html=fmt == "html")
    rendered = renderer.render_template(f"report/{language}.{fmt}.j2", context)
    rendered.warnings = warnings
    rendered.language = language
    return rendered


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


def timeline_marks(view: IncidentView, now: datetime) -> list[Mark]:
    """Detection, awareness, deadlines, sends and events as timeline marks."""
    f = view.facts
    marks = [Mark(f.detected_at, "detection", "detected")]
    if f.awareness != f.detected_at:
        marks.append(Mark(f.awareness, "awareness", "aware"))
    marks.extend(_duty_marks(view, now))
    marks.extend(_send_marks(view, now))
    for event in view.data.get("events") or []:
        at = instant(event["at"])
        if event["kind"] in TIMELINE_EVENTS and at is not None:
            marks.append(Mark(at, "event", clean(event["text"])[:60]))
    return sorted(marks, key=lambda m: (m.at, m.kind))


def _duty_marks(view: IncidentView, now: datetime) -> list[Mark]:
    """Each required duty's due time, and its done time unless a sent notice shows it."""
    sends = {(n["obligation"], n["sent_at"]) for n in view.notices if n["sent_at"]}
    marks = []
    for duty in view.duties:
        if duty["status"] == "not_required":
            continue
        due, done = instant(duty["due_at"]), instant(duty["done_at"])
        late = is_late(duty, now)
        if due is not None and duty["status"] == "required":
            kind = "deadline" if duty["due_kind"] == "deadline" else "target"
            marks.append(Mark(due, kind, f"due: {duty['id']}", late and done is None))
        if done is not None and (duty["id"], duty["done_at"]) not in sends:
            marks.append(Mark(done, "sent", f"done: {duty['id']}", late))
    return marks


def _send_marks(view: IncidentView, now: datetime) -> list[Mark]:
    """Each sent notice; late when it fulfilled a deadline duty after the deadline."""
    duties = {d["id"]: d for d in view.duties}
    marks = []
    for notice in view.notices:
        sent = instant(notice["sent_at"])
        if sent is None:
            continue
        served = duties.get(notice["obligation"] or "")
        late = (
            served is not None and served["done_at"] == notice["sent_at"] and is_late(served, now)
        )
        label = f"sent: {notice['kind']} notice #{notice['id']}"
        if notice["recipient"]:
            label += f" to {clean(notice['recipient'])}"
        marks.append(Mark(sent, "sent", label, late))
    return marks


def _assessments(view: IncidentView, fmt: Formatter) -> list[dict[str, Any]]:
    """Each assessment with the duties whose status it changed (first: all of them), and
    the decisive unknowns of the assessment before it that its facts version answered."""
    entries: list[dict[str, Any]] = []
    before: dict[str, str] = {}
    open_before: list[dict[str, Any]] = []
    changed_in = {
        h["version"]: set(_changed(h["changed"])) for h in view.data.get("facts_history") or []
    }
    for stored in view.assessments:
        decision = stored["decision"]
        trace = decision.get("trace") or []
        level = next((t for t in trace if t["rule"] in ("risk.override", "risk.level")), None)
        changed = [
            {
                **ob,
                "recipient": clean((ob.get("recipient") or {}).get("name") or ""),
                "reason": clean(ob["reason"]),
                "rule_version": ob.get("rule_version", ""),
            }
            for ob in decision["obligations"]
            if before.get(ob["id"]) != ob["status"]
        ]
        before = {ob["id"]: ob["status"] for ob in decision["obligations"]}
        fields = changed_in.get(stored["facts_version"], set()) if entries else set()
        answered = [
            clean(item["question"]) for item in open_before if item["field"].split(".")[0] in fields
        ]
        open_before = decision.get("decisive") or []
        entries.append(
            {
                "answered": answered,
                "at": fmt.when(decision["assessed_at"]),
                "facts_version": stored["facts_version"],
                "rules_version": stored["rules_version"],
                "risk": decision["risk"],
                "source": decision.get("risk_source", ""),
                "because": clean(level["because"]) if level else "",
                "changes": decision_groups(changed),
            }
        )
    return entries


def _lessons(view: IncidentView, fmt: Formatter) -> dict[str, Any]:
    """The latest lessons-learned text as lines (``- `` lines become list items)."""
    stored = [n for n in view.notices if n["kind"] == "lessons"]
    if not stored:
        return {"lines": Missing("lessons learned and follow-up actions"), "at": ""}
    lines = []
    for raw in clean(stored[-1]["text"]).split("\n"):
        text = raw.strip()
        if text:
            item = text[:2] in ("- ", "* ")
            lines.append({"item": item, "text": text[2:] if item else text})
    return {"lines": lines, "at": fmt.when(stored[-1]["created_at"])}


def report_context(
    view: IncidentView,
    audit: dict[str, Any],
    now: datetime,
    language: str,
    zone_name: str | None,
    html: bool = False,
) -> dict[str, Any]:
    """Everything the report templates may print."""
    fmt = Formatter(language, zone_name)
    marks = timeline_marks(view, now)
    duties = []
    for duty in view.duties:
        if duty["status"] == "not_required":
            continue
        duties.append({**duty_data(duty, fmt, now), "outcome": outcome(duty, now)})
    history = view.data.get("facts_history") or []
    return {
        "lang": language,
        "today": fmt.when(now),
        "incident": {
            "id": view.id,
            "title": clean(view.data["title"]),
            "summary": known(view.facts.summary.strip(), "what happened (summary)"),
            "status": view.data["status"],
            "created": fmt.when(view.data["created_at"]),
            "updated": fmt.when(view.data["updated_at"]),
        },
        "role": view.facts.role,
        "org": organisation_data(view),
        "facts": facts_data(view, fmt),
        "risk": risk_data(view, fmt),
        "timeline": [
            {"at": fmt.when(m.at), "kind": m.kind, "label": m.label, "late": m.late} for m in marks
        ],
        "svg": timeline_svg(marks, now, zone_name) if html else "",
        "facts_versions": [
            {
                "version": h["version"],
                "at": fmt.when(h["created_at"]),
                "actor": clean(h["actor"]),
                "changed": "initial facts"
                if h["version"] == 1
                else ", ".join(_changed(h["changed"])),
            }
            for h in history
        ],
        "assessments": _assessments(view, fmt),
        "duties": duties,
        "late_count": sum(1 for d in duties if d["outcome"] in ("late", "overdue")),
        "notices": [
            {
                "id": n["id"],
                "kind": n["kind"],
                "version": n["version"],
                "language": n["language"],
                "format": n["format"],
                "recipient": clean(n["recipient"] or ""),
                "sent": fmt.when(n["sent_at"]),
                "reference": clean(n["reference"] or ""),
                "channel": clean(n["channel"] or ""),
            }
            for n in view.notices
            if n["status"] == "sent"
        ],
        "drafts": sum(1 for n in view.notices if n["status"] == "draft" and n["kind"] != "lessons"),
        "lessons": _lessons(view, fmt),
        "audit": audit,
    }


def _changed(raw: Any) -> list[str]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return [raw]
    return [str(item) for item in raw] if isinstance(raw, list) else [str(raw)]
