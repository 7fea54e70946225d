"""The one calendar: days whose year may be unknown, their ISO form, numbers and arithmetic.

News copy often gives a day without its year ("في 6 ديسمبر"); such a day stays year-less
(``--12-06``) until a reference day gives it one. Year-less days live in a leap year (2000), so
29 February is a day like any other and year-less spans compare by month and day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

ISO_DAY_PATTERN = r"^(\d{4}|-)-\d{2}-\d{2}$"
_ISO = re.compile(r"^(\d{4}|-)-(\d{2})-(\d{2})$")
YEARLESS = 2000  # a leap year: where year-less days are counted
_MONTH_LENGTHS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class PartialDate(NamedTuple):
    """A calendar day whose year may be unknown (the article says "في 6 ديسمبر")."""

    year: int | None
    month: int
    day: int

    def iso(self) -> str:
        """``2016-12-06``, or ``--12-06`` without a year (ISO 8601's year-less form)."""
        year = f"{self.year:04d}" if self.year is not None else "-"
        return f"{year}-{self.month:02d}-{self.day:02d}"

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        match = _ISO.match(text)
        if not match:
            raise ValueError(f"not an ISO day: {text!r}")
        year = None if match[1] == "-" else int(match[1])
        return cls(year, int(match[2]), int(match[3]))

    @classmethod
    def of(cls, day: dt.date) -> PartialDate:
        return cls(day.year, day.month, day.day)

    def to_date(self) -> dt.date | None:
        """The real day, or None when the year is unknown."""
        return dt.date(self.year, self.month, self.day) if self.year is not None else None

    def key(self) -> tuple[int, int, int]:
        """Sort key: year-less days sort by month and day, before dated years."""
        return (self.year or 0, self.month, self.day)


def valid_iso(text: str) -> bool:
    """Whether ``text`` is an ISO day that exists (a year-less 29 February does)."""
    try:
        day = PartialDate.from_iso(text)
        day_number(day)
    except ValueError:
        return False
    return True


def days_in_month(month: int, year: int | None) -> int:
    """Length of a Gregorian month; a year-less February has 29 days (it may be a leap year)."""
    if not 1 <= month <= 12:
        raise ValueError(f"no month {month}")
    if month == 2:
        return 29 if year is None or calendar.isleap(year) else 28
    return _MONTH_LENGTHS[month - 1]


def day_number(day: PartialDate) -> int:
    """A sortable day number; year-less days share one (leap) year."""
    return dt.date(day.year or YEARLESS, day.month, day.day).toordinal()


def iso_day(number: int, has_year: bool) -> str:
    """The ISO day of a day number (``--MM-DD`` when the year is unknown)."""
    day = dt.date.fromordinal(number)
    return PartialDate(day.year if has_year else None, day.month, day.day).iso()


def shift(day: PartialDate, days: int) -> PartialDate:
    """Calendar arithmetic that keeps a year-less day year-less."""
    moved = dt.date(day.year or YEARLESS, day.month, day.day) + dt.timedelta(days=days)
    return PartialDate(moved.year if day.year is not None else None, moved.month, moved.day)


def add_months(day: PartialDate, months: int) -> PartialDate:
    """The same day ``months`` later (its month's last where that is shorter), a year-less day
    staying year-less."""
    index = day.month - 1 + months
    year, month = (day.year or YEARLESS) + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return PartialDate(year if day.year is not None else None, month, min(day.day, last))


def span_days(start: PartialDate, end: PartialDate) -> int:
    """How many days a span covers (a year-less span over New Year wraps)."""
    days = day_number(end) - day_number(start) + 1
    if start.year is None or end.year is None:
        return days if days > 0 else days + 366
    return days


def in_year(day: PartialDate, year: int) -> PartialDate:
    """The day in that year: a year-less 29 February (the end of "فبراير") is the 28th in a
    common year."""
    if (day.month, day.day) == (2, 29) and not calendar.isleap(year):
        return PartialDate(year, 2, 28)
    return day._replace(year=year)


def resolve_year(
    day: PartialDate, reference: PartialDate | None, ahead: bool = False
) -> PartialDate:
    """Give a year-less day the year that puts it on or before the reference day (on or after
    it when ``ahead``: "20 يناير المقبل")."""
    if day.year is not None or reference is None or reference.year is None:
        return day
    if ahead:
        early = (day.month, day.day) < (reference.month, reference.day)
        return in_year(day, reference.year + 1 if early else reference.year)
    late = (day.month, day.day) > (reference.month, reference.day)
    return in_year(day, reference.year - 1 if late else reference.year)


def resolve_span(
    start: PartialDate,
    end: PartialDate,
    reference: PartialDate | dt.date | None,
    ahead: bool = False,
) -> tuple[PartialDate, PartialDate]:
    """A span's first and last day with years resolved against the reference day (a span to
    come, ``ahead``, from its first day on or after it)."""
    if isinstance(reference, dt.date):
        reference = PartialDate.of(reference)
    late_end = end  # the end as written: 29 February may be one next year
    if ahead:
        start = resolve_year(start, reference, ahead=True)
        return start, resolve_year(end, start, ahead=True)
    start, end = resolve_year(start, reference), resolve_year(end, reference)
    if end.key() < start.key() and end.year is not None:
        end = in_year(late_end, end.year + 1)  # "28 ديسمبر – 3 يناير"
    if (start.year is None) != (end.year is None):  # one end dated by the span's own year
        start, end = start._replace(year=None), end._replace(year=None)
    return start, end
