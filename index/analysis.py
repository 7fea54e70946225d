"""The analysis chain, in the order it runs: normalize → tokenize → stop → (stem | n-grams).

Each stage is one small function, as in Lucene's ``ArabicAnalyzer``; an :class:`Analyzer` is
just their composition, and a question and a passage always go through the same one. The
analyzer that ranks is chosen by measurement (``khabar eval``); the others stay for that
comparison.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from khabar.index.months import month_words
from khabar.index.normalize import normalize
from khabar.index.stem import light10

# Letters run together; digits stand alone ("لـ7" is ل + 7, "10%" is 10).
_TOKEN = re.compile(r"[^\W\d_]+|\d+")

# Words that only frame a question ("ماذا حدث", "أخبرني"): they match nothing a reader wants.
_QUESTION_FILLERS = (
    *("حدث", "جرى", "يحدث", "يجري", "حصل", "لماذا", "أخبرني", "اخبرني", "نبذة"),
    *("أحداث", "الأحداث", "وقائع", "مجريات", "تم", "يتم", "يوجد", "توجد"),
    *("يوم", "اليوم", "بتاريخ"),  # date glue: the date grammar reads the date itself
)


def tokenize(text: str) -> list[str]:
    """Split normalized text into word and number tokens."""
    return _TOKEN.findall(text)


# arabic-stopwords lists directions, "حي" and "أول" as function words (as in "شرقيّ" "حيّ على");
# in news they are what a question is about: "شرق حلب", "أكبر حي", "أول دفعة".
_CONTENT_WORDS = re.compile(
    r"^(?:و|ف)?(?:ب|ل|ك)?(?:ال)?(?:شمال|جنوب|شرق|غرب|حي|اول|اولي|مره|مرات)(?:ي|يه|ه|ها|هم|هما|ا)?$"
)


@cache
def stopwords() -> frozenset[str]:
    """arabic-stopwords' 13k forms, normalized like everything else, plus question fillers.

    The package lists hamza-spelled forms (أن, إلى); the index never sees those, so the list is
    folded once. Unambiguous month words (ماي is not a stopword, but keep it that way) are
    removed so a date never vanishes from a question.
    """
    from arabicstopwords.arabicstopwords import stopwords_list

    words = {normalize(word) for word in stopwords_list()}
    words = {word for word in words if not _CONTENT_WORDS.match(word)}
    words.update(normalize(word) for word in _QUESTION_FILLERS)
    return frozenset(words - keywords())


@cache
def keywords() -> frozenset[str]:
    """Month words that must pass untouched (like Lucene's keyword marker).

    Ambiguous ones that are also common words (اب "father", اول "first", ذو/ذي) stay ordinary:
    the date grammar, not the analyzer, decides when they name a month.
    """
    ambiguous = {"اب", "اول", "ذا", "ذو", "ذي"}
    return frozenset(month_words() - ambiguous)


def drop_stopwords(tokens: Iterable[str]) -> Iterator[str]:
    stop = stopwords()
    return (token for token in tokens if token not in stop and (len(token) > 1 or token.isdigit()))


def stem_light10(tokens: Iterable[str]) -> Iterator[str]:
    keep = keywords()
    return (token if token in keep or token.isdigit() else light10(token) for token in tokens)


def char_ngrams(tokens: Iterable[str], n: int = 3) -> Iterator[str]:
    """Overlapping n-grams of each word with boundary marks: robust to any affix or typo."""
    for token in tokens:
        yield from _word_ngrams(token, n)


@lru_cache(maxsize=1 << 18)  # a vocabulary is small next to its text: cut each word once
def _word_ngrams(token: str, n: int) -> tuple[str, ...]:
    padded = f"_{token}_"
    if len(padded) <= n:
        return (padded,)
    return tuple(padded[i : i + n] for i in range(len(padded) - n + 1))


def char_4grams(tokens: Iterable[str]) -> Iterator[str]:
    return char_ngrams(tokens, 4)


@dataclass(frozen=True)
class Analyzer:
    """A named composition of the stages; calling it turns text into index terms."""

    name: str
    stages: tuple[Callable[[Iterable[str]], Iterable[str]], ...]
    word_level: bool = True  # one term per word: usable to highlight matched words

    def __call__(self, text: str) -> list[str]:
        tokens: Iterable[str] = tokenize(normalize(text))
        for stage in self.stages:
            tokens = stage(tokens)
        return list(tokens)


def _snowball(tokens: Iterable[str]) -> Iterator[str]:
    import snowballstemmer  # dev extra: compared in `khabar eval`, not used to rank

    stemmer = snowballstemmer.stemmer("arabic")
    keep = keywords()
    return (token if token in keep else stemmer.stemWord(token) for token in tokens)


def _tashaphyne(tokens: Iterable[str]) -> Iterator[str]:
    from tashaphyne.stemming import ArabicLightStemmer  # dev extra, as above

    stemmer = ArabicLightStemmer()
    keep = keywords()
    return (token if token in keep else normalize(stemmer.light_stem(token)) for token in tokens)


ANALYZERS: dict[str, Analyzer] = {
    "words": Analyzer("words", (drop_stopwords,)),
    "light10": Analyzer("light10", (drop_stopwords, stem_light10)),
    "snowball": Analyzer("snowball", (drop_stopwords, _snowball)),
    "tashaphyne": Analyzer("tashaphyne", (drop_stopwords, _tashaphyne)),
    "ngram3": Analyzer("ngram3", (drop_stopwords, char_ngrams), word_level=False),
    "ngram4": Analyzer("ngram4", (drop_stopwords, char_4grams), word_level=False),
}


def get_analyzer(name: str) -> Analyzer:
    try:
        return ANALYZERS[name]
    except KeyError:
        raise ValueError(f"unknown analyzer {name!r}; known: {', '.join(ANALYZERS)}") from None
