"""Every addon that is translated ships the template its translations start from.

Translators and Weblate-like tools start a language from ``<addon>/i18n/<addon>.pot``; without
it a new language means exporting the terms from a running database by hand. `make pot`
(scripts/export_pot.py) writes the templates with Odoo's exporter.
"""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TRANSLATED = sorted(
    path.parent.name for path in REPO.glob("*/__manifest__.py") if (path.parent / "i18n").is_dir()
)


def test_translated_addons_are_found():
    assert "sms_notify" in TRANSLATED


@pytest.mark.parametrize("addon", TRANSLATED)
def test_translated_addon_has_its_template(addon):
    template = REPO / addon / "i18n" / f"{addon}.pot"
    assert template.is_file(), f"{template.relative_to(REPO)} missing: run `make pot`"
    text = template.read_text(encoding="utf-8")
    # Odoo's exporter names the module above every entry; a template of another addon, or one
    # written by hand, would not.
    entries = text.count("\nmsgid ") - 1  # the header
    assert entries > 0, f"{template.relative_to(REPO)} has no term"
    assert text.count(f"#. module: {addon}\n") == entries
