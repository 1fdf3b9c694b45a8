"""Times a tired responder types: relative forms, bare clock times and DST gaps/folds."""

from datetime import UTC, datetime

import pytest

from breach import clock

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)  # 10:30 in Luxembourg (CET, +01:00)
LUX = "Europe/Luxembourg"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("now", NOW),
        ("NOW", NOW),
        ("2h ago", datetime(2026, 11, 20, 7, 30, tzinfo=UTC)),
        ("90m ago", datetime(2026, 11, 20, 8, 0, tzinfo=UTC)),
        ("2 h 30 m ago", datetime(2026, 11, 20, 7, 0, tzinfo=UTC)),
        ("2H30M AGO", datetime(2026, 11, 20, 7, 0, tzinfo=UTC)),
        ("1d ago", datetime(2026, 11, 19, 9, 30, tzinfo=UTC)),
        ("3 hours ago", datetime(2026, 11, 20, 6, 30, tzinfo=UTC)),
        ("01:40", datetime(2026, 11, 20, 0, 40, tzinfo=UTC)),
        ("today 01:40", datetime(2026, 11, 20, 0, 40, tzinfo=UTC)),
        ("  Today   01:40 ", datetime(2026, 11, 20, 0, 40, tzinfo=UTC)),
        ("yesterday 23:10", datetime(2026, 11, 19, 22, 10, tzinfo=UTC)),
        ("YESTERDAY 23:10", datetime(2026, 11, 19, 22, 10, tzinfo=UTC)),
        ("09:00+02:00", datetime(2026, 11, 20, 7, 0, tzinfo=UTC)),
        ("2026-11-20 08:00", datetime(2026, 11, 20, 7, 0, tzinfo=UTC)),
        ("20.11.2026  08:00", datetime(2026, 11, 20, 7, 0, tzinfo=UTC)),
    ],
)
def test_every_typed_form(typed: str, expected: datetime) -> None:
    assert clock.parse_typed(typed, LUX, NOW) == expected


def test_a_bare_clock_time_later_than_now_means_yesterday() -> None:
    # 23:10 has not come yet today at 10:30: a detection time is in the past.
    assert clock.parse_typed("23:10", LUX, NOW) == datetime(2026, 11, 19, 22, 10, tzinfo=UTC)
    assert clock.parse_typed("10:36", LUX, NOW) == datetime(2026, 11, 19, 9, 36, tzinfo=UTC)


def test_a_bare_clock_time_a_few_minutes_ahead_is_still_today() -> None:
    # Up to CLOCK_DRIFT (5 min) ahead: the watch and the computer disagree, it is today.
    assert clock.parse_typed("10:35", LUX, NOW) == datetime(2026, 11, 20, 9, 35, tzinfo=UTC)


def test_explicit_today_is_never_moved() -> None:
    assert clock.parse_typed("today 23:10", LUX, NOW) == datetime(2026, 11, 20, 22, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    "typed", ["yesterday", "ago", "tomorrow 10:00", "25:00", "10:61", "2 weeks ago", "1 2"]
)
def test_anything_else_is_refused_with_the_forms(typed: str) -> None:
    with pytest.raises(clock.TimeInputError) as err:
        clock.parse_typed(typed, LUX, NOW)
    assert str(err.value) == (
        f"{typed!r} is not a time: type 2026-11-20 14:30, 20.11.2026 14:30, 01:40, "
        "yesterday 23:10, 2h ago or now"
    )


def test_dst_gap_in_amsterdam_asks_for_another_time() -> None:
    with pytest.raises(clock.NonexistentLocalTime) as err:
        clock.parse_typed("2026-03-29 02:30", "Europe/Amsterdam", NOW)
    assert str(err.value) == (
        "02:30 does not exist on 2026-03-29 in Europe/Amsterdam "
        "(clocks jump from 02:00 to 03:00): type 03:30 or 01:30, or give an offset"
    )


def test_dst_fold_in_amsterdam_asks_which_one() -> None:
    with pytest.raises(clock.AmbiguousLocalTime) as err:
        clock.parse_typed("2026-10-25 02:30", "Europe/Amsterdam", NOW)
    assert str(err.value) == (
        "2026-10-25 02:30 happens twice in Europe/Amsterdam: "
        "type 02:30+02:00 (the first, CEST) or 02:30+01:00 (the second, CET)"
    )
    assert err.value.candidates == (
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    )


def test_dst_in_london() -> None:
    with pytest.raises(clock.NonexistentLocalTime, match=r"clocks jump from 01:00 to 02:00"):
        clock.parse_typed("29.03.2026 01:30", "Europe/London", NOW)
    with pytest.raises(clock.AmbiguousLocalTime, match=r"01:30\+01:00 \(the first, BST\)"):
        clock.parse_typed("2026-10-25 01:30", "Europe/London", NOW)


def test_relative_forms_on_a_dst_day_ask_too() -> None:
    after_gap = datetime(2026, 3, 29, 5, 0, tzinfo=UTC)
    with pytest.raises(clock.NonexistentLocalTime):
        clock.parse_typed("today 02:30", "Europe/Amsterdam", after_gap)
    with pytest.raises(clock.AmbiguousLocalTime):
        clock.parse_typed("yesterday 02:30", "Europe/Amsterdam", datetime(2026, 10, 26, tzinfo=UTC))
    # 02:10 CET, the second pass: the first 02:30 (CEST) is already past, so ask.
    with pytest.raises(clock.AmbiguousLocalTime):
        clock.parse_typed("02:30", "Europe/Amsterdam", datetime(2026, 10, 25, 1, 10, tzinfo=UTC))


def test_the_answer_with_an_offset_is_taken() -> None:
    later = datetime(2026, 10, 25, 5, 0, tzinfo=UTC)
    first = clock.parse_typed("02:30+02:00", "Europe/Amsterdam", later)
    second = clock.parse_typed("02:30+01:00", "Europe/Amsterdam", later)
    assert (first, second) == (
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    )


def test_a_bare_time_before_the_dst_change_means_yesterday() -> None:
    # 01:50 CET on 29 March: today's 02:30 is both skipped and ahead, so it is yesterday's.
    before_gap = datetime(2026, 3, 29, 0, 50, tzinfo=UTC)
    assert clock.parse_typed("02:30", "Europe/Amsterdam", before_gap) == datetime(
        2026, 3, 28, 1, 30, tzinfo=UTC
    )


def test_ago_is_elapsed_time_across_dst() -> None:
    # 1d is 24 h, not "the same wall time yesterday": 01:00 CET is 01:00 UTC, 24 h earlier.
    after = datetime(2026, 10, 26, 1, 0, tzinfo=UTC)
    assert clock.parse_typed("1d ago", "Europe/Amsterdam", after) == datetime(
        2026, 10, 25, 1, 0, tzinfo=UTC
    )
