"""Turn a phone number as typed by a user into the E.164 form SMS centres expect.

A number is only worth sending to when it exists and can receive SMS, so normalising also
refuses, with a reason the user can act on, numbers that are malformed, that belong to no
country, or that are landlines and other types an SMS cannot reach.

Parsing, validity and number types come from ``phonenumbers`` (Google's libphonenumber
metadata), which already understands the local habits of each country given as default region:
for Russia the ``8`` trunk prefix (8 916 ... is +7 916 ...) and ``810`` as international prefix,
``00`` wherever it is the international prefix, and spaces, dashes, brackets and dots.  Added
here, only when phonenumbers finds no valid number otherwise: ``00`` where the default region's
international prefix is something else (Russia's is ``810``), because people type it anyway,
and the trunk ``0`` Poland abolished but people still write.

The ``+7`` country code is shared by Russia and Kazakhstan, so ``region`` is read from the
number itself (``+7 7xx`` numbers are Kazakh), never assumed from the default region.
"""

import functools
import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import CountryCodeSource, NumberParseException, PhoneMetadata, PhoneNumberType
from phonenumbers.phonenumberutil import _is_number_matching_desc


def _(message):
    """Mark ``message`` for Odoo's translation export, which collects every ``_("...")`` call
    of an addon's Python files.  Nothing is translated here (this module must not import odoo):
    ``normalize`` hands the message to its ``translate`` argument, e.g. ``env._``.
    """
    return message


MISSING = "sms_number_missing"
FORMAT = "sms_number_format"

#: Number types an SMS can reach.  ``FIXED_LINE_OR_MOBILE`` is what phonenumbers answers where
#: mobile and fixed numbers share the same ranges (the US, Canada, China...): refusing it would
#: refuse every mobile of those countries.
SMS_NUMBER_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})

#: Why other number types are refused.  VoIP is refused too: most VoIP ranges are voice only, and
#: an SMS sent to one is often lost without any delivery error, so the customer would silently
#: get nothing; asking for a mobile number up front is the safer outcome.
_TYPE_REASONS = {
    PhoneNumberType.FIXED_LINE: _(
        "'%(number)s' is a landline number: SMS cannot reach it. "
        "Enter the customer's mobile number."
    ),
    PhoneNumberType.TOLL_FREE: _(
        "'%(number)s' is a toll-free number: SMS cannot reach it. "
        "Enter the customer's mobile number."
    ),
    PhoneNumberType.PREMIUM_RATE: _(
        "'%(number)s' is a premium-rate number: SMS cannot reach it. "
        "Enter the customer's mobile number."
    ),
    PhoneNumberType.SHARED_COST: _(
        "'%(number)s' is a shared-cost number: SMS cannot reach it. "
        "Enter the customer's mobile number."
    ),
    PhoneNumberType.VOIP: _(
        "'%(number)s' is an internet (VoIP) number: most of them cannot receive SMS. "
        "Enter the customer's mobile number."
    ),
}
#: pagers, personal (call forwarding) numbers, company switchboards, voicemail access
_OTHER_TYPE_REASON = _(
    "'%(number)s' is not a mobile number: SMS cannot reach it. Enter the customer's mobile number."
)

_MISSING_REASON = _("There is no phone number. Enter the customer's mobile number.")
_NOT_A_NUMBER_REASON = _(
    "'%(number)s' is not a phone number. "
    "Enter the customer's mobile number in digits, starting with + and the country code."
)
_NO_COUNTRY_REASON = _(
    "'%(number)s' has no country code, and neither the customer nor your company has a country "
    "to read it in. Enter the number in international format (+ and the country code) or set "
    "the customer's country."
)
_UNKNOWN_COUNTRY_CODE_REASON = _(
    "'%(number)s' starts with an unknown country code. Check the digits after the + or the 00."
)
_INVALID_IN_CUSTOMER_COUNTRY_REASON = _(
    "'%(number)s' is not a valid phone number in %(country)s, the customer's country. Check the "
    "digits, or enter the number in international format (+ and the country code)."
)
_INVALID_IN_COMPANY_COUNTRY_REASON = _(
    "'%(number)s' is not a valid phone number in %(country)s, your company's country. Set the "
    "customer's country, or enter the number in international format (+ and the country code)."
)
_INVALID_INTERNATIONAL_REASON = _(
    "'%(number)s' is not a valid phone number for country code +%(country_code)s. Check the digits."
)


