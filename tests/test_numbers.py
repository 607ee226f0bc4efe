"""Numbers reach the SMS centre in E.164, and only when an SMS can reach them.

The expectations below depend on phonenumbers' metadata, which changes between releases: see
``test_phonenumbers_is_the_version_these_expectations_were_checked_with``.
"""

import dataclasses
import re
from pathlib import Path

import phonenumbers
import pytest

from odoo.addons.sms_notify.tools.numbers import FORMAT, MISSING, normalize

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements.txt"


def assert_accepted(result, e164, region):
    assert (result.e164, result.region) == (e164, region)
    assert (result.failure_type, result.reason) == (None, None)
    assert result.ok


def assert_refused(result, failure_type=FORMAT):
    assert result.e164 is None
    assert not result.ok
    assert result.failure_type == failure_type
    assert result.reason


def test_phonenumbers_is_the_version_these_expectations_were_checked_with():
    pinned = re.search(r"^phonenumbers==(\S+)", REQUIREMENTS.read_text(), re.MULTILINE)
    assert phonenumbers.__version__ == pinned.group(1)


@pytest.mark.parametrize("number", ["8 916 123-45-67", "8 (916) 123 45 67", "89161234567"])
def test_russian_trunk_prefix_8_becomes_plus_7(number):
    assert_accepted(normalize(number, "RU"), "+79161234567", "RU")


def test_810_is_read_as_russias_international_prefix():
    assert_accepted(normalize("810 48 601 234 567", "RU"), "+48601234567", "PL")


@pytest.mark.parametrize("number, country", [("+7 701 123 45 67", None), ("8 701 123-45-67", "RU")])
def test_plus_7_7xx_mobiles_belong_to_kazakhstan(number, country):
    assert_accepted(normalize(number, country), "+77011234567", "KZ")


def test_moscow_landline_is_refused_as_a_landline():
    result = normalize("+7 495 123-45-67", "RU")
    assert_refused(result)
    assert result.reason == (
        "'+7 495 123-45-67' is a landline number: SMS cannot reach it. "
        "Enter the customer's mobile number."
    )
    assert result.region == "RU"


def test_polish_local_mobile_is_read_in_the_customers_country():
    assert_accepted(normalize("601 234 567", "PL"), "+48601234567", "PL")


@pytest.mark.parametrize(
    "number, country",
    [
        ("+48 601 234 567", None),
        ("+48 601-234-567", "RU"),
        ("0048 601 234 567", "PL"),
        # Russia's international prefix is 810, yet people there type 00 too
        ("0048 601 234 567", "RU"),
        ("0048.601.234.567", None),
    ],
)
def test_polish_mobile_with_plus_48_or_0048_ignores_the_default_country(number, country):
    assert_accepted(normalize(number, country), "+48601234567", "PL")


def test_polish_trunk_zero_abolished_in_2005_is_dropped():
    assert_accepted(normalize("0 601 234 567", "PL"), "+48601234567", "PL")


def test_uk_mobile_with_trunk_zero_is_read_in_the_uk():
    assert_accepted(normalize("07400 123456", "GB"), "+447400123456", "GB")


def test_uk_drama_range_07700_900xxx_is_not_a_valid_number():
    # Ofcom keeps this range for fiction: phonenumbers' metadata excludes it, so an SMS
    # addressed to it is refused rather than sent to nobody.
    result = normalize("07700 900123", "GB")
    assert_refused(result)
    assert "not a valid phone number in GB" in result.reason


def test_us_fixed_line_or_mobile_number_is_accepted():
    # US mobile and fixed numbers share their ranges: phonenumbers cannot tell them apart
    assert_accepted(normalize("(201) 555-0123", "US"), "+12015550123", "US")


def test_local_number_without_any_country_asks_for_international_format_or_country():
    result = normalize("601 234 567")
    assert_refused(result)
    assert "international format" in result.reason
    assert "set the customer's country" in result.reason


@pytest.mark.parametrize("number", ["", "   ", None, False])
def test_empty_number_is_missing_not_malformed(number):
    result = normalize(number, "PL")
    assert_refused(result, MISSING)
    assert "Enter the customer's mobile number" in result.reason


@pytest.mark.parametrize("number", ["abc", "n/a", "call after 5pm"])
def test_text_without_a_number_is_a_format_error(number):
    result = normalize(number, "PL")
    assert_refused(result)
    assert result.reason.startswith(f"'{number}' is not a phone number.")


def test_customer_country_wins_over_company_country():
    assert_accepted(normalize("601 234 567", "PL", "RU"), "+48601234567", "PL")
    assert_refused(normalize("8 916 123-45-67", "PL", "RU"))


