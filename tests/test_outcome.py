"""The summary of a send: messages on their way, and the skipped ones counted per reason."""

from odoo.addons.sms_notify.tools.outcome import QUEUED_STATES, tally


def test_messages_on_their_way_are_queued_whatever_their_step():
    result = tally((state, None) for state in ("outgoing", "process", "pending", "sent"))
    assert result.queued == 4
    assert result.skipped == ()
    assert result.skipped_count == 0
    assert {"canceled", "error"}.isdisjoint(QUEUED_STATES)


def test_skipped_messages_are_counted_per_reason_most_frequent_first():
    result = tally(
        [
            ("outgoing", None),
            ("canceled", "sms_number_missing"),
            ("canceled", "sms_optout"),
            ("error", "sms_optout"),
            ("canceled", "sms_duplicate"),
        ]
    )
    assert result.queued == 1
    assert result.skipped == (("sms_optout", 2), ("sms_number_missing", 1), ("sms_duplicate", 1))
    assert result.skipped_count == 4


def test_nothing_sent_counts_nothing():
    result = tally([])
    assert (result.queued, result.skipped, result.skipped_count) == (0, (), 0)
