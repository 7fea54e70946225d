"""Article → event passages, each with a date and the way it got it.

Reading order matters: a heading opens a section; a paragraph that opens with a date
("في 15 نوفمبر/ تشرين الثاني،", "نهاية نوفمبر،") is dated by it; "في اليوم التالي" is the day
after the previous dated paragraph; a paragraph with no date of its own inherits the date of the
dated paragraph before it in the same section. Dates further inside a paragraph ("منذ
يوليو/تموز", "صيف 2012") are history, not the event's date, so only the opening is read.
Paragraphs with no date and nothing to inherit (the lead) are kept, marked ``lead``.
"""

from __future__ import annotations

import datetime as dt
import re

from khabar.index.corpus import RawArticle
from khabar.index.dates import DateSpan, parse_dates
from khabar.index.models import Citation, DateSource, PartialDate, Passage, passage_id
from khabar.index.normalize import normalize

# A heading is a short line without sentence punctuation ("هجوم واسع", "المرحلة النهائية").
_SENTENCE_MARKS = re.compile(r"[.،,:؛;!?؟\"«»“”()…]")
_HEADING_MAX_WORDS = 8
_HEADING_MAX_CHARS = 70

# Openings that date a paragraph relative to the previous dated one (normalized spelling).
_RELATIVE: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(rf"^(?:و?في\s+|و)?{pattern}(?=\W|$)"), days)
    for pattern, days in (
        (r"(?:صباح\s+|مساء\s+)?اليوم\s+(?:التالي|اللاحق)", 1),
        (r"(?:صباح\s+|مساء\s+)?اليوم\s+(?:نفسه|ذاته)", 0),
        (r"اليوم\s+السابق", -1),
        (r"(?:غداه|صبيحه)\s+ذلك", 1),
        (r"بعد\s+يومين", 2),
        (r"بعد\s+(?:ثلاثه|3)\s+ايام", 3),
        (r"بعد\s+اسبوع", 7),
    )
)
_OPENING_GLUE = {"", "في", "و", "وفي"}
# A dating phrase ("في 15 نوفمبر/ تشرين الثاني، ", "من 5 إلى 10 ديسمبر") fits well within this.
_OPENING_CHARS = 100
_CLAUSE_END = re.compile(r"[،,؛;]")


def is_heading(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= _HEADING_MAX_WORDS
        and len(line) <= _HEADING_MAX_CHARS
        and not _SENTENCE_MARKS.search(line)
        and not line[0].isdigit()
    )


def resolve_year(day: PartialDate, published: dt.date | None) -> PartialDate:
    """Give a year-less event day the year that puts it on or before publication."""
    if day.year is not None or published is None:
        return day
    year = published.year if (day.month, day.day) <= (published.month, published.day) else None
    return day._replace(year=year if year is not None else published.year - 1)


def shift(day: PartialDate, days: int) -> PartialDate:
    """Calendar arithmetic that keeps a year-less day year-less (2001: no 29 February)."""
    base = dt.date(day.year or 2001, day.month, min(day.day, 28 if day.month == 2 else day.day))
    moved = base + dt.timedelta(days=days)
    year = moved.year if day.year is not None else None
    return PartialDate(year, moved.month, moved.day)


def opening(text: str) -> str:
    """The normalized start of a paragraph, up to its first comma: all that can date it.

    Parsing only this keeps the date grammar off the body of every paragraph (a third of an
    archive's build time otherwise).
    """
    head = text[:_OPENING_CHARS]
    comma = _CLAUSE_END.search(head)
    return normalize(head[: comma.start()] if comma else head)


def opening_date(start: str) -> DateSpan | None:
    """The date a paragraph opens with, if any (``start`` from :func:`opening`)."""
    for span in parse_dates(start).spans:
        if start[: span.begin].strip() in _OPENING_GLUE:
            return span
    return None


def opening_shift(start: str) -> int | None:
    """Days from the previous dated paragraph ("في اليوم التالي" → 1), if it opens so."""
    for pattern, days in _RELATIVE:
        if pattern.match(start):
            return days
    return None


def chunk(article: RawArticle) -> list[Passage]:
    """Split one article into passages, in article order."""
    passages: list[Passage] = []
    heading: str | None = None
    section: tuple[str, str | None] | None = None  # (date, date_end) of the section's last date
    previous: PartialDate | None = None  # last dated paragraph in the article (any section)
    title_seen = False
    for number, line in enumerate(article.lines, start=1):
        if not line:
            continue
        if not title_seen:  # the first line is the title, already in the citation
            title_seen = True
            continue
        if is_heading(line):
            heading, section = line, None
            continue
        date: str | None = None
        date_end: str | None = None
        source: DateSource | None = None
        start_of_line = opening(line)
        span = opening_date(start_of_line)
        days = opening_shift(start_of_line) if span is None else None
        if span is not None:
            start = resolve_year(span.start, article.published)
            end = resolve_year(span.end, article.published)
            if end.key() < start.key() and end.year is not None:
                end = end._replace(year=end.year + 1)  # "28 ديسمبر – 3 يناير"
            date = start.iso()
            date_end = end.iso() if end != start else None
            source = DateSource.APPROXIMATE if span.approximate else DateSource.EXPLICIT
            previous = start
        elif days is not None and previous is not None:
            previous = shift(previous, days)
            date, source = previous.iso(), DateSource.RELATIVE
        elif section is not None:
            (date, date_end), source = section, DateSource.INHERITED
        if date is not None:
            section = (date, date_end)
        passages.append(
            Passage(
                id=passage_id(article.id, number),
                kind="event" if date is not None else "lead",
                date=date,
                date_end=date_end,
                date_source=source,
                heading=heading,
                text=line,
                source=Citation(
                    article=article.id,
                    title=article.title,
                    paragraph=number,
                    published=article.published,
                    origin=article.origin,
                ),
            )
        )
    return passages
