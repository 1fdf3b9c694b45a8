"""Time: an injectable clock, strict parsing, deadline arithmetic and countdowns.

Rules of the house:
- Every instant is timezone-aware and stored/computed in UTC.
- A fixed period ("72 hours") is *elapsed* time: 72 h across a DST change is still 72 h.
- A calendar period ("one month") is calendar arithmetic with dateutil's relativedelta,
  on the UTC calendar (a month after 31 January is 28/29 February).
- A time typed without a UTC offset is refused unless a zone is given explicitly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import BadInput

Clock = Callable[[], datetime]


class TimeInputError(BadInput):
    """A time or zone given by the user cannot be used."""


class NonexistentLocalTime(TimeInputError):
    """A wall time skipped by a DST change (spring forward): the responder must re-type."""

    def __init__(self, wall: datetime, zone_name: str, jump: tuple[datetime, datetime]) -> None:
        self.wall, self.zone_name, self.jump = wall, zone_name, jump
        gap = jump[1] - jump[0]
        super().__init__(
            f"{_hm(wall)} does not exist on {wall.date()} in {zone_name} "
            f"(clocks jump from {_hm(jump[0])} to {_hm(jump[1])}): "
            f"type {_hm(wall + gap)} or {_hm(wall - gap)}, or give an offset"
        )


class AmbiguousLocalTime(TimeInputError):
    """A wall time lived twice (fall back): ``candidates`` are the two instants, in UTC."""

    def __init__(
        self, wall: datetime, zone_name: str, candidates: tuple[datetime, datetime]
    ) -> None:
        self.wall, self.zone_name, self.candidates = wall, zone_name, candidates
        first, second = (c.astimezone(zone(zone_name)) for c in candidates)
        super().__init__(
            f"{wall.date()} {_hm(wall)} happens twice in {zone_name}: "
            f"type {_hm(wall)}{_offset(first)} (the first, {first.tzname()}) "
            f"or {_hm(wall)}{_offset(second)} (the second, {second.tzname()})"
        )


def _hm(wall: datetime) -> str:
    """A wall time as typed: HH:MM, with seconds only when there are some."""
    return wall.strftime("%H:%M:%S" if wall.second else "%H:%M")


def _offset(local: datetime) -> str:
    """The UTC offset of an aware time as +HH:MM."""
    text = local.strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def system_clock() -> datetime:
    """The real current instant, in UTC."""
    return datetime.now(UTC)


def fixed_clock(instant: datetime) -> Clock:
    """A clock that always returns ``instant`` (for ``--now`` and tests)."""
    if instant.tzinfo is None:
        raise TimeInputError("a fixed clock needs a timezone-aware instant")
    frozen = instant.astimezone(UTC)
    return lambda: frozen


def zone(name: str | None) -> tzinfo:
    """Resolve an IANA zone name ("Europe/Luxembourg"), "UTC", or None (UTC)."""
    if name is None or name.upper() in {"UTC", "Z"}:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimeInputError(
            f"unknown time zone {name!r} (use an IANA name such as Europe/Paris)"
        ) from None


def parse_instant(text: str, tz: str | None = None) -> datetime:
    """Parse an ISO 8601 time; a time without offset needs ``tz`` (else it is refused).

    Returns the instant in UTC.
    """
    raw = text.strip()
    if raw.lower() == "now":
        raise TimeInputError("'now' is not a time here; pass --now or type the time")
    try:
        value = isoparse(raw)
    except (ValueError, OverflowError):
        raise TimeInputError(
            f"{text!r} is not an ISO 8601 time (e.g. 2026-11-20T14:30:00+01:00)"
        ) from None
    return attach_zone(value, tz, text)


def isoparse(text: str) -> datetime:
    """Parse ISO 8601: the standard library first (fast), dateutil's isoparse otherwise."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        from dateutil.parser import isoparse as dateutil_isoparse  # slower import, rare path

        return dateutil_isoparse(text)


