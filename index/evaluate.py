"""Measure analyzers on a gold set, so the one that ranks is chosen by numbers, not taste.

Each gold question lists the source line numbers of the passages that answer it; a question
counts as found at rank r when the r-th result is one of them. Reported per configuration:
R@1, R@3 (share of questions found within 1 and 3 results), MRR (mean of 1/r, 0 if not
within the first 10), and "silent": the share of out-of-scope questions (``[[negative]]``)
that rightly get no passage at all. Every configuration goes through the real engine (dates,
stopwords, event filter); only the analyzer and BM25 parameters change. "fusion" merges two
engines' rankings by reciprocal rank (k = 60).
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from khabar.index.bm25 import BM25Params
from khabar.index.corpus import SEEDS
from khabar.index.search import DEFAULT_ANALYZER, DEFAULT_PARAMS, Engine

DEPTH = 10


@dataclass(frozen=True)
class GoldQuestion:
    text: str
    expect: tuple[int, ...]
    kind: str


@dataclass(frozen=True)
class Row:
    name: str
    r1: float
    r3: float
    mrr: float
    silent: float
    by_kind: dict[str, float]  # R@1 per question kind


def load_gold(path: Path) -> list[GoldQuestion]:
    """Answerable questions, then out-of-scope ones (``expect`` empty, kind "negative")."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        GoldQuestion(q["text"], tuple(q["expect"]), q.get("kind", "")) for q in data["question"]
    ] + [GoldQuestion(q["text"], (), "negative") for q in data.get("negative", [])]


def ranked_lines(engine: Engine, question: str) -> list[int]:
    answer = engine.ask(question, top_k=DEPTH)
    return [hit.passage.source.paragraph for hit in answer.hits]


def _fused(engines: Sequence[Engine], question: str, k: int = 60) -> list[int]:
    scores: dict[int, float] = {}
    for engine in engines:
        for rank, paragraph in enumerate(ranked_lines(engine, question), start=1):
            scores[paragraph] = scores.get(paragraph, 0.0) + 1.0 / (k + rank)
    return sorted(scores, key=lambda p: -scores[p])[:DEPTH]


def score(name: str, gold: Sequence[GoldQuestion], rank) -> Row:  # rank: question → paragraphs
    r1 = r3 = mrr = silent = 0.0
    kinds: dict[str, list[int]] = {}
    negatives = [q for q in gold if not q.expect]
    for question in negatives:
        silent += not rank(question.text)
    gold = [q for q in gold if q.expect]
    for question in gold:
        found = rank(question.text)
        position = next((i for i, p in enumerate(found, 1) if p in question.expect), None)
        r1 += position == 1
        r3 += position is not None and position <= 3
        mrr += 1.0 / position if position else 0.0
        kinds.setdefault(question.kind, []).append(position == 1)
    n = len(gold) or 1
    by_kind = {kind: sum(hits) / len(hits) for kind, hits in sorted(kinds.items())}
    return Row(name, r1 / n, r3 / n, mrr / n, silent / (len(negatives) or 1), by_kind)


CONFIGS: dict[str, tuple[str, BM25Params]] = {
    "words (okapi)": ("words", BM25Params("okapi", 1.2, 0.75, 0.25)),
    "light10 (okapi b=0.75)": ("light10", BM25Params("okapi", 1.2, 0.75, 0.25)),
    "light10 (okapi b=0.5) [chosen]": (DEFAULT_ANALYZER, DEFAULT_PARAMS),
    "light10 (plus)": ("light10", BM25Params("plus", 1.2, 0.5, delta=1.0)),
    "light10 (l)": ("light10", BM25Params("l", 1.2, 0.5, delta=0.5)),
    "snowball (okapi)": ("snowball", BM25Params("okapi", 1.2, 0.5, 0.25)),
    "tashaphyne (okapi)": ("tashaphyne", BM25Params("okapi", 1.2, 0.5, 0.25)),
    "ngram3 (okapi)": ("ngram3", BM25Params("okapi", 1.2, 0.75, 0.25)),
    "ngram3 (plus)": ("ngram3", BM25Params("plus", 1.2, 0.75, delta=1.0)),
}
FUSIONS = {
    "fusion light10 + ngram3": ("light10 (okapi b=0.5) [chosen]", "ngram3 (okapi)"),
    "fusion words + light10": ("words (okapi)", "light10 (okapi b=0.5) [chosen]"),
}


def evaluate(gold: Sequence[GoldQuestion], paths: Sequence[Path] = ()) -> list[Row]:
    corpus = list(paths) or [SEEDS]
    engines = {
        name: Engine.build(corpus, analyzer=analyzer, params=params)
        for name, (analyzer, params) in CONFIGS.items()
    }
    rows = [score(name, gold, lambda q, e=e: ranked_lines(e, q)) for name, e in engines.items()]
    for name, (a, b) in FUSIONS.items():
        pair = (engines[a], engines[b])
        rows.append(score(name, gold, lambda q, pair=pair: _fused(pair, q)))
    return rows


def markdown_table(rows: Sequence[Row], gold: Sequence[GoldQuestion]) -> str:
    kinds = sorted({kind for row in rows for kind in row.by_kind})
    head = ["analyzer", "R@1", "R@3", "MRR", "silent", *(f"R@1 {k}" for k in kinds)]
    answerable = sum(bool(q.expect) for q in gold)
    lines = [
        f"Gold set: {answerable} answerable questions, {len(gold) - answerable} out of scope.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "|".join("---" for _ in head) + "|",
    ]
    for row in sorted(rows, key=lambda r: (-r.mrr, -r.r1)):
        cells = [row.name, f"{row.r1:.3f}", f"{row.r3:.3f}", f"{row.mrr:.3f}", f"{row.silent:.2f}"]
        cells += [f"{row.by_kind.get(k, 0.0):.2f}" for k in kinds]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
