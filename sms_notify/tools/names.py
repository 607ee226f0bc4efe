# Pure Python: nothing here imports odoo, so the top-level tests/ can import it directly.
"""Read a person's first name, patronymic and last name out of the one full name Odoo keeps,
so that messages can greet customers by their first name (or first name and patronymic, as
Russian customers are addressed) without anyone retyping names.

Most names are written first name first (Anna Petrova).  Russian records are often written last
name first, with the patronymic at the end (Петрова Анна Сергеевна); a patronymic is recognised
by its ending (-вич, -вна, -ична), so where it stands tells the two orders apart.  Two words are
always read as first and last name: "Роман Абрамович" is a surname far more often than an
unnamed patronymic.  Whatever is read wrongly, users correct on the contact.
"""

from typing import NamedTuple

#: endings of Russian patronymics; -инична (Ильинична) ends in -ична
PATRONYMIC_ENDINGS = ("вич", "вна", "ична")


class NameParts(NamedTuple):
    first: str
    patronymic: str
    last: str


def is_patronymic(word):
    word = word.casefold()
    return any(
        word.endswith(ending) and len(word) > len(ending) + 1 for ending in PATRONYMIC_ENDINGS
    )


def split_full_name(name):
    """Return the :class:`NameParts` of the full ``name`` of a person; parts not found are
    empty strings.

    ``Anna Petrova`` gives ("Anna", "", "Petrova"), ``Петрова Анна Сергеевна`` and ``Анна
    Сергеевна Петрова`` give ("Анна", "Сергеевна", "Петрова"), one word is a first name, and
    from three words on without a patronymic the first word is the first name and the others
    the last name (Jan van Dijk, Gabriel García Márquez).
    """
    words = (name or "").split()
    if not words:
        return NameParts("", "", "")
    if len(words) >= 3:
        middle = next(
            (index for index in range(1, len(words) - 1) if is_patronymic(words[index])), None
        )
        if middle is not None:
            return NameParts(" ".join(words[:middle]), words[middle], " ".join(words[middle + 1 :]))
        if is_patronymic(words[-1]):
            return NameParts(" ".join(words[1:-1]), words[-1], words[0])
    return NameParts(words[0], "", " ".join(words[1:]))


def parts_fit_name(parts, name):
    """Whether the name ``parts`` (first, patronymic, last) still belong to ``name``: some are
    set and every word of them is a word of ``name``, ignoring case.

    A contact renamed after a marriage needs its parts read again; a contact whose parts a user
    corrected (say "Петрова Анна", read as first name Петрова) keeps them through a change that
    leaves those words in the name, such as a typo fixed elsewhere.
    """
    if not any(parts):
        return False
    name_words = {word.casefold() for word in (name or "").split()}
    part_words = {word.casefold() for part in parts if part for word in part.split()}
    return part_words <= name_words


#: how messages address a customer, by the language of the contact and their gender
SALUTATIONS = {
    "ru": {"male": "Уважаемый", "female": "Уважаемая", None: "Здравствуйте,"},
    "pl": {"male": "Szanowny Panie", "female": "Szanowna Pani", None: "Szanowni Państwo"},
    "en": {"male": "Dear Mr", "female": "Dear Ms", None: "Dear"},
}


def salutation(gender, lang):
    """The form of address of a customer of ``gender`` ("male", "female" or unknown) writing
    in ``lang`` (an Odoo language code such as ``ru_RU``); English for other languages."""
    forms = SALUTATIONS.get((lang or "en").split("_", 1)[0].casefold(), SALUTATIONS["en"])
    return forms.get(gender, forms[None])
