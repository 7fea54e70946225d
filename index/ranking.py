"""How passages are ranked, and when none is good enough to show.

**Ranking** fuses BM25 over two fields of the same text (title, heading and paragraph): light
stems (light10), which match a word's inflections precisely, and character 4-grams inside words,
which also match what the stemmer misses (a glued preposition, a nisba, a typo). Each field is
scored exactly as rank-bm25 would score it (each question term weighted by its word's
information, :meth:`khabar.index.query.Query.terms`); the fused score is their weighted sum.

**Silence**: a passage is shown only if it covers enough of what the question is about — the
share of the question's information (:mod:`khabar.index.query`) its words match: fully by stem
or by a lexicon synonym, partly by shared 4-grams. An unrelated article shares generic words
with most questions ("مدينة", "عدد"); it rarely shares the rare ones that say what they are about.
A question that names a place the lexicon knows is about it: a passage that does not name it,
one way or another, counts half its coverage (:meth:`Ranker.named`), and none counts at all
when no passage of the archive names it (:meth:`Ranker.unknown_place`).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from khabar.index import lexicon
from khabar.index.analysis import Analyzer, get_analyzer, words
from khabar.index.bm25 import BM25Params, Located, PostingsBM25
from khabar.index.query import Query, Word, future, information

# A synonym covers a question word this much; shared 4-grams cover it by their share squared.
SYNONYM_CREDIT = 0.75
# A passage that does not name a place the question names counts this share of
# its coverage towards lifting the silence.
UNNAMED = 0.5
# Up to this many passages every question is scored over every posting. Past it, candidates
# come from the question's rarer terms (held by at most RARE_SHARE of the passages), the best
# CANDIDATES of them are scored in full, and terms held by most of an archive are looked up
# only for those: their share of a score is small, and summing their postings is most of the
# cost of a question.
EXACT_UP_TO = 20_000
RARE_SHARE = 0.02
CANDIDATES = 500
# Below this many passages Okapi's idf has no term to tell apart (Words.ranker).
TINY = 3
# Prepositions and conjunctions written onto the next word, which light10 leaves on ("لحلب",
# "برعاية"); a question word loses one only if the index lacks it and holds what remains,
# of three letters or more.
CLITICS = ("وب", "ول", "فب", "فل", "ب", "ل", "ف", "ك")
# A verb's endings that light10 leaves on ("توسطتا", "دامت", "انسحبوا"): off a question word,
# on a lexicon word, only where the index (or the lexicon) holds the result.
VERB_ENDINGS = ("تا", "وا", "ت")
# The imperfect's prefixes for "he" and "she" (and "you"): a question's verb may agree with
# another subject than the passage's ("تتركز الغالبية" for "يتركز أغلب").
AGREEMENT = {"ت": "ي", "ي": "ت"}
# A word at least this informative is worth telling a reader the archive lacks ("عدد" in "كم
# عدد" and "كانت" are not).
TELLING = 4.0
# Both fields saturate early: a question is short, and one match of a rare word says most.
FIELD_PARAMS = BM25Params("okapi", k1=0.9, b=0.75)


@dataclass(frozen=True)
class Field:
    """One analyzed view of the passages, and its weight in the fused score."""

    analyzer: str
    weight: float = 1.0
    params: BM25Params = FIELD_PARAMS


@dataclass(frozen=True)
class Ranking:
    """The fields, and the least share of a question a passage must cover (None: no gate)."""

    fields: tuple[Field, ...]
    silence: float | None = None
    lexicon: bool = True

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Ranking:
        """The ranking an index was built with (KeyError/TypeError/ValueError when malformed)."""
        fields = tuple(
            Field(str(f["analyzer"]), float(f["weight"]), BM25Params(**f["params"]))
            for f in data["fields"]
        )
        silence = data.get("silence")
        return cls(fields, None if silence is None else float(silence), bool(data["lexicon"]))


# Measured best on the gold sets and ARCD (README): stems weigh twice the 4-grams.
DEFAULT_RANKING = Ranking(
    fields=(Field("light10", 2.0), Field("ngram4", 1.0)),
    silence=0.39,
)


class Ranker:
    """The fields' BM25 scorers over one list of passages."""

    def __init__(self, ranking: Ranking, scorers: dict[str, PostingsBM25]) -> None:
        self.ranking = ranking
        self.scorers = scorers
        self.analyzers = {f.analyzer: get_analyzer(f.analyzer) for f in ranking.fields}
        words = [f.analyzer for f in ranking.fields if self.analyzers[f.analyzer].word_level]
        self._words = words[0] if words else None  # the field that matches whole words
        grams = [f.analyzer for f in ranking.fields if f.analyzer.startswith("ngram")]
        self._grams = grams[0] if grams else None
        self.n_docs = len(next(iter(scorers.values())))
        # each lexicon entry as this index spells it, worked out once (both are fixed)
        self._spellings: dict[lexicon.Entry, lexicon.Entry] = {}

    @property
    def word_analyzer(self) -> Analyzer:
        """The analyzer that turns a word into its stem (for highlighting matched words)."""
        return self.analyzers[self._words] if self._words else get_analyzer("light10")

    @classmethod
    def build(
        cls,
        ranking: Ranking,
        documents: Iterable[str],
        progress: Callable[[int, int], None] | None = None,
    ) -> Ranker:
        """Index the documents: normalized and tokenized once, each distinct word analyzed
        once per field (``progress(fields done, fields)`` is told as each field is indexed)."""
        collected = Words()
        for document in documents:
            collected.add(document)
        return collected.ranker(ranking, progress)

    def query(self, query: Query) -> Query:
        """The query as this ranking uses it (without expansions when the lexicon is off)."""
        return query if self.ranking.lexicon else Query(query.words)

    def fit(self, query: Query) -> Query:
        """The question as this index spells its words and their other names (and its verbs
        as they agree with another subject, :meth:`_agreeing`).

        A question word the index never holds loses a glued preposition ("لحلب" → "حلب",
        "لسكان" → "سكان") or a verb's ending ("توسطتا" → "توسط") when what remains is held (by
        the index, or by the lexicon for its other names). A lexicon word the index never holds
        is looked for as the index writes it: with a preposition on ("برعاية", "وقف لإطلاق
        النار") or a verb's ending ("استمرت"). Only the index can tell: "بريد" and "لبنان" keep
        their first letter wherever they are held, and light10 cannot strip ب or ل without
        breaking such words everywhere.
        """
        if self._words is None:
            return query
        scorer = self.scorers[self._words]
        analyzer = self.analyzers[self._words]
        words = [self._held(word, scorer, analyzer) for word in query.words]
        fitted = query if words == list(query.words) else Query.of(words)
        agreeing = [self._agreeing(word, scorer, analyzer) for word in fitted.words]
        synonyms = tuple(
            (own, tuple(self._spelling(entry, scorer, analyzer) for entry in others))
            for own, others in fitted.synonyms
        ) + tuple(pair for pair in agreeing if pair is not None)
        if synonyms == fitted.synonyms:
            return fitted
        return Query(fitted.words, synonyms)

    @staticmethod
    def _agreeing(
        word: Word, scorer: PostingsBM25, analyzer: Analyzer
    ) -> tuple[lexicon.Entry, tuple[lexicon.Entry, ...]] | None:
        """The word's imperfect for the other gender as another name of it, if the index holds
        it: "تحد" is also "يحد", and "تقع" "يقع". Only the index can tell a verb from a noun
        that starts with ت ("تركيا" has no "يركيا"); a word the lexicon lists is a noun or a
        name, never a verb ("تونس" is not "يونس")."""
        swap = AGREEMENT.get(word.text[:1])
        if swap is None or len(word.text) < 3 or lexicon.names(word.stem):
            return None
        other = swap + word.text[1:]
        stems = analyzer(other)
        if not stems or stems[0] == word.stem or not scorer.df(stems[0]):
            return None
        return lexicon.Entry((word.text,), (word.stem,)), (lexicon.Entry((other,), (stems[0],)),)

    @staticmethod
    def _held(word: Word, scorer: PostingsBM25, analyzer: Analyzer) -> Word:
        if scorer.df(word.stem):
            return word
        for clitic in CLITICS:
            rest = word.text[len(clitic) :]
            if word.text.startswith(clitic) and len(rest) >= 3:
                stems = analyzer(rest)  # empty if the rest is a stopword ("لهذا")
                if stems and (scorer.df(stems[0]) or lexicon.names(stems[0])):
                    return Word(rest, stems[0], information(rest))
        for ending in VERB_ENDINGS:
            rest = word.text[: -len(ending)]
            if word.text.endswith(ending) and len(rest) >= 3:
                stems = analyzer(rest)
                if stems and (scorer.df(stems[0]) or lexicon.names(stems[0])):
                    return Word(rest, stems[0], word.info)
        for form in _verb_forms(word):
            stems = analyzer(form)
            if stems and scorer.df(stems[0]):
                return Word(form, stems[0], information(form))
        return word

    def _spelling(
        self, entry: lexicon.Entry, scorer: PostingsBM25, analyzer: Analyzer
    ) -> lexicon.Entry:
        found = self._spellings.get(entry)
        if found is None:
            found = self._spellings[entry] = self._spelled(entry, scorer, analyzer)
        return found

    @staticmethod
    def _spelled(entry: lexicon.Entry, scorer: PostingsBM25, analyzer: Analyzer) -> lexicon.Entry:
        """The entry with each word the index lacks as the index writes it, if it does."""
        words, stems = [], []
        for word in entry.words:
            found = analyzer(word)
            if found and not scorer.df(found[0]):
                # the shortest glue first: "لإطلاق", not "ولإطلاق" that stems the same
                spellings = [c + word for c in sorted(CLITICS, key=len)]
                spellings += [word + ending for ending in VERB_ENDINGS]
                for spelling in spellings:
                    glued = analyzer(spelling)
                    if glued and scorer.df(glued[0]):
                        word, found = spelling, glued
                        break
            words.append(word)
            stems.extend(found)
        if tuple(words) == entry.words:
            return entry
        return replace(entry, words=tuple(words), stems=tuple(stems))

    def rank(self, query: Query, among: np.ndarray | None = None) -> Ranked:
        """The passages matching the question (within ``among``), best first, with coverage."""
        query = self.query(query)
        if self.n_docs <= EXACT_UP_TO:
            scores = self.scores(query)
            mask = scores > 0
            if among is not None:
                mask &= _mask(among, self.n_docs)
            found = np.flatnonzero(mask)
            coverage = self.coverage(query)[found]
            named = self.named(query)[found]
            scores = scores[found]
        else:
            found, scores, located = self._candidates(query, among)
            coverage = self.coverage(query, found, located)
            named = self.named(query, found, located)
        order = np.lexsort((found, -scores))
        unnamed = 0.0 if self.unknown_place(query) else UNNAMED
        return Ranked(found[order], scores[order], coverage[order], named[order], unnamed)

    def unheld(self, query: Query) -> list[Word]:
        """The question's telling words the index holds in no form: not by stem, not by another
        name the lexicon gives, not by the 4-grams of its stem. A reply that answers without
        them says so. Not a verb: an article tells the same with another form of it
        ("استخدمت" for "استخدام", "انهار" for "انهيار"), which light10 does not meet."""
        query = self.query(query)
        if self._words is None:
            return []
        scorer = self.scorers[self._words]
        named: set[str] = set()
        for own, others in query.synonyms:
            if any(all(scorer.df(stem) for stem in entry.stems) for entry in others):
                named.update(own.stems)
        analyzer = self.analyzers[self._words]
        return [
            word
            for word in query.words
            if word.info >= TELLING
            and not _verb_like(word.text)
            and not (word.text.isdigit() or scorer.df(word.stem) or word.stem in named)
            and not self._grams_held(word.stem, word.text)
            and not any(scorer.df(stem) for form in _tenses(word.text) for stem in analyzer(form))
        ]

    def _grams_held(self, stem: str, text: str) -> bool:
        """Whether every 4-gram of the stem is in the index (it may be held glued to a
        preposition: "باستثمارات"). A stem of three letters has none to tell by, and may be
        held in a form light10 does not meet ("بدأ" in "بدء"): it counts as held, but for a
        noun ending in ة ("سعة", "كلفة", "زوجة"), which is held only as itself, whatever is
        glued before it ("بسعة"), or with its ت before a pronoun ("سعته")."""
        if self._grams is None:
            return False
        scorer = self.scorers[self._grams]
        if len(stem) in (2, 3) and text.endswith(stem + "ه"):  # a noun ending in ة
            ends = [text[-3:] + "_"]
            pronouns = [stem + "ت"] if len(stem) == 3 else [stem + "ت" + p for p in "هيكنا"]
            return any(scorer.df(gram) for gram in ends + pronouns)
        return all(scorer.df(stem[i : i + 4]) for i in range(len(stem) - 3))

    def unknown_place(self, query: Query) -> bool:
        """Whether the question names a place no passage names by any of its names: then
        the archive is not about what it asks ("هل رفعت السعودية أسعار الفائدة؟" of Egypt's)."""
        query = self.query(query)
        if self._words is None:
            return False
        scorer = self.scorers[self._words]
        for own, others in query.synonyms:
            if own.proper and not any(
                all(scorer.df(stem) for stem in entry.stems) for entry in (own, *others)
            ):
                return True
        return False

    def _candidates(
        self, query: Query, among: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, _Located]:
        """Candidates from the rarer terms, then every term's share for the best of them."""
        cap = max(1, int(self.n_docs * RARE_SHARE))
        docs: list[np.ndarray] = []
        shares: list[np.ndarray] = []
        common: list[tuple[Field, str, float]] = []
        for f in self.ranking.fields:
            scorer = self.scorers[f.analyzer]
            terms, weights = query.terms(self.analyzers[f.analyzer])
            rare_terms, rare_weights = [], []
            for term, weight in zip(terms, weights, strict=True):
                df = scorer.df(term)
                if 0 < df <= cap:
                    rare_terms.append(term)
                    rare_weights.append(f.weight * weight)
                elif df:
                    common.append((f, term, weight))
            if rare_terms:
                held, share = scorer.contributions(rare_terms, rare_weights)
                docs.append(held)
                shares.append(share)
        if not docs and common:
            # Only common words: the rarest of them proposes the candidates.
            f, term, weight = min(common, key=lambda c: self.scorers[c[0].analyzer].df(c[1]))
            held, share = self.scorers[f.analyzer].contributions([term], [f.weight * weight])
            docs.append(held)
            shares.append(share)
            common.remove((f, term, weight))
        if not docs:
            return np.zeros(0, np.int64), np.zeros(0), _Located(self.scorers, np.zeros(0))
        # One pass over the archive: every rare posting of both fields added up at once.
        partial = np.bincount(
            np.concatenate(docs), weights=np.concatenate(shares), minlength=self.n_docs
        )
        if among is not None:
            partial *= _mask(among, self.n_docs)
        found = np.flatnonzero(partial > 0)
        if found.size > CANDIDATES:
            found = np.sort(found[np.argpartition(-partial[found], CANDIDATES)[:CANDIDATES]])
        scores: np.ndarray = partial[found]
        located = _Located(self.scorers, found)
        for f, term, weight in common:
            where = located(f.analyzer, term)
            if where is not None:
                part = self.scorers[f.analyzer].shares_at(where, found.size)
                scores = scores + f.weight * (weight * part)
        return found, scores, located

    def scores(self, query: Query) -> np.ndarray:
        """Every passage's fused score for the question (0 where no term matches)."""
        query = self.query(query)
        total = np.zeros(self.n_docs, dtype=np.float64)
        for f in self.ranking.fields:
            terms, weights = query.terms(self.analyzers[f.analyzer])
            if terms:
                total += f.weight * self.scorers[f.analyzer].weighted_scores(terms, weights)
        return total

    def coverage(
        self, query: Query, docs: np.ndarray | None = None, located: _Located | None = None
    ) -> np.ndarray:
        """Share of the question's information each passage (or each of ``docs``) covers
        (``located``: the terms already found among ``docs``)."""
        if docs is not None and located is None:
            located = _Located(self.scorers, docs)
        query = self.query(query)
        size = self.n_docs if docs is None else docs.size
        info = sum(word.info for word in query.words)
        if not info:
            return np.ones(size, dtype=np.float64)
        covered = np.zeros(size, dtype=np.float64)
        synonyms = self._synonym_docs(query, docs)
        for word in query.words:
            credit = np.zeros(size, dtype=np.float64)
            if self._grams is not None:
                grams = sorted(set(self.analyzers[self._grams](word.text)))
                if grams:
                    held = self._holders(self._grams, grams, located)
                    credit = (held / len(grams)) ** 2
            if self._words is not None:
                stems = self.analyzers[self._words](word.text)
                credit[self._holders(self._words, stems, located) > 0] = 1.0
            if word.stem in synonyms:
                at = synonyms[word.stem]
                credit[at] = np.maximum(credit[at], SYNONYM_CREDIT)
            covered += word.info * credit
        return covered / info

    def named(
        self, query: Query, docs: np.ndarray | None = None, located: _Located | None = None
    ) -> np.ndarray:
        """Whether each passage (or each of ``docs``) names every place the
        question names, by any of its names ("الولايات المتحدة" for "واشنطن")."""
        size = self.n_docs if docs is None else docs.size
        query = self.query(query)
        proper = [(own, others) for own, others in query.synonyms if own.proper]
        if self._words is None or not proper:
            return np.ones(size, dtype=bool)
        if docs is not None and located is None:
            located = _Located(self.scorers, docs)
        # One place may be named twice in a question ("الولايات المتحدة الأمريكية"), and one
        # name may be in two groups (بكين: China's, and "العاصمة الصينية"'s): any of them does.
        things: list[tuple[set[object], np.ndarray]] = []
        for own, others in proper:
            held = np.zeros(size, dtype=bool)
            for entry in (own, *others):
                count = self._holders(self._words, list(entry.stems), located)
                held |= count >= len(entry.stems)
            keys: set[object] = {own.stems, tuple(sorted(e.stems for e in others))}
            for seen, before in [t for t in things if t[0] & keys]:
                keys |= seen
                held |= before
            things = [t for t in things if not t[0] & keys] + [(keys, held)]
        return np.logical_and.reduce([held for _, held in things])

    def _holders(self, field: str, terms: list[str], located: _Located | None) -> np.ndarray:
        """How many of the terms each passage (or each document ``located`` is about) holds."""
        if located is None:
            held = [self.scorers[field].docs(t) for t in terms]
            if not held:
                return np.zeros(self.n_docs, dtype=np.int64)
            return np.bincount(np.concatenate(held), minlength=self.n_docs)
        counts = np.zeros(located.docs.size, dtype=np.int64)
        for term in terms:
            where = located(field, term)
            if where is not None:
                counts += where.hit
        return counts

    def _synonym_docs(self, query: Query, docs: np.ndarray | None) -> dict[str, np.ndarray]:
        """For each question stem the lexicon expands: a mask of the passages (or of ``docs``)
        naming it otherwise (every stem of a several-word name present)."""
        if self._words is None or not query.synonyms:
            return {}
        scorer = self.scorers[self._words]
        size = self.n_docs if docs is None else docs.size

        def holds(stem: str) -> np.ndarray:
            if docs is None:
                return _mask(scorer.docs(stem), self.n_docs)
            return scorer.holds(stem, docs)

        found: dict[str, np.ndarray] = {}
        for own, others in query.synonyms:
            named = np.zeros(size, dtype=bool)
            for entry in others:
                held = np.ones(size, dtype=bool)
                for stem in entry.stems:
                    held &= holds(stem)
                named |= held
            for stem in own.stems:
                found[stem] = found[stem] | named if stem in found else named
        return found


