"""Tokens typed between colons become Odoo placeholders, and only tokens do: times, ratios and
braces stay what the user wrote, or are refused with the reason."""

import re

import pytest

from odoo.addons.sms_notify.tools.tokens import (
    EMPTY_TEXT,
    UNKNOWN_TOKEN,
    UNRENDERED_PLACEHOLDER,
    LiteralBracesError,
    Token,
    UnknownTokenError,
    compile_tokens,
    decompile,
    find_tokens,
    typed_tokens,
    unrendered_reason,
)

FIRST_NAME = Token(
    "FirstName",
    "object.partner_id.sms_notify_first_name",
    "Customer's first name",
    aliases=("Имя", "Imię"),
)
PATRONYMIC = Token(
    "Patronymic", "object.partner_id.sms_notify_patronymic", "Patronymic", aliases=("Отчество",)
)
ORDER_NUMBER = Token("OrderNumber", "object.name", "Order number", aliases=("ID", "Nr"))
SHOP_PHONE = Token("ShopPhone", "object.company_id.phone", "Shop's phone", aliases=("Tel",))
TOKENS = [FIRST_NAME, PATRONYMIC, ORDER_NUMBER, SHOP_PHONE]

FIRST = "{{ object.partner_id.sms_notify_first_name }}"
PATRONYMIC_PH = "{{ object.partner_id.sms_notify_patronymic }}"
ORDER = "{{ object.name }}"
PHONE = "{{ object.company_id.phone }}"


def test_tokens_become_placeholders_and_the_rest_stays_as_typed():
    text = ":FirstName:, your order :OrderNumber: is ready.  Call :ShopPhone:!"
    assert compile_tokens(text, TOKENS) == (f"{FIRST}, your order {ORDER} is ready.  Call {PHONE}!")


def test_russian_aliases_are_accepted():
    text = ":Имя: :Отчество:, заказ :ID: готов. Тел. :Tel:"
    assert compile_tokens(text, TOKENS) == (
        f"{FIRST} {PATRONYMIC_PH}, заказ {ORDER} готов. Тел. {PHONE}"
    )


def test_polish_alias_is_accepted():
    assert compile_tokens("Dzień dobry :Imię:, zamówienie :Nr: czeka.", TOKENS) == (
        f"Dzień dobry {FIRST}, zamówienie {ORDER} czeka."
    )


def test_alias_typed_with_a_combining_accent_is_recognised():
    # "Imię" with ę as e + U+0328 COMBINING OGONEK, as some keyboards type it
    assert compile_tokens(":Imie\u0328:", TOKENS) == FIRST


def test_the_same_token_twice_and_tokens_side_by_side():
    assert compile_tokens(":ID::ID: :ID:", TOKENS) == f"{ORDER}{ORDER} {ORDER}"
    assert compile_tokens("10:ID:", TOKENS) == f"10{ORDER}"


def test_codes_are_case_sensitive():
    with pytest.raises(UnknownTokenError) as error:
        compile_tokens(":firstname:", TOKENS)
    assert error.value.tokens == ["firstname"]


@pytest.mark.parametrize(
    "text",
    [
        "Open 10:00-20:00",
        "Pick-up from 10:30:45 on",
        "ratio 3:2:1",
        "Price: 100 zł : 2 people",
        "Tel.: +48 12 345 67 89",
        "See https://shop.example:8443/orders",
        "Two colons :: and one :",
        ":: :1: :_x:",
        "",
    ],
)
def test_times_ratios_and_lone_colons_are_text(text):
    assert find_tokens(text) == []
    assert compile_tokens(text, TOKENS) == text


def test_no_text_compiles_to_no_text():
    assert compile_tokens(None, TOKENS) == ""


def test_unknown_token_is_named():
    with pytest.raises(UnknownTokenError) as error:
        compile_tokens("Hello :Name:, order :ID:", TOKENS)
    assert str(error.value) == "Unknown token :Name:. Pick tokens from the palette beside the text."
    assert error.value.tokens == ["Name"]
    assert isinstance(error.value, ValueError)


def test_every_unknown_token_is_named_at_once():
    with pytest.raises(UnknownTokenError) as error:
        compile_tokens(":Foo: :FirstName: :Bar: :Foo: :Уваж:", TOKENS)
    assert str(error.value) == (
        "Unknown tokens :Foo:, :Bar:, :Уваж:. Pick tokens from the palette beside the text."
    )
    assert error.value.tokens == ["Foo", "Bar", "Уваж"]


def test_messages_go_through_translate():
    calls = []

    def translate(message, **params):
        calls.append((message, params))
        return "translated"

    with pytest.raises(UnknownTokenError, match="^translated$"):
        compile_tokens(":Foo:", TOKENS, translate=translate)
    assert calls == [
        (
            "Unknown token %(tokens)s. Pick tokens from the palette beside the text.",
            {"tokens": ":Foo:"},
        )
    ]


