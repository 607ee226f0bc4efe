"""A customer receives what they agreed to, and a blacklisted number nothing."""

import pytest

from odoo.addons.sms_notify.tools.consent import (
    BLACKLISTED,
    NO_ADVERTISING_CONSENT,
    OPTED_OUT,
    email_refusal,
    refusal,
)
from odoo.addons.sms_notify.tools.kinds import ADVERTISING, SERVICE


def test_service_message_goes_unless_the_customer_opted_out():
    assert refusal(SERVICE, customer=True) is None
    assert refusal(SERVICE, customer=True, opted_out=True) == OPTED_OUT


def test_advertising_needs_consent_and_no_opt_out():
    assert refusal(ADVERTISING, customer=True) == NO_ADVERTISING_CONSENT
    assert refusal(ADVERTISING, customer=True, advertising_consent=True) is None
    # "no SMS" wins over an older consent to promotions
    assert refusal(ADVERTISING, customer=True, opted_out=True, advertising_consent=True) == (
        OPTED_OUT
    )


def test_blacklist_stops_every_kind_with_or_without_customer():
    for kind in (SERVICE, ADVERTISING):
        assert refusal(kind, blacklisted=True) == BLACKLISTED
        assert refusal(kind, blacklisted=True, customer=True, advertising_consent=True) == (
            BLACKLISTED
        )


def test_bare_number_is_judged_by_the_blacklist_alone():
    assert refusal(ADVERTISING) is None
    assert refusal(SERVICE) is None


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        refusal("promo", customer=True)


def test_service_email_goes_even_when_unsubscribed_from_mailings():
    """The e-mail blacklist is about promotions: the order-ready e-mail still goes."""
    assert email_refusal(SERVICE, customer=True, blacklisted=True) is None
    assert email_refusal(SERVICE, customer=True) is None


def test_advertising_email_needs_consent_and_no_blacklist():
    assert email_refusal(ADVERTISING, customer=True) == NO_ADVERTISING_CONSENT
    assert email_refusal(ADVERTISING, customer=True, advertising_consent=True) is None
    assert (
        email_refusal(ADVERTISING, customer=True, advertising_consent=True, blacklisted=True)
        == BLACKLISTED
    )
    # a bare address (a mailing list's contact) is judged by the blacklist alone
    assert email_refusal(ADVERTISING) is None


def test_email_refusal_rejects_unknown_kinds():
    with pytest.raises(ValueError):
        email_refusal("spam")


def test_a_message_of_unknown_kind_needs_the_consent_to_promotions():
    for missing in (None, False):
        assert refusal(missing, customer=True) == NO_ADVERTISING_CONSENT
        assert refusal(missing, customer=True, advertising_consent=True) is None
        assert email_refusal(missing, customer=True) == NO_ADVERTISING_CONSENT
