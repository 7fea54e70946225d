"""Date questions answered from the day orders give what a pass over every passage gives.

The reference below is the plain way to answer a date: a mask over every row of each calendar,
a sort of everything tied to the date. The engine must return the same passages in the same
order, with the same counts, on an archive made to hold every awkward kind of date.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from khabar.index import query as questions
from khabar.index.calendar import PartialDate, day_number, iso_day, span_days
from khabar.index.chunker import HISTORY_DAYS
from khabar.index.dates import DateSpan, parse_dates
from khabar.index.days import first_by
from khabar.index.models import Article, Citation, DateSource, Passage
from khabar.index.months import GREGORIAN_DISPLAY
from khabar.index.ranking import DEFAULT_RANKING
from khabar.index.search import DATE_PAGE, Answer, Engine, Intent
from khabar.index.table import Calendar

WORDS = [
    "قوات",
    "الجيش",
    "الحكومة",
    "المدينة",
    "مجلس",
    "الأمن",
    "الرئيس",
    "المدنيين",
    "هجوم",
    "قصف",
    "الهدنة",
    "حلب",
]
PUBLISHED = dt.date(2016, 12, 20)


def _month(day: dt.date | PartialDate) -> str:
    return GREGORIAN_DISPLAY[day.month - 1]


def _dates(rng: np.random.Generator) -> tuple[str | None, str | None]:
    """One passage's own date: every kind the calendar columns know."""
    first = dt.date(2011, 11, 1).toordinal()
    day = dt.date.fromordinal(int(first + rng.integers(0, 3 * 365)))
    kind = rng.choice(["day", "day", "day", "span", "long", "years", "new year", "yearless",
                       "yearless span", "leap", "none"])  # fmt: skip
    if kind == "day":
        return day.isoformat(), None
    if kind == "span":  # up to a month: answers a day
        return day.isoformat(), (day + dt.timedelta(days=int(rng.integers(1, 35)))).isoformat()
    if kind == "long":
        return day.isoformat(), (day + dt.timedelta(days=int(rng.integers(35, 400)))).isoformat()
    if kind == "years":
        return f"{day.year}-01-01", f"{day.year + int(rng.integers(1, 3))}-12-31"
    if kind == "new year":
        end = dt.date(day.year + 1, 1, int(rng.integers(1, 6)))
        return f"{day.year}-12-{int(rng.integers(20, 32))}", end.isoformat()
    if kind == "yearless":
        return PartialDate(None, day.month, day.day).iso(), None
    if kind == "yearless span":
        start = PartialDate(None, day.month, min(day.day, 20))
        return start.iso(), start._replace(day=start.day + int(rng.integers(1, 9))).iso()
    if kind == "leap":
        return ("--02-29", None) if rng.random() < 0.5 else ("2016-02-29", "2016-03-02")
    return None, None


def _text(rng: np.random.Generator) -> str:
    """Words, and sometimes dates the text names (with a year, without, a year alone)."""
    words = " ".join(WORDS[i] for i in rng.integers(0, len(WORDS), size=int(rng.integers(4, 9))))
    day = dt.date(2012, 1, 1) + dt.timedelta(days=int(rng.integers(0, 3 * 365)))
    named = rng.choice(["", "", "day", "yearless", "year", "month"])
    if named == "day":
        return f"{words} في {day.day} {_month(day)} {day.year}."
    if named == "yearless":
        return f"{words} في {day.day} {_month(day)}."
    if named == "year":
        return f"{words} منذ عام {day.year}."
    if named == "month":
        return f"{words} في {_month(day)} {day.year}."
    return f"{words}."


