"""Passages as columns: an archive opens in the time it takes to map arrays.

Rebuilding pydantic objects and a calendar from JSON would cost seconds at every start of an
archive; columns are mapped in milliseconds and a :class:`Passage` is made only when one is read
(a hit, a timeline). The Passage made from a column is the one the chunker made: same fields,
same values (a test holds the round trip). A build fills the columns a passage at a time
(:class:`TableBuilder`) and never holds an archive's passages as objects. The calendar columns
(day numbers) are what date questions are answered from, vectorized.
"""

from __future__ import annotations

import datetime as dt
import re
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from khabar.index import validate
from khabar.index.calendar import PartialDate, day_number, iso_day, resolve_span
from khabar.index.dates import mentioned
from khabar.index.days import day_orders
from khabar.index.lazy import Made
from khabar.index.models import Article, Citation, DateSource, Passage, passage_id

_SOURCES = list(DateSource)
T = TypeVar("T")


@dataclass(frozen=True)
class Calendar:
    """Rows of days as day numbers (-1: none); ``*_md`` are the same days without their year;
    the ``*_order`` columns are the dated rows in day order (:mod:`khabar.index.days`)."""

    start: np.ndarray
    end: np.ndarray
    start_md: np.ndarray
    end_md: np.ndarray
    has_year: np.ndarray
    start_order: np.ndarray
    start_md_order: np.ndarray


# A span's days: start, end, start_md, end_md (day numbers), has_year.
CalendarRow = tuple[int, int, int, int, bool]
_NEW_YEAR_EVE = day_number(PartialDate(None, 12, 31))


def _calendar_row(start: PartialDate, end: PartialDate) -> CalendarRow:
    """A span's days as the calendar columns hold them."""
    start_md = day_number(start._replace(year=None))
    end_md = day_number(end._replace(year=None))
    # A year-less span over New Year runs to the year's end.
    end_md = end_md if end_md >= start_md else _NEW_YEAR_EVE
    return day_number(start), day_number(end), start_md, end_md, start.year is not None


_UNDATED: CalendarRow = (-1, -1, -1, -1, False)


def mentioned_days(
    passage: Passage, normalized: str | None = None
) -> list[tuple[PartialDate, PartialDate]]:
    """The dates a passage's text names ("منذ بدء النزاع في مارس/آذار 2011"), with years
    resolved against the article's publication, as the chunker resolves its own.
    ``normalized`` is the text already normalized, when the caller has it."""
    published = passage.source.published
    if normalized is None:
        found = mentioned(passage.text, published)
    else:
        found = mentioned(normalized, published, normalized=True)
    return [resolve_span(span.start, span.end, published, span.ahead) for span in found]


_CALENDAR = ("start", "end", "start_md", "end_md", "has_year")


