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
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import BadInput

Clock = Callable[[], datetime]


class TimeInputError(BadInput):
    """A time or zone given by the user cannot be used."""


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
        value = value.replace(tzinfo=zone(tz))
        # A wall time that does not exist (DST gap) or is ambiguous (DST fold) is refused.
        roundtrip = value.astimezone(UTC).astimezone(value.tzinfo).replace(tzinfo=None)
        if roundtrip != value.replace(tzinfo=None):
            raise TimeInputError(f"{shown_as!r} does not exist in {tz} (DST change); add an offset")
    return value.astimezone(UTC)


_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2}))?$")


def parse_typed(text: str, zone_name: str | None, now: datetime) -> datetime:
    """A time a person typed: "now", ISO 8601 (offset optional: then ``zone_name`` applies),
    or the European "20.11.2026 14:30". Slashed dates are refused as ambiguous
    (is 03/04 the 3rd of April or the 4th of March?). Returns UTC."""
    raw = text.strip()
    if raw.lower() == "now":
        return now.astimezone(UTC)
    if "/" in raw:
        raise TimeInputError(
            f"{text!r} is ambiguous (day/month?): type 2026-11-20 14:30 or 20.11.2026 14:30"
        )
    dotted = _DOTTED.match(raw)
    if dotted:
        day, month, year, hour, minute = dotted.groups()
        raw = f"{year}-{int(month):02d}-{int(day):02d}T{int(hour or 0):02d}:{minute or '00'}"
    try:
        value = isoparse(raw.replace(" ", "T", 1))
    except (ValueError, OverflowError):
        raise TimeInputError(
            f"{text!r} is not a time: type 2026-11-20 14:30, 20.11.2026 14:30 or now"
        ) from None
    return attach_zone(value, zone_name or "UTC", text)


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
