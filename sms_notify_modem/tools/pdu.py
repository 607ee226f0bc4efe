"""SMS PDUs for GSM modems in PDU mode (3GPP TS 23.040; alphabets after TS 23.038).

In PDU mode (``AT+CMGF=0``) a modem takes and hands back messages as the hex of their transfer
PDU, preceded by the service centre's address.  PDU mode is the only way to send UCS-2 and
concatenated messages reliably: text mode rejects UCS-2 on common modems and has no room for
the user-data header that ties the parts of a long message together.

* :func:`encode_submit` builds the SMS-SUBMITs of one text, one per part, split exactly as
  ``sms_notify.tools.gsm.analyze`` splits (and the tariff charges) it;
* :func:`decode_status_report` reads the SMS-STATUS-REPORT of a ``+CDS``;
* :func:`decode_deliver` reads an incoming SMS-DELIVER (``+CMT``, ``AT+CMGR``, ``AT+CMGL``) and
  :func:`join_parts` puts a concatenated one back together;
* the network's side of the same dialogue (reading SUBMITs, building DELIVERs and
  STATUS-REPORTs) is only needed by the simulated modem and lives with it, in
  ``tests/fakes/network_pdu.py``.

Every PDU handed over or read here starts with the SMSC field (``00``: the SIM's own centre).
Not supported, being of no use to the texts we send: national language shift tables (none
exist for Russian or Polish, such text is UCS-2; a message using them is read with the default
alphabet), compressed text (refused) and enhanced validity periods (read as none).

Sources and test vectors: ``sms_notify_modem/readme/DEVELOP.md``, section "PDU codec".
"""

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ...sms_notify.tools import gsm

#: The GSM 7-bit default alphabet in code order, as the core counts with it.
GSM7_BASIC_TABLE = gsm.GSM7_BASIC_TABLE
ESCAPE = 0x1B
#: The characters reached through the escape code (two septets each), by code.
GSM7_EXTENSION_TABLE = gsm.GSM7_EXTENSION_TABLE
_SEPTET_OF = {char: code for code, char in enumerate(GSM7_BASIC_TABLE) if code != ESCAPE}
_EXTENSION_SEPTET_OF = {char: code for code, char in GSM7_EXTENSION_TABLE.items()}
# A handset that meets an escape it cannot resolve shows a space.
_RECEIVED_BASIC_TABLE = GSM7_BASIC_TABLE.replace("\x1b", " ")

EIGHT_BIT = "8bit"

# TP-MTI, the two low bits of the first octet (their meaning depends on the direction).
MTI_DELIVER = 0b00
MTI_SUBMIT = 0b01
MTI_STATUS_REPORT = 0b10
_MTI_MASK = 0b11
# Other first-octet bits.
_VPF_RELATIVE = 0x10
_STATUS_REPORT_REQUEST = 0x20  # TP-SRR
_UDHI = 0x40  # the user data starts with a header

DCS_GSM7 = 0x00
DCS_UCS2 = 0x08
_DCS_BY_ENCODING = {gsm.GSM7: DCS_GSM7, gsm.UCS2: DCS_UCS2}
_PROTOCOL_ID = 0x00  # plain person-to-person SMS

TOA_INTERNATIONAL = 0x91
TOA_NATIONAL = 0x81
_TYPE_OF_NUMBER_MASK = 0x70
_TYPE_INTERNATIONAL = 0x10
_TYPE_ALPHANUMERIC = 0x50
# Semi-octet values of an address; 0xF pads an odd count.
_SEMI_OCTET_DIGITS = "0123456789*#abc"
# An address field holds at most 10 octets: 20 digits.
_NUMBER = re.compile(r"\+?[0-9]{1,20}")

_IE_CONCATENATION_8BIT = 0x00
_IE_CONCATENATION_16BIT = 0x08
#: The concatenation header counts parts in one octet.
MAX_PARTS = 255

_DAY = 24 * 60
_WEEK = 7 * _DAY
#: The longest relative validity period: 63 weeks.
MAX_VALIDITY_MINUTES = 63 * _WEEK


