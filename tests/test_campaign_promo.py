from odoo.addons.sms_notify.tools.tokens import compile_tokens, unrendered_reason
from odoo.addons.sms_notify_campaign_loyalty.tools import promo


def test_promotion_tokens_are_found_by_every_code():
    """Protects the aliases users type (Russian, Polish as JagatiqPOS writes them)."""
    assert promo.find(":Промокод: – :NazwaPromocji:") == {promo.PROMO_CODE, promo.PROMOTION_NAME}
    assert promo.find("Code :KodPromocyjny: at 10:30") == {promo.PROMO_CODE}
    assert promo.find(":FirstName:, see you at 20:00") == set()


def test_marked_text_passes_the_unrendered_text_check_and_fills_per_recipient():
    """Protects the order of a mailing's preparation: texts are checked before coupons exist,
    so a marked promotion token must not read as an unknown token, and every mark is filled."""
    text = "Hi :FirstName:! :PromotionName: – your code :PromoCode: (:Промокод:) until 20:00"
    marked = promo.mark(text.replace(":FirstName:", "Anna"))
    assert unrendered_reason(marked) is None
    assert promo.fill(marked, "044a-1b2c", "Spring sale") == (
        "Hi Anna! Spring sale – your code 044a-1b2c (044a-1b2c) until 20:00"
    )
    # a recipient without a coupon keeps no mark
    assert promo.fill(marked, False, "Spring sale") == (
        "Hi Anna! Spring sale – your code  () until 20:00"
    )


def test_other_tokens_stay_as_typed():
    """Protects the core's refusal of unknown tokens: marking must not swallow them."""
    assert promo.mark("Hi :Unknown: :PromoCode:") == "Hi :Unknown: " + promo.MARKS[promo.PROMO_CODE]
    assert promo.mark("") == ""
    assert promo.fill(None, "x", "y") is None


def test_all_codes_lists_every_alias_once():
    codes = promo.all_codes()
    assert set(codes) == {code for codes in promo.CODES.values() for code in codes}
    assert len(codes) == len(set(codes))


def test_a_jagatiq_promotion_text_is_shown_with_the_english_codes():
    """``<<kodPromocyjny>>`` and ``<<nazwaPromocji>>`` are the promotion's tokens, and a saved
    text shows them as ``:PromoCode:`` and ``:PromotionName:``."""
    text = "<<nazwaPromocji>>: kod <<kodPromocyjny>>"
    compiled = compile_tokens(text, [], keep=promo.shown_codes())
    assert compiled == ":PromotionName:: kod :PromoCode:"
    assert promo.find(compiled) == {promo.PROMO_CODE, promo.PROMOTION_NAME}
