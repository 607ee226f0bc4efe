"""A sender name reaches the operators only when they can register it, and a refused name says
every reason at once."""

import pytest

from odoo.addons.sms_notify_billing.tools.sender_names import MAX_LENGTH, check_alpha_sender


@pytest.mark.parametrize(
    "name",
    ["OPTIKA", "Optika_Pro", "A", "Shop24", "24_7_SHOP", "_OK_", "ABCDEFGHIJK", "x1234567890"],
)
def test_latin_letters_digits_and_underscore_up_to_eleven_characters_are_valid(name):
    assert check_alpha_sender(name) == []


@pytest.mark.parametrize("name", ["", None, "   "])
def test_empty_name_asks_for_a_name(name):
    assert check_alpha_sender(name) == ["Enter the sender name."]


def test_space_is_refused_saying_no_spaces():
    assert check_alpha_sender("My Shop") == [
        "The sender name must have no spaces: join the words or link them with an underscore, "
        "e.g. 'My_Shop'."
    ]


@pytest.mark.parametrize("name", ["My\tShop", "My\u00a0Shop", " MyShop"])
def test_tabs_no_break_and_leading_spaces_count_as_spaces(name):
    reasons = check_alpha_sender(name)
    assert len(reasons) == 1
    assert "no spaces" in reasons[0]


def test_other_characters_are_named_once_each_in_the_order_typed():
    assert check_alpha_sender("A-B.C-D!") == [
        "The sender name may hold only Latin letters (A-Z), digits and the underscore, not "
        "'-', '.', '!'."
    ]


@pytest.mark.parametrize("name, character", [("Café", "'é'"), ("Shop\u200b", "'\\u200b'")])
def test_accented_and_invisible_characters_are_named(name, character):
    (reason,) = check_alpha_sender(name)
    assert reason.endswith(f"not {character}.")


def test_digits_only_need_a_letter():
    assert check_alpha_sender("123456") == [
        "The sender name must contain at least one Latin letter: operators do not register "
        "names made of digits and underscores only."
    ]
    assert check_alpha_sender("12_34") == check_alpha_sender("123456")


def test_eleven_characters_pass_and_twelve_are_refused():
    assert check_alpha_sender("A" * MAX_LENGTH) == []
    assert check_alpha_sender("ABCDEFGHIJKL") == [
        "The sender name has 12 characters: operators accept at most 11."
    ]


def test_cyrillic_letters_are_refused_and_named():
    reasons = check_alpha_sender("ОПТИКА")
    assert reasons == [
        "The sender name contains Cyrillic letters ('О', 'П', 'Т', 'И', 'К', 'А'): operators "
        "register Latin letters only. Retype them with a Latin keyboard layout.",
        "The sender name must contain at least one Latin letter: operators do not register "
        "names made of digits and underscores only.",
    ]


def test_cyrillic_look_alike_of_a_latin_letter_is_caught():
    # "OPTIKA" with a Cyrillic О (U+041E): it looks valid on screen
    (reason,) = check_alpha_sender("\u041ePTIKA")
    assert "Cyrillic letters ('О')" in reason


def test_several_reasons_are_given_at_once():
    reasons = check_alpha_sender("Оптика & Co 2024")
    assert len(reasons) == 4
    assert "no spaces" in reasons[0]
    assert "'Оптика_&_Co_2024'" in reasons[0]
    assert "Cyrillic letters ('О', 'п', 'т', 'и', 'к', 'а')" in reasons[1]
    assert reasons[2].endswith("not '&'.")
    assert reasons[3] == "The sender name has 16 characters: operators accept at most 11."


def test_translate_gets_each_message_and_its_parameters():
    calls = []

    def translate(source, **params):
        calls.append((source, params))
        return "[ru] " + source % params

    reasons = check_alpha_sender("12345678901 2", translate=translate)
    assert [params for _source, params in calls] == [
        {"example": "'12345678901_2'"},
        {},
        {"length": 13, "max_length": 11},
    ]
    assert calls[1][0].startswith("The sender name must contain at least one Latin letter")
    assert all(reason.startswith("[ru] ") for reason in reasons)