def _merge_headings(
    mine: Sequence[str], my_rows: np.ndarray, theirs: Sequence[str], their_rows: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """Two heading columns as one, the headings numbered in order of first use as a build
    numbers them (a heading no passage keeps any more is gone)."""
    index = {heading: i for i, heading in enumerate(mine)}
    theirs_at = np.array([index.setdefault(h, len(index)) for h in theirs], dtype=np.int64)
    names = list(index)  # mine, then theirs that are new, in index order
    # -1 (no heading) indexes the appended -1: it stays -1
    joint = np.concatenate([my_rows.astype(np.int64), np.append(theirs_at, -1)[their_rows]])
    used = joint >= 0
    ids, first = np.unique(joint[used], return_index=True)
    order = ids[np.argsort(first, kind="stable")]
    renumber = np.full(len(names), -1, np.int64)
    renumber[order] = np.arange(order.size)
    column = np.append(renumber, -1)[joint].astype(np.int32)
    return column, [names[i] for i in order]


# A passage's column values: paragraph, date source, heading, event?, span?, UTF-8 text, its own
# calendar row, the calendar rows of the dates it mentions.
Row = tuple[
    int, int, str | None, bool, bool, bytes, CalendarRow, tuple[CalendarRow, ...]
]  # fmt: skip


def passage_row(p: Passage, normalized: str | None = None) -> Row:
    """What the table keeps of a passage, as plain values (cheap to send between processes);
    ``normalized`` is its text normalized, when the caller has it."""
    start, end = p.start(), p.end()
    own = _calendar_row(start, end) if start is not None and end is not None else _UNDATED
    return (
        p.source.paragraph,
        _SOURCES.index(p.date_source) if p.date_source is not None else -1,
        p.heading,
        p.dated,
        p.date_end is not None,
        p.text.encode("utf-8"),
        own,
        tuple(_calendar_row(*day) for day in mentioned_days(p, normalized)),
    )


class StoredArticles(Made[Article]):
    """An index's articles as it stores them: one JSON object each, made into an
    :class:`Article` only when read (an archive of tens of thousands opens without parsing
    them), and the same object every time it is read again."""

    def __init__(self, arrays: dict[str, np.ndarray], origin: str | None = None) -> None:
        self.arrays = validate.article_arrays(arrays)
        self._origin = origin
        self._made: dict[int, Article] = {}

    def __len__(self) -> int:
        return int(self.arrays["article_at"].size) - 1

    def _item(self, i: int) -> Article:
        if i not in self._made:
            at = self.arrays["article_at"]
            data = self.arrays["article_json"][int(at[i]) : int(at[i + 1])].tobytes()
            try:
                self._made[i] = Article.model_validate_json(data)
            except ValueError as exc:
                fault = " ".join(str(exc).split())[:120]
                raise validate.CorruptIndex(self._origin, f"article {i + 1}: {fault}") from None
        return self._made[i]

    def listing_examples(self) -> list[int]:
        """The articles whose sidecar lists example questions, found in their stored JSON
        without making the others."""
        stored = memoryview(self.arrays["article_json"].data)
        at = [m.start() for m in _LISTING_EXAMPLES.finditer(stored)]
        found = np.searchsorted(self.arrays["article_at"], at, side="right") - 1
        return list(dict.fromkeys(found.tolist()))

    def latest(self) -> dt.date | None:
        """The latest publication day of any article (None when none is dated)."""
        days = self.arrays["article_published"]
        return dt.date.fromordinal(int(days.max())) if days.size and days.max() > 0 else None


_LISTING_EXAMPLES = re.compile(rb'"examples":\["')


def example_questions(articles: Sequence[Article], limit: int) -> list[str]:
    """The first ``limit`` distinct questions the articles list as examples, in article order
    (a stored archive makes only the articles that list some)."""
    if isinstance(articles, StoredArticles):
        listing: Iterable[Article] = (articles[i] for i in articles.listing_examples())
    else:
        listing = articles
    found: list[str] = []
    for article in listing:
        for question in article.examples:
            if question not in found:
                found.append(question)
        if len(found) >= limit:
            break
    return found[:limit]


def article_arrays(articles: Sequence[Article]) -> dict[str, np.ndarray]:
    """The arrays an index stores its articles in (:class:`StoredArticles` reads them)."""
    if isinstance(articles, StoredArticles):
        return articles.arrays
    data = [article.model_dump_json().encode("utf-8") for article in articles]
    at = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in data], out=at[1:])
    published = [a.published.toordinal() if a.published else 0 for a in articles]
    return {
        "article_json": np.frombuffer(b"".join(data), dtype=np.uint8),
        "article_at": at,
        "article_published": np.array(published, dtype=np.int64),
    }


def latest_published(articles: Sequence[Article]) -> dt.date | None:
    """The latest publication day of the articles (the reference for a question's dates)."""
    if isinstance(articles, StoredArticles):
        return articles.latest()
    return max((a.published for a in articles if a.published), default=None)


