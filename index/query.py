"""What a question asks for: its words, how much each one says, and what else names them.

A question's content words (stopwords and question frames dropped) each carry an
**information weight** from how rare the word is in Arabic at large (wordfreq's frequency
lists, bundled with the package): "خاشقجي" says far more than "مدينة". The weights decide
whether a passage covers what the question is about (the silence gate in the engine), and
how much each word's terms count in BM25: judgements the index's own statistics cannot make
when it holds one article of twenty paragraphs. Lexicon entries add the other names of a
word's referent, at a lower weight.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pyarabic.araby as araby

from khabar.index import lexicon
from khabar.index.analysis import Analyzer, get_analyzer, stopwords, tokenize
from khabar.index.frequency import word_list
from khabar.index.normalize import normalize, with_final_letters

# A lexicon word the question did not write counts this much of one it did.
SYNONYM_WEIGHT = 0.5
# Information of a word never seen in general Arabic (a name, a typo): a rare word's.
_UNSEEN_INFO = 7.5
_ZIPF_TOP = 9.0  # zipf is log10 of frequency per billion words: 9 - zipf is -log10(p)
# A question asking for a stance: "ما موقف تركيا؟"، "ما رد فعل موسكو؟"، "كيف ردت واشنطن؟"،
# "ماذا قالت مصر؟". The frame's own words (group 1, 2) are what is asked for, not what the answer
# holds: a party's stance is told by what it did or said ("رحبت تركيا"), and a paragraph that
# holds "موقف" about something else is not it. A noun after "ما", a verb after "ماذا" or "كيف"
# ("ماذا رأى" is what someone saw). Over normalized text.
_STANCE = re.compile(
    r"(?<!\w)(?:و|ف)?(?:"
    r"(?:(?:ما|شو|ايش|شنو|واش)(?: (?:هو|هي))?|(?:ماذا|كيف) (?:كان|كانت))"
    r" ((?:مواقف|موقف|راي|اراء|رد|ردود|رده)(?:ه|ها|هم|هما)?(?: (?:ال)?(?:فعل|افعال))?)"
    r"|(?:ماذا|بماذا|كيف|شو|ايش|شنو|واش|كيفاش) ((?:رد|ردت|ردوا|قال|قالت|قالوا))"
    r")(?!\w)"
)


# Sudanese and Iraqi "when", which are also "strong" and a name (آصف شوكت): only the frame
# where they open a question.
SPOKEN_WHEN = frozenset(("متين", "شوكت", "شوقت"))


@dataclass(frozen=True)
class Word:
    """One content word of a question."""

    text: str  # normalized
    stem: str
    info: float
    written: str = field(default="", compare=False)  # as the question spelt it, marks off


@dataclass(frozen=True)
class Query:
    """A question's content words, and its terms for each field, weighted."""

    words: tuple[Word, ...]
    # each lexicon entry the question holds, with the other names of the same thing
    synonyms: tuple[tuple[lexicon.Entry, tuple[lexicon.Entry, ...]], ...] = field(default=())

    @classmethod
    def of(cls, words: Sequence[Word]) -> Query:
        """The query of these words, with the lexicon's other names for them."""
        return cls(tuple(words), tuple(lexicon.expand({word.stem for word in words})))

    @property
    def expansions(self) -> list[lexicon.Entry]:
        """The other names, each once."""
        seen: dict[tuple[str, ...], lexicon.Entry] = {}
        for _, others in self.synonyms:
            for entry in others:
                seen.setdefault(entry.stems, entry)
        return list(seen.values())

    def terms(self, analyzer: Analyzer) -> tuple[list[str], list[float]]:
        """The field's terms for the question's words and their expansions, each weighted by
        how much its word says next to the question's other words.

        BM25's idf knows only the index: in one article of twenty paragraphs, or where an
        article's title puts a word in every paragraph, it cannot tell "خاشقجي" from "مدينة".
        General Arabic can (the words' information), so a word's terms count by its information
        over the question's mean; an expansion counts as the word it stands for, at
        ``SYNONYM_WEIGHT`` (a several-word name as one word).
        """
        terms: list[str] = []
        weights: list[float] = []
        if not self.words:
            return terms, weights
        mean = sum(word.info for word in self.words) / len(self.words)
        for word in self.words:
            for term in analyzer(word.text):
                terms.append(term)
                weights.append(word.info / mean)
        named: dict[tuple[str, ...], tuple[lexicon.Entry, float]] = {}
        for own, others in self.synonyms:
            info = max((w.info for w in self.words if w.stem in own.stems), default=mean)
            for entry in others:
                named.setdefault(entry.stems, (entry, info))
        for entry, info in named.values():
            for term in analyzer(" ".join(entry.words)):
                terms.append(term)
                weights.append(SYNONYM_WEIGHT / len(entry.words) * info / mean)
        return terms, weights


