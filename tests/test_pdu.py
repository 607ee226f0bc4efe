"""The modem's PDU codec: what it hands ``AT+CMGS`` must be what the network expects, and what
``+CMT``/``+CDS`` hand back must be read as the handset and the service centre meant it.

Vectors marked "python-gsmmodem" are the published ones of its test/test_pdu.py; the others
are built by reasoning from TS 23.040 and checked by decoding what was encoded.
"""

from datetime import datetime, timedelta, timezone

import pytest

from odoo.addons.sms_notify.tools import gsm
from odoo.addons.sms_notify_modem.tests.fakes.network_pdu import (
    decode_relative_validity,
    decode_submit,
    encode_deliver,
    encode_status_report,
)
from odoo.addons.sms_notify_modem.tools.pdu import (
    GSM7_BASIC_TABLE,
    GSM7_EXTENSION_TABLE,
    MAX_VALIDITY_MINUTES,
    Concatenation,
    SubmitPdu,
    decode_deliver,
    decode_status_report,
    encode_relative_validity,
    encode_submit,
    join_parts,
    tpdu_length,
)

EMOJI = "\U0001f600"  # 😀, a surrogate pair in UTF-16
UTC = timezone.utc
PLUS_TWO = timezone(timedelta(hours=2))
LOREM = (
    "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt"
    " ut labore et dolore magna aliqua.Ut enim ad minim veniam, quinostrud exercitation ullamco"
    " laboris nisi ut aliquip ex ea commodo consequat.Duis aute irure dolor in reprehenderit in"
    " voluptate velit esse cillum doloe eu fugiat nulla pariatur.Excepteur sint occaecat"
    " cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum"
)
# python-gsmmodem, test_encodeSmsSubmit_concatenated (sent with TP-RD set, TP-MR 0 throughout)
LOREM_PDUS = [
    "0045000B915121551532F40000A0050003000301986F79B90D4AC3E7F53688FC66BFE5A0799A0E0AB7CB74"
    "1668FC76CFCB637A995E9783C2E4343C3D4F8FD3EE33A8CC4ED359A079990C22BF41E5747DDE7E9341F4"
    "721BFE9683D2EE719A9C26D7DD74509D0E6287C56F791954A683C86FF65B5E06B5C36777181466A7E3F5"
    "B0AB4A0795DDE936284C06B5D3EE741B642FBBD3E1360B14AFA7DD",
    "0045000B915121551532F40000A0050003000302DE73BABC4E0695F165F9384D0FD3D36F37A8CE6687DBE3"
    "37881D16BFE5E939C89D9EA741753A28CC4EC7EB6938A88C0795C3A0F1BBDD7E93DFA0F1DB3D2FC7EB61"
    "BA8B584FCF41E13ABD0C4ACBEBF23288FC66BFE5A0B41B242FC3E56574D94D2ECBD37450DA0DB2BFD975"
    "383D4C2F83EC65769A0E2ACFE765D038CD66D7DB20F29BFD2E83CA",
    "0045000B915121551532F400008C050003000303EA2073FD9C0ED341EE3A9B1D06C1C3F274985E97BB8AF8"
    "71194E2FD7E5A079DA4D07BDC7E370791CA683C675789A1CA687E920F7DB0D82CBDF6972D94D6781E675"
    "371D947683C675363C0C8AD7D3A0B7D99C1EA7C32072795E96D7DD7450FBCD66A7E9A0B03BDD06A5C9A0"
    "F29C0E6287C56F79BD0D",
]
# python-gsmmodem, test_decode: a delivered SMS-STATUS-REPORT for TP-MR 214
DELIVERED_REPORT = "0006D60B911326880736F4111011719551401110117195714000"


def deliver_pdu(dcs, user_data, *, first_octet="04", udl=None):
    """An SMS-DELIVER from +27821234567 at 2013-03-08 15:02:16+02:00 (python-gsmmodem's
    'Test2' vector) carrying ``user_data`` (hex) with ``dcs``."""
    if udl is None:
        udl = len(user_data) // 2
    return f"00{first_octet}0B917228214365F700{dcs:02X}31308051206180{udl:02X}{user_data}"


