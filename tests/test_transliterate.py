"""Transliteration turns Russian, Ukrainian and Polish texts into GSM-7 (cheaper SMS) with the
official passport schemes, readable by the customer."""

import pytest

from odoo.addons.sms_notify.tools.gsm import analyze, non_gsm7_chars
from odoo.addons.sms_notify.tools.transliterate import (
    POLISH,
    PUNCTUATION,
    RUSSIAN,
    UKRAINIAN,
    UKRAINIAN_INITIAL,
    transliterate,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ваш заказ готов", "Vash zakaz gotov"),
        ("Щукин Юрий Эдуардович", "Shchukin Iurii Eduardovich"),
        ("Наталья Ёлкина", "Natalia Elkina"),
        ("объявление", "obieiavlenie"),
        ("Хорошо, цены ниже", "Khorosho, tseny nizhe"),
        ("Выходной", "Vykhodnoi"),
    ],
)
def test_russian_follows_icao_9303(text, expected):
    assert transliterate(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Їжакевич", "Yizhakevych"),
        ("Кадиївка", "Kadyivka"),
        ("Згурський із Києва", "Zghurskyi iz Kyieva"),
        ("Юрій, ваше замовлення готове", "Yurii, vashe zamovlennia hotove"),
        ("Єнакієве", "Yenakiieve"),
        ("Ґалаґан", "Galagan"),
        ("м'ясо і м’ята", "miaso i miata"),
        ("Мар'їне", "Marine"),
    ],
)
def test_ukrainian_follows_the_national_scheme_with_word_initial_forms(text, expected):
    assert transliterate(text) == expected


def test_a_text_without_ukrainian_only_letters_is_read_as_russian():
    # г is g in Russian and h in Ukrainian: the text tells which
    assert transliterate("Ольга") == "Olga"
    assert transliterate("Ольга, дякуємо за покупку") == "Olha, diakuiemo za pokupku"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zażółć gęślą jaźń", "Zazolc gesla jazn"),
        ("ŁÓDŹ, Świętokrzyska", "LODZ, Swietokrzyska"),
    ],
)
def test_polish_letters_lose_their_diacritics(text, expected):
    assert transliterate(text) == expected


def test_capitals_follow_the_word():
    assert transliterate("ЖУК Жук ж") == "ZHUK Zhuk zh"
    assert transliterate("ЮЛИЯ Щ") == "IULIIA Shch"
    assert transliterate("СКИДКА 20%") == "SKIDKA 20%"


def test_typographic_punctuation_becomes_plain():
    assert transliterate("«Акция» — до 10 мая… № 5") == '"Aktsiia" - do 10 maia... N 5'


def test_every_letter_and_sign_of_the_schemes_becomes_gsm7():
    letters = (
        set(RUSSIAN) | set(UKRAINIAN) | set(UKRAINIAN_INITIAL) | set(POLISH) | set(PUNCTUATION)
    )
    text = " ".join(sorted(letters | {letter.upper() for letter in letters}))
    assert non_gsm7_chars(transliterate(text)) == ()
    assert non_gsm7_chars(transliterate("Їжак " + text)) == ()


def test_other_characters_stay_and_still_force_unicode():
    assert transliterate("Привет 😀 ελλάδα") == "Privet 😀 ελλάδα"
    assert analyze(transliterate("Привет 😀")).encoding == "ucs2"


def test_gsm7_text_is_unchanged():
    text = "Hello [world] € 100 é\nNew line: 10:30"
    assert transliterate(text) == text


def test_empty_values():
    assert transliterate("") == ""
    assert transliterate(False) == ""
    assert transliterate(None) == ""


def test_a_russian_text_fits_one_sms_once_transliterated():
    text = "Здравствуйте! Скидка 20% на всё до воскресенья. Ждём вас в магазине на Ленина 5"
    assert analyze(text).segments == 2
    assert analyze(transliterate(text)).segments == 1