def information(word: str, written: str | None = None) -> float:
    """How much a word tells: -log10 of its frequency in general Arabic.

    ``word`` is normalized; ``written`` is the word as the question spelled it (marks
    stripped), which is how general text spells it too ("التهدئة", not "التهديه").
    """
    if word.isdigit():
        return 4.0  # a number: about as telling as an ordinary noun
    zipf = max(_zipf(word), _written_zipf(written) if written else 0.0)
    return min(_UNSEEN_INFO, _ZIPF_TOP - zipf) if zipf > 0 else _UNSEEN_INFO


@lru_cache(maxsize=1 << 16)
def _written_zipf(word: str) -> float:
    return word_list().zipf(word)


def zipf(word: str) -> float:
    """How common a normalized word is in general Arabic (wordfreq's Zipf scale, 0: unseen)."""
    return _zipf(word)


def future(word: str) -> bool:
    """Whether a normalized word is a verb with the future's س ("سيجري", "ستعقد"): general
    Arabic writes the rest far more often; "سياسي", "سنوات" and "سكان" are words of their own."""
    return word[:1] == "س" and word[1:2] in "يتنا" and zipf(word[1:]) > zipf(word)


@lru_cache(maxsize=1 << 16)
def _zipf(word: str) -> float:
    """wordfreq's Zipf frequency of a normalized word, in the spellings it may have had.

    Normalization drops hamza seats and folds ة/ى, which general Arabic text keeps: look up
    the likely spellings and take the most frequent.
    """
    forms = with_final_letters(word)
    for form in list(forms):
        for at in (0, 2) if form.startswith("ال") else (0,):
            if len(form) > at + 1 and form[at] == "ا":
                forms.update(form[:at] + seat + form[at + 1 :] for seat in "أإآ")
    table = word_list()
    return max(table.zipf(form) for form in forms)


def prepare() -> None:
    """Load what reading a question needs (the stopwords, the word list) before the first one:
    a server pays the half second at start-up instead of its first user."""
    stopwords()
    word_list()


def stance(normalized: str) -> re.Match[str] | None:
    """The question's frame when it asks for a stance (group 1 or 2: the frame's own words)."""
    return _STANCE.search(normalized)


def parse(text: str) -> Query:
    """The question's content words, in order, each once; with the lexicon's expansions."""
    stem = get_analyzer("light10")
    normalized = normalize(text)
    tokens = tokenize(normalized)
    frame = stance(normalized)
    asking = range(0)  # the tokens of a stance frame, or an opening "when" that is also a word
    if tokens[:1] and tokens[0] in SPOKEN_WHEN:
        asking = range(1)
    elif frame:
        group = 1 if frame.group(1) else 2
        before, through = normalized[: frame.start(group)], normalized[: frame.end(group)]
        asking = range(len(tokenize(before)), len(tokenize(through)))
    # The same words as written (marks and tatweel stripped): normalization is letter by
    # letter, so the two tokenizations align unless a ligature or an odd mark split a word.
    written = tokenize(araby.strip_tatweel(araby.strip_tashkeel(text)).casefold())
    if len(written) != len(tokens):
        written = tokens
    words: list[Word] = []
    seen: set[str] = set()
    for at, (token, as_written) in enumerate(zip(tokens, written, strict=True)):
        stems = stem(token)  # empty for stopwords, question frames, stray letters
        if not stems or token in seen or at in asking:
            continue
        seen.add(token)
        words.append(Word(token, stems[0], information(token, as_written), as_written))
    return Query.of(words)
