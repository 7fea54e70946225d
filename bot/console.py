"""``khabar console``: questions in a terminal, answered the way the Telegram bot answers them.

In a terminal the answer is coloured, the question's words are bold in the passages, text is
wrapped between words and every screen line is marked to read right to left (see
:mod:`bot.terminal`). The source is said once per answer and each passage cites its ¶.
"المزيد", "more" or a bare Enter shows the next page; "مساعدة" shows what can be asked;
``/date``, ``/timeline`` and ``/source`` work as in Telegram. prompt_toolkit gives line editing
and history on the arrow keys; Ctrl-C clears a half-typed line and Ctrl-D or خروج quits.
Piped in or out, the same words come as plain text (no colour, no marks), one answer per
question, as scripts expect; ``NO_COLOR`` keeps the terminal layout without colour.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import Literal

from rich.console import Console
from rich.text import Text
from rich.theme import Theme

from khabar.bot.live import LiveIndex
from khabar.bot.replies import (
    ARTICLES,
    DAYS,
    EVENTS,
    OTHER_RESULTS,
    Noun,
    count_label,
    date_label,
    date_spellings,
    examples,
    gregorian_label,
    intro_line,
    iso_label,
    offered,
    spans_note,
)
from khabar.bot.terminal import (
    Terminated,
    bounded_lines,
    clean,
    cleaned_offset,
    guarded,
    screen_lines,
    write,
)
from khabar.index.calendar import PartialDate
from khabar.index.models import Citation
from khabar.index.search import Answer, Engine, Intent
from khabar.index.store import IndexFileError

EXIT_WORDS = frozenset({"exit", "quit", "q", ":q", "خروج", "خروج.", "/exit", "/quit"})
MORE_WORDS = frozenset({"المزيد", "مزيد", "التالي", "more", "m", "/more"})
HELP_WORDS = frozenset({"مساعدة", "المساعدة", "help", "?", "؟", "/help", "/start"})
PROMPT = "سؤالك> "
TIMELINE_PAGE = 20  # days per /timeline page
SOURCE_PAGE = 10  # articles per /source page
BANNER_TITLES = 3  # titles the banner names before "…"
TITLE_CHARS = 60  # a title in the banner is cut here

OTHER_DAYS = Noun("يوم آخر واحد", "يومان آخران", "أيام أخرى", "يومًا آخر", "يوم آخر")
OTHER_ARTICLES = Noun("مقال آخر واحد", "مقالان آخران", "مقالات أخرى", "مقالًا آخر", "مقال آخر")

DATE_USAGE = "اكتب التاريخ بعد الأمر، مثل: /date {egyptian}، /date {levantine}، /date {numeric}"
DATE_NOT_FOUND = "لم أجد تاريخًا في «{phrase}». اكتب مثلًا: /date {egyptian}"
UNKNOWN_COMMAND = "أمر غير معروف. الأوامر: /date /timeline /source، أو اكتب «مساعدة»."
NO_MORE = "لا مزيد من النتائج. اكتب سؤالًا جديدًا."
ARTICLES_CHANGED = "تغيّرت المقالات المفهرسة منذ هذا السؤال. أعد كتابته لترى نتائجه الجديدة."
NO_EVENTS = "لا أحداث مؤرَّخة في المقالات المفهرسة."


def paragraphs_line(passages: int, dated: int) -> str:
    """How many of an article's paragraphs are dated, as /source says it ("كلها مؤرَّخة", not
    "و0 دون تاريخ")."""
    if dated == passages:
        return f"الفقرات: {passages}، كلها مؤرَّخة"
    if not dated:
        return f"الفقرات: {passages}، كلها دون تاريخ"
    return f"الفقرات: {passages}، منها {dated} مؤرَّخة و{passages - dated} دون تاريخ"


CLEARED_HINT = "(للخروج: خروج أو Ctrl-D)"
STOP_SECONDS = 2.0  # how long SIGTERM waits for the prompt to end cleanly

THEME = Theme(
    {
        "khabar.intro": "bold",
        "khabar.number": "bold",
        "khabar.date": "bold cyan",
        "khabar.heading": "italic",
        "khabar.match": "bold yellow",
        "khabar.answer": "underline",
        "khabar.cite": "dim",
        "khabar.title": "bold",
        "khabar.hint": "dim",
        "khabar.command": "bold green",
    },
    inherit=False,
)
# Titles may be Latin or Arabic: they are isolated by their own first strong letter.
ISOLATED = frozenset({"khabar.title"})

Block = Text


# ---- what a page says ------------------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """What "المزيد" continues: a question, the timeline or the article list, from ``offset``."""

    kind: Literal["ask", "timeline", "source"]
    text: str
    offset: int
    generation: int = 0  # which version of the index it came from


def _styled(text: str, style: str) -> Text:
    return Text(text, style=style)


def more_line(remaining: int, noun: Noun, interactive: bool) -> Text:
    how = "اكتب «المزيد» أو اضغط Enter" if interactive else "اكتب «المزيد»"
    return _styled(f"{count_label(remaining, noun)}: {how}.", "khabar.hint")


def passage_block(
    engine: Engine, answer: Answer, number: int, hit_index: int, marker: str | None
) -> Text:
    """[n] date — heading · ¶ N, then the passage with the question's words in bold."""
    passage = answer.hits[hit_index].passage
    block = Text()
    block.append(f"[{number}] ", "khabar.number")
    block.append(clean(date_label(passage)), "khabar.date")
    if passage.heading:
        block.append(" — ")
        block.append(clean(passage.heading), "khabar.heading")
    cite = f"¶ {passage.source.paragraph}" + (f" ({marker})" if marker else "")
    block.append(f" · {cite}", "khabar.cite")
    body = Text(clean(passage.text))
    sentence = answer.hits[hit_index].answer
    if sentence is not None:  # the sentence that answers the question, underlined
        body.stylize("khabar.answer", *(cleaned_offset(passage.text, at) for at in sentence))
    for start, end in engine.highlight(body.plain, answer.terms):
        body.stylize("khabar.match", start, end)
    block.append("\n")
    block.append_text(body)
    return block


