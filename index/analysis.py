"""The analysis chain, in the order it runs: normalize → tokenize → stop → (stem | n-grams).

Each stage is one small function, as in Lucene's ``ArabicAnalyzer``; an :class:`Analyzer` is
their composition, and a question and a passage always go through the same one. The fields
that rank are chosen by measurement (``khabar eval``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from khabar.index.frequency import cache_folder, table_name, word_list
from khabar.index.months import month_words
from khabar.index.normalize import normalize, with_final_letters
from khabar.index.stem import light10

# Letters run together; digits stand alone ("لـ7" is ل + 7, "10%" is 10).
_TOKEN = re.compile(r"[^\W\d_]+|\d+")

# Words that only frame a question ("ماذا حدث", "أخبرني"): they match nothing a reader wants.
_QUESTION_FILLERS = (
    *("حدث", "جرى", "يحدث", "يجري", "حصل", "لماذا", "أخبرني", "اخبرني", "نبذة"),
    *("أحداث", "الأحداث", "وقائع", "مجريات", "تم", "تمت", "يتم", "يوجد", "توجد"),
    *("سيحدث", "سيجري", "سيتم", "سيحصل", "ستحدث", "حيحصل"),  # and what will happen
    *("يوم", "اليوم", "بتاريخ"),  # date glue: the date grammar reads the date itself
    # typed run together or misspelt, still only the frame: "ماهو" is "ما هو", "اللتي" "التي"
    *("ماهو", "ماهي", "ماهى", "اللتى", "اللتي", "اللذي"),
    # asked as people speak: when, how much, who, where, what, why, how; and their glue
    *("امتى", "إمتى", "ايمتى", "إيمتى", "امتا", "وقتاش"),
    *("شحال", "قداش", "قديش", "كام", "جم", "شقد", "مين", "منو", "شكون", "وين", "فين", "شو"),
    *("ايش", "إيش", "شنو", "شنوة", "شنية", "واش", "ليش", "علاش", "ليه"),
    *("بكام", "بقديش", "بشحال", "بقداش", "النهارده", "النهاردة"),  # for how much; today
    *("كيفاش", "ازاي", "إزاي", "اللي", "رح", "بدي", "هلق", "هسا", "هسه", "بصير", "يصير"),
    *("تاع", "متاع", "نتاع", "ديال", "بتاع", "بتاعة"),  # "of", as Maghrebi and Egyptian say it
)


def tokenize(text: str) -> list[str]:
    """Split normalized text into word and number tokens."""
    return _TOKEN.findall(text)


# arabic-stopwords lists directions, "حي", "أول" and family words as function words (as in
# "شرقيّ" "حيّ على", and a name's "ابن"); in news they are what a question is about: "شرق حلب",
# "أكبر حي", "أول دفعة", "غرق الأب وابنه" ("أب" and "أخ" only with the article: "آب" is August).
_CONTENT_WORDS = re.compile(
    r"^(?:و|ف)?(?:ب|ل|ك)?(?:(?:ال)?(?:شمال|جنوب|شرق|غرب|حي|اول|اولي|مره|مرات|ابن|ابنه|ابنت)"
    r"|(?:ال|ل)(?:اب|اخ))(?:ي|يه|ه|ها|هم|هما|ا)?$"
)


# A folded stopword is read as the content word it spells when that word is this many times
# commoner than the stopword's own spellings.
_FOLD_RATIO = 10.0


# The stopwords are made once per process, whichever thread asks first: a bot answers its first
# questions on several threads at once, and each making them anew starved the event loop.
_LOADING = threading.RLock()


_STOPWORDS: list[frozenset[str]] = []  # made once, then read without the lock


def stopwords() -> frozenset[str]:
    """arabic-stopwords' 13k forms, normalized like everything else, plus question fillers."""
    if not _STOPWORDS:
        with _LOADING:
            if not _STOPWORDS:
                _STOPWORDS.append(_stopwords())
    return _STOPWORDS[0]


def _stopwords() -> frozenset[str]:
    """:func:`stopwords`, read from the cache when this code and these lists made it before:
    importing the list and folding its forms is a good part of a command's start."""
    try:
        path = cache_folder() / f"stopwords-{_stopwords_key()}.txt"
    except (PackageNotFoundError, RuntimeError):  # RuntimeError: no home folder to cache in
        return _made_stopwords()
    with contextlib.suppress(OSError, UnicodeDecodeError, ValueError):
        return _read_words(path)
    words = _made_stopwords()
    with contextlib.suppress(OSError):  # a read-only or full disk: made again next time
        _write_words(path, words)
    return words


def _stopwords_key() -> str:
    """What the set is made from: the lists' versions and this package's code (any change to
    it, folding or month words included, makes the set anew)."""
    digest = hashlib.sha256()
    for name in ("arabic-stopwords", "pyarabic"):
        digest.update(f"{name}={version(name)}\n".encode())
    digest.update(table_name().encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:16]


def _read_words(path: Path) -> frozenset[str]:
    """Words written by :func:`_write_words` (ValueError: not whole)."""
    count, *words = path.read_text(encoding="utf-8").split("\n")
    if int(count) != len(words):
        raise ValueError(f"{path} is not whole")
    return frozenset(words)


