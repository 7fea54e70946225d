"""rank-bm25's own scorer with given parameters: what the tests and the bench trust."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from khabar.index.bm25 import BM25Params


def reference(corpus: Sequence[Sequence[str]], params: BM25Params) -> Any:
    """rank-bm25's own scorer with these parameters: what the tests and the bench trust."""
    from rank_bm25 import BM25L, BM25Okapi, BM25Plus

    docs = [list(doc) for doc in corpus]
    if params.variant == "okapi":
        return BM25Okapi(docs, k1=params.k1, b=params.b, epsilon=params.epsilon)
    if params.variant == "plus":
        return BM25Plus(docs, k1=params.k1, b=params.b, delta=params.delta)
    return BM25L(docs, k1=params.k1, b=params.b, delta=params.delta)
