"""BM25 over postings lists that scores exactly like rank-bm25, at the cost of the question.

rank-bm25's ``get_scores`` walks every document for every query term in pure Python; at 100k
passages that is ~160 ms a question. :class:`PostingsBM25` keeps the same statistics in CSR
postings (term → documents, term frequencies) and precomputes, once per load, each posting's
contribution ``idf(t) · tf-part(t, d)`` with the very same floating-point operations, in the
same order, as rank-bm25 evaluates them. A question then costs a gather of its terms' postings
and one ``np.bincount``: the sums run in query-term order too, so scores agree bit for bit (the
tests allow 1e-9).

What is reproduced from rank_bm25 0.2.2, deliberately:

* Okapi idf is ``log(N - n + 0.5) - log(n + 0.5)``; negative ones (terms in more than half of
  the documents) become ``epsilon · average_idf``, the average summed in the order terms first
  appear in the corpus, as rank-bm25's dict does.
* Plus idf is ``log((N + 1) / n)``; L idf is ``log(N + 1) - log(n + 0.5)``.
* A term repeated in the question counts once per repetition; unknown terms add nothing.
* BM25Plus adds ``idf · delta`` to *every* document, matching or not; Okapi and L give
  non-matching documents exactly 0.
* Defaults: ``delta`` is 1.0 for Plus and 0.5 for L, as rank-bm25's constructors have it.

Where rank-bm25 fails we do not: an empty corpus or one without any term raises
ZeroDivisionError there and scores nothing here; with ``b = 1`` an empty document makes it
divide 0 by 0 (NaN) while it scores as a document without the terms here.
"""

from __future__ import annotations

import itertools
import math
import numbers
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from khabar.index import validate
from khabar.index.lazy import Made

Variant = Literal["okapi", "plus", "l"]
VARIANTS: tuple[Variant, ...] = ("okapi", "plus", "l")
_DEFAULT_DELTA = {"okapi": 1.0, "plus": 1.0, "l": 0.5}
ARRAY_KEYS = validate.POSTINGS_KEYS


@dataclass(frozen=True)
class BM25Params:
    """The ranking function and its constants (stored with the index, so a load scores alike).

    ``delta`` left as None takes rank-bm25's default for the variant: 1.0 for Plus, 0.5 for L
    (Okapi ignores it). ``k1`` must be positive and ``b`` within [0, 1]: outside those
    rank-bm25 divides by zero or inverts length normalization.
    """

    variant: Variant = "okapi"
    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25  # okapi: the floor for negative idf, as a share of the average idf
    delta: float | None = None  # plus: 1.0 default in rank_bm25; l: 0.5 default

    def __post_init__(self) -> None:
        if self.variant not in VARIANTS:
            raise ValueError(f"unknown BM25 variant {self.variant!r}; known: {', '.join(VARIANTS)}")
        delta = _DEFAULT_DELTA[self.variant] if self.delta is None else self.delta
        values = {"k1": self.k1, "b": self.b, "epsilon": self.epsilon, "delta": delta}
        for name, value in values.items():
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"BM25 {name} must be a number, not {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"BM25 {name} must be finite, not {value!r}")
            object.__setattr__(self, name, float(value))
        if self.k1 <= 0:
            raise ValueError(f"BM25 k1 must be > 0, not {self.k1}")
        if not 0 <= self.b <= 1:
            raise ValueError(f"BM25 b must be within [0, 1], not {self.b}")


# ---- the variants: one small function each, for idf and for a posting's share ---------------
# idf runs term by term with math.log, in first-appearance order, as rank-bm25 does: numpy's
# vectorized log may differ from libm's in the last bit, and it runs once per build.


def _idf_okapi(n_docs: int, df: list[int], epsilon: float) -> np.ndarray:
    """log(N - n + 0.5) - log(n + 0.5); negative ones floored to epsilon x the average."""
    values = [math.log(n_docs - f + 0.5) - math.log(f + 0.5) for f in df]
    idf_sum = 0.0
    for value in values:  # sequential, like rank-bm25 (not numpy's pairwise sum)
        idf_sum += value
    eps = epsilon * (idf_sum / len(values)) if values else 0.0
    return np.array([eps if v < 0 else v for v in values], dtype=np.float64)


