"""The kind of a message: a *service* notification the customer expects, or *advertising*.

The kind decides the consent a customer must have given (``consent.py``) and, with
``sms_notify_billing``, the price of the message.
"""

SERVICE = "service"
ADVERTISING = "advertising"
MESSAGE_KINDS = (SERVICE, ADVERTISING)
#: the kinds as Odoo's selection fields list them (Odoo translates the labels per field)
MESSAGE_KIND_SELECTION = [(SERVICE, "Service"), (ADVERTISING, "Advertising")]


def message_kind(kind):
    """The kind a message is priced and checked for consent as: a message nobody said is a
    notification counts as advertising, so that an unlabelled promotion never reaches a customer
    who did not agree to promotions nor goes at the service price."""
    kind = kind or ADVERTISING
    if kind not in MESSAGE_KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    return kind
