"""Messages are priced per segment under the tariff in force, exact to the kopeck, and a
balance never pays for more than it holds."""

from decimal import Decimal

import pytest

from odoo.addons.sms_notify.tools import gsm
from odoo.addons.sms_notify_billing.tools.pricing import (
    ADVERTISING,
    OWN_NAME,
    PACKAGE,
    SERVICE,
    SHARED_NAME,
    Tariff,
    amount_text,
    count_text,
    covered,
    message_kind,
    package_covered,
    package_preview,
    preview,
    to_amount,
)

SHARED = Tariff(SHARED_NAME, price_per_message=9.8)
OWN = Tariff(OWN_NAME, price_service=8.8, price_advertising=9.6, monthly_fee=8934)


def test_shared_name_has_one_price_whatever_the_kind():
    assert SHARED.message_price(1, SERVICE) == Decimal("9.80")
    assert SHARED.message_price(1, ADVERTISING) == Decimal("9.80")
    assert SHARED.message_price(3, SERVICE, operator_registered=True) == Decimal("29.40")


def test_own_name_service_price_needs_an_operator_operator_registered():
    assert OWN.message_price(2, SERVICE, operator_registered=True) == Decimal("17.60")
    # a service text the operators never registered is charged as advertising
    assert OWN.message_price(2, SERVICE, operator_registered=False) == Decimal("19.20")
    assert OWN.message_price(2, ADVERTISING, operator_registered=True) == Decimal("19.20")


def test_prices_are_per_segment_of_the_exact_count():
    long_cyrillic = "Ваш заказ готов. " * 5  # 85 UCS-2 characters: two segments of 67
    segments = gsm.analyze(long_cyrillic).segments
    assert segments == 2
    assert SHARED.message_price(segments, SERVICE) == Decimal("19.60")
    assert SHARED.message_price(0, SERVICE) == Decimal("0.00")


def test_floats_become_exact_amounts():
    # 0.1 + 0.2 is not 0.3 in binary floating point; amounts must not drift
    assert to_amount(0.1) + to_amount(0.2) == Decimal("0.30")
    assert to_amount(9.8) * 3 == Decimal("29.40")
    assert to_amount("8.805") == Decimal("8.81")  # half up, as price lists round
    assert Tariff(SHARED_NAME, price_per_message=1.005).price_per_message == Decimal("1.01")


def test_unknown_kind_or_tariff_type_is_refused():
    with pytest.raises(ValueError, match="kind"):
        SHARED.message_price(1, "promo")
    with pytest.raises(ValueError, match="tariff type"):
        Tariff("split")
    with pytest.raises(ValueError, match="negative"):
        SHARED.message_price(-1, SERVICE)


def test_balance_covers_what_it_can_in_sending_order():
    assert covered(20, [9.8, 9.8, 9.8]) == [True, True, False]
    # exactly the balance is allowed, a kopeck more is not
    assert covered(19.6, [9.8, 9.8]) == [True, True]
    assert covered(19.59, [9.8, 9.8]) == [True, False]
    # a short message behind a long one that did not fit still leaves
    assert covered(15, [9.8, 19.6, 4.9]) == [True, False, True]
    assert covered(0, [9.8]) == [False]
    assert covered(-5, [0]) == [False]


def test_preview_sums_every_part_and_says_if_the_balance_is_enough():
    result = preview(OWN, [1, 2, 4], SERVICE, True, 100)
    assert result.messages == 3
    assert result.segments == 7
    assert result.total == Decimal("61.60")
    assert result.balance_after == Decimal("38.40")
    assert result.enough
    short = preview(SHARED, [4] * 3, ADVERTISING, False, 100)
    assert short.total == Decimal("117.60")
    assert not short.enough


def test_amounts_are_written_with_thousands_and_two_decimals():
    assert amount_text(Decimal("1234.5")) == "1,234.50"
    assert amount_text(-8095.2) == "-8,095.20"


