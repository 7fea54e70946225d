"""Where in a passage the answer is: the sentence that best meets the question.

A passage can run to 150 words; the reader wants the sentence that answers. Each sentence is
scored by the information of the question words it holds (whole words by stem or lexicon
synonym, others by shared 4-grams, as the silence gate counts them) and, when the question asks
for a kind of answer, by holding one: "متى" wants a date, "كم" a number, "ما موقف تركيا" a verb
of saying or taking sides next to the party ("رحبت تركيا"). Whole sentences, not
clauses: cutting at commas left the answer outside the mark more often than it sharpened it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from khabar.index.analysis import Analyzer, char_ngrams, tokenize, word_ngrams
from khabar.index.dates import parse_dates
from khabar.index.normalize import normalize
from khabar.index.query import SPOKEN_WHEN, Query, stance

# A sentence ends at . ! ? ؟ followed by a space or the end ("3.5" and "U.N." go on), or a line.
_SENTENCE = re.compile(r"(?:[^.!?؟\n]|[.!?؟](?!\s|$))+(?:[.!?؟]+|$)")
_DIGIT = re.compile(r"[0-9٠-٩۰-۹]")
_YEAR = re.compile(r"(?<!\d)(?:1\d{3}|20\d{2})(?!\d)")
_TYPE_BONUS = 0.5  # a sentence holding the kind of answer asked for gains this share
_STANCE_BONUS = 1.0  # a stance question's: a party's verb says most of its answer
OPENING = 12  # a passage's first words, where it names what it is about
STANCE_REACH = 4  # a verb of stance this many words from the party it is said of


class AnswerType(StrEnum):
    """The kind of answer a question asks for, read from its interrogative."""

    WHEN = "when"  # متى، في أي عام/سنة/يوم/شهر، منذ متى
    COUNT = "count"  # كم، ما عدد، ما نسبة، ما مساحة …
    STANCE = "stance"  # ما موقف، ما رأي، ما رد فعل، كيف ردت، ماذا قالت
    OTHER = "other"


# "when", as written and as spoken (normalized): the engine's "متى" replies read it too.
# Sudanese "متين" is also "strong", Iraqi "شوكت" a name: "when" only where they open the question.
WHEN_WORDS = "متي|امتي|ايمتي|امتا|وقتاش|^(?:" + "|".join(sorted(SPOKEN_WHEN)) + ")"
_WHEN = re.compile(
    rf"(?<!\w)(?:و|ف)?(?:{WHEN_WORDS}|منذ متي|اي (?:عام|سنه|يوم|شهر|تاريخ|قرن))(?!\w)"
)
_COUNT = re.compile(
    r"(?<!\w)(?:و|ف)?(?:ب?(?:كم|شحال|قداش|قديش|كام)|جم|شقد"
    r"|(?:ما|كم) (?:عدد|نسبه|مساحه|طول|ارتفاع|عمق|حجم|قيمه|مبلغ|سعر))(?!\w)"
)


# A stance is told by a verb of saying or taking sides: (past, imperfect without its prefix,
# verbal noun), normalized. Each verb is matched in its own forms only ("يد" is a hand, "عرب"
# Arabs), with و or ف before it.
_STANCE_VERBS = (
    ("قال", "قول", ""), ("صرح", "صرح", "تصريح"), ("اعلن", "علن", "اعلان"),
    ("اكد", "وكد", "تاكيد"), ("اعرب", "عرب", ""), ("اعتبر", "عتبر", ""), ("وصف", "صف", ""),
    ("ندد", "ندد", "تنديد"), ("ادان", "دين", "ادانه"), ("شجب", "شجب", "شجب"),
    ("استنكر", "ستنكر", "استنكار"), ("انتقد", "نتقد", "انتقاد"), ("اتهم", "تهم", "اتهام"),
    ("حذر", "حذر", "تحذير"), ("هدد", "هدد", "تهديد"), ("رحب", "رحب", "ترحيب"),
    ("ايد", "ويد", "تاييد"), ("دعم", "دعم", "دعم"), ("رفض", "رفض", "رفض"),
    ("عارض", "عارض", "معارضه"), ("دعا", "دعو", "دعوه"), ("طالب", "طالب", "مطالبه"),
    ("نفي", "نفي", "نفي"), ("رد", "رد", "رد"), ("راي", "ري", "راي"),
)  # fmt: skip
_STANCE_FORMS = frozenset(
    form
    for past, present, noun in _STANCE_VERBS
    for form in (
        past, past + "ت", past + "وا", past + "ا", past[:-1] + "ت" if past[-1] in "اي" else "",
        "ي" + present, "ت" + present, "ي" + present + "ون", noun,
    )
    if form
)  # fmt: skip


def answer_type(question: str) -> AnswerType:
    text = normalize(question)
    if _WHEN.search(text):
        return AnswerType.WHEN
    if _COUNT.search(text):
        return AnswerType.COUNT
    if stance(text):
        return AnswerType.STANCE
    return AnswerType.OTHER


@dataclass(frozen=True)
class Mark:
    """A span of a passage's text: ``text[start:end]``."""

    start: int
    end: int


