"""The ``khabar`` command: console, ask, index build, timeline, eval, telegram.

Exit codes: 0 answered (even "the article does not cover this"), 1 the index or corpus cannot
be used, 2 the command line itself is wrong. Errors are one line on stderr, never a traceback.
The Telegram stack is imported only by ``khabar telegram``, so ``ask`` starts fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from khabar.index.corpus import CorpusError

_EXIT_WORDS = {"exit", "quit", "q", "خروج", "خروج.", ":q"}
# Terminal control sequences and C0/C1 controls must not reach the user's terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class UsageError(Exception):
    """Bad command-line input: exit 2 with one line."""


def _engine(index: str | None):  # -> Engine, imported lazily for a fast --help
    from khabar.index.search import Engine

    return Engine.open(index)


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text)


def _questions(args: argparse.Namespace) -> Iterable[str]:
    if args.question:
        yield " ".join(args.question)
        return
    if sys.stdin.isatty():
        raise UsageError('ask needs a question: khabar ask "متى سقط حي مساكن هنانو؟"')
    for line in sys.stdin:
        yield line.rstrip("\r\n")


def cmd_ask(args: argparse.Namespace) -> int:
    from khabar.bot.replies import answer_json, render_text

    if args.top_k < 1:
        raise UsageError("--top-k must be 1 or more")
    engine = _engine(args.index)
    for question in _questions(args):
        answer = engine.ask(_clean(question), top_k=args.top_k)
        if args.json:
            print(json.dumps(answer_json(answer), ensure_ascii=False), flush=True)
        else:
            print(render_text(answer) + "\n", flush=True)
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    from khabar.bot.replies import EXAMPLES, render_text

    engine = _engine(args.index)
    interactive = sys.stdin.isatty()
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for input())
        titles = "، ".join(a.title for a in engine.articles)
        print(f"خبر — اسأل عن: {titles}")
        print(f"مثال: {EXAMPLES[0]}   (للخروج: خروج أو Ctrl-D)\n")
    while True:
        try:
            question = input("سؤالك> " if interactive else "")
        except (EOFError, KeyboardInterrupt):
            if interactive:
                print()
            return 0
        if question.strip().casefold() in _EXIT_WORDS:
            return 0
        if not question.strip() and not interactive:
            continue
        print(render_text(engine.ask(_clean(question), top_k=args.top_k)) + "\n", flush=True)


def cmd_index_build(args: argparse.Namespace) -> int:
    from khabar.index.search import Engine

    warnings: list[str] = []
    engine = Engine.build(args.paths, warnings=warnings)
    for warning in warnings:
        print(f"khabar: warning: {warning}", file=sys.stderr)
    engine.save(args.out)
    events = sum(p.dated for p in engine.passages)
    fields = " + ".join(f.analyzer for f in engine.ranking.fields)
    print(
        f"{args.out}: {len(engine.articles)} articles, {len(engine.passages)} passages "
        f"({events} dated events), ranked by {fields}"
    )
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    from khabar.bot.replies import citation_label, date_label

    engine = _engine(args.index)
    for passage in engine.timeline():
        print(f"{date_label(passage)}  [{passage.date_source}]\n{passage.text}")
        print(f"{citation_label(passage)}\n")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from khabar.bot.evaluation import EvalError, run

    try:
        squad = Path(args.squad) if args.squad else None
        run([Path(p) for p in args.gold], squad, lambda line: print(line, flush=True))
    except EvalError as exc:
        raise UsageError(str(exc)) from None
    return 0


def cmd_telegram(args: argparse.Namespace) -> int:
    from khabar.bot.telegram_app import main as telegram_main

    return telegram_main()


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="khabar", description="Ask an Arabic news article questions."
    )
    sub = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_index(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--index", metavar="PATH", help="a saved index (default: bundled seeds/)")
        return p

    ask = with_index(sub.add_parser("ask", help="answer a question (or one per stdin line)"))
    ask.add_argument("question", nargs="*", help="the question; omitted: read lines from stdin")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    ask.add_argument("--top-k", type=int, default=3, metavar="N", help="passages per answer")
    ask.set_defaults(run=cmd_ask)

    console = with_index(sub.add_parser("console", help="interactive questions"))
    console.add_argument("--top-k", type=int, default=3, metavar="N")
    console.set_defaults(run=cmd_console)

    index = sub.add_parser("index", help="build and save an index")
    index_sub = index.add_subparsers(dest="index_command", required=True, metavar="ACTION")
    build = index_sub.add_parser("build", help="index .txt articles (files or folders)")
    build.add_argument("paths", nargs="+", metavar="PATH")
    build.add_argument("--out", required=True, metavar="FILE")
    build.set_defaults(run=cmd_index_build)

    timeline = with_index(sub.add_parser("timeline", help="every event in date order"))
    timeline.set_defaults(run=cmd_timeline)

    evaluate = sub.add_parser(
        "eval",
        help="measure retrieval on the gold sets (and a SQuAD-format file) beside the baselines",
    )
    evaluate.add_argument(
        "--gold", nargs="*", default=[], metavar="FILE",
        help="gold question files (default: every one shipped with khabar)",
    )  # fmt: skip
    evaluate.add_argument(
        "--squad", metavar="FILE", help="also a SQuAD-format QA file, e.g. ARCD's arcd.json"
    )
    evaluate.set_defaults(run=cmd_eval)

    telegram = sub.add_parser("telegram", help="run the Telegram bot (settings from env/.env)")
    telegram.set_defaults(run=cmd_telegram)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    from khabar.index.store import IndexFileError

    for stream in (sys.stdout, sys.stderr):  # Arabic must print even under LANG=C
        stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    sys.stdin.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"khabar: {exc}", file=sys.stderr)
        return 2
    except (IndexFileError, CorpusError) as exc:
        print(f"khabar: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
