"""When automatic messages go: delays, reminders before a date, validity, quiet hours."""

from datetime import datetime

import pytest

from odoo.addons.sms_notify.tools.schedule import (
    QuietHours,
    Timing,
    after_quiet_hours,
    after_quiet_hours_by_zone,
    is_expired,
    plan,
)

NIGHT = QuietHours(21, 9)


def test_delay_and_validity_count_from_the_trigger():
    timing = plan(datetime(2026, 5, 4, 10, 0), delay_minutes=30, validity_minutes=120)
    assert timing == Timing(datetime(2026, 5, 4, 10, 30), datetime(2026, 5, 4, 12, 30))


def test_no_validity_means_no_expiry():
    assert plan(datetime(2026, 5, 4, 10, 0)).expires is None


def test_reminder_before_a_date_is_a_negative_delay():
    visit = datetime(2026, 5, 4, 15, 0)
    assert plan(visit, delay_minutes=-24 * 60).due == datetime(2026, 5, 3, 15, 0)


def test_evening_message_waits_for_the_recipients_morning():
    # 19:30 UTC is 22:30 in Moscow: it waits for 09:00 Moscow, 06:00 UTC the next day
    due = after_quiet_hours(datetime(2026, 5, 4, 19, 30), NIGHT, "Europe/Moscow")
    assert due == datetime(2026, 5, 5, 6, 0)


def test_message_after_midnight_waits_for_the_same_morning():
    # 01:00 UTC is 03:00 in Warsaw (summer time): 09:00 Warsaw is 07:00 UTC the same day
    due = after_quiet_hours(datetime(2026, 7, 1, 1, 0), NIGHT, "Europe/Warsaw")
    assert due == datetime(2026, 7, 1, 7, 0)


def test_daytime_message_is_not_moved_and_window_ends_are_exact():
    noon = datetime(2026, 5, 4, 12, 0)
    assert after_quiet_hours(noon, NIGHT, "UTC") == noon
    # 09:00 is already morning, 21:00 already night
    assert after_quiet_hours(datetime(2026, 5, 4, 9, 0), NIGHT, "UTC") == datetime(2026, 5, 4, 9)
    assert after_quiet_hours(datetime(2026, 5, 4, 21, 0), NIGHT, "UTC") == datetime(2026, 5, 5, 9)


def test_window_within_one_day_and_no_window():
    siesta = QuietHours(13.5, 15)
    assert after_quiet_hours(datetime(2026, 5, 4, 14, 0), siesta, "UTC") == datetime(
        2026, 5, 4, 15, 0
    )
    assert not QuietHours(0, 0).active
    late = datetime(2026, 5, 4, 23, 0)
    assert after_quiet_hours(late, QuietHours(0, 0), "UTC") == late
    assert after_quiet_hours(late, None, "UTC") == late


def test_unknown_time_zone_reads_as_utc():
    assert after_quiet_hours(datetime(2026, 5, 4, 22, 0), NIGHT, "Mars/Olympus") == datetime(
        2026, 5, 5, 9, 0
    )


def test_validity_counts_from_the_moment_meant_not_from_the_morning():
    timing = plan(datetime(2026, 5, 4, 22, 0), validity_minutes=60, quiet=NIGHT, tz="UTC")
    assert timing.due == datetime(2026, 5, 5, 9, 0)
    assert timing.expires == datetime(2026, 5, 4, 23, 0)
    assert is_expired(timing, timing.due)
    assert not is_expired(plan(datetime(2026, 5, 4, 12, 0)), datetime(2030, 1, 1))


def test_quiet_hours_are_hours_of_the_day():
    with pytest.raises(ValueError, match="hours of the day"):
        QuietHours(21, 25)


def test_next_birthday_is_today_or_the_next_one():
    from datetime import date

    from odoo.addons.sms_notify.tools.schedule import next_anniversary

    born = date(1987, 11, 6)
    assert next_anniversary(born, date(2026, 11, 6)) == date(2026, 11, 6)
    assert next_anniversary(born, date(2026, 11, 7)) == date(2027, 11, 6)
    assert next_anniversary(born, date(2026, 1, 1)) == date(2026, 11, 6)
    leap = date(2000, 2, 29)
    assert next_anniversary(leap, date(2026, 1, 1)) == date(2026, 2, 28)
    assert next_anniversary(leap, date(2028, 1, 1)) == date(2028, 2, 29)


def test_a_mailing_is_timed_once_per_time_zone():
    # 20:30 UTC: 23:30 in Moscow (night), 21:30 in Warsaw (night), 20:30 in London (evening)
    composed = datetime(2027, 3, 1, 20, 30)
    zones = ["Europe/Moscow", "Europe/Warsaw", "Europe/Moscow", "Europe/London", None]
    assert after_quiet_hours_by_zone(composed, NIGHT, zones) == {
        "Europe/Moscow": datetime(2027, 3, 2, 6, 0),
        "Europe/Warsaw": datetime(2027, 3, 2, 8, 0),
        "Europe/London": composed,
        None: composed,
    }
