"""Inbound SMS as phones and modems hand them over, and the replies that ask to stop.

Nothing here knows where the message came from: the Android phone's webhook and the GSM
modem's inbox both turn what they receive into :class:`InboundSms`, and Odoo files it the
same way (see ``sms.notify.gateway._sms_notify_receive``).
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

#: replies that withdraw the consent to promotions whatever follows them ("STOP please")
STOP_WORDS = frozenset(
    {
        "stop",  # English, Polish
        "стоп",  # Russian
        "отписаться",  # Russian: "unsubscribe"
        "отписка",
        "unsubscribe",
    }
)
#: replies that withdraw it only when they are the whole message: "nie" (Polish "no") also
#: starts ordinary replies ("Nie mogę przyjść jutro")
STOP_WHOLE_MESSAGES = frozenset({"nie"})

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class InboundSms:
    """One SMS a customer sent to the business's phone or modem.

    ``number`` is the sender as the device reported it (usually international, but a phone
    may drop the ``+``); ``received_at`` is naive UTC when the device said when it arrived;
    ``gateway_reference`` is the device's own id of the message, when it has one."""

    number: str
    body: str
    received_at: datetime | None = None
    gateway_reference: str | None = None


def _words(text):
    normalized = unicodedata.normalize("NFKC", text or "").casefold()
    return _WORD.findall(normalized)


def is_stop_request(text):
    """Whether ``text`` asks to receive no more promotions (STOP, СТОП, отписаться, NIE)."""
    words = _words(text)
    if not words:
        return False
    if words[0] in STOP_WORDS:
        return True
    return len(words) == 1 and words[0] in STOP_WHOLE_MESSAGES