@pytest.mark.parametrize("text", ["Use {{ object.name }}", "{{", "Sale {{{ -50% }}}"])
def test_double_opening_braces_are_refused(text):
    # Odoo's inline templates have no escape for {{: it would evaluate what follows
    with pytest.raises(LiteralBracesError, match="two opening braces"):
        compile_tokens(text, TOKENS)


def test_brace_right_before_a_token_is_refused_naming_it():
    with pytest.raises(LiteralBracesError) as error:
        compile_tokens("Hi {:FirstName:}", TOKENS)
    assert str(error.value) == (
        "A brace right before a token ({:FirstName:) reads as {{, the start of a placeholder. "
        "Put a space between the brace and the token."
    )


@pytest.mark.parametrize(
    "text, template",
    [
        ("Set {a} and {b}", "Set {a} and {b}"),
        ("{ :FirstName: }", "{ " + FIRST + " }"),
        (":FirstName:}", FIRST + "}"),
        ("Done }} :OrderNumber:", "Done }} " + ORDER),
    ],
)
def test_single_braces_and_closing_braces_stay_text(text, template):
    assert compile_tokens(text, TOKENS) == template
    assert decompile(template, TOKENS) == text


@pytest.mark.parametrize(
    "text",
    [
        ":FirstName:, your order :OrderNumber: is ready. :ShopPhone:",
        "Open 10:00-20:00 :OrderNumber::ShopPhone: ratio 3:2:1",
        ":Patronymic:X: 10::FirstName:",
        "Set {a} }} and { :OrderNumber: }",
        "No tokens at all",
        "",
    ],
)
def test_decompile_gives_back_the_text_typed(text):
    assert decompile(compile_tokens(text, TOKENS), TOKENS) == text


def test_decompile_shows_aliases_as_the_token_code():
    template = compile_tokens(":Имя:, заказ :ID:", TOKENS)
    assert decompile(template, TOKENS) == ":FirstName:, заказ :OrderNumber:"
    assert compile_tokens(decompile(template, TOKENS), TOKENS) == template


def test_decompile_keeps_placeholders_of_no_token():
    template = "Dear {{ object.partner_id.name }}, {{ object.name ||| no order }} {{object.name}}"
    assert decompile(template, TOKENS) == (
        "Dear {{ object.partner_id.name }}, {{ object.name ||| no order }} :OrderNumber:"
    )


def test_find_tokens_lists_codes_once_in_order_known_or_not():
    text = ":ID: at 10:30 :Имя: :Foo: :ID: :Имя: ratio 3:2 :Tel:"
    assert find_tokens(text) == ["ID", "Имя", "Foo", "Tel"]
    assert find_tokens(None) == []


@pytest.mark.parametrize("code", ["", "1st", "_x", "First Name", "Имя:", "a-b"])
def test_token_code_must_be_a_name(code):
    with pytest.raises(ValueError, match="must be a letter"):
        Token(code, "object.name")


@pytest.mark.parametrize("expression", ["", "  ", "object.name }}", "a ||| b", "a\nb"])
def test_token_expression_must_be_one_placeholder_expression(expression):
    with pytest.raises(ValueError, match="placeholder expression"):
        Token("Code", expression)


def test_two_tokens_cannot_claim_one_code():
    twin = Token("OrderRef", "object.client_order_ref", aliases=("ID",))
    with pytest.raises(ValueError, match="'ID' is claimed by two tokens"):
        compile_tokens(":ID:", [ORDER_NUMBER, twin])


def test_token_lists_its_codes():
    assert FIRST_NAME.codes == ("FirstName", "Имя", "Imię")
    assert FIRST_NAME.label == "Customer's first name"


#: odoo.tools.rendering_tools.INLINE_TEMPLATE_REGEX, how Odoo finds placeholders
ODOO_PLACEHOLDER = re.compile(r"\{\{(.+?)(\|\|\|\s*(.*?))?\}\}")


@pytest.mark.parametrize(
    "text, expressions",
    [
        (
            "{ :FirstName: } }} :ID:}}} 10:00 {a}",
            ["object.partner_id.sms_notify_first_name", "object.name"],
        ),
        (":Имя::Tel:}", ["object.partner_id.sms_notify_first_name", "object.company_id.phone"]),
    ],
)
def test_odoo_reads_exactly_the_placeholders_of_the_tokens(text, expressions):
    template = compile_tokens(text, TOKENS)
    assert [match[1].strip() for match in ODOO_PLACEHOLDER.finditer(template)] == expressions


