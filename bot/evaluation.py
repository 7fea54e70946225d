"""``khabar eval``: retrieval measured, side by side with the baselines, in one run.

Two kinds of test sets:

* **gold sets** shipped in ``gold/``: an article and questions of our own, each listing the
  paragraphs that answer it, plus out-of-scope questions that must get no passage, and (for
  the wire) the date a careful reader gives each paragraph;
* any **SQuAD-format** file (``--squad``, e.g. ARCD): every article becomes one khabar article,
  all indexed together; a hit is the question's own paragraph (or an identical text). Its
  questions are also asked of the bundled article alone, where every one is off-topic, to
  measure silence; and its answers check the sentence a reply marks.

Every configuration goes through the real engine (dates, stopwords, the gate); only the
ranking changes. The rank-bm25 baseline scores whitespace tokens of the paragraphs, as the
reference figures for ARCD were measured.
"""

from __future__ import annotations

import re
import tempfile
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, StringConstraints, ValidationError
from pydantic import Field as Required

from khabar.index.bm25 import BM25Params
from khabar.index.corpus import SEEDS, CorpusError, read_article
from khabar.index.normalize import normalize
from khabar.index.ranking import DEFAULT_RANKING, Field, Ranking
from khabar.index.search import Engine

GOLD = Path(__file__).resolve().parent / "gold"
DEPTH = 10

# What the reference figures and earlier releases ranked with, beside what khabar ships.
CONFIGS: dict[str, Ranking] = {
    "light10 BM25 (previous)": Ranking(
        (Field("light10", 1.0, BM25Params("okapi", 1.2, 0.5)),), silence=None, lexicon=False
    ),
    "char 4-grams BM25": Ranking((Field("ngram4", 1.0),), silence=None, lexicon=False),
    "light10 + 4-grams": replace(DEFAULT_RANKING, silence=None, lexicon=False),
    "light10 + 4-grams + lexicon": replace(DEFAULT_RANKING, silence=None),
    "khabar (+ silence gate)": DEFAULT_RANKING,
}
CHOSEN = "khabar (+ silence gate)"


class EvalError(Exception):
    """A test set that cannot be read (one line naming the file)."""


@dataclass(frozen=True)
class GoldQuestion:
    text: str
    expect: tuple[int, ...]  # paragraph numbers; empty: out of scope
    kind: str


@dataclass(frozen=True)
class GoldSet:
    name: str
    article: Path
    questions: tuple[GoldQuestion, ...]
    dates: dict[int, tuple[str, ...]] = field(default_factory=dict)


def gold_sets(paths: Sequence[Path] = ()) -> list[GoldSet]:
    """The gold sets in ``paths``, or every one shipped in ``gold/``."""
    files = list(paths) or sorted(GOLD.glob("*.questions.toml"))
    return [load_gold(path) for path in files]


def load_gold(path: Path) -> GoldSet:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        name = str(data["article"])
    except FileNotFoundError:
        raise EvalError(f"{path}: no such gold file") from None
    except KeyError as exc:
        raise EvalError(f'{path}: not a gold file (no {exc.args[0]} = "…" line)') from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise EvalError(f"{path}: not a gold file ({exc})") from None
    article = next(
        (p for p in (SEEDS / f"{name}.txt", GOLD / "articles" / f"{name}.txt") if p.exists()),
        None,
    )
    if article is None:
        raise EvalError(f"{path}: article {name!r} is neither in seeds/ nor in gold/articles/")
    questions = [
        GoldQuestion(q["text"], tuple(q["expect"]), q.get("kind", ""))
        for q in data.get("question", [])
    ] + [GoldQuestion(q["text"], (), "negative") for q in data.get("negative", [])]
    dates = {int(k): tuple(v) for k, v in data.get("dates", {}).items()}
    return GoldSet(name, article, tuple(questions), dates)


@dataclass(frozen=True)
class Row:
    name: str
    r1: float
    r3: float
    r10: float
    mrr: float
    unanswered: float  # share of answerable questions that got no passage
    silent: float  # share of out-of-scope questions that got none (gold sets)
    ms: float
    by_kind: dict[str, float] = field(default_factory=dict)


def _rank(found: list[list[str]], wanted: list[set[str]]) -> list[int | None]:
    return [
        next((i for i, key in enumerate(keys[:DEPTH]) if key in want), None)
        for keys, want in zip(found, wanted, strict=True)
    ]


def _row(
    name: str,
    found: list[list[str]],
    wanted: list[set[str]],
    ms: float,
    kinds: Sequence[str] = (),
    silent: float = 0.0,
) -> Row:
    ranks = _rank(found, wanted)
    n = len(ranks) or 1
    by_kind: dict[str, list[bool]] = {}
    for kind, rank in zip(kinds, ranks, strict=False):
        by_kind.setdefault(kind, []).append(rank == 0)
    return Row(
        name,
        r1=sum(r == 0 for r in ranks) / n,
        r3=sum(r is not None and r < 3 for r in ranks) / n,
        r10=sum(r is not None for r in ranks) / n,
        mrr=sum(1 / (r + 1) for r in ranks if r is not None) / n,
        unanswered=sum(not keys for keys in found) / n,
        silent=silent,
        ms=ms,
        by_kind={k: sum(v) / len(v) for k, v in sorted(by_kind.items())},
    )


