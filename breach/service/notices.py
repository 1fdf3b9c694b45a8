"""Notices and reports over the incident store: draft, keep edits, save, mark sent, report.

Each write is one transaction with a timeline event and a hash-chained audit entry, like
:class:`breach.service.IncidentService`. Rendering itself lives in :mod:`breach.notices`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ..clock import Clock, format_utc
from ..notices.context import base_context, duty_context
from ..notices.edpb import edpb_document
from ..notices.errors import NoticeError
from ..notices.kinds import KIND_DUTIES, KINDS, NOTICE_FORMATS
from ..notices.merge import merge3
from ..notices.render import Renderer, templates_dir
from ..notices.safe import ANY_MARKER
from ..notices.view import (
    IncidentView,
    build_view,
    due_order,
    is_voluntary,
    phase_for,
    pick_duty,
)
from ..rules import RuleSet
from ..store import Store, sha256
from .incidents import IncidentService
from .notice_drafts import Draft, from_stored, notice_kind, still_to_send
from .recipients import authority_of, preferred_languages, zone_for
from .reports import LESSONS
from .views import incident_export

__all__ = ["Draft", "NoticeService", "still_to_send"]


class NoticeService:
    """Draft, save, edit and send notices (the report: :class:`~.reports.ReportService`)."""

    def __init__(
        self,
        store: Store,
        rules: RuleSet,
        clock: Clock,
        actor: str,
        renderer: Renderer | None = None,
        record_clock: Clock | None = None,
    ) -> None:
        """``clock`` is the instant notices are drafted for; ``record_clock`` (default:
        ``clock``) stamps what is recorded (see :class:`IncidentService`)."""
        self.store = store
        self.rules = rules
        self.clock = clock
        self.record_clock = record_clock or clock
        self.actor = actor
        self.renderer = renderer or Renderer(templates_dir(rules.directory))

    # -- reading ---------------------------------------------------------------------------

    def view(self, incident_id: str, with_assessments: bool = False) -> IncidentView:
        """The incident with its facts, decision, duties and notice versions."""
        data = incident_export(self.store, incident_id)
        assessments = self.store.assessments(incident_id) if with_assessments else None
        return build_view(data, self.rules, self.store.notice_versions(incident_id), assessments)

    def versions(self, incident_id: str) -> list[dict[str, Any]]:
        """Every stored notice version of an incident (without the texts)."""
        self.store.incident(incident_id)
        return [
            {k: v for k, v in n.items() if k not in ("text", "generated")}
            for n in self.store.notice_versions(incident_id)
        ]

    def stored(self, incident_id: str, notice_id: int) -> dict[str, Any]:
        """One stored notice version, with its text."""
        return self.store.notice(incident_id, notice_id)

    def editable(self, incident_id: str, notice_id: int) -> Draft:
        """A stored draft version, to edit further (a sent version is kept as sent)."""
        notice = self.store.notice(incident_id, notice_id)
        if notice["kind"] == LESSONS:
            raise NoticeError(f"#{notice_id} holds lessons learned, not a notice")
        if notice["status"] == "sent":
            raise NoticeError(
                f"notice #{notice_id} was sent at {notice['sent_at']}: it stays as sent; "
                "draft the follow-up instead"
            )
        return from_stored(notice)

    def in_order(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        """The duties of ``data`` (an incident as :meth:`IncidentLog.incident` gives it)
        that a notice is sent for, in the order drafts pick them."""
        home = build_view(data, self.rules).org.main_establishment

        def order(duty: dict[str, Any]) -> tuple[Any, ...]:
            status, done, *rest = due_order(duty, home)
            # the register entry after the notices to send: it is kept, not sent
            return (status, done, duty["duty"] == "document", *rest)

        return sorted((d for d in data["obligations"] if notice_kind(d["duty"])), key=order)

    def languages(self, kind: str) -> list[str]:
        """The languages the rule set has a template of ``kind`` in."""
        self._check(kind, "text")
        return self.renderer.languages(kind)

    # -- drafting --------------------------------------------------------------------------

    def draft(
        self,
        incident_id: str,
        kind: str,
        *,
        language: str | None = None,
        fmt: str = "text",
        obligation: str | None = None,
        phase: str | None = None,
        zone: str | None = None,
        fresh: bool = False,
        voluntary: bool = False,
    ) -> Draft:
        """Render a notice from what is stored now, keeping the user's saved edits.

        The latest saved version of the same notice (kind, recipient, language, format,
        phase) that a user edited is merged with the new rendering (:func:`merge3`) unless
        ``fresh``: lines the user changed stay, lines only the facts changed are updated.
        A notice for a duty that is not required is refused unless ``voluntary``.
        """
        self._check(kind, fmt)
        view = self.view(incident_id)
        duty, warnings = pick_duty(view, kind, obligation, voluntary)
        series = [
            n
            for n in view.notices
            if n["kind"] == kind and n["obligation"] == (duty["id"] if duty else None)
        ]
        bases: dict[str, dict[str, Any]] = {}
        result = self._render(view, kind, duty, series, bases, language, fmt, phase, zone, fresh)
        result.warnings[:0] = warnings
        return result

    def draft_all(
        self,
        incident_id: str,
        kind: str,
        *,
        language: str | None = None,
        fmt: str = "text",
        zone: str | None = None,
    ) -> Iterator[Draft]:
        """The notice of ``kind`` for every required duty of it not yet done, e.g. one per
        controller customer, each scoped to that recipient (its people, language, deadline).
        The incident is read once; each draft keeps its recipient's saved edits."""
        self._check(kind, fmt)
        view = self.view(incident_id)
        duties = still_to_send(view.duties, kind)
        if not duties:
            raise NoticeError(f"{incident_id}: no required {kind} notice is still to be sent")
        by_duty: dict[str | None, list[dict[str, Any]]] = {}
        for notice in view.notices:
            if notice["kind"] == kind:
                by_duty.setdefault(notice["obligation"], []).append(notice)
        bases: dict[str, dict[str, Any]] = {}
        for duty in duties:
            series = by_duty.get(duty["id"], [])
            yield self._render(view, kind, duty, series, bases, language, fmt, None, zone, False)

    def lacking(self, incident_id: str) -> list[tuple[str, int, list[str]]]:
        """What each required notice not yet sent still lacks: (the duty, or the first of
        a kind's duties that share one text such as controller notices, how many notices
        that is, the facts they would mark as to be confirmed)."""
        view = self.view(incident_id)
        open_duties = [d for d in view.duties if d["status"] == "required" and not d["done_at"]]
        result = []
        bases: dict[str, dict[str, Any]] = {}
        for kind, wanted in KIND_DUTIES.items():
            duties = [d for d in open_duties if d["duty"] in wanted]
            groups = [duties[:1]] if kind == "controller" else [[d] for d in duties]
            for group in filter(None, groups):
                series = [n for n in view.notices if n["obligation"] == group[0]["id"]]
                count = len(duties) if kind == "controller" else 1
                try:
                    draft = self._render(
                        view, kind, group[0], series, bases, None, "md", None, None, True
                    )
                except NoticeError as err:  # a broken template must not hide the incident
                    result.append((group[0]["id"], count, [f"cannot be drafted: {err}"]))
                    continue
                result.append((group[0]["id"], count, draft.unknowns))
        return result

    def count_open(self, incident_id: str, kind: str) -> int:
        """How many required notices of ``kind`` are still to be sent (for progress)."""
        return len(still_to_send(self.store.duties(incident_id), kind))

    @staticmethod
    def _check(kind: str, fmt: str) -> None:
        if kind not in KINDS:
            raise NoticeError(f"notice kind {kind!r}: use one of {', '.join(KINDS)}")
        if fmt not in NOTICE_FORMATS:
            raise NoticeError(f"format {fmt!r}: use one of {', '.join(NOTICE_FORMATS)}")

    def _render(
        self,
        view: IncidentView,
        kind: str,
        duty: dict[str, Any] | None,
        series: list[dict[str, Any]],
        bases: dict[str, dict[str, Any]],
        language: str | None,
        fmt: str,
        phase: str | None,
        zone: str | None,
        fresh: bool,
    ) -> Draft:
        """One notice for ``duty``; ``bases`` caches what notices in one language share."""
        obligation_id = duty["id"] if duty else None
        the_phase = phase_for(duty, series, phase)
        now = self.clock()
        zone_name = zone or zone_for(self.rules, view, duty, kind)
        warnings: list[str] = []
        if fmt == "edpb-json":
            document, unknowns = edpb_document(view, duty, the_phase, series, now)
            text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
            lang = "en"
        else:
            lang, lang_warnings = self.renderer.choose_language(
                kind, language, preferred_languages(view, kind, duty)
            )
            warnings.extend(lang_warnings)
            authority = authority_of(view, kind, duty)
            if authority is not None and authority.languages and lang not in authority.languages:
                warnings.append(
                    f"{authority.name} accepts notifications in {', '.join(authority.languages)}; "
                    f"this draft is in {lang.upper()}: have it translated before you send it"
                )
            key = f"{lang}/{zone_name}"
            if key not in bases:
                head = self.store.audit_head()
                bases[key] = base_context(view, kind, lang, now, zone_name, head)
            context = duty_context(
                view, bases[key], duty, series, the_phase, now, is_voluntary(duty, kind)
            )
            rendered = self.renderer.render_notice(kind, lang, fmt, context)
            text, unknowns = rendered.text, rendered.unknowns
        recipient = ((duty or {}).get("recipient") or {}).get("name") or ""
        result = Draft(
            kind, lang, fmt, obligation_id, recipient, the_phase, text, text, unknowns, warnings
        )
        result.facts_version = int(view.data["facts_version"])
        base = self._edited_base(series, lang, fmt, the_phase)
        if base is not None and not fresh:
            foot = re.compile(rf"{re.escape(view.id)}\b.*\b[0-9a-f]{{64}}\b")
            result.text, result.conflicts = merge3(
                base["generated"], base["text"], text, lambda line: bool(foot.search(line))
            )
            result.kept_edits_of = int(base["id"])
        return result

    def _edited_base(
        self, series: list[dict[str, Any]], lang: str, fmt: str, phase: str
    ) -> dict[str, Any] | None:
        same = [
            n
            for n in series
            if n["language"] == lang and n["format"] == fmt and n["phase"] == phase
        ]
        if same and same[-1]["edited"] and same[-1]["generated"] is not None:
            return same[-1]
        return None

    # -- writing ---------------------------------------------------------------------------

    def save(self, incident_id: str, draft: Draft, edited_text: str | None = None) -> int:
        """Store ``draft`` as a new version (a draft); with ``edited_text``, the user's edit.

        Each version keeps the machine text it is based on (``draft.generated``), so that
        re-rendering can merge the user's edits into newer facts. Returns the notice id.
        """
        text = draft.text if edited_text is None else edited_text
        edited = text != draft.generated
        stamp = format_utc(self.record_clock())
        with self.store.transaction():
            series = self.store.notice_series(incident_id, draft.kind, draft.obligation)
            version = (series[-1]["version"] if series else 0) + 1
            notice_id = self.store.add_notice(
                incident_id,
                {
                    "kind": draft.kind,
                    "language": draft.language,
                    "format": draft.format,
                    "text": text,
                    "version": version,
                    "created_at": stamp,
                    "sent_at": None,
                    "status": "draft",
                    "obligation": draft.obligation,
                    "recipient": draft.recipient,
                    "phase": draft.phase,
                    "edited": int(edited),
                    "generated": draft.generated,
                    "facts_version": draft.facts_version,
                    "unknowns": json.dumps(draft.unknowns if ANY_MARKER.search(text) else []),
                    "actor": self.actor,
                },
            )
            how = "edited draft" if edited else "draft"
            self._record(
                incident_id,
                stamp,
                "notice",
                f"Saved {how} #{notice_id}: {draft.kind} notice v{version}"
                + (f" for {draft.obligation}" if draft.obligation else ""),
                "notice_saved",
                notice_id=notice_id,
                kind=draft.kind,
                version=version,
                obligation=draft.obligation,
                edited=edited,
                text_sha256=sha256(text),
            )
        return notice_id

    def mark_sent(
        self,
        incident_id: str,
        notice_id: int,
        *,
        at: datetime | None = None,
        reference: str | None = None,
        channel: str | None = None,
        reason: str | None = None,
        confirm: bool = False,
    ) -> dict[str, Any]:
        """Mark a saved version sent (``at``, default: the instant assessed); its duty, if
        not yet done, is marked done with it. A text still holding markers is refused
        unless ``confirm`` (the responder sends it knowing what is still to follow)."""
        sent_at = at or self.clock()
        now = self.record_clock()  # read second: the same clock then never runs behind
        if sent_at > now:
            raise NoticeError(f"sent time {format_utc(sent_at)} is in the future")
        stamp = format_utc(now)
        with self.store.transaction():
            notice = self.store.notice(incident_id, notice_id)
            if notice["kind"] == LESSONS:
                raise NoticeError(f"#{notice_id} holds lessons learned, not a notice")
            if notice["status"] == "sent":
                raise NoticeError(f"notice #{notice_id} was already sent at {notice['sent_at']}")
            markers = len(ANY_MARKER.findall(notice["text"]))
            if markers and not confirm:
                unknowns = list(notice["unknowns"])
                listed = "; ".join(unknowns[:3]) or "see the text"
                if len(unknowns) > 3:
                    listed += f"; {len(unknowns) - 3} more"
                raise NoticeError(
                    f"notice #{notice_id} still reads {markers} marker(s): --confirm sends it as "
                    "a phased notification, or complete the facts and draft again; not yet "
                    f"known: {listed}"
                )
            duty = next(
                (d for d in self.store.duties(incident_id) if d["id"] == notice["obligation"]),
                None,
            )
            if duty is not None and not duty["done_at"]:
                service = IncidentService(
                    self.store, self.rules, self.clock, self.actor, self.record_clock
                )
                service.mark_done(incident_id, duty["id"], sent_at, reference, channel, reason)
            self.store.mark_notice_sent(notice_id, format_utc(sent_at), reference, channel)
            self._record(
                incident_id,
                stamp,
                "sent",
                f"Sent #{notice_id}: {notice['kind']} notice v{notice['version']}"
                + (f" to {notice['recipient']}" if notice["recipient"] else "")
                + (f" (ref {reference})" if reference else ""),
                "notice_sent",
                notice_id=notice_id,
                sent_at=format_utc(sent_at),
                reference=reference,
                channel=channel,
                text_sha256=sha256(notice["text"]),
            )
        return self.store.notice(incident_id, notice_id)

    def as_format(self, text: str, fmt: str, language: str, kind: str) -> str:
        """A notice's text as shown (the responder's edits included) as Markdown or as a
        self-contained HTML page to send by e-mail or print; ``text`` itself for text.
        The EDPB form is filled from the facts, not from a letter: :meth:`draft` it."""
        return self.renderer.from_text(text, fmt, language, kind)

    def _record(
        self, incident_id: str, stamp: str, event: str, text: str, action: str, **payload: Any
    ) -> None:
        self.store.update_incident(incident_id, {"updated_at": stamp}, None)
        self.store.add_event(incident_id, stamp, event, text, payload, self.actor)
        self.store.append_audit(stamp, self.actor, action, incident_id, payload)