def attach_zone(value: datetime, tz: str | None, shown_as: str) -> datetime:
    """Return ``value`` in UTC; a naive value takes zone ``tz`` or is refused."""
    if value.tzinfo is None:
        if tz is None:
            raise TimeInputError(
                f"{shown_as!r} has no UTC offset; add one (e.g. +01:00 or Z) or pass --tz ZONE"
            )
        return localise(value, tz)
    return value.astimezone(UTC)


def localise(wall: datetime, zone_name: str) -> datetime:
    """A naive wall time in ``zone_name`` as a UTC instant.

    A DST gap or fold is never guessed: it raises NonexistentLocalTime or AmbiguousLocalTime.
    """
    tz = zone(zone_name)
    found = _instants(wall, tz)
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousLocalTime(wall, zone_name, (found[0], found[1]))
    raise NonexistentLocalTime(wall, zone_name, _jump(wall, tz))


def _instants(wall: datetime, tz: tzinfo) -> list[datetime]:
    """Every UTC instant whose wall time in ``tz`` is ``wall``: none, one or two."""
    found: list[datetime] = []
    for fold in (0, 1):
        instant = wall.replace(tzinfo=tz, fold=fold).astimezone(UTC)
        if instant.astimezone(tz).replace(tzinfo=None) == wall and instant not in found:
            found.append(instant)
    return found


def _jump(wall: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """The wall times just before and after the DST jump that skips ``wall``."""
    before = wall.replace(tzinfo=tz, fold=0).utcoffset() or timedelta(0)
    after = wall.replace(tzinfo=tz, fold=1).utcoffset() or timedelta(0)
    # The transition lies between these two instants: bisect to the second.
    low, high = (wall - after).replace(tzinfo=UTC), (wall - before).replace(tzinfo=UTC)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).utcoffset() == after:
            high = middle
        else:
            low = middle
    edge = high.replace(microsecond=0, tzinfo=None)
    return edge + before, edge + after


_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2}))?$")
_CLOCK_TIME = re.compile(
    r"^(?:(today|yesterday) )?(\d{1,2}):(\d{2})(?::(\d{2}))? ?(z|[+-]\d{2}(?::?\d{2})?)?$"
)
_AGO = re.compile(
    r"^(?:(\d+) ?d(?:ays?)? ?)?(?:(\d+) ?h(?:ours?|rs?)? ?)?(?:(\d+) ?m(?:in(?:ute)?s?)? ?)?ago$"
)
#: A bare clock time this far ahead of now still means today: the responder's watch and
#: the computer's clock disagree by a minute or two, and "yesterday" would be 24 h off.
CLOCK_DRIFT = timedelta(minutes=5)
TYPED_FORMS = "2026-11-20 14:30, 20.11.2026 14:30, 01:40, yesterday 23:10, 2h ago or now"


def parse_typed(text: str, zone_name: str | None, now: datetime) -> datetime:
    """A time a person typed, in ``zone_name`` (default UTC) relative to ``now``. Returns UTC.

    Accepted: "now"; "2h ago", "90m ago", "2 h 30 m ago", "1d ago" (elapsed time);
    "01:40" (the latest 01:40 not in the future: today, else yesterday), "today 01:40",
    "yesterday 23:10"; ISO 8601 (offset optional) and "20.11.2026 14:30". Case and extra
    spaces do not matter. Slashed dates are refused as ambiguous (3 April or 4 March?).
    A wall time in a DST gap or fold raises NonexistentLocalTime or AmbiguousLocalTime.
    """
    raw = " ".join(text.split())
    lowered = raw.lower()
    zone_name = zone_name or "UTC"
    if lowered == "now":
        return now.astimezone(UTC)
    if "/" in raw:
        raise TimeInputError(
            f"{text!r} is ambiguous (day/month?): type 2026-11-20 14:30 or 20.11.2026 14:30"
        )
    try:
        if ago := _AGO.match(lowered):
            return _ago(ago, now, text)
        if clock_time := _CLOCK_TIME.match(lowered):
            return _clock_time(clock_time, zone_name, now)
    except TimeInputError:
        raise
    except (ValueError, OverflowError):  # 25:00, 99999999d: shaped right, still no time
        raise _not_a_time(text) from None
    return _absolute(raw, zone_name, text)