# --- SMS-SUBMIT ---------------------------------------------------------------------------


def test_codec_alphabet_is_the_alphabet_the_counter_bills():
    """A character the counter calls GSM-7 but the codec cannot encode would crash the send;
    one at the wrong code would arrive as another letter (codes from GSM 03.38)."""
    assert len(GSM7_BASIC_TABLE) == 128
    codes = {"@": 0x00, "£": 0x01, "Ç": 0x09, "\n": 0x0A, "Δ": 0x10, "\x1b": 0x1B, "¤": 0x24}
    codes.update({"¡": 0x40, "§": 0x5F, "¿": 0x60, "ü": 0x7E, "à": 0x7F})
    assert {char: GSM7_BASIC_TABLE.index(char) for char in codes} == codes
    # one table, the core's: the codec cannot drift from what the counter bills
    assert GSM7_BASIC_TABLE is gsm.GSM7_BASIC_TABLE
    assert GSM7_EXTENSION_TABLE is gsm.GSM7_EXTENSION_TABLE
    extension_codes = {"\f": 0x0A, "^": 0x14, "{": 0x28, "\\": 0x2F, "|": 0x40, "€": 0x65}
    assert {GSM7_EXTENSION_TABLE[code]: code for code in extension_codes.values()} == (
        extension_codes
    )
    for char in gsm.GSM7_BASIC_CHARS | gsm.GSM7_EXTENSION_CHARS:
        assert decode_submit(encode_submit("+48601234567", char)[0].hex).text == char


def test_submit_matches_published_gsm7_vector():
    # python-gsmmodem: no SMSC, no validity, no report
    (pdu,) = encode_submit("+27820001111", "Hello World!", request_report=False)
    assert pdu == SubmitPdu("0001000B917228001011F100000CC8329BFD065DDF72363904", 24, 1, 1)


def test_submit_matches_published_ucs2_vector_with_smsc_and_a_year_of_validity():
    # python-gsmmodem: 52 weeks = TP-VP 0xF4, SMSC +44000000000
    (pdu,) = encode_submit(
        "+123456789",
        "世界您好！",
        smsc="+44000000000",
        request_report=False,
        validity_minutes=52 * 7 * 24 * 60,
    )
    assert pdu.hex == "07914400000000F01100099121436587F90008F40A4E16754C60A8597DFF01"
    assert pdu.tpdu_length == len(pdu.hex) // 2 - 8  # the 8-octet SMSC field is not counted


def test_submit_matches_the_classic_hellohello_vector_with_four_days_validity():
    (pdu,) = encode_submit(
        "+46708251358", "hellohello", request_report=False, validity_minutes=4 * 24 * 60
    )
    assert pdu.hex == "0011000B916407281553F80000AA0AE8329BFD4697D9EC37"
    assert pdu.tpdu_length == 23


def test_concatenated_gsm7_parts_match_published_vectors_with_fill_bit():
    """Protects the UDH, the fill bit and the septet count of each part.  The published PDUs
    set TP-RD and repeat TP-MR 0; ours leave TP-RD clear and number the parts' TP-MR on."""
    pdus = encode_submit("+15125551234", LOREM, request_report=False)
    assert [(pdu.part, pdu.parts) for pdu in pdus] == [(1, 3), (2, 3), (3, 3)]
    for index, (pdu, published) in enumerate(zip(pdus, LOREM_PDUS, strict=True)):
        assert pdu.hex == f"0041{index:02X}" + published[6:]
        assert pdu.tpdu_length == len(published) // 2 - 1


