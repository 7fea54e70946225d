"""``python tests/bench.py`` (``make bench``, ``make bench-1m``): speed and memory, as Markdown.

A synthetic Arabic archive is generated with a fixed seed (articles × 20 paragraphs, Zipfian
~50k-word vocabulary, most paragraphs opening with a date as the bundled article does) and
written as ``.txt`` + ``.toml`` files, so the whole path is measured: read, chunk, analyze,
index, save, open, ask, JSON, and the bot answering a crowd through the Bot API stand-in. Each
phase runs in its own subprocess so its peak memory and its load time are its own, cold; a
phase that fails or is killed shows its error in the table, beside what it measured before.
rank-bm25's full scan and bm25s run on the same analyzed passages for the side-by-side ratios.

Targets at 100k and at 1M passages are judged PASS/FAIL at their own size; at any other size
they are only indicative. ``--keep DIR`` keeps the archive and every phase's figures, so
``--keep DIR --only serve,bot`` re-runs phases without generating again (minutes at 1M);
``--archive DIR`` reads an archive generated elsewhere without writing into it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from khabar.index.months import GREGORIAN_DISPLAY

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPHS = 20  # per article
SEED = 2016


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FUNCTION_WORDS = _words("في من على الى ان عن مع هذا التي الذي بعد قبل كما حيث")
COMMON_WORDS = _words(
    "قوات الجيش الحكومة المدينة النظام المعارضة مجلس الأمن الرئيس وزير المدنيين هجوم "
    "قصف السيطرة الأحياء الشرقية المستشفيات إجلاء المقاتلين الهدنة الأمم المتحدة روسيا "
    "سوريا حلب دمشق الغارات الطائرات القتلى الجرحى اللاجئين المساعدات الإنسانية الحصار "
    "الاتفاق المفاوضات المنظمة"
)
_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_ENDINGS = ("", "", "", "ة", "ات", "ون", "ين", "ية")


# ---- the synthetic archive -------------------------------------------------------------------


def vocabulary(size: int, rng: np.random.Generator) -> list[str]:
    """``size`` distinct Arabic-looking words (random letters, some with ال and endings)."""
    words: set[str] = set()
    ordered: list[str] = []
    while len(ordered) < size:
        batch = rng.integers(0, len(_LETTERS), size=(size, 6))
        lengths = rng.integers(3, 7, size=size)
        prefixed = rng.random(size) < 0.3
        endings = rng.integers(0, len(_ENDINGS), size=size)
        for row, length, al, end in zip(batch, lengths, prefixed, endings, strict=True):
            stem = "".join(_LETTERS[i] for i in row[:length])
            word = ("ال" if al else "") + stem + _ENDINGS[end]
            if word not in words and word not in COMMON_WORDS and word not in FUNCTION_WORDS:
                words.add(word)
                ordered.append(word)
                if len(ordered) == size:
                    break
    return ordered


def month_day(day: dt.date) -> str:
    return f"{day.day} {GREGORIAN_DISPLAY[day.month - 1]}"


def generate(folder: Path, passages: int, seed: int = SEED) -> dict[str, Any]:
    """Write the archive; return the facts the questions are made from (event days, words)."""
    rng = np.random.default_rng(seed)
    words = vocabulary(50_000, rng)
    zipf = 1.0 / np.arange(1, len(words) + 1) ** 1.05
    zipf /= zipf.sum()
    common_p = 1.0 / np.arange(1, len(COMMON_WORDS) + 1)
    common_p /= common_p.sum()
    articles = max(1, math.ceil(passages / PARAGRAPHS))
    lengths = rng.integers(25, 50, size=(articles, PARAGRAPHS))
    total = int(lengths.sum())
    # Each token: a function word (30%), a common content word (15%) or a Zipfian word.
    kind = rng.random(total)
    content = rng.choice(len(words), size=total, p=zipf)
    common = rng.choice(len(COMMON_WORDS), size=total, p=common_p)
    function = rng.integers(0, len(FUNCTION_WORDS), size=total)
    tokens = [
        FUNCTION_WORDS[f] if k < 0.3 else COMMON_WORDS[c] if k < 0.45 else words[w]
        for k, f, c, w in zip(
            kind.tolist(), function.tolist(), common.tolist(), content.tolist(), strict=True
        )
    ]
    folder.mkdir(parents=True, exist_ok=True)
    first = dt.date(2012, 1, 1).toordinal()
    published_days = rng.integers(first, dt.date(2020, 12, 31).toordinal(), size=articles)
    dated = rng.random((articles, PARAGRAPHS)) < 0.8
    steps = rng.integers(0, 3, size=(articles, PARAGRAPHS))
    event_days: list[str] = []
    at = 0
    for a in range(articles):
        published = dt.date.fromordinal(int(published_days[a]))
        day = published - dt.timedelta(days=int(steps[a].sum()) + 1)
        lines = [" ".join(words[i] for i in rng.integers(0, 3000, size=6))]
        for p in range(PARAGRAPHS):
            n = int(lengths[a, p])
            body = " ".join(tokens[at : at + n])
            at += n
            day += dt.timedelta(days=int(steps[a, p]))
            if dated[a, p] and p > 0:  # the first paragraph is the undated lead
                lines.append(f"في {month_day(day)}، {body}.")
                event_days.append(day.isoformat())
            else:
                lines.append(f"{body}.")
        stem = f"article-{a:05d}"
        (folder / f"{stem}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (folder / f"{stem}.toml").write_text(
            f'title = "{lines[0]}"\npublished = {published.isoformat()}\n'
            f'source = "synthetic archive, seed {seed}"\nlanguage = "ar"\n',
            encoding="utf-8",
        )
    return {"words": words, "event_days": event_days, "articles": articles}


def questions(facts: dict[str, Any], count: int = 200, seed: int = SEED) -> list[str]:
    """A deterministic mix: topical, common words only, dated, rare and unknown words."""
    rng = np.random.default_rng(seed + 1)
    words: list[str] = facts["words"]
    days: list[str] = facts["event_days"]

    def pick(pool: Sequence[str], k: int) -> str:
        return " ".join(pool[i] for i in rng.integers(0, len(pool), size=k))

    made: list[str] = []
    kinds = ("topic", "when", "common", "function", "date", "date_topic", "rare")
    weights = np.array([0.3, 0.1, 0.15, 0.05, 0.15, 0.1, 0.15])
    for kind in rng.choice(kinds, size=count, p=weights / weights.sum()):
        if kind == "topic":
            made.append(f"ماذا حدث {pick(words[20:3000], 2)} {pick(COMMON_WORDS, 1)}؟")
        elif kind == "when":
            made.append(f"متى {pick(words[50:5000], 2)}؟")
        elif kind == "common":
            made.append(f"{pick(COMMON_WORDS[:8], 3)} في {pick(COMMON_WORDS[:8], 1)}")
        elif kind == "function":
            made.append(pick(FUNCTION_WORDS, 5))
        elif kind in ("date", "date_topic"):
            day = dt.date.fromisoformat(days[int(rng.integers(0, len(days)))])
            greg = GREGORIAN_DISPLAY[day.month - 1]
            topic = f"{pick(COMMON_WORDS, 2)} " if kind == "date_topic" else ""
            made.append(f"ماذا حدث {topic}في {day.day} {greg} {day.year}؟")
        else:
            made.append(f"{pick(words[20000:], 2)} {pick(['لاوجودله', 'كلمةغائبة'], 1)}")
    return made


TOPIC_WORDS = 5
# The generator's content words: common ones at this share, the Zipfian vocabulary otherwise.
COMMON_SHARE = 0.15 / 0.70
QUESTION_KINDS = ("mix", "topic", "day_year", "day", "month")
DATE_KINDS = ("day_year", "day", "month")
KIND_NAMES = {
    "mix": "mixed questions (topic, متى, common, stopwords, dated, rare)",
    "topic": "topic questions (5 words, Zipfian, common words included)",
    "day_year": "a day with its year («ماذا حدث في 21 ديسمبر 2016؟»)",
    "day": "a day without year («ماذا حدث في 21 ديسمبر؟»)",
    "month": "a bare month («ماذا حدث في ديسمبر؟»)",
}


def question_sets(
    facts: dict[str, Any], count: int = 200, seed: int = SEED
) -> dict[str, list[str]]:
    """The questions of every kind, deterministic: the mix, topic questions, date questions.

    A topic question is five distinct words drawn as the archive's content words are, so its
    frequent words are frequent in the passages too. Date questions take event days of the
    archive (a quarter of ``count`` of each kind); a bare month covers a twelfth of them.
    """
    rng = np.random.default_rng(seed + 2)
    words: list[str] = facts["words"]
    zipf = np.cumsum(1.0 / np.arange(1, len(words) + 1) ** 1.05)
    common = np.cumsum(1.0 / np.arange(1, len(COMMON_WORDS) + 1))

    def draw(cdf: np.ndarray) -> int:
        return min(len(cdf) - 1, int(np.searchsorted(cdf, rng.random() * cdf[-1])))

    topic: list[str] = []
    for _ in range(count):
        chosen: list[str] = []
        while len(chosen) < TOPIC_WORDS:
            is_common = rng.random() < COMMON_SHARE
            word = COMMON_WORDS[draw(common)] if is_common else words[draw(zipf)]
            if word not in chosen:
                chosen.append(word)
        topic.append(" ".join(chosen))
    days: list[str] = facts["event_days"]
    dated = max(1, count // 4)

    def some_days() -> list[dt.date]:
        return [dt.date.fromisoformat(days[int(i)]) for i in rng.integers(0, len(days), dated)]

    return {
        "mix": questions(facts, count, seed),
        "topic": topic,
        "day_year": [f"ماذا حدث في {month_day(d)} {d.year}؟" for d in some_days()],
        "day": [f"ماذا حدث في {month_day(d)}؟" for d in some_days()],
        "month": [f"ماذا حدث في {GREGORIAN_DISPLAY[int(m)]}؟" for m in rng.integers(0, 12, dated)],
    }


# ---- measuring -------------------------------------------------------------------------------

# Every phase runs single-threaded, bm25s and numpy alike: the ratios compare one core each.
ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMBA_NUM_THREADS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


def peak_mb() -> float:
    """This process's peak resident memory.

    VmHWM where there is one: Linux's ru_maxrss starts a child at its parent's resident size
    (the generator's archive, at 1M), so every phase would report at least that.
    """
    hwm = status_mb("VmHWM")
    if hwm is not None:
        return hwm
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB; bytes on macOS
    return kib / 1024 if sys.platform != "darwin" else kib / 1024 / 1024


def status_mb(field: str = "VmRSS", pid: int | str = "self") -> float | None:
    """A ``/proc/<pid>/status`` figure in MB: VmRSS is resident now, VmHWM its peak."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return None


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def nearest_rank(ordered: Sequence[float], q: float) -> float:
    """The q-quantile of sorted values by nearest rank (a measured value, never interpolated)."""
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def per_question_ms(
    ask: Callable[[Any], Any],
    items: Sequence[Any],
    warm: int | None = None,
    check: Callable[[Any, Any], None] | None = None,
) -> dict[str, float]:
    """Batch mean (total / n, as a serving loop sees it), p50, p95 and p99, in milliseconds.

    ``warm`` items (all of them by default) are asked first, outside the measure: both sides
    of a comparison are timed as a process that has been answering for a while (caches, the
    index pages it touches); opening and the first question have rows of their own.
    ``check`` sees each item and its result after its time is taken.
    """
    for item in items[: len(items) if warm is None else warm]:
        ask(item)
    times: list[float] = []
    for item in items:
        t0 = time.perf_counter()
        result = ask(item)
        times.append(time.perf_counter() - t0)
        if check is not None:
            check(item, result)
    ordered = sorted(times)
    return {
        "n": len(items),
        "mean": sum(times) / len(items) * 1000,
        "p50": statistics.median(ordered) * 1000,
        "p95": nearest_rank(ordered, 0.95) * 1000,
        "p99": nearest_rank(ordered, 0.99) * 1000,
    }


class Figures(dict[str, Any]):
    """A phase's figures, written to its result file as they come, so a phase that dies later
    (killed for memory, say) still reports what it measured before."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self.path = path

    def put(self, **values: Any) -> None:
        self.update(values)
        if self.path is not None:
            self.path.write_text(json.dumps(self, ensure_ascii=False), encoding="utf-8")


class Work:
    """Where a run keeps its files: the archive (maybe read-only, elsewhere) and the rest."""

    def __init__(self, folder: Path, archive: Path | None = None) -> None:
        self.folder = folder
        self.archive = archive or folder
        self.data = self.archive / "articles"
        self.facts = self.archive / "facts.json"
        self.questions = folder / "questions.json"
        self.postings = folder / "postings.khabar"
        self.index = folder / "archive.khabar"
        self.results = folder / "results"

    def result(self, phase: str) -> Path:
        return self.results / f"{phase}.json"

    def asked(self) -> dict[str, list[str]]:
        return json.loads(self.questions.read_text(encoding="utf-8"))


def read_passages(data: Path) -> list[str]:
    """Every paragraph of the archive (title lines skipped), as the scorer-level bench indexes."""
    texts: list[str] = []
    for path in sorted(data.glob("*.txt")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
        texts.extend(lines[1:])
    return texts


def stems() -> tuple[Any, Any]:
    """The stem field's analyzer and BM25 parameters, as the engine ships them."""
    from khabar.index.analysis import get_analyzer
    from khabar.index.ranking import DEFAULT_RANKING

    field = DEFAULT_RANKING.fields[0]
    return get_analyzer(field.analyzer), field.params


def phase_scorer(fig: Figures, work: Work, reference_n: int, reference_up_to: int) -> None:
    """The parts under the engine: analyze, PostingsBM25 + store, and rank-bm25 side by side.

    rank-bm25 keeps a Python dict per passage and walks all of them for every term: above
    ``reference_up_to`` passages it is not built at all (the table says so).
    """
    from rank_bm25_reference import reference

    from khabar.index.bm25 import PostingsBM25
    from khabar.index.store import load, save

    analyzer, params = stems()
    docs, analyze_s = timed(lambda: [analyzer(text) for text in read_passages(work.data)])
    fig.put(passages=len(docs), tokens=int(sum(len(d) for d in docs)), analyze_s=analyze_s)
    scorer, build_s = timed(lambda: PostingsBM25.build(docs, params))
    _, save_s = timed(lambda: save(work.postings, {"analyzer": "light10"}, {"light10": scorer}))
    (_, loaded, _), load_s = timed(lambda: load(work.postings))
    scorer = loaded["light10"]
    fig.put(
        vocabulary=len(scorer.terms),
        postings=int(scorer.doc.size),
        build_s=build_s,
        save_s=save_s,
        size_mb=work.postings.stat().st_size / 1e6,
        load_s=load_s,
    )
    asked = [analyzer(text) for text in work.asked()["mix"]]
    fig.put(
        top=per_question_ms(lambda terms: scorer.top(terms, 3), asked),
        dense=per_question_ms(scorer.scores, asked),
        peak_mb=peak_mb(),
    )
    subset = asked[:: max(1, len(asked) // reference_n)][:reference_n]
    fig.put(
        reference_n=len(subset),
        ours_top_subset=per_question_ms(lambda terms: scorer.top(terms, 3), subset),
        ours_dense_subset=per_question_ms(scorer.scores, subset),
    )
    if len(docs) > reference_up_to:
        fig.put(reference_skipped=reference_up_to)
        return
    ref, ref_build_s = timed(lambda: reference(docs, params))
    fig.put(reference_build_s=ref_build_s, reference_peak_mb=peak_mb())
    worst = [0.0]

    def compare(terms: list[str], theirs: np.ndarray) -> None:
        worst[0] = max(worst[0], float(np.max(np.abs(scorer.scores(terms) - theirs))))

    fig.put(
        reference=per_question_ms(ref.get_scores, subset, warm=1, check=compare),
        max_abs_diff=worst[0],
    )


def phase_bm25s(fig: Figures, work: Work) -> None:
    """bm25s on khabar's own light10 tokens, and khabar's stem scorer on the same, one thread.

    ``n_threads=0`` is bm25s's plain loop in the calling thread (no pool); the numpy backend,
    no numba or jax. A question with no known term gets bm25s's empty token, as its docs say.
    """
    import bm25s

    from khabar.index.bm25 import PostingsBM25

    analyzer, params = stems()
    docs, analyze_s = timed(lambda: [analyzer(text) for text in read_passages(work.data)])
    fig.put(version=bm25s.__version__, passages=len(docs), analyze_s=analyze_s)
    retriever = bm25s.BM25(k1=params.k1, b=params.b, backend="numpy")
    _, index_s = timed(lambda: retriever.index(docs, show_progress=False))
    fig.put(index_s=index_s, peak_mb=peak_mb(), rss_mb=status_mb())
    topic = [analyzer(text) for text in work.asked()["topic"]]

    def retrieve(terms: list[str]) -> Any:
        return retriever.retrieve(
            [terms or [""]], k=3, show_progress=False, n_threads=0, backend_selection="numpy"
        )

    fig.put(topic=per_question_ms(retrieve, topic))
    scorer, build_s = timed(lambda: PostingsBM25.build(docs, params))
    fig.put(ours_build_s=build_s, ours_topic=per_question_ms(lambda t: scorer.top(t, 3), topic))


def phase_build(fig: Figures, work: Work) -> None:
    from khabar.index.search import Engine

    engine, build_s = timed(lambda: Engine.build([work.data]))
    fig.put(
        passages=len(engine.passages),
        events=int(sum(p.dated for p in engine.passages)),
        build_s=build_s,
        peak_mb=peak_mb(),
    )
    _, save_s = timed(lambda: engine.save(work.index))
    fig.put(save_s=save_s, size_mb=work.index.stat().st_size / 1e6, peak_mb=peak_mb())


def phase_serve(fig: Figures, work: Work) -> None:
    """Open in a cold process, then every kind of question through ask → JSON."""
    t0 = time.perf_counter()
    from khabar.bot.replies import answer_json
    from khabar.index.search import Engine

    fig.put(import_s=time.perf_counter() - t0, rss_imported_mb=status_mb())
    engine, open_s = timed(lambda: Engine.open(work.index))
    fig.put(
        open_s=open_s,
        rss_open_mb=status_mb(),
        passages=len(engine.passages),
        size_mb=work.index.stat().st_size / 1e6,
    )
    sets = work.asked()
    asks: dict[str, Any] = {}
    intents: dict[str, str] = {}

    def ask(text: str) -> str:
        answer = engine.ask(text, top_k=3)
        intents[text] = answer.intent.value
        return json.dumps(answer_json(answer), ensure_ascii=False)

    for kind in QUESTION_KINDS:
        timing: dict[str, Any] = per_question_ms(ask, sets[kind])
        counts: dict[str, int] = {}
        for text in sets[kind]:
            counts[intents[text]] = counts.get(intents[text], 0) + 1
        asks[kind] = {**timing, "intents": counts}
        fig.put(ask=asks, rss_asked_mb=status_mb(), peak_mb=status_mb("VmHWM"))
    from khabar.index.store import load

    _, store_s = timed(lambda: load(work.index))  # the file part of open (second read: warm cache)
    fig.put(store_load_s=store_s)


class Crowd:
    """Users asking the bot at once: each asks, waits for its answer, pauses, asks again.

    The first message back is the answer (update queued in the stand-in → that message arriving
    there). A pause of ``think`` seconds keeps one-message answers under what AIORateLimiter
    lets a bot send (30 requests a second, two per such question) and every user under the
    flood gate; answers of several messages (a day's events) can still fill that budget, which
    is what users would wait for too.
    """

    def __init__(
        self,
        botapi: Any,
        questions: Sequence[tuple[str, str]],
        users: int,
        per_user: int,
        think: tuple[float, float] = (1.5, 2.5),
        seed: int = SEED,
        first_user: int = 20_000,
    ) -> None:
        self.botapi, self.questions = botapi, questions
        self.users = [first_user + n for n in range(users)]
        self.per_user, self.think = per_user, think
        self.count = dict.fromkeys(self.users, 0)  # questions asked, per user
        self.rng = np.random.default_rng(seed + 3)
        self.lock = threading.Lock()
        self.waiting: dict[int, tuple[float, str]] = {}  # chat → (queued at, kind)
        self.latencies: list[tuple[float, str]] = []
        self.answered: list[tuple[int, float]] = []
        self.asked = 0
        self.messages = 0  # every message the crowd received: a date answer may be several

    def on_call(self, call: Any) -> None:
        if not (call.ok and call.method == "sendMessage"):
            return
        with self.lock:
            chat = call.params.get("chat_id")
            self.messages += chat in self.count
            waiting = self.waiting.pop(chat, None)
            if waiting is not None:
                self.latencies.append((call.at - waiting[0], waiting[1]))
                self.answered.append((call.params["chat_id"], call.at))

    def ask(self, user: int, text: str, kind: str) -> None:
        with self.botapi._lock:  # one update at a time: its queued time is the last one
            self.botapi.message(user, text)
            queued = next(reversed(self.botapi.queued_at.values()))
        with self.lock:
            self.waiting[user] = (queued, kind)
        self.asked += 1

    def run(self, timeout: float) -> float:
        """Ask every user's questions; the seconds it took (timeout: some left unanswered)."""
        import heapq

        start = time.monotonic()
        # "At once": every user's first question within the first second.
        due = [(start + float(self.rng.uniform(0, 1)), user) for user in self.users]
        heapq.heapify(due)
        count = self.count
        total = len(self.users) * self.per_user
        seen = 0
        while time.monotonic() - start < timeout:
            with self.lock:
                fresh, seen = self.answered[seen:], len(self.answered)
                done = len(self.latencies)
            for user, at in fresh:
                if count.get(user, self.per_user) < self.per_user:
                    heapq.heappush(due, (at + float(self.rng.uniform(*self.think)), user))
            if done >= total:
                break
            now = time.monotonic()
            if due and due[0][0] <= now:
                _, user = heapq.heappop(due)
                text, kind = self.questions[
                    (user * self.per_user + count[user]) % len(self.questions)
                ]
                count[user] += 1
                self.ask(user, text, kind)
            else:
                time.sleep(0.002)
        return time.monotonic() - start


def crowd_figures(crowd: Crowd, elapsed: float) -> dict[str, Any]:
    """Latency percentiles of one crowd (update → the answer's first message), and its load."""
    lat = sorted(s for s, _ in crowd.latencies)
    by_kind = {
        kind: nearest_rank(sorted(s for s, k in crowd.latencies if k == kind), 0.95) * 1000
        for kind in ("topic", "date")
        if any(k == kind for _, k in crowd.latencies)
    }
    return {
        "users": len(crowd.users),
        "asked": crowd.asked,
        "answered": len(lat),
        "messages": crowd.messages,
        "elapsed_s": elapsed,
        "rate": crowd.asked / elapsed,
        "p50_ms": nearest_rank(lat, 0.5) * 1000 if lat else None,
        "p95_ms": nearest_rank(lat, 0.95) * 1000 if lat else None,
        "p99_ms": nearest_rank(lat, 0.99) * 1000 if lat else None,
        "max_ms": lat[-1] * 1000 if lat else None,
        "p95_by_kind": by_kind,
    }


def phase_bot(fig: Figures, work: Work, users: int, per_user: int) -> None:
    """`khabar telegram` on the built index, polling the stand-in, crowds asking at once.

    First the mix the issue names (topic and date questions); then topic questions alone,
    whose answers are one message each, so the Bot API's rate limit is not what is measured.
    """
    from support.botapi import TOKEN, BotApiStub
    from support.processes import BotProcess, process_env

    sets = work.asked()
    rng = np.random.default_rng(SEED + 4)
    pool = [(text, "topic") for text in sets["topic"]]
    pool += [(text, "date") for kind in DATE_KINDS for text in sets[kind]]
    mixed = [pool[int(i)] for i in rng.permutation(len(pool))]
    topic = [(text, "topic") for text in sets["topic"]]
    folder = work.folder / "bot"
    folder.mkdir(exist_ok=True)
    with BotApiStub() as botapi:
        env = process_env(
            TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=botapi.base_url,
            KHABAR_INDEX=str(work.index), **ONE_THREAD,
        )  # fmt: skip
        start = time.monotonic()
        bot = BotProcess(env, folder)
        try:
            # getMe comes once the index is open (a long poll is recorded only when it returns).
            botapi.wait_sync(lambda: botapi.calls_to("getMe") or not bot.alive, timeout=900)
            if not bot.alive:
                raise RuntimeError(f"the bot exited: {bot.stderr().strip().splitlines()[-1:]}")
            rss = status_mb("VmRSS", bot.process.pid)
            fig.put(ready_s=time.monotonic() - start, rss_ready_mb=rss)
            first = Crowd(botapi, mixed, 1, 1, first_user=10_000)
            botapi.on_call = first.on_call
            first.ask(first.users[0], mixed[0][0], "first")  # the word list loads on the first
            botapi.wait_sync(lambda: first.latencies, timeout=300)
            fig.put(first_answer_ms=first.latencies[0][0] * 1000)
            for name, questions, first_user in (("mixed", mixed, 20_000), ("topic", topic, 30_000)):
                time.sleep(2)  # the pages of earlier answers are out
                crowd = Crowd(botapi, questions, users, per_user, first_user=first_user)
                botapi.on_call = crowd.on_call
                elapsed = crowd.run(timeout=120 + 10 * per_user)
                time.sleep(0.5)  # anything answered late shows up now
                fig.put(**{name: crowd_figures(crowd, elapsed)})
            fig.put(
                api_errors=len(botapi.errors()),
                rss_end_mb=status_mb("VmRSS", bot.process.pid),
                peak_mb=status_mb("VmHWM", bot.process.pid),
            )
        finally:
            code = bot.stop()
        if code != 0 or "Traceback" in bot.stderr():
            lines = [line for line in bot.stderr().splitlines() if line.strip()]
            raise RuntimeError(f"the bot exited {code}: {lines[-1] if lines else ''}")


def phase_cold(fig: Figures, work: Work) -> None:
    """``khabar ask`` on the bundled article, a fresh process, wall time."""
    script = Path(sys.executable).with_name("khabar")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "khabar.bot.cli"]
    start = time.perf_counter()
    run = subprocess.run(
        [*command, "ask", "متى سقط حي مساكن هنانو؟"], capture_output=True, text=True, cwd=ROOT
    )
    wall = time.perf_counter() - start
    if run.returncode != 0:
        lines = [line.strip() for line in run.stderr.splitlines() if line.strip()]
        raise RuntimeError(lines[-1] if lines else f"exit {run.returncode}")
    fig.put(wall_s=wall)


PHASES = ("scorer", "bm25s", "build", "serve", "bot", "cold")
NEEDS_INDEX = ("serve", "bot")


def run_phase(name: str, work: Work, options: Sequence[str], timeout: float) -> dict[str, Any]:
    """One phase in a fresh interpreter (its own cold start and peak memory), one thread.

    Whatever the phase wrote before failing is kept; the failure is added as ``error``.
    """
    path = work.result(name)
    path.unlink(missing_ok=True)
    if name in NEEDS_INDEX and not work.index.exists():
        return {"error": "no engine index (the build phase did not write one)"}
    command = [sys.executable, __file__, "--phase", name, str(work.folder), str(work.archive),
               *options]  # fmt: skip
    env = {**os.environ, **ONE_THREAD}
    start = time.perf_counter()
    error = ""
    try:
        run = subprocess.run(
            command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout
        )
        if run.returncode < 0:
            error = f"killed by signal {-run.returncode}" + (
                " (out of memory?)" if run.returncode == -9 else ""
            )
        elif run.returncode != 0:
            lines = [line for line in run.stderr.strip().splitlines() if line.strip()]
            error = lines[-1] if lines else f"exit {run.returncode}"
    except subprocess.TimeoutExpired:
        error = f"stopped after {timeout:.0f} s (--timeout)"
    figures = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    figures["phase_s"] = time.perf_counter() - start
    if error:
        figures["error"] = error
    path.write_text(json.dumps(figures, ensure_ascii=False), encoding="utf-8")
    return figures


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = platform.processor() or platform.machine()
    ram_gb = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return {
        "date": dt.date.today().isoformat(),
        "cpu": model,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "python": platform.python_version(),
    }


# ---- the report ------------------------------------------------------------------------------

SIZES = {"100k": 100_000, "1M": 1_000_000}


def size_class(n: int) -> str | None:
    """Which targets a run of ``n`` passages is judged against (None: only indicative)."""
    if n >= SIZES["1M"]:
        return "1M"
    return "100k" if n >= SIZES["100k"] else None


def verdict(goal: str, ok: bool | None, applies: bool) -> str:
    """A target cell: judged at its own size, indicative at any other."""
    if ok is None:
        return f"{goal} (not measured)"
    if not applies:
        return f"{goal} (indicative: {'met' if ok else 'not met'})"
    return f"{goal} {'PASS' if ok else '**FAIL**'}"


def ms3(t: dict[str, float] | None) -> str:
    if not t:
        return "—"
    return f"{t['mean']:.2f} / {t['p50']:.2f} / {t['p95']:.2f} ms"


def mb(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} MB"


class Table:
    """Rows of what, measured, target at 100k, target at 1M."""

    def __init__(self, n: int) -> None:
        self.n, self.size = n, size_class(n)
        self.rows: list[tuple[str, str, str, str]] = []

    def row(self, what: str, value: str, at_100k: str = "", at_1m: str = "") -> None:
        self.rows.append((what, value, at_100k, at_1m))

    def goal(self, size: str, goal: str, ok: bool | None) -> str:
        return verdict(goal, ok, self.size == size)

    def error(self, phase: str, figures: dict[str, Any]) -> bool:
        """The phase's error as a row of its own; True when it measured nothing at all."""
        if "error" in figures:
            self.row(f"**{phase} phase failed**", figures["error"].replace("|", "\\|"))
        return not (figures.keys() - {"error", "phase_s"})

    def markdown(self, title: str) -> str:
        lines = [
            title,
            "",
            "| what | measured | target at 100k | target at 1M |",
            "|---|---|---|---|",
            *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in self.rows),
        ]
        return "\n".join(lines)


def report(n: int, results: dict[str, dict[str, Any]], meta: dict[str, Any]) -> str:
    """The Markdown table of one run; any phase may be missing, failed or partial."""
    t = Table(n)
    m = meta.get("machine", {})
    ram = f"{m['ram_gb']:.0f} GB RAM" if m.get("ram_gb") else "RAM unknown"
    t.row("date / machine", f"{m.get('date')} · {m.get('cpu')} · {m.get('cores')} cores · "
          f"{ram} · Python {m.get('python')}")  # fmt: skip
    t.row("archive", meta.get("archive", "—"))
    if meta.get("wall_s") is not None:
        walls = " · ".join(
            f"{p} {results[p]['phase_s']:.0f} s" for p in PHASES if "phase_s" in results.get(p, {})
        )
        t.row("bench wall time", f"{meta['wall_s']:.0f} s ({walls})")
    scorer_rows(t, results.get("scorer"))
    bm25s_rows(t, results.get("bm25s"), results.get("serve"))
    build_rows(t, results.get("build"))
    serve_rows(t, results.get("serve"), results.get("scorer"), results.get("bm25s"))
    bot_rows(t, results.get("bot"))
    cold = results.get("cold")
    if cold is not None and not t.error("cold start", cold):
        wall = cold["wall_s"] if "error" not in cold else None
        t.row(
            "`khabar ask` cold start (bundled article)",
            "—" if wall is None else f"{wall:.2f} s",
            verdict("≤ 1 s", None if wall is None else wall <= 1, True),
        )
    return t.markdown(f"## khabar bench: {n:,} passages")


def scorer_rows(t: Table, s: dict[str, Any] | None) -> None:
    if s is None or t.error("scorer", s):
        return
    t.row("passages (scorer bench)", f"{s['passages']:,}")
    if "postings" in s:
        t.row(
            "tokens / vocabulary / postings",
            f"{s['tokens']:,} / {s['vocabulary']:,} / {s['postings']:,}",
        )
    t.row("analyze passages (light10)", f"{s['analyze_s']:.1f} s")
    if "build_s" in s:
        t.row("PostingsBM25.build", f"{s['build_s']:.2f} s")
        t.row("store.save / size", f"{s['save_s']:.2f} s / {s['size_mb']:.1f} MB")
        t.row("store.load (postings only)", f"{s['load_s'] * 1000:.0f} ms")
    if "top" in s:
        t.row("stem top-3, mixed questions (mean / p50 / p95)", ms3(s["top"]))
        t.row("stem dense scores() (mean / p50 / p95)", ms3(s["dense"]))
        t.row("peak memory, scorer bench", f"{mb(s['peak_mb'])} (before rank-bm25)")
    if "reference_skipped" in s:
        t.row(
            "rank-bm25 full scan",
            f"not built above {s['reference_skipped']:,} passages (--reference-up-to)",
        )
    elif "reference" in s:
        ref, k = s["reference"], s["reference_n"]
        ratio = ref["mean"] / s["ours_top_subset"]["mean"]
        dense = ref["mean"] / s["ours_dense_subset"]["mean"]
        t.row(
            f"rank-bm25 get_scores, {k} of the mixed questions",
            f"{ref['mean']:.1f} ms mean (built in {s['reference_build_s']:.0f} s, "
            f"peak {mb(s['reference_peak_mb'])})",
        )
        t.row(
            "speed-up on those questions",
            f"{ratio:.0f}× (top-3) · {dense:.0f}× (dense scores)",
            t.goal("100k", "≥ 30×", ratio >= 30),
        )
        diff = s["max_abs_diff"]
        t.row(
            "max score difference from rank-bm25",
            f"{diff:.1e}",
            verdict("≤ 1e-9", diff <= 1e-9, True),
        )


def bm25s_rows(t: Table, b: dict[str, Any] | None, serve: dict[str, Any] | None) -> None:
    if b is None or t.error("bm25s", b):
        return
    if "index_s" in b:
        t.row(
            f"bm25s {b['version']} index (same light10 tokens) / peak",
            f"{b['index_s']:.1f} s / {mb(b['peak_mb'])}",
        )
    if "topic" not in b:
        return
    t.row(f"bm25s retrieve k=3, {b['topic']['n']} topic questions, one thread", ms3(b["topic"]))
    if "ours_topic" in b:
        ratio = b["ours_topic"]["mean"] / b["topic"]["mean"]
        t.row(
            "khabar stem scorer top-3, same questions",
            f"{ms3(b['ours_topic'])} ({ratio:.2f}× bm25s)",
        )
    asked = (serve or {}).get("ask", {}).get("topic")
    if asked:
        ratio = asked["mean"] / b["topic"]["mean"]
        t.row(
            "khabar whole ask → JSON / bm25s top-3, topic questions (mean)",
            f"{ratio:.2f}×",
            "",
            t.goal("1M", "≤ 1× (topic questions ≤ bm25s top-3)", ratio <= 1),
        )


def build_rows(t: Table, b: dict[str, Any] | None) -> None:
    if b is None or t.error("build", b):
        return
    t.row("passages (engine)", f"{b['passages']:,} ({b['events']:,} events)")
    t.row(
        "Engine.build",
        f"{b['build_s']:.1f} s",
        t.goal("100k", "≤ 60 s", b["build_s"] <= 60),
        t.goal("1M", "≤ 3 min", b["build_s"] <= 180),
    )
    if "size_mb" in b:
        t.row("engine.save / index file", f"{b['save_s']:.1f} s / {b['size_mb']:,.0f} MB")
    t.row(
        "peak memory, build",
        mb(b["peak_mb"]),
        t.goal("100k", "≤ 1.5 GB", b["peak_mb"] <= 1536),
        t.goal("1M", "≤ 3 GB", b["peak_mb"] <= 3072),
    )


def serve_rows(
    t: Table,
    s: dict[str, Any] | None,
    scorer: dict[str, Any] | None,
    bm25s: dict[str, Any] | None,
) -> None:
    if s is None or t.error("serve", s):
        return
    if "open_s" in s:
        t.row(
            "Engine.open (cold process, after imports)",
            f"{s['open_s']:.2f} s",
            t.goal("100k", "≤ 2 s", s["open_s"] <= 2),
            t.goal("1M", "≤ 1 s", s["open_s"] <= 1),
        )
        t.row(
            "resident memory (VmRSS): imported / opened / after the questions",
            f"{mb(s.get('rss_imported_mb'))} / {mb(s.get('rss_open_mb'))} / "
            f"{mb(s.get('rss_asked_mb'))} (index file {s['size_mb']:,.0f} MB)",
        )
    asks = s.get("ask", {})
    for kind in QUESTION_KINDS:
        a = asks.get(kind)
        if a is None:
            continue
        what = f"ask → JSON, {a['n']} {KIND_NAMES[kind]} (mean / p50 / p95)"
        at_100k = at_1m = ""
        if kind == "mix":
            at_100k = t.goal("100k", "≤ 5 ms mean", a["mean"] <= 5)
        elif kind in DATE_KINDS:
            at_1m = t.goal("1M", "≤ 20 ms mean", a["mean"] <= 20)
        t.row(what, ms3(a), at_100k, at_1m)
    if asks:
        t.row(
            "question intents by kind",
            "; ".join(
                f"{kind}: " + ", ".join(f"{k} {v}" for k, v in sorted(a["intents"].items()))
                for kind, a in asks.items()
            ),
        )
    mix = asks.get("mix")
    if mix and scorer and "reference" in scorer:
        scan = scorer["reference"]["mean"] / mix["mean"]
        t.row(
            "rank-bm25 scan alone vs our whole ask → JSON",
            f"{scan:.0f}×",
            t.goal("100k", "≥ 30×", scan >= 30),
        )
    if "peak_mb" in s:
        t.row(
            "peak memory, open + ask (VmHWM)",
            mb(s["peak_mb"]),
            t.goal("100k", "≤ 1.5 GB", s["peak_mb"] <= 1536),
        )
    if "store_load_s" in s:
        t.row("of which store.load (postings + meta)", f"{s['store_load_s']:.2f} s (warm cache)")


def bot_rows(t: Table, b: dict[str, Any] | None) -> None:
    if b is None or t.error("bot", b):
        return
    if "ready_s" in b:
        t.row(
            "`khabar telegram`: start → index open (getMe) / RSS",
            f"{b['ready_s']:.1f} s / {mb(b['rss_ready_mb'])}",
        )
    if "first_answer_ms" in b:
        t.row("bot: first answer", f"{b['first_answer_ms']:.0f} ms")
    for name, what in (("mixed", "topic and date questions"), ("topic", "topic questions only")):
        c = b.get(name)
        if not c:
            continue
        t.row(
            f"bot: {c['users']} users at once, {what}",
            f"{c['answered']} of {c['asked']} answered in {c['elapsed_s']:.0f} s "
            f"({c['rate']:.1f} a second, {c['messages'] / max(1, c['answered']):.1f} messages "
            "each)",
        )
        p95 = c["p95_ms"]
        kinds = ", ".join(f"{k} {v:.0f}" for k, v in c.get("p95_by_kind", {}).items())
        t.row(
            f"bot: update → answer p50 / p95 / p99 / max ({what})",
            "—"
            if p95 is None
            else f"{c['p50_ms']:.0f} / {p95:.0f} / {c['p99_ms']:.0f} / {c['max_ms']:.0f} ms"
            + (f" (p95 by kind: {kinds})" if name == "mixed" else ""),
            "",
            t.goal("1M", "p95 ≤ 200 ms", None if p95 is None else p95 <= 200)
            if name == "mixed"
            else "",
        )
    if "rss_end_mb" in b:
        t.row(
            "bot: resident memory after the crowds / peak",
            f"{mb(b['rss_end_mb'])} / {mb(b['peak_mb'])} ({b['api_errors']} Bot API errors)",
        )


# ---- running it ------------------------------------------------------------------------------


def prepare(work: Work, n: int, questions_n: int, generated_elsewhere: bool) -> str:
    """The archive and the questions; an archive already there for ``n`` passages is reused."""
    articles = max(1, math.ceil(n / PARAGRAPHS))
    facts = json.loads(work.facts.read_text(encoding="utf-8")) if work.facts.exists() else None
    if generated_elsewhere:
        if facts is None:
            raise SystemExit(f"bench: no facts.json in {work.archive}")
        said = f"{facts['articles']:,} articles read from {work.archive}"
    elif facts is not None and facts["articles"] == articles and work.data.exists():
        said = f"{articles:,} articles reused from {work.data}"
    else:
        if work.data.exists():
            shutil.rmtree(work.data)
        facts, gen_s = timed(lambda: generate(work.data, n))
        work.facts.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
        said = f"{articles:,} articles generated in {gen_s:.1f} s"
    work.questions.write_text(
        json.dumps(question_sets(facts, questions_n), ensure_ascii=False), encoding="utf-8"
    )
    return said


def run_one(name: str, work: Work, args: argparse.Namespace) -> None:
    """The body of ``--phase NAME``: this fresh process measures one phase into its file."""
    fig = Figures(work.result(name))
    fig.put()
    phases: dict[str, Callable[[], None]] = {
        "scorer": lambda: phase_scorer(fig, work, args.reference, args.reference_up_to),
        "bm25s": lambda: phase_bm25s(fig, work),
        "build": lambda: phase_build(fig, work),
        "serve": lambda: phase_serve(fig, work),
        "bot": lambda: phase_bot(fig, work, args.users, args.per_user),
        "cold": lambda: phase_cold(fig, work),
    }
    phases[name]()


def phase_list(text: str) -> list[str]:
    chosen = [p.strip() for p in text.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in PHASES]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"phases are {', '.join(PHASES)} (got {text!r})")
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tests/bench.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--passages", type=int, default=100_000, metavar="N")
    parser.add_argument("--quick", action="store_true", help="10k passages, to try it fast")
    parser.add_argument(
        "--questions", type=int, default=200, metavar="N",
        help="mixed and topic questions (a quarter as many of each date kind)",
    )  # fmt: skip
    parser.add_argument(
        "--reference", type=int, default=20, metavar="N",
        help="questions also run through rank-bm25's full scan (it is slow)",
    )  # fmt: skip
    parser.add_argument(
        "--reference-up-to", type=int, default=1_000_000, metavar="N",
        help="above N passages rank-bm25 is not built (it needs a dict per passage)",
    )  # fmt: skip
    parser.add_argument("--users", type=int, default=20, help="bot phase: users asking at once")
    parser.add_argument("--per-user", type=int, default=10, help="bot phase: questions each")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (archive too)")
    parser.add_argument(
        "--archive", metavar="DIR",
        help="read DIR/articles and DIR/facts.json (generated earlier), never writing there",
    )  # fmt: skip
    parser.add_argument(
        "--only", type=phase_list, metavar="PHASE[,PHASE]",
        help=f"run only these of {', '.join(PHASES)}; the others' figures are read from "
        "--keep DIR when a run left them there",
    )  # fmt: skip
    parser.add_argument("--timeout", type=float, default=3600, metavar="S", help="per phase")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:  # internal: one measurement in this fresh process, figures in a file
        folder, archive = (Path(a) for a in args.args)
        run_one(args.phase, Work(folder, archive), args)
        return 0
    if args.only and not args.keep:
        parser.error("--only needs --keep DIR (where the other phases' figures are)")
    archive = Path(args.archive).resolve() if args.archive else None
    temporary = Path(tempfile.mkdtemp(prefix="khabar-bench-")) if not args.keep else None
    work = Work(temporary or Path(args.keep).resolve(), archive)
    started = time.perf_counter()
    try:
        work.results.mkdir(parents=True, exist_ok=True)
        n = 10_000 if args.quick else args.passages
        if archive is not None:
            facts = json.loads(work.facts.read_text(encoding="utf-8"))
            n = facts["articles"] * PARAGRAPHS
        said = prepare(work, n, args.questions, archive is not None)
        print(f"bench: {said}; measuring…", file=sys.stderr, flush=True)
        options = [
            f"--reference={args.reference}", f"--reference-up-to={args.reference_up_to}",
            f"--users={args.users}", f"--per-user={args.per_user}",
        ]  # fmt: skip
        results: dict[str, dict[str, Any]] = {}
        for name in PHASES:
            if args.only and name not in args.only:
                path = work.result(name)
                if path.exists():
                    results[name] = json.loads(path.read_text(encoding="utf-8"))
                continue
            print(f"bench: {name}…", file=sys.stderr, flush=True)
            results[name] = run_phase(name, work, options, args.timeout)
        meta = {
            "machine": machine(),
            "archive": said,
            "wall_s": None if args.only else time.perf_counter() - started,
        }
        text = report(n, results, meta)
        (work.folder / "report.md").write_text(text + "\n", encoding="utf-8")
        print(text)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
