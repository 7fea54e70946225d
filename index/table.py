"""Passages as columns: an archive opens in the time it takes to read arrays.

At 100k passages, rebuilding pydantic objects and a calendar from JSON costs seconds at every
start; columns load in milliseconds and a :class:`Passage` is made only when one is read (a hit,
a timeline). The Passage made from a column is the very one the chunker made: same fields, same
values (a test holds the round trip). The calendar columns (day numbers) are what date questions
are answered from, vectorized.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np

from khabar.index import validate
from khabar.index.calendar import PartialDate, day_number, iso_day, resolve_span
from khabar.index.dates import mentioned
from khabar.index.days import day_orders
from khabar.index.models import Article, Citation, DateSource, Passage, passage_id

_SOURCES = list(DateSource)


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


def _calendar_columns(
    days: Sequence[tuple[PartialDate, PartialDate] | None],
) -> dict[str, np.ndarray]:
    n = len(days)
    cols = {
        "start": np.full(n, -1, np.int64),
        "end": np.full(n, -1, np.int64),
        "start_md": np.full(n, -1, np.int64),
        "end_md": np.full(n, -1, np.int64),
        "has_year": np.zeros(n, bool),
    }
    new_year_eve = day_number(PartialDate(None, 12, 31))
    for i, pair in enumerate(days):
        if pair is None:
            continue
        start, end = pair
        cols["start"][i], cols["end"][i] = day_number(start), day_number(end)
        cols["start_md"][i] = day_number(start._replace(year=None))
        end_md = day_number(end._replace(year=None))
        # A year-less span over New Year runs to the year's end.
        cols["end_md"][i] = end_md if end_md >= cols["start_md"][i] else new_year_eve
        cols["has_year"][i] = start.year is not None
    cols.update(day_orders(cols))
    return cols


def mentioned_days(passage: Passage) -> list[tuple[PartialDate, PartialDate]]:
    """The dates a passage's text names ("منذ بدء النزاع في مارس/آذار 2011"), with years
    resolved against the article's publication, as the chunker resolves its own."""
    published = passage.source.published
    return [
        resolve_span(span.start, span.end, published) for span in mentioned(passage.text, published)
    ]


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


class PassageTable(Sequence[Passage]):
    """A read-only sequence of passages stored column-wise."""

    COLUMNS = validate.PASSAGE_COLUMNS

    def __init__(
        self,
        articles: Sequence[Article],
        headings: Sequence[str],
        columns: dict[str, np.ndarray],
        made: Sequence[Passage] | None = None,
    ) -> None:
        if made is None:  # read from a file: every value is checked before it is used
            validate.passage_columns(columns, len(articles), headings)
        self.articles = list(articles)
        self.headings = list(headings)
        self.columns = columns
        self._made = list(made) if made is not None else None

    @classmethod
    def of(cls, articles: Sequence[Article], passages: Sequence[Passage]) -> PassageTable:
        """Columns for passages just chunked (they are kept, nothing is re-made)."""
        index = {article.id: i for i, article in enumerate(articles)}
        headings: dict[str, int] = {}
        n = len(passages)
        cols: dict[str, np.ndarray] = {
            "article": np.empty(n, np.int32),
            "paragraph": np.empty(n, np.int32),
            "event": np.zeros(n, bool),
            "source": np.full(n, -1, np.int8),
            "heading": np.full(n, -1, np.int32),
            "span": np.zeros(n, bool),
        }
        texts = [p.text.encode("utf-8") for p in passages]
        cols["text_offsets"] = np.zeros(n + 1, np.int64)
        np.cumsum([len(t) for t in texts], out=cols["text_offsets"][1:])
        cols["text_blob"] = np.frombuffer(b"".join(texts), np.uint8)
        own: list[tuple[PartialDate, PartialDate] | None] = []
        mentioned: list[tuple[PartialDate, PartialDate]] = []
        mention_of: list[int] = []
        for i, p in enumerate(passages):
            cols["article"][i] = index[p.source.article]
            cols["paragraph"][i] = p.source.paragraph
            cols["event"][i] = p.dated
            if p.date_source is not None:
                cols["source"][i] = _SOURCES.index(p.date_source)
            if p.heading is not None:
                cols["heading"][i] = headings.setdefault(p.heading, len(headings))
            start, end = p.start(), p.end()
            own.append((start, end) if start is not None and end is not None else None)
            cols["span"][i] = p.date_end is not None
            days = mentioned_days(p)
            mentioned.extend(days)
            mention_of.extend([i] * len(days))
        cols.update(_calendar_columns(own))
        cols.update({f"mention_{k}": v for k, v in _calendar_columns(mentioned).items()})
        cols["mention_of"] = np.array(mention_of, dtype=np.int32)
        return cls(articles, list(headings), cols, made=passages)

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
        return PassageTable(articles, headings, cols)

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

    @overload
    def __getitem__(self, i: int) -> Passage: ...
    @overload
    def __getitem__(self, i: slice) -> list[Passage]: ...
    def __getitem__(self, i: int | slice) -> Passage | list[Passage]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if self._made is not None:
            return self._made[i]
        return self._make(int(range(len(self))[i]))

    def __iter__(self) -> Iterator[Passage]:
        return (self[i] for i in range(len(self)))

    def _make(self, i: int) -> Passage:
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
            text=c["text_blob"][a:b].tobytes().decode("utf-8"),
            source=Citation.of(article, paragraph),
        )