class TableBuilder:
    """Columns filled one passage at a time: a build never holds its passages as objects."""

    def __init__(self) -> None:
        self.articles: list[Article] = []
        self._article_at: dict[str, int] = {}
        self._headings: dict[str, int] = {}
        self._ints = {
            "article": array("i"), "paragraph": array("i"), "source": array("b"),
            "heading": array("i"), "event": array("b"), "span": array("b"),
        }  # fmt: skip
        self._blob = bytearray()
        self._offsets = array("q", [0])
        self._own = [array("q") for _ in _CALENDAR]
        self._mentioned = [array("q") for _ in _CALENDAR]
        self._mention_of = array("i")

    def add_article(self, article: Article) -> None:
        self._article_at[article.id] = len(self.articles)
        self.articles.append(article)

    def add(self, p: Passage) -> None:
        """One passage of an article already added."""
        self.add_row(p.source.article, passage_row(p))

    def add_row(self, article: str, row: Row) -> None:
        """One passage as :func:`passage_row` made it (maybe in another process)."""
        paragraph, source, heading, event, span, text, own, mentioned = row
        at = len(self._ints["paragraph"])
        ints = self._ints
        ints["article"].append(self._article_at[article])
        ints["paragraph"].append(paragraph)
        ints["source"].append(source)
        ints["heading"].append(
            -1 if heading is None else self._headings.setdefault(heading, len(self._headings))
        )
        ints["event"].append(event)
        ints["span"].append(span)
        self._blob += text
        self._offsets.append(len(self._blob))
        for column, value in zip(self._own, own, strict=True):
            column.append(value)
        for day in mentioned:
            for column, value in zip(self._mentioned, day, strict=True):
                column.append(value)
            self._mention_of.append(at)

    def __len__(self) -> int:
        return len(self._ints["paragraph"])

    def table(self) -> PassageTable:
        dtypes = {"article": np.int32, "paragraph": np.int32, "source": np.int8,
                  "heading": np.int32, "event": bool, "span": bool}  # fmt: skip
        cols = {name: np.array(values, dtype=dtypes[name]) for name, values in self._ints.items()}
        cols["text_offsets"] = np.array(self._offsets, dtype=np.int64)
        cols["text_blob"] = np.frombuffer(self._blob, dtype=np.uint8)
        for name, own, named in zip(_CALENDAR, self._own, self._mentioned, strict=True):
            kind = bool if name == "has_year" else np.int64
            cols[name] = np.array(own, dtype=kind)
            cols[f"mention_{name}"] = np.array(named, dtype=kind)
        cols["mention_of"] = np.array(self._mention_of, dtype=np.int32)
        for prefix in ("", "mention_"):
            made = day_orders({name: cols[prefix + name] for name in _CALENDAR})
            cols.update({prefix + name: order for name, order in made.items()})
        return PassageTable(self.articles, list(self._headings), cols, checked=True)


class Selection(Made[Passage]):
    """Some of a table's passages in a given order (a timeline), made one at a time as read:
    an archive's hundreds of thousands of events are never all objects at once."""

    def __init__(self, table: PassageTable, rows: np.ndarray) -> None:
        self._table = table
        self._rows = rows

    def __len__(self) -> int:
        return int(self._rows.size)

    def _item(self, i: int) -> Passage:
        return self._table[int(self._rows[i])]


