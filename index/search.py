"""The engine every face uses: build or open an index, answer a question, list the timeline.

A question goes through the date grammar first. If it names a date, the answer is every event
of that date (exact days before spans that merely cover it), ranked by the question's other
words; if the date is empty, the nearest event days around it. Otherwise BM25 over the chosen
analyzer ranks event passages; a question sharing no term with the index gets no passages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, TypeAdapter

from khabar.index.analysis import Analyzer, get_analyzer
from khabar.index.bm25 import BM25Params, PostingsBM25
from khabar.index.chunker import chunk
from khabar.index.corpus import SEEDS, CorpusError, find_articles, read_article
from khabar.index.dates import DateQuery, DateSpan, parse_dates
from khabar.index.models import Article, Hit, PartialDate, Passage
from khabar.index.normalize import normalize
from khabar.index.table import PassageTable, day_number, iso_day

Intent = Literal["empty", "topic", "when", "date", "no_match", "invalid_date"]

# The configuration `khabar eval` measured best on the gold set (see README).
DEFAULT_ANALYZER = "light10"
DEFAULT_PARAMS = BM25Params(variant="okapi", k1=1.2, b=0.5, epsilon=0.25)
# Past this a question is cut for ranking (Telegram's own message limit); the echo stays whole.
MAX_QUESTION_CHARS = 4096
# A date is answered in full, but an archive may hold hundreds of events on one day: page them.
DATE_PAGE = 100
_WHEN = re.compile(r"(?:^|\s)(?:و|ف)?متي(?:\s|$)")
_WORD = re.compile(r"[^\s\d\W]?[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+")
_ARTICLES = TypeAdapter(list[Article])


class Answer(BaseModel):
    """What a question gets: the passages of this page and everything a face needs to say."""

    query: str
    intent: Intent
    dates: list[str] = []
    hits: list[Hit] = []
    total: int = 0
    offset: int = 0
    nearest_dates: list[str] = []
    invalid: list[str] = []
    terms: list[str] = []


class Engine:
    """An index of passages with one analyzer and one BM25 scorer over it."""

    def __init__(
        self, table: PassageTable, analyzer: Analyzer, scorer: PostingsBM25, params: BM25Params
    ) -> None:
        self.articles = table.articles
        self.passages: Sequence[Passage] = table
        self.analyzer = analyzer
        self.scorer = scorer
        self.params = params
        self._highlighter = analyzer if analyzer.word_level else get_analyzer("light10")
        # The calendar: per-passage day numbers for vectorized "which events meet this day".
        columns = table.columns
        self._events = columns["event"]
        self._start, self._end = columns["start"], columns["end"]
        self._start_md, self._end_md = columns["start_md"], columns["end_md"]  # year-less days
        self._has_year, self._span = columns["has_year"], columns["span"]
        self._published = max((a.published for a in self.articles if a.published), default=None)

    # ---- building, saving, opening -------------------------------------------------------

    @classmethod
    def build(
        cls,
        paths: Iterable[str | Path],
        analyzer: str = DEFAULT_ANALYZER,
        params: BM25Params = DEFAULT_PARAMS,
        warnings: list[str] | None = None,
    ) -> Engine:
        """Read, chunk and index articles (files or folders of ``.txt``)."""
        articles: list[Article] = []
        passages: list[Passage] = []
        seen: dict[str, Path] = {}
        for path, article_id in find_articles(paths):
            raw = read_article(path, article_id)
            if raw.id in seen:
                raise CorpusError(
                    f"{path}: same article id {raw.id!r} as {seen[raw.id]}; "
                    "rename one or index their folders"
                )
            seen[raw.id] = path
            if warnings is not None:
                warnings.extend(raw.warnings)
            made = chunk(raw)
            passages.extend(made)
            articles.append(
                Article(
                    id=raw.id,
                    title=raw.title,
                    published=raw.published,
                    origin=raw.origin,
                    language=raw.language,
                    path=str(path),
                    passages=len(made),
                )
            )
        if not passages:
            raise CorpusError("no passages: no article with text was found")
        chosen = get_analyzer(analyzer)
        scorer = PostingsBM25.build([cls.document(chosen, p) for p in passages], params)
        return cls(PassageTable.of(articles, passages), chosen, scorer, params)

    @staticmethod
    def document(analyzer: Analyzer, passage: Passage) -> list[str]:
        """What is indexed for a passage: its text and its section heading."""
        return analyzer(f"{passage.heading or ''}\n{passage.text}")

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
            params = BM25Params(**meta["params"])
            analyzer = get_analyzer(meta["analyzer"])
            articles = _ARTICLES.validate_python(meta["articles"])
            table = PassageTable(articles, meta["headings"], columns)
            scorer = scorers[analyzer.name]
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexFileError(f"{path}: not a usable khabar index ({exc})") from None
        if len(scorer) != len(table):
            raise IndexFileError(f"{path}: corrupt index (passage count mismatch)")
        return cls(table, analyzer, scorer, params)

    def save(self, path: str | Path) -> None:
        """Write the index atomically (see :mod:`index.store`)."""
        from khabar.index.store import save

        table = self.passages
        assert isinstance(table, PassageTable)
        meta = {
            "analyzer": self.analyzer.name,
            "params": asdict(self.params),
            "articles": _ARTICLES.dump_python(self.articles, mode="json"),
            "headings": table.headings,
        }
        save(path, meta, {self.analyzer.name: self.scorer}, table.columns)

    def _covering(self, span: DateSpan) -> np.ndarray:
        """Indices of event passages whose days meet the span (a year narrows, none widens)."""
        if span.start.year is not None and span.end.year is not None:
            lo, hi = day_number(span.start), day_number(span.end)
            dated = self._has_year & (self._start <= hi) & (self._end >= lo)
            lo_md = day_number(span.start._replace(year=None))
            hi_md = day_number(span.end._replace(year=None))
            yearless = ~self._has_year & (self._start_md <= hi_md) & (self._end_md >= lo_md)
            if span.start.year != span.end.year:
                yearless = ~self._has_year & (self._start_md >= 0)
            mask = dated | yearless
        else:
            lo = day_number(span.start._replace(year=None))
            hi = day_number(span.end._replace(year=None))
            if hi < lo:  # "28 ديسمبر – 3 يناير" without a year
                mask = (self._start_md <= hi) | (self._end_md >= lo)
            else:
                mask = (self._start_md <= hi) & (self._end_md >= lo)
        return np.flatnonzero(mask & self._events & (self._start >= 0))

    def _nearest(self, span: DateSpan) -> list[str]:
        """The closest event days before and after an empty span, as the events are dated."""
        events = np.flatnonzero(self._events & (self._start >= 0) & ~self._span)
        if span.start.year is None:  # compare month and day; report the event's real date
            keys = self._start_md[events]
            lo = day_number(span.start._replace(year=None))
            hi = day_number(span.end._replace(year=None))
        else:
            keys = self._start[events]
            lo, hi = day_number(span.start), day_number(span.end)
        found: list[str] = []
        for side, pick in ((keys < lo, np.max), (keys > hi, np.min)):
            if side.any():
                best = pick(keys[side])
                # the latest-dated event of that day (an archive may have it in many years)
                at = events[keys == best]
                found.append(self.passages[int(at[np.argmax(self._start[at])])].date or "")
        return found

    # ---- answering ------------------------------------------------------------------------

    def ask(self, text: str, top_k: int = 3, offset: int = 0) -> Answer:
        """Answer one question: a page of hits plus what the reply should say around them."""
        question = text[:MAX_QUESTION_CHARS]
        if not normalize(question).strip():
            return Answer(query=text, intent="empty")
        dates = parse_dates(question, reference=self._published)
        if dates.spans:
            return self._answer_dates(text, dates, offset, top_k)
        if dates.invalid:
            return Answer(query=text, intent="invalid_date", invalid=list(dates.invalid))
        terms = self.analyzer(question)
        intent: Intent = "when" if _WHEN.search(normalize(question)) else "topic"
        matching = self.scorer.matching(terms)
        pool = matching[self._events[matching]]
        if not pool.size:  # nothing among the events: the lead paragraphs may still say it
            pool = matching
        if not pool.size:
            return Answer(query=text, intent="no_match", terms=terms)
        ranked = self.scorer.top(terms, offset + top_k, among=pool)
        hits = [Hit(passage=self.passages[i], score=s) for i, s in ranked[offset:]]
        return Answer(
            query=text, intent=intent, hits=hits, total=int(pool.size), offset=offset, terms=terms
        )

    def _answer_dates(self, text: str, dates: DateQuery, offset: int, top_k: int) -> Answer:
        named: list[str] = []
        found: list[int] = []
        for span in dates.spans:
            named.extend(
                [span.start.iso()] if span.single_day else [span.start.iso(), span.end.iso()]
            )
            found.extend(int(i) for i in self._covering(span))
        terms = self.analyzer(dates.rest)
        if not found:
            nearest = [d for span in dates.spans for d in self._nearest(span)]
            return Answer(
                query=text, intent="date", dates=named, nearest_dates=sorted(set(nearest)),
                invalid=list(dates.invalid), terms=terms,
            )  # fmt: skip
        candidates = np.unique(np.array(found, dtype=np.int64))
        scores = dict(self.scorer.top(terms, len(candidates), among=candidates)) if terms else {}
        # Exact days first, spans that merely cover the day after; then topic score; then the
        # article's own order (date, then paragraph) so a plain date reads like the article.
        order = sorted(
            (int(i) for i in candidates),
            key=lambda i: (
                bool(self._span[i]),
                -scores.get(i, 0.0),
                int(self._start[i]),
                i,
            ),
        )
        page = order[offset : offset + max(top_k, DATE_PAGE)]
        hits = [Hit(passage=self.passages[i], score=scores.get(i, 0.0)) for i in page]
        return Answer(
            query=text, intent="date", dates=named, hits=hits, total=len(order), offset=offset,
            invalid=list(dates.invalid), terms=terms,
        )  # fmt: skip

    def on_day(self, iso_day: str, top_k: int | None = None, offset: int = 0) -> Answer:
        """Every event of one ISO day (for timeline and nearest-date buttons)."""
        day = PartialDate.from_iso(iso_day)
        span = DateSpan(start=day, end=day, begin=0, stop=0, approximate=False, hijri=False)
        answer = self._answer_dates(iso_day, DateQuery(spans=(span,), invalid=(), rest=""),
                                    offset, top_k or DATE_PAGE)  # fmt: skip
        return answer

    def timeline(self) -> list[Passage]:
        """Every event passage in date order (exact days before spans, then article order)."""
        events = np.flatnonzero(self._events & (self._start >= 0))
        order = events[np.lexsort((events, self._span[events], self._start[events]))]
        return [self.passages[int(i)] for i in order]

    def event_days(self) -> list[str]:
        """Distinct days that have a dated (non-span) event, ascending."""
        mask = self._events & (self._start >= 0) & ~self._span
        days = set(zip(self._start[mask].tolist(), self._has_year[mask].tolist(), strict=True))
        return [iso_day(number, has_year) for number, has_year in sorted(days)]

    def highlight(self, text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
        """Character spans of the words of ``text`` that match the question's terms."""
        wanted = set(terms)
        if not self.analyzer.word_level:
            wanted = set()  # n-gram terms name no word; re-analyze the words instead
        spans: list[tuple[int, int]] = []
        for match in _WORD.finditer(text):
            word_terms = self._highlighter(match.group())
            if word_terms and (set(word_terms) & wanted):
                spans.append(match.span())
        return spans
