"""The ``khabar`` command: console, ask, articles, index build, timeline, eval, telegram.

Exit codes: 0 answered (even "the article does not cover this"), 1 the index, an article, the
input or the output cannot be used, 2 the command line itself is wrong; 130 and 143 after
Ctrl-C and SIGTERM. Errors are one line on stderr, never a traceback. A failed write (a closed
pipe, a full disk) is an error too: exit 1, and a build that cannot report leaves the previous
index in place. The Telegram stack is imported only by ``khabar telegram``, so ``ask`` starts
fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

from khabar.bot.terminal import (
    FSI,
    PDI,
    InputError,
    OutputError,
    Terminated,
    bounded_lines,
    silence_broken_streams,
    warn,
    write,
)
from khabar.index.corpus import CorpusError

if TYPE_CHECKING:
    from khabar.index.search import Engine

# Terminal control sequences and C0/C1 controls must not reach the user's terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
EXAMPLE_QUESTION = "متى سقط حي مساكن هنانو؟"


class UsageError(Exception):
    """Bad command-line input: exit 2 with one line."""


def _engine(index: str | None) -> Engine:
    """The index in service (imported lazily: ``--help`` stays fast)."""
    from khabar.index.search import Engine

    return Engine.open(index)


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text)


def _need_stdout() -> None:
    """Refuse before any work when there is nowhere to put the result (``>&-``)."""
    if sys.stdout is None:
        raise OutputError("cannot write to standard output (it is closed)")


def plural(count: int, word: str, words: str | None = None) -> str:
    """ "1 article", "2 articles", "1,234 passages"."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    raise AssertionError


# ---- commands ----------------------------------------------------------------------------------


def _questions(args: argparse.Namespace) -> Iterable[str]:
    if args.question:
        return [" ".join(args.question)]
    if sys.stdin is not None and sys.stdin.isatty():
        raise UsageError(f'ask needs a question: khabar ask "{EXAMPLE_QUESTION}"')
    return bounded_lines(sys.stdin.buffer if sys.stdin is not None else None)


def cmd_ask(args: argparse.Namespace) -> int:
    from khabar.bot.live import LiveIndex
    from khabar.bot.replies import answer_json, offered, render_text

    _need_stdout()
    questions = _questions(args)
    live = LiveIndex(args.index)  # questions read from a pipe may outlive a rebuild
    for question in questions:
        engine = live.current()
        answer = engine.ask(_clean(question), top_k=args.top_k)
        # a date's answer comes a page of its events at a time: --top-k is what is shown
        answer = answer.model_copy(update={"hits": answer.hits[: args.top_k]})
        if args.json:
            write(json.dumps(answer_json(answer, offered(engine)), ensure_ascii=False) + "\n")
        else:
            write(render_text(answer, offered(engine)) + "\n\n")
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    from khabar.bot.console import run
    from khabar.bot.live import LiveIndex

    _need_stdout()
    return run(LiveIndex(args.index), args.top_k)


class BuildProgress:
    """A progress bar on stderr while a build reads files and analyzes passages (TTY only)."""

    def __init__(self, console: Any = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[passages]:>9,} passages"),
            TimeElapsedColumn(),
            console=console or Console(file=sys.stderr, highlight=False),
            transient=True,
        )
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> BuildProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, stage: str, done: int, total: int, passages: int) -> None:
        if stage not in self.tasks:
            label = {"read": "files", "analyze": "analyzing"}.get(stage, stage)
            self.tasks[stage] = self.progress.add_task(label, total=total, passages=passages)
        self.progress.update(self.tasks[stage], completed=done, passages=passages)


def cmd_index_build(args: argparse.Namespace) -> int:
    from khabar.index.search import Engine
    from khabar.index.store import check_target

    if args.out.endswith(("/", os.sep)):
        raise UsageError(f"--out names the index file, not a folder: {args.out}")
    out = Path(args.out)
    check_target(out)  # before minutes of work, not after
    if not args.quiet:
        _need_stdout()
    started = time.monotonic()
    warnings: list[str] = []
    skipped: list[str] = []
    show_progress = not args.quiet and sys.stderr is not None and sys.stderr.isatty()
    try:
        with BuildProgress() if show_progress else contextlib.nullcontext() as progress:
            engine = Engine.build(args.paths, warnings=warnings, skipped=skipped, progress=progress)
    finally:
        for note in [*skipped, *warnings]:
            warn(note)  # on failure too: why nothing was left to index ("no passages")

    def report(written: Path) -> None:
        if not args.quiet:
            write(build_summary(engine, out, written.stat().st_size, skipped, warnings, started))

    engine.save(out, before_replace=report)
    return 0


