"""A notification rule in words, and its delay in the unit the user chose."""

from datetime import datetime

import pytest

from odoo.addons.sms_notify.tools.describe import (
    Rule,
    Term,
    clock,
    condition_text,
    delay_text,
    describe,
    term_text,
)
from odoo.addons.sms_notify.tools.schedule import from_minutes, to_minutes, window_of_dates

DELIVERED = Term("Status", "=", "Delivered", kind="selection")


def test_a_delay_is_counted_in_minutes_hours_or_days():
    assert to_minutes(2, "hours") == 120
    assert to_minutes(3, "days") == 4320
    assert to_minutes(45, "minutes") == 45
    assert to_minutes(0, "days") == 0


def test_an_unknown_unit_is_refused():
    with pytest.raises(ValueError, match="weeks"):
        to_minutes(1, "weeks")


@pytest.mark.parametrize(
    ("minutes", "said"),
    [
        (0, (0, "minutes")),
        (30, (30, "minutes")),
        (90, (90, "minutes")),
        (120, (2, "hours")),
        (1440, (1, "days")),
        (4320, (3, "days")),
        (10080, (7, "days")),
        (1500, (25, "hours")),
    ],
)
def test_stored_minutes_read_in_the_largest_exact_unit(minutes, said):
    assert from_minutes(minutes) == said
    assert to_minutes(*said) == minutes


def test_the_dates_a_date_rule_sends_for_in_the_next_days():
    now = datetime(2026, 5, 4, 10, 0)
    assert window_of_dates("before_date", 1440, now, 7) == (
        datetime(2026, 5, 5, 10, 0),
        datetime(2026, 5, 12, 10, 0),
    )
    assert window_of_dates("after_date", 4320, now, 7) == (
        datetime(2026, 5, 1, 10, 0),
        datetime(2026, 5, 8, 10, 0),
    )
    assert window_of_dates("state", 0, now, 7) is None


def test_delays_are_said_with_their_unit():
    assert delay_text(2, "hours") == "2 hours"
    assert delay_text(1, "days") == "1 day"
    assert delay_text(1, "minutes") == "1 minute"


def test_clock_hours():
    assert clock(9) == "9:00"
    assert clock(20.5) == "20:30"


def test_the_salon_sentence():
    rule = Rule(
        trigger="state",
        document="Sales Order",
        terms=(DELIVERED,),
        delay_amount=2,
        delay_unit="hours",
        departments=("Shop A",),
        sending_hours=(9, 20),
    )
    assert describe(rule) == (
        "When a Sales Order reaches Status “Delivered”, 2 hours later, to customers of the "
        "department Shop A, between 9:00 and 20:00 on the customer's clock."
    )


def test_a_reminder_before_a_date_with_a_condition_and_a_gateway():
    rule = Rule(
        trigger="before_date",
        document="Meeting",
        terms=(Term("Customer", "!=", False),),
        delay_amount=1,
        delay_unit="days",
        date_label="Start",
        departments=("Shop A", "Shop B"),
        gateway="Salon phone",
    )
    assert describe(rule) == (
        "1 day before Start of a Meeting, if it meets the condition: Customer is set, "
        "to customers of the departments Shop A, Shop B, through Salon phone."
    )


def test_a_condition_that_cannot_be_said_simply_is_the_filter():
    rule = Rule(trigger="state", document="Repair", terms=None)
    assert describe(rule) == "When a Repair comes to match the filter, at once."
    changed = Rule(
        trigger="change", document="Meeting", terms=None, changed_labels=("Start", "Employee")
    )
    assert describe(changed) == (
        "When Start, Employee of a Meeting change, if it matches the filter, at once."
    )


def test_several_terms_are_joined():
    terms = (Term("Status", "in", ["Quotation", "Sales Order"]), Term("Total", ">", 100, "number"))
    assert condition_text(terms) == (
        "Status is one of “Quotation”, “Sales Order” and Total is more than 100"
    )
    assert term_text(Term("Order Date", "<", "05/04/2026", "date")) == (
        "Order Date is before “05/04/2026”"
    )
    assert condition_text((Term("Tags", "child_of", 3),)) is None
    assert condition_text(()) == ""


def test_a_birthday_every_year():
    rule = Rule(trigger="yearly", document="Contact", date_label="Birthday", sending_hours=(9, 21))
    assert describe(rule) == (
        "Every year on Birthday of a Contact, at once, between 9:00 and 21:00 on the "
        "customer's clock."
    )


def test_the_sentence_goes_through_the_translation_function():
    def shout(text, **values):
        return (text % values if values else text).upper()

    assert term_text(DELIVERED, shout) == "STATUS IS “DELIVERED”"
    assert describe(Rule(trigger="state", document="order", terms=()), shout) == (
        "WHEN A ORDER IS CREATED, AT ONCE."
    )