def _ask_all(engine: Engine, questions: Sequence[str]) -> tuple[list[list], float]:
    start = time.perf_counter()
    answers = [engine.ask(q, top_k=DEPTH).hits for q in questions]
    return answers, (time.perf_counter() - start) * 1000 / max(len(questions), 1)


def evaluate_gold(gold: GoldSet, configs: dict[str, Ranking] = CONFIGS) -> list[Row]:
    """Each configuration on one gold set: R@k and MRR on its answerable questions."""
    answerable = [q for q in gold.questions if q.expect]
    negatives = [q for q in gold.questions if not q.expect]
    rows = []
    for name, ranking in configs.items():
        engine = Engine.build([gold.article], ranking=ranking)
        hits, ms = _ask_all(engine, [q.text for q in answerable])
        found = [[str(h.passage.source.paragraph) for h in answer] for answer in hits]
        wanted = [{str(p) for p in q.expect} for q in answerable]
        silent = sum(not engine.ask(q.text).hits for q in negatives) / (len(negatives) or 1)
        rows.append(_row(name, found, wanted, ms, [q.kind for q in answerable], silent))
    return rows


def dated_right(gold: GoldSet) -> tuple[int, int, list[str]]:
    """How many paragraphs the chunker dates as the gold set says, of how many; the misses."""
    if not gold.dates:
        return 0, 0, []
    from khabar.index.chunker import chunk

    passages = {p.source.paragraph: p for p in chunk(read_article(gold.article))}
    misses = []
    for number, expected in sorted(gold.dates.items()):
        p = passages.get(number)
        got = () if p is None or p.date is None else (p.date, p.date_end or "", p.date_source)
        if got != tuple(expected):
            misses.append(f"¶{number}: {got or 'undated'} ≠ {tuple(expected) or 'undated'}")
    return len(gold.dates) - len(misses), len(gold.dates), misses


# ---- SQuAD-format files (ARCD) ---------------------------------------------------------------


@dataclass(frozen=True)
class Squad:
    questions: list[str]
    contexts: list[str]  # each question's paragraph, whitespace-collapsed
    answers: list[list[str]]
    folder: Path


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _SquadAnswer(BaseModel):
    text: str


class _SquadQuestion(BaseModel):
    question: str
    answers: list[_SquadAnswer] = []


class _SquadParagraph(BaseModel):
    context: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    qas: list[_SquadQuestion]


class _SquadArticle(BaseModel):
    title: str
    paragraphs: list[_SquadParagraph]


class SquadFile(BaseModel):
    """The part of a SQuAD-format file an evaluation reads (other keys are ignored)."""

    data: Annotated[list[_SquadArticle], Required(min_length=1)]


def read_squad(path: Path) -> SquadFile:
    """The file checked whole before any work: one clear error naming what is wrong."""
    try:
        squad = SquadFile.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise EvalError(f"{path}: no such file") from None
    except OSError as exc:
        raise EvalError(f"{path}: cannot read ({exc.strerror})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"])
        raise EvalError(
            f"{path}: not a SQuAD-format file ({where.lstrip('.') or 'top'}: {first['msg']})"
        ) from None
    if not any(_collapse(q.question) for a in squad.data for p in a.paragraphs for q in p.qas):
        raise EvalError(f"{path}: not a SQuAD-format file (no questions)")
    return squad