def test_default_submit_asks_for_a_report_and_no_validity():
    (pdu,) = encode_submit("+48601234567", "Ready")
    first_octet, message_reference = pdu.hex[2:4], pdu.hex[4:6]
    assert (first_octet, message_reference) == ("21", "00")
    decoded = decode_submit(pdu.hex)
    assert decoded.request_report and decoded.validity_minutes is None


def test_submit_fields_survive_a_round_trip():
    (pdu,) = encode_submit(
        "+79161234567",
        "Ваш заказ готов",
        smsc="+79168999100",
        validity_minutes=24 * 60,
        message_reference=300,
    )
    assert pdu.hex.startswith("07919761989901F0")  # SMSC: 7 octets, international, F pad
    assert pdu.hex[16:18] == "31"  # SUBMIT, relative validity, report requested
    decoded = decode_submit(pdu.hex)
    assert decoded.smsc == "+79168999100"
    assert decoded.message_reference == 300 % 256
    assert decoded.recipient == "+79161234567"
    assert decoded.request_report is True
    assert decoded.validity_minutes == 24 * 60
    assert decoded.valid_until is None
    assert (decoded.encoding, decoded.text) == ("ucs2", "Ваш заказ готов")
    assert decoded.concatenation is None
    assert tpdu_length(pdu.hex) == pdu.tpdu_length


def test_national_and_international_numbers_are_typed():
    international = encode_submit("+79161234567", "x", request_report=False)[0].hex
    national = encode_submit("89161234567", "x", request_report=False)[0].hex
    assert international[6:22] == "0B919761214365F7"
    assert national[6:22] == "0B819861214365F7"
    assert decode_submit(national).recipient == "89161234567"
    # an even count of digits needs no F
    even = encode_submit("+491511234567", "x", request_report=False)[0].hex
    assert even[6:22] == "0C91945111325476"
    assert decode_submit(even).recipient == "+491511234567"


def test_national_smsc_is_typed_national():
    (pdu,) = encode_submit("+48601234567", "x", smsc="12345")
    assert pdu.hex.startswith("04812143F5")
    assert decode_submit(pdu.hex).smsc == "12345"


@pytest.mark.parametrize(
    "number",
    ["", "+", "+7 916 123-45-67", "8(916)1234567", "Apteka", "+123456789012345678901", "٣٣٣", None],
)
def test_invalid_numbers_are_refused_naming_the_number(number):
    """A mangled number would send the customer's message to a stranger."""
    with pytest.raises(ValueError, match="not a phone number") as caught:
        encode_submit(number, "Ready")
    assert repr(number) in str(caught.value)


def test_invalid_smsc_is_refused():
    with pytest.raises(ValueError, match="'SMSC'"):
        encode_submit("+48601234567", "Ready", smsc="SMSC")


def test_gsm7_part_boundary_moves_the_euro_sign_whole():
    """An escape split from its code would show a space and a stray 'e' on the handset."""
    text = "a" * 152 + "€" + "b" * 10
    first, second = (decode_submit(pdu.hex) for pdu in encode_submit("+48601234567", text))
    assert first.text == "a" * 152
    assert second.text == "€" + "b" * 10
    assert first.concatenation == Concatenation(reference=0, total=2, sequence=1)
    assert second.concatenation == Concatenation(reference=0, total=2, sequence=2)
    pdus = encode_submit("+48601234567", text)
    # TP-UDL in septets: 7 for the header and its fill bit, then the text's septets
    assert [int(pdu.hex[26:28], 16) for pdu in pdus] == [7 + 152, 7 + 2 + 10]


def test_ucs2_part_boundary_never_splits_a_surrogate_pair():
    text = "ж" * 66 + EMOJI + "ж" * 5
    pdus = encode_submit("+48601234567", text)
    first, second = (decode_submit(pdu.hex) for pdu in pdus)
    assert (first.text, second.text) == ("ж" * 66, EMOJI + "ж" * 5)
    # TP-UDL in octets: the 6-octet header, then two octets per UTF-16 unit
    assert [int(pdu.hex[26:28], 16) for pdu in pdus] == [6 + 132, 6 + 14]
    assert pdus[1].hex[28:48] == "050003000202" + "D83DDE00"


