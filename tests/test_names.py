"""Messages greet customers by the parts of the one full name Odoo keeps, read in the order the
name was written."""

import pytest

from odoo.addons.sms_notify.tools.names import (
    is_patronymic,
    parts_fit_name,
    salutation,
    split_full_name,
)


@pytest.mark.parametrize(
    "name, parts",
    [
        ("Anna Petrova", ("Anna", "", "Petrova")),
        ("Петрова Анна Сергеевна", ("Анна", "Сергеевна", "Петрова")),
        ("Иванов Дмитрий Петрович", ("Дмитрий", "Петрович", "Иванов")),
        ("Петрова Анна Ильинична", ("Анна", "Ильинична", "Петрова")),
        ("ПЕТРОВА АННА НИКИТИЧНА", ("АННА", "НИКИТИЧНА", "ПЕТРОВА")),
        ("Анна Сергеевна Петрова", ("Анна", "Сергеевна", "Петрова")),
        ("Станислав Станиславович Шушкевич", ("Станислав", "Станиславович", "Шушкевич")),
        ("Шушкевич Станислав Станиславович", ("Станислав", "Станиславович", "Шушкевич")),
        ("Роман Абрамович", ("Роман", "", "Абрамович")),
        ("Katarzyna Nowak", ("Katarzyna", "", "Nowak")),
        ("Jan van Dijk", ("Jan", "", "van Dijk")),
        ("Gabriel García Márquez", ("Gabriel", "", "García Márquez")),
        ("Петрова-Водкина Анна Сергеевна", ("Анна", "Сергеевна", "Петрова-Водкина")),
        ("  Anna   Petrova ", ("Anna", "", "Petrova")),
        ("Anna", ("Anna", "", "")),
        ("", ("", "", "")),
        (None, ("", "", "")),
        (False, ("", "", "")),
    ],
)
def test_split_full_name(name, parts):
    assert split_full_name(name) == parts


def test_parts_are_named():
    parts = split_full_name("Петрова Анна Сергеевна")
    assert (parts.first, parts.patronymic, parts.last) == ("Анна", "Сергеевна", "Петрова")


@pytest.mark.parametrize("word", ["Сергеевич", "Сергеевна", "Ильинична", "Кузьминична", "ИВАНОВНА"])
def test_patronymics_are_recognised(word):
    assert is_patronymic(word)


@pytest.mark.parametrize("word", ["Анна", "Петрова", "Ivanovich", "вич", "вна", ""])
def test_other_words_are_not_patronymics(word):
    assert not is_patronymic(word)


def test_parts_fit_a_name_holding_their_words_in_any_order_and_case():
    assert parts_fit_name(("Анна", "", "Петрова"), "Петрова Анна")
    assert parts_fit_name(("Анна", "", "Петрова"), "петрова анна сергеевна")
    assert parts_fit_name(("Jan", "", "van Dijk"), "Jan van Dijk")


def test_parts_do_not_fit_a_changed_name_or_none():
    assert not parts_fit_name(("Anna", "", "Petrova"), "Anna Ivanova")
    assert not parts_fit_name(("Anna", "", "Petrova"), False)
    assert not parts_fit_name(("", "", ""), "Anna Petrova")


def test_salutation_follows_gender_and_language():
    assert salutation("female", "ru_RU") == "Уважаемая"
    assert salutation("male", "ru_RU") == "Уважаемый"
    assert salutation("male", "pl_PL") == "Szanowny Panie"
    assert salutation("female", "pl_PL") == "Szanowna Pani"
    assert salutation("female", "en_US") == "Dear Ms"
    # unknown gender: a form that fits everyone; unknown language: English
    assert salutation(False, "pl_PL") == "Szanowni Państwo"
    assert salutation("male", "de_DE") == "Dear Mr"
    assert salutation(None, False) == "Dear"
