"""Stage 3 (optional): light stemming, as Lucene's ``ArabicStemmer`` (Larkey et al.'s light10).

One article prefix and the common suffixes come off; nothing is guessed about roots. Month
names never reach the stemmer (see :mod:`index.analysis`): light10 would cut جانفي to جانف.

Beyond light10, a plural or dual ending comes off only where three letters remain ("الأمين"
is not "أمه"), a lone و only where it is "and" ("وقال", not "وزارة"), a ب, ل, ك or ف on a word
without its article only where it is a preposition ("بنتيجة", not "بريد"), and the pronouns a
question puts on a noun ("إجلاؤهم", "نهايتها", "روايته") come off too, and the spelling the
pronoun forced on the word is undone: a ة written ت before it, a final hamza written on و or ي.
Otherwise "نهايتها" never meets "نهاية", nor "إجلاؤهم" "الإجلاء".
"""

from __future__ import annotations

from functools import lru_cache

# After normalization: ة is already ه and ى is ي, so their suffix forms are folded too.
_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
_SUFFIXES = ("ان", "ات", "ون", "ين", "يه", "ه", "ي")
# A sound masculine plural or a dual is made on a word of three letters or more: off a shorter
# remainder these are the word's own letters (أمين, بيان, سكان), not an ending.
_PLURAL = frozenset({"ان", "ون", "ين"})
# A dual's endings: a ة before them is written ت ("الدولتان", "مرتين").
_DUAL = frozenset({"ان", "ين"})
# Prepositions and "then" written onto a word without its article, and how much commoner (in
# Zipf units) general Arabic writes the rest alone before one is taken off.
_PROCLITICS = frozenset("بلكف")
_PROCLITIC_MARGIN = 0.9
# Attached pronouns, longest first; هم and هما only on words left with three letters or more
# (فهم, سهم, مهم stay whole).
_PRONOUNS = (("هما", 3), ("هم", 3), ("ها", 2))


@lru_cache(maxsize=1 << 17)  # a vocabulary is small next to its text: stem each word once
def light10(word: str) -> str:
    """Strip one prefix, one attached pronoun, then each suffix in turn."""
    for prefix in _PREFIXES:
        # A lone و is a prefix only on words of four letters or more (ورد, وجد stay).
        shortest = 4 if len(prefix) == 1 else len(prefix) + 2
        if len(word) >= shortest and word.startswith(prefix):
            if prefix == "و" and not _conjunction(word):
                break
            word = word[len(prefix) :]
            break
    if len(word) >= 4 and word[0] in _PROCLITICS and _proclitic(word):
        word = word[1:]
    if len(word) >= 4 and word.endswith("ا"):
        word = _tanween_alef(word)
    if len(word) >= 5 and word.endswith("ته"):
        word = _teh_heh(word)
    for pronoun, keep in _PRONOUNS:
        if len(word) >= len(pronoun) + keep and word.endswith(pronoun):
            word = _before_pronoun(word[: -len(pronoun)])
            break
    for suffix in _SUFFIXES:
        keep = 3 if suffix in _PLURAL else 2
        if len(word) >= len(suffix) + keep and word.endswith(suffix):
            word = word[: -len(suffix)]
            if suffix in _DUAL and word.endswith("ت"):
                word = _dual_teh(word)
    return word


def _before_pronoun(word: str) -> str:
    """The word as it ends without a pronoun: مرحلت → مرحله (ة), اجلاو → اجلاء (hamza).

    A root ت is left on short words (بيت, صوت). A ت after ا is read as ة too (حياتها is
    حياة's): a plural ات before a pronoun is then missed, which the 4-grams still match.
    """
    if len(word) < 4:
        return word
    if word.endswith("ت"):
        return word[:-1] + "ه"
    if word[-2] == "ا" and word[-1] in "وي":
        return word[:-1] + "ء"
    return word


def _dual_teh(word: str) -> str:
    """A word left ending in ت by a dual's ending: a ة written ت ("الدولتان" is دولة's, "مرتين"
    مرة's), or a ت of its own ("الثابتين" is ثابت's). General Arabic writes the one it is far
    more often."""
    from khabar.index.query import zipf

    feminine = word[:-1] + "ه"
    return feminine if zipf(feminine) > zipf(word) else word


def _teh_heh(word: str) -> str:
    """A word ending in ته: a ة written ت before "his" ("روايته" is رواية's), or a ت of the
    word's own ("مؤقتة", "لافتة", "قراراته") with a ة or "his" after it. General Arabic writes
    the one it is far more often: the word with ة, or the word ending in ت."""
    from khabar.index.query import zipf

    feminine, own = word[:-2] + "ه", word[:-1]
    return feminine if zipf(feminine) > zipf(own) else own


def _tanween_alef(word: str) -> str:
    """A final ا: the accusative's, written without its mark ("قمرا", "عارضا", "عاما"; with
    the mark normalization folds it away), or a dual verb's ("قالا"), or the word's own
    ("أمريكا", "دنيا"). General Arabic writes the word without it more often in the first two
    cases ("مقعد" than the accusative "مقعدا", common as it is after a number)."""
    from khabar.index.query import zipf

    rest = word[:-1]
    return rest if zipf(rest) > zipf(word) else word


def _proclitic(word: str) -> bool:
    """Whether a leading ب, ل, ك or ف is a preposition or "then" on a word without its article
    ("بنتيجة", "لحساب", "فقال"): general Arabic writes the rest alone far more often; a word
    whose own first letter it is ("بريد", "لجنة", "بيان") is written whole as often or more.
    With an article the prefix is light10's own ("بال", "لل")."""
    from khabar.index.query import zipf

    if word.startswith("ال", 1):
        return False
    return zipf(word[1:]) - zipf(word) >= _PROCLITIC_MARGIN


def _conjunction(word: str) -> bool:
    """Whether a leading و is "and": general Arabic writes the rest alone more often ("وقال" is
    "قال"), and a word whose root begins with و more often whole ("وزارة", "ولاية", "وفاة")."""
    from khabar.index.query import zipf

    return zipf(word[1:]) >= zipf(word)
