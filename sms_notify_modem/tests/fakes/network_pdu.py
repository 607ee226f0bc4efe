"""The network's side of the modem's PDU dialogue (3GPP TS 23.040), for the simulated modem.

The addon only encodes SMS-SUBMITs and decodes SMS-DELIVERs and SMS-STATUS-REPORTs
(``sms_notify_modem.tools.pdu``).  A simulated network does the opposite: it reads the
SUBMITs the modem hands ``AT+CMGS`` (:func:`decode_submit`) and builds the DELIVERs of
``+CMT``/``AT+CMGR`` (:func:`encode_deliver`) and the STATUS-REPORTs of ``+CDS``
(:func:`encode_status_report`).  It is built on the addon's own codec (alphabet, septet
packing, addresses, user data, the core's split into parts), so that a round trip through
both sides checks each against the other.
"""

from dataclasses import dataclass
from datetime import datetime

from ...tools.pdu import (
    _DAY,
    _NUMBER,
    _PROTOCOL_ID,
    _STATUS_REPORT_REQUEST,
    _UDHI,
    _VPF_RELATIVE,
    _WEEK,
    MTI_DELIVER,
    MTI_STATUS_REPORT,
    MTI_SUBMIT,
    Concatenation,
    _address_field,
    _concatenation_header,
    _decode_timestamp,
    _gsm7_septets,
    _pack_septets,
    _parts,
    _read_address,
    _read_smsc,
    _read_user_data,
    _Reader,
    _smsc_field,
    _user_data,
)

TOA_ALPHANUMERIC = 0xD0
# A sender name fills the 10 octets of an address field: 11 septets.
_MAX_ALPHANUMERIC_SEPTETS = 11
_NO_MORE_MESSAGES = 0x04  # TP-MMS in a DELIVER or STATUS-REPORT: nothing else waits
# TP-VPF of a SUBMIT: which validity period, if any, follows TP-DCS.
_VPF_MASK = 0x18
_VPF_ENHANCED = 0x08
_VPF_ABSOLUTE = 0x18


@dataclass(frozen=True)
class SmsSubmit:
    """A decoded SMS-SUBMIT, as a simulated network receives it from the modem.

    ``validity_minutes`` is set for a relative validity period, ``valid_until`` for an
    absolute one; both are ``None`` when the message asks for none.
    """

    smsc: str | None
    message_reference: int
    recipient: str
    request_report: bool
    validity_minutes: int | None
    valid_until: datetime | None
    encoding: str
    text: str
    concatenation: Concatenation | None


def decode_relative_validity(octet):
    """Minutes of validity a TP-VP octet stands for (TS 23.040 §9.2.3.12.1)."""
    if not 0 <= octet <= 255:
        raise ValueError(f"a relative validity period is one octet, not {octet!r}")
    if octet <= 143:
        return (octet + 1) * 5
    if octet <= 167:
        return 12 * 60 + (octet - 143) * 30
    if octet <= 196:
        return (octet - 166) * _DAY
    return (octet - 192) * _WEEK


def _originator_field(sender):
    """TP-OA: a number as the addon addresses one, or a sender name of GSM characters."""
    if isinstance(sender, str) and not _NUMBER.fullmatch(sender):
        septets = _gsm7_septets(sender)
        if len(septets) > _MAX_ALPHANUMERIC_SEPTETS:
            raise ValueError(f"a sender name holds 11 GSM characters at most: {sender!r}")
        # the length counts the semi-octets the septets really use, so none is read extra
        return bytes([(7 * len(septets) + 3) // 4, TOA_ALPHANUMERIC]) + _pack_septets(septets)
    return _address_field(sender)


def _swapped(value):
    return (value % 10) << 4 | value // 10


def _encode_timestamp(moment):
    """TP-SCTS/TP-DT: local time and its offset from UTC in quarters of an hour."""
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError(f"an SMS timestamp needs a time zone: {moment!r}")
    minutes = offset.total_seconds() / 60
    if minutes % 15 or abs(minutes) > 79 * 15:
        raise ValueError(f"an SMS carries time zones in quarters of an hour: {moment!r}")
    parts = (moment.year % 100, moment.month, moment.day, moment.hour, moment.minute)
    zone = _swapped(int(abs(minutes)) // 15) | (0x08 if minutes < 0 else 0)
    return bytes([_swapped(value) for value in (*parts, moment.second)] + [zone])


def decode_submit(pdu):
    """The :class:`SmsSubmit` of an SMS-SUBMIT PDU (starting with the SMSC field)."""
    reader = _Reader(pdu)
    smsc = _read_smsc(reader)
    first_octet = reader.first_octet(MTI_SUBMIT, "SMS-SUBMIT")
    message_reference = reader.octet()
    recipient = _read_address(reader)
    reader.octet()  # TP-PID
    dcs = reader.octet()
    validity_minutes = valid_until = None
    validity_format = first_octet & _VPF_MASK
    if validity_format == _VPF_RELATIVE:
        validity_minutes = decode_relative_validity(reader.octet())
    elif validity_format == _VPF_ABSOLUTE:
        valid_until = _decode_timestamp(reader.take(7))
    elif validity_format == _VPF_ENHANCED:
        reader.take(7)
    encoding, text, concatenation = _read_user_data(reader, dcs, first_octet & _UDHI)
    return SmsSubmit(
        smsc=smsc,
        message_reference=message_reference,
        recipient=recipient,
        request_report=bool(first_octet & _STATUS_REPORT_REQUEST),
        validity_minutes=validity_minutes,
        valid_until=valid_until,
        encoding=encoding,
        text=text,
        concatenation=concatenation,
    )


def encode_deliver(sender, text, timestamp, *, smsc=None, reference=0):
    """The SMS-DELIVER PDUs (hex, one per part) a network hands a handset for ``text``.

    ``sender`` is a number as for ``encode_submit`` or a sender name of up to 11 GSM
    characters; ``timestamp`` an aware datetime.
    """
    origin = _originator_field(sender)
    service_centre = _smsc_field(smsc)
    stamp = _encode_timestamp(timestamp)
    encoding, parts = _parts(text)
    pdus = []
    for sequence, part_text in enumerate(parts, start=1):
        header = _concatenation_header(reference, len(parts), sequence)
        dcs, length, user_data = _user_data(part_text, encoding, header)
        first_octet = MTI_DELIVER | _NO_MORE_MESSAGES | (_UDHI if header else 0)
        tpdu = bytes([first_octet]) + origin + bytes([_PROTOCOL_ID, dcs]) + stamp
        tpdu += bytes([length]) + user_data
        pdus.append((service_centre + tpdu).hex().upper())
    return pdus


def encode_status_report(
    message_reference,
    recipient,
    status,
    *,
    service_centre_timestamp,
    discharge_time=None,
    smsc=None,
):
    """The SMS-STATUS-REPORT PDU (hex) a network sends for message ``message_reference``.

    ``discharge_time`` (when the status was reached) defaults to the service centre's time.
    """
    tpdu = bytes([MTI_STATUS_REPORT | _NO_MORE_MESSAGES, message_reference % 256])
    tpdu += _address_field(recipient)
    tpdu += _encode_timestamp(service_centre_timestamp)
    tpdu += _encode_timestamp(discharge_time or service_centre_timestamp)
    tpdu += bytes([status])
    return (_smsc_field(smsc) + tpdu).hex().upper()