@dataclass(frozen=True)
class SubmitPdu:
    """One part of an outgoing message, ready for ``AT+CMGS=<tpdu_length>`` then ``hex``.

    ``tpdu_length`` counts the octets after the SMSC field, which is what ``AT+CMGS`` expects;
    ``part`` is the 1-based position among ``parts``.
    """

    hex: str
    tpdu_length: int
    part: int
    parts: int


@dataclass(frozen=True)
class Concatenation:
    """Where one part sits in a concatenated message (from its user-data header)."""

    reference: int
    total: int
    sequence: int


@dataclass(frozen=True)
class SmsDeliver:
    """A decoded incoming SMS-DELIVER.

    ``sender`` is ``+digits`` for an international number, bare digits for a national one,
    or the sender name of an alphanumeric originator.  ``timestamp`` is the service centre's
    time with the offset it encoded.
    """

    smsc: str | None
    sender: str
    timestamp: datetime
    encoding: str
    text: str
    concatenation: Concatenation | None


@dataclass(frozen=True)
class StatusReport:
    """A decoded SMS-STATUS-REPORT (TS 23.040 §9.2.2.3).

    ``message_reference`` is the TP-MR the modem answered with ``+CMGS: <mr>``: it is what
    links a report to the message sent.  ``status`` is TP-ST; reserved and SC-specific values
    (0x03–0x1F, 0x80 and above) are neither delivered, pending nor failed.
    """

    smsc: str | None
    message_reference: int
    recipient: str
    service_centre_timestamp: datetime
    discharge_time: datetime
    status: int

    @property
    def delivered(self):
        """Received by the handset (0x00), forwarded unconfirmed (0x01) or replaced (0x02)."""
        return 0x00 <= self.status <= 0x02

    @property
    def pending(self):
        """A temporary failure the service centre is still retrying: more reports follow."""
        return 0x20 <= self.status <= 0x3F

    @property
    def failed(self):
        """Final failure: a permanent error, or a temporary one the centre gave up on."""
        return 0x40 <= self.status <= 0x7F

    @property
    def expired(self):
        """The validity period ran out before the message could be delivered."""
        return self.status == 0x46


# --- relative validity period (TS 23.040 §9.2.3.12.1) ------------------------------------


def encode_relative_validity(minutes):
    """The TP-VP octet for a validity of ``minutes``.

    The network only knows steps of 5 minutes (up to 12 hours), 30 minutes (up to a day),
    days (up to 30) and weeks (up to 63): the value is rounded up to the next step, so a
    message never expires earlier than asked, and capped at 63 weeks.
    """
    if minutes <= 0:
        raise ValueError(f"a validity period must be positive, not {minutes!r} minutes")
    if minutes <= 12 * 60:
        return math.ceil(minutes / 5) - 1
    if minutes <= _DAY:
        return 143 + math.ceil((minutes - 12 * 60) / 30)
    if minutes <= 30 * _DAY:
        return 166 + math.ceil(minutes / _DAY)
    return min(192 + math.ceil(minutes / _WEEK), 255)


# --- GSM 7-bit alphabet and septet packing ----------------------------------------------


def _gsm7_septets(text):
    septets = []
    for char in text:
        if char in _SEPTET_OF:
            septets.append(_SEPTET_OF[char])
        elif char in _EXTENSION_SEPTET_OF:
            septets += (ESCAPE, _EXTENSION_SEPTET_OF[char])
        else:
            raise ValueError(f"{char!r} is not in the GSM 7-bit default alphabet")
    return septets


def _decode_septets(septets):
    chars = []
    escaped = False
    for septet in septets:
        if escaped:
            # an escape the table does not know shows the basic character (TS 23.038)
            chars.append(GSM7_EXTENSION_TABLE.get(septet, _RECEIVED_BASIC_TABLE[septet]))
            escaped = False
        elif septet == ESCAPE:
            escaped = True
        else:
            chars.append(_RECEIVED_BASIC_TABLE[septet])
    if escaped:
        chars.append(" ")
    return "".join(chars)


