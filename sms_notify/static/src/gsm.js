// Exact SMS segmenting after 3GPP TS 23.038 / 23.040, the twin of sms_notify/tools/gsm.py.
// No imports: the parity test runs this very file under Node and compares it with Python.

export const GSM7 = "gsm7";
export const UCS2 = "ucs2";

// Basic table of the GSM-7 default alphabet: one septet each ("\n" and "\r" included,
// code 0x09 is the capital C with cedilla).
const GSM7_BASIC_CHARS = new Set(
    "@£$¥èéùìòÇ\nØø\rÅå" +
        "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ" +
        " !\"#¤%&'()*+,-./" +
        "0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNO" +
        "PQRSTUVWXYZÄÖÑÜ§" +
        "¿abcdefghijklmno" +
        "pqrstuvwxyzäöñüà"
);

// Extension table: sent as escape + code, two septets, and the message stays GSM-7.
const GSM7_EXTENSION_CHARS = new Set("\f^{}\\[~]|€");

export const SINGLE_SEGMENT_LIMITS = { [GSM7]: 160, [UCS2]: 70 };
// The concatenation header takes 6 of the 140 bytes of user data.
export const CONCATENATED_SEGMENT_LIMITS = { [GSM7]: 153, [UCS2]: 67 };

function charUnits(char, encoding) {
    if (encoding === GSM7) {
        return GSM7_EXTENSION_CHARS.has(char) ? 2 : 1;
    }
    // Iterating a string yields whole surrogate pairs, so length is the UTF-16 unit count.
    return char.length;
}

export function detectEncoding(text) {
    for (const char of text) {
        if (!GSM7_BASIC_CHARS.has(char) && !GSM7_EXTENSION_CHARS.has(char)) {
            return UCS2;
        }
    }
    return GSM7;
}

/**
 * How `text` travels as SMS.
 *
 * `units` counts septets (GSM-7) or UTF-16 code units (UCS-2); `parts` are the texts of the
 * segments; `charsLeft` is the room left in the last segment before one more SMS is needed.
 * A character that does not fit in the remaining room starts the next segment whole, so an
 * escape pair or a surrogate pair is never split.
 *
 * @param {string} text
 * @returns {{encoding: string, segments: number, units: number, parts: string[],
 *            charsLeft: number}}
 */
export function analyze(text) {
    text = text || "";
    const encoding = detectEncoding(text);
    const singleLimit = SINGLE_SEGMENT_LIMITS[encoding];
    const partLimit = CONCATENATED_SEGMENT_LIMITS[encoding];
    const parts = [];
    let units = 0;
    let start = 0;
    let index = 0;
    let used = 0;
    for (const char of text) {
        const size = charUnits(char, encoding);
        if (used + size > partLimit) {
            parts.push(text.slice(start, index));
            start = index;
            used = 0;
        }
        used += size;
        units += size;
        index += char.length;
    }
    if (units <= singleLimit) {
        return {
            encoding,
            segments: text ? 1 : 0,
            units,
            parts: text ? [text] : [],
            charsLeft: singleLimit - units,
        };
    }
    parts.push(text.slice(start));
    return { encoding, segments: parts.length, units, parts, charsLeft: partLimit - used };
}

// How many of the characters forcing Unicode a counter names (a Cyrillic text has dozens).
export const UNICODE_REASON_SHOWN = 10;

/**
 * The characters of `text` outside the GSM-7 alphabet, each once, in the order they first
 * appear: the ones that make the whole message Unicode. Twin of `non_gsm7_chars` in gsm.py.
 */
export function nonGsm7Chars(text) {
    const seen = new Set();
    for (const char of text || "") {
        if (!GSM7_BASIC_CHARS.has(char) && !GSM7_EXTENSION_CHARS.has(char)) {
            seen.add(char);
        }
    }
    return [...seen];
}

/**
 * `char` as a writer can spot it in a list: itself, or "U+00A0" for a space, a control or an
 * invisible format character (a non-breaking space pasted from a document looks like a plain
 * one). Twin of `char_label` in gsm.py.
 */
export function charLabel(char) {
    if (/^[\p{C}\p{Z}]$/u.test(char)) {
        return "U+" + char.codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
    }
    return char;
}

/**
 * The characters that make `text` Unicode, labelled and joined by commas, the first `shown` of
 * them then "…"; empty for a GSM-7 text. Twin of `unicode_reason` in gsm.py.
 */
export function unicodeReason(text, shown = UNICODE_REASON_SHOWN) {
    const forcing = nonGsm7Chars(text);
    const labels = forcing.slice(0, shown).map(charLabel).join(", ");
    return labels + (forcing.length > shown ? ", …" : "");
}