class _Located:
    """The question's terms located among some documents, each term found once however many
    times the ranking asks (its share of the score, then whether it covers a word)."""

    def __init__(self, scorers: dict[str, PostingsBM25], docs: np.ndarray) -> None:
        self._scorers = scorers
        self.docs = docs.astype(np.int32)
        self._found: dict[tuple[str, str], Located | None] = {}

    def __call__(self, field: str, term: str) -> Located | None:
        key = (field, term)
        if key not in self._found:
            self._found[key] = self._scorers[field].locate(term, self.docs)
        return self._found[key]


class Words:
    """The documents' words as ids, collected one document at a time.

    A build streams its passages through here and keeps only machine integers: one per word
    of the archive, and each distinct word once.
    """

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._flat = array("i")
        self._per_doc = array("i")

    def add(self, document: str) -> None:
        self.add_words(words(document))

    def add_words(self, found: list[str]) -> None:
        """A document's words, as :func:`khabar.index.analysis.words` gives them."""
        self._per_doc.append(len(found))
        setdefault, ids = self._ids.setdefault, self._ids
        self._flat.extend([setdefault(w, len(ids)) for w in found])

    def __len__(self) -> int:
        return len(self._per_doc)

    def ranker(
        self, ranking: Ranking, progress: Callable[[int, int], None] | None = None
    ) -> Ranker:
        """Each field's postings from the words collected."""
        vocabulary = list(self._ids)
        word_ids = np.frombuffer(self._flat, dtype=np.int32)
        per_doc = np.frombuffer(self._per_doc, dtype=np.int32)
        scorers = {}
        for done, f in enumerate(ranking.fields, start=1):
            analyzer = get_analyzer(f.analyzer)
            params = f.params
            if len(per_doc) < TINY and params.variant == "okapi":
                # One or two passages: every term is in half of them or more, so Okapi's idf
                # is zero or negative for all and nothing would ever match; BM25+'s idf stays
                # positive for any term the passages hold.
                params = replace(params, variant="plus", delta=None)
            scorers[f.analyzer] = PostingsBM25.from_words(
                [analyzer.terms(w) for w in vocabulary], word_ids, per_doc, params
            )
            if progress is not None:
                progress(done, len(ranking.fields))
        return Ranker(ranking, scorers)


