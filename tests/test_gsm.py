"""Segment counts must match what operators bill: these pin the 3GPP TS 23.038/23.040 rules."""

import random
import re

import pytest

from odoo.addons.sms_notify.tools.gsm import (
    GSM7_BASIC_CHARS,
    GSM7_EXTENSION_CHARS,
    NON_GSM7_PATTERN,
    analyze,
    char_units,
    non_gsm7_chars,
)

EXTENSION_CHARS = ["[", "]", "{", "}", "~", "^", "\\", "|", "€", "\f"]
EMOJI = "\U0001f600"  # 😀, outside the BMP: a UTF-16 surrogate pair


def test_empty_text_is_zero_segments_with_a_full_sms_left():
    result = analyze("")
    assert (result.encoding, result.segments, result.units, result.parts) == ("gsm7", 0, 0, ())
    assert result.chars_left == 160


def test_false_from_an_empty_odoo_field_counts_as_empty():
    assert analyze(False).segments == 0
    assert analyze(None).segments == 0


def test_160_gsm_chars_fit_one_sms():
    result = analyze("a" * 160)
    assert (result.encoding, result.segments, result.units) == ("gsm7", 1, 160)
    assert result.chars_left == 0


def test_161_gsm_chars_need_two_segments_of_153():
    result = analyze("a" * 161)
    assert result.segments == 2
    assert [len(part) for part in result.parts] == [153, 8]
    assert result.segment_limit == 153
    assert result.chars_left == 145


def test_612_gsm_chars_are_exactly_four_concatenated_segments():
    assert analyze("a" * 612).segments == 4
    assert analyze("a" * 612).chars_left == 0


def test_613_gsm_chars_spill_into_a_fifth_segment():
    result = analyze("a" * 613)
    assert result.segments == 5
    assert result.parts[-1] == "a"


def test_70_ucs2_chars_fit_one_sms():
    result = analyze("ж" * 70)
    assert (result.encoding, result.segments, result.units) == ("ucs2", 1, 70)
    assert result.chars_left == 0


def test_71_ucs2_chars_need_two_segments_of_67():
    result = analyze("ж" * 71)
    assert result.segments == 2
    assert [len(part) for part in result.parts] == [67, 4]
    assert result.chars_left == 63


@pytest.mark.parametrize("char", EXTENSION_CHARS)
def test_extension_char_costs_two_septets_but_stays_gsm7(char):
    result = analyze(f"Price {char} 10")
    assert result.encoding == "gsm7"
    assert result.units == len("Price  10") + 2


def test_extension_chars_no_longer_push_a_full_sms_over_the_limit_as_unicode():
    # 80 "€" are 160 septets: one GSM-7 SMS, not three Unicode ones.
    result = analyze("€" * 80)
    assert (result.encoding, result.segments, result.chars_left) == ("gsm7", 1, 0)
    assert analyze("€" * 80 + "a").segments == 2


def test_euro_at_segment_edge_moves_whole_to_next_segment():
    # 152 septets leave one free in a 153-septet segment: the 2-septet € must not be cut.
    result = analyze("a" * 152 + "€" + "b" * 7)
    assert result.units == 161
    assert result.parts == ("a" * 152, "€" + "b" * 7)
    assert result.chars_left == 153 - 9


def test_euro_that_fits_exactly_stays_in_first_segment():
    result = analyze("a" * 151 + "€" + "b" * 8)
    assert result.parts == ("a" * 151 + "€", "b" * 8)


def test_152_chars_plus_euro_still_fits_one_sms():
    # Splitting only starts above 160 septets.
    result = analyze("a" * 152 + "€")
    assert (result.segments, result.units, result.chars_left) == (1, 154, 6)


def test_newline_counts_one_septet():
    result = analyze("Line one\nLine two\r\n")
    assert result.encoding == "gsm7"
    assert result.units == len("Line one\nLine two\r\n")


def test_capital_c_cedilla_is_gsm7_but_small_c_cedilla_is_not():
    assert analyze("Ç").encoding == "gsm7"
    assert analyze("ç").encoding == "ucs2"


def test_cyrillic_order_ready_message_is_ucs2():
    result = analyze("Ваш заказ готов")
    assert (result.encoding, result.segments, result.units) == ("ucs2", 1, 15)
    assert result.chars_left == 55


