"""``python tests/bench.py`` (``make bench``): speed and memory at 100k passages, as Markdown.

A synthetic Arabic archive is generated with a fixed seed (5,000 articles × 20 paragraphs,
Zipfian ~50k-word vocabulary, most paragraphs opening with a date as the bundled article does)
and written as ``.txt`` + ``.toml`` files, so the whole path is measured: read, chunk, analyze,
index, save, open, ask, JSON. Each phase runs in its own subprocess so its peak memory
(``ru_maxrss``) and its load time are its own, cold. rank-bm25's full scan runs on the same
analyzed passages for the side-by-side ratio, on a subset of the questions because it is slow.

Targets at 100k passages are printed with PASS/FAIL; at other sizes they are only indicative.
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


# ---- measuring -------------------------------------------------------------------------------


def peak_mb() -> float:
    """This process's peak resident memory (Linux reports ru_maxrss in KiB)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024 if sys.platform != "darwin" else kib / 1024 / 1024


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def per_question_ms(ask: Callable[[str], Any], items: Sequence[Any]) -> dict[str, float]:
    """Batch mean (total / n, as a serving loop sees it), p50 and p95, in milliseconds."""
    for item in items[:5]:  # warm caches (analyzer, stopword list) outside the measure
        ask(item)
    times: list[float] = []
    start = time.perf_counter()
    for item in items:
        t0 = time.perf_counter()
        ask(item)
        times.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    ordered = sorted(times)
    return {
        "mean": total / len(items) * 1000,
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)] * 1000,
    }


def phase_engine_build(data: Path, out: Path) -> dict[str, Any]:
    from khabar.index.search import Engine

    engine, build_s = timed(lambda: Engine.build([data]))
    _, save_s = timed(lambda: engine.save(out))
    return {
        "passages": len(engine.passages),
        "events": int(sum(p.dated for p in engine.passages)),
        "build_s": build_s,
        "save_s": save_s,
        "size_mb": out.stat().st_size / 1e6,
        "peak_mb": peak_mb(),
    }


