"""Which rows of a calendar meet a span: a binary search in day order, not a pass over all rows.

At a million passages a date question cannot afford to look at every row. Each calendar of the
table (the passages' own days, the dates their texts name) keeps its dated rows in two orders,
made once at build and stored with the columns:

* ``start_order``: the year-less rows by day, then the rows with a year by day;
* ``start_md_order``: every dated row by month and day, whatever its year.

The rows that start within a span are then one slice of an order, found by binary search. A
row that starts before the span meets it only if it lasts into it: the rows lasting more than a
day are listed apart on first use (few: most events are one day), and of those a row shorter
than ``WINDOW`` days can only start within ``WINDOW`` days of the span; the longer ones ("عام
2013") are fewer still. What is found is exactly what a pass over every
row with the same conditions finds (a test holds the two together).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Literal

import numpy as np

from khabar.index.calendar import day_number, span_days
from khabar.index.chunker import HISTORY_DAYS
from khabar.index.dates import DateSpan

if TYPE_CHECKING:
    from khabar.index.table import Calendar

# Rows narrower than this many days are found from the window before a span. A row short
# enough to answer a day is narrower counted by month and day too (a February may gain a day).
WINDOW = HISTORY_DAYS + 1
_EVER = 2**62  # a day after every day


def day_orders(columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The two orders of a calendar's columns (``start``, ``start_md``, ``has_year``), every
    dated row once, ties in row order."""
    dated = np.flatnonzero(columns["start"] >= 0)
    by_year = np.lexsort((columns["start"][dated], columns["has_year"][dated]))
    by_md = np.argsort(columns["start_md"][dated], kind="stable")
    return {"start_order": dated[by_year], "start_md_order": dated[by_md]}


def distinct(rows: np.ndarray) -> np.ndarray:
    """Each row once, ascending (``np.unique`` without its overhead)."""
    ordered = np.sort(rows)
    if ordered.size < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _search(
    rows: np.ndarray, keys: np.ndarray, key: int, side: Literal["left", "right"] = "left"
) -> int:
    """``np.searchsorted(keys[rows], key, side)`` without making ``keys[rows]``."""
    find = bisect.bisect_left if side == "left" else bisect.bisect_right
    return find(rows, key, key=keys.__getitem__)


class DayOrder:
    """Rows in order of their first day (``first[rows]`` ascending); ``last`` their last."""

    def __init__(self, rows: np.ndarray, first: np.ndarray, last: np.ndarray) -> None:
        self.rows, self.first, self.last = rows, first, last
        self._spans: tuple[np.ndarray, np.ndarray] | None = None

    def spans(self) -> tuple[np.ndarray, np.ndarray]:
        """The rows lasting more than a day, and of those the ones lasting WINDOW days or more,
        still in order: one pass, on first use (most rows are one day)."""
        if self._spans is None:
            rows = self.rows
            days = self.last[rows] - self.first[rows]
            spans = rows[days > 0]
            self._spans = spans, spans[(self.last[spans] - self.first[spans]) >= WINDOW]
        return self._spans

    def at(self, day: int, side: Literal["left", "right"] = "left") -> int:
        """Where ``day`` falls among the rows' first days: a binary search through the order
        (``np.searchsorted`` takes an order only when it covers the whole array)."""
        return _search(self.rows, self.first, day, side)

    def meeting(self, lo: int, hi: int) -> np.ndarray:
        """The rows with ``first <= hi`` and ``last >= lo``.

        Those starting within lo..hi all do, a slice of the order; those starting before it
        are the spans that last into it: a narrow one starts within WINDOW days of ``lo``.
        """
        inside = self.rows[self.at(lo) : self.at(hi, "right")]
        spans, wide = self.spans()
        first = self.first
        near = spans[_search(spans, first, lo - WINDOW + 1) : _search(spans, first, lo)]
        far = wide[: _search(wide, first, lo - WINDOW + 1)]
        before = np.concatenate([near, far])
        return np.concatenate([inside, before[self.last[before] >= lo]])

    def last_before(self, day: int, wanted: Callable[[np.ndarray], np.ndarray]) -> int | None:
        """The latest first day before ``day`` of a row ``wanted`` keeps, if any."""
        end, step = self.at(day), 64
        while end > 0:
            chunk = self.rows[max(0, end - step) : end]
            kept = chunk[wanted(chunk)]
            if kept.size:
                return int(self.first[kept[-1]])
            end, step = end - step, step * 2
        return None

    def first_after(self, day: int, wanted: Callable[[np.ndarray], np.ndarray]) -> int | None:
        """The earliest first day after ``day`` of a row ``wanted`` keeps, if any."""
        begin, step = self.at(day, "right"), 64
        while begin < self.rows.size:
            chunk = self.rows[begin : begin + step]
            kept = chunk[wanted(chunk)]
            if kept.size:
                return int(self.first[kept[0]])
            begin, step = begin + step, step * 2
        return None

    def starting(self, day: int) -> np.ndarray:
        """The rows whose first day is ``day``."""
        return self.rows[self.at(day) : self.at(day, "right")]