def build_summary(
    engine: Any, out: Path, size: int, skipped: list[str], warnings: list[str], started: float
) -> str:
    """What a build made, on one screen (the warnings themselves went to stderr above)."""
    passages = len(engine.passages)
    events = passages - engine.undated()
    undated = sum(1 for a in engine.articles if a.published is None)
    fields = " + ".join(f.analyzer for f in engine.ranking.fields)
    lines = [
        f"{out}: {plural(len(engine.articles), 'article')}, {plural(passages, 'passage')} "
        f"({plural(events, 'dated event')}, {passages - events:,} undated), ranked by {fields}",
        f"  index    {_size(size)}, built in {time.monotonic() - started:.1f} s",
    ]
    if undated:
        lines.append(f"  dates    {plural(undated, 'article')} without a published date")
    lines.extend(dating_lines(engine))
    if skipped:
        lines.append(f"  skipped  {plural(len(skipped), 'file or folder', 'files or folders')}")
    if warnings:
        lines.append(f"  warnings {plural(len(warnings), 'warning')} (on stderr)")
    return "\n".join(lines) + "\n"


DATING_ARTICLES = 12  # past this many articles the build says the totals only


def dating_lines(engine: Any) -> list[str]:
    """How each article's paragraphs got their dates (or the totals, for an archive)."""
    dating: dict[str, dict[str, int]] = engine.dating()

    def said(counts: dict[str, int]) -> str:
        order = ["explicit", "dateline", "weekday", "deictic", "relative", "approximate"]
        order += ["inherited", "undated"]
        return ", ".join(f"{counts[k]:,} {k}" for k in order if counts.get(k))

    if len(dating) <= DATING_ARTICLES:
        return [f"  dated    {article}: {said(counts)}" for article, counts in dating.items()]
    total: dict[str, int] = {}
    for counts in dating.values():
        for source, n in counts.items():
            total[source] = total.get(source, 0) + n
    return [f"  dated    all articles: {said(total)} (per article: khabar articles)"]


def cmd_articles(args: argparse.Namespace) -> int:
    from khabar.bot.console import article_counts

    _need_stdout()
    engine = _engine(args.index)
    counts = article_counts(engine)
    if args.json:
        for article, (passages, dated) in zip(engine.articles, counts, strict=True):
            row = {
                **article.model_dump(mode="json", include={"id", "title", "published", "origin"}),
                "passages": passages,
                "dated": dated,
                "undated": passages - dated,
            }
            write(json.dumps(row, ensure_ascii=False) + "\n")
        return 0
    tty = sys.stdout.isatty()

    def isolate(text: str) -> str:  # an Arabic title must not reorder the row around it
        return f"{FSI}{_clean(text)}{PDI}" if tty else _clean(text)

    width = max([len("id"), *(len(a.id) for a in engine.articles)])
    rows = [f"{'id':<{width}}  published   passages  dated  undated  title"]
    for article, (passages, dated) in zip(engine.articles, counts, strict=True):
        published = article.published.isoformat() if article.published else "-"
        rows.append(
            f"{isolate(article.id)}{' ' * (width - len(article.id))}  {published:<10}  "
            f"{passages:>8,}  {dated:>5,}  {passages - dated:>7,}  {isolate(article.title)}"
        )
    total = sum(p for p, _ in counts)
    dated = sum(d for _, d in counts)
    rows.append(
        f"{plural(len(engine.articles), 'article')}, {plural(total, 'passage')}: "
        f"{dated:,} dated, {total - dated:,} undated"
    )
    write("\n".join(rows) + "\n")
    return 0


def cmd_index_add(args: argparse.Namespace) -> int:
    from khabar.index.store import locked

    warnings: list[str] = []
    skipped: list[str] = []
    with locked(args.index):
        engine = _engine(args.index)
        try:
            grown = engine.add(args.paths, warnings=warnings, skipped=skipped)
        finally:
            for note in [*skipped, *warnings]:
                warn(note)  # on failure too: why nothing was left to add
        grown.save(args.index)
    kept = {id(article) for article in engine.articles}  # merged keeps their very objects
    added = [article.id for article in grown.articles if id(article) not in kept]
    replaced = sorted({a.id for a in engine.articles} & set(added))
    write(
        f"{args.index}: {plural(len(added), 'article')} added"
        + (f" ({len(replaced)} replaced: {', '.join(replaced)})" if replaced else "")
        + f"; now {plural(len(grown.articles), 'article')}, "
        f"{plural(len(grown.passages), 'passage')}\n"
    )
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    from khabar.bot.replies import citation_label, count_label, date_label

    _need_stdout()
    engine = _engine(args.index)
    for passage in engine.timeline():
        write(
            f"{date_label(passage)}  [{passage.date_source}]\n{passage.text}\n"
            f"{citation_label(passage)}\n\n"
        )
    if undated := engine.undated():
        write(f"({count_label(undated)} دون تاريخ خارج الخط الزمني، وتجيب عن الأسئلة كغيرها.)\n")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from khabar.bot.evaluation import EvalError, run

    try:
        squad = Path(args.squad) if args.squad else None
        run([Path(p) for p in args.gold], squad, lambda line: write(line + "\n"))
    except EvalError as exc:
        raise UsageError(str(exc)) from None
    return 0


