"""Which incidents a list shows: status, organisation, regime and due window.

The dashboard's filter dialog and ``breach list --org --regime --due`` both say it with
:class:`Filters`; :meth:`Filters.narrowing` turns the due window into an instant on the
log's clock (the app's, not the wall's) for the store's SQL. A plain dataclass, not a
pydantic model: ``breach list`` stays free of pydantic (see :mod:`.views`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..clock import format_utc
from ..errors import BadInput
from ..store.incidents import Narrowing

#: status key -> how the dashboard's status line says it
STATUSES = {"open": "open", "closed": "closed", "all": "open and closed"}
#: due window key -> how far past now the next open deadline may fall (overdue: before now)
DUE_WINDOWS = {"overdue": timedelta(0), "24h": timedelta(hours=24), "72h": timedelta(hours=72)}
DUE_WORDS = {"overdue": "overdue", "24h": "due within 24 h", "72h": "due within 72 h"}


@dataclass(frozen=True)
class Filters:
    """What a list of incidents is narrowed to; the default: every open incident.

    ``organisation`` is a profile key (``mixvoip``), ``regime`` a regime id (``nis2``: the
    incidents with a required duty under it), ``due`` a key of :data:`DUE_WINDOWS`: the
    next open deadline is overdue or within 24 or 72 hours (overdue ones included, so
    that a window never hides what is already late).
    """

    status: str = "open"
    organisation: str | None = None
    regime: str | None = None
    due: str | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise BadInput(f"status {self.status!r}: choose one of {', '.join(STATUSES)}")
        if self.due is not None and self.due not in DUE_WINDOWS:
            raise BadInput(f"due window {self.due!r}: choose one of {', '.join(DUE_WINDOWS)}")

    @property
    def active(self) -> bool:
        """Whether anything narrows the list beyond the default (open incidents)."""
        return self != Filters()

    def narrowing(self, now: datetime) -> Narrowing:
        """The store's narrowing as of ``now``."""
        due_before = format_utc(now + DUE_WINDOWS[self.due]) if self.due else None
        return Narrowing(self.status, self.organisation, self.regime, due_before)

    def describe(
        self, organisations: Mapping[str, str] = {}, regimes: Mapping[str, str] = {}
    ) -> str:
        """ "open · Mixvoip · NIS2 · due within 24 h", names from the two mappings."""
        parts = [STATUSES[self.status]]
        if self.organisation:
            parts.append(organisations.get(self.organisation, self.organisation))
        if self.regime:
            parts.append(regimes.get(self.regime, self.regime))
        if self.due:
            parts.append(DUE_WORDS[self.due])
        return " · ".join(parts)


def check(
    filters: Filters, organisations: Mapping[str, str], regimes: Mapping[str, str]
) -> Filters:
    """``filters`` if its organisation is one the log holds incidents of and its regime one
    the rules know; else :class:`BadInput` naming those there are."""
    if filters.organisation and filters.organisation not in organisations:
        known = ", ".join(sorted(organisations)) or "none yet"
        raise BadInput(
            f"organisation {filters.organisation[:40]!r} has no incident in this log "
            f"(organisations: {known})"
        )
    if filters.regime and filters.regime not in regimes:
        raise BadInput(
            f"regime {filters.regime[:40]!r} is not known (regimes: {', '.join(sorted(regimes))})"
        )
    return filters
