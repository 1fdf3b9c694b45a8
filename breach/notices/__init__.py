"""Notices and post-incident reports, drafted from what the incident log knows.

- :mod:`.view` reads a stored incident (facts, decision, duties, notice versions) and picks
  the duty a notice is for; :mod:`.context` turns it into template data, with unknown facts
  as :class:`~breach.notices.context.Missing` values that print ``[to be confirmed]``.
- :mod:`.render` renders the files in ``decision_rules/templates/`` with a sandboxed Jinja2
  environment; :mod:`.markup` derives plain text and HTML from a Markdown notice;
  :mod:`.safe` escapes what users typed for each target.
- :mod:`.edpb` fills the EDPB common notification template; :mod:`.report` and :mod:`.svg`
  write the post-incident report and its timeline picture; :mod:`.merge` keeps a user's
  edits when a notice is rendered again.

Core code: never imports Textual, never reads the store. Storage and the audit trail are
handled by :mod:`breach.service.notices`, which calls this package.
"""

from .errors import NoticeError
from .kinds import FORMATS, KIND_DUTIES, KINDS, NOTICE_FORMATS

__all__ = ["FORMATS", "KINDS", "KIND_DUTIES", "NOTICE_FORMATS", "NoticeError"]
