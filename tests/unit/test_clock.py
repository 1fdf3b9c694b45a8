from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from breach import clock
from breach.engine import assess
from breach.rules import RuleSet

from ..conftest import BASE_FACTS, NOW, make_facts

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


def _due(rules: RuleSet, rule: str, **facts: Any) -> datetime:
    """The deadline the engine gives the first duty of ``rule``."""
    decision = assess(make_facts(**facts), rules, NOW)
    [due] = [o.due_at for o in decision.obligations if o.rule == rule][:1]
    assert due is not None
    return due


def test_72_hours_across_spring_forward_are_72_elapsed_hours(rules: RuleSet) -> None:
    """Aware on Friday 27 March 2026 at noon in Luxembourg; clocks go forward on the 29th."""
    aware = "2026-03-27T12:00:00+01:00"
    due = _due(rules, "gdpr.notify_authority", detected_at=aware, aware_at=aware)
    assert due - clock.parse_instant(aware) == timedelta(hours=72)
    # On the Luxembourg wall clock it reads 13:00 (CEST), not 12:00.
    assert due.astimezone(ZoneInfo("Europe/Luxembourg")).hour == 13


def test_72_hours_across_fall_back_are_72_elapsed_hours(rules: RuleSet) -> None:
    aware = "2026-10-23T12:00:00+02:00"
    due = _due(rules, "gdpr.notify_authority", detected_at=aware, aware_at=aware)
    assert due - clock.parse_instant(aware) == timedelta(hours=72)
    assert due.astimezone(ZoneInfo("Europe/Luxembourg")).hour == 11


def test_a_month_after_the_nis2_notification_is_calendar_arithmetic(rules: RuleSet) -> None:
    """The incident notification is due 72 h after awareness (31 January); the final report
    one calendar month later: 28 February, not 3 March."""
    nis2_entity = {**BASE_FACTS["organisation"], "nis2": "important"}
    aware = "2026-01-28T09:00:00+00:00"
    due = _due(
        rules,
        "nis2.final_report",
        organisation=nis2_entity,
        detected_at=aware,
        aware_at=aware,
        significant_incident=True,
    )
    assert due == datetime(2026, 2, 28, 9, 0, tzinfo=UTC)


def test_one_calendar_month_from_31_january_is_end_of_february() -> None:
    start = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)
    assert clock.add_months(start, 1) == datetime(2026, 2, 28, 9, 0, tzinfo=UTC)


def test_countdown_left_and_overdue() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert clock.countdown(now + timedelta(hours=23, minutes=14), now) == "23 h 14 m left"
    assert clock.countdown(now - timedelta(hours=3), now) == "OVERDUE 3 h 0 m"
    assert clock.countdown(now + timedelta(days=2, hours=3), now) == "2 d 3 h left"


def test_fixed_clock_is_frozen_and_utc() -> None:
    frozen = clock.fixed_clock(clock.parse_instant("2026-05-01T10:00:00+02:00"))
    assert frozen() == frozen() == datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


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