@pytest.mark.parametrize("country", [None, False, "", "AQ"])
def test_company_country_reads_numbers_of_customers_without_a_usable_country(country):
    # False is what an empty Odoo field gives; AQ has no numbering plan of its own
    assert_accepted(normalize("8 916 123-45-67", country, "RU"), "+79161234567", "RU")


def test_country_codes_are_case_insensitive():
    assert_accepted(normalize("601 234 567", "pl"), "+48601234567", "PL")


@pytest.mark.parametrize(
    "number, country, words",
    [
        ("8 800 123-45-67", "RU", "is a toll-free number"),
        ("+44 901 234 5678", None, "is a premium-rate number"),
        ("+33 884 01 23 45", None, "is a shared-cost number"),
        ("+44 56 1234 5678", None, "is an internet (VoIP) number"),
        ("+44 76 4012 3456", None, "is not a mobile number"),  # a pager
    ],
)
def test_numbers_sms_cannot_reach_are_refused_with_their_kind(number, country, words):
    result = normalize(number, country)
    assert_refused(result)
    assert f"'{number}' {words}" in result.reason
    assert result.reason.endswith("Enter the customer's mobile number.")


def test_number_of_no_country_has_no_region():
    result = normalize("+800 1234 5678")
    assert_refused(result)
    assert result.region is None


def test_invalid_number_in_customer_country_blames_the_digits():
    result = normalize("601 234 56", "PL", "RU")
    assert_refused(result)
    assert "is not a valid phone number in PL, the customer's country" in result.reason


def test_invalid_number_in_company_country_suggests_setting_the_customer_country():
    result = normalize("601 234 56", None, "PL")
    assert_refused(result)
    assert "in PL, your company's country. Set the customer's country" in result.reason


def test_invalid_international_number_names_its_country_code():
    result = normalize("+48 601 234 56", "RU")
    assert_refused(result)
    assert "not a valid phone number for country code +48" in result.reason


@pytest.mark.parametrize("number", ["+999 123 4567", "00999 123 4567"])
def test_unknown_country_code_is_named_as_such(number):
    result = normalize(number, "RU")
    assert_refused(result)
    assert "unknown country code" in result.reason


def test_reason_goes_through_the_translate_callable_like_odoo_env_translation():
    calls = []

    def translate(source, **params):  # what env._ does: look up the source, then format it
        calls.append((source, params))
        return "[fr] " + source % params

    result = normalize("+7 495 123-45-67", translate=translate)
    assert calls == [
        (
            "'%(number)s' is a landline number: SMS cannot reach it. "
            "Enter the customer's mobile number.",
            {"number": "+7 495 123-45-67"},
        )
    ]
    assert result.reason.startswith("[fr] '+7 495 123-45-67' is a landline")


def test_result_cannot_be_altered_after_the_fact():
    with pytest.raises(dataclasses.FrozenInstanceError):
        normalize("601 234 567", "PL").e164 = "+48000000000"


SHORTCUT_SAMPLES = [
    "+48600000001",
    "+48 600 000 001",
    "+48-600-000-001",
    "+79161234567",
    "+7 916 123-45-67",
    "+77012345678",  # Kazakhstan under +7
    "+74951234567",  # Moscow landline
    "+447400123456",
    "+447700900123",  # UK drama range: invalid
    "+390612345678",  # Rome landline, Italian leading zero
    "+393123456789",
    "+12015550123",  # US fixed line or mobile
    "+80012345678",  # international freephone, no country
    "+9991234567",  # no such country code
    "+4860000000",  # one digit short
    "+48 600 000 001 2",
    "+1",
]


@pytest.mark.parametrize("number", SHORTCUT_SAMPLES)
def test_international_shortcut_agrees_with_the_full_parser(number, monkeypatch):
    """Numbers in international form skip the full parser when they are mobiles; whatever the
    shortcut answers must be what the parser answers."""
    from odoo.addons.sms_notify.tools import numbers  # noqa: PLC0415

    numbers._classify.cache_clear()
    with_shortcut = normalize(number, None, "PL")
    numbers._classify.cache_clear()
    monkeypatch.setattr(numbers, "_international_mobile", lambda raw: None)
    without_shortcut = normalize(number, None, "PL")
    numbers._classify.cache_clear()
    assert with_shortcut == without_shortcut


def _examples_of_every_type():
    """``(region, number)``: phonenumbers' example number of each type, for every country."""
    import phonenumbers  # noqa: PLC0415

    for region in phonenumbers.SUPPORTED_REGIONS:
        for number_type in range(12):
            example = phonenumbers.example_number_for_type(region, number_type)
            if example is not None:
                yield region, example


def _example_numbers_of_every_type():
    """For every country code, phonenumbers' example number of each type, and neighbours
    differing in the last digit: the shortcut must agree with the parser on all of them."""
    import phonenumbers  # noqa: PLC0415

    samples = set()
    for _region, example in _examples_of_every_type():
        e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
        samples.update(e164[:-1] + digit for digit in "0159")
    return sorted(samples)


