"""Exact SMS segmenting after 3GPP TS 23.038 (alphabets) and TS 23.040 (concatenation).

A message is sent in the GSM-7 default alphabet when every character is in its basic table or
in its extension table; one character outside both makes the whole message UCS-2 (sent as
UTF-16 by every current handset and gateway).  Operators bill per segment, so the count must
match what the network does, not an estimate:

* GSM-7: 160 septets in a single SMS; once concatenated, the user-data header leaves 153.
  Extension characters travel as ESC + code, i.e. 2 septets, and the pair is never split.
* UCS-2: 70 UTF-16 code units in a single SMS, 67 once concatenated.  Characters beyond the
  Basic Multilingual Plane (most emoji) take a surrogate pair, which is never split either.

The same algorithm lives in ``static/src/gsm.js`` for the counter shown while typing; the two
are kept identical by ``tests/test_gsm_js_parity.py``.
"""

import unicodedata
from dataclasses import dataclass

GSM7 = "gsm7"
UCS2 = "ucs2"

#: The GSM-7 default alphabet's basic table in code order (a modem's PDUs are written with it);
#: 0x1B is the escape to the extension table.  Line feed and carriage return are basic
#: characters; code 0x09 is the capital C with cedilla.
GSM7_BASIC_TABLE = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
#: Characters of the basic table: one septet each.
GSM7_BASIC_CHARS = frozenset(GSM7_BASIC_TABLE) - {"\x1b"}

#: The default alphabet's extension table, code after the escape -> character (a modem's PDUs
#: are written with it).
GSM7_EXTENSION_TABLE = {
    0x0A: "\f",
    0x14: "^",
    0x28: "{",
    0x29: "}",
    0x2F: "\\",
    0x3C: "[",
    0x3D: "~",
    0x3E: "]",
    0x40: "|",
    0x65: "€",
}
#: Characters of the extension table: reached through the escape code, so each costs two
#: septets while the message stays GSM-7.
GSM7_EXTENSION_CHARS = frozenset(GSM7_EXTENSION_TABLE.values())
_GSM7_CHARS = GSM7_BASIC_CHARS | GSM7_EXTENSION_CHARS

#: Units per message when it fits in a single SMS, and per segment once concatenated (the
#: concatenation header takes 6 bytes of the 140-byte user data).
SINGLE_SEGMENT_LIMITS = {GSM7: 160, UCS2: 70}
CONCATENATED_SEGMENT_LIMITS = {GSM7: 153, UCS2: 67}


@dataclass(frozen=True)
class SmsAnalysis:
    """How a text travels as SMS.

    ``units`` counts septets for GSM-7 and UTF-16 code units for UCS-2, which is what the
    per-segment limits are expressed in.  ``parts`` holds the text of each segment in order.
    """

    encoding: str
    segments: int
    units: int
    parts: tuple

    @property
    def is_gsm7(self):
        return self.encoding == GSM7

    @property
    def single_segment_limit(self):
        """Units that fit when the text is sent as one SMS."""
        return SINGLE_SEGMENT_LIMITS[self.encoding]

    @property
    def concatenated_segment_limit(self):
        """Units that fit in each segment of a concatenated message."""
        return CONCATENATED_SEGMENT_LIMITS[self.encoding]

    @property
    def segment_limit(self):
        """Units per segment for this text: the single-SMS limit until it has to be split."""
        if self.segments > 1:
            return self.concatenated_segment_limit
        return self.single_segment_limit

    @property
    def chars_left(self):
        """Units still free in the last segment before one more SMS is needed.

        Counted against what the last part really holds, so a 2-septet character that was
        pushed to the next segment is not counted as free room in the previous one.
        """
        used = char_units(self.parts[-1], self.encoding) if self.parts else 0
        return self.segment_limit - used


def char_units(text, encoding):
    """Units ``text`` takes in ``encoding`` (septets or UTF-16 code units)."""
    if encoding == GSM7:
        return len(text) + sum(text.count(char) for char in GSM7_EXTENSION_CHARS & set(text))
    # astral characters take a surrogate pair; a lone surrogate stays a single unit
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _char_units(char, encoding):
    if encoding == GSM7:
        return 2 if char in GSM7_EXTENSION_CHARS else 1
    # Astral characters become a surrogate pair; a lone surrogate stays a single unit.
    return 2 if ord(char) > 0xFFFF else 1


def detect_encoding(text):
    """GSM-7 when every character has a code in the default alphabet, UCS-2 otherwise."""
    return GSM7 if _GSM7_CHARS.issuperset(text) else UCS2


def non_gsm7_chars(text):
    """The characters of ``text`` outside the GSM-7 alphabet, each once, in the order they first
    appear: the ones that make the whole message Unicode (UCS-2), to show the writer what to
    change (``False``/``None`` have none)."""
    return tuple(dict.fromkeys(char for char in text or "" if char not in _GSM7_CHARS))


#: how many of the characters forcing Unicode a counter names (a Cyrillic text has dozens)
UNICODE_REASON_SHOWN = 10


def char_label(char):
    """``char`` as a writer can spot it in a list: itself, or ``U+00A0`` for a space, a
    control or an invisible format character (a non-breaking space pasted from a document
    looks like a plain one)."""
    if unicodedata.category(char)[0] in "CZ":
        return f"U+{ord(char):04X}"
    return char


def unicode_reason(text, shown=UNICODE_REASON_SHOWN):
    """The characters that make ``text`` Unicode, labelled (``char_label``) and joined by
    commas, the first ``shown`` of them then ``…``; empty for a GSM-7 text."""
    forcing = non_gsm7_chars(text)
    labels = ", ".join(char_label(char) for char in forcing[:shown])
    return labels + (", …" if len(forcing) > shown else "")


def _bracket_escape(char):
    return "\\" + char if char in "\\[]^-" else char


#: A regular expression matching one character outside the GSM-7 alphabet, the same for Python's
#: ``re`` and PostgreSQL's ``~`` (both read a backslash inside brackets as an escape; ``[`` is
#: escaped too, so PostgreSQL sees no ``[:class:]``): finds, among many rows, the texts that would
#: force Unicode without reading them.
NON_GSM7_PATTERN = "[^" + "".join(_bracket_escape(char) for char in sorted(_GSM7_CHARS)) + "]"


def analyze(text):
    """Return the :class:`SmsAnalysis` of ``text`` (``False``/``None`` count as empty).

    Segments are filled greedily, character by character: a character whose units do not fit
    in the remaining room starts the next segment whole, exactly as gateways split.
    """
    text = text or ""
    encoding = detect_encoding(text)
    units = char_units(text, encoding)
    if not text:
        return SmsAnalysis(encoding=encoding, segments=0, units=0, parts=())
    if units <= SINGLE_SEGMENT_LIMITS[encoding]:
        return SmsAnalysis(encoding=encoding, segments=1, units=units, parts=(text,))

    limit = CONCATENATED_SEGMENT_LIMITS[encoding]
    if units == len(text):
        # every character takes one unit: the parts are plain slices
        parts = tuple(text[start : start + limit] for start in range(0, len(text), limit))
        return SmsAnalysis(encoding=encoding, segments=len(parts), units=units, parts=parts)
    parts = []
    start = used = 0
    for index, char in enumerate(text):
        size = _char_units(char, encoding)
        if used + size > limit:
            parts.append(text[start:index])
            start, used = index, 0
        used += size
    parts.append(text[start:])
    return SmsAnalysis(encoding=encoding, segments=len(parts), units=units, parts=tuple(parts))