def sources_block(articles: Sequence[Citation]) -> tuple[Text, dict[str, str]]:
    """The answer's source(s), said once; markers "(1)", "(2)" when there are several."""
    block = Text()
    if len(articles) == 1:
        block.append("المصدر: ", "khabar.cite")
        block.append(clean(articles[0].title), "khabar.title")
        return block, {}
    block.append("المصادر:", "khabar.cite")
    markers: dict[str, str] = {}
    for n, article in enumerate(articles, start=1):
        markers[article.article] = str(n)
        block.append(f"\n({n}) ", "khabar.cite")
        block.append(clean(article.title), "khabar.title")
    return block, markers


def article_counts(engine: Engine) -> list[tuple[int, int]]:
    """(passages, dated event passages) per article, from the passage columns."""
    import numpy as np

    columns = getattr(engine.passages, "columns", None)
    n = len(engine.articles)
    if columns is None:
        return [(a.passages, 0) for a in engine.articles]
    owner = columns["article"].astype(np.int64)
    dated = columns["event"] & (columns["start"] >= 0)
    total = np.bincount(owner, minlength=n)
    events = np.bincount(owner[dated], minlength=n)
    return list(zip(total.tolist(), events.tolist(), strict=True))


def day_text(iso: str) -> str:
    return gregorian_label(PartialDate.from_iso(iso))


# ---- the console ---------------------------------------------------------------------------


class Screen:
    """Where pages go: a rich console (colour, wrapping, bidi marks) or plain lines."""

    def __init__(self, styled: bool, console: Console | None = None) -> None:
        self.styled = styled
        self.console = console or (
            Console(
                file=sys.stdout,
                theme=THEME,
                highlight=False,
                markup=False,
                emoji=False,
                force_terminal=True,
            )
            if styled
            else None
        )

    def show(self, blocks: Sequence[Text]) -> None:
        """Blocks separated by a blank line, and a blank line after the page."""
        if self.console is None:
            write("\n\n".join(block.plain for block in blocks) + "\n\n")
            return
        with guarded():
            for block in blocks:
                lines = screen_lines(block, self.console, ISOLATED)
                self.console.print(Text("\n").join(lines), soft_wrap=True)
                self.console.print()