def sentences(text: str) -> list[Mark]:
    """The sentences of ``text``, spaces trimmed off their ends."""
    marks: list[Mark] = []
    for sentence in _SENTENCE.finditer(text):
        start, end = sentence.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if any(ch.isalnum() for ch in text[start:end]):
            marks.append(Mark(start, end))
    return marks


def _holds_type(kind: AnswerType, text: str, tokens: list[str], near: set[int]) -> bool:
    """Whether the sentence holds the kind of answer asked for (``near``: the positions of the
    question's words among its ``tokens``)."""
    if kind is AnswerType.WHEN:
        return bool(_YEAR.search(text)) or bool(parse_dates(text).spans)
    if kind is AnswerType.COUNT:
        return bool(_DIGIT.search(text))
    if kind is AnswerType.STANCE:  # the party's own verb: "رحبت تركيا", not "برعاية تركيا"
        return any(
            (token in _STANCE_FORMS or (token[:1] in "وف" and token[1:] in _STANCE_FORMS))
            and any(abs(at - other) <= STANCE_REACH for other in near)
            for at, token in enumerate(tokens)
        )
    return False


def mark(text: str, asked: Asked, words: Analyzer, kind: AnswerType) -> Mark | None:
    """The sentence of ``text`` that best answers the question, if any matches."""
    found = best_sentence(text, asked, words, kind)
    return found[1] if found else None


@dataclass(frozen=True)
class Asked:
    """What each question word matches, found once a question, not once a passage: its
    stems (or their synonyms), else its 4-grams; each with the word's information."""

    words: tuple[tuple[float, frozenset[str], frozenset[str]], ...]
    total: float  # the question's information

    @classmethod
    def of(cls, query: Query, words: Analyzer) -> Asked:
        synonyms: dict[str, set[str]] = {}
        for named, others in query.synonyms:
            for stem in named.stems:
                synonyms.setdefault(stem, set()).update(s for e in others for s in e.stems)
        return cls(
            tuple(
                (word.info, frozenset(words.terms(word.text)) | synonyms.get(word.stem, set()),
                 frozenset(char_ngrams([word.text], 4)))
                for word in query.words
            ),
            sum(word.info for word in query.words),
        )  # fmt: skip


def opening(text: str, asked: Asked, words: Analyzer) -> float:
    """How much of the question's information the passage opens with, in [0, 1]: each word's
    information over one plus its first position among the first ``OPENING`` words.

    A paragraph names what it is about first (a lead, a definition, a topic-first sentence);
    one that names the question's subject in passing further on is about something else.
    """
    if not asked.words:
        return 0.0
    head = " ".join(text.split(maxsplit=OPENING)[:OPENING])
    stems = [set(words.terms(token)) for token in tokenize(normalize(head))[:OPENING]]
    held = 0.0
    for info, matches, _ in asked.words:
        first = next((at for at, found in enumerate(stems) if matches & found), None)
        if first is not None:
            held += info / (1 + first)
    return held / asked.total


def best_sentence(
    text: str, asked: Asked, words: Analyzer, kind: AnswerType
) -> tuple[float, Mark] | None:
    """The best sentence and its score: the question's information it holds, in [0, 1.5]."""
    if not asked.words:
        return None
    units = sentences(text)
    if not units:
        return None
    best: tuple[float, Mark] | None = None
    held: frozenset[str] = frozenset()  # what any question word matches: a party's stance
    if kind is AnswerType.STANCE:
        held = held.union(*(matches for _, matches, _ in asked.words))
    for unit in units:
        piece = text[unit.start : unit.end]
        tokens = tokenize(normalize(piece))  # normalization is letter by letter: words stay
        per_token = [words.terms(t) for t in tokens]
        stems = {s for terms in per_token for s in terms}
        grams: set[str] | None = None  # cut only if a word's stems are not there
        score = 0.0
        for info, matches, word_grams in asked.words:
            if matches & stems:
                score += info
                continue
            if word_grams:
                if grams is None:
                    grams = set().union(*(word_ngrams(t, 4) for t in tokens))
                score += info * (len(word_grams & grams) / len(word_grams)) ** 2
        if score and kind is not AnswerType.OTHER:
            near = set()
            if kind is AnswerType.STANCE:
                near = {at for at, terms in enumerate(per_token) if held.intersection(terms)}
            if _holds_type(kind, piece, tokens, near):
                score *= 1 + (_STANCE_BONUS if kind is AnswerType.STANCE else _TYPE_BONUS)
        if score > 0 and (best is None or score > best[0]):
            best = (score, unit)
    if best is None:
        return None
    return best[0] / asked.total, best[1]