def _idf_plus(n_docs: int, df: list[int], epsilon: float) -> np.ndarray:
    return np.array([math.log((n_docs + 1) / f) for f in df], dtype=np.float64)


def _idf_l(n_docs: int, df: list[int], epsilon: float) -> np.ndarray:
    top = math.log(n_docs + 1)
    return np.array([top - math.log(f + 0.5) for f in df], dtype=np.float64)


def _share_okapi(idf: float, tf: np.ndarray, norm: np.ndarray, p: BM25Params) -> np.ndarray:
    # idf * (q_freq * (k1 + 1) / (q_freq + k1 * norm))
    return idf * ((tf * (p.k1 + 1)) / (tf + p.k1 * norm))


def _share_plus(idf: float, tf: np.ndarray, norm: np.ndarray, p: BM25Params) -> np.ndarray:
    # idf * (delta + (q_freq * (k1 + 1)) / (k1 * norm + q_freq))
    return idf * (p.delta + (tf * (p.k1 + 1)) / (p.k1 * norm + tf))


def _share_l(idf: float, tf: np.ndarray, norm: np.ndarray, p: BM25Params) -> np.ndarray:
    # ctd = q_freq / norm; idf * q_freq * (k1 + 1) * (ctd + delta) / (k1 + ctd + delta)
    ctd = tf / norm
    return (((idf * tf) * (p.k1 + 1)) * (ctd + p.delta)) / ((p.k1 + ctd) + p.delta)


@dataclass(frozen=True)
class _Formula:
    idf: Callable[[int, list[int], float], np.ndarray]
    share: Callable[[float, np.ndarray, np.ndarray, BM25Params], np.ndarray]
    absent_scores: bool  # Plus gives idf·delta to documents without the term


FORMULAS: dict[str, _Formula] = {
    "okapi": _Formula(_idf_okapi, _share_okapi, absent_scores=False),
    "plus": _Formula(_idf_plus, _share_plus, absent_scores=True),
    "l": _Formula(_idf_l, _share_l, absent_scores=False),
}


