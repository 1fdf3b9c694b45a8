"""The post-incident report: what was known, decided, done and sent, the lessons learned,
and the state of the audit chain — drawn from the incident and its notices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..notices.errors import NoticeError
from ..notices.render import Rendered
from ..notices.report import render_report
from .notice_drafts import Draft
from .recipients import zone_for

if TYPE_CHECKING:
    from .notices import NoticeService

#: the notice kind the lessons learned are stored as (a version of their own)
LESSONS = "lessons"


class ReportService:
    """Render the report; store its lessons learned (through the notice versions)."""

    def __init__(self, notices: NoticeService) -> None:
        self.notices = notices

    def report(
        self, incident_id: str, fmt: str, lang: str | None = None, zone: str | None = None
    ) -> Rendered:
        """The post-incident report (``md`` or ``html``), with the audit chain's status:
        the whole chain and every row of this incident verified, and the head to keep."""
        notices, store = self.notices, self.notices.store
        view = notices.view(incident_id, with_assessments=True)
        checked = store.verify_audit(incident_id=incident_id)
        seq, digest = store.audit_head()
        audit = {
            "entries": checked.entries,
            "rows": checked.rows,
            "ok": checked.problem is None and store.integrity_ok(),
            "problem": str(checked.problem) if checked.problem else "",
            "keyed": checked.keyed,
            "seq": seq,
            "hash": digest,
        }
        zone = zone or zone_for(notices.rules, view, None)
        return render_report(notices.renderer, view, audit, notices.clock(), fmt, lang, zone)

    def set_lessons(self, incident_id: str, text: str) -> int:
        """Store the report's lessons learned and follow-up actions (a new version)."""
        if not text.strip():
            raise NoticeError("lessons learned: the file is empty")
        draft = Draft(LESSONS, "en", "md", None, "", "initial", text, text)
        return self.notices.save(incident_id, draft, edited_text=text)
