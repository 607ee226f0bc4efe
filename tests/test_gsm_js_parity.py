"""The counter users see while typing (gsm.js) must agree with what the server bills (gsm.py)."""

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from odoo.addons.sms_notify.tools.gsm import analyze, unicode_reason

GSM_JS = Path(__file__).resolve().parent.parent / "sms_notify" / "static" / "src" / "gsm.js"
NODE = shutil.which("node")

# Imports the module from a data: URL so Node needs neither a package.json nor a .mjs name.
NODE_RUNNER = """
import { readFileSync } from "node:fs";
const source = readFileSync(process.argv[1], "utf8");
const url = "data:text/javascript;base64," + Buffer.from(source).toString("base64");
const { analyze, unicodeReason } = await import(url);
const texts = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(
    JSON.stringify(texts.map((text) => ({ ...analyze(text), unicodeReason: unicodeReason(text) })))
);
"""

EMOJI = "\U0001f600"
ALPHABET = (
    list("abcdeXYZ 0123.,!?@$_")
    + list("[]{}~^\\|€\f")
    + ["\n", "\r", "Ç", "é", "ß"]
    + list("Ваш заказ готов")
    + list("ąęłżśćń")
    + [EMOJI, "\U0001f44d", "\U0001f1f5\U0001f1f1", "\u2764\ufe0f"]
    # what users paste without seeing it: typographic quotes and dashes, non-breaking and thin
    # spaces, a zero-width space, a soft hyphen, "ё" beside the GSM-7 "e"
    + list("«»“”„’–—…ёЁ")
    + ["\u00a0", "\u2009", "\u200b", "\u00ad", "\t"]
)


def _boundary_texts():
    texts = ["", "a", "\n", "€", EMOJI, "Ваш заказ готов", "Zamówienie gotowe ąęłżś"]
    for base, sizes in (("a", (152, 153, 154, 159, 160, 161, 306, 307, 612, 613)),
                        ("ж", (66, 67, 68, 69, 70, 71, 134, 135))):  # fmt: skip
        texts += [base * size for size in sizes]
    for size in range(148, 162):
        texts += ["a" * size + "€" + "b" * 10, "a" * size + "[]" + "b" * 10]
    for size in range(62, 72):
        texts.append("ж" * size + EMOJI + "b" * 5)
        texts.append("a" * size + EMOJI + "a" * 5)
    texts += ["€" * 80, "€" * 81, EMOJI * 35, EMOJI * 36, "\r\n" * 100]
    texts += ["Ёлки «зелёные»", "Price\u00a025 €", "abcdefghijklmnopqrstuvwxyzабвгдеёжзий"]
    return texts


def _random_texts(count, seed):
    rng = random.Random(seed)
    pools = [ALPHABET[:20], ALPHABET[:35], ALPHABET]
    return [
        "".join(rng.choice(pool) for _ in range(rng.randint(0, 500)))
        for pool in (rng.choice(pools) for _ in range(count))
    ]


def _python_view(text):
    result = analyze(text)
    return {
        "encoding": result.encoding,
        "segments": result.segments,
        "units": result.units,
        "parts": list(result.parts),
        "charsLeft": result.chars_left,
        "unicodeReason": unicode_reason(text),
    }


@pytest.mark.skipif(NODE is None, reason="node is not on PATH: cannot run static/src/gsm.js")
def test_js_counter_matches_python_segmenting():
    texts = _boundary_texts() + _random_texts(300, seed=23038)
    completed = subprocess.run(
        [NODE, "--input-type=module", "-e", NODE_RUNNER, str(GSM_JS)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    js_results = json.loads(completed.stdout)
    assert len(js_results) == len(texts)
    for text, js_result in zip(texts, js_results, strict=True):
        assert js_result == _python_view(text), f"JS and Python disagree on {text!r}"


def test_unicode_reason_names_the_characters_in_order_and_shows_the_invisible_ones():
    assert unicode_reason("Your order is ready") == ""
    # each once, in order, the plain space (GSM-7) not among them, ten then an ellipsis
    assert unicode_reason("Ёлки «зелёные» €") == "Ё, л, к, и, «, з, е, ё, н, ы, …"
    assert unicode_reason("Glasses ready «today»\u00a0") == "«, », U+00A0"
    # a pasted non-breaking space alone makes a Latin text Unicode
    assert unicode_reason("Price 25\u00a0€") == "U+00A0"