def test_ucs2_longest_part_fills_the_140_octets_exactly():
    pdus = encode_submit("+48601234567", "ж" * 67 * 2)
    assert [int(pdu.hex[26:28], 16) for pdu in pdus] == [140, 140]
    # first octet, TP-MR, 8-octet TP-DA, TP-PID, TP-DCS, TP-UDL, then the 140 octets
    assert [pdu.tpdu_length for pdu in pdus] == [1 + 1 + 8 + 1 + 1 + 1 + 140] * 2


def test_concatenation_header_is_the_published_8bit_element():
    # python-gsmmodem: IE 0003170301 = reference 23, part 1 of 3; the reference wraps at 256
    for reference in (23, 23 + 256):
        pdus = encode_submit("+48601234567", "a" * 400, reference=reference)
        assert pdus[0].hex[28:40] == "05" + "0003170301"
        assert pdus[2].hex[28:40] == "05" + "0003170303"


def test_parts_get_consecutive_message_references():
    """Should the modem keep the PDU's TP-MR, reports of different parts stay apart."""
    pdus = encode_submit("+48601234567", "a" * 400, message_reference=255)
    assert [decode_submit(pdu.hex).message_reference for pdu in pdus] == [255, 0, 1]


def test_empty_text_is_one_empty_sms():
    (pdu,) = encode_submit("+48601234567", "")
    assert pdu.hex.endswith("0000")  # GSM-7, no user data
    assert decode_submit(pdu.hex).text == ""


def test_255_parts_are_sent_and_256_refused():
    """The concatenation header counts parts in one octet: part 256 would wrap to 0."""
    pdus = encode_submit("+48601234567", "a" * 153 * 255)
    assert (len(pdus), pdus[-1].part, pdus[-1].parts) == (255, 255, 255)
    with pytest.raises(ValueError, match="256 parts"):
        encode_submit("+48601234567", "a" * (153 * 255 + 1))


# --- relative validity --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "octet"),
    [
        (30, 0x05),
        (16 * 60, 151),
        (3 * 24 * 60, 0xA9),
        (4 * 24 * 60, 0xAA),
        (5 * 7 * 24 * 60, 197),
        (52 * 7 * 24 * 60, 0xF4),
    ],
)
def test_relative_validity_matches_published_examples(minutes, octet):
    assert encode_relative_validity(minutes) == octet
    assert decode_relative_validity(octet) == minutes


def test_every_validity_octet_round_trips():
    for octet in range(256):
        assert encode_relative_validity(decode_relative_validity(octet)) == octet


def test_validity_rounds_up_to_the_next_step_never_shorter():
    """A message must not expire before the validity the rule asked for."""
    for minutes in [1, 4, 5, 6, 719, 720, 721, 751, 1439, 1440, 1441, 2881, 43200, 43201]:
        octet = encode_relative_validity(minutes)
        assert decode_relative_validity(octet) >= minutes
        if octet:  # the step below would be too short
            assert decode_relative_validity(octet - 1) < minutes
    assert encode_relative_validity(90.5) == encode_relative_validity(95)


def test_validity_beyond_63_weeks_is_capped():
    assert encode_relative_validity(MAX_VALIDITY_MINUTES) == 255
    assert encode_relative_validity(10 * MAX_VALIDITY_MINUTES) == 255


@pytest.mark.parametrize("minutes", [0, -5])
def test_no_validity_left_is_refused(minutes):
    """An expired message must not be sent; rounding it up to 5 minutes would send it."""
    with pytest.raises(ValueError, match="positive"):
        encode_submit("+48601234567", "Ready", validity_minutes=minutes)


def test_validity_octet_out_of_range_is_refused():
    with pytest.raises(ValueError, match="one octet"):
        decode_relative_validity(256)


# --- decoding SMS-SUBMIT (the simulated network's side) -----------------------------------


