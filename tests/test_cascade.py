"""Viber first, SMS when Viber does not reach the customer: what the engine does next, at
frozen moments, and what a cascade costs."""

from datetime import datetime, timedelta

import pytest

from odoo.addons.sms_notify.tools.cascade import (
    DONE,
    FAILED,
    SEND_SMS,
    SEND_VIBER,
    SMS,
    SMS_ONLY,
    VIBER,
    VIBER_ONLY,
    VIBER_THEN_SMS,
    WAIT,
    Attempt,
    Step,
    check_wait,
    cost,
    next_step,
)

SENT_AT = datetime(2026, 12, 3, 10, 0, 0)
WAIT_SECONDS = 600


def step(attempts, minutes_later, mode=VIBER_THEN_SMS):
    return next_step(mode, attempts, SENT_AT + timedelta(minutes=minutes_later), WAIT_SECONDS)


def viber(state, sent_at=SENT_AT):
    return Attempt(VIBER, state, sent_at)


def test_a_cascade_starts_with_viber_and_sms_only_with_sms():
    assert step([], 0) == Step(SEND_VIBER)
    assert step([], 0, mode=VIBER_ONLY) == Step(SEND_VIBER)
    assert step([], 0, mode=SMS_ONLY) == Step(SEND_SMS)


def test_viber_delivered_sends_no_sms():
    assert step([viber("sent")], 1) == Step(DONE)
    assert step([viber("sent")], 60) == Step(DONE)


def test_not_a_viber_user_gets_the_sms_at_once():
    # the vendor refuses the number (not a Viber user, blocked, no device): an error at once
    assert step([viber("error")], 0) == Step(SEND_SMS)


def test_viber_cancelled_before_it_left_sends_no_sms():
    # no consent, validity over, a text not rendered: the same reason would cancel the SMS
    assert step([viber("canceled")], 0) == Step(FAILED)


def test_no_report_within_the_wait_sends_the_sms_then():
    attempts = [viber("pending")]
    assert step(attempts, 9) == Step(WAIT, SENT_AT + timedelta(seconds=WAIT_SECONDS))
    assert step(attempts, 10) == Step(SEND_SMS)


def test_the_wait_starts_when_viber_has_the_message():
    assert step([viber("outgoing", sent_at=None)], 60) == Step(WAIT)


def test_viber_delivered_after_the_sms_left_is_recorded_and_nothing_more_goes():
    late = [viber("sent"), Attempt(SMS, "pending", SENT_AT + timedelta(minutes=10))]
    assert step(late, 12) == Step(WAIT)  # only the SMS's own report is awaited
    late_delivered = [viber("sent"), Attempt(SMS, "sent", SENT_AT + timedelta(minutes=10))]
    assert step(late_delivered, 15) == Step(DONE)
    failed_sms = [viber("error"), Attempt(SMS, "error", SENT_AT)]
    assert step(failed_sms, 1) == Step(FAILED)


def test_viber_only_never_falls_back_to_sms():
    assert step([viber("error")], 0, mode=VIBER_ONLY) == Step(FAILED)
    assert step([viber("pending")], 60, mode=VIBER_ONLY) == Step(WAIT)


def test_cost_worst_case_pays_both_and_expected_weighs_viber_users():
    # Viber 0.50 when delivered; the SMS 2 parts at 1.00
    assert cost(VIBER_THEN_SMS, 0.5, 1.0, 2, viber_share=0.75) == (2.5, 0.875)
    assert cost(SMS_ONLY, 0.5, 1.0, 2) == (2.0, 2.0)
    assert cost(VIBER_ONLY, 0.5, 1.0, 2, viber_share=0.5) == (0.5, 0.25)


@pytest.mark.parametrize("seconds", [29, 24 * 3600 + 1])
def test_the_wait_for_viber_has_bounds(seconds):
    with pytest.raises(ValueError, match="between 30 seconds and 24 hours"):
        check_wait(seconds)
    assert check_wait(600) == 600


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="unknown mode"):
        next_step("telegram", [], SENT_AT, WAIT_SECONDS)
