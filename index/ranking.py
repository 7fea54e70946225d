"""How passages are ranked, and when none is good enough to show.

**Ranking** fuses BM25 over two fields of the same text (title, heading and paragraph): light
stems (light10), which match a word's inflections precisely, and character 4-grams inside words,
which also match what the stemmer misses (a glued preposition, a nisba, a typo). Each field is
scored exactly as rank-bm25 would score it; the fused score is their weighted sum.

**Silence**: a passage is shown only if it covers enough of what the question is about — the
share of the question's information (:mod:`khabar.index.query`) its words match: fully by stem
or by a lexicon synonym, partly by shared 4-grams. An unrelated article shares generic words
with most questions ("مدينة", "عدد"); it rarely shares the rare ones that say what they are about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from khabar.index.analysis import Analyzer, get_analyzer
from khabar.index.bm25 import BM25Params, PostingsBM25
from khabar.index.query import Query

# A synonym covers a question word this much; shared 4-grams cover it by their share squared.
SYNONYM_CREDIT = 0.75
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

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Ranking:
        fields = tuple(
            Field(f["analyzer"], float(f["weight"]), BM25Params(**f["params"]))
            for f in data["fields"]  # type: ignore[union-attr]
        )
        silence = data.get("silence")
        return cls(fields, None if silence is None else float(silence), bool(data["lexicon"]))  # type: ignore[arg-type]


# Measured best on the gold sets and ARCD (README): stems weigh twice the 4-grams.
DEFAULT_RANKING = Ranking(
    fields=(Field("light10", 2.0), Field("ngram4", 1.0)),
    silence=0.36,
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

    @property
    def word_analyzer(self) -> Analyzer:
        """The analyzer that turns a word into its stem (for highlighting matched words)."""
        return self.analyzers[self._words] if self._words else get_analyzer("light10")

    @classmethod
    def build(cls, ranking: Ranking, documents: Sequence[str]) -> Ranker:
        scorers = {}
        for f in ranking.fields:
            analyzer = get_analyzer(f.analyzer)
            scorers[f.analyzer] = PostingsBM25.build([analyzer(d) for d in documents], f.params)
        return cls(ranking, scorers)

    def query(self, query: Query) -> Query:
        """The query as this ranking uses it (without expansions when the lexicon is off)."""
        return query if self.ranking.lexicon else Query(query.words)

    def scores(self, query: Query) -> np.ndarray:
        """Every passage's fused score for the question (0 where no term matches)."""
        query = self.query(query)
        total = np.zeros(self.n_docs, dtype=np.float64)
        for f in self.ranking.fields:
            terms, weights = query.terms(self.analyzers[f.analyzer])
            if terms:
                total += f.weight * self.scorers[f.analyzer].weighted_scores(terms, weights)
        return total

    def coverage(self, query: Query) -> np.ndarray:
        """Share of the question's information each passage covers, in [0, 1]."""
        query = self.query(query)
        info = sum(word.info for word in query.words)
        if not info:
            return np.ones(self.n_docs, dtype=np.float64)
        covered = np.zeros(self.n_docs, dtype=np.float64)
        synonyms = self._synonym_docs(query)
        for word in query.words:
            credit = np.zeros(self.n_docs, dtype=np.float64)
            if self._grams is not None:
                grams = sorted(set(self.analyzers[self._grams](word.text)))
                if grams:
                    held = [self.scorers[self._grams].docs(g) for g in grams]
                    counts = np.bincount(np.concatenate(held), minlength=self.n_docs)
                    credit = (counts / len(grams)) ** 2
            if self._words is not None:
                for stem in self.analyzers[self._words](word.text):
                    credit[self.scorers[self._words].docs(stem)] = 1.0
            if word.stem in synonyms:
                at = synonyms[word.stem]
                credit[at] = np.maximum(credit[at], SYNONYM_CREDIT)
            covered += word.info * credit
        return covered / info

    def _synonym_docs(self, query: Query) -> dict[str, np.ndarray]:
        """For each question stem the lexicon expands: the passages naming it otherwise."""
        if self._words is None or not query.expansions:
            return {}
        scorer = self.scorers[self._words]
        found: dict[str, np.ndarray] = {}
        for own, others in query.synonyms:
            docs = [_all_of([scorer.docs(s) for s in entry.stems]) for entry in others]
            docs = [d for d in docs if d.size]
            if docs:
                union = np.unique(np.concatenate(docs))
                for stem in own.stems:
                    previous = found.get(stem)
                    found[stem] = union if previous is None else np.union1d(previous, union)
        return found


def _all_of(lists: list[np.ndarray]) -> np.ndarray:
    """Documents in every list (all the stems of a several-word entry)."""
    if not lists:
        return np.zeros(0, dtype=np.int32)
    out = lists[0]
    for more in lists[1:]:
        out = np.intersect1d(out, more, assume_unique=True)
    return out
