# Pure Python: nothing here imports odoo, so the top-level tests/ can import it directly.
"""Whether a customer agreed to receive a message of a kind.

Two consents, as the law and operators see them: a *service* message (the order is ready, a
reminder) may be sent unless the customer opted out of SMS; an *advertising* message needs the
customer's explicit consent to promotions. A number on the phone blacklist receives nothing.
A message to a bare number, with no customer behind it (a mailing list's contact), is judged
by the blacklist alone: subscribing to the list is its consent, and unsubscribing blacklists it.

E-mail follows the same consent to promotions; "No SMS" is about SMS only, and Odoo's e-mail
blacklist (unsubscribing from mailings) stops promotions, not the service e-mails a customer
expects about their own order.
"""

from .kinds import ADVERTISING, message_kind

#: refusal reasons, as codes the caller words for the user
BLACKLISTED = "blacklisted"
OPTED_OUT = "opted_out"
NO_ADVERTISING_CONSENT = "no_advertising_consent"


def refusal(kind, blacklisted=False, customer=False, opted_out=False, advertising_consent=False):
    """Why a message of ``kind`` must not be sent, or ``None`` when it may; a message of no
    known kind (``None``, ``False``) is judged as advertising."""
    kind = message_kind(kind)
    if blacklisted:
        return BLACKLISTED
    if not customer:
        return None
    if opted_out:
        return OPTED_OUT
    if kind == ADVERTISING and not advertising_consent:
        return NO_ADVERTISING_CONSENT
    return None


def email_refusal(kind, blacklisted=False, customer=False, advertising_consent=False):
    """Why an e-mail of ``kind`` must not be sent, or ``None`` when it may; an e-mail of no
    known kind is judged as advertising."""
    if message_kind(kind) != ADVERTISING:
        return None
    if blacklisted:
        return BLACKLISTED
    if customer and not advertising_consent:
        return NO_ADVERTISING_CONSENT
    return None
