"""Stage 1 of the analysis chain: fold the spellings Arabic writers mix freely.

Like Lucene's ``ArabicNormalizer`` (alef forms, ى→ي, ة→ه, no tatweel or harakat), plus what
people type in questions: hamza seats dropped or moved (مسؤول/مسئول/مسوول), Persian yeh and kaf,
Arabic-Indic and Persian digits, presentation-form ligatures and invisible bidi/joiner marks,
and the alef that only carries a tanween.
pyarabic supplies the letter knowledge (its tashkeel set, ligatures, hamza seats); the traps
are avoided on purpose: ``normalize_alef`` would turn ى into ا, and the default
``normalize_hamza`` maps every seat to a bare ء.
"""

from __future__ import annotations

import re
import unicodedata

import pyarabic.araby as araby

# Deleted outright, in the same single pass: pyarabic's tashkeel (harakat, tanwin, sukun,
# shadda) and tatweel, the other combining marks (maddah, superscript alef, Quranic signs),
# and the invisible ones that split or glue words (zero-width, bidi controls, BOM, soft hyphen).
# pyarabic's own strip_tashkeel tests every character in Python: ~40% of a 100k-passage build.
_DELETE = dict.fromkeys(
    map(
        ord,
        "".join(araby.TASHKEEL)
        + araby.TATWEEL
        + "".join(chr(c) for c in range(0x0653, 0x0660))
        + "\u0670"
        + "".join(chr(c) for c in (*range(0x0610, 0x061B), *range(0x06D6, 0x06EE)))
        + "\u00ad\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
        + "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff",
    )
)

# Digits people type: Arabic-Indic (U+0660..) and Persian (U+06F0..), the Arabic percent sign.
_DIGITS = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}
_FOLD = str.maketrans(
    _DELETE
    | _DIGITS
    | {
        ord("٪"): "%",
        ord("ٱ"): "ا",  # alef wasla
        ord("ى"): "ي",  # alef maksura
        ord("ة"): "ه",  # teh marbuta
        ord("ی"): "ي",  # Persian yeh (Iraqi and Persian keyboards)
        ord("ک"): "ك",  # Persian kaf
        ord("ە"): "ه",  # Kurdish ae
        ord("ۀ"): "ه",
    }
)


# The table applied in three C-speed passes, the same result: str.translate looks each
# character of Arabic text up in a dict, the slowest stage of the chain. The marks go in one
# regex pass, ة and ى (in nearly every text) by replace, the rest only where a text has one.
_MARKS = re.compile("[" + re.escape("".join(chr(c) for c, to in _FOLD.items() if not to)) + "]+")
_COMMON = {"ى": "ي", "ة": "ه"}
_RARE = {c: to for c, to in _FOLD.items() if to is not None and chr(c) not in _COMMON}
_RARE_TABLE = str.maketrans(_RARE)
_HAS_RARE = re.compile("[" + re.escape("".join(map(chr, _RARE))) + "]")


def fold(text: str) -> str:
    """``text.translate(_FOLD)``, faster: marks and invisibles out; digits, ى, ة, Persian
    letters folded."""
    text = _MARKS.sub("", text)
    if _HAS_RARE.search(text):
        text = text.translate(_RARE_TABLE)
    for letter, to in _COMMON.items():
        text = text.replace(letter, to)
    return text


# An alef written with tanween fath at a word's end only carries the mark (اتفاقاً, جزءاً):
# it goes with the mark, so "اتفاقاً جديداً" meets "اتفاق جديد". Unmarked, it is not told
# from a word's own alef (أمريكا) and stays.
_TANWEEN_ALEF = re.compile("(?:\u064bا|ا\u064b)(?![^\\W\\d_])")


def normalize(text: str) -> str:
    """Fold one text to the form both questions and passages are indexed in.

    Character-local on purpose: a word normalizes the same alone or inside a sentence, which is
    what lets replies bold the very words of a passage that matched.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)  # presentation forms (ﻻ, ﺣ…) to letters
    text = _TANWEEN_ALEF.sub("", text)
    text = fold(text)
    # A deleted mark may have kept a letter from its accent ("e" + tatweel + U+0301): compose
    # again, so normalizing twice changes nothing.
    text = unicodedata.normalize("NFC", text)
    text = araby.normalize_ligature(text)
    # "مسئول" and "مسؤول", "شئون" and "شؤون": one word on either seat before و
    text = text.replace("ئو", "ؤو")
    text = araby.normalize_hamza(text, method="tasheel")  # أ إ آ → ا, ؤ → و, ئ → ي
    return text.casefold()


def with_final_letters(word: str) -> set[str]:
    """A normalized word as it may have been written before ة and ى were folded at its end."""
    forms = {word}
    if word.endswith("ه"):
        forms.add(word[:-1] + "ة")
    if word.endswith("ي"):
        forms.add(word[:-1] + "ى")
    return forms
