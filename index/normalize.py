"""Stage 1 of the analysis chain: fold the spellings Arabic writers mix freely.

Like Lucene's ``ArabicNormalizer`` (alef forms, ى→ي, ة→ه, no tatweel or harakat), plus what
people type in questions: hamza seats dropped or moved (مسؤول/مسئول/مسوول), Persian yeh and kaf,
Arabic-Indic and Persian digits, presentation-form ligatures and invisible bidi/joiner marks.
pyarabic does the letter work; the traps are avoided on purpose: ``normalize_alef`` would turn
ى into ا, and the default ``normalize_hamza`` maps every seat to a bare ء.
"""

from __future__ import annotations

import re
import unicodedata

import pyarabic.araby as araby

# Digits people type: Arabic-Indic (U+0660..) and Persian (U+06F0..), the Arabic percent sign.
_DIGITS = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}
_FOLD = str.maketrans(
    _DIGITS
    | {
        ord("٪"): "%",
        ord("ٱ"): "ا",  # alef wasla
        ord("ى"): "ي",  # alef maksura
        ord("ی"): "ي",  # Persian yeh (Iraqi and Persian keyboards)
        ord("ک"): "ك",  # Persian kaf
        ord("ە"): "ه",  # Kurdish ae
        ord("ۀ"): "ه",
    }
)
# Zero-width and bidi controls, BOM, soft hyphen: invisible, but they split or glue words.
_INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_QURANIC_MARKS = re.compile("[\u0610-\u061a\u06d6-\u06ed]")


def normalize(text: str) -> str:
    """Fold one text to the form both questions and passages are indexed in.

    Character-local on purpose: a word normalizes the same alone or inside a sentence, which is
    what lets replies bold the very words of a passage that matched.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)  # presentation forms (ﻻ, ﺣ…) to letters
    text = _INVISIBLE.sub("", text)
    text = _QURANIC_MARKS.sub("", text)
    text = araby.strip_tashkeel(text)
    text = araby.strip_tatweel(text)
    text = araby.normalize_ligature(text)
    text = araby.normalize_hamza(text, method="tasheel")  # أ إ آ → ا, ؤ → و, ئ → ي
    text = araby.normalize_teh(text)  # ة → ه
    return text.translate(_FOLD).casefold()
