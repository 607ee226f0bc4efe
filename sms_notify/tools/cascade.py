# Pure Python: nothing here imports odoo, so the top-level tests/ can import it directly.
"""Viber first, SMS when Viber does not reach the customer: the decisions of a cascade.

A notification sent *Viber then SMS* is a chain of attempts, each with its channel and the
state Odoo's ``sms.sms`` gives it. The engine asks :func:`next_step` what to do after each
change (an answer, a report, the wait running out) and does it (the history tells which
channel reached the customer: ``sms.notify.message.reached``). The rules:

* Viber delivered (or read): done, no SMS.
* Viber cannot reach the number (not a Viber user, the user blocked the business, no device
  able to show it) or fails in any other way: the SMS at once.
* Viber cancelled before it left (no consent, validity over, a text not rendered): nothing,
  as the same reason would cancel its SMS.
* No delivery report from Viber within the wait the user set: the SMS then.
* Once the SMS has left, nothing more is sent: a Viber report coming later (delivered after
  all) is recorded on its attempt, and no third message goes.

Viber is charged only when delivered (vendors bill Viber business messages on delivery); an
SMS sent as a fallback is charged per part on top. :func:`cost` gives the worst case (Viber
delivered late after the SMS left) and the expected cost for a share of Viber users.
"""

from dataclasses import dataclass
from datetime import timedelta

from .gateway import SMS, VIBER

#: how a message goes out: SMS only, Viber only, or Viber then SMS
SMS_ONLY = "sms"
VIBER_ONLY = "viber"
VIBER_THEN_SMS = "viber_sms"
MODES = (SMS_ONLY, VIBER_ONLY, VIBER_THEN_SMS)

#: the steps :func:`next_step` answers
SEND_VIBER = "send_viber"
SEND_SMS = "send_sms"
WAIT = "wait"
DONE = "done"
FAILED = "failed"

#: ``sms.sms`` states of an attempt still on its way
ON_ITS_WAY = frozenset({"outgoing", "process", "pending"})
#: the wait for Viber's report a user may set, in seconds: Viber keeps a business message
#: from 30 s (its shortest time to live) to a day (what the vendors accept)
MIN_WAIT_SECONDS = 30
MAX_WAIT_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Attempt:
    """One message of a notification: its ``channel`` (``SMS`` or ``VIBER``), its ``sms.sms``
    state (``sent`` is delivered) and when it was handed over (``sent_at``, naive UTC; None
    while it waits in the queue)."""

    channel: str
    state: str
    sent_at: object = None


@dataclass(frozen=True)
class Step:
    """What the engine does next: ``action`` among ``SEND_VIBER``, ``SEND_SMS``, ``WAIT``
    (look again at ``at``, unless a report comes first), ``DONE`` and ``FAILED``."""

    action: str
    at: object = None


def check_wait(seconds):
    """``seconds`` when Viber may be waited for that long, else a ``ValueError`` saying the
    bounds."""
    if not MIN_WAIT_SECONDS <= int(seconds) <= MAX_WAIT_SECONDS:
        raise ValueError(
            f"wait for Viber between {MIN_WAIT_SECONDS} seconds and {MAX_WAIT_SECONDS // 3600} "
            "hours"
        )
    return int(seconds)


def next_step(mode, attempts, now, wait_seconds):
    """The next :class:`Step` of a notification sent in ``mode``, given its ``attempts`` so
    far (in the order they were made) at ``now``, waiting ``wait_seconds`` for Viber."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    first_channel = SMS if mode == SMS_ONLY else VIBER
    if not attempts:
        return Step(SEND_SMS if first_channel == SMS else SEND_VIBER)
    sms = [attempt for attempt in attempts if attempt.channel == SMS]
    viber = [attempt for attempt in attempts if attempt.channel == VIBER]
    if mode == SMS_ONLY or (mode == VIBER_THEN_SMS and sms):
        # the SMS is the last message: whatever Viber says later changes nothing
        return _final(sms[-1])
    attempt = viber[-1]
    if attempt.state == "sent":
        return Step(DONE)
    if attempt.state == "canceled":
        return Step(FAILED)
    if attempt.state not in ON_ITS_WAY:
        return Step(FAILED if mode == VIBER_ONLY else SEND_SMS)
    if mode == VIBER_ONLY or attempt.sent_at is None:
        # still in the queue: the wait starts when Viber has it
        return Step(WAIT)
    deadline = attempt.sent_at + timedelta(seconds=wait_seconds)
    if now >= deadline:
        return Step(SEND_SMS)
    return Step(WAIT, deadline)


def _final(attempt):
    if attempt.state == "sent":
        return Step(DONE)
    if attempt.state in ON_ITS_WAY:
        return Step(WAIT)
    return Step(FAILED)


def cost(mode, viber_price, sms_price, sms_parts, viber_share=1.0):
    """``(worst, expected)`` cost of one notification in ``mode``: Viber charged when
    delivered, the SMS per part. ``viber_share`` is the share of recipients Viber reaches
    (0 to 1, e.g. from the last weeks' deliveries). The worst case of *Viber then SMS* pays
    both: Viber delivered after its wait, when the SMS had left."""
    sms_cost = sms_price * sms_parts
    if mode == SMS_ONLY:
        return sms_cost, sms_cost
    share = min(max(viber_share, 0.0), 1.0)
    if mode == VIBER_ONLY:
        return viber_price, viber_price * share
    return viber_price + sms_cost, viber_price * share + sms_cost * (1 - share)