def test_decode_submit_reads_published_vectors():
    # python-gsmmodem: GSM-7 with SMSC, TP-MR 13, report requested, 3 days
    submit = decode_submit(
        "07911326040000F0310D0B911326880736F40000A90FF7FBDD454E87CDE1B0DB357EB701"
    )
    assert (submit.smsc, submit.recipient, submit.message_reference) == (
        "+31624000000",
        "+31628870634",
        13,
    )
    assert (submit.request_report, submit.validity_minutes) == (True, 3 * 24 * 60)
    assert submit.text == "www.diafaan.com"
    # UCS-2, and 8-bit data read as latin-1
    assert decode_submit("07914346466554F601000B914316565811F9000806304253F68449").text == "あ叶葉"
    eight_bit = decode_submit("0591721891F101000B917228214365F700040C48656C6C6F20776F726C6421")
    assert (eight_bit.encoding, eight_bit.text) == ("8bit", "Hello world!")


def test_decode_submit_reads_an_absolute_validity():
    submit = decode_submit(
        "0019000B917228001011F100003170013193008017D474BB3CA787DB70903DCC4E93D3F43C885E9ED301"
    )
    assert submit.valid_until == datetime(2013, 7, 10, 13, 39, tzinfo=PLUS_TWO)
    assert submit.validity_minutes is None
    assert submit.text == "Timestamp validity test"


def test_decode_submit_skips_an_enhanced_validity():
    submit = decode_submit("0009000B917228001011F100000100000000000003C8329B")
    assert (submit.validity_minutes, submit.valid_until, submit.text) == (None, None, "Hel")


def test_user_data_length_longer_than_the_data_is_read_leniently():
    # python-gsmmodem: a modem's PDU whose TP-UDL says 160 octets for 10
    submit = decode_submit("0041010C910661345542F60008A0050003000301306F3044")
    assert submit.text == "はい"
    assert submit.concatenation == Concatenation(reference=0, total=3, sequence=1)


# --- SMS-STATUS-REPORT --------------------------------------------------------------------


def test_published_status_report_is_delivered():
    report = decode_status_report(DELIVERED_REPORT)
    plus_one = timezone(timedelta(hours=1))
    assert (report.smsc, report.message_reference, report.recipient) == (None, 214, "+31628870634")
    assert report.service_centre_timestamp == datetime(2011, 1, 11, 17, 59, 15, tzinfo=plus_one)
    assert report.discharge_time == datetime(2011, 1, 11, 17, 59, 17, tzinfo=plus_one)
    assert report.service_centre_timestamp.utcoffset() == timedelta(hours=1)
    assert report.status == 0
    assert report.delivered and not report.pending and not report.failed


@pytest.mark.parametrize(
    ("status", "delivered", "pending", "failed", "expired"),
    [
        (0x01, True, False, False, False),  # forwarded, unconfirmed
        (0x02, True, False, False, False),  # replaced
        (0x21, False, True, False, False),  # handset busy, still trying
        (0x3F, False, True, False, False),
        (0x41, False, False, True, False),  # incompatible destination
        (0x46, False, False, True, True),  # validity period expired
        (0x62, False, False, True, False),  # no response, the centre gave up
        (0x10, False, False, False, False),  # centre-specific: none of these
    ],
)
def test_status_report_outcomes(status, delivered, pending, failed, expired):
    report = decode_status_report(DELIVERED_REPORT[:-2] + f"{status:02X}")
    assert (report.delivered, report.pending, report.failed, report.expired) == (
        delivered,
        pending,
        failed,
        expired,
    )


