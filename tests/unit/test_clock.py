from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breach import clock

ZONES = [
    "Europe/Luxembourg",
    "Europe/London",
    "Asia/Tbilisi",
    "America/New_York",
    "Europe/Zurich",
    "UTC",
]


def test_time_without_offset_is_refused() -> None:
    with pytest.raises(clock.TimeInputError, match="no UTC offset"):
        clock.parse_instant("2026-03-29T01:30:00")


def test_time_without_offset_takes_the_given_zone() -> None:
    instant = clock.parse_instant("2026-07-01T12:00:00", "Europe/Paris")
    assert instant == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)


def test_nonexistent_wall_time_in_dst_gap_is_refused() -> None:
    with pytest.raises(clock.TimeInputError, match="does not exist"):
        clock.parse_instant("2026-03-29T02:30:00", "Europe/Luxembourg")


def test_unknown_zone_is_one_clear_error() -> None:
    with pytest.raises(clock.TimeInputError, match="unknown time zone"):
        clock.zone("Europe/Atlantis")


def test_72_hours_across_spring_forward_is_72_elapsed_hours() -> None:
    aware = clock.parse_instant("2026-03-27T12:00:00+01:00")
    due = clock.add_hours(aware, 72)
    assert due - aware == timedelta(hours=72)
    # On the Luxembourg wall clock it reads 13:00 (CEST), not 12:00.
    assert due.astimezone(ZoneInfo("Europe/Luxembourg")).hour == 13


def test_one_calendar_month_from_31_january_is_end_of_february() -> None:
    start = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)
    assert clock.add_months(start, 1) == datetime(2026, 2, 28, 9, 0, tzinfo=UTC)


def test_calendar_month_keeps_the_wall_clock_across_dst() -> None:
    start = clock.parse_instant("2026-03-10T09:00:00+01:00")
    end = clock.add_months(start, 1, "Europe/Brussels")
    assert end.astimezone(ZoneInfo("Europe/Brussels")).replace(tzinfo=None) == datetime(
        2026, 4, 10, 9, 0
    )
    assert end - start == timedelta(days=31, hours=-1)


def test_countdown_left_and_overdue() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert clock.countdown(now + timedelta(hours=23, minutes=14), now) == "23 h 14 m left"
    assert clock.countdown(now - timedelta(hours=3), now) == "OVERDUE 3 h 0 m"
    assert clock.countdown(now + timedelta(days=2, hours=3), now) == "2 d 3 h left"


def test_fixed_clock_is_frozen_and_utc() -> None:
    frozen = clock.fixed_clock(clock.parse_instant("2026-05-01T10:00:00+02:00"))
    assert frozen() == frozen() == datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2060, 1, 1)),
    zone_name=st.sampled_from(ZONES),
    hours=st.sampled_from([1, 24, 72, 168]),
)
def test_fixed_period_is_elapsed_time_in_any_zone(
    moment: datetime, zone_name: str, hours: int
) -> None:
    start = moment.replace(tzinfo=ZoneInfo(zone_name))
    due = clock.add_hours(start, hours)
    assert due - start == timedelta(hours=hours)
    assert due.tzinfo is UTC


@settings(max_examples=100, deadline=None)
@given(
    day=st.dates(min_value=datetime(2020, 1, 1).date(), max_value=datetime(2040, 1, 1).date()),
    zone_name=st.sampled_from(["Europe/Luxembourg", "Europe/London"]),
)
def test_dst_transition_days_still_give_exact_72_hours(day: object, zone_name: str) -> None:
    # Start at 01:00 UTC on any day: many of these straddle a DST change within 72 h.
    start = datetime(day.year, day.month, day.day, 1, tzinfo=UTC).astimezone(ZoneInfo(zone_name))  # type: ignore[attr-defined]
    assert clock.add_hours(start, 72) - start == timedelta(hours=72)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("now", datetime(2026, 7, 1, 10, 0, tzinfo=UTC)),
        ("2026-07-01 14:30", datetime(2026, 7, 1, 12, 30, tzinfo=UTC)),
        ("2026-07-01T14:30+00:00", datetime(2026, 7, 1, 14, 30, tzinfo=UTC)),
        ("1.7.2026 14:30", datetime(2026, 7, 1, 12, 30, tzinfo=UTC)),
        ("01.07.2026", datetime(2026, 6, 30, 22, 0, tzinfo=UTC)),
    ],
)
def test_parse_typed_times(typed: str, expected: datetime) -> None:
    now = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert clock.parse_typed(typed, "Europe/Paris", now) == expected


@pytest.mark.parametrize("typed", ["03/04/2026 10:00", "yesterday", "2026-13-01 10:00"])
def test_parse_typed_refuses_ambiguous_or_wrong(typed: str) -> None:
    with pytest.raises(clock.TimeInputError):
        clock.parse_typed(typed, "Europe/Paris", datetime(2026, 7, 1, tzinfo=UTC))
