"""A gateway's send-rate limit: never more than the limit in any minute, the rest waits."""

from datetime import datetime, timedelta

import pytest

from odoo.addons.sms_notify.tools.rate import Take, take

NOW = datetime(2027, 3, 1, 12, 0, 0)


def ago(seconds):
    return NOW - timedelta(seconds=seconds)


def test_no_limit_takes_everything():
    assert take(0, [(ago(1), 1000)], NOW, 500) == Take(500)


def test_room_left_in_the_minute_is_taken():
    assert take(100, [(ago(30), 40)], NOW, 50) == Take(50)


def test_over_the_limit_waits_until_the_oldest_note_leaves_the_minute():
    assert take(100, [(ago(50), 70), (ago(10), 20)], NOW, 50) == Take(
        10, ago(50) + timedelta(minutes=1)
    )


def test_full_minute_takes_nothing_and_waits_for_enough_room():
    # 60 of the 100 leave 50 s ago + 1 min; before that the minute is still full
    notes = [(ago(50), 60), (ago(20), 40)]
    assert take(100, notes, NOW, 10) == Take(0, ago(50) + timedelta(minutes=1))


def test_notes_older_than_a_minute_do_not_count():
    assert take(100, [(ago(61), 100), (ago(60), 100)], NOW, 100) == Take(100)


def test_a_batch_over_the_limit_waits_for_its_own_note_to_leave():
    assert take(100, [], NOW, 300) == Take(100, NOW + timedelta(minutes=1))


def test_negative_values_are_refused():
    with pytest.raises(ValueError, match="negative"):
        take(-1, [], NOW, 1)