def load_squad(path: Path, folder: Path, squad: SquadFile | None = None) -> Squad:
    """Write each article as a khabar article (title line, then one paragraph a line)."""
    squad = squad or read_squad(path)
    questions, contexts, answers = [], [], []
    for number, article in enumerate(squad.data):
        lines = [_collapse(article.title.replace("_", " "))]
        for paragraph in article.paragraphs:
            context = _collapse(paragraph.context)
            lines.append(context)
            for qa in paragraph.qas:
                question = _collapse(qa.question)
                if question:
                    questions.append(question)
                    contexts.append(context)
                    answers.append([a.text for a in qa.answers])
        (folder / f"a{number:04d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Squad(questions, contexts, answers, folder)


def _whitespace_bm25(squad: Squad) -> Row:
    """rank-bm25's BM25Okapi over whitespace tokens: the plain baseline."""
    from rank_bm25 import BM25Okapi

    paragraphs = sorted(set(squad.contexts))
    bm25 = BM25Okapi([p.split() for p in paragraphs])
    start = time.perf_counter()
    found = []
    for question in squad.questions:
        scores = bm25.get_scores(question.split())
        order = sorted(range(len(paragraphs)), key=lambda i: -scores[i])[:DEPTH]
        found.append([paragraphs[i] for i in order])
    ms = (time.perf_counter() - start) * 1000 / max(len(squad.questions), 1)
    return _row("rank-bm25 (whitespace)", found, [{c} for c in squad.contexts], ms)


@dataclass(frozen=True)
class SquadReport:
    rows: list[Row]
    silence: dict[str, float]  # config → share of the questions silent on the bundled article
    marked: float  # chosen config: first passage right → its marked sentence holds the answer
    marked_of: int


def evaluate_squad(
    path: Path, configs: dict[str, Ranking] = CONFIGS, read: SquadFile | None = None
) -> SquadReport:
    with tempfile.TemporaryDirectory(prefix="khabar-eval-") as tmp:
        squad = load_squad(path, Path(tmp), read)
        rows = [_whitespace_bm25(squad)]
        silence: dict[str, float] = {}
        marked = marked_of = 0
        for name, ranking in configs.items():
            try:
                engine = Engine.build([squad.folder], ranking=ranking)
            except CorpusError as exc:
                raise EvalError(f"{path}: {exc}") from None
            hits, ms = _ask_all(engine, squad.questions)
            found = [[_collapse(h.passage.text) for h in answer] for answer in hits]
            rows.append(_row(name, found, [{c} for c in squad.contexts], ms))
            bundled = Engine.build([SEEDS], ranking=ranking)
            silence[name] = sum(not bundled.ask(q).hits for q in squad.questions) / len(
                squad.questions
            )
            if name == CHOSEN:
                marked, marked_of = _marked(hits, squad)
        return SquadReport(rows, silence, marked / (marked_of or 1), marked_of)


def _marked(hits: list[list], squad: Squad) -> tuple[int, int]:
    """Of the questions whose first passage is right: how many marks hold a gold answer."""
    good = total = 0
    for answer, context, gold in zip(hits, squad.contexts, squad.answers, strict=True):
        if not answer or _collapse(answer[0].passage.text) != context or not gold:
            continue
        total += 1
        if answer[0].answer is None:
            continue
        start, end = answer[0].answer
        marked = normalize(_collapse(answer[0].passage.text[start:end]))
        good += any(normalize(_collapse(text)) in marked for text in gold)
    return good, total


# ---- tables ----------------------------------------------------------------------------------


def _table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def gold_table(gold: GoldSet, rows: list[Row]) -> str:
    answerable = sum(bool(q.expect) for q in gold.questions)
    kinds = sorted({k for row in rows for k in row.by_kind})
    head = ["ranking", "R@1", "R@3", "MRR", "unanswered", "silent", *(f"R@1 {k}" for k in kinds)]
    body = [
        [
            f"**{row.name}**" if row.name == CHOSEN else row.name,
            f"{row.r1:.3f}", f"{row.r3:.3f}", f"{row.mrr:.3f}",
            f"{round(row.unanswered * answerable)}", f"{row.silent:.2f}",
            *(f"{row.by_kind.get(k, 0.0):.2f}" for k in kinds),
        ]
        for row in rows
    ]  # fmt: skip
    right, total, misses = dated_right(gold)
    lines = [
        f"**{gold.name}**: {answerable} answerable questions, "
        f"{len(gold.questions) - answerable} out of scope.",
        "",
        _table(head, body),
    ]
    if total:
        lines += ["", f"Paragraphs dated as a reader dates them: {right}/{total}."]
        lines += [f"- {miss}" for miss in misses]
    return "\n".join(lines)


def squad_table(path: Path, report: SquadReport) -> str:
    head = [
        "ranking",
        "R@1",
        "R@3",
        "R@10",
        "MRR@10",
        "no passage",
        "ms/question",
        "off-topic silent",
    ]
    body = []
    for row in report.rows:
        n_silent = report.silence.get(row.name)
        body.append([
            f"**{row.name}**" if row.name == CHOSEN else row.name,
            f"{row.r1:.3f}", f"{row.r3:.3f}", f"{row.r10:.3f}", f"{row.mrr:.3f}",
            f"{row.unanswered:.3f}", f"{row.ms:.1f}",
            f"{n_silent:.3f}" if n_silent is not None else "—",
        ])  # fmt: skip
    return "\n".join([
        f"**{path.name}** (SQuAD format): each article one khabar article, all indexed "
        "together; off-topic: its questions asked of the bundled article alone.",
        "",
        _table(head, body),
        "",
        f"Marked sentence holds the gold answer: {report.marked:.3f} "
        f"(of the {report.marked_of} questions whose first passage is right).",
    ])  # fmt: skip


def run(gold_files: Sequence[Path], squad: Path | None, out: Callable[[str], None]) -> None:
    """Everything ``khabar eval`` prints, in order (every input checked first)."""
    read = read_squad(squad) if squad is not None else None
    golds = gold_sets(gold_files)
    for gold in golds:
        out(gold_table(gold, evaluate_gold(gold)))
        out("")
    if squad is not None:
        out(squad_table(squad, evaluate_squad(squad, read=read)))