def cmd_telegram(args: argparse.Namespace) -> int:
    from khabar.bot.telegram.app import main as telegram_main

    return telegram_main()


# ---- the parser ----------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line, like every other error (the usage is one --help away).

    ``lazy_epilog`` makes an epilog only when help is shown: the settings table would cost
    every command the import of pydantic-settings.
    """

    lazy_epilog: Callable[[], str] | None = None

    def format_help(self) -> str:
        if self.lazy_epilog is not None:
            self.epilog = self.lazy_epilog()
        return super().format_help()

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("khabar").strip()  # "ask", or "" for khabar itself
        _error(f"{command + ': ' if command else ''}{message} (see {self.prog} --help)")
        sys.exit(2)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Epilogs keep their line breaks (examples, the settings table)."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30)


def _top_k(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"khabar {version('khabar')}"
    except PackageNotFoundError:
        return "khabar (not installed)"


def _telegram_epilog() -> str:
    from khabar.bot.settings import describe

    lines = ["settings (environment variables, or a .env file in the current folder):"]
    for name, default, meaning in describe():
        shown = "required" if default == "required" else f"default: {default}"
        lines += [f"  {name} ({shown})", f"      {meaning}"]
    lines += ["", "example:", "  KHABAR_INDEX=khabar.idx khabar telegram   # token in .env"]
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    root = _Parser(
        prog="khabar",
        description="Ask Arabic news articles questions: dated passages with their sources.",
        epilog=f'example:\n  khabar ask "{EXAMPLE_QUESTION}"\n\n'
        "`khabar COMMAND --help` says more about each command.",
        formatter_class=_Formatter,
    )
    root.add_argument("--version", action="version", version=_version())
    sub = root.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    def command(name: str, summary: str, example: str, epilog: str = "") -> argparse.ArgumentParser:
        text = f"{epilog}\n\n" if epilog else ""
        return sub.add_parser(
            name, help=summary, description=summary, formatter_class=_Formatter,
            epilog=f"{text}example:\n  {example}",
        )  # fmt: skip

    def with_index(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--index", metavar="FILE",
            help="an index made by `khabar index build` (default: the bundled article in seeds/)",
        )  # fmt: skip
        return p

    def with_top_k(p: argparse.ArgumentParser, what: str) -> None:
        p.add_argument("--top-k", type=_top_k, default=3, metavar="N", help=f"{what} (default: 3)")

    ask = with_index(
        command(
            "ask",
            "answer a question (or one question per line of stdin)",
            f'khabar ask "{EXAMPLE_QUESTION}"',
            "Without QUESTION, reads one question per line of standard input; with --json,\n"
            "writes one JSON object per question (JSON Lines).",
        )
    )
    ask.add_argument("question", nargs="*", help="the question (default: read lines from stdin)")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    with_top_k(ask, "passages per answer")
    ask.set_defaults(run=cmd_ask)

    console = with_index(
        command(
            "console",
            "ask questions interactively",
            "khabar console --top-k 5",
            "In the console: a question in Arabic; المزيد, more or Enter for the next results;\n"
            "مساعدة, help or ? for what can be asked; /date DAY, /timeline and /source as in\n"
            "Telegram; Ctrl-C clears the line; خروج, exit or Ctrl-D leaves. The arrow keys\n"
            "recall earlier questions. Colour follows the terminal (off with NO_COLOR=1);\n"
            "piped in or out, answers are plain text.",
        )
    )
    with_top_k(console, "passages per page")
    console.set_defaults(run=cmd_console)

    articles = with_index(
        command(
            "articles",
            "list the indexed articles (id, published, passages, dated, undated)",
            "khabar articles --index khabar.idx",
        )
    )
    articles.add_argument("--json", action="store_true", help="one JSON object per article")
    articles.set_defaults(run=cmd_articles)

    index = sub.add_parser(
        "index", help="build and save an index", description="build and save an index",
        formatter_class=_Formatter,
        epilog="example:\n  khabar index build seeds --out khabar.idx",
    )  # fmt: skip
    index_sub = index.add_subparsers(
        dest="index_command", required=True, metavar="ACTION", parser_class=_Parser
    )
    build = index_sub.add_parser(
        "build", help="index articles (.txt, .md, saved .html pages; files or folders)",
        description="Index articles into one file: .txt, .md and saved .html/.htm pages, files\n"
        "or folders (searched recursively). Each article may have a .toml sidecar of the\n"
        "same name (title, published, source, url, site) overriding what the file says.\n"
        "What cannot be read is skipped with a warning; the old index is replaced only\n"
        "when the new one is complete.",
        formatter_class=_Formatter,
        epilog="example:\n  khabar index build seeds --out khabar.idx",
    )  # fmt: skip
    build.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    build.add_argument(
        "--out", required=True, metavar="FILE",
        help="the index to write: a new file, or an existing khabar index to replace",
    )  # fmt: skip
    build.add_argument(
        "--quiet", "-q", action="store_true",
        help="no progress bar and no summary, only warnings (default: progress on a terminal)",
    )  # fmt: skip
    build.set_defaults(run=cmd_index_build)
    add = index_sub.add_parser(
        "add", help="add articles to a built index (an article of the same id is replaced)",
        description="Add articles (files or folders, as for build) to a built index, written\n"
        "back as a build writes it. An article whose id is already indexed is replaced.",
        formatter_class=_Formatter,
        epilog="example:\n  khabar index add saved/today.html --index khabar.idx",
    )  # fmt: skip
    add.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    add.add_argument("--index", required=True, metavar="FILE", help="the index to add to")
    add.set_defaults(run=cmd_index_add)

    timeline = with_index(
        command("timeline", "every event in date order", "khabar timeline | less")
    )
    timeline.set_defaults(run=cmd_timeline)

    evaluate = command(
        "eval",
        "measure retrieval on the gold sets (and a SQuAD-format file) beside the baselines",
        "khabar eval --squad arcd.json",
    )
    evaluate.add_argument(
        "--gold", nargs="*", default=[], metavar="FILE",
        help="gold question files (default: every one shipped with khabar)",
    )  # fmt: skip
    evaluate.add_argument(
        "--squad", metavar="FILE", help="also a SQuAD-format QA file, e.g. ARCD's arcd.json"
    )
    evaluate.set_defaults(run=cmd_eval)

    telegram = sub.add_parser(
        "telegram", help="run the Telegram bot (settings from the environment or .env)",
        description="Run the Telegram bot: long polling, or a webhook when KHABAR_WEBHOOK_URL\n"
        "is set. Stops cleanly on SIGINT or SIGTERM.",
        formatter_class=_Formatter,
    )  # fmt: skip
    telegram.lazy_epilog = _telegram_epilog
    telegram.set_defaults(run=cmd_telegram)
    return root


# ---- running ---------------------------------------------------------------------------------


def _adopt_closed_streams() -> None:
    """Put /dev/null on a closed fd 0, 1 or 2 (``>&-``) and leave its sys stream None.

    Otherwise the next file opened (an index, its temp file) takes the free descriptor and
    anything written to "stdout" by C code would land in it.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            with contextlib.suppress(OSError):
                null = os.open(os.devnull, os.O_RDWR)
                if null != fd:
                    os.dup2(null, fd)
                    os.close(null)


