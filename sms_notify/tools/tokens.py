# Pure Python: nothing here imports odoo, so the top-level tests/ can import it directly.
"""Turn message texts written with tokens, ``:FirstName:, your order :OrderNumber: is ready``,
into Odoo inline templates, ``{{ object.partner_id.sms_notify_first_name }}, ...``, and back.

Tokens are what the people who write the texts already know from other SMS services: a word
between colons, picked from a palette beside the text.  They compile to the placeholders of
Odoo's ``inline_template`` engine (``mail.render.mixin``), so templates, the composer and
automated actions render them as they render any Odoo placeholder.

A token's name starts with a letter (of any alphabet: codes may be Russian or Polish) followed
by letters, digits or underscores, so that times (``20:00``, ``10:30:45``) and ratios (``3:2``)
stay text.

Texts written for other services work as they were written: ``<<nrZamowienia>>`` (the Polish
shop tills' form) and ``[Дата]`` (the Russian booking services' form) are read as tokens too, and
shown back in the suite's own ``:Code:`` form once compiled. Square brackets are ordinary
punctuation as well, so ``[word]`` is a token only when a token has that code; ``<<word>>`` is
always meant as one, and an unknown one is refused like an unknown ``:word:``.

Odoo's inline templates have no way to write a literal ``{{``: everything from ``{{`` to the
next ``}}`` is evaluated.  A placeholder printing the braces (``{{ '{{' }}``) would render only
in Odoo's evaluated mode, which needs the template editor rights, and its restricted mode cannot
render it at all; so a text holding ``{{``, or a ``{`` right before a token (which compiles to
``{{{``), is refused with the reason instead.  A ``}}`` alone is harmless and stays text.
"""

import re
import unicodedata
from dataclasses import dataclass


def _(message):
    """Mark ``message`` for Odoo's translation export, which collects every ``_("...")`` call
    of an addon's Python files.  Nothing is translated here (this module must not import odoo):
    :func:`compile_tokens` hands the message to its ``translate`` argument, e.g. ``env._``.
    """
    return message


#: combining accents count as part of a name: some keyboards type "й" or "ę" as a letter
#: followed by an accent, and the token must still be recognised
_NAME = r"[^\W\d_][\w\u0300-\u036f]*"
TOKEN_PATTERN = re.compile(rf":(?P<code>{_NAME}):")
#: every form a token is typed in: ``:Code:``, ``<<Code>>``, ``[Code]``
_TYPED_PATTERN = re.compile(
    rf":(?P<colon>{_NAME}):|<<(?P<angle>{_NAME})>>|\[(?P<bracket>{_NAME})\]"
)
_CODE_PATTERN = re.compile(rf"{_NAME}\Z")
#: Odoo's own placeholder syntax (``odoo.tools.rendering_tools.INLINE_TEMPLATE_REGEX``)
_PLACEHOLDER_PATTERN = re.compile(r"\{\{(.+?)(\|\|\|\s*(.*?))?\}\}")

_UNKNOWN_TOKEN_REASON = _("Unknown token %(tokens)s. Pick tokens from the palette beside the text.")
_UNKNOWN_TOKENS_REASON = _(
    "Unknown tokens %(tokens)s. Pick tokens from the palette beside the text."
)
_DOUBLE_BRACES_REASON = _(
    "The text cannot contain two opening braces {{ in a row: messages read them as the start "
    "of a placeholder. Put a space between the braces."
)
_BRACE_BEFORE_TOKEN_REASON = _(
    "A brace right before a token (%(excerpt)s) reads as {{, the start of a placeholder. "
    "Put a space between the brace and the token."
)


class UnknownTokenError(ValueError):
    """The text holds tokens the list does not offer; ``tokens`` are their codes, in the order
    typed."""

    def __init__(self, message, tokens):
        super().__init__(message)
        self.tokens = tokens


class LiteralBracesError(ValueError):
    """The text holds braces that Odoo would read as the start of a placeholder."""


@dataclass(frozen=True)
class Token:
    """A token users may type between colons.

    ``code`` is how it is typed, and how compiled templates show it back; ``aliases`` are other
    codes accepted for it (in other languages, or older names).  ``expression`` is the Odoo
    placeholder expression it stands for, evaluated with ``object`` the record the message is
    about.  A plain field path (``object.partner_id.sms_notify_first_name``) renders empty when
    the field is, and is the only kind Odoo's restricted rendering mode accepts.
    ``label`` is the English description shown in the palette beside the text.
    """

    code: str
    expression: str
    label: str = ""
    aliases: tuple[str, ...] = ()

    def __post_init__(self):
        for code in self.codes:
            if not _CODE_PATTERN.match(code):
                raise ValueError(
                    f"Token code {code!r} must be a letter followed by letters, digits or "
                    "underscores."
                )
        expression = self.expression.strip()
        if not expression or "}}" in expression or "|||" in expression or "\n" in expression:
            raise ValueError(
                f"Token {self.code!r}: {self.expression!r} is not a single-line placeholder "
                "expression."
            )

    @property
    def codes(self):
        return (self.code, *self.aliases)


def _format(message, **params):
    return message % params if params else message


def _key(code):
    # a code typed with combining accents is the same code as its composed form
    return unicodedata.normalize("NFC", code)