def _pairs(
    token_ids: np.ndarray, doc_len: np.ndarray, first_doc: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The (term, document, frequency) runs of consecutive documents' tokens, sorted by term
    then document; documents are numbered from ``first_doc``."""
    n = doc_len.size
    # One int64 key per token, sorted in place: np.unique would hold several copies at once.
    keys = token_ids.astype(np.int64)
    keys *= n
    keys += np.repeat(np.arange(n, dtype=np.int64), doc_len)
    keys.sort()
    if not keys.size:
        empty = np.zeros(0, dtype=np.int32)
        return empty, empty, empty
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    tf = np.diff(np.append(starts, keys.size)).astype(np.int32)
    term, doc = np.divmod(keys[starts], n)
    del keys
    return term.astype(np.int32), (doc + first_doc).astype(np.int32), tf


class Vocabulary(Made[str]):
    """Terms by id, and a term's id.

    Built, it is a list and a dict. Read from a file, it is the terms as one string with
    offsets, plus the ids in the terms' sorted order: a term is found by binary search, so an
    archive's million terms cost nothing to open (no dict of them is ever made); terms found
    are remembered.
    """

    def __init__(
        self, terms: Sequence[str], text: str = "", at: np.ndarray | None = None,
        order: np.ndarray | None = None,
    ) -> None:  # fmt: skip
        self._terms: Sequence[str] | None = None
        self._ids: dict[str, int] = {}
        self._text = text
        self._at = at if at is not None else np.zeros(1, dtype=np.int64)
        self._order = order if order is not None else np.zeros(0, dtype=np.int64)
        if at is None:
            self._terms = terms
            self._ids = dict(zip(terms, range(len(terms)), strict=True))
            if len(self._ids) != len(terms):
                raise ValueError("vocabulary holds a term twice")
            self._size = len(terms)
        else:
            self._size = int(at.size) - 1

    @classmethod
    def stored(cls, text: str, at: np.ndarray, order: np.ndarray) -> Vocabulary:
        return cls((), text, at, order)

    def __len__(self) -> int:
        return self._size

    def _item(self, i: int) -> str:
        if self._terms is not None:
            return self._terms[i]
        return self._text[int(self._at[i]) : int(self._at[i + 1])]

    def id(self, term: str) -> int | None:
        """The term's id, or None when the index does not hold it."""
        found = self._ids.get(term)
        if found is not None or self._terms is not None:
            return found
        order, lo, hi = self._order, 0, self._size
        while lo < hi:  # the first term in sorted order not below ``term``
            mid = (lo + hi) // 2
            if self._item(int(order[mid])) < term:
                lo = mid + 1
            else:
                hi = mid
        if lo < self._size and self._item(int(order[lo])) == term:
            if len(self._ids) < _REMEMBERED:
                self._ids[term] = int(order[lo])
            return int(order[lo])
        return None

    def arrays(self) -> dict[str, np.ndarray]:
        """The terms as one string, their offsets, and their ids in sorted order."""
        if self._terms is None:
            return {"vocab": np.array([self._text]), "vocab_at": self._at,
                    "vocab_order": self._order}  # fmt: skip
        terms = self._terms
        at = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum([len(t) for t in terms], out=at[1:])
        order = np.array(sorted(range(len(terms)), key=terms.__getitem__), dtype=np.int64)
        return {"vocab": np.array(["".join(terms)]), "vocab_at": at, "vocab_order": order}


_REMEMBERED = 1 << 16  # terms a stored vocabulary keeps found (questions repeat their words)


@dataclass(frozen=True)
class Located:
    """A term's postings met with some documents: which hold it, and how often."""

    term: int
    hit: np.ndarray  # per document asked: holds the term
    docs: np.ndarray  # the holders
    tf: np.ndarray  # how often each holder has the term


# A term held by more than this share of an archive's passages is located through a row of
# its frequency in every passage (one byte each), made when first asked and kept, up to
# ROWS_BYTES of rows: reading a candidate's byte beats a binary search of a list that long.
DENSE_SHARE = 1 / 8
ROWS_BYTES = 160 << 20


# A block of documents: its first document, their lengths, their (term, doc, tf) runs.
_Block = tuple[int, np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]


class PostingsBM25:
    """A BM25 index as CSR postings: a question costs what its terms' postings cost.

    Term ids follow the order terms first appear in the corpus (rank-bm25's order, which its
    average idf depends on); ``indptr[t]:indptr[t + 1]`` slices ``doc`` (ascending document
    indices) and ``tf``.
    """

    def __init__(
        self,
        params: BM25Params,
        terms: Sequence[str],
        doc_len: np.ndarray,
        indptr: np.ndarray,
        doc: np.ndarray,
        tf: np.ndarray,
        idf: np.ndarray,
        checked: bool = True,
        origin: str | None = None,
    ) -> None:
        self.params = params
        self.terms = terms if isinstance(terms, Vocabulary) else Vocabulary(terms)
        self.doc_len = doc_len
        self.indptr = indptr
        self.doc = doc
        self.tf = tf
        self.idf = idf
        self.n_docs = int(doc_len.size)
        # rank-bm25: total tokens / documents, Python int division.
        self.avgdl = int(doc_len.sum()) / self.n_docs if self.n_docs else 0.0
        self._formula = FORMULAS[params.variant]  # chosen once, as bm25s does
        # The length part of every document's score, once; each posting's share is computed when
        # a question asks for its term (opening an archive computes nothing per posting).
        dl = doc_len.astype(np.float64)
        # `1 - b + b * doc_len / avgdl` parses as (1 - b) + ((b * doc_len) / avgdl).
        self._norm = (1 - params.b) + (params.b * dl) / self.avgdl if self.avgdl else dl
        delta = params.delta if params.delta is not None else 0.0
        # BM25Plus gives idf·delta to documents without the term (0 for Okapi and L).
        self._base = idf * delta if self._formula.absent_scores else np.zeros_like(idf)
        # Postings read from a file are checked a term at a time, when first used.
        self._checked = np.full(len(terms), checked, dtype=bool)
        self._origin = origin  # the file, named when a fault is found
        self._rows: dict[int, np.ndarray] = {}  # common terms' frequency rows (DENSE_SHARE)
        self._rows_lock = threading.Lock()

    # ---- building -------------------------------------------------------------------------

    @classmethod
    def build(cls, corpus: Sequence[Sequence[str]], params: BM25Params) -> PostingsBM25:
        """Index tokenized documents (one list of terms each, in document order)."""
        n_docs = len(corpus)
        doc_len = np.fromiter((len(d) for d in corpus), dtype=np.int64, count=n_docs)
        total = int(doc_len.sum())
        vocab: dict[str, int] = {}
        setdefault = vocab.setdefault
        # len(vocab) is read before setdefault inserts, so a new term gets the next id.
        token_ids = np.fromiter(
            (setdefault(t, len(vocab)) for d in corpus for t in d), dtype=np.int64, count=total
        )
        return cls._from_ids(params, list(vocab), doc_len, token_ids)

    @classmethod
    def from_words(
        cls,
        word_terms: Sequence[Sequence[str]],
        word_ids: np.ndarray,
        words_per_doc: np.ndarray,
        params: BM25Params,
        block_terms: int = 1 << 21,
    ) -> PostingsBM25:
        """Index documents given as word ids, each distinct word's terms given once.

        ``word_terms[w]`` are the terms word ``w`` becomes; words are numbered in the order
        they first appear in the corpus, and so are their terms here: the same order, hence the
        same average idf, as :meth:`build` on the expanded documents. An archive's hundreds of
        millions of terms are expanded with numpy, a block of about ``block_terms`` at a time,
        twice: once to count each term's postings, once to put them in place. Memory is the
        postings and one block, never every term of the archive at once.
        """
        vocab: dict[str, int] = {}
        setdefault = vocab.setdefault
        lengths = np.fromiter((len(t) for t in word_terms), dtype=np.int64, count=len(word_terms))
        flat = np.fromiter(
            (setdefault(t, len(vocab)) for terms in word_terms for t in terms),
            dtype=np.int32,
            count=int(lengths.sum()),
        )
        starts = np.zeros(lengths.size + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        word_ids = np.asarray(word_ids)
        words_per_doc = np.asarray(words_per_doc, dtype=np.int64)
        n_docs = words_per_doc.size
        token_at = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(words_per_doc, out=token_at[1:])
        mean_terms = max(1.0, float(lengths.mean())) if lengths.size else 1.0
        step = max(1, int(block_terms / mean_terms))  # tokens a block takes
        bounds = [0]
        while bounds[-1] < n_docs:
            d0 = bounds[-1]
            d1 = int(np.searchsorted(token_at, token_at[d0] + step, "right")) - 1
            bounds.append(min(max(d0 + 1, d1), n_docs))

        def blocks() -> Iterator[_Block]:
            for d0, d1 in itertools.pairwise(bounds):
                words = word_ids[token_at[d0] : token_at[d1]]
                per_token = lengths[words]
                local = np.repeat(np.arange(d1 - d0, dtype=np.int64), words_per_doc[d0:d1])
                block_len = np.bincount(local, weights=per_token, minlength=d1 - d0)
                block_len = block_len.astype(np.int64)
                # Term i of token j sits at starts[words[j]] + i: repeat each token's (start
                # minus its own position), then add every position once.
                at = np.repeat(starts[words] - (np.cumsum(per_token) - per_token), per_token)
                at += np.arange(at.size, dtype=np.int64)
                yield d0, block_len, _pairs(flat[at], block_len, d0)

        return cls._from_pairs(params, list(vocab), n_docs, blocks)

    @classmethod
    def _from_ids(
        cls, params: BM25Params, terms: list[str], doc_len: np.ndarray, token_ids: np.ndarray
    ) -> PostingsBM25:
        """Postings from every token's term id, documents in order."""
        block = [(0, doc_len, _pairs(token_ids, doc_len, 0))] if doc_len.size and terms else []
        return cls._from_pairs(params, terms, doc_len.size, lambda: iter(block))

    @classmethod
    def _from_pairs(
        cls,
        params: BM25Params,
        terms: list[str],
        n_docs: int,
        blocks: Callable[[], Iterable[_Block]],
    ) -> PostingsBM25:
        """Postings from blocks of documents, each block's (term, document, frequency) runs
        sorted by term then document: a block's run of a term goes after the earlier blocks'
        runs of it. ``blocks()`` is iterated twice: to count, then to place."""
        n_terms = len(terms)
        doc_len = np.zeros(n_docs, dtype=np.int64)
        counts = np.zeros(n_terms, dtype=np.int64)
        most = 0
        for d0, block_len, (term, _, block_tf) in blocks():
            doc_len[d0 : d0 + block_len.size] = block_len
            counts += np.bincount(term, minlength=n_terms)
            most = max(most, int(block_tf.max(initial=0)))
        indptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        doc = np.empty(int(indptr[-1]), dtype=np.int32)
        # Frequencies past 65,535 in one passage are rare enough to cost the wide type only then.
        tf = np.empty(int(indptr[-1]), dtype=np.uint16 if most <= 0xFFFF else np.int32)
        cursor = indptr[:-1].copy()
        for _, _, (term, block_doc, block_tf) in blocks():
            count = np.bincount(term, minlength=n_terms)
            first = np.cumsum(count) - count  # where each term's run starts in the block
            at = cursor[term] + (np.arange(term.size, dtype=np.int64) - first[term])
            doc[at], tf[at] = block_doc, block_tf
            cursor += count
        idf = FORMULAS[params.variant].idf(len(doc_len), np.diff(indptr).tolist(), params.epsilon)
        return cls(params, terms, doc_len.astype(np.int32), indptr, doc, tf, idf)

    def _span(self, i: int) -> tuple[int, int]:
        """Where term ``i``'s postings lie, checked the first time they are read."""
        a, b = int(self.indptr[i]), int(self.indptr[i + 1])
        if not self._checked[i]:
            validate.posting_list(
                self.terms[i], self.doc[a:b], self.tf[a:b], self.n_docs, self._origin
            )
            self._checked[i] = True
        return a, b

    def _shares(self, i: int) -> np.ndarray:
        """Term ``i``'s share of the score of each document holding it."""
        a, b = self._span(i)
        return self._share_of(i, self.doc[a:b], self.tf[a:b])

    def _share_of(self, i: int, docs: np.ndarray, tf: np.ndarray) -> np.ndarray:
        """Term ``i``'s share of the score of these documents, holding it ``tf`` times each,
        with rank-bm25's operations in rank-bm25's order."""
        tf64 = tf.astype(np.float64)
        return self._formula.share(float(self.idf[i]), tf64, self._norm[docs], self.params)

    # ---- asking ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return self.n_docs

    def df(self, term: str) -> int:
        """How many documents hold the term (0 when unknown)."""
        i = self.terms.id(term)
        return 0 if i is None else int(self.indptr[i + 1] - self.indptr[i])

    def _term_ids(self, query: Iterable[str]) -> list[int]:
        """Known terms of the question, repetitions kept (each one scores again)."""
        find = self.terms.id
        return [i for i in (find(t) for t in query) if i is not None]

    def _postings(self, term_ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Documents and contributions of these terms, concatenated in question order."""
        if not term_ids:
            return np.zeros(0, np.int32), np.zeros(0, np.float64)
        spans = [self._span(i) for i in term_ids]
        if len(spans) == 1:
            a, b = spans[0]
            return self.doc[a:b], self._shares(term_ids[0])
        docs = np.concatenate([self.doc[a:b] for a, b in spans])
        vals = np.concatenate([self._shares(i) for i in term_ids])
        return docs, vals

    def _dense(self, term_ids: list[int], docs: np.ndarray, vals: np.ndarray) -> np.ndarray:
        if not term_ids:
            return np.zeros(self.n_docs, dtype=np.float64)
        if not self._formula.absent_scores:
            # bincount adds in input order: per document, question-term order, as rank-bm25.
            return np.bincount(docs, weights=vals, minlength=self.n_docs)
        score = np.zeros(self.n_docs, dtype=np.float64)
        for i in term_ids:  # Plus: every document gets idf·delta, the holders their share
            a, b = self._span(i)
            part = np.full(self.n_docs, self._base[i])
            part[self.doc[a:b]] = self._shares(i)
            score += part
        return score

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """Every document's score, as rank-bm25's ``get_scores`` (dense float64)."""
        term_ids = self._term_ids(query)
        docs, vals = self._postings(term_ids)
        return self._dense(term_ids, docs, vals)

    def weighted_scores(self, query: Sequence[str], weights: Sequence[float]) -> np.ndarray:
        """Every document's score when each question term counts ``weights[i]`` times.

        With all weights 1 this is :meth:`scores`; a synonym the question did not write counts
        less than a word it did.
        """
        pairs, scale, docs, shares = self._weighted(query, weights)
        score = np.bincount(docs, weights=shares, minlength=self.n_docs)
        if self._formula.absent_scores:
            term_ids = [i for i, _ in pairs]
            base = float(sum(self._base[i] * w for i, w in pairs))
            lengths = np.diff(self.indptr)[term_ids]
            held = np.bincount(
                docs, weights=np.repeat(self._base[term_ids], lengths) * scale,
                minlength=self.n_docs,
            )  # fmt: skip
            return score + base - held
        return score

    def contributions(
        self, query: Sequence[str], weights: Sequence[float]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each posting of the question's terms as (document, weighted share): summed by
        document, the holders' part of :meth:`weighted_scores` (Plus's share of a document
        without the term is left out: every document gets it, it tells none apart)."""
        _, _, docs, shares = self._weighted(query, weights)
        return docs, shares

    def _weighted(
        self, query: Sequence[str], weights: Sequence[float]
    ) -> tuple[list[tuple[int, float]], np.ndarray, np.ndarray, np.ndarray]:
        """The known terms (id, weight), and each of their postings' weight, document and
        weighted share."""
        found = [(self.terms.id(t), w) for t, w in zip(query, weights, strict=True)]
        pairs = [(i, w) for i, w in found if i is not None]
        term_ids = [i for i, _ in pairs]
        docs, vals = self._postings(term_ids)
        ptr = self.indptr
        scale = np.repeat(
            np.array([w for _, w in pairs], dtype=np.float64),
            [int(ptr[i + 1] - ptr[i]) for i in term_ids],
        )
        return pairs, scale, docs, vals * scale

    def locate(self, term: str, docs: np.ndarray) -> Located | None:
        """Which of the given (ascending) documents hold the term, and how often (None when
        the index does not hold the term)."""
        i = self.terms.id(term)
        if i is None:
            return None
        docs = self._like_postings(docs)
        row = self._row(i)
        if row is not None:
            tf = row[docs]
            hit = tf > 0
            return Located(i, hit, docs[hit], tf[hit])
        a, b = self._span(i)
        held = self.doc[a:b]
        at = np.searchsorted(held, docs)
        hit = at < held.size
        hit[hit] = held[at[hit]] == docs[hit]
        return Located(i, hit, docs[hit], self.tf[a + at[hit]])

    def _row(self, i: int) -> np.ndarray | None:
        """Term ``i``'s frequency in every document, if it is common enough to have one."""
        row = self._rows.get(i)
        if row is not None:
            return row
        a, b = self._span(i)
        if (b - a) <= self.n_docs * DENSE_SHARE or self.n_docs > ROWS_BYTES:
            return None
        tf = self.tf[a:b]
        if int(tf.max()) > 0xFF:  # a byte each: only terms no passage repeats 256 times
            return None
        row = np.zeros(self.n_docs, dtype=np.uint8)
        row[self.doc[a:b]] = tf
        with self._rows_lock:  # the bot answers in several threads
            if len(self._rows) >= max(1, ROWS_BYTES // max(1, self.n_docs)):
                self._rows.pop(next(iter(self._rows)))  # the oldest row gives way
            self._rows[i] = row
        return row

    def shares_at(self, found: Located, size: int) -> np.ndarray:
        """The located term's share of each located document's score (its base elsewhere)."""
        part = np.full(size, self._base[found.term])
        part[found.hit] = self._share_of(found.term, found.docs, found.tf)
        return part

    def _like_postings(self, docs: np.ndarray) -> np.ndarray:
        """Documents in the postings' own integer type: searching an int32 list for int64
        values would copy the whole list, at every lookup."""
        return np.asarray(docs).astype(self.doc.dtype, copy=False)

    def holds(self, term: str, docs: np.ndarray) -> np.ndarray:
        """Mask of the given (ascending) documents that hold the term."""
        found = self.locate(term, docs)
        return np.zeros(len(docs), dtype=bool) if found is None else found.hit

    def docs(self, term: str) -> np.ndarray:
        """The documents holding a term, ascending (empty when unknown)."""
        i = self.terms.id(term)
        if i is None:
            return np.zeros(0, dtype=np.int32)
        a, b = self._span(i)
        return self.doc[a:b]

    def matching(self, query: Sequence[str]) -> np.ndarray:
        """Sorted indices of the documents holding at least one of the question's terms."""
        docs, _ = self._postings(self._term_ids(query))
        return self._mask_of(docs).nonzero()[0].astype(np.int64)

    def _mask_of(self, docs: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.n_docs, dtype=bool)
        mask[docs] = True
        return mask

    def top(
        self, query: Sequence[str], k: int, among: np.ndarray | Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """The best ``k`` documents holding a question term: (index, score), best first.

        Ties go to the lower index. ``among`` restricts to those document indices (the
        engine's events, or a date's passages). Documents without any term are never
        returned, even for Plus where they still score ``Σ idf·delta``.
        """
        if k <= 0:
            return []
        term_ids = self._term_ids(query)
        if not term_ids:
            return []
        docs, vals = self._postings(term_ids)
        mask = self._mask_of(docs)
        if among is not None:
            allowed = np.asarray(among, dtype=np.int64).ravel()
            if allowed.size and (allowed.min() < 0 or allowed.max() >= self.n_docs):
                raise IndexError(f"among holds document indices outside 0..{self.n_docs - 1}")
            keep = np.zeros(self.n_docs, dtype=bool)
            keep[allowed] = True
            mask &= keep
        candidates = mask.nonzero()[0]
        if candidates.size == 0:
            return []
        scores = self._dense(term_ids, docs, vals)[candidates]
        if candidates.size > k:
            # Keep everything tied with the k-th best, then order exactly.
            kth = np.partition(scores, candidates.size - k)[candidates.size - k]
            keep_best = scores >= kth
            candidates, scores = candidates[keep_best], scores[keep_best]
        order = np.lexsort((candidates, -scores))[:k]
        return [(int(candidates[i]), float(scores[i])) for i in order]

    # ---- persistence ----------------------------------------------------------------------

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain numeric and unicode arrays (no objects): safe for ``np.load(allow_pickle=False)``.

        The vocabulary is one string plus offsets, not a ``<U`` array: a fixed-width unicode
        array pads every term to the longest one (4 bytes a character).
        """
        p = self.params
        return {
            "variant": np.array([p.variant]),
            "params": np.array([p.k1, p.b, p.epsilon, p.delta], dtype=np.float64),
            "doc_len": self.doc_len,
            "indptr": self.indptr,
            "doc": self.doc,
            "tf": self.tf,
            "idf": self.idf,
            **self.terms.arrays(),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], origin: str | None = None) -> PostingsBM25:
        """Rebuild from :meth:`to_arrays`; ValueError names the first fault found.

        The arrays are checked first (:func:`index.validate.postings`): they may come from a
        file, and a wrong offset here would be an IndexError at question time. Each term's
        postings are checked when first read (:func:`index.validate.posting_list`).
        """
        a = validate.postings(arrays)
        k1, b, epsilon, delta = (float(x) for x in a["params"])
        params = BM25Params(str(a["variant"].item()), k1, b, epsilon, delta)  # type: ignore[arg-type]
        terms = Vocabulary.stored(str(a["vocab"].item()), a["vocab_at"], a["vocab_order"])
        return cls(
            params,
            terms,
            a["doc_len"].astype(np.int32, copy=False),
            a["indptr"].astype(np.int64, copy=False),
            a["doc"].astype(np.int32, copy=False),
            a["tf"],  # narrow or wide, as built: converting would read every posting
            a["idf"].astype(np.float64, copy=False),
            checked=False,
            origin=origin,
        )