def _not_a_time(text: str) -> TimeInputError:
    return TimeInputError(f"{text!r} is not a time: type {TYPED_FORMS}")


def _ago(match: re.Match[str], now: datetime, text: str) -> datetime:
    """ "2 h 30 m ago": elapsed time before ``now`` (1d is 24 h, even across DST)."""
    if not any(match.groups()):
        raise _not_a_time(text)
    days, hours, minutes = (int(part or 0) for part in match.groups())
    return now.astimezone(UTC) - timedelta(days=days, hours=hours, minutes=minutes)


def _clock_time(match: re.Match[str], zone_name: str, now: datetime) -> datetime:
    """ "[today|yesterday] HH:MM[:SS][offset]" on the zone's calendar."""
    day_word, hour, minute, second, offset = match.groups()
    wall = time(int(hour), int(minute), int(second or 0))
    today = now.astimezone(zone(zone_name)).date()
    if day_word == "yesterday":
        return _on_day(today - timedelta(days=1), wall, offset, zone_name)
    if day_word == "today":
        return _on_day(today, wall, offset, zone_name)
    return _latest_past(today, wall, offset, zone_name, now)


def _latest_past(
    today: date, wall: time, offset: str | None, zone_name: str, now: datetime
) -> datetime:
    """A bare clock time: today, or yesterday if today's is still ahead (an event time
    is in the past). A DST gap or fold today that has already begun is asked about."""
    limit = now + CLOCK_DRIFT
    try:
        instant = _on_day(today, wall, offset, zone_name)
    except AmbiguousLocalTime as err:
        if err.candidates[0] <= limit:
            raise
    except NonexistentLocalTime as err:
        if localise(err.jump[1], zone_name) <= limit:
            raise
    else:
        if instant <= limit:
            return instant
    return _on_day(today - timedelta(days=1), wall, offset, zone_name)


def _on_day(day: date, wall: time, offset: str | None, zone_name: str) -> datetime:
    """``wall`` on ``day``: with the typed offset if any, else in ``zone_name``."""
    naive = datetime.combine(day, wall)
    if offset is None:
        return localise(naive, zone_name)
    return isoparse(f"{naive.isoformat()}{offset.upper()}").astimezone(UTC)


def _absolute(raw: str, zone_name: str, text: str) -> datetime:
    """ISO 8601 or "20.11.2026 14:30"; without an offset, ``zone_name`` applies."""
    dotted = _DOTTED.match(raw)
    if dotted:
        day, month, year, hour, minute = dotted.groups()
        raw = f"{year}-{int(month):02d}-{int(day):02d}T{int(hour or 0):02d}:{minute or '00'}"
    try:
        value = isoparse(raw.replace(" ", "T", 1))
    except (ValueError, OverflowError):
        raise _not_a_time(text) from None
    return attach_zone(value, zone_name, text)


def add_months(start: datetime, months: int) -> datetime:
    """``start`` plus calendar months (a month after 31 January is 28/29 February), in UTC."""
    from dateutil.relativedelta import relativedelta

    return start.astimezone(UTC) + relativedelta(months=months)


def humanise(delta: timedelta) -> str:
    """A short duration: "2 d 3 h", "23 h 14 m", "45 m", "under 1 m"."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins} m"
    if mins:
        return f"{mins} m"
    return "under 1 m"


def countdown(due: datetime, now: datetime) -> str:
    """Time left until ``due`` ("23 h 14 m left") or past it ("OVERDUE 3 h 5 m")."""
    remaining = due - now
    if remaining >= timedelta(0):
        return f"{humanise(remaining)} left"
    return f"OVERDUE {humanise(remaining)}"


def format_local(instant: datetime, zone_name: str | None) -> str:
    """Show an instant on the responder's wall clock, with the zone's abbreviation."""
    local = instant.astimezone(zone(zone_name))
    return local.strftime("%a %d %b %Y %H:%M %Z").strip()


def format_utc(instant: datetime) -> str:
    """The canonical ``YYYY-MM-DDTHH:MM:SSZ`` form."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
