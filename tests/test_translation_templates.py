"""Every addon that is translated ships the template its translations start from.

Translators and Weblate-like tools start a language from ``<addon>/i18n/<addon>.pot``; without
it a new language means exporting the terms from a running database by hand. `make pot`
(scripts/export_pot.py) writes the templates with Odoo's exporter.
"""

import ast
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


#: the languages every translated addon ships, as the seed products' customers read them
LANGUAGES = ("ru", "pl")


def _unquote(text):
    # a PO string is a C-style quoted literal: \" \\ \n \t read as Python reads them
    return ast.literal_eval(text)


def po_translations(path):
    """``{msgid: msgstr}`` of the PO file at ``path``, the header left out, as Odoo's exporter
    writes them: ``msgid``/``msgstr`` strings continued on quoted lines, entries apart by
    blank lines; comments (obsolete entries ``#~`` among them) are skipped."""
    entries, entry, field = {}, {}, None

    def close():
        if entry.get("msgid"):
            entries[entry["msgid"]] = entry.get("msgstr", "")

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        keyword, _, quoted = line.partition(" ")
        if keyword in ("msgctxt", "msgid", "msgstr"):
            if keyword != "msgstr" and "msgstr" in entry:
                close()
                entry = {}
            field = keyword
            entry[field] = _unquote(quoted)
        elif line.startswith('"') and field:
            entry[field] += _unquote(line)
        elif not line:
            close()
            entry, field = {}, None
    close()
    return entries


def test_po_reader_reads_continued_and_escaped_strings(tmp_path):
    po = tmp_path / "ru.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\n'
        '#. module: x\nmsgid ""\n"Say \\"hi\\" "\n"twice"\nmsgstr "Скажи"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        '#~ msgid "Old"\n#~ msgstr "Старый"\n',
        encoding="utf-8",
    )
    assert po_translations(po) == {'Say "hi" twice': "Скажи", "Empty": ""}


def _missing_translations():
    """Per addon and language, the msgids of the addon's template its catalogue lacks or
    leaves untranslated."""
    missing = {}
    for addon in TRANSLATED:
        template = REPO / addon / "i18n" / f"{addon}.pot"
        if not template.is_file():
            continue
        terms = po_translations(template)
        for lang in LANGUAGES:
            catalogue = REPO / addon / "i18n" / f"{lang}.po"
            translated = po_translations(catalogue) if catalogue.is_file() else {}
            untranslated = [msgid for msgid in terms if not translated.get(msgid)]
            if untranslated:
                missing[addon, lang] = untranslated
    return missing


def test_every_term_is_translated_into_russian_and_polish():
    """Russian and Polish customers and staff read every message, button and help text in
    their language: a term of an addon's template without its translation in that addon's
    ru.po and pl.po shows in English."""
    missing = _missing_translations()
    report = "\n".join(
        f"{addon}/i18n/{lang}.po: {len(msgids)} untranslated\n"
        + "\n".join(f"    {msgid!r}" for msgid in msgids)
        for (addon, lang), msgids in sorted(missing.items())
    )
    total = sum(len(msgids) for msgids in missing.values())
    assert not missing, f"{total} terms without their translation:\n{report}"
