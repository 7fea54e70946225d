"""Stage 3 (optional): light stemming, as Lucene's ``ArabicStemmer`` (Larkey et al.'s light10).

One article prefix and the common suffixes come off; nothing is guessed about roots. Month
names never reach the stemmer (see :mod:`index.analysis`): light10 would cut جانفي to جانف.
"""

from __future__ import annotations

from functools import lru_cache

# After normalization: ة is already ه and ى is ي, so their suffix forms are folded too.
_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


@lru_cache(maxsize=1 << 17)  # a vocabulary is small next to its text: stem each word once
def light10(word: str) -> str:
    """Strip one prefix, then each suffix in turn, keeping at least two letters."""
    for prefix in _PREFIXES:
        # A lone و is a prefix only on words of four letters or more (ورد, وجد stay).
        shortest = 4 if len(prefix) == 1 else len(prefix) + 2
        if len(word) >= shortest and word.startswith(prefix):
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if len(word) >= len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
    return word