@dataclass(frozen=True)
class NormalizedNumber:
    """Outcome of :func:`normalize`.

    Exactly one of ``e164`` and ``failure_type`` is set.  ``failure_type`` is one of the
    ``sms.sms`` failure types (``sms_number_missing``, ``sms_number_format``) so that it can be
    stored as is; ``reason`` tells the user what is wrong and what to do.  ``region`` is the ISO
    code of the country of a valid number (also of a refused landline); a number of no
    country (+800 ...) or an invalid one has none.
    """

    e164: str | None = None
    failure_type: str | None = None
    reason: str | None = None
    region: str | None = None

    @property
    def ok(self):
        return self.e164 is not None


#: Countries that dropped their trunk prefix 0 but where people still type it out of habit:
#: Poland in 2005 (0 601 234 567 for 601 234 567).  No number there starts with 0 any more, so
#: a leading 0 can only be that old prefix.
_OLD_TRUNK_ZERO_REGIONS = frozenset({"PL"})


def _format(message, **params):
    return message % params if params else message


def _known_region(country_code):
    """ISO code in the form phonenumbers knows, or None (unset, ``False`` from an empty Odoo
    field, or a country without numbering metadata)."""
    region = (country_code or "").strip().upper()
    return region if region in phonenumbers.SUPPORTED_REGIONS else None


def _parse(raw, region):
    try:
        return phonenumbers.parse(raw, region, keep_raw_input=True), None
    except NumberParseException as error:
        return None, error


def normalize(number, country_code=None, company_country_code=None, translate=None):
    """Return a :class:`NormalizedNumber` for ``number`` as typed by a user.

    Numbers without an international prefix are read in the customer's country
    (``country_code``), else in the company's (``company_country_code``), both ISO codes.
    ``translate(message, **params)`` translates and formats the reason; pass ``env._`` from
    Odoo, the default leaves it in English.
    """
    translate = translate or _format
    raw = str(number).strip() if number else ""
    if not raw:
        return NormalizedNumber(failure_type=MISSING, reason=translate(_MISSING_REASON))
    customer_region = _known_region(country_code)
    default_region = customer_region or _known_region(company_country_code)
    e164, region, refusal, params = _classify(
        raw, default_region, default_region == customer_region
    )
    if e164:
        return NormalizedNumber(e164=e164, region=region)
    reason = translate(refusal, number=raw, **params)
    return NormalizedNumber(failure_type=FORMAT, reason=reason, region=region)


@functools.lru_cache(maxsize=65536)
def _classify(raw, default_region, in_customer_region):
    """``(e164, region, refusal, params)`` for ``raw`` read in ``default_region``.

    Cached: a mailing or the queue meets the same numbers again and again, and parsing and
    typing one costs about a tenth of a millisecond."""
    mobile = _international_mobile(raw) or _national_mobile(raw, default_region)
    if mobile:
        return mobile
    numobj, error = _parse(raw, default_region)
    valid = bool(numobj and phonenumbers.is_valid_number(numobj))
    if not valid:
        if raw.startswith("00"):
            # 00 is the international prefix of most of the world, but not of the default
            # region (or there is none): read it as a + rather than as national digits.
            numobj, error = _parse("+" + raw[2:], None)
        elif raw.startswith("0") and default_region in _OLD_TRUNK_ZERO_REGIONS:
            numobj, error = _parse(raw[1:], default_region)
        valid = bool(numobj and phonenumbers.is_valid_number(numobj))

    if numobj is None:
        if error.error_type != NumberParseException.INVALID_COUNTRY_CODE:
            return None, None, _NOT_A_NUMBER_REASON, {}
        if raw.startswith(("+", "00")):
            return None, None, _UNKNOWN_COUNTRY_CODE_REASON, {}
        return None, None, _NO_COUNTRY_REASON, {}

    if not valid:
        if numobj.country_code_source != CountryCodeSource.FROM_DEFAULT_COUNTRY:
            return None, None, _INVALID_INTERNATIONAL_REASON, {"country_code": numobj.country_code}
        if in_customer_region:
            return None, None, _INVALID_IN_CUSTOMER_COUNTRY_REASON, {"country": default_region}
        return None, None, _INVALID_IN_COMPANY_COUNTRY_REASON, {"country": default_region}

    region = phonenumbers.region_code_for_number(numobj)
    # numbers of no country (+800 ...) get the pseudo-region "001"
    region = region if region in phonenumbers.SUPPORTED_REGIONS else None
    number_type = phonenumbers.number_type(numobj)
    if number_type not in SMS_NUMBER_TYPES:
        return None, region, _TYPE_REASONS.get(number_type, _OTHER_TYPE_REASON), {}
    e164 = phonenumbers.format_number(numobj, phonenumbers.PhoneNumberFormat.E164)
    return e164, region, None, {}


