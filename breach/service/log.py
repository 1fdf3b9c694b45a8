"""One incident log opened for work: the only door the CLI and the UI go through.

An :class:`IncidentLog` holds the store, the rules (loaded on first use: listing and
showing incidents need none), the clock and the actor. Changes go through
:attr:`IncidentLog.incidents` and :attr:`IncidentLog.notices`; reading, exporting and
importing through the methods here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from ..clock import Clock, system_clock
from ..store import Store, Verification

if TYPE_CHECKING:
    from ..export import Options, Selection
    from ..export.importer import ImportSummary
    from ..rules import RuleSet
    from ..store.incidents import Narrowing
    from .customers import BatchResult
    from .filters import Filters
    from .incidents import IncidentService
    from .notices import NoticeService
    from .push import Credentials, PushSummary
    from .reports import ReportService
    from .team import TeamService


class IncidentLog:
    """An incident log, with the rules, clock and actor to change it."""

    def __init__(
        self,
        store: Store,
        rules: RuleSet | Callable[[], RuleSet],
        clock: Clock,
        actor: str,
        record_clock: Clock = system_clock,
    ) -> None:
        self.store = store
        self._rules = rules
        # kept to read the rules again when they change (a profile saved in the UI)
        self._load_rules = rules if callable(rules) else None
        self.clock = clock
        self.record_clock = record_clock
        self.actor = actor

    @classmethod
    def open(
        cls,
        path: str | Path,
        rules: RuleSet | Callable[[], RuleSet],
        clock: Clock,
        actor: str,
        audit_key: bytes | None = None,
        *,
        create: bool = True,
        make_folders: bool = True,
        upgrading: Callable[[str], None] = lambda message: None,
        record_clock: Clock = system_clock,
    ) -> IncidentLog:
        """Open the log at ``path`` (see :meth:`Store.open` for ``create``, ``make_folders``
        and ``upgrading``); ``audit_key`` keys the chain. ``clock`` is the instant
        assessed; ``record_clock`` stamps what is recorded (the real clock, so that record
        times never run backwards)."""
        store = Store.open(
            path, audit_key, create=create, make_folders=make_folders, upgrading=upgrading
        )
        return cls(store, rules, clock, actor, record_clock)

    def close(self) -> None:
        """Close the log's database connection."""
        self.store.close()

    def __enter__(self) -> IncidentLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def path(self) -> Path | None:
        """The log's file (None for a log in memory)."""
        return self.store.path

    @property
    def created(self) -> bool:
        """Whether opening it started this log (there was no file)."""
        return self.store.created

    @property
    def read_only(self) -> bool:
        """Whether the file cannot be written here (reading, exporting, verifying work)."""
        return self.store.read_only

    @property
    def rules(self) -> RuleSet:
        """The rule set, loaded on first use."""
        if callable(self._rules):
            self._rules = self._rules()
        return self._rules

    def reload_rules(self, rules: RuleSet | None = None) -> RuleSet:
        """Read the rules again (or take ``rules``), e.g. after a profile was saved: the
        next question, assessment and notice use them. Returns the new rule set."""
        if rules is not None:
            self._rules = rules
        elif self._load_rules is not None:
            self._rules = self._load_rules()
        for service in ("incidents", "notices"):  # they hold the old rules
            self.__dict__.pop(service, None)
        return self.rules

    # -- changes -------------------------------------------------------------------------

    @cached_property
    def incidents(self) -> IncidentService:
        """Open, update, mark done, note, close and reopen incidents."""
        from .incidents import IncidentService

        return IncidentService(self.store, self.rules, self.clock, self.actor, self.record_clock)

    @cached_property
    def team(self) -> TeamService:
        """Assignments and handover notes."""
        from .team import TeamService

        return TeamService(self.store, self.actor, self.record_clock)

    @cached_property
    def notices(self) -> NoticeService:
        """Draft, save and send notices."""
        from .notices import NoticeService

        return NoticeService(
            self.store, self.rules, self.clock, self.actor, record_clock=self.record_clock
        )

    @cached_property
    def reports(self) -> ReportService:
        """The post-incident report and its lessons learned."""
        from .reports import ReportService

        return ReportService(self.notices)

    def create_demo(self) -> list[str]:
        """Make this empty log a demo log (its ids begin with ``DEMO-``, for good) and
        record the demo incidents; returns their ids."""
        from .demo import create_demo

        return create_demo(self.store, self.rules, self.clock)

    # -- reading -------------------------------------------------------------------------

    @property
    def id_prefix(self) -> str:
        """What the ids of this log begin with: ``DEMO`` in a demo log, else ``BR``."""
        return self.store.id_prefix()

    def incident(self, incident_id: str) -> dict[str, Any]:
        """One incident in the export's shape (``breach show --json``)."""
        from .views import incident_export

        return incident_export(self.store, incident_id)

    def incident_row(self, incident_id: str) -> dict[str, Any]:
        """The incident's summary row: title, status, next deadline."""
        return self.store.incident(incident_id)

    def summaries(
        self, include_closed: bool = False, filters: Filters | None = None
    ) -> list[dict[str, Any]]:
        """Incidents, nearest open deadline first (``filters``, when given, decide which:
        ``include_closed`` is then not read)."""
        return self.store.list_incidents(include_closed, self._narrowing(filters))

    def list_json(self, include_closed: bool = False, filters: Filters | None = None) -> str:
        """The same list as a JSON array (built by SQLite)."""
        return self.store.list_json(include_closed, self._narrowing(filters))

    def page(
        self,
        include_closed: bool,
        search: str,
        limit: int,
        mine: bool = False,
        filters: Filters | None = None,
    ) -> list[dict[str, Any]]:
        """One page of the list, optionally filtered by a search text, to the incidents
        the actor is on (``mine``) and by ``filters`` (which then decide the status)."""
        return self.store.page_incidents(
            include_closed,
            search,
            limit,
            mine=self.actor if mine else None,
            narrowing=self._narrowing(filters),
        )

    def _narrowing(self, filters: Filters | None) -> Narrowing | None:
        # the due window counts from the log's clock: the app's, frozen in tests and demos
        return filters.narrowing(self.clock()) if filters else None

    def organisations(self) -> dict[str, str]:
        """The organisations the log holds incidents of: profile key -> name, by name."""
        return dict(self.store.organisations())

    def regimes(self) -> list[tuple[str, str, str]]:
        """The rules' regimes as (id, the responder's word, full name): GDPR, telecom
        (ePrivacy), NIS2, then the national ones, as the duties name them."""
        from .words import REGIMES

        known = self.rules.regimes
        order = [r for r in REGIMES if r in known] + sorted(set(known) - set(REGIMES))
        return [(r, REGIMES.get(r, r), known[r].name) for r in order]

    def check_filters(self, filters: Filters) -> Filters:
        """``filters`` if its organisation and regime exist here (see :func:`.filters.check`);
        the rules are loaded only when a regime is asked for."""
        from .filters import check

        organisations = self.organisations() if filters.organisation else {}
        regimes = {r: word for r, word, _ in self.regimes()} if filters.regime else {}
        return check(filters, organisations, regimes)

    def data_version(self) -> int:
        """Changes when another process commits to the log: time to redraw."""
        return self.store.data_version()

    def customers_informed(self, incident_id: str) -> tuple[int, int]:
        """(done, required) controller notices: "2,998 of 3,000 customers informed"."""
        from .customers import informed

        return informed(self.store.duties(incident_id))

    def record_deliveries(
        self, incident_id: str, text: str, source: str, tz: str | None, reason: str | None
    ) -> BatchResult:
        """Record the deliveries of a mail tool's CSV log ``text`` (read from ``source``):
        each delivered controller notice's duty done at its sent time."""
        from .customers import read_deliveries, record_deliveries

        deliveries = read_deliveries(text, source, tz)
        return record_deliveries(self.incidents, incident_id, deliveries, reason)

    def change_mark(self) -> tuple[int, int]:
        """Changes whenever the log changed, by another process or by this one."""
        return self.store.change_mark()

    def count(self) -> int:
        """How many incidents the log holds."""
        return self.store.count_incidents()

    def verify(
        self, expect: tuple[int, str] | None = None, tick: Callable[[int], None] = lambda n: None
    ) -> tuple[Verification, bool]:
        """Check the audit chain, every row it vouches for, and the file: what was found,
        and whether SQLite's integrity check passed. ``expect``: a head kept outside."""
        return self.store.verify_audit(expect, tick), self.store.integrity_ok()

    @property
    def store_keyed(self) -> bool:
        """Whether this log was opened with an audit key (new entries are keyed)."""
        return self.store.audit_key is not None

    def audit_head(self) -> tuple[int, str]:
        """The chain's head (seq and hash), to keep outside the file."""
        return self.store.audit_head()

    def verify_size(self) -> int:
        """How many steps ``verify`` takes (entries and incidents), for progress."""
        return self.store.verify_size()

    # -- the wizard's unfinished drafts ----------------------------------------------------

    def save_draft(self, draft_id: int | None, data: dict[str, Any], step: int, at: str) -> int:
        """Create or update a new-incident draft; returns its id."""
        return self.store.save_draft(draft_id, data, step, at)

    def latest_draft(self) -> dict[str, Any] | None:
        """The most recently edited draft, or None."""
        return self.store.latest_draft()

    def delete_draft(self, draft_id: int) -> None:
        """Drop a draft (once its incident is recorded, or when discarded)."""
        self.store.delete_draft(draft_id)

    # -- export and import ---------------------------------------------------------------

    def export(
        self,
        selection: Selection,
        fmt: str,
        out: BinaryIO,
        options: Options,
        tick: Callable[[int], None] = lambda n: None,
    ) -> int:
        """Write the selected incidents in ``fmt``; returns how many.

        VERIS names the victim's countries and sector: it is given the profiles' data.
        The audit chain's head goes with every format that has a place for it.
        """
        from dataclasses import replace

        from ..export import export
        from ..rules import as_data

        if fmt == "veris" and not options.profiles:
            profiles = {key: as_data(p) for key, p in self.rules.profiles.items()}
            options = replace(options, profiles=profiles)
        if options.audit_head is None:
            options = replace(options, audit_head=self.store.audit_head())
        if not options.installation:
            options = replace(options, installation=self.store.installation())
        return export(self.store, selection, fmt, out, options, tick)

    def push(
        self,
        target: str,
        url: str,
        selection: Selection,
        options: Options,
        credentials: Credentials,
        **how: Any,
    ) -> PushSummary:
        """Deliver the selected incidents to ``target`` at ``url`` (see :mod:`.push`);
        ``how``: ``dry_run``, ``tick``, ``retries``, ``backoff_s``, ``timeout_s``."""
        from .push import push

        return push(
            self.store, target, url, selection, options, credentials, now=self.record_clock, **how
        )

    def push_count(self, target: str, url: str, selection: Selection) -> int:
        """How many incidents a push will look at (unknown ids refused first)."""
        from ..export.source import check_ids
        from .push import count

        check_ids(self.store, selection)
        return count(self.store, selection, target, url)

    def check_selection(self, selection: Selection) -> int:
        """Refuse unknown ids before anything is written; returns how many are selected."""
        from ..export.source import check_ids, count

        check_ids(self.store, selection)
        return count(self.store, selection)

    def import_file(
        self, path: str, source: str, show_progress: bool, stream: TextIO
    ) -> ImportSummary:
        """Import a ``breach.export/1`` file whole, or nothing of it; its facts are checked
        as ``new`` checks them, against this log's rules (organisation profiles)."""
        from ..clock import format_utc
        from ..export.importer import import_file

        profiles = frozenset(self.rules.profiles)
        at = format_utc(self.record_clock())
        return import_file(
            self.store, path, source, at, self.actor, show_progress, stream, profiles
        )