class ConsoleSession:
    """One person's session: the engine, the page size, and what "المزيد" would continue."""

    def __init__(self, live: LiveIndex, top_k: int, screen: Screen, interactive: bool) -> None:
        self.live = live
        self.engine = live.engine
        self.top_k = top_k
        self.screen = screen
        self.interactive = interactive
        self.pending: Pending | None = None

    # -- dispatch -------------------------------------------------------------------------------

    def handle(self, line: str) -> bool:
        """Answer one line of input; False when the person asked to leave."""
        text = clean(line).strip()
        word = text.casefold()
        if word in EXIT_WORDS:
            return False
        try:
            self.engine = self.live.current()  # a rebuilt index serves from the next question
        except IndexFileError as exc:  # overwritten in place: nothing to answer from until whole
            self.screen.show([_styled(f"khabar: {exc}", "khabar.hint")])
            return True
        if word in MORE_WORDS or (not text and self.interactive):
            if not text and self.pending is None:
                return True  # a bare Enter with nothing to continue: a fresh prompt
            self.more()
        elif not text:
            return True
        elif word in HELP_WORDS:
            self.screen.show(self.help_blocks())
        elif text.startswith("/"):
            self.command(text)
        else:
            self.ask(text)
        return True

    def command(self, text: str) -> None:
        name, _, argument = text.partition(" ")
        name = name.casefold().split("@")[0]
        if name == "/date":
            self.date(argument.strip())
        elif name == "/timeline":
            self.timeline(0)
        elif name == "/source":
            self.source(0)
        else:
            self.screen.show([_styled(UNKNOWN_COMMAND, "khabar.hint")])

    def more(self) -> None:
        pending = self.pending
        if pending is None:
            self.screen.show([_styled(NO_MORE, "khabar.hint")])
        elif pending.generation != self.live.generation:
            self.pending = None
            self.screen.show([_styled(ARTICLES_CHANGED, "khabar.hint")])
        elif pending.kind == "ask":
            self.ask(pending.text, pending.offset)
        elif pending.kind == "timeline":
            self.timeline(pending.offset)
        else:
            self.source(pending.offset)

    # -- questions ------------------------------------------------------------------------------

    def ask(self, question: str, offset: int = 0) -> Answer:
        answer = self.engine.ask(question, top_k=self.top_k, offset=offset)
        self.show_answer(answer, question, first=offset == 0)
        return answer

    def show_answer(self, answer: Answer, question: str, first: bool) -> None:
        hits = answer.hits[: self.top_k]  # a date's answer comes a hundred at a time
        answer = answer.model_copy(update={"hits": hits})
        blocks: list[Text] = []
        line = (
            intro_line(answer, offered(self.engine))
            if first or answer.intent is Intent.DATE
            else None
        )
        if line and (first or not hits):
            blocks.append(_styled(clean(line), "khabar.intro"))
        articles: list[Citation] = []  # each cited article once, as its passages cite it
        for hit in hits:
            if all(a.article != hit.passage.source.article for a in articles):
                articles.append(hit.passage.source)
        source, markers = sources_block(articles) if articles else (Text(), {})
        for i, hit in enumerate(hits):
            marker = markers.get(hit.passage.source.article)
            blocks.append(passage_block(self.engine, answer, answer.offset + i + 1, i, marker))
        remaining = answer.total - answer.offset - len(hits) if hits else 0
        tail = source
        if remaining > 0:
            tail = Text("\n").join([source, more_line(remaining, OTHER_RESULTS, self.interactive)])
            self.pending = Pending("ask", question, answer.offset + len(hits), self.live.generation)
        else:
            self.pending = None
        if tail.plain:
            blocks.append(tail)
        if not blocks:
            blocks.append(_styled(NO_MORE, "khabar.hint"))
        self.screen.show(blocks)

    def date(self, phrase: str) -> None:
        spelled = date_spellings(self.engine)
        if not phrase:
            self.screen.show([_styled(DATE_USAGE.format(**spelled._asdict()), "khabar.hint")])
            return
        answer = self.engine.ask(phrase, top_k=self.top_k)
        if answer.intent not in {Intent.DATE, Intent.INVALID_DATE}:
            echo = " ".join(phrase.split())[:80]
            said = DATE_NOT_FOUND.format(phrase=echo, egyptian=spelled.egyptian)
            self.screen.show([_styled(said, "khabar.hint")])
            self.pending = None
            return
        self.show_answer(answer, phrase, first=True)

    # -- lists ----------------------------------------------------------------------------------

    def timeline(self, offset: int) -> None:
        days = self.engine.event_days()
        spans = spans_note(self.engine.spanned(), bool(days)) if offset == 0 else None
        if not days:
            self.pending = None
            self.screen.show([_styled(spans or NO_EVENTS, "khabar.hint")])
            return
        blocks: list[Text] = []
        if spans:
            blocks.append(_styled(spans, "khabar.hint"))
        if offset == 0:
            blocks.append(
                _styled(
                    f"أيام الأحداث: {count_label(len(days), DAYS)}، من {day_text(days[0])} "
                    f"إلى {day_text(days[-1])}.",
                    "khabar.intro",
                )
            )
        page = days[offset : offset + TIMELINE_PAGE]
        listing = Text()
        for n, day in enumerate(page):
            events = self.engine.on_day(day, top_k=1).total
            if n:
                listing.append("\n")
            listing.append("• ")
            listing.append(day_text(day), "khabar.date")
            listing.append(f" — {count_label(events, EVENTS)}", "khabar.cite")
        blocks.append(listing)
        hint = Text("اقرأ أحداث يوم: ", "khabar.hint")
        hint.append(f"/date {day_text(page[0])}", "khabar.command")
        remaining = len(days) - offset - len(page)
        if remaining > 0:
            hint.append("\n")
            hint.append_text(more_line(remaining, OTHER_DAYS, self.interactive))
            self.pending = Pending("timeline", "", offset + len(page), self.live.generation)
        else:
            self.pending = None
        blocks.append(hint)
        self.screen.show(blocks)

    def source(self, offset: int) -> None:
        articles = self.engine.articles
        counts = article_counts(self.engine)
        blocks: list[Text] = []
        if offset == 0:
            heading = f"في الفهرس {count_label(len(articles), ARTICLES)}:"
            blocks.append(_styled(heading, "khabar.intro"))
        page = range(offset, min(offset + SOURCE_PAGE, len(articles)))
        for i in page:
            article, (passages, dated) = articles[i], counts[i]
            block = Text()
            block.append(clean(article.title), "khabar.title")
            if article.published:
                block.append(f"\nتاريخ النشر: {iso_label(article.published.isoformat())}")
            if article.origin:
                block.append("\nالمصدر: ")
                block.append(clean(article.origin), "khabar.cite")
            block.append(f"\n{paragraphs_line(passages, dated)}", "khabar.cite")
            blocks.append(block)
        remaining = len(articles) - page.stop
        if remaining > 0:
            blocks.append(more_line(remaining, OTHER_ARTICLES, self.interactive))
            self.pending = Pending("source", "", page.stop, self.live.generation)
        else:
            self.pending = None
        self.screen.show(blocks)

    # -- help and banner ------------------------------------------------------------------------

    def examples(self) -> list[str]:
        """Questions that work on this index."""
        return examples(self.engine)

    def help_blocks(self) -> list[Text]:
        day = date_spellings(self.engine).egyptian
        asking = Text("اسأل بالعربية عن المقالات المفهرسة، مثل:", "khabar.intro")
        for example in self.examples():
            asking.append("\n• ")
            asking.append(example, "khabar.command")
        asking.append(
            "\nالتاريخ بأي صيغة: 6 ديسمبر، ١٠ كانون الأول، 6/12/2016، 2016-12-06، "
            "7 ربيع الأول 1438، نهاية نوفمبر."
            "\nأو بحدث قبله أو بعده: «ماذا حدث بعد …؟»، «ماذا فعل … قبل …؟»."
            "\nأو من اليوم: «ماذا حدث أمس؟»، «ماذا حدث قبل ثلاثة أيام؟»."
        )
        commands = Text("الأوامر:", "khabar.intro")
        for name, what in (
            (f"/date {day}", "كل أحداث يوم"),
            ("/timeline", "أيام الأحداث كلها"),
            ("/source", "المقالات المفهرسة ومصادرها"),
            ("المزيد أو Enter", "النتائج التالية"),
            ("مساعدة أو ?", "هذه المساعدة"),
            ("خروج أو Ctrl-D", "الخروج (Ctrl-C يمسح السطر، والسهمان يعيدان الأسئلة السابقة)"),
        ):
            commands.append("\n• ")
            commands.append(name, "khabar.command")
            commands.append(f" — {what}")
        return [asking, commands]

    def banner(self) -> list[Text]:
        articles = self.engine.articles
        head = Text("خبر", "khabar.intro")
        head.append(f" — في الفهرس {count_label(len(articles), ARTICLES)}")
        shown = articles[:BANNER_TITLES]
        for n, article in enumerate(shown):
            head.append(": " if n == 0 else "، ")
            title = clean(article.title)
            if len(title) > TITLE_CHARS:
                title = title[: TITLE_CHARS - 1].rstrip() + "…"
            head.append(title, "khabar.title")
        if len(articles) > len(shown):
            head.append(f"، و{count_label(len(articles) - len(shown), OTHER_ARTICLES)} (/source)")
        hint = _styled(
            "اكتب سؤالك، أو «مساعدة» لما يمكن سؤاله. للخروج: خروج أو Ctrl-D.", "khabar.hint"
        )
        examples = self.examples()
        if examples:
            hint.append("\nمثال: ", "khabar.hint")
            hint.append(examples[0], "khabar.command")
        return [Text("\n").join([head, hint])]


