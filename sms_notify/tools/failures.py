"""What each failure type of a customer message means, in the words a shop assistant uses.

The history shows the failure type's short label ("Rejected", "Sms Acc") and what the gateway
said in its own terms; the message's form adds this sentence, which also says what to do.
Odoo's SMS and e-mail failure types and the suite's delivery-report types are all covered.
"""

from .gateway import _lt

#: failure type -> the sentence the message's form shows
EXPLANATIONS = {
    "unknown": _lt("The message failed for a reason the gateway did not give."),
    "sms_number_missing": _lt("The customer has no mobile number: add one and send again."),
    "sms_number_format": _lt(
        "The number is not a valid phone number: correct it (with its country code) and send again."
    ),
    "sms_country_not_supported": _lt("The gateway does not send to the number's country."),
    "sms_registration_needed": _lt(
        "The number's country requires a registered sender name before messages can go there."
    ),
    "sms_credit": _lt("The SMS account or balance has run out of credit: top it up and resend."),
    "sms_server": _lt("The gateway had an error: the message can be sent again later."),
    "sms_acc": _lt("The gateway does not know the account: check the gateway's settings."),
    "sms_blacklist": _lt("The number is on the blacklist: the customer does not want SMS."),
    "sms_duplicate": _lt("The same number already got this message: it was sent once only."),
    "sms_optout": _lt("The customer refused these messages (No SMS, or no consent to promotions)."),
    "sms_expired": _lt(
        "The message was not delivered in time: its validity ended first (the phone was off "
        "or out of reach, or the message waited too long to be sent)."
    ),
    "sms_invalid_destination": _lt(
        "The operator does not know the number, or it has no account on this channel."
    ),
    "sms_not_allowed": _lt(
        "The operator does not allow this message (the sender name, its text or the time)."
    ),
    "sms_not_delivered": _lt(
        "The operator could not deliver the message to the phone (switched off, out of reach "
        "or the number is no longer in use)."
    ),
    "sms_rejected": _lt("The gateway or the operator rejected the message."),
    "mail_bounce": _lt("The customer's mail server returned the e-mail (bounced)."),
    "mail_email_invalid": _lt("The e-mail address is not valid: correct it and send again."),
    "mail_email_missing": _lt("The customer has no e-mail address: add one and send again."),
    "mail_from_invalid": _lt("The sender's e-mail address is not valid."),
    "mail_from_missing": _lt("The e-mail had no sender address."),
    "mail_smtp": _lt("The outgoing mail server could not be reached or refused the e-mail."),
}


def explanation(failure_type):
    """The English sentence for ``failure_type``, or ``None`` for none or an unknown type."""
    if not failure_type:
        return None
    return EXPLANATIONS.get(failure_type, EXPLANATIONS["unknown"])
