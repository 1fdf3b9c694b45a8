"""The post-incident report: summary, timeline picture, facts versions, decisions with
their reasoning, duties met or late, notices sent, lessons learned, audit chain status.

Markdown (``report/<lang>.md.j2``) or one self-contained HTML file with inline CSS and SVG
(``report/<lang>.html.j2``, autoescaped). Both extend ``report/_base/``; the words are in
``report/_words.<lang>.j2``, whose tables this module also reads to label the timeline.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from jinja2 import TemplateError

from .context import decision_groups, duty_data
from .errors import NoticeError
from .fmt import Formatter
from .incident_data import decision_risk, facts_data, organisation_data, risk_data
from .missing import Missing, known
from .render import Rendered, Renderer
from .safe import clean
from .svg import Picture, timeline_svg
from .timeline import OUTCOMES, outcome, task, timeline
from .view import IncidentView

__all__ = ["OUTCOMES", "outcome", "render_report", "report_context"]


def render_report(
    renderer: Renderer,
    view: IncidentView,
    audit: dict[str, Any],
    now: datetime,
    fmt: str,
    lang: str | None,
    zone: str | None,
) -> Rendered:
    """Render the report of one incident in ``fmt`` (md or html); without ``lang``, in the
    first of the organisation's languages that has a report template (else EN).

    ``audit`` says whether the audit chain verified: ``entries``, ``ok``, ``problem``.
    """
    preferred = [language.lower() for language in view.org.languages]
    language, warnings = renderer.choose_language("report", lang, preferred, fmt)
    words = report_words(renderer, language)
    context = report_context(view, audit, now, language, zone, words, html=fmt == "html")
    rendered = renderer.render_template(f"report/{language}.{fmt}.j2", context)
    rendered.warnings = warnings
    rendered.language = language
    return rendered


def report_words(renderer: Renderer, language: str) -> Any:
    """The tables of ``report/_words.<language>.j2`` (a Jinja template module)."""
    name = f"report/_words.{language}.j2"
    try:
        return renderer.env.get_template(name).module
    except TemplateError as err:
        raise NoticeError(f"template {name}: {err}") from None


def _without_engine_terms(reason: str, decision: dict[str, Any]) -> str:
    """A duty's recorded reason without the risk model's own wording in brackets
    (``(adjusted score 4.75 reaches 3; moved by: …)``): the report says it in sentences."""
    step = next((t for t in decision.get("trace") or [] if t["rule"] == "risk.level"), None)
    return reason.replace(f" ({step['because']})", "") if step else reason


def _assessments(
    view: IncidentView, fmt: Formatter, words: Any, language: str
) -> list[dict[str, Any]]:
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
        changed = [
            {
                **ob,
                "label": task({**(view.duty(ob["id"]) or {}), **ob}, language, words),
                "recipient": clean((ob.get("recipient") or {}).get("name") or ""),
                "reason": clean(_without_engine_terms(ob["reason"], decision)),
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
                "risk": decision_risk(decision, fmt),
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


def _duties(
    view: IncidentView, fmt: Formatter, now: datetime, words: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any] | None]:
    """The required and exempt duties with their outcome; the count of each outcome (as
    the rows show it); for a processor, how many controller customers were informed."""
    rows = []
    for duty in view.duties:
        if duty["status"] == "not_required":
            continue
        data = duty_data(duty, fmt, now)
        data["reason"] = clean(_without_engine_terms(duty["reason"], view.decision))
        rows.append(
            {**data, "outcome": outcome(duty, now), "label": task(duty, fmt.language, words)}
        )
    counts = [
        {"outcome": name, "count": fmt.number(sum(1 for d in rows if d["outcome"] == name))}
        for name in OUTCOMES
        if any(d["outcome"] == name for d in rows)
    ]
    informed = [d for d in rows if d["duty"] == "notify_controller" and d["status"] == "required"]
    controllers = None
    if informed:
        done = sum(1 for d in informed if d["done"])
        controllers = {"done": fmt.number(done), "required": fmt.number(len(informed))}
    return rows, counts, controllers


def report_context(
    view: IncidentView,
    audit: dict[str, Any],
    now: datetime,
    language: str,
    zone_name: str | None,
    words: Any,
    html: bool = False,
) -> dict[str, Any]:
    """Everything the report templates may print; ``words``: the report's word tables."""
    fmt = Formatter(language, zone_name)
    entries, lanes = timeline(view, now, language, words)
    duties, counts, controllers = _duties(view, fmt, now, words)
    history = view.data.get("facts_history") or []
    picture = Picture(
        str(words.picture["title"]), str(words.picture["report_date"]), tuple(words.months)
    )
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
            {"at": fmt.when(e.at), "kind": e.kind, "label": e.label, "late": e.late}
            for e in entries
        ],
        "svg": timeline_svg(lanes, now, zone_name, picture) if html else "",
        "facts_versions": [
            {
                "version": h["version"],
                "at": fmt.when(h["created_at"]),
                "actor": clean(h["actor"]),
                "changed": _changed(h["changed"]) if h["version"] != 1 else [],
            }
            for h in history
        ],
        "assessments": _assessments(view, fmt, words, language),
        "duties": duties,
        "duty_total": fmt.number(len(duties)),
        "counts": counts,
        "controllers": controllers,
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