def archive(size: int, seed: int) -> Engine:
    rng = np.random.default_rng(seed)
    articles = [
        Article(
            id=f"a{i}",
            title=f"مقال {WORDS[i % len(WORDS)]}",
            published=PUBLISHED,
            path=f"a{i}.txt",
            passages=10,
        )
        for i in range(size // 10)
    ]
    passages = []
    for article in articles:
        for paragraph in range(1, 11):
            date, date_end = _dates(rng)
            source = DateSource.APPROXIMATE if date_end else DateSource.EXPLICIT
            passages.append(
                Passage(
                    id=f"{article.id}-p{paragraph}",
                    date=date,
                    date_end=date_end,
                    date_source=source,
                    text=_text(rng),
                    source=Citation.of(article, paragraph),
                )
            )
    return Engine.of(articles, passages, DEFAULT_RANKING)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return archive(3000, seed=15)


# ---- the reference: every row looked at ------------------------------------------------------


def meets(span: DateSpan, dates: Calendar) -> np.ndarray:
    start, end = dates.start, dates.end
    if span.start.year is not None and span.end.year is not None:
        lo, hi = day_number(span.start), day_number(span.end)
        dated = dates.has_year & (start <= hi) & (end >= lo)
        lo_md = day_number(span.start._replace(year=None))
        hi_md = day_number(span.end._replace(year=None))
        yearless = ~dates.has_year & (dates.start_md <= hi_md) & (dates.end_md >= lo_md)
        if span.start.year != span.end.year:
            yearless = ~dates.has_year & (dates.start_md >= 0)
        mask = dated | yearless
    else:
        lo = day_number(span.start._replace(year=None))
        hi = day_number(span.end._replace(year=None))
        if hi < lo:
            mask = (dates.start_md <= hi) | (dates.end_md >= lo)
        else:
            mask = (dates.start_md <= hi) & (dates.end_md >= lo)
    mask &= start >= 0
    if span_days(span.start, span.end) <= HISTORY_DAYS:
        mask &= (end - start) < HISTORY_DAYS
    return mask


def nearest(e: Engine, span: DateSpan) -> list[str]:
    start, start_md = e._calendar.start, e._calendar.start_md
    events = np.flatnonzero(e._events & (start >= 0) & ~e._span)
    if span.start.year is None:
        keys = start_md[events]
        lo = day_number(span.start._replace(year=None))
        hi = day_number(span.end._replace(year=None))
    else:
        keys = start[events]
        lo, hi = day_number(span.start), day_number(span.end)
    found: list[str] = []
    for side, pick in ((keys < lo, np.max), (keys > hi, np.min)):
        if side.any():
            at = events[keys == pick(keys[side])]
            found.append(e.passages[int(at[np.argmax(start[at])])].date or "")
    return found


def reference(e: Engine, text: str, offset: int = 0, top_k: int = 3) -> Answer:
    dates = parse_dates(text, reference=e._published)
    query = questions.parse(text)
    n = len(e.passages)
    named: list[str] = []
    events = np.zeros(n, dtype=bool)
    mentions = np.zeros(n, dtype=bool)
    each: list[list[str]] = []
    for span in dates.spans:
        each.append([span.start.iso()] if span.single_day else [span.start.iso(), span.end.iso()])
        named.extend(each[-1])
        events |= meets(span, e._calendar)
        # a mention no wider than the span asked ("مارس" does not mention 3 March)
        met = meets(span, e._mentions)
        narrow = (e._mentions.end - e._mentions.start) <= span_days(span.start, span.end) - 1
        mentions[e._mention_of[met & narrow]] = True
    mentions &= ~events
    rest = questions.parse(dates.rest)
    group = np.full(n, 2, dtype=np.int8)
    group[events & e._span] = 1
    group[events & ~e._span] = 0
    is_tied = events | mentions
    tied = np.flatnonzero(is_tied)
    topic = np.zeros(n)
    start = e._calendar.start
    if rest.words:
        about = e.ranker.rank(rest, among=tied)
        ranked = e.ranker.rank(query)
        shown = ranked.shown(e.ranking.silence)
        # what is tied to the date leads only on the topic, of a question the index answers
        covers = about.coverage >= e.ranking.silence
        on_topic = covers & bool(shown.order.size)
        topic[about.order[on_topic]] = about.scores[on_topic]
        first = about.order[on_topic]
        is_first = np.zeros(n, dtype=bool)
        is_first[first] = True
        later = np.flatnonzero(events & ~is_first)
        # the topic's passages of other dates, reranked as a topic question's
        others, other_scores = shown.order, shown.scores
        if others.size:
            others, other_scores, _ = e._rerank(shown, ranked, query, dates.rest)
        untied = ~is_tied[others]
        others, other_scores = others[untied], other_scores[untied]
        # the other passages covering the topic on its own words come before the date's rest
        topical = e.ranker.coverage(rest, others) >= e.ranking.silence
    else:
        first, later = tied, np.zeros(0, np.int64)
        others, other_scores = np.zeros(0, np.int64), np.zeros(0)
        topical = np.zeros(0, dtype=bool)
    length = e._calendar.end - start  # the narrowest span first
    first = first[np.lexsort((first, start[first], length[first], -topic[first], group[first]))]
    later = later[np.lexsort((later, start[later], group[later]))]
    order = np.concatenate([first, others[topical], later, others[~topical]]).astype(np.int64)
    scores = np.concatenate(
        [topic[first], other_scores[topical], topic[later], other_scores[~topical]]
    )
    n_events = int(events.sum())
    near: list[str] = []
    if not n_events:
        near = sorted({d for span in dates.spans for d in nearest(e, span)})
    terms = e._highlight_terms(rest if rest.words else query)
    if not order.size:
        return Answer(query=text, intent=Intent.DATE, dates=named, nearest_dates=near,
                      invalid=list(dates.invalid), terms=terms, asked=each)  # fmt: skip
    size = max(top_k, min(DATE_PAGE, first.size + later.size - offset))
    page = slice(offset, offset + size)
    asked = rest if rest.words else query
    return Answer(
        query=text, intent=Intent.DATE, dates=named,
        hits=e._hits(order[page], scores[page], asked, dates.rest), total=int(order.size),
        offset=offset, events=n_events, nearest_dates=near, invalid=list(dates.invalid),
        terms=terms, asked=each,
    )  # fmt: skip


def event_days(e: Engine) -> list[str]:
    mask = e._events & (e._calendar.start >= 0) & ~e._span
    days = set(
        zip(e._calendar.start[mask].tolist(), e._calendar.has_year[mask].tolist(), strict=True)
    )
    return [iso_day(number, has_year) for number, has_year in sorted(days)]


# ---- the same answers --------------------------------------------------------------------------

QUESTIONS = {
    "a day with its year": "ماذا حدث في 10 ديسمبر 2012؟",
    "a day without a year": "ماذا حدث في 10 ديسمبر؟",
    "29 February without a year": "ماذا حدث في 29 فبراير؟",
    "29 February of a leap year": "ماذا حدث في 29 فبراير 2016؟",
    "a month with its year": "ماذا حدث في مارس 2013؟",
    "a bare month": "ماذا حدث في ديسمبر؟",
    "a year": "ماذا حدث في عام 2013؟",
    "a season": "ماذا حدث في صيف 2012؟",
    "over New Year with years": "ماذا حدث بين 28 ديسمبر 2012 و3 يناير 2013؟",
    "over New Year without years": "ماذا حدث بين 28 ديسمبر و3 يناير؟",
    "across years": "ماذا حدث بين 2012 و2013؟",
    "two dates": "ماذا حدث في 10 ديسمبر 2012 و3 مارس 2013؟",
    "a date before the archive": "ماذا حدث في 10 ديسمبر 1990؟",
    "a date after the archive": "ماذا حدث في 10 ديسمبر 2030؟",
    "a day with topic words": "ماذا فعلت قوات الجيش في 10 ديسمبر 2012؟",
    "a bare month with topic words": "ماذا فعل مجلس الأمن في ديسمبر؟",
    "a year with topic words": "قصف المدينة عام 2013",
    "an empty date with topic words": "قصف المدينة في 10 ديسمبر 1990",
}
PAGES = {"first page": (0, 3), "second page": (DATE_PAGE, 3), "odd offset": (7, 5),
         "past the end": (10**6, 3)}  # fmt: skip


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("case", list(QUESTIONS))
def test_a_date_question_gets_what_a_full_pass_gets(engine: Engine, case: str, page: str) -> None:
    offset, top_k = PAGES[page]
    question = QUESTIONS[case]
    assert engine.ask(question, top_k, offset) == reference(engine, question, offset, top_k)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_month_day_of_another_archive_gets_what_a_full_pass_gets(seed: int) -> None:
    small = archive(400, seed)
    asked = [f"ماذا حدث في {d} {GREGORIAN_DISPLAY[m]}؟" for m in range(12) for d in (1, 15, 28)]
    assert [small.ask(q) for q in asked] == [reference(small, q) for q in asked]


def test_event_days_are_those_of_a_full_pass(engine: Engine) -> None:
    assert engine.event_days() == event_days(engine)


def test_the_archive_holds_long_spans(engine: Engine) -> None:
    """The control: the cases above meet spans longer than the window, not only days."""
    long = (engine._calendar.end - engine._calendar.start) > 2 * HISTORY_DAYS
    assert int(long.sum()) > 100


def pages(engine: Engine, question: str) -> list[Passage]:
    """Every passage of a date question's answer, page after page."""
    total = engine.ask(question).total
    return [
        hit.passage
        for offset in range(0, total, DATE_PAGE)
        for hit in engine.ask(question, offset=offset).hits
    ]


def test_a_year_lists_the_long_spans_that_began_before_it(engine: Engine) -> None:
    begun = {p.date for p in pages(engine, "ماذا حدث في عام 2013؟") if p.date_end}
    assert any(d < "2012-11-01" for d in begun if d and d[0] != "-")


def test_a_bare_month_pages_through_all_its_passages_once(engine: Engine) -> None:
    seen = [p.id for p in pages(engine, "ماذا حدث في ديسمبر؟")]
    assert len(set(seen)) == engine.ask("ماذا حدث في ديسمبر؟").total == len(seen)


# ---- the page is cut before the sort ---------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 5, 50, 199, 200, 500])
def test_first_by_is_the_head_of_a_full_sort(count: int) -> None:
    rng = np.random.default_rng(count)
    group = rng.integers(0, 3, 200)
    score = -rng.choice([0.5, 1.0, 2.0], 200)  # many ties
    day = rng.integers(0, 5, 200)
    rows = rng.permutation(1000)[:200]
    keys = [group, score, day, rows]
    assert first_by(keys, count).tolist() == np.lexsort(keys[::-1])[:count].tolist()