@pytest.mark.parametrize("char", ["ą", "ę", "ł", "ż", "ś"])
def test_polish_letter_makes_message_ucs2(char):
    result = analyze(f"Zamowienie gotowe {char}")
    assert result.encoding == "ucs2"
    assert result.units == len("Zamowienie gotowe ") + 1


def test_one_non_gsm_char_makes_extension_chars_single_units():
    # In UCS-2 "€" is one UTF-16 unit, no escape.
    assert analyze("€ ж").units == 3


def test_emoji_counts_two_utf16_units():
    result = analyze(f"Hi {EMOJI}")
    assert (result.encoding, result.units) == ("ucs2", 5)


def test_emoji_is_never_split_at_67_unit_edge():
    # 66 units leave one free: the surrogate pair must move whole to the next segment.
    result = analyze("a" * 66 + EMOJI + "b" * 4)
    assert result.units == 72
    assert result.parts == ("a" * 66, EMOJI + "b" * 4)
    assert result.chars_left == 67 - 6


def test_35_emoji_fit_one_sms_36_need_two():
    assert analyze(EMOJI * 35).segments == 1
    result = analyze(EMOJI * 36)
    assert result.segments == 2
    assert result.parts == (EMOJI * 33, EMOJI * 3)


def test_limits_exposed_for_the_counter():
    gsm, ucs = analyze("a"), analyze("ж")
    assert gsm.is_gsm7 and not ucs.is_gsm7
    assert (gsm.single_segment_limit, gsm.concatenated_segment_limit) == (160, 153)
    assert (ucs.single_segment_limit, ucs.concatenated_segment_limit) == (70, 67)


def test_analysis_is_immutable():
    with pytest.raises(AttributeError):
        analyze("a").segments = 3


def test_basic_and_extension_tables_have_3gpp_sizes():
    # 128 basic codes minus the escape code; 10 extension characters in the default table.
    assert len(GSM7_BASIC_CHARS) == 127
    assert len(GSM7_EXTENSION_CHARS) == 10
    assert not GSM7_BASIC_CHARS & GSM7_EXTENSION_CHARS


ALPHABET = (
    list("abcXYZ 019.,!?")
    + EXTENSION_CHARS
    + ["\n", "\r", "é", "Ç"]
    + list("жЖыЁ")
    + list("ąęłżś")
    + [EMOJI, "\U0001f44d", "\u2764"]
)


def _random_texts(count, seed):
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        pool = rng.choice([ALPHABET[:14], ALPHABET[:28], ALPHABET])
        texts.append("".join(rng.choice(pool) for _ in range(rng.randint(0, 700))))
    return texts


@pytest.mark.parametrize("text", _random_texts(300, seed=2303))
def test_invariants_hold_for_generated_texts(text):
    result = analyze(text)
    assert "".join(result.parts) == text
    assert result.segments == len(result.parts)
    assert result.units == char_units(text, result.encoding)
    # every septet of a GSM-7 text is counted, escape pairs included
    if result.encoding == "gsm7":
        assert result.units == len(text) + sum(char in GSM7_EXTENSION_CHARS for char in text)
    else:
        assert result.units == len(text.encode("utf-16-le")) // 2
    limit = result.segment_limit
    for part in result.parts:
        assert part, "no empty segment"
        assert char_units(part, result.encoding) <= limit
        # utf-16 code units of a Python str never start with a low surrogate half
        assert not 0xDC00 <= int.from_bytes(part.encode("utf-16-le")[:2], "little") <= 0xDFFF
    if result.segments > 1:
        # greedy: the next character would not have fitted in any full segment
        for part, following in zip(result.parts, result.parts[1:], strict=False):
            room = limit - char_units(part, result.encoding)
            assert char_units(following[0], result.encoding) > room
    assert 0 <= result.chars_left <= limit


def test_non_gsm7_chars_names_what_forces_unicode_once_in_order():
    assert non_gsm7_chars("Привет, Zoë! 😀 Привет") == ("П", "р", "и", "в", "е", "т", "ë", EMOJI)
    assert non_gsm7_chars("Hello [world] € é\n") == ()
    assert non_gsm7_chars(False) == ()


def test_non_gsm7_pattern_matches_exactly_the_characters_outside_the_alphabet():
    pattern = re.compile(NON_GSM7_PATTERN)
    for char in GSM7_BASIC_CHARS | GSM7_EXTENSION_CHARS:
        assert not pattern.search(char), repr(char)
    for char in ["ж", "ó", "ę", "`", "\t", EMOJI, "«", "\x1b", "ë"]:
        assert pattern.search(char), repr(char)
