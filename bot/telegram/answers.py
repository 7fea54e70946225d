"""What the bot says in answer: a request rendered to HTML pages, inline results, listings.

The engine and the renderer are plain, blocking code: the handlers call :meth:`Answers.render`
and :meth:`Answers.inline` in a worker thread, so one long question never stalls the event
loop. The paging store is touched only on the event loop (:meth:`Answers.keyboard`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from telegram import InlineKeyboardMarkup, InlineQueryResultArticle, InputTextMessageContent
from telegram.constants import ParseMode

from khabar.bot import html as tg
from khabar.bot.live import LiveIndex
from khabar.bot.replies import (
    ARTICLES,
    count_label,
    date_label,
    date_spellings,
    examples,
    iso_label,
    offered,
    spans_note,
)
from khabar.bot.telegram import texts
from khabar.bot.telegram.callbacks import More
from khabar.bot.telegram.keyboards import answer_keyboard, short_day
from khabar.bot.telegram.paging import RecentRequests, Request
from khabar.index.models import Passage
from khabar.index.search import Answer, Engine, Intent

INLINE_PAGE = 20  # Telegram allows 50 results per answer; 20 keeps answers small


@dataclass(frozen=True)
class Rendered:
    """One page of an answer: the answer, its messages, and the next page's offset or None."""

    answer: Answer
    pages: list[str]
    next_offset: int | None
    generation: int = 0  # the version of the index that answered


