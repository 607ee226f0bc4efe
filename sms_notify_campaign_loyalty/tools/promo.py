"""The promotion tokens of a mailing's text: ``:PromoCode:``, the code of the coupon each
recipient gets, and ``:PromotionName:``, the promotion's name.

Odoo renders a mailing's text for all its recipients before it decides which of them are
skipped (no number, duplicate, blacklist, opt-out), and a coupon is made only for a recipient
who is sent the SMS, once that is decided. So these tokens are not compiled into Odoo
placeholders: they go through Odoo's rendering as typed, each is then replaced by a mark, and
the mark by the recipient's code once the coupons exist. The marks are characters of
Unicode's private use area: nobody types them, and no check of a text (unknown token,
placeholder left) mistakes them for anything.
"""

import unicodedata

from ...sms_notify.tools.tokens import TOKEN_PATTERN

PROMO_CODE = "PromoCode"
PROMOTION_NAME = "PromotionName"
#: the codes each token is typed with: its English code first, then its Russian and Polish
#: aliases (the card-code aliases of the loyalty bridge, and the Polish words shop tills use,
#: spelt as JagatiqPOS writes them: ``<<kodPromocyjny>>``, ``<<nazwaPromocji>>``)
CODES = {
    PROMO_CODE: ("PromoCode", "Промокод", "KodPromocyjny", "kodPromocyjny", "KodRabatowy"),
    PROMOTION_NAME: ("PromotionName", "Акция", "НазваниеАкции", "NazwaPromocji", "nazwaPromocji"),
}
MARKS = {PROMO_CODE: "\ue000", PROMOTION_NAME: "\ue001"}

_TOKEN_OF_CODE = {
    unicodedata.normalize("NFC", code): token for token, codes in CODES.items() for code in codes
}


def all_codes():
    """Every code the promotion tokens are typed with, aliases included."""
    return tuple(code for codes in CODES.values() for code in codes)


def shown_codes():
    """Every code of :func:`all_codes`, mapped to the English code a saved text shows."""
    return {code: codes[0] for codes in CODES.values() for code in codes}


def _token(match):
    return _TOKEN_OF_CODE.get(unicodedata.normalize("NFC", match["code"]))


def find(text):
    """The promotion tokens (``PROMO_CODE``, ``PROMOTION_NAME``) ``text`` uses, by any of
    their codes."""
    return {token for match in TOKEN_PATTERN.finditer(text or "") if (token := _token(match))}


def mark(text):
    """``text`` with each promotion token replaced by its mark; other tokens stay as typed."""
    if not text:
        return text
    return TOKEN_PATTERN.sub(
        lambda match: MARKS[token] if (token := _token(match)) else match.group(), text
    )


def fill(text, code, name):
    """``text`` with the marks of :func:`mark` replaced by ``code`` and ``name`` (empty for a
    recipient who gets no coupon)."""
    if not text:
        return text
    return text.replace(MARKS[PROMO_CODE], code or "").replace(MARKS[PROMOTION_NAME], name or "")