def _error(message: str) -> None:
    """One line on stderr, if stderr is there at all."""
    with contextlib.suppress(OutputError):
        write(f"khabar: {message}\n", sys.stderr)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


def main(argv: Sequence[str] | None = None) -> int:
    from khabar.index.store import IndexFileError

    _adopt_closed_streams()
    for stream in (sys.stdout, sys.stderr, sys.stdin):  # Arabic must print even under LANG=C
        reconfigure = getattr(stream, "reconfigure", None)  # None when closed, or replaced
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    args = parser().parse_args(argv)
    if args.run is not cmd_telegram:  # the bot handles its own signals
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _on_signal)
    try:
        return args.run(args)
    except UsageError as exc:
        _error(str(exc))
        return 2
    except (IndexFileError, CorpusError, InputError) as exc:
        _error(str(exc))
        return 1
    except OutputError as exc:
        _error(str(exc))
        silence_broken_streams()
        return 1
    except KeyboardInterrupt:
        _interrupted(args)
        return 130
    except Terminated as exc:
        _interrupted(args)
        return 128 + exc.signum


def _interrupted(args: argparse.Namespace) -> None:
    """A build or an add stopped part way: the file it would have replaced is as it was."""
    target = getattr(args, "out", None) or getattr(args, "index", None)
    if args.run in (cmd_index_build, cmd_index_add) and target:
        _error(f"interrupted; {target} was not changed")


if __name__ == "__main__":
    sys.exit(main())
