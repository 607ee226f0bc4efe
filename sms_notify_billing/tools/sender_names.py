# Pure Python: nothing here imports odoo, so the top-level tests/ can import it directly.
"""Check an alphanumeric sender name before a business asks mobile operators to register it.

The sender of an SMS travels in the originator address, whose alphanumeric form holds at most
11 GSM-7 characters; operators go further and register only Latin letters, digits and the
underscore, with at least one letter (a name of digits alone reads as a phone number), because
phones of every make must show the name the same way.  A name outside these rules is refused by
the operators weeks after it was submitted, so it is refused here, with every reason at once.

Cyrillic letters get a reason of their own: several of them look exactly like Latin ones
(А, В, Е, К, М, Н, О, Р, С, Т, Х), so a name typed on a Russian keyboard layout can look right
and still be refused.
"""

import string
import unicodedata


def _(message):
    """Mark ``message`` for Odoo's translation export, which collects every ``_("...")`` call
    of an addon's Python files.  Nothing is translated here (this module must not import odoo):
    :func:`check_alpha_sender` hands the message to its ``translate`` argument, e.g. ``env._``.
    """
    return message


#: what the originator address of an SMS holds
MAX_LENGTH = 11
ALLOWED_CHARACTERS = frozenset(string.ascii_letters + string.digits + "_")
LATIN_LETTERS = frozenset(string.ascii_letters)

_EMPTY_REASON = _("Enter the sender name.")
_SPACES_REASON = _(
    "The sender name must have no spaces: join the words or link them with an underscore, "
    "e.g. %(example)s."
)
_CYRILLIC_REASON = _(
    "The sender name contains Cyrillic letters (%(characters)s): operators register Latin "
    "letters only. Retype them with a Latin keyboard layout."
)
_FORBIDDEN_REASON = _(
    "The sender name may hold only Latin letters (A-Z), digits and the underscore, not "
    "%(characters)s."
)
_NO_LETTER_REASON = _(
    "The sender name must contain at least one Latin letter: operators do not register names "
    "made of digits and underscores only."
)
_TOO_LONG_REASON = _(
    "The sender name has %(length)s characters: operators accept at most %(max_length)s."
)


def _format(message, **params):
    return message % params if params else message


def _is_cyrillic(character):
    return unicodedata.name(character, "").startswith("CYRILLIC")


def _quoted(characters):
    """Each distinct character once, in the order typed, quoted so that punctuation and
    invisible characters can be told apart."""
    return ", ".join(repr(character) for character in dict.fromkeys(characters))


def check_alpha_sender(name, translate=None):
    """Return why operators would refuse ``name`` as an alphanumeric sender name: a list of
    messages for the user, empty when the name can be registered.

    ``translate(message, **params)`` translates and formats each message; pass ``env._`` from
    Odoo, the default leaves them in English.
    """
    translate = translate or _format
    name = name or ""
    if not name.strip():
        return [translate(_EMPTY_REASON)]
    reasons = []
    if any(character.isspace() for character in name):
        reasons.append(translate(_SPACES_REASON, example=repr("_".join(name.split()))))
    cyrillic = [character for character in name if _is_cyrillic(character)]
    if cyrillic:
        reasons.append(translate(_CYRILLIC_REASON, characters=_quoted(cyrillic)))
    forbidden = [
        character
        for character in name
        if character not in ALLOWED_CHARACTERS
        and not character.isspace()
        and not _is_cyrillic(character)
    ]
    if forbidden:
        reasons.append(translate(_FORBIDDEN_REASON, characters=_quoted(forbidden)))
    if not LATIN_LETTERS.intersection(name):
        reasons.append(translate(_NO_LETTER_REASON))
    if len(name) > MAX_LENGTH:
        reasons.append(translate(_TOO_LONG_REASON, length=len(name), max_length=MAX_LENGTH))
    return reasons
