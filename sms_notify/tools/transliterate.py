# Pure Python: nothing here imports odoo, so the top-level tests/ can import it directly.
"""Write Russian, Ukrainian and Polish letters with the Latin letters of the GSM-7 alphabet, so
that a message travels in 160-character parts instead of Unicode's 70: the same text costs two
to three times fewer SMS, but no longer reads as it was written.

The schemes are the official ones of passports, which customers recognise in their own names:

* Russian: ICAO Doc 9303 (Russian international passports since 2013): ж zh, х kh, ц ts,
  ч ch, ш sh, щ shch, ы y, ъ ie, й i, ю iu, я ia; ь is dropped, ё and э are e.
* Ukrainian: the national transliteration of the Cabinet of Ministers (resolution No. 55 of
  2010): г h, ґ g, и y, і i, зг zgh; є, ї, й, ю, я are ye, yi, y, yu, ya at the start of a
  word and ie, i, i, iu, ia elsewhere; ь and the apostrophe are dropped.  A text is read as
  Ukrainian when it holds a letter only Ukrainian has (є, і, ї, ґ), as Russian otherwise.
* Polish: each letter loses its diacritic (ą a, ć c, ę e, ł l, ń n, ó o, ś s, ź z, ż z).

Typographic quotes, dashes, the ellipsis, the no-break space and № become their plain GSM-7
equivalents too.  Any other character (an emoji, Greek lower case...) is left as it is, and
still makes the message Unicode.
"""

RUSSIAN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "ie",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}

#: Ukrainian letters written differently from Russian ones (the others are the same)
UKRAINIAN = {
    **RUSSIAN,
    "г": "h",
    "ґ": "g",
    "и": "y",
    "і": "i",
    "є": "ie",
    "ї": "i",
    "й": "i",
    "ю": "iu",
    "я": "ia",
}
#: at the start of a word
UKRAINIAN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
#: letters only Ukrainian has: a text holding one is Ukrainian
UKRAINIAN_ONLY = frozenset("єіїґЄІЇҐ")
#: the apostrophe Ukrainian writes inside words (м'ясо), dropped there
APOSTROPHES = frozenset("'’ʼ")

POLISH = {
    "ą": "a",
    "ć": "c",
    "ę": "e",
    "ł": "l",
    "ń": "n",
    "ó": "o",
    "ś": "s",
    "ź": "z",
    "ż": "z",
}

PUNCTUATION = {
    "«": '"',
    "»": '"',
    "„": '"',
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "ʼ": "'",
    "–": "-",
    "—": "-",
    "‑": "-",
    "…": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "№": "N",
}


def _is_letter_at(text, index):
    return 0 <= index < len(text) and text[index].isalpha()


def _cased(latin, text, index):
    """``latin`` written in the case of the capital at ``text[index]``: all capitals within a
    word in capitals (ЖУК → ZHUK), else only the first letter (Жук → Zhuk)."""
    neighbours = [text[i] for i in (index + 1, index - 1) if _is_letter_at(text, i)]
    if len(latin) > 1 and neighbours and neighbours[0].isupper():
        return latin.upper()
    return latin[:1].upper() + latin[1:]


def transliterate(text):
    """``text`` with its Russian, Ukrainian and Polish letters, typographic quotes and dashes
    written in GSM-7 (see the module's doc for the schemes); ``False``/``None`` give ``""``."""
    text = text or ""
    if not text:
        return ""
    cyrillic = UKRAINIAN if UKRAINIAN_ONLY.intersection(text) else RUSSIAN
    ukrainian = cyrillic is UKRAINIAN
    result = []
    for index, char in enumerate(text):
        lower = char.lower()
        if lower in cyrillic:
            latin = cyrillic[lower]
            previous = text[index - 1].lower() if index else ""
            if ukrainian:
                at_word_start = not index or not (
                    previous.isalpha()
                    or (previous in APOSTROPHES and _is_letter_at(text, index - 2))
                )
                if at_word_start and lower in UKRAINIAN_INITIAL:
                    latin = UKRAINIAN_INITIAL[lower]
                elif lower == "г" and previous == "з":
                    latin = "gh"
            result.append(_cased(latin, text, index) if char != lower else latin)
        elif lower in POLISH:
            latin = POLISH[lower]
            result.append(latin.upper() if char != lower else latin)
        elif (
            ukrainian
            and char in APOSTROPHES
            and _is_letter_at(text, index - 1)
            and _is_letter_at(text, index + 1)
        ):
            continue
        else:
            result.append(PUNCTUATION.get(char, char))
    return "".join(result)