def _write_words(path: Path, words: frozenset[str]) -> None:
    """Written beside ``path`` and renamed onto it, so a reader never sees half; the sets
    older code made are removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, staging = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("\n".join([str(len(words)), *sorted(words)]))
        os.chmod(staging, 0o644)  # a service's user reads what its image's build wrote
        os.replace(staging, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(staging)
        raise
    for old in path.parent.glob("stopwords-*.txt"):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()


def _made_stopwords() -> frozenset[str]:
    """:func:`stopwords`, made from arabic-stopwords' list.

    The package lists hamza-spelled forms (أن, إلى); the index never sees those, so the list is
    folded once. Unambiguous month words (ماي is not a stopword, but keep it that way) are
    removed so a date never vanishes from a question.
    """
    from arabicstopwords.arabicstopwords import stopwords_list
    from arabicstopwords.stopwords_classified import STOPWORDS

    listed = list(stopwords_list())
    spellings: dict[str, set[str]] = {}
    for word, folded in zip(listed, _each_normalized(listed), strict=True):
        spellings.setdefault(folded, set()).add(word)
    readings = {folded: with_final_letters(folded) - own for folded, own in spellings.items()}
    # the list a question's words are weighed by, asked once for every spelling at stake
    frequency = word_list().frequencies(
        list({w for folded, own in spellings.items() if readings[folded] for w in own}
             | {w for content in readings.values() for w in content})
    )  # fmt: skip
    words = {
        folded for folded, own in spellings.items()
        if not _folded_onto_content(readings[folded], own, frequency)
    }  # fmt: skip
    # vocalized too: "أيضاً" loses its tanween alef in normalization and must stay a stopword
    words.update(_each_normalized([f["vocalized"] for forms in STOPWORDS.values() for f in forms]))
    words = {word for word in words if not _CONTENT_WORDS.match(word)}
    words.update(normalize(word) for word in _QUESTION_FILLERS)
    return frozenset(words - keywords())


def _each_normalized(words: list[str]) -> list[str]:
    """Each word normalized, in one pass over them all (normalizing is character-local)."""
    return normalize("\n".join(words)).split("\n")


def _folded_onto_content(content: set[str], listed: set[str], frequency: dict[str, float]) -> bool:
    """Whether folding hamza made a stopword spell a far commoner content word (``content``:
    the words its folded form may be, other than its ``listed`` spellings).

    The list holds every clitic form of its words, and some land on nouns once hamza is
    dropped: "ولأية" (and for which) becomes "ولاية" (state), "ألعامة" "العامة". General
    Arabic's frequencies (wordfreq) tell which reading a text means.
    """
    if not content:
        return False
    as_content = max(frequency[word] for word in content)
    as_stopword = max(frequency[word] for word in listed)
    return as_content > as_stopword * _FOLD_RATIO


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


def words(text: str) -> list[str]:
    """Stages 1–3, shared by every field: normalized tokens, stopwords and stray letters out."""
    return list(drop_stopwords(tokenize(normalize(text))))


def normalized_words(text: str) -> list[str]:
    """:func:`words` of a text already normalized (a build normalizes each passage once)."""
    return list(drop_stopwords(tokenize(text)))


def stem_light10(word: str) -> tuple[str, ...]:
    """A word's light10 stem; month names and numbers pass as they are (keyword marker)."""
    return (word,) if word in keywords() or word.isdigit() else (light10(word),)


def char_ngrams(tokens: Iterable[str], n: int = 3) -> Iterator[str]:
    """Overlapping n-grams of each word with boundary marks: robust to any affix or typo."""
    for token in tokens:
        yield from word_ngrams(token, n)


@lru_cache(maxsize=1 << 18)  # a vocabulary is small next to its text: cut each word once
def word_ngrams(token: str, n: int) -> tuple[str, ...]:
    """One word's n-grams (:func:`char_ngrams`)."""
    padded = f"_{token}_"
    if len(padded) <= n:
        return (padded,)
    return tuple(padded[i : i + n] for i in range(len(padded) - n + 1))


@dataclass(frozen=True)
class Analyzer:
    """A field's last stage: what each word becomes in the index (a stem, its n-grams …).

    Calling it runs the whole chain on a text. Every field shares the stages before, so an
    archive is normalized and tokenized once and each distinct word is turned into terms once
    (:mod:`khabar.index.bm25` builds the postings from word ids).
    """

    name: str
    per_word: Callable[[str], tuple[str, ...]]
    word_level: bool = True  # one term per word: usable to highlight matched words

    def __call__(self, text: str) -> list[str]:
        return [term for word in words(text) for term in self.terms(word)]

    def terms(self, word: str) -> tuple[str, ...]:
        """The terms of one word that already went through the shared stages."""
        return _terms(self.per_word, word)


@lru_cache(maxsize=1 << 18)
def _terms(per_word: Callable[[str], tuple[str, ...]], word: str) -> tuple[str, ...]:
    return per_word(word)


def _ngram3(word: str) -> tuple[str, ...]:
    return word_ngrams(word, 3)


def _ngram4(word: str) -> tuple[str, ...]:
    return word_ngrams(word, 4)


def _word(word: str) -> tuple[str, ...]:
    return (word,)


ANALYZERS: dict[str, Analyzer] = {
    "words": Analyzer("words", _word),
    "light10": Analyzer("light10", stem_light10),
    "ngram3": Analyzer("ngram3", _ngram3, word_level=False),
    "ngram4": Analyzer("ngram4", _ngram4, word_level=False),
}


def get_analyzer(name: str) -> Analyzer:
    try:
        return ANALYZERS[name]
    except KeyError:
        raise ValueError(f"unknown analyzer {name!r}; known: {', '.join(ANALYZERS)}") from None