class PassageTable(Made[Passage]):
    """A read-only sequence of passages stored column-wise."""

    COLUMNS = validate.PASSAGE_COLUMNS

    def __init__(
        self,
        articles: Sequence[Article],
        headings: Sequence[str],
        columns: dict[str, np.ndarray],
        origin: str | None = None,
        checked: bool = False,
    ) -> None:
        if not checked:  # read from a file: every value is checked before it is used
            validate.passage_columns(columns, len(articles), headings)
        # Stored articles stay stored: listing them would parse every one at each start.
        self.articles = articles if isinstance(articles, StoredArticles) else list(articles)
        self.headings = list(headings)
        self.columns = columns
        self.origin = origin  # the file the columns were read from, named when one is wrong

    @classmethod
    def of(cls, articles: Sequence[Article], passages: Sequence[Passage]) -> PassageTable:
        """Columns for passages just chunked."""
        builder = TableBuilder()
        for article in articles:
            builder.add_article(article)
        for passage in passages:
            builder.add(passage)
        return builder.table()

    def merged(self, other: PassageTable) -> PassageTable:
        """These passages, then ``other``'s; an article in ``other`` replaces the one of the same
        id here, whose passages leave. The columns are exactly those a build of the resulting
        articles, in this order, makes: nothing is re-dated or re-parsed, rows are only moved.
        """
        old, new = self.columns, other.columns
        replaced = {article.id for article in other.articles}
        kept = [i for i, article in enumerate(self.articles) if article.id not in replaced]
        article_of = np.full(len(self.articles), -1, np.int64)
        article_of[kept] = np.arange(len(kept))
        keep = np.flatnonzero(article_of[old["article"]] >= 0)
        row_of = np.full(len(self), -1, np.int64)
        row_of[keep] = np.arange(keep.size)

        def joined(name: str, mine: np.ndarray, theirs: np.ndarray) -> np.ndarray:
            return np.concatenate([mine, theirs]).astype(old[name].dtype, copy=False)

        cols: dict[str, np.ndarray] = {}
        for name in ("paragraph", "event", "source", "span", *_CALENDAR):
            cols[name] = joined(name, old[name][keep], new[name])
        cols["article"] = joined(
            "article", article_of[old["article"][keep]], new["article"] + len(kept)
        )
        cols["heading"], headings = _merge_headings(
            self.headings, old["heading"][keep], other.headings, new["heading"]
        )
        lengths = np.diff(old["text_offsets"])[keep]
        cols["text_offsets"] = np.zeros(keep.size + len(other) + 1, np.int64)
        np.cumsum(
            np.concatenate([lengths, np.diff(new["text_offsets"])]), out=cols["text_offsets"][1:]
        )
        runs = np.split(keep, np.flatnonzero(np.diff(keep) != 1) + 1) if keep.size else []
        offsets = old["text_offsets"]
        pieces = [old["text_blob"][offsets[run[0]] : offsets[run[-1] + 1]] for run in runs]
        cols["text_blob"] = joined("text_blob", np.concatenate([*pieces, np.zeros(0, np.uint8)]),
                                   new["text_blob"])  # fmt: skip
        mentioned = row_of[old["mention_of"]] >= 0
        for name in _CALENDAR:
            key = f"mention_{name}"
            cols[key] = joined(key, old[key][mentioned], new[key])
        cols["mention_of"] = joined(
            "mention_of", row_of[old["mention_of"][mentioned]], new["mention_of"] + keep.size
        )
        for prefix in ("", "mention_"):  # rows moved: their day orders are made again
            made = day_orders({name: cols[prefix + name] for name in _CALENDAR})
            cols.update({prefix + name: order for name, order in made.items()})
        articles = [self.articles[i] for i in kept] + list(other.articles)
        return PassageTable(articles, headings, cols, checked=True)

    def __len__(self) -> int:
        return len(self.columns["paragraph"])

    def calendar(self) -> Calendar:
        """Each passage's own days."""
        c = self.columns
        return Calendar(
            c["start"], c["end"], c["start_md"], c["end_md"], c["has_year"], c["start_order"],
            c["start_md_order"],
        )  # fmt: skip

    def mentions(self) -> Calendar:
        """Every date the passages' texts name, one row each (``mention_of``: whose)."""
        c = self.columns
        return Calendar(
            c["mention_start"], c["mention_end"], c["mention_start_md"], c["mention_end_md"],
            c["mention_has_year"], c["mention_start_order"], c["mention_start_md_order"],
        )  # fmt: skip

    def select(self, rows: np.ndarray) -> Selection:
        """These rows' passages, in this order, each made only when read."""
        return Selection(self, rows)

    def _item(self, i: int) -> Passage:
        c = self.columns
        article = self.articles[int(c["article"][i])]
        a, b = int(c["text_offsets"][i]), int(c["text_offsets"][i + 1])
        has_year = bool(c["has_year"][i])
        start, source, heading = int(c["start"][i]), int(c["source"][i]), int(c["heading"][i])
        paragraph = int(c["paragraph"][i])
        return Passage(
            id=passage_id(article.id, paragraph),
            date=iso_day(start, has_year) if start >= 0 else None,
            date_end=iso_day(int(c["end"][i]), has_year) if c["span"][i] else None,
            date_source=_SOURCES[source] if source >= 0 else None,
            heading=self.headings[heading] if heading >= 0 else None,
            text=self._text(i, a, b),
            source=Citation.of(article, paragraph),
        )

    def _text(self, i: int, a: int, b: int) -> str:
        """Passage ``i``'s text, decoded (hence checked) as it is read from the file."""
        try:
            return self.columns["text_blob"][a:b].tobytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise validate.CorruptIndex(
                self.origin, f"the text of passage {i + 1} is not UTF-8 (at byte {exc.start})"
            ) from None