# ---- reading lines -------------------------------------------------------------------------


class Cleared(Exception):
    """Ctrl-C at the prompt: the half-typed line is dropped, the session goes on."""


def _prompt_reader() -> Callable[[], str | None]:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import InMemoryHistory
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

    keys = KeyBindings()

    @keys.add("c-c")
    def _clear_or_interrupt(event: KeyPressEvent) -> None:
        """Ctrl-C empties a half-typed line in place; on an empty line it says how to leave."""
        buffer = event.app.current_buffer
        if buffer.text:
            buffer.reset()
        else:
            event.app.exit(exception=KeyboardInterrupt())

    session: PromptSession[str] = PromptSession(history=InMemoryHistory(), key_bindings=keys)

    def stop(signum: int, frame: FrameType | None) -> None:
        """SIGTERM at the prompt: end it through its own loop, which restores the terminal.

        An exception raised in the middle of prompt_toolkit's event loop can leave the loop
        waiting on tasks that never finish (seen with the terminal gone): if the prompt has
        not ended in a moment, the process ends anyway.
        """
        app = session.app
        if not (app.is_running and app.loop is not None):
            raise Terminated(signum)
        app.loop.call_soon_threadsafe(lambda: app.exit(exception=Terminated(signum)))
        watchdog = threading.Timer(STOP_SECONDS, os._exit, (128 + signum,))
        watchdog.daemon = True
        watchdog.start()

    def read() -> str | None:
        # SIGHUP: the terminal is gone, there is nothing to restore or say; end as the default
        # action does (a handler that unwinds could leave the loop waiting, orphaned).
        before = {
            signal.SIGTERM: signal.signal(signal.SIGTERM, stop),
            signal.SIGHUP: signal.signal(signal.SIGHUP, signal.SIG_DFL),
        }
        try:
            return session.prompt(PROMPT)
        except KeyboardInterrupt:
            raise Cleared from None
        except EOFError:
            return None
        finally:
            for signum, handler in before.items():
                signal.signal(signum, handler)

    return read