def _by_code(tokens):
    by_code = {}
    for token in tokens:
        for code in token.codes:
            other = by_code.setdefault(_key(code), token)
            if other != token:
                raise ValueError(f"Code {code!r} is claimed by two tokens.")
    return by_code


def _typed_code(match):
    return match["colon"] or match["angle"] or match["bracket"]


def _typed_tokens(text, known=()):
    """The matches of tokens typed in ``text``: ``:Code:`` and ``<<Code>>`` always, ``[Code]``
    only for a code of ``known`` (keys made by :func:`_key`)."""
    for match in _TYPED_PATTERN.finditer(text or ""):
        if match["bracket"] is None or _key(match["bracket"]) in known:
            yield match


def find_tokens(text):
    """The codes typed as ``:Code:`` or ``<<Code>>`` in ``text``, each once, in the order they
    first appear (known or not)."""
    return list(dict.fromkeys(_typed_code(match) for match in _typed_tokens(text)))


def typed_tokens(text):
    """The tokens of :func:`find_tokens` as they were typed (``:Code:``, ``<<Code>>``), each
    once: what a user looks for in the text."""
    return list(dict.fromkeys(match.group() for match in _typed_tokens(text)))


def _check_braces(text, translate, known):
    """Refuse ``{{`` typed as text, or a ``{`` that would make one with the placeholder a token
    compiles to."""
    for match in _typed_tokens(text, known):
        if match.start() and text[match.start() - 1] == "{":
            excerpt = "{" + match.group()
            raise LiteralBracesError(translate(_BRACE_BEFORE_TOKEN_REASON, excerpt=excerpt))
    if "{{" in text:
        raise LiteralBracesError(translate(_DOUBLE_BRACES_REASON))


def compile_tokens(text, tokens, translate=None, keep=()):
    """Return ``text`` with each token of ``tokens`` (codes and aliases, case-sensitive) typed
    as ``:code:``, ``<<code>>`` or ``[code]`` replaced by its Odoo placeholder
    ``{{ expression }}``; everything else is left as typed.
    The codes of ``keep`` are known but not compiled: their values come later than Odoo's
    rendering (a promotion code made once the recipients who get the SMS are known). They are
    written ``:code:`` whatever their form; ``keep`` may map each code to the one to write.

    Raises :class:`UnknownTokenError` naming every ``:code:`` or ``<<code>>`` no token has, and
    :class:`LiteralBracesError` for braces Odoo would read as a placeholder.
    ``translate(message, **params)`` translates and formats the error messages; pass ``env._``
    from Odoo, the default leaves them in English.
    """
    translate = translate or _format
    text = text or ""
    by_code = _by_code(tokens)
    if not isinstance(keep, dict):
        keep = {code: code for code in keep}
    kept = {_key(code): shown for code, shown in keep.items()}
    known = by_code.keys() | kept.keys()
    unknown = {}
    for match in _typed_tokens(text, known):
        if _key(_typed_code(match)) not in known:
            unknown.setdefault(_typed_code(match), match.group())
    if unknown:
        message = _UNKNOWN_TOKEN_REASON if len(unknown) == 1 else _UNKNOWN_TOKENS_REASON
        named = ", ".join(unknown.values())
        raise UnknownTokenError(translate(message, tokens=named), list(unknown))
    _check_braces(text, translate, known)

    def placeholder(match):
        code = _key(_typed_code(match))
        if code in kept:
            return f":{kept[code]}:"
        return "{{ " + by_code[code].expression.strip() + " }}"

    parts, end = [], 0
    for match in _typed_tokens(text, known):
        parts += [text[end : match.start()], placeholder(match)]
        end = match.end()
    return "".join(parts) + text[end:]


def decompile(template, tokens):
    """Return ``template`` with each placeholder of one of ``tokens`` shown as that token's
    ``:code:``: the text its author typed, for templates :func:`compile_tokens` made.

    Placeholders of no token (written in Odoo's syntax by hand) are kept as they are.
    """
    by_expression = {}
    for token in tokens:
        by_expression.setdefault(token.expression.strip(), token)

    def token_code(match):
        token = None if match.group(2) else by_expression.get(match.group(1).strip())
        return f":{token.code}:" if token else match.group()

    return _PLACEHOLDER_PATTERN.sub(token_code, template or "")


#: why a text about to be sent is not a message (see :func:`unrendered_reason`)
EMPTY_TEXT = "empty"
UNKNOWN_TOKEN = "unknown_token"
UNRENDERED_PLACEHOLDER = "unrendered_placeholder"


def unrendered_reason(text):
    """Why ``text``, a message as it is about to be sent (placeholders already rendered), must
    not go, or ``None`` when it may.

    A customer must never receive nothing, a ``:Token:`` or ``<<Token>>`` no list offered, or Odoo's
    ``{{ ... }}`` syntax: rendering leaves a placeholder with no ``}}``, or one it could not
    evaluate, as typed. Times (``10:00``) and lone colons are text, as in
    :func:`compile_tokens`; a ``}}`` alone is text too."""
    text = text or ""
    if not text.strip():
        return EMPTY_TEXT
    if "{{" in text:
        return UNRENDERED_PLACEHOLDER
    if find_tokens(text):
        return UNKNOWN_TOKEN
    return None