class Answers:
    """The engine as the bot uses it, and the questions behind «المزيد» buttons."""

    def __init__(
        self, live: LiveIndex, top_k: int = 3, requests: RecentRequests | None = None
    ) -> None:
        self.live = live
        self.top_k = top_k
        self.requests = requests or RecentRequests()

    @property
    def engine(self) -> Engine:
        """The index in service now (a rebuild swaps it between questions; IndexFileError
        while the file, overwritten in place, cannot be read)."""
        return self.live.current()

    def render(self, request: Request, offset: int = 0, lead: str | None = None) -> Rendered:
        """The page of ``request`` starting at ``offset`` (blocking: run it in a thread)."""
        engine = self.engine
        generation = self.live.generation  # one version throughout
        if request.kind == "day":
            answer = engine.on_day(request.text, offset=offset)
            end = offset + len(answer.hits)
            next_offset = end if answer.hits and end < answer.total else None
        else:
            answer = engine.ask(request.text, top_k=self.top_k + 1, offset=offset)
            if answer.intent in (Intent.TOPIC, Intent.WHEN):
                # One passage more than shown tells whether another page exists.
                next_offset = offset + self.top_k if len(answer.hits) > self.top_k else None
                answer = answer.model_copy(update={"hits": answer.hits[: self.top_k]})
            else:  # dates: the engine pages a day's events itself
                end = offset + len(answer.hits)
                next_offset = end if answer.hits and end < answer.total else None
        terms = answer.terms

        def highlight(text: str) -> list[tuple[int, int]]:
            return engine.highlight(text, terms)

        intro = offset == 0 or answer.intent is Intent.DATE
        if answer.intent is Intent.DATE and answer.hits:
            # A date's events, one message at a time: as many as it holds, «المزيد» for the
            # rest. Hundreds of events in a row of messages would flood the chat and, sent
            # 30 a second at most, hold up everyone else's answer.
            page, held = tg.first_message(
                answer, highlight, intro=intro, lead=lead, offered=offered(engine)
            )
            end = offset + held
            next_offset = end if end < answer.total else None
            answer = answer.model_copy(update={"hits": answer.hits[:held]})
            return Rendered(answer, [page], next_offset, generation)
        pages = tg.render_answer(answer, highlight, intro=intro, lead=lead, offered=offered(engine))
        return Rendered(answer, pages, next_offset, generation)

    def keyboard(
        self, request: Request, rendered: Rendered, key: str | None = None
    ) -> InlineKeyboardMarkup | None:
        """The buttons under the last page; a new «المزيد» stores the request (event loop)."""
        more = None
        if rendered.next_offset is not None:
            stored = replace(request, generation=rendered.generation)
            more = More(key or self.requests.put(stored), rendered.next_offset)
        return answer_keyboard(rendered.answer, more, self.examples())

    def inline(self, text: str, offset: int) -> tuple[list[InlineQueryResultArticle], str]:
        """Inline results from ``offset``, and the next offset ("" at the end); blocking."""
        engine = self.engine
        answer = engine.ask(text, top_k=INLINE_PAGE + 1, offset=offset)
        shown = answer.hits[:INLINE_PAGE]
        more = len(answer.hits) > INLINE_PAGE or (
            answer.intent is Intent.DATE and offset + len(answer.hits) < answer.total
        )
        results = [
            inline_result(hit.passage, engine.highlight(hit.passage.text, answer.terms))
            for hit in shown
        ]
        return results, str(offset + len(shown)) if more and shown else ""

    def examples(self) -> list[str]:
        """The questions offered to readers of the index in service."""
        return examples(self.engine)

    def archive(self) -> str:
        """What replies call the index in service: "المقال" or "المقالات"."""
        return offered(self.engine).archive.noun

    def start_text(self) -> str:
        articles = self.engine.articles
        if len(articles) == 1:
            what = texts.ONE_ARTICLE.format(title=tg.escape(articles[0].title))
        else:
            what = count_label(len(articles), ARTICLES)
        dated = texts.START_DATED if offered(self.engine).dated else ""
        start = texts.START.format(what=what, dated=dated)
        return f"{start}\n\n{texts.START_EXAMPLES if self.examples() else texts.START_ASK}"

    def help_text(self, username: str) -> str:
        questions = self.examples()
        ask = texts.HELP_ASK_ANY.format(archive=self.archive())
        if questions:
            ask = texts.HELP_ASK.format(example=tg.escape(questions[0]))
        spelled = date_spellings(self.engine)._asdict()
        return texts.HELP.format(ask=ask, username=username, **spelled) + (
            f"\n\n{texts.HELP_TRY}" if questions else ""
        )

    def source_pages(self) -> list[str]:
        """Each indexed article: title, publication date, origin, passages."""
        blocks = []
        for article in self.engine.articles:
            lines = [texts.SOURCE_TITLE.format(title=tg.escape(article.title))]
            if article.published:
                day = iso_label(article.published.isoformat())
                lines.append(texts.SOURCE_PUBLISHED.format(date=tg.escape(day)))
            if article.origin:
                lines.append(texts.SOURCE_ORIGIN.format(origin=tg.escape(article.origin)))
            lines.append(texts.SOURCE_PASSAGES.format(count=article.passages))
            blocks.append("\n".join(lines))
        return tg.pack(blocks or [tg.escape(texts.NO_ARTICLES)])


def timeline_text(days: Sequence[str], spanned: tuple[int, Sequence[Passage]] = (0, ())) -> str:
    """The /timeline message: its days, and how to ask for what is dated by a span only."""
    spans = spans_note(spanned, bool(days))
    if not days:
        return tg.escape(spans or texts.NO_EVENTS)
    if len(days) == 1:
        line = texts.TIMELINE_ONE.format(day=short_day(days[0]))
    else:
        line = texts.TIMELINE.format(
            count=len(days), first=short_day(days[0]), last=short_day(days[-1])
        )
    return tg.escape(f"{spans}\n\n{line}" if spans else line)


def inline_result(passage: Passage, spans: tg.Spans) -> InlineQueryResultArticle:
    """One passage as an inline result: the date as title, the text's start as description."""
    result_id = hashlib.blake2s(passage.id.encode(), digest_size=16).hexdigest()
    return InlineQueryResultArticle(
        id=result_id,
        title=date_label(passage),
        description=tg.clip(" ".join(passage.text.split()), 120),
        input_message_content=InputTextMessageContent(
            tg.passage_html(passage, spans), parse_mode=ParseMode.HTML
        ),
    )