def phase_engine_serve(index: Path, qfile: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    from khabar.bot.replies import answer_json
    from khabar.index.search import Engine

    import_s = time.perf_counter() - t0
    engine, load_s = timed(lambda: Engine.open(index))
    asked = json.loads(qfile.read_text(encoding="utf-8"))

    def ask(text: str) -> str:
        return json.dumps(answer_json(engine.ask(text, top_k=3)), ensure_ascii=False)

    intents: dict[str, int] = {}
    for text in asked:
        intent = engine.ask(text, top_k=3).intent
        intents[intent] = intents.get(intent, 0) + 1
    timing = per_question_ms(ask, asked)
    peak = peak_mb()
    from khabar.index.store import load

    _, store_s = timed(lambda: load(index))  # the file part of open (second read: warm cache)
    return {
        "import_s": import_s,
        "load_s": load_s,
        "store_load_s": store_s,
        "ask": timing,
        "intents": intents,
        "peak_mb": peak,
    }


def read_passages(data: Path) -> list[str]:
    """Every paragraph of the archive (title lines skipped), as the scorer-level bench indexes."""
    texts: list[str] = []
    for path in sorted(data.glob("*.txt")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
        texts.extend(lines[1:])
    return texts


def phase_scorer(data: Path, qfile: Path, out: Path, reference_n: int) -> dict[str, Any]:
    """The parts under the engine: analyze, PostingsBM25 + store, and rank-bm25 side by side."""
    from rank_bm25_reference import reference

    from khabar.index.analysis import get_analyzer
    from khabar.index.bm25 import PostingsBM25
    from khabar.index.ranking import DEFAULT_RANKING
    from khabar.index.store import load, save

    field = DEFAULT_RANKING.fields[0]  # the stems, with the parameters the engine ships
    analyzer, params = get_analyzer(field.analyzer), field.params
    docs, analyze_s = timed(lambda: [analyzer(text) for text in read_passages(data)])
    scorer, build_s = timed(lambda: PostingsBM25.build(docs, params))
    _, save_s = timed(lambda: save(out, {"analyzer": "light10"}, {"light10": scorer}))
    (_, loaded, _), load_s = timed(lambda: load(out))
    scorer = loaded["light10"]
    asked = [analyzer(text) for text in json.loads(qfile.read_text(encoding="utf-8"))]
    top = per_question_ms(lambda terms: scorer.top(terms, 3), asked)
    dense = per_question_ms(scorer.scores, asked)
    peak = peak_mb()
    subset = asked[:: max(1, len(asked) // reference_n)][:reference_n]
    ref, ref_build_s = timed(lambda: reference(docs, params))
    ref_ms = per_question_ms(ref.get_scores, subset)
    ours_top = per_question_ms(lambda terms: scorer.top(terms, 3), subset)
    ours_dense = per_question_ms(scorer.scores, subset)
    worst = max(float(np.max(np.abs(scorer.scores(q) - ref.get_scores(q)))) for q in subset)
    return {
        "passages": len(docs),
        "tokens": int(sum(len(d) for d in docs)),
        "vocabulary": len(scorer.terms),
        "postings": int(scorer.doc.size),
        "analyze_s": analyze_s,
        "build_s": build_s,
        "save_s": save_s,
        "size_mb": out.stat().st_size / 1e6,
        "load_s": load_s,
        "top": top,
        "dense": dense,
        "peak_mb": peak,
        "reference_n": len(subset),
        "reference_build_s": ref_build_s,
        "reference": ref_ms,
        "ours_top_subset": ours_top,
        "ours_dense_subset": ours_dense,
        "max_abs_diff": worst,
    }


def phase_cold_ask() -> dict[str, Any]:
    """``khabar ask`` on the bundled article, a fresh process, wall time."""
    script = Path(sys.executable).with_name("khabar")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "khabar.bot.cli"]
    start = time.perf_counter()
    run = subprocess.run(
        [*command, "ask", "متى سقط حي مساكن هنانو؟"], capture_output=True, text=True, cwd=ROOT
    )
    wall = time.perf_counter() - start
    lines = [line.strip() for line in run.stderr.splitlines() if line.strip()]
    return {"wall_s": wall, "ok": run.returncode == 0, "error": lines[-1] if lines else ""}


def run_phase(name: str, *args: str) -> dict[str, Any]:
    """One phase in a fresh interpreter: its own cold start and its own peak memory."""
    command = [sys.executable, __file__, "--phase", name, *args]
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if run.returncode != 0:
        lines = [line for line in run.stderr.strip().splitlines() if line.strip()]
        return {"error": lines[-1] if lines else f"exit {run.returncode}"}
    return json.loads(run.stdout.strip().splitlines()[-1])


# ---- the report ------------------------------------------------------------------------------


def verdict(ok: bool, applies: bool) -> str:
    if not applies:
        return "(n/a at this size)"
    return "PASS" if ok else "**FAIL**"


def report(
    n: int, gen_s: float, scorer: dict, build: dict, serve: dict, cold: dict, nq: int
) -> str:
    full = n >= 100_000
    rows: list[tuple[str, str, str]] = []

    def row(what: str, value: str, target: str = "") -> None:
        rows.append((what, value, target))

    row(
        "date / machine",
        f"{dt.date.today()} · {os.cpu_count()} cores · {platform.python_version()}",
    )
    row("archive generated", f"{gen_s:.1f} s")
    if "error" in scorer:
        row("scorer bench", f"failed: {scorer['error']}")
    else:
        row("passages (scorer bench)", f"{scorer['passages']:,}")
        row(
            "tokens / vocabulary / postings",
            f"{scorer['tokens']:,} / {scorer['vocabulary']:,} / {scorer['postings']:,}",
        )
        row("analyze passages (light10)", f"{scorer['analyze_s']:.1f} s")
        row("PostingsBM25.build", f"{scorer['build_s']:.2f} s")
        row("store.save / size", f"{scorer['save_s']:.2f} s / {scorer['size_mb']:.1f} MB")
        row("store.load (postings only)", f"{scorer['load_s'] * 1000:.0f} ms")
        t, d = scorer["top"], scorer["dense"]
        row(
            f"top-3, {nq} questions (mean / p50 / p95)",
            f"{t['mean']:.2f} / {t['p50']:.2f} / {t['p95']:.2f} ms",
        )
        row(
            "dense scores() (mean / p50 / p95)",
            f"{d['mean']:.2f} / {d['p50']:.2f} / {d['p95']:.2f} ms",
        )
        ref, k = scorer["reference"], scorer["reference_n"]
        ratio = ref["mean"] / scorer["ours_top_subset"]["mean"]
        ratio_dense = ref["mean"] / scorer["ours_dense_subset"]["mean"]
        row(f"rank-bm25 get_scores, {k} of the questions", f"{ref['mean']:.1f} ms mean")
        row(
            "speed-up on those questions",
            f"{ratio:.0f}× (top-3) · {ratio_dense:.0f}× (dense scores)",
            f"≥ 30× {verdict(ratio >= 30, full)}",
        )
        diff = scorer["max_abs_diff"]
        row(
            "max score difference from rank-bm25",
            f"{diff:.1e}",
            f"≤ 1e-9 {verdict(diff <= 1e-9, True)}",
        )
        row("peak memory, scorer bench", f"{scorer['peak_mb']:.0f} MB (before rank-bm25)")
    if "error" in build:
        row("engine build", f"not measured: {build['error']}")
    else:
        row("passages (engine)", f"{build['passages']:,} ({build['events']:,} events)")
        row(
            "Engine.build",
            f"{build['build_s']:.1f} s",
            f"≤ 60 s {verdict(build['build_s'] <= 60, full)}",
        )
        row("engine.save / index size", f"{build['save_s']:.1f} s / {build['size_mb']:.0f} MB")
        row(
            "peak memory, build",
            f"{build['peak_mb']:.0f} MB",
            f"≤ 1.5 GB {verdict(build['peak_mb'] <= 1536, full)}",
        )
    if "error" in serve:
        row("engine questions", f"not measured: {serve['error']}")
    elif "error" not in build:
        row(
            "Engine.open (cold process)",
            f"{serve['load_s']:.2f} s",
            f"≤ 2 s {verdict(serve['load_s'] <= 2, full)}",
        )
        row(
            "of which store.load (postings + meta JSON)",
            f"{serve['store_load_s']:.2f} s (warm cache)",
        )
        a = serve["ask"]
        row(
            f"ask → JSON, {nq} questions (mean / p50 / p95)",
            f"{a['mean']:.2f} / {a['p50']:.2f} / {a['p95']:.2f} ms",
            f"≤ 5 ms mean {verdict(a['mean'] <= 5, full)}",
        )
        if "error" not in scorer:
            scan = scorer["reference"]["mean"] / a["mean"]
            row(
                "rank-bm25 scan alone vs our whole ask → JSON",
                f"{scan:.0f}×",
                f"≥ 30× {verdict(scan >= 30, full)}",
            )
        row("question intents", ", ".join(f"{k} {v}" for k, v in sorted(serve["intents"].items())))
        row(
            "peak memory, open + ask",
            f"{serve['peak_mb']:.0f} MB",
            f"≤ 1.5 GB {verdict(serve['peak_mb'] <= 1536, full)}",
        )
    if cold.get("ok"):
        row(
            "`khabar ask` cold start (bundled article)",
            f"{cold['wall_s']:.2f} s",
            f"≤ 1 s {verdict(cold['wall_s'] <= 1, True)}",
        )
    else:
        row("`khabar ask` cold start", f"failed: {cold.get('error', '?')}", "≤ 1 s **FAIL**")
    lines = [
        f"## khabar bench: {n:,} passages requested",
        "",
        "| what | measured | target |",
        "|---|---|---|",
        *(f"| {a} | {b} | {c} |" for a, b, c in rows),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tests/bench.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--passages", type=int, default=100_000, metavar="N")
    parser.add_argument("--quick", action="store_true", help="10k passages, to try it fast")
    parser.add_argument("--questions", type=int, default=200, metavar="N")
    parser.add_argument(
        "--reference",
        type=int,
        default=20,
        metavar="N",
        help="questions also run through rank-bm25's full scan (it is slow)",
    )
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:  # internal: one measurement in this fresh process, JSON on stdout
        paths = [Path(a) for a in args.args]
        phases: dict[str, Callable[[], dict[str, Any]]] = {
            "engine_build": lambda: phase_engine_build(*paths),
            "engine_serve": lambda: phase_engine_serve(*paths),
            "scorer": lambda: phase_scorer(*paths, reference_n=args.reference),
        }
        print(json.dumps(phases[args.phase]()))
        return 0
    n = 10_000 if args.quick else args.passages
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="khabar-bench-"))
    try:
        data = work / "articles"
        if data.exists():
            shutil.rmtree(data)
        facts, gen_s = timed(lambda: generate(data, n))
        qfile = work / "questions.json"
        asked = questions(facts, args.questions)
        qfile.write_text(json.dumps(asked, ensure_ascii=False), encoding="utf-8")
        print(
            f"generated {facts['articles']:,} articles in {gen_s:.1f} s; measuring…",
            file=sys.stderr,
            flush=True,
        )
        scorer = run_phase("scorer", str(data), str(qfile), str(work / "postings.khabar"))
        build = run_phase("engine_build", str(data), str(work / "archive.khabar"))
        serve = (
            run_phase("engine_serve", str(work / "archive.khabar"), str(qfile))
            if "error" not in build
            else {"error": "no engine index"}
        )
        cold = phase_cold_ask()
        print(report(n, gen_s, scorer, build, serve, cold, len(asked)))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