# --------------------------------------------------------------------------------------------
# What must not be sent: nothing, or a text its placeholders or tokens did not fill in
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t \n"])
def test_no_text_or_only_spaces_is_not_a_message(text):
    assert unrendered_reason(text) == EMPTY_TEXT


@pytest.mark.parametrize(
    "text",
    [
        "Anna, your order :OrderNumber: is ready",
        ":Имя:, ваш заказ готов",
        "Ready. :ShopName:",
    ],
)
def test_a_token_left_in_the_text_is_refused(text):
    assert unrendered_reason(text) == UNKNOWN_TOKEN


@pytest.mark.parametrize(
    "text",
    [
        "Dear {{ object.name }}, ready",
        "Dear {{ object.name, ready",
        "Dear {{",
        "{{object.partner_id.name}}",
    ],
)
def test_a_placeholder_left_in_the_text_is_refused(text):
    assert unrendered_reason(text) == UNRENDERED_PLACEHOLDER


@pytest.mark.parametrize(
    "text",
    [
        "Anna, your glasses are ready. Open 10:00-19:00, ratio 3:2.",
        "Note: collect them today",
        "Pickup at 10:30:45 }} {single braces}",
        "STOP SMS: https://example.com/sms/1/abc",
    ],
)
def test_a_rendered_text_may_go(text):
    assert unrendered_reason(text) is None


def test_kept_codes_stay_as_typed_and_are_not_unknown():
    """A promotion code is filled in after Odoo's rendering: its token passes compilation as
    typed, while a code neither known nor kept is still refused."""
    text = ":FirstName:, your code :PromoCode: (:Промокод:)"
    assert compile_tokens(text, TOKENS, keep=("PromoCode", "Промокод")) == (
        f"{FIRST}, your code :PromoCode: (:Промокод:)"
    )
    with pytest.raises(UnknownTokenError) as error:
        compile_tokens(text + " :Other:", TOKENS, keep=("PromoCode", "Промокод"))
    assert error.value.tokens == ["Other"]


def test_tokens_of_other_services_are_read_in_their_own_forms():
    """Texts pasted from a Polish shop till (``<<nrZamowienia>>``) or a Russian booking
    service (``[Дата]``) compile like the suite's own ``:Code:`` form."""
    jagatiq = Token("OrderNumber", "object.name", "Order number", aliases=("nrZamowienia",))
    text = "Zamówienie <<nrZamowienia>> gotowe, [Имя]! Tel. [Tel]"
    assert compile_tokens(text, [*TOKENS[:2], jagatiq, SHOP_PHONE]) == (
        f"Zamówienie {ORDER} gotowe, {FIRST}! Tel. {PHONE}"
    )


def test_compiled_text_is_shown_back_in_the_suites_own_form():
    text = "<<Имя>>, заказ [ID] готов. :Tel:"
    assert decompile(compile_tokens(text, TOKENS), TOKENS) == (
        ":FirstName:, заказ :OrderNumber: готов. :ShopPhone:"
    )


def test_square_brackets_around_other_words_stay_text():
    """Brackets are punctuation too: ``[sale]`` or ``[1]`` is no token and no error."""
    text = "[sale] -20% [1] [FirstName]"
    assert compile_tokens(text, TOKENS) == f"[sale] -20% [1] {FIRST}"
    assert find_tokens(text) == []


def test_unknown_angle_token_is_refused_as_typed():
    with pytest.raises(UnknownTokenError) as error:
        compile_tokens("<<czasRealizacji>> and :Other:", TOKENS)
    assert error.value.tokens == ["czasRealizacji", "Other"]
    assert "<<czasRealizacji>>, :Other:" in str(error.value)


def test_a_brace_before_an_angle_or_bracket_token_is_refused():
    for text in ("{<<Имя>>", "{[Имя]"):
        with pytest.raises(LiteralBracesError):
            compile_tokens(text, TOKENS)
    assert compile_tokens("{[word]", TOKENS) == "{[word]"


def test_kept_codes_in_any_form_are_written_in_the_colon_form():
    """A promotion code typed ``<<kodPromocyjny>>`` reaches the code filling as the kept
    token it is, under the code ``keep`` maps it to."""
    keep = {"PromoCode": "PromoCode", "kodPromocyjny": "PromoCode"}
    assert compile_tokens("Kod: <<kodPromocyjny>> [PromoCode]", TOKENS, keep=keep) == (
        "Kod: :PromoCode: :PromoCode:"
    )


def test_an_angle_token_left_in_a_text_is_refused_and_named_as_typed():
    text = "Order <<nrZamowienia>> is ready [ok]"
    assert unrendered_reason(text) == UNKNOWN_TOKEN
    assert typed_tokens(text) == ["<<nrZamowienia>>"]
    assert unrendered_reason("Sale [ok] << 50% >>") is None
