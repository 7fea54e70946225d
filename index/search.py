"""The engine every face uses: build or open an index, answer a question, list the timeline.

Every passage competes on its words, dated or not. A question goes through the date grammar
first: if it names a date the index has events of, those events lead (exact days before spans
that merely cover them), then passages that mention the date, each ranked by the question's
other words; a date without events narrows nothing and the words answer, with the nearest event
days offered. Otherwise BM25 over the chosen analyzer ranks every passage; a question sharing
no term with the index gets no passages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import re
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from enum import StrEnum
from pathlib import Path

import numpy as np
from hijridate import Gregorian, Hijri
from pydantic import BaseModel

from khabar.index import analysis, anchors, openings
from khabar.index import query as questions
from khabar.index.answers import (
    WHEN_WORDS,
    Asked,
    Mark,
    answer_type,
    best_sentence,
    mark,
    opening,
)
from khabar.index.calendar import (
    PartialDate,
    day_number,
    iso_day,
    resolve_span,
    shift,
    span_days,
)
from khabar.index.chunker import CLAUSE_END, HEAD_CHARS, NEAR_DAYS, chunk
from khabar.index.corpus import (
    SEEDS,
    CorpusError,
    SkippedArticle,
    find_articles,
    read_article,
)
from khabar.index.dates import YEAR_DIGITS, DateQuery, DateSpan, parse_dates
from khabar.index.days import DayIndex, distinct, first_by, union
from khabar.index.models import Article, DateSource, Hit, Passage
from khabar.index.normalize import normalize
from khabar.index.ranking import DEFAULT_RANKING, Ranked, Ranker, Ranking, Words
from khabar.index.table import (
    PassageTable,
    Row,
    StoredArticles,
    TableBuilder,
    article_arrays,
    latest_published,
    passage_row,
)
from khabar.index.validate import ARTICLE_ARRAYS


class Intent(StrEnum):
    """What kind of reply a question gets (a face words each one its own way)."""

    EMPTY = "empty"  # nothing to ask: the reply says how to ask
    TOPIC = "topic"  # passages by their words
    WHEN = "when"  # "متى …": passages, led by the date that answers
    DATE = "date"  # a date named: its events, then what mentions it
    NO_MATCH = "no_match"  # nothing covers the question: the honest reply
    INVALID_DATE = "invalid_date"  # "31/02": the date cannot be


# Past this a question is cut for ranking (Telegram's own message limit); the echo stays whole.
MAX_QUESTION_CHARS = 4096
# Past this many words a message is text to place (a paragraph pasted or forwarded), not a
# question: the dates it names do not make it a date question, nor a "متى" in it a when question.
PASTED_WORDS = 40
# A date is answered in full, but an archive may hold hundreds of events on one day: page them.
DATE_PAGE = 100
# The first RERANK passages are reordered by their score, their best sentence, their coverage,
# their article's score and their opening, weighted so (README: Evaluation).
RERANK = 10
WIDE_EVENT = 3  # an event this many times as long as the time asked (and a month) is a mention
SENTENCE_WEIGHT = 0.8
COVERAGE_WEIGHT = 0.6
ARTICLE_WEIGHT = 0.8
OPENING_WEIGHT = 0.6
_WHEN = re.compile(rf"(?:^|\s)(?:و|ف)?(?:{WHEN_WORDS})(?:\s|$)")
_SINCE = re.compile(r"(?<!\w)(?:و)?منذ متي(?!\w)")
# Between the question's words and a date, a turn to another event: "انتقل إلى فرنسا، قبل أن
# يشد الرحال عام 1985 إلى بورتو" dates the move to Porto, not to France.
_ANOTHER_EVENT = re.compile(r"(?<!\w)(?:قبل|بعد|منذ) (?:ان|ما)(?!\w)|(?<!\w)ثم(?!\w)")
_SENTENCE_END = re.compile(r"[.!?؟\n]")
_WORD = re.compile(r"[^\s\d\W]?[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+")
# How a long build goes: (stage "read" or "analyze", done, total, passages so far).
Progress = Callable[[str, int, int, int], None]


class Answer(BaseModel):
    """What a question gets: the passages of this page and everything a face needs to say."""

    query: str
    intent: Intent
    dates: list[str] = []
    hits: list[Hit] = []
    total: int = 0
    offset: int = 0
    events: int = 0  # date questions: how many passages are dated in the date asked
    when: list[str] = []  # "متى" questions: the answer's day, or its first and last day
    nearest_dates: list[str] = []
    invalid: list[str] = []
    terms: list[str] = []
    asked: list[list[str]] = []  # each date asked: its day, or its first and last day
    missing: list[str] = []  # the question's telling words, as written, no passage holds
    pasted: bool = False  # a message long enough to be text to place, not a question


class Engine:
    """An index of passages, its calendars, and the ranker over its fields."""

    def __init__(self, table: PassageTable, ranker: Ranker) -> None:
        self.articles = table.articles
        self.passages = table  # a Sequence[Passage], stored as columns
        self.ranker = ranker
        self.ranking = ranker.ranking
        self._words = ranker.word_analyzer
        # The calendars: per-passage day numbers, and the dates each passage's text names, for
        # vectorized "which passages meet this day".
        self._calendar, self._mentions = table.calendar(), table.mentions()
        self._mention_of = table.columns["mention_of"]
        self._events = table.columns["event"]
        self._start, self._span = self._calendar.start, table.columns["span"]
        self._days, self._mentioned = DayIndex(self._calendar), DayIndex(self._mentions)
        self._published = latest_published(self.articles)
        self._hijri_range: range | None = None  # the Hijri years the events reach (on first use)

    # ---- building, saving, opening -------------------------------------------------------

    @classmethod
    def build(
        cls,
        paths: Iterable[str | Path],
        ranking: Ranking = DEFAULT_RANKING,
        warnings: list[str] | None = None,
        skipped: list[str] | None = None,
        progress: Progress | None = None,
    ) -> Engine:
        """Read, chunk and index articles (files or folders of ``.txt``, ``.md``, ``.html``).

        ``warnings`` collects what the articles lack, ``skipped`` what could not be read at
        all or holds no text; ``progress(stage, done, total, passages)`` is told how a long
        build goes.
        """
        collected = Words()
        table = _collect(paths, warnings, skipped, progress, collected)

        def indexed(done: int, fields: int) -> None:
            if progress is not None:
                progress("analyze", done, fields, len(table))

        return cls(table.table(), collected.ranker(ranking, indexed))

    def add(
        self,
        paths: Iterable[str | Path],
        warnings: list[str] | None = None,
        skipped: list[str] | None = None,
    ) -> Engine:
        """A new engine: this one's passages with the articles in ``paths`` added.

        An added article whose id is already indexed replaces it. The added articles are
        chunked and dated as a build dates them; the stored passages keep their columns (their
        source files may be gone) and everything is indexed again, since every article changes
        the collection statistics BM25 scores by. The result is what a build of the same
        articles in the same order gives.
        """
        table = self.passages.merged(_collect(paths, warnings, skipped).table())
        return type(self)(table, Ranker.build(self.ranking, (self.document(p) for p in table)))

    @classmethod
    def of(
        cls, articles: Sequence[Article], passages: Sequence[Passage], ranking: Ranking
    ) -> Engine:
        """Index passages already chunked."""
        table = PassageTable.of(articles, passages)
        return cls(table, Ranker.build(ranking, (cls.document(p) for p in passages)))

    @staticmethod
    def document(passage: Passage) -> str:
        """What is indexed for a passage: the article's title, its section heading, its text.

        A paragraph rarely repeats what its article is about ("خاشقجي" is in the title, "ولد
        في المدينة المنورة" in the paragraph): the title carries it for every paragraph.
        """
        return f"{passage.source.title}\n{passage.heading or ''}\n{passage.text}"

    @classmethod
    def default(cls) -> Engine:
        """The bundled article(s) in ``seeds/``: no build step needed."""
        return cls.build([SEEDS])

    @classmethod
    def open(cls, path: str | Path | None) -> Engine:
        """A saved index file, or the bundled seeds when ``path`` is None."""
        if path is None:
            return cls.default()
        from khabar.index.store import IndexFileError, load

        meta, scorers, columns = load(path)
        try:
            ranking = Ranking.from_json(meta["ranking"])
            stored = {name: columns.pop(name) for name in ARTICLE_ARRAYS if name in columns}
            articles = StoredArticles(stored, origin=str(path))
            table = PassageTable(articles, meta["headings"], columns, origin=str(path))
            ranker = Ranker(ranking, {f.analyzer: scorers[f.analyzer] for f in ranking.fields})
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexFileError(f"{path}: not a usable khabar index ({exc})") from None
        if any(len(scorer) != len(table) for scorer in ranker.scorers.values()):
            raise IndexFileError(f"{path}: corrupt index (passage count mismatch)")
        return cls(table, ranker)

    def save(self, path: str | Path, before_replace: Callable[[Path], None] | None = None) -> None:
        """Write the index atomically (see :mod:`khabar.index.store`; ``before_replace`` there)."""
        from khabar.index.store import save

        table = self.passages
        meta = {"ranking": self.ranking.to_json(), "headings": table.headings}
        arrays = {**table.columns, **article_arrays(self.articles)}
        save(path, meta, self.ranker.scorers, arrays, before_replace)

    def _nearest(self, span: DateSpan) -> list[str]:
        """The closest event days before and after an empty span, as the events are dated."""

        def wanted(rows: np.ndarray) -> np.ndarray:
            return self._events[rows] & ~self._span[rows]

        if span.start.year is None:  # compare month and day; report the event's real date
            orders = [self._days.month_day]
            lo = day_number(span.start._replace(year=None))
            hi = day_number(span.end._replace(year=None))
        else:  # events by day number; a year-less one's is in the year-less calendar
            orders = [self._days.yearless, self._days.dated]
            lo, hi = day_number(span.start), day_number(span.end)
        before = [o.last_before(lo, wanted) for o in orders]
        after = [o.first_after(hi, wanted) for o in orders]
        found: list[str] = []
        for sides, pick in ((before, max), (after, min)):
            days = [day for day in sides if day is not None]
            if days:
                best = pick(days)
                at = distinct(np.concatenate([o.starting(best) for o in orders]))
                at = at[wanted(at)]
                # the latest-dated event of that day (an archive may have it in many years)
                found.append(self.passages[int(at[np.argmax(self._start[at])])].date or "")
        return found

    # ---- answering ------------------------------------------------------------------------

    def ask(
        self, text: str, top_k: int = 3, offset: int = 0, today: dt.date | None = None
    ) -> Answer:
        """Answer one question: a page of hits plus what the reply should say around them.

        ``today`` (the machine's date if None) dates "أمس" and "قبل يومين" in a question.
        """
        question = text[:MAX_QUESTION_CHARS]
        normalized = normalize(question)
        if not normalized.strip():
            return Answer(query=text, intent=Intent.EMPTY)
        if len(analysis.tokenize(normalized)) > PASTED_WORDS:
            return self._answer_topic(text, question, Intent.TOPIC, top_k, offset, pasted=True)
        dates = parse_dates(question, reference=self._published)
        days: dict[tuple[PartialDate, PartialDate], DateSpan] = {}
        for span in self._every_hijri_year(dates, question):
            days.setdefault((span.start, span.end), span)
        if tuple(days.values()) != dates.spans:  # "6 ديسمبر و6 ديسمبر": one day, asked twice
            dates = replace(dates, spans=tuple(days.values()))
        spoken = not dates.spans and not dates.invalid
        if spoken:
            now = today or dt.date.today()
            dates = _spoken(dates, now)
            if self._now(dates, now):
                dates = replace(dates, spans=())
        if not dates.spans and dates.invalid:
            return Answer(query=text, intent=Intent.INVALID_DATE, invalid=list(dates.invalid))
        if dates.spans:
            query = self.ranker.fit(questions.parse(question))
            return self._answer_dates(text, dates, query, offset, top_k, spoken)
        intent = Intent.WHEN if _WHEN.search(normalized) else Intent.TOPIC
        anchored = anchors.anchored(question)
        if anchored is not None:
            found = self._answer_anchored(text, anchored, intent, offset, top_k)
            if found is not None:
                return found
        return self._answer_topic(text, question, intent, top_k, offset)

    def _answer_topic(
        self,
        text: str,
        question: str,
        intent: Intent,
        top_k: int,
        offset: int,
        pasted: bool = False,
    ) -> Answer:
        """The passages that best cover the question's words, if any covers enough (``pasted``:
        of a text to place, whose lacking words would be a list, not worth a reader's line)."""
        query = self.ranker.fit(questions.parse(question))
        terms = self._highlight_terms(query)
        ranked = self.ranker.rank(query)
        shown = ranked.shown(self.ranking.silence)
        if not shown.order.size:
            return Answer(query=text, intent=Intent.NO_MATCH, terms=terms, pasted=pasted)
        order, scores, marks = self._rerank(shown, ranked, query, question)
        page = slice(offset, offset + top_k)
        hits = self._hits(order[page], scores[page], query, question, marks)
        unheld = [] if pasted else self.ranker.unheld(query)
        answer = Answer(
            query=text, intent=intent, hits=hits, total=int(shown.order.size), offset=offset,
            terms=terms, missing=[w.written or w.text for w in unheld], pasted=pasted,
        )  # fmt: skip
        if intent is Intent.WHEN and hits and offset == 0:
            since = bool(_SINCE.search(normalize(question)))
            answer.when = self.when(hits[0].passage, terms, since)
        return answer

    def _now(self, dates: DateQuery, today: dt.date) -> bool:
        """Whether "اليوم" (or "الشهر الجاري") in a question about a topic means now: the
        archive has no events then, so "كم سعر صرف الجنيه اليوم؟" asks for the rate, and
        the topic answers as it would without the word."""
        if len(dates.spans) != 1 or not questions.parse(dates.rest).words:
            return False
        span = dates.spans[0]
        first, last = span.start.to_date(), span.end.to_date()
        if first is None or last is None or not first <= today <= last:
            return False
        return not self._days.meeting(span).size

    def _every_hijri_year(self, dates: DateQuery, question: str) -> list[DateSpan]:
        """The spans, a Hijri day or month asked without its year ("ماذا حدث في رمضان؟") in
        each Hijri year the archive's events reach: unlike a Gregorian day's, its days move from
        year to year, so no one year-less span can stand for them."""
        if not any(span.hijri for span in dates.spans):
            return list(dates.spans)
        spans: list[DateSpan] = []
        text = normalize(question)
        for span in dates.spans:
            phrase = text[span.begin : span.stop]
            if not span.hijri or YEAR_DIGITS.search(phrase):
                spans.append(span)
                continue
            met = []
            for year in self._hijri_years():
                try:  # the year's last month: its days are the year's, whatever the phrase
                    end = dt.date.fromordinal(Hijri(year, 12, 1).to_gregorian().toordinal())
                except OverflowError:  # past hijridate's tables
                    continue
                found = parse_dates(phrase, reference=end)
                met += [
                    replace(each, begin=span.begin, stop=span.stop)
                    for each in found.spans
                    if self._days.meeting(each).size or self._mentioned.meeting(each).size
                ]
            spans.extend(met or [span])  # none met: the year asked of, to say so
        return spans

    def _hijri_years(self) -> range:
        """The Hijri years from the archive's first event to its last (at most a century)."""
        if self._hijri_range is None:
            dated = self._events & (self._start >= 0) & self._calendar.has_year
            if not dated.any():
                self._hijri_range = range(0)
            else:
                days = self._start[dated]
                first, last = (
                    min(max(dt.date.fromordinal(int(day)), HIJRI_FROM), HIJRI_TO)
                    for day in (days.min(), days.max())
                )
                low, high = (Gregorian.fromdate(day).to_hijri().year for day in (first, last))
                self._hijri_range = range(max(low, high - 99), high + 1)
        return self._hijri_range

    def _answer_anchored(
        self, text: str, anchored: anchors.Anchored, intent: Intent, offset: int, top_k: int
    ) -> Answer | None:
        """Events before or after the one the question is anchored to, or None to answer the
        question as any other (no anchor passage, an undated one, or nothing on that side).

        The anchor's passage is the best that passes the silence gate on the anchor's words;
        what is asked must pass it too, among the events wholly on that side of the anchor's
        days (a span that overlaps them, "نهاية نوفمبر" beside 26 November, is on neither), or
        on its days and on that side of it in its article.
        Asked nothing but the anchor ("ماذا حدث بعد سقوط المدينة القديمة؟"), the nearest
        events in time come first.
        """
        anchor = self.ranker.fit(questions.parse(anchored.anchor))
        if not anchor.words:
            return None
        found = self.ranker.rank(anchor).shown(self.ranking.silence)
        if not found.order.size:
            return None
        at = int(found.order[0])
        calendar = self._calendar
        if not self._events[at] or self._start[at] < 0:
            return None
        side = self._events & (self._start >= 0) & (calendar.has_year == calendar.has_year[at])
        # on the anchor's own days, its article's order tells ("وقال المدرب عقب المباراة")
        same = (self._start == self._start[at]) & (calendar.end == calendar.end[at])
        same &= self.passages.columns["article"] == self.passages.columns["article"][at]
        rows_at = np.arange(side.size)
        if anchored.after:
            side &= (self._start > calendar.end[at]) | (same & (rows_at > at))
        else:
            side &= (calendar.end < self._start[at]) | (same & (rows_at < at))
        rows = np.flatnonzero(side)
        if not rows.size:
            return None
        if not anchored.after:
            # an undated paragraph of the anchor's article is background, what was before: "كم
            # يوما كانت تستغرق الرحلة قبل القطار؟" of an explainer's undated paragraph
            article = self.passages.columns["article"]
            rows = np.union1d(rows, np.flatnonzero(~self._events & (article == article[at])))
        asked = self.ranker.fit(questions.parse(anchored.asked))
        marks: dict[int, Mark | None] | None = None
        if asked.words:
            # the anchor's own passage may tell what came before or after it, too
            ranked = self.ranker.rank(asked, among=np.append(rows, at))
            shown = ranked.shown(self.ranking.silence)
            if not shown.order.size:
                return None
            order, scores, marks = self._rerank(shown, ranked, asked, anchored.asked)
        else:
            nearest = self._start[rows] if anchored.after else -calendar.end[rows]
            order = rows[first_by([nearest, self._span[rows], rows], offset + top_k)]
            scores = np.zeros(order.size)
        if not order.size:
            return None
        page = slice(offset, offset + top_k)
        terms = self._highlight_terms(asked)
        hits = self._hits(order[page], scores[page], asked, anchored.asked, marks)
        total = int(order.size if asked.words else rows.size)
        answer = Answer(
            query=text, intent=intent, hits=hits, total=total, offset=offset, terms=terms
        )
        if intent is Intent.WHEN and hits and offset == 0:
            answer.when = self.when(hits[0].passage, terms)
        return answer

    def _rerank(
        self, shown: Ranked, ranked: Ranked, query: questions.Query, question: str
    ) -> tuple[np.ndarray, np.ndarray, dict[int, Mark | None]]:
        """The first few reordered by evidence BM25 does not weigh (``ranked``: every passage
        scored, before the silence gate).

        - the best sentence: a passage whose words are spread over many sentences can outscore
          the one sentence that holds the question together (and the kind of answer asked for);
        - coverage: how much of the question's information the passage holds, not how often;
        - the article: a paragraph of the article that is about the question (its passages'
          scores summed) rather than a stray paragraph of another that shares some words;
        - the opening: a paragraph that names the question's subject first is about it.

        Measured on ARCD, together they move the right paragraph first more often than down.
        """
        order, scores = shown.order, shown.scores
        head = order[:RERANK]
        article_of = self.passages.columns["article"]
        per_article = np.bincount(article_of[ranked.order], weights=ranked.scores)
        article = per_article[article_of[head]]
        kind = answer_type(question)
        asked = self._asked(query)
        texts = [self.passages[int(i)].text for i in head]
        best = [best_sentence(text, asked, self._words, kind) for text in texts]
        marks = {int(i): (b[1] if b else None) for i, b in zip(head.tolist(), best, strict=True)}
        if head.size > 1 and scores[0] > 0:
            fitness = (
                scores[: head.size] / scores[0]
                + SENTENCE_WEIGHT * np.array([b[0] if b else 0.0 for b in best])
                + COVERAGE_WEIGHT * shown.coverage[: head.size]
                + ARTICLE_WEIGHT * article / article.max()
                + OPENING_WEIGHT * np.array([opening(text, asked, self._words) for text in texts])
            )
            again = np.argsort(-fitness, kind="stable")
            order = np.concatenate([head[again], order[RERANK:]])
            scores = np.concatenate([scores[: head.size][again], scores[RERANK:]])
        return order, scores, marks

    def _hits(
        self,
        order: np.ndarray,
        scores: np.ndarray,
        query: questions.Query,
        question: str,
        marks: dict[int, Mark | None] | None = None,
    ) -> list[Hit]:
        """The passages at these indices (``scores`` aligned), each with its answering sentence."""
        kind = answer_type(question)
        asked: Asked | None = None  # made only for a passage the rerank did not mark
        hits = []
        for i, score in zip(order.tolist(), scores.tolist(), strict=True):
            passage = self.passages[i]
            if marks is not None and i in marks:
                found = marks[i]
            else:
                asked = asked or self._asked(query)
                found = mark(passage.text, asked, self._words, kind)
            answer = (found.start, found.end) if found else None
            hits.append(Hit(passage=passage, score=score, answer=answer))
        return hits

    def _asked(self, query: questions.Query) -> Asked:
        """What the question's words match in a passage, as this ranking reads them (without
        the lexicon when it is off)."""
        return Asked.of(self.ranker.query(query), self._words)

    def _highlight_terms(self, query: questions.Query) -> list[str]:
        """The stems a reply marks in a passage: the question's words and their synonyms."""
        words = [w.text for w in query.words] + [
            w for e in self.ranker.query(query).expansions for w in e.words
        ]
        return list(dict.fromkeys(t for w in words for t in self._words(w)))

    def _answer_dates(
        self,
        text: str,
        dates: DateQuery,
        query: questions.Query,
        offset: int,
        top_k: int,
        spoken: bool = False,
    ) -> Answer:
        """Events of the date first, then passages that mention it; the topic ranks each group.

        With topic words ("بماذا ندد الأمريكيون يوم 10 ديسمبر؟"), what is tied to the date and
        covers the topic (the silence gate on the topic's words) leads; the passages of other
        dates, or of none, that cover the topic follow; then the date's other events; then the
        rest of the topic's passages. "كم منزلا تضرر في فيضانات الثمانينيات؟" is answered by
        the paragraph about the houses, not by another event of the decade, and "منذ بدء النزاع
        في مارس 2011" does not answer a question about 2011's elections. A date with no event
        narrows nothing: the words answer.

        A day counted from today ("ما سعر الذهب أمس؟", ``spoken``) with no events and a topic
        the index does not cover is no answer at all, not "no events yesterday" ("اليوم" in
        such a question means now, :meth:`_now`, and never comes here).

        A date may hold a million passages: they are found in the day orders, counted as
        arrays, and only the page asked for is put in order and made into hits.
        """
        each = [
            [span.start.iso()] if span.single_day else [span.start.iso(), span.end.iso()]
            for span in dates.spans
        ]
        named = [day for days in each for day in days]
        events = union(self._days.meeting(span) for span in dates.spans)
        is_event = self._mask(events)
        mentions = self._mentioning(dates.spans)
        tied = np.concatenate([events, mentions[~is_event[mentions]]])
        rest = self.ranker.fit(questions.parse(dates.rest))
        if rest.words:
            about = self.ranker.rank(rest, among=tied)
            ranked = self.ranker.rank(query)
            shown = ranked.shown(self.ranking.silence)
            if self.ranking.silence is not None:
                # What is tied to the date answers first only if it covers the topic, and only
                # if the question is one the index answers at all (one about a place no
                # passage names is not); the date's other events follow the topic's passages.
                covers = about.coverage >= self.ranking.silence
                about = about[covers & bool(shown.order.size)]
            first, topic = about.order, about.scores  # tied and about the topic
            later = events[~self._mask(first)[events]]  # the date's other events
            # the topic's passages of other dates, in the order a topic question gets them
            others, other_scores = shown.order, shown.scores
            if others.size:
                others, other_scores, _ = self._rerank(shown, ranked, query, dates.rest)
            untied = ~self._mask(tied)[others]
            others, other_scores = others[untied], other_scores[untied]
            # those covering the topic on its own words come before the date's other events
            topical = np.zeros(others.size, dtype=bool)
            if others.size and self.ranking.silence is not None:
                topical = self.ranker.coverage(rest, others) >= self.ranking.silence
            others = np.concatenate([others[topical], others[~topical]])
            other_scores = np.concatenate([other_scores[topical], other_scores[~topical]])
            n_topical = int(topical.sum())
        else:
            first, topic, later = tied, np.zeros(tied.size), np.zeros(0, np.int64)
            others, other_scores = np.zeros(0, np.int64), np.zeros(0)
            n_topical = 0
        n_tied = first.size + later.size
        total = n_tied + others.size
        nearest: list[str] = []
        if not events.size:
            nearest = sorted({d for span in dates.spans for d in self._nearest(span)})
        terms = self._highlight_terms(rest if rest.words else query)
        if not total and spoken and rest.words:
            return Answer(query=text, intent=Intent.NO_MATCH, terms=terms)
        if not total:
            return Answer(
                query=text, intent=Intent.DATE, dates=named, nearest_dates=nearest,
                invalid=list(dates.invalid), terms=terms, asked=each,
            )  # fmt: skip
        # The date's own passages are answered in full (a page of DATE_PAGE), the rest by top-k.
        stop = offset + max(top_k, min(DATE_PAGE, n_tied - offset))
        # Group: 0 exact-day event, 1 span event, 2 mention; then topic, the narrowest span
        # (a year's event before one of 1968–1990 for "عام 1986"), day, article order.
        length = self._calendar.end[first] - self._start[first]
        # an event far longer than the time asked ("بين مايو 2010 ويونيو 2021" for "عام
        # 2010") is told with the mentions, the topic first
        asked_days = max(span_days(span.start, span.end) for span in dates.spans)
        wide = length >= WIDE_EVENT * asked_days + NEAR_DAYS
        group = np.where(is_event[first] & ~wide, self._span[first], 2)
        keys = [group, -topic, length, self._start[first], first]
        if not rest.words:  # no topic: every score is 0, one key fewer to order by
            del keys[1]
        lead = first_by(keys, stop)
        middle = others[: max(0, min(n_topical, stop - lead.size))]
        then = first_by(
            [self._span[later], self._start[later], later], stop - lead.size - middle.size
        )
        tail = others[middle.size :][: max(0, stop - lead.size - middle.size - then.size)]
        order = np.concatenate([first[lead], middle, later[then], tail]).astype(np.int64)
        scores = np.concatenate(
            [topic[lead], other_scores[: middle.size], np.zeros(then.size),
             other_scores[middle.size : middle.size + tail.size]]
        )  # fmt: skip
        asked = rest if rest.words else query
        hits = self._hits(order[offset:], scores[offset:], asked, dates.rest)
        return Answer(
            query=text, intent=Intent.DATE, dates=named, hits=hits, total=int(total),
            offset=offset, events=int(events.size), nearest_dates=nearest,
            invalid=list(dates.invalid), terms=terms, asked=each,
        )  # fmt: skip

    def _mentioning(self, spans: Sequence[DateSpan]) -> np.ndarray:
        """The passages whose text names a date within one of the spans, each once: not a
        wider one that holds it ("خلال مارس وأبريل" does not mention 3 March)."""
        mentions = self._mentions
        rows = []
        for span in spans:
            met = self._mentioned.meeting(span)
            wide = span_days(span.start, span.end) - 1
            rows.append(self._mention_of[met[mentions.end[met] - mentions.start[met] <= wide]])
        return distinct(np.concatenate(rows))

    def _mask(self, rows: np.ndarray) -> np.ndarray:
        """These passages as a mask over all of them."""
        mask = np.zeros(len(self.passages), dtype=bool)
        mask[rows] = True
        return mask

    def when(self, passage: Passage, terms: Sequence[str], since: bool = False) -> list[str]:
        """The days that answer "متى" from this passage: [start] or [start, end], or [].

        A date the passage names in a sentence holding the question's words, the nearest one
        to them ("منذ بدء النزاع في مارس/آذار 2011" for "متى بدأ النزاع؟"); else the passage's
        own date; else nothing. A bound ("منذ عام 2003", "حتى 2020") answers only when nothing
        else does, unless the question asks "منذ متى" (``since``); so does a date past a turn
        to another event ("قبل أن يشد الرحال عام 1985").
        """
        norm = normalize(passage.text)
        wanted = set(terms)
        words = [
            (m.start(), m.end())
            for m in _WORD.finditer(norm)
            if set(self._words(m.group())) & wanted
        ]
        reference = passage.source.published
        own_end = passage.end()

        def resolved(span: DateSpan) -> tuple[PartialDate, PartialDate]:
            """A year-less date in the passage's own year when that puts it there ("وفي
            ديسمبر من العام نفسه" of a paragraph dated December 1987), else by publication."""
            if span.start.year is None and own_end is not None and own_end.year is not None:
                days = resolve_span(span.start, span.end, own_end, span.ahead)
                if days[0].year == own_end.year:
                    return days
            return resolve_span(span.start, span.end, reference, span.ahead)

        # each date the text names (past the dateline: that is when the copy was filed), and
        # each day it counts from the paragraph's own day or from the news day
        line = openings.dateline(norm[:HEAD_CHARS], reference)
        after_line = line.end if line is not None else 0
        told: list[tuple[int, int, tuple[PartialDate, PartialDate], bool]] = []
        for span in parse_dates(norm, reference=reference, today=False).spans:
            if span.begin < after_line:
                continue
            before = norm[: span.begin].split()
            bound = not since and bool(before) and before[-1] in openings.BOUNDS
            told.append((span.begin, span.stop, resolved(span), bound))
        told.extend(_counted_days(passage, norm, line, after_line))
        best: tuple[int, int, int, tuple[PartialDate, PartialDate]] | None = None
        turned = False  # whether the best is past a turn to another event
        for begin, stop, days, bound in told:
            sentence = _sentence_of(norm, begin)
            near = [
                (min(abs(a - stop), abs(begin - b)), a, b)
                for a, b in words
                if _sentence_of(norm, a) == sentence
            ]
            if not near:
                continue
            _, a, b = min(near)
            between = norm[b:begin] if b <= begin else norm[stop:a]
            other = int(_ANOTHER_EVENT.search(between) is not None)  # "قبل أن يشد الرحال عام"
            own = int(passage.date is not None and days == _own(passage))
            key = (int(bound) + other, min(near)[0], -own, days)
            if best is None or key[:3] < best[:3]:
                best = key
                turned = bool(other)
        if best is not None and turned and passage.date is not None:
            best = None  # the passage's own date, rather than another event's
        if best is not None:
            start, end = best[3]
            return [start.iso()] if start == end else [start.iso(), end.iso()]
        if passage.date is None:
            return []
        return [passage.date] if passage.date_end is None else [passage.date, passage.date_end]

    def on_day(self, iso_day: str, top_k: int | None = None, offset: int = 0) -> Answer:
        """Every event of one ISO day (for timeline and nearest-date buttons)."""
        day = PartialDate.from_iso(iso_day)
        span = DateSpan(start=day, end=day, begin=0, stop=0, approximate=False, hijri=False)
        dates = DateQuery(spans=(span,), invalid=(), rest="")
        return self._answer_dates(iso_day, dates, questions.Query(()), offset, top_k or DATE_PAGE)

    def timeline(self) -> Sequence[Passage]:
        """Every event passage in date order (exact days before spans, then article order),
        each made as it is read."""
        events = np.flatnonzero(self._events & (self._start >= 0))
        order = events[np.lexsort((events, self._span[events], self._start[events]))]
        return self.passages.select(order)

    def dating(self) -> dict[str, dict[str, int]]:
        """Per article: how many paragraphs got a date from each source, and how many none."""
        columns = self.passages.columns
        found: dict[str, dict[str, int]] = {a.id: {} for a in self.articles}
        sources = [*(s.value for s in DateSource), "undated"]
        for article, source in zip(
            columns["article"].tolist(), columns["source"].tolist(), strict=True
        ):
            counts = found[self.articles[article].id]
            name = sources[source]  # -1: the last, undated
            counts[name] = counts.get(name, 0) + 1
        return found

    def undated(self) -> int:
        """How many passages carry no date (the timeline leaves them out)."""
        return int((self._start < 0).sum())

    def spanned(self, latest: int = 5) -> tuple[int, list[Passage]]:
        """How many events are dated by a span (a month, a year, "نهاية نوفمبر") rather than a
        day, and the ``latest`` of them, latest first (the timeline's days leave them out)."""
        rows = np.flatnonzero(self._events & (self._start >= 0) & self._span)
        order = rows[np.lexsort((rows, self._start[rows]))[::-1][:latest]]
        return int(rows.size), [self.passages[int(i)] for i in order]

    def event_days(self) -> list[str]:
        """Distinct days that have a dated (non-span) event, ascending."""
        mask = self._events & (self._start >= 0) & ~self._span
        # one number per (day, has year), in the order the pairs sort
        days = distinct(self._start[mask] * 2 + self._calendar.has_year[mask]).tolist()
        return [iso_day(day // 2, bool(day % 2)) for day in days]

    def highlight(self, text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
        """Character spans of the words of ``text`` that match the question's terms."""
        wanted = set(terms)
        spans: list[tuple[int, int]] = []
        for match in _WORD.finditer(text):
            word_terms = self._words(match.group())
            if word_terms and (set(word_terms) & wanted):
                spans.append(match.span())
        return spans


# A build of this many articles or more reads and chunks them in parallel, one process a core.
PARALLEL_FROM = 64
# An article read for indexing: its metadata, what it lacks, and each passage's table row
# and indexed words (plain values, cheap to send from a worker process).
_Prepared = tuple[Article, list[str], list[tuple[Row, list[str]]]]


def _collect(
    paths: Iterable[str | Path],
    warnings: list[str] | None,
    skipped: list[str] | None = None,
    progress: Progress | None = None,
    words: Words | None = None,
) -> TableBuilder:
    """The articles' passages as columns (and their words as ids, into ``words``); no passage
    object is kept."""
    table = TableBuilder()
    for article, rows in _read(paths, warnings, skipped, progress):
        table.add_article(article)
        for row, found in rows:
            table.add_row(article.id, row)
            if words is not None:
                words.add_words(found)
    if not len(table):
        raise CorpusError("no passages: no article with text was found")
    return table


def _read(
    paths: Iterable[str | Path],
    warnings: list[str] | None,
    skipped: list[str] | None = None,
    progress: Progress | None = None,
) -> Iterator[tuple[Article, list[tuple[Row, list[str]]]]]:
    """Each article read, chunked and analyzed, in turn; a file without text is skipped,
    saying so.

    Dating and analyzing passages is most of a build, and articles are independent: past
    :data:`PARALLEL_FROM` articles, worker processes (one per core) prepare them while this one
    collects them in order, so the index is the one a single process builds.
    """
    seen: dict[str, Path] = {}
    found = find_articles(paths, skipped)
    report = progress or (lambda stage, done, total, count: None)
    count = 0
    workers = min(os.cpu_count() or 1, 8) if len(found) >= PARALLEL_FROM else 1
    with contextlib.ExitStack() as stack:
        pool = None
        if workers > 1:
            pool = stack.enter_context(_context().Pool(workers, initializer=_quiet_worker))
            prepared: Iterable[_Prepared | str] = pool.imap(_prepare, found, chunksize=8)
        else:
            prepared = map(_prepare, found)
        for number, ((path, _), ready) in enumerate(zip(found, prepared, strict=True), start=1):
            if isinstance(ready, str):  # no text, or none that can be read
                notes = skipped if skipped is not None else warnings
                if notes is not None:
                    notes.append(ready)
                continue
            article, lacking, rows = ready
            if article.id in seen:
                raise CorpusError(
                    f"{path}: same article id {article.id!r} as {seen[article.id]}; "
                    "rename one or index their folders"
                )
            seen[article.id] = path
            if warnings is not None:
                warnings.extend(lacking)
            count += len(rows)
            yield article, rows
            report("read", number, len(found), count)
        if pool is not None:  # every article read: the workers end on their own
            pool.close()
            pool.join()


def _context() -> multiprocessing.context.BaseContext:
    """Forked workers where the system forks: they start at once and need no importable main
    module (a build runs from the command line, before any thread is started)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _quiet_worker() -> None:
    """Signals are the parent's business: Ctrl-C and SIGTERM end the build there (which ends
    the pool), and a worker ended by the pool goes without a word, whatever handlers the
    process it was forked from had installed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def _prepare(found: tuple[Path, str]) -> _Prepared | str:
    """One article read, chunked, dated and analyzed (or why it has no text)."""
    path, article_id = found
    try:
        raw = read_article(path, article_id)
    except SkippedArticle as exc:
        return str(exc)
    made = chunk(raw)
    article = Article(
        id=raw.id,
        title=raw.title,
        published=raw.published,
        origin=raw.origin,
        url=raw.url,
        site=raw.site,
        language=raw.language,
        path=str(path),
        passages=len(made),
        examples=list(raw.examples),
    )
    # Each text normalized once, for its dates and its words: normalization is character by
    # character, so the document's parts normalize apart as they do together.
    title = normalize(raw.title)
    rows = []
    for p in made:
        text = normalize(p.text)
        document = f"{title}\n{normalize(p.heading or '')}\n{text}"
        rows.append((passage_row(p, text), analysis.normalized_words(document)))
    return article, list(raw.warnings), rows


# The days hijridate's Umm al-Qura tables convert.
HIJRI_FROM, HIJRI_TO = dt.date(1924, 8, 1), dt.date(2077, 11, 16)


def _spoken(dates: DateQuery, today: dt.date) -> DateQuery:
    """A question that dates itself from today ("ماذا حدث أمس؟"), as if it named the day."""
    found = openings.spoken(dates.rest)
    if found is not None:
        shift, begin, end = found
        first = today + dt.timedelta(days=shift.days)
        last = first + dt.timedelta(days=shift.span_days)
    else:
        period = openings.period_at(dates.rest, today)  # "ماذا حدث الشهر الماضي؟"
        if period is None:
            return dates
        first, last, begin, end = period
    span = DateSpan(PartialDate.of(first), PartialDate.of(last), begin, end, False, False)
    rest = dates.rest[:begin] + " " * (end - begin) + dates.rest[end:]
    return DateQuery((span,), (), rest)


def _sentence_of(text: str, at: int) -> int:
    """Which sentence of ``text`` the offset falls in (counted by sentence ends before it)."""
    return len(_SENTENCE_END.findall(text, 0, at))


def _own(passage: Passage) -> tuple[PartialDate | None, PartialDate | None]:
    return passage.start(), passage.end()


def _counted_days(
    passage: Passage, norm: str, line: openings.Dateline | None, after_line: int
) -> list[tuple[int, int, tuple[PartialDate, PartialDate], bool]]:
    """The days a passage's text counts past its opening clause (whose own count made the
    passage's day), where each phrase sits: from its own day ("ولكن المواجهات تجددت في اليوم
    التالي"), and from the news day, its dateline's or its publication's ("، على أن تستمر
    الأمطار غدا الجمعة")."""
    found: list[tuple[int, int, tuple[PartialDate, PartialDate], bool]] = []
    opening = CLAUSE_END.search(norm, after_line)
    past_opening = opening.end() if opening is not None else len(norm)
    start, end = _own(passage)
    if start is not None and start == end and start.year is not None:
        for days, a, b in openings.anaphora(norm):
            if a >= past_opening:  # the opening's own "في اليوم التالي" made the own day
                day = shift(start, days)
                found.append((a, b, (day, day), False))
    news: PartialDate | None = None
    if line is not None and line.span is not None and line.span.single_day:
        news = resolve_span(line.span.start, line.span.end, passage.source.published)[0]
    elif passage.source.published is not None:
        news = PartialDate.of(passage.source.published)
    deictic = openings.deictic_at(norm[past_opening:])  # the opening's own made the own day
    if news is not None and news.year is not None and deictic is not None:
        moved, a, b = deictic
        first = shift(news, moved.days)
        span = (first, shift(first, moved.span_days))
        found.append((past_opening + a, past_opening + b, span, False))
    return found