@dataclass(frozen=True)
class Ranked:
    """Matching passages best first, with their fused scores, coverage and whether they name
    what the question names, aligned."""

    order: np.ndarray
    scores: np.ndarray
    coverage: np.ndarray
    named: np.ndarray
    unnamed: float = UNNAMED  # the share of its coverage an unnamed passage counts

    def __getitem__(self, keep: np.ndarray) -> Ranked:
        return Ranked(
            self.order[keep], self.scores[keep], self.coverage[keep], self.named[keep], self.unnamed
        )

    def lifts(self, silence: float) -> np.ndarray:
        """Which passages cover enough of the question to answer it on their own (one that
        does not name what the question names counting ``unnamed`` of its coverage)."""
        return np.where(self.named, self.coverage, self.unnamed * self.coverage) >= silence

    def shown(self, silence: float | None) -> Ranked:
        """What may be shown: nothing unless a passage lifts the silence; then everything but
        passages covering under half of it (noise that shares a word or two)."""
        if silence is None or not self.order.size:
            return self
        if not self.lifts(silence).any():
            return self[np.zeros(self.order.size, dtype=bool)]
        return self[self.coverage >= silence / 2]


# A verb's marks in a question: the perfect's ت (not a plural's ات) and وا, an object pronoun,
# the imperfect's ي, the future's س, and as spoken ب and ه ("شاركت", "نزحوا", "استخدمها",
# "يدفع", "سيبدأ", "بتشوف", "هيرجع"), a derived verb's perfect.
_VERB = re.compile(
    r"(?:(?<!ا)ت|وا|تا|ها|هم)$|^(?:ي|[سبه][يتن])\w{3}"
    r"|^ا(?!ل)\w{1,3}[^ا]\w$"  # a derived perfect, "انضم", "اعتزل", "استخدم" (not "انفجار")
)


def _verb_forms(word: Word) -> list[str]:
    """The same verb as an index may write it: without the future's س ("سيطالب" → "يطالب";
    :func:`khabar.index.query.future`), and
    agreeing with the other gender ("تنتقل" → "ينتقل"; a word the lexicon lists is a name)."""
    text = word.text
    forms = []
    if len(text) > 4 and future(text):
        text = text[1:]
        forms.append(text)
    swap = AGREEMENT.get(text[:1])
    if swap is not None and len(text) > 3 and not lexicon.names(word.stem):
        forms.append(swap + text[1:])
    return forms


def _tenses(word: str) -> list[str]:
    """A present verb with ت or ي as its past may be written: "تفتتح" and "افتتح", "يتقدم" and
    "تقدم" (a noun opening with ت has neither held, as a rule)."""
    if word[:1] not in AGREEMENT or len(word) < 4:
        return []
    return ["ا" + word[1:], word[1:]]


def _verb_like(word: str) -> bool:
    """Whether a normalized word looks like a verb (:data:`_VERB`); a noun ending in ت
    ("بيروت") is taken for one, the cautious side for telling what an article lacks."""
    return _VERB.search(word) is not None


def _mask(indices: np.ndarray, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[indices] = True
    return mask