class DayIndex:
    """A calendar's rows found by the days they cover."""

    def __init__(self, calendar: Calendar) -> None:
        c = calendar
        split = _search(c.start_order, c.has_year, 1)
        # A year-less row's day is its month and day: the first part is in both orders.
        self.yearless = DayOrder(c.start_order[:split], c.start_md, c.end_md)
        self.dated = DayOrder(c.start_order[split:], c.start, c.end)
        self.month_day = DayOrder(c.start_md_order, c.start_md, c.end_md)
        self._start, self._end = c.start, c.end
        self._long_rows: tuple[np.ndarray | None] | None = None

    def meeting(self, span: DateSpan) -> np.ndarray:
        """The rows whose days meet the span, each once (a year narrows, none widens).

        A span longer than a month (a year, "صيف 2012") never answers a question about a day or
        a part of a month: it only says something happened somewhere in it.
        """
        start, end = span.start, span.end
        lo_md = day_number(start._replace(year=None))
        hi_md = day_number(end._replace(year=None))
        if start.year is not None and end.year is not None:
            found = [self.dated.meeting(day_number(start), day_number(end))]
            if start.year != end.year:
                found.append(self.yearless.rows)
            else:
                found.append(self.yearless.meeting(lo_md, hi_md))
        elif hi_md < lo_md:  # "28 ديسمبر – 3 يناير" without a year: either end's side
            month_day = self.month_day
            late = month_day.meeting(lo_md, _EVER)
            found = [
                month_day.rows[: month_day.at(hi_md, "right")],
                late[month_day.first[late] > hi_md],
            ]
        else:
            found = [self.month_day.meeting(lo_md, hi_md)]
        rows = np.concatenate(found)
        if span_days(start, end) <= HISTORY_DAYS:
            long = self._long()
            if long is not None:
                rows = rows[~long[rows]]
        return rows

    def _long(self) -> np.ndarray | None:
        """Mask of the rows lasting HISTORY_DAYS or more, None if there are none (on first use:
        one pass)."""
        if self._long_rows is None:
            long = (self._end - self._start) >= HISTORY_DAYS
            self._long_rows = (long if long.any() else None,)
        return self._long_rows[0]


def union(parts: Iterable[np.ndarray]) -> np.ndarray:
    """Rows found by several spans, each once."""
    found = list(parts)
    return found[0] if len(found) == 1 else distinct(np.concatenate(found))


def first_by(keys: list[np.ndarray], count: int) -> np.ndarray:
    """Positions of the first ``count`` items in the order ``np.lexsort(keys[::-1])`` gives
    (``keys[0]`` first; the last key must tell every item apart), in that order.

    A page of a date's answer is a hundred of perhaps a million: the first ``count`` by the
    leading key are found by partition, and only the items tied with the last of them at that
    key go on to the next key.
    """
    size = keys[0].size
    if count >= size:
        return np.lexsort(keys[::-1])
    if count <= 0:
        return np.zeros(0, np.int64)
    lead = keys[0]
    bound = np.partition(lead, count - 1)[count - 1]
    below = np.flatnonzero(lead < bound)
    tied = np.flatnonzero(lead == bound)
    head = below[np.lexsort([key[below] for key in keys[:0:-1]] + [lead[below]])]
    if len(keys) == 1:
        return np.concatenate([head, tied[: count - below.size]])
    rest = first_by([key[tied] for key in keys[1:]], count - below.size)
    return np.concatenate([head, tied[rest]])