def test_a_message_of_unknown_kind_is_priced_as_advertising():
    for missing in (None, False, ""):
        assert message_kind(missing) == ADVERTISING
        assert OWN.message_price(1, missing, operator_registered=True) == Decimal("9.60")
    assert message_kind(SERVICE) == SERVICE


VIBER_TARIFF = Tariff(
    SHARED_NAME, price_per_message=4.2, price_viber_service=1.1, price_viber_advertising=1.7
)


def test_a_viber_message_is_one_message_at_its_kind_s_viber_price():
    assert VIBER_TARIFF.message_price(3, SERVICE, channel="viber") == Decimal("1.10")
    assert VIBER_TARIFF.message_price(1, ADVERTISING, channel="viber") == Decimal("1.70")
    # of unknown kind: the promotion's price, as for SMS
    assert VIBER_TARIFF.message_price(1, None, channel="viber") == Decimal("1.70")
    assert VIBER_TARIFF.message_price(3, SERVICE) == Decimal("12.60"), "SMS still per part"


def test_a_cascade_preview_gives_the_worst_case_and_the_expected_cost():
    # two notifications of 1 and 2 SMS parts, Viber then SMS, Viber reaching 75 %
    result = preview(VIBER_TARIFF, [1, 2], SERVICE, False, 20, mode="viber_sms", viber_share=0.75)
    # at worst both Viber messages and all three SMS parts are paid: 2 x 1.10 + 3 x 4.20
    assert result.total == Decimal("14.80")
    # expected: 2 x 1.10 x 0.75 + 3 x 4.20 x 0.25
    assert result.expected == Decimal("4.80")
    assert result.enough, "the balance covers the worst case"
    assert not preview(VIBER_TARIFF, [1, 2], SERVICE, False, 14, mode="viber_sms").enough
    only_viber = preview(VIBER_TARIFF, [2], SERVICE, False, 20, mode="viber", viber_share=0.5)
    assert (only_viber.total, only_viber.expected, only_viber.segments) == (
        Decimal("1.10"),
        Decimal("0.55"),
        0,
    )
    sms_only = preview(VIBER_TARIFF, [2], SERVICE, False, 20)
    assert sms_only.total == sms_only.expected == Decimal("8.40")


def test_a_package_tariff_counts_messages_not_money():
    assert Tariff(PACKAGE).counts_messages
    assert not SHARED.counts_messages
    assert not OWN.counts_messages


def test_a_package_gives_one_message_per_notification_whatever_its_parts():
    result = package_preview([1, 3, 8], left=10)
    assert (result.messages, result.segments, result.units) == (3, 12, 3)
    assert result.left_after == 7
    assert result.enough
    assert result.expected == Decimal("3.0")
    assert not package_preview([1, 1, 1], left=2).enough
    assert package_preview([1, 1], left=2).enough, "the last message of the package goes"


def test_a_package_counts_a_viber_message_and_its_sms_as_two_messages():
    # Viber then SMS: at most the Viber message and its SMS, each one message
    cascade = package_preview([2, 2], left=4, mode="viber_sms", viber_share=0.75)
    assert (cascade.units, cascade.left_after, cascade.enough) == (4, 0, True)
    # expected: a Viber message Viber does not deliver is given back, and its SMS taken
    # instead: one message per customer
    assert cascade.expected == Decimal("2.0")
    assert not package_preview([2, 2], left=3, mode="viber_sms").enough
    viber = package_preview([5], left=1, mode="viber", viber_share=0.5)
    assert (viber.units, viber.segments, viber.expected) == (1, 0, Decimal("0.5"))


def test_a_package_takes_as_many_messages_as_it_holds_in_sending_order():
    assert package_covered(2, 3) == [True, True, False]
    assert package_covered(0, 2) == [False, False]
    assert package_covered(-3, 1) == [False], "an adjusted package below zero sends nothing"
    assert package_covered(5, 0) == []


def test_numbers_of_messages_are_written_with_thousands():
    assert count_text(20000) == "20,000"
    assert count_text(Decimal("2.5")) == "2.5"