def _input_reader() -> Callable[[], str | None]:
    def read() -> str | None:
        try:
            return input()
        except KeyboardInterrupt:
            raise Cleared from None
        except EOFError:
            return None

    return read


def _pipe_reader() -> Callable[[], str | None]:
    lines: Iterator[str] = bounded_lines(sys.stdin.buffer if sys.stdin else None)

    def read() -> str | None:
        return next(lines, None)

    return read


def run(live: LiveIndex, top_k: int) -> int:
    """The console loop; returns the exit code (0: the person left)."""
    interactive = sys.stdin is not None and sys.stdin.isatty()
    terminal = sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
    screen = Screen(styled=terminal)
    session = ConsoleSession(live, top_k, screen, interactive)
    if interactive and terminal:
        read = _prompt_reader()
    elif interactive:
        read = _input_reader()
    else:
        read = _pipe_reader()
    if interactive:
        screen.show(session.banner())
    while True:
        try:
            line = read()
        except Cleared:
            screen.show([_styled(CLEARED_HINT, "khabar.hint")])
            continue
        if line is None:
            return 0
        try:
            if not session.handle(line):
                return 0
        except KeyboardInterrupt:  # Ctrl-C while an answer was being made: drop it
            if not interactive:
                raise
            screen.show([_styled(CLEARED_HINT, "khabar.hint")])