def test_status_report_timestamps_keep_their_zones():
    # python-gsmmodem's timestamp vectors: 51117200000080 (+02:00) and 7040213252242B (-08:00)
    received = datetime(2015, 11, 27, 0, 0, tzinfo=PLUS_TWO)
    discharged = datetime(2007, 4, 12, 23, 25, 42, tzinfo=timezone(timedelta(hours=-8)))
    pdu = encode_status_report(
        7,
        "+48601234567",
        0x46,
        service_centre_timestamp=received,
        discharge_time=discharged,
        smsc="+48601000310",
    )
    assert "51117200000080" + "7040213252242B" + "46" in pdu
    report = decode_status_report(pdu)
    assert report.smsc == "+48601000310"
    assert (report.message_reference, report.recipient) == (7, "+48601234567")
    assert report.service_centre_timestamp == received
    assert report.discharge_time.utcoffset() == timedelta(hours=-8)
    assert report.expired


def test_status_report_discharge_defaults_to_the_centre_time():
    moment = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    report = decode_status_report(
        encode_status_report(1, "600123456", 0, service_centre_timestamp=moment)
    )
    assert report.discharge_time == report.service_centre_timestamp == moment
    assert report.recipient == "600123456"


def test_a_deliver_is_not_taken_for_a_status_report():
    with pytest.raises(ValueError, match="not an SMS-STATUS-REPORT"):
        decode_status_report(deliver_pdu(0x00, ""))


# --- SMS-DELIVER --------------------------------------------------------------------------


def test_decode_deliver_reads_published_vectors():
    # python-gsmmodem
    message = decode_deliver("06917228195339040B917228214365F700003130805120618005D4F29C2E03")
    assert (message.smsc, message.sender, message.text) == ("+2782913593", "+27821234567", "Test2")
    assert message.timestamp == datetime(2013, 3, 8, 15, 2, 16, tzinfo=PLUS_TWO)
    assert message.concatenation is None
    long_text = decode_deliver(
        "07915892000000F0040B915892214365F700007040213252242331493A283D0795C3F33C88FE06C9CB6132"
        "885EC6D341EDF27C1E3E97E7207B3A0C0A5241E377BB1D7693E72E"
    )
    assert long_text.text == "It is easy to read text messages via AT commands."
    assert long_text.timestamp.utcoffset() == timedelta(hours=8)


def test_decode_deliver_reads_extension_characters():
    # python-gsmmodem
    message = decode_deliver(
        "06917228195339040B917228214365F70000313062315352800A800D8A5E98D337A910"
    )
    assert message.text == "@{tést}!"


def test_decode_deliver_reads_a_national_sender_and_a_one_part_header():
    # python-gsmmodem: national sender 2781188, UDH with reference 0xC3, part 1 of 1
    message = decode_deliver(
        "0591721891F1400781721881F800003160526104848059050003C30101916536FB1DCABEEB2074D85E0649"
        "41B19CAB060319A5C522289C96D3D3ED32286C0FA7D96131BBEC024941B19CAB0603DDD36C36A88C87A7"
        "E565D0DB0D82C55EB0DB4B068BCD5C20"
    )
    assert (message.smsc, message.sender) == ("+2781191", "2781188")
    assert message.concatenation == Concatenation(reference=0xC3, total=1, sequence=1)
    assert message.text.startswith("Hello!You have R 19.50 FREE airtime available.")
    assert join_parts([message]) == message.text


def test_decode_deliver_reads_an_alphanumeric_sender():
    # python-gsmmodem's address vector 0ED04669D0397C26A7 = FRANCOIS
    message = decode_deliver("00040ED04669D0397C26A7000031308051206180" + "05C8329BFD06")
    assert (message.sender, message.text) == ("FRANCOIS", "Hello")