_INTERNATIONAL_CHARS = frozenset("+0123456789 -")


def _international_mobile(raw):
    """``(e164, region, None, {})`` when ``raw`` is ``+``, a country code and a mobile number,
    written with digits, spaces and dashes only; ``None`` otherwise.

    The common case (numbers stored in E.164, as every queued SMS is), checked without the
    full parser: a third of the time. Anything else, including every refusal, goes through
    the full parser for its precise reason."""
    if not raw.startswith("+") or not _INTERNATIONAL_CHARS.issuperset(raw):
        return None
    digits = raw[1:].replace(" ", "").replace("-", "")
    if not digits.isdigit() or not 7 <= len(digits) <= 15:
        return None
    for size in (1, 2, 3):
        country_code = int(digits[:size])
        if country_code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return None
    national = digits[size:]
    if not national or national.startswith("0"):
        # Italian-style leading zeros need the parser's bookkeeping
        return None
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE[country_code]
    if len(regions) == 1:
        region = regions[0]
    else:
        # a country code shared by several countries (+7: Russia and Kazakhstan, +1): the
        # number's own digits tell whose it is
        region = phonenumbers.region_code_for_number(
            phonenumbers.PhoneNumber(country_code=country_code, national_number=int(national))
        )
        if region is None:
            return None
    # the country's mobile ranges alone decide, one pattern instead of the dozen number_type
    # tries (the test suite holds this to the parser's answers)
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    if metadata is None or not _is_number_matching_desc(national, metadata.mobile):
        return None
    region = region if region in phonenumbers.SUPPORTED_REGIONS else None
    return f"+{country_code}{national}", region, None, {}


#: what people write between the digits of a number in national form
_NATIONAL_SEPARATORS = str.maketrans("", "", " -().")


@functools.cache
def _national_reading(region):
    """``(country code, trunk prefix, international prefix pattern)`` of ``region`` when its
    national numbers read simply (a trunk prefix the parser strips as it is, nothing
    rewritten); ``None`` otherwise (Argentina, Brazil, Belarus, the UK...)."""
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.national_prefix_transform_rule:
        return None
    prefix = metadata.national_prefix or ""
    if (metadata.national_prefix_for_parsing or "") != prefix:
        return None
    idd = re.compile(metadata.international_prefix) if metadata.international_prefix else None
    return str(metadata.country_code), prefix, idd


def _national_mobile(raw, region):
    """``(e164, region, None, {})`` when ``raw`` is a mobile number of ``region`` written in
    national form (8 (912) 345-67-89 in Russia, 601 234 567 in Poland), with digits,
    spaces, dashes, brackets and dots only; ``None`` otherwise.

    What most customer records hold, checked without the full parser: a quarter of its
    time, which a first summary of 100,000 customers spends on every number. Whatever could
    read otherwise (an international prefix, the country code written without +, a trunk
    prefix left out where the digits do not make a mobile) goes through the full parser,
    and the test suite holds this to the parser's answers in every country."""
    if region is None or raw.startswith("+"):
        return None
    reading = _national_reading(region)
    if reading is None:
        return None
    country_code, prefix, idd = reading
    digits = raw.translate(_NATIONAL_SEPARATORS)
    if not digits.isdigit() or not digits.isascii():
        return None
    if (idd and idd.match(digits)) or digits.startswith(country_code):
        return None
    if prefix and digits.startswith(prefix):
        digits = digits[len(prefix) :]
    return _international_mobile(f"+{country_code}{digits}")