def test_international_shortcut_agrees_with_the_parser_in_every_country(monkeypatch):
    from odoo.addons.sms_notify.tools import numbers  # noqa: PLC0415

    shortcuts = {
        number: numbers._international_mobile(number) for number in _example_numbers_of_every_type()
    }
    monkeypatch.setattr(numbers, "_international_mobile", lambda raw: None)
    disagreements = []
    for number, shortcut in shortcuts.items():
        if shortcut is None:
            continue  # the parser answers it anyway
        numbers._classify.cache_clear()
        full = normalize(number, None, None)
        if (full.e164, full.region) != shortcut[:2]:
            disagreements.append((number, shortcut[:2], (full.e164, full.region)))
    numbers._classify.cache_clear()
    assert not disagreements


def test_shortcut_takes_only_mobiles_in_international_form():
    from odoo.addons.sms_notify.tools.numbers import _international_mobile  # noqa: PLC0415

    assert _international_mobile("+48 600 000 001") == ("+48600000001", "PL", None, {})
    assert _international_mobile("+77012345678")[1] == "KZ"
    assert _international_mobile("+74951234567") is None  # a landline: the parser says why
    assert _international_mobile("+7 (916) 123-45-67") is None  # brackets: the parser reads it
    assert _international_mobile("89161234567") is None  # national form


def _national_forms_of_every_type():
    """For every country, phonenumbers' example number of each type written as its people
    write it (national format, with trunk prefix and brackets), as bare national digits, and
    neighbours differing in the last digit; each read in its own country and in Russia and
    Poland (a customer of another country keyed in by a shop there)."""
    import phonenumbers  # noqa: PLC0415

    samples = set()
    for region, example in _examples_of_every_type():
        national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
        for form in (national, str(example.national_number)):
            for last in "0159":
                for reader in {region, "RU", "PL"}:
                    samples.add((form[:-1] + last, reader))
    return sorted(samples)


def test_national_shortcut_agrees_with_the_parser_in_every_country(monkeypatch):
    """Numbers in national form skip the full parser when they are mobiles of a country whose
    numbers read simply; whatever the shortcut answers must be what the parser answers."""
    from odoo.addons.sms_notify.tools import numbers  # noqa: PLC0415

    samples = _national_forms_of_every_type()
    shortcuts = {sample: numbers._national_mobile(*sample) for sample in samples}
    taken = [sample for sample, shortcut in shortcuts.items() if shortcut]
    monkeypatch.setattr(numbers, "_international_mobile", lambda raw: None)
    disagreements = []
    for (number, region), shortcut in shortcuts.items():
        if shortcut is None:
            continue  # the parser answers it anyway
        numbers._classify.cache_clear()
        full = normalize(number, region, None)
        if (full.e164, full.region) != shortcut[:2]:
            disagreements.append((number, region, shortcut[:2], (full.e164, full.region)))
    numbers._classify.cache_clear()
    assert not disagreements
    # the shortcut must be worth having: most mobiles of most countries take it
    assert len(taken) > 1000


@pytest.mark.parametrize(
    ("number", "region", "expected"),
    [
        ("8 (912) 345-67-89", "RU", ("+79123456789", "RU")),
        ("912 345 67 89", "RU", ("+79123456789", "RU")),
        ("8 701 234 56 78", "RU", ("+77012345678", "KZ")),  # +7 7xx is Kazakh
        ("601 234 567", "PL", ("+48601234567", "PL")),
        ("601-234-567", "PL", ("+48601234567", "PL")),
        ("0151 23456789", "DE", ("+4915123456789", "DE")),
    ],
)
def test_national_shortcut_reads_mobiles_as_typed(number, region, expected):
    from odoo.addons.sms_notify.tools.numbers import _national_mobile  # noqa: PLC0415

    assert _national_mobile(number, region)[:2] == expected


@pytest.mark.parametrize(
    ("number", "region"),
    [
        ("8 495 123-45-67", "RU"),  # a Moscow landline: the parser says why
        ("8 10 48 601 234 567", "RU"),  # 810, Russia's international prefix
        ("7 912 345 67 89", "RU"),  # the country code without +
        ("0048 601 234 567", "PL"),  # 00, Poland's international prefix
        ("0 601 234 567", "PL"),  # the trunk zero Poland abolished
        ("07700 900123", "GB"),  # the UK reads its trunk prefix with another pattern
        ("8 912 345 67 89 доб. 12", "RU"),  # an extension
        ("601 234 567", None),  # no country to read it in
    ],
)
def test_national_shortcut_leaves_the_rest_to_the_parser(number, region):
    from odoo.addons.sms_notify.tools.numbers import _national_mobile  # noqa: PLC0415

    assert _national_mobile(number, region) is None
