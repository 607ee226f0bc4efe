# Pure Python: nothing here imports odoo, so the top-level tests/ can import it directly.
"""What a Viber business message may hold: a text of up to 1,000 characters, an image, and a
button (a caption and the link it opens), in the layouts every vendor takes.

Sources:

* text up to 1,000 characters, button caption up to 30: Vonage's Messages API models
  (Vonage/vonage-python-sdk, ``messages/src/vonage_messages/models/viber.py``: ``text``
  ``max_length=1000``, ``ViberAction.text`` ``max_length=30``); Sinch and Routee say the same;
* a button needs both its caption and its link: Rapporto's Viber API ("If the text of the
  button is passed, then the link for the button must also be passed (and vice versa)",
  doc.rapporto.ru/api/eng/smpp_eng/eng_smpp_viber.html);
* the layouts: text; image; text and button; text, image and button (Rapporto's list, which
  Routee and seven.tech give too; Routee refuses an image with a button and no text).

:func:`refusal` answers a code the caller words for the user, as ``consent`` does.
"""

from urllib.parse import urlsplit

MAX_TEXT = 1000
MAX_BUTTON_TEXT = 30

#: layouts (what the vendors call the message type)
TEXT = "text"
IMAGE = "image"
TEXT_BUTTON = "text_button"
TEXT_IMAGE_BUTTON = "text_image_button"

#: refusal codes
EMPTY = "empty"
TEXT_TOO_LONG = "text_too_long"
BUTTON_TOO_LONG = "button_too_long"
BUTTON_WITHOUT_LINK = "button_without_link"
LINK_WITHOUT_BUTTON = "link_without_button"
NOT_A_LINK = "not_a_link"
TEXT_WITH_IMAGE_NEEDS_BUTTON = "text_with_image_needs_button"
BUTTON_NEEDS_TEXT = "button_needs_text"


def _is_link(value):
    parts = urlsplit(value or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def layout(text=None, image_url=None, button_text=None, button_url=None):
    """The layout of a message with these parts, or ``None`` when no vendor takes it (see
    :func:`refusal` for why)."""
    has_text, has_image, has_button = bool(text), bool(image_url), bool(button_text)
    return {
        (True, False, False): TEXT,
        (False, True, False): IMAGE,
        (True, False, True): TEXT_BUTTON,
        (True, True, True): TEXT_IMAGE_BUTTON,
    }.get((has_text, has_image, has_button))


def refusal(text=None, image_url=None, button_text=None, button_url=None):
    """Why a Viber message with these parts cannot go, as a code, or ``None`` when it can."""
    if not (text or image_url):
        return EMPTY
    if text and len(text) > MAX_TEXT:
        return TEXT_TOO_LONG
    if bool(button_text) != bool(button_url):
        return BUTTON_WITHOUT_LINK if button_text else LINK_WITHOUT_BUTTON
    if button_text and len(button_text) > MAX_BUTTON_TEXT:
        return BUTTON_TOO_LONG
    if any(value and not _is_link(value) for value in (image_url, button_url)):
        return NOT_A_LINK
    if layout(text, image_url, button_text, button_url) is None:
        return BUTTON_NEEDS_TEXT if button_text else TEXT_WITH_IMAGE_NEEDS_BUTTON
    return None
