"""A mailing's summary picks each recipient's number as the SMS composer will: the record's
first valid mobile number, else its customer's, else a number the user set for the mailing."""

from datetime import datetime

from odoo.addons.sms_notify.tools.schedule import QuietHours
from odoo.addons.sms_notify_campaign.tools.recipients import (
    OVERRIDE,
    PARTNER,
    RECORD,
    Choice,
    choose,
    expiring_zones,
    quiet_zones,
)


def test_first_valid_mobile_of_the_record_wins():
    choice = choose(
        [("mobile", "+7 495 123-45-67"), ("phone", "8 912 345-67-89")],
        record_country="RU",
    )
    assert choice == Choice("8 912 345-67-89", "+79123456789", RECORD, "phone")


def test_number_without_country_code_is_read_in_the_company_country():
    assert choose([("mobile", "601 234 567")], company_country="PL").e164 == "+48601234567"
    assert choose([("mobile", "601 234 567")]).e164 is None


def test_customer_numbers_when_the_record_has_no_valid_one():
    choice = choose(
        [("mobile", "12")],
        partner_numbers={"mobile": False, "phone": "+48 601 234 567"},
    )
    assert choice == Choice("+48 601 234 567", "+48601234567", PARTNER, "phone")


def test_missing_and_invalid_numbers_are_told_apart():
    assert choose([("mobile", False)]).number is None
    assert choose([("mobile", "+7 495 123-45-67")]) == Choice(
        "+7 495 123-45-67", None, RECORD, "mobile"
    )
    # a customer without numbers: the record's invalid number does not count, as in Odoo
    assert (
        choose([("mobile", "12")], partner_numbers={"mobile": False, "phone": False}).number is None
    )


def test_number_set_for_the_mailing_replaces_the_others():
    choice = choose([("mobile", "+79123456789")], record_country="RU", override="8 912 000 00 01")
    assert choice == Choice("8 912 000 00 01", "+79120000001", OVERRIDE, None)


def test_quiet_zones_are_the_ones_where_it_is_night_now():
    now = datetime(2026, 1, 15, 23, 0)  # UTC
    zones = {"UTC", "Etc/GMT-12", "Europe/Warsaw", None}
    assert quiet_zones(zones, QuietHours(21.0, 9.0), now) == {"UTC", "Europe/Warsaw", None}
    assert quiet_zones(zones, QuietHours(0.0, 0.0), now) == set()


def test_night_expiring_zones_are_those_whose_morning_comes_after_the_validity():
    """A promotion sent at 23:00 UTC valid for 2 hours expires before 09:00 in London but not
    in Auckland's morning; without a validity nothing expires."""
    quiet = QuietHours(21.0, 9.0)
    now = datetime(2026, 1, 15, 23, 0)
    zones = {"Europe/London", "Pacific/Auckland", None}
    assert expiring_zones(zones, quiet, now, 2) == {"Europe/London", None}
    assert expiring_zones(zones, quiet, now, 11) == set()
    assert expiring_zones(zones, quiet, now, 0) == set()
