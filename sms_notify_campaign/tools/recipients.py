"""Which number a mailing's SMS goes to, decided without the ORM.

The mailing's summary and recipient list judge numbers exactly as the SMS composer does when
it prepares the mailing (``sms_notify/wizard/sms_composer.py``, ``_sms_notify_recipients``):
the first number of the record that is a valid mobile number wins, read in the record's
country, else the company's; a record without one falls back to its customer's numbers (mobile,
then phone) read in the customer's country. A number the user set for the mailing replaces them
all.
"""

from dataclasses import dataclass
from datetime import timedelta

from ...sms_notify.tools import numbers, schedule

#: where the number comes from, so that a correction can be written back to it
OVERRIDE = "override"
RECORD = "record"
PARTNER = "partner"
#: the customer's number fields, in the order the composer reads them
PARTNER_NUMBER_FIELDS = ("mobile", "phone")


@dataclass(frozen=True)
class Choice:
    """``number`` as stored (empty when there is none at all), ``e164`` when it is a valid
    mobile number, and where it was found: ``(source, field name)``."""

    number: str | None
    e164: str | None
    source: str | None = None
    field: str | None = None


def choose(
    record_numbers,
    record_country=None,
    partner_numbers=None,
    partner_country=None,
    company_country=None,
    override=None,
):
    """The :class:`Choice` for a recipient.

    ``record_numbers``: ``[(field name, number)]`` of the record's number fields in order;
    ``partner_numbers``: ``{"mobile": ..., "phone": ...}`` of its customer, ``None`` when it has
    none; countries are ISO codes."""

    def e164(number, country):
        if not number:
            return None
        return numbers.normalize(number, country, company_country).e164

    if override:
        return Choice(override, e164(override, record_country), OVERRIDE, None)
    for fname, number in record_numbers:
        if sanitized := e164(number, record_country):
            return Choice(number, sanitized, RECORD, fname)
    if partner_numbers is not None:
        for fname in PARTNER_NUMBER_FIELDS:
            if sanitized := e164(partner_numbers.get(fname), partner_country):
                return Choice(partner_numbers[fname], sanitized, PARTNER, fname)
        mobile, phone = (partner_numbers.get(fname) for fname in PARTNER_NUMBER_FIELDS)
        fname = "phone" if phone and not mobile else "mobile"
        return Choice(partner_numbers.get(fname) or None, None, PARTNER, fname)
    for fname, number in record_numbers:
        if number:
            return Choice(number, None, RECORD, fname)
    return Choice(None, None, RECORD, record_numbers[0][0] if record_numbers else None)


def quiet_zones(zones, quiet, now):
    """The time zones of ``zones`` (names, ``None`` for no zone) where ``now`` (naive UTC) is
    within the ``quiet`` hours (``schedule.QuietHours`` or ``None``)."""
    if quiet is None or not quiet.active:
        return set()
    return {zone for zone in zones if schedule.after_quiet_hours(now, quiet, zone) != now}


def expiring_zones(zones, quiet, now, validity_hours):
    """The time zones of ``zones`` where an SMS sent ``now`` waits out the ``quiet`` hours past
    its validity of ``validity_hours`` (0: no limit): the queue cancels it as expired at
    ``now`` + validity, before the morning comes."""
    if not validity_hours or quiet is None or not quiet.active:
        return set()
    valid_until = now + timedelta(hours=validity_hours)
    return {zone for zone in zones if schedule.after_quiet_hours(now, quiet, zone) >= valid_until}
