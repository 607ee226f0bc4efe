"""Without billing, the cost shown before sending is estimated from what the vendors reported
for the company's recent messages, per SMS part."""

import pytest

from odoo.addons.sms_notify.tools.estimate import vendor_estimate


def test_estimate_is_the_parts_to_send_times_the_average_reported_cost_of_a_part():
    # 1.40 for one part, 2.80 for two, 1.60 for one: 5.80 / 4 parts = 1.45 a part
    estimate = vendor_estimate([1, 2, 3], [(1.4, 1), (2.8, 2), (1.6, 1)])
    assert (estimate.messages, estimate.segments) == (3, 6)
    assert estimate.per_segment == pytest.approx(1.45)
    assert estimate.total == pytest.approx(8.70)


def test_messages_without_a_reported_cost_are_left_out_of_the_average():
    estimate = vendor_estimate([2], [(0.0, 1), (None, 3), (0.5, 1), (1.0, 0)])
    assert estimate.per_segment == pytest.approx(0.5)
    assert estimate.total == pytest.approx(1.0)


@pytest.mark.parametrize(
    "segment_counts, reported",
    [([1, 2], []), ([1], [(0.0, 1), (None, 2)]), ([], [(1.4, 1)]), ([0], [(1.4, 1)])],
)
def test_no_estimate_without_reported_costs_or_nothing_to_send(segment_counts, reported):
    assert vendor_estimate(segment_counts, reported) is None