def _pack_septets(septets, fill_bits=0):
    """Septets packed low bit first, after ``fill_bits`` zero bits."""
    bits = 0
    for index, septet in enumerate(septets):
        bits |= septet << (fill_bits + 7 * index)
    return bits.to_bytes((fill_bits + 7 * len(septets) + 7) // 8, "little")


def _unpack_septets(octets, count):
    bits = int.from_bytes(octets, "little")
    return [(bits >> (7 * index)) & 0x7F for index in range(count)]


# --- addresses and timestamps -----------------------------------------------------------


def _number(number):
    """(digits, type of address) of a phone number, refusing anything the network cannot
    route: a gateway must fail the message, not send it to a mangled number."""
    if not isinstance(number, str) or not _NUMBER.fullmatch(number):
        raise ValueError(f"not a phone number an SMS can be sent to: {number!r}")
    if number.startswith("+"):
        return number[1:], TOA_INTERNATIONAL
    return number, TOA_NATIONAL


def _bcd(digits):
    """Digits as swapped semi-octets, an odd count padded with F."""
    if len(digits) % 2:
        digits += "F"
    return bytes.fromhex("".join(digits[i + 1] + digits[i] for i in range(0, len(digits), 2)))


def _address_field(number):
    """TP-DA: the length counts semi-octets, i.e. digits."""
    digits, type_of_address = _number(number)
    return bytes([len(digits), type_of_address]) + _bcd(digits)


def _smsc_field(smsc):
    """The SMSC field: its length counts octets; ``00`` lets the modem use the SIM's."""
    if smsc is None:
        return b"\x00"
    digits, type_of_address = _number(smsc)
    octets = _bcd(digits)
    return bytes([len(octets) + 1, type_of_address]) + octets


def _semi_octets(octets, count):
    values = [nibble for octet in octets for nibble in (octet & 0x0F, octet >> 4)]
    return "".join(_SEMI_OCTET_DIGITS[value] for value in values[:count] if value != 0x0F)


def _with_type(digits, type_of_address):
    if type_of_address & _TYPE_OF_NUMBER_MASK == _TYPE_INTERNATIONAL:
        return "+" + digits
    return digits


def _read_address(reader):
    length, type_of_address = reader.octet(), reader.octet()
    octets = reader.take((length + 1) // 2)
    if type_of_address & _TYPE_OF_NUMBER_MASK == _TYPE_ALPHANUMERIC:
        return _decode_septets(_unpack_septets(octets, length * 4 // 7))
    return _with_type(_semi_octets(octets, length), type_of_address)


def _read_smsc(reader):
    length = reader.octet()
    if not length:
        return None
    type_of_address = reader.octet()
    octets = reader.take(length - 1)
    return _with_type(_semi_octets(octets, 2 * len(octets)), type_of_address)


def _two_digits(octet):
    """A swapped-BCD octet's value (units in the high nibble)."""
    tens, units = octet & 0x0F, octet >> 4
    if tens > 9 or units > 9:
        raise ValueError(f"not a decimal semi-octet pair: {octet:02X}")
    return tens * 10 + units


def _decode_timestamp(octets):
    """TP-SCTS/TP-DT: local time and its offset from UTC in quarters of an hour."""
    year, month, day, hour, minute, second = (_two_digits(octet) for octet in octets[:6])
    zone = octets[6]
    offset = timedelta(minutes=15 * _two_digits(zone & 0xF7))  # bit 3 is the sign
    # SMS began in 1992: 90-99 are the 1990s (old test vectors), the rest this century
    year += 1900 if year >= 90 else 2000
    return datetime(
        year, month, day, hour, minute, second, tzinfo=timezone(-offset if zone & 0x08 else offset)
    )


# --- user data --------------------------------------------------------------------------


def _parts(text):
    """(encoding, texts of the parts): the core's split, so that what is sent is what was
    counted and charged."""
    analysis = gsm.analyze(text)
    parts = analysis.parts or ("",)  # an empty text is still one (empty) SMS
    if len(parts) > MAX_PARTS:
        raise ValueError(f"a text of {len(parts)} parts is too long: {MAX_PARTS} at most")
    return analysis.encoding, parts


def _concatenation_header(reference, total, sequence):
    """The 6-octet UDH the core's 153/67 limits leave room for (8-bit reference)."""
    if total == 1:
        return b""
    return bytes([5, _IE_CONCATENATION_8BIT, 3, reference % 256, total, sequence])


def _user_data(text, encoding, header):
    """(DCS, TP-UDL, TP-UD) of one part whose user-data header is ``header``."""
    if encoding == gsm.GSM7:
        septets = _gsm7_septets(text)
        # the text starts on a septet boundary: fill bits pad the header to one
        fill_bits = -len(header) * 8 % 7
        header_septets = (len(header) * 8 + fill_bits) // 7
        user_data = header + _pack_septets(septets, fill_bits)
        return DCS_GSM7, header_septets + len(septets), user_data
    # UTF-16 rather than strict UCS-2: emoji travel as surrogate pairs, as handsets expect
    encoded = text.encode("utf-16-be", "surrogatepass")
    return DCS_UCS2, len(header) + len(encoded), header + encoded


def _alphabet(dcs):
    """The alphabet a TP-DCS announces (TS 23.038 §4)."""
    group = dcs >> 4
    if group <= 0x7:  # general data coding, with or without automatic deletion
        if dcs & 0x20:
            raise ValueError("compressed SMS text is not supported")
        return {1: EIGHT_BIT, 2: gsm.UCS2}.get(dcs >> 2 & 0x03, gsm.GSM7)
    if group == 0xE:  # message waiting indication, stored, UCS-2
        return gsm.UCS2
    if group == 0xF:  # data coding and message class
        return EIGHT_BIT if dcs & 0x04 else gsm.GSM7
    # message waiting groups; reserved groups are read as the default alphabet
    return gsm.GSM7


def _read_concatenation(elements):
    """The concatenation element among a UDH's information elements, if any."""
    position = 0
    while position + 2 <= len(elements):
        identifier, length = elements[position], elements[position + 1]
        data = elements[position + 2 : position + 2 + length]
        position += 2 + length
        if identifier == _IE_CONCATENATION_8BIT and len(data) == 3:
            return Concatenation(data[0], data[1], data[2])
        if identifier == _IE_CONCATENATION_16BIT and len(data) == 4:
            return Concatenation(data[0] << 8 | data[1], data[2], data[3])
    return None


def _read_user_data(reader, dcs, has_header):
    """(encoding, text, concatenation) of TP-UDL and TP-UD.

    Read leniently: some modems state a TP-UDL longer than the data they hand over, and a
    message the customer sent is worth more than an exact length.
    """
    length = reader.octet()
    data = reader.rest()
    header = data[: data[0] + 1] if has_header and data else b""
    encoding = _alphabet(dcs)
    if encoding == gsm.GSM7:
        septets = _unpack_septets(data, min(length, len(data) * 8 // 7))
        # the header and its fill bits take whole septets at the start
        text = _decode_septets(septets[(len(header) * 8 + 6) // 7 :])
    else:
        body = data[len(header) : length]
        if encoding == gsm.UCS2:
            text = body[: len(body) // 2 * 2].decode("utf-16-be", "surrogatepass")
        else:
            text = body.decode("latin-1")
    return encoding, text, _read_concatenation(header[1:])


class _Reader:
    """Reads a PDU front to back: running out of octets means a malformed PDU."""

    def __init__(self, pdu):
        try:
            self.data = bytes.fromhex(pdu)
        except (TypeError, ValueError) as error:
            raise ValueError(f"not a hex PDU: {pdu!r}") from error
        self.position = 0

    def take(self, count):
        end = self.position + count
        if end > len(self.data):
            raise ValueError(f"the PDU ends before its fields do: {self.data.hex().upper()}")
        chunk = self.data[self.position : end]
        self.position = end
        return chunk

    def octet(self):
        return self.take(1)[0]

    def rest(self):
        return self.take(len(self.data) - self.position)

    def first_octet(self, message_type, name):
        octet = self.octet()
        if octet & _MTI_MASK != message_type:
            mti = octet & _MTI_MASK
            raise ValueError(f"not an {name} (TP-MTI {mti}): {self.data.hex().upper()}")
        return octet


# --- public API -------------------------------------------------------------------------


def encode_submit(
    number,
    text,
    *,
    smsc=None,
    request_report=True,
    validity_minutes=None,
    reference=0,
    message_reference=0,
):
    """The SMS-SUBMIT PDUs that send ``text`` to ``number``, one :class:`SubmitPdu` per part.

    ``number`` is ``+`` and digits for an international number, digits alone for a national
    one; anything else raises ``ValueError``.  ``smsc`` is the service centre (``None``: the
    SIM's).  ``validity_minutes`` is rounded up to what the network can express.
    ``reference`` ties the parts of one message together (modulo 256) and must differ between
    long messages in flight to the same recipient.  ``message_reference`` is TP-MR of the
    first part, the next parts counting on from it; most modems overwrite it with their own
    and answer that in ``+CMGS: <mr>``.
    """
    destination = _address_field(number)
    service_centre = _smsc_field(smsc)
    validity = b""
    if validity_minutes is not None:
        validity = bytes([encode_relative_validity(validity_minutes)])
    encoding, parts = _parts(text)
    pdus = []
    for sequence, part_text in enumerate(parts, start=1):
        header = _concatenation_header(reference, len(parts), sequence)
        dcs, length, user_data = _user_data(part_text, encoding, header)
        first_octet = MTI_SUBMIT
        first_octet |= _VPF_RELATIVE if validity else 0
        first_octet |= _STATUS_REPORT_REQUEST if request_report else 0
        first_octet |= _UDHI if header else 0
        mr = (message_reference + sequence - 1) % 256
        tpdu = bytes([first_octet, mr]) + destination + bytes([_PROTOCOL_ID, dcs])
        tpdu += validity + bytes([length]) + user_data
        pdu = (service_centre + tpdu).hex().upper()
        pdus.append(SubmitPdu(hex=pdu, tpdu_length=len(tpdu), part=sequence, parts=len(parts)))
    return pdus


def decode_deliver(pdu):
    """The :class:`SmsDeliver` of an SMS-DELIVER PDU (starting with the SMSC field)."""
    reader = _Reader(pdu)
    smsc = _read_smsc(reader)
    first_octet = reader.first_octet(MTI_DELIVER, "SMS-DELIVER")
    sender = _read_address(reader)
    reader.octet()  # TP-PID
    dcs = reader.octet()
    timestamp = _decode_timestamp(reader.take(7))
    encoding, text, concatenation = _read_user_data(reader, dcs, first_octet & _UDHI)
    return SmsDeliver(
        smsc=smsc,
        sender=sender,
        timestamp=timestamp,
        encoding=encoding,
        text=text,
        concatenation=concatenation,
    )


def decode_status_report(pdu):
    """The :class:`StatusReport` of an SMS-STATUS-REPORT PDU (starting with the SMSC field, as
    ``+CDS`` hands it over in PDU mode)."""
    reader = _Reader(pdu)
    smsc = _read_smsc(reader)
    reader.first_octet(MTI_STATUS_REPORT, "SMS-STATUS-REPORT")
    return StatusReport(
        smsc=smsc,
        message_reference=reader.octet(),
        recipient=_read_address(reader),
        service_centre_timestamp=_decode_timestamp(reader.take(7)),
        discharge_time=_decode_timestamp(reader.take(7)),
        status=reader.octet(),
    )


def join_parts(parts):
    """The text of one message from its :class:`SmsDeliver` parts, received in any order.

    Parts belong together when sender, reference and total agree; group them on that before
    calling.  A part received twice counts once.  Raises ``ValueError`` when parts of other
    messages are mixed in or a part is missing.
    """
    parts = list(parts)
    if len(parts) == 1 and parts[0].concatenation is None:
        return parts[0].text
    keys = {
        (part.sender, part.concatenation.reference, part.concatenation.total)
        if part.concatenation
        else None
        for part in parts
    }
    if len(keys) != 1 or None in keys:
        raise ValueError("these parts are not the parts of one concatenated message")
    total = parts[0].concatenation.total
    by_sequence = {}
    for part in parts:
        by_sequence.setdefault(part.concatenation.sequence, part)
    missing = [sequence for sequence in range(1, total + 1) if sequence not in by_sequence]
    if missing:
        raise ValueError(f"parts {missing} of {total} are missing")
    text = "".join(by_sequence[sequence].text for sequence in range(1, total + 1))
    # some phones split a surrogate pair between parts: put the halves back together
    return text.encode("utf-16-be", "surrogatepass").decode("utf-16-be", "surrogatepass")


def tpdu_length(pdu):
    """Octets after the SMSC field: the ``<length>`` of ``AT+CMGS``, ``+CMT`` and ``+CDS``."""
    reader = _Reader(pdu)
    reader.take(reader.octet())
    return len(reader.rest())
