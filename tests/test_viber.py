"""What a Viber business message may hold, by the vendors' documented limits."""

import pytest

from odoo.addons.sms_notify.tools import viber

LINK = "https://optika.example/sale"
IMAGE = "https://optika.example/frames.png"


@pytest.mark.parametrize(
    ("parts", "layout"),
    [
        ({"text": "Your glasses are ready"}, viber.TEXT),
        ({"image_url": IMAGE}, viber.IMAGE),
        ({"text": "-20%", "button_text": "Shop", "button_url": LINK}, viber.TEXT_BUTTON),
        (
            {"text": "-20%", "image_url": IMAGE, "button_text": "Shop", "button_url": LINK},
            viber.TEXT_IMAGE_BUTTON,
        ),
    ],
)
def test_the_layouts_every_vendor_takes_go(parts, layout):
    assert viber.refusal(**parts) is None
    assert viber.layout(**parts) == layout


@pytest.mark.parametrize(
    ("parts", "code"),
    [
        ({}, viber.EMPTY),
        ({"text": "x" * 1001}, viber.TEXT_TOO_LONG),
        ({"text": "-20%", "button_text": "Shop"}, viber.BUTTON_WITHOUT_LINK),
        ({"text": "-20%", "button_url": LINK}, viber.LINK_WITHOUT_BUTTON),
        ({"text": "-20%", "button_text": "x" * 31, "button_url": LINK}, viber.BUTTON_TOO_LONG),
        ({"text": "-20%", "button_text": "Shop", "button_url": "optika"}, viber.NOT_A_LINK),
        ({"image_url": "ftp://optika.example/a.png"}, viber.NOT_A_LINK),
        ({"text": "-20%", "image_url": IMAGE}, viber.TEXT_WITH_IMAGE_NEEDS_BUTTON),
        ({"image_url": IMAGE, "button_text": "Shop", "button_url": LINK}, viber.BUTTON_NEEDS_TEXT),
    ],
)
def test_what_no_vendor_takes_is_refused_with_its_reason(parts, code):
    assert viber.refusal(**parts) == code


def test_the_limits_are_inclusive():
    assert viber.refusal(text="x" * 1000) is None
    assert viber.refusal(text="x", button_text="y" * 30, button_url=LINK) is None