def test_alphanumeric_sender_round_trips_without_a_stray_character():
    """Seven septets fill 49 bits: a length counted in whole octets would add an '@'."""
    for name in ("Apteka", "Optyk24", "a[]{}€", "SMS-NOTIFY!"):
        (pdu,) = encode_deliver(name, "Hi", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
        assert decode_deliver(pdu).sender == name


def test_too_long_or_non_gsm_sender_names_are_refused():
    moment = datetime(2026, 1, 2, tzinfo=UTC)
    with pytest.raises(ValueError, match="11 GSM characters"):
        encode_deliver("SMS Notify Shop", "Hi", moment)
    with pytest.raises(ValueError, match="GSM 7-bit"):
        encode_deliver("Аптека", "Hi", moment)


def test_concatenated_gsm7_deliver_is_joined_from_parts_out_of_order():
    text = "Zamowienie " + "x" * 150 + "€ gotowe [" + "y" * 160 + "]"
    moment = datetime(2026, 5, 4, 10, 0, tzinfo=PLUS_TWO)
    pdus = encode_deliver("+48601234567", text, moment, reference=0x1A5)
    parts = [decode_deliver(pdu) for pdu in reversed(pdus)]
    assert [part.concatenation.sequence for part in parts] == [3, 2, 1]
    assert {part.concatenation.reference for part in parts} == {0xA5}
    assert all(part.timestamp == moment for part in parts)
    assert join_parts(parts) == text


def test_concatenated_ucs2_deliver_with_16bit_reference_is_joined():
    # python-gsmmodem's IE 080401800402: reference 384, part 2 of 4 (here parts 1 and 2 of 2)
    first = deliver_pdu(0x08, "06" + "080401800201" + "04170434", first_octet="44")
    second = deliver_pdu(0x08, "06" + "080401800202" + "D83DDE00", first_octet="44")
    parts = [decode_deliver(second), decode_deliver(first)]
    assert parts[0].concatenation == Concatenation(reference=384, total=2, sequence=2)
    assert join_parts(parts) == "Зд" + EMOJI


def test_a_surrogate_pair_split_by_the_sender_is_rejoined():
    first = deliver_pdu(0x08, "050003070201" + "0041D83D", first_octet="44")
    second = deliver_pdu(0x08, "050003070202" + "DE00", first_octet="44")
    assert join_parts([decode_deliver(first), decode_deliver(second)]) == "A" + EMOJI


def test_a_message_in_one_part_joins_to_its_own_text():
    (pdu,) = encode_deliver("+48601234567", "Ready", datetime(2026, 1, 1, tzinfo=UTC))
    assert join_parts([decode_deliver(pdu)]) == "Ready"


def test_a_part_received_twice_counts_once():
    pdus = encode_deliver("+48601234567", "a" * 200, datetime(2026, 1, 1, tzinfo=UTC))
    parts = [decode_deliver(pdu) for pdu in (*pdus, pdus[0])]
    assert join_parts(parts) == "a" * 200


def test_a_missing_part_is_reported():
    pdus = encode_deliver("+48601234567", "a" * 400, datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match=r"parts \[2\] of 3 are missing"):
        join_parts([decode_deliver(pdus[0]), decode_deliver(pdus[2])])


def test_parts_of_different_messages_are_not_joined():
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    one = encode_deliver("+48601234567", "a" * 200, moment, reference=1)
    other = encode_deliver("+48601234567", "b" * 200, moment, reference=2)
    stranger = encode_deliver("+48609999999", "c" * 200, moment, reference=1)
    single = encode_deliver("+48601234567", "d", moment)
    for mixed in ((one[0], other[1]), (one[0], stranger[1]), (one[0], one[1], single[0])):
        with pytest.raises(ValueError, match="not the parts of one"):
            join_parts([decode_deliver(pdu) for pdu in mixed])
    with pytest.raises(ValueError, match="not the parts of one"):
        join_parts([])


def test_other_header_elements_are_skipped():
    # an application port element (050400000000) before the concatenation element
    message = decode_deliver(
        deliver_pdu(0x08, "0B" + "050400000000" + "0003090201" + "0041", first_octet="44")
    )
    assert message.concatenation == Concatenation(reference=9, total=2, sequence=1)
    assert message.text == "A"


def test_header_without_concatenation_gives_none():
    message = decode_deliver(deliver_pdu(0x04, "03" + "240101" + "4869", first_octet="44"))
    assert (message.concatenation, message.text) == (None, "Hi")


@pytest.mark.parametrize(
    ("dcs", "user_data", "udl", "encoding", "text"),
    [
        (0x10, "C834", 2, "gsm7", "Hi"),  # class 0 (flash), default alphabet
        (0x18, "00480069", 4, "ucs2", "Hi"),  # class 0, UCS-2
        (0x48, "00480069", 4, "ucs2", "Hi"),  # automatic deletion group, UCS-2
        (0x0C, "C834", 2, "gsm7", "Hi"),  # reserved alphabet: default
        (0xC8, "C834", 2, "gsm7", "Hi"),  # message waiting, discard
        (0xD0, "C834", 2, "gsm7", "Hi"),  # message waiting, store
        (0xE0, "00480069", 4, "ucs2", "Hi"),  # message waiting, store, UCS-2
        (0xF0, "C834", 2, "gsm7", "Hi"),  # message class, default alphabet
        (0xF4, "4869", 2, "8bit", "Hi"),  # message class, 8-bit data
        (0x80, "C834", 2, "gsm7", "Hi"),  # reserved group: default
    ],
)
def test_data_coding_schemes_choose_the_alphabet(dcs, user_data, udl, encoding, text):
    message = decode_deliver(deliver_pdu(dcs, user_data, udl=udl))
    assert (message.encoding, message.text) == (encoding, text)


def test_compressed_text_is_refused():
    with pytest.raises(ValueError, match="compressed"):
        decode_deliver(deliver_pdu(0x20, "C834", udl=2))


def test_unknown_escapes_read_as_the_handset_shows_them():
    # ESC + 'A' (not in the extension table) shows 'A'; a trailing ESC shows a space
    assert decode_deliver(deliver_pdu(0x00, "9B20", udl=2)).text == "A"
    assert decode_deliver(deliver_pdu(0x00, "C10D", udl=2)).text == "A "


def test_odd_ucs2_octet_is_dropped():
    assert decode_deliver(deliver_pdu(0x08, "004800", udl=3)).text == "H"


def test_deliver_timestamps_need_a_zone_in_quarter_hours():
    with pytest.raises(ValueError, match="time zone"):
        encode_deliver("+48601234567", "Hi", datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="quarters"):
        encode_deliver(
            "+48601234567", "Hi", datetime(2026, 1, 1, tzinfo=timezone(timedelta(minutes=10)))
        )


def test_deliver_with_smsc_and_timestamp_of_the_1990s():
    # the classic SMS-DELIVER example from 1999 (TP-SCTS 99309251619580)
    message = decode_deliver(
        "07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37"
    )
    assert (message.smsc, message.sender, message.text) == (
        "+27381000015",
        "27838890001",
        "hellohello",
    )
    assert message.timestamp == datetime(1999, 3, 29, 15, 16, 59, tzinfo=PLUS_TWO)


# --- malformed PDUs -----------------------------------------------------------------------


@pytest.mark.parametrize("pdu", ["not hex", None, "0G"])
def test_non_hex_is_refused(pdu):
    with pytest.raises(ValueError, match="not a hex PDU"):
        decode_deliver(pdu)


def test_truncated_pdu_is_refused():
    with pytest.raises(ValueError, match="ends before its fields"):
        decode_status_report(DELIVERED_REPORT[:20])


def test_submit_is_not_taken_for_a_deliver():
    (pdu,) = encode_submit("+48601234567", "Ready")
    with pytest.raises(ValueError, match="not an SMS-DELIVER"):
        decode_deliver(pdu.hex)


def test_timestamp_with_non_decimal_digits_is_refused():
    with pytest.raises(ValueError, match="decimal"):
        decode_status_report(DELIVERED_REPORT.replace("11101171955140", "1110117195F140"))


def test_pdu_hex_may_arrive_lowercase_with_line_end():
    assert decode_status_report(DELIVERED_REPORT.lower() + "\r\n").message_reference == 214
