"""The date grammar: what day (or days) a question, or a passage's opening, talks about.

Everything is matched on :func:`index.normalize.normalize` output, so digits are already Western,
hamza seats and ة/ى are folded, and offsets point into ``normalize(text)``. One compiled regex
(built from the month lexicon in :mod:`index.months`) finds the phrases; small handlers turn each
into days; a second pass joins two dates around "إلى/حتى/-" (or "و" after "بين") into a range.

Recognized (each with or without a year, "يوم/في/بتاريخ" before it, and glued و/ب/ل/الـ):

* day + month: "6 ديسمبر", "15 نوفمبر/ تشرين الثاني 2016", "15 من شهر نوفمبر", any family's
  names (Egyptian, Levantine, Maghrebi, Moroccan) and the double form "نوفمبر (تشرين الثاني)";
* an ordinal day + "من" + month: "الخامس من يونيو", "الحادي والعشرين من مارس 2011"; the
  Maghreb's "فاتح" and everyone's "أول" + month, its first day ("فاتح يوليوز", "أول ديسمبر");
* numeric, day first: "6/12", "6/12/2016", "6-12-16", "06.12.2016"; ISO, year first:
  "2016-12-06", "2016/12/06". Two-part dates need the slash ("2-1" is a score, "6.12" a
  decimal). Two-digit years pivot like strptime's ``%y``: 00–68 → 20xx, 69–99 → 19xx;
* Hijri: "7 ربيع الأول 1438", "15 صفر 1438 هـ", "7/3/1438هـ", converted with hijridate (Umm
  al-Qura) to Gregorian days (``hijri=True``). Without a year: the Hijri year of ``reference``,
  or the one before if that day would fall after ``reference``;
* ranges: "من 5 إلى 10 ديسمبر", "بين 5 و10 ديسمبر", "5-10 ديسمبر", "من 28 نوفمبر حتى 3 ديسمبر";
  "5 و10 ديسمبر" without "بين" is two days. A year written once applies to both ends;
* approximate spans (``approximate=True``), by the word before the month:

  ================================================  ==================
  مطلع، مستهل، بداية، بدايات، أوائل                  days 1–10
  منتصف، أواسط، وسط                                  days 11–20
  نهاية، نهايات، أواخر، آخر، ختام                    day 21–last
  النصف الأول / النصف الثاني                          days 1–15 / 16–last
  الأسبوع الأول … الرابع / الأخير من الشهر            days 1–7 … 22–28 / the last 7
  a bare month ("في ديسمبر"، "شهر رمضان"، "مارس 2011")  the whole month
  a bare year ("عام 2016"، "في 2016؟"، "1438 هـ")       the whole year
  a season and a year ("صيف 2012"، "شتاء 2014")         its three months (winter from December)
  ================================================  ==================

  A year-less February has 29 days (the engine matches year-less spans against any year).

Month names that are also everyday words need evidence. آب/أب (father), صفر (zero), رجب (a name)
are months only next to a day number or a year, after "شهر", or after an approximate word that
only ever means time (أواخر, not آخر); آب also after "في", "منذ", "خلال", "حتى" ("من أب مصري" is
a father). Names that are also verbs or names (مارس "he practised", نيسان, غشت, ماي, شباط a
surname, رمضان …, every Hijri month) stand alone only after a time word ("في مارس", "منذ
رمضان"). The other Gregorian names are months anywhere. Impossible dates
("31/02", "32 ديسمبر", "30 فبراير 2016", "99/99/9999") go to ``invalid``; nothing raises.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from hijridate import Gregorian, Hijri

from khabar.index.calendar import PartialDate, days_in_month, in_year
from khabar.index.months import GREGORIAN, gregorian_forms, hijri_forms
from khabar.index.normalize import normalize


@dataclass(frozen=True)
class DateSpan:
    """Days a phrase names, and where the phrase sits in ``normalize(text)``."""

    start: PartialDate
    end: PartialDate
    begin: int
    stop: int
    approximate: bool
    hijri: bool
    ahead: bool = False  # "15 مايو المقبل": a day to come, on or after the reference day
    # a year-less Hijri day's days in its next year, when ``start..end`` (its latest by the
    # reference day) is past: what "29 رمضان" is when told as to come
    coming: tuple[PartialDate, PartialDate] | None = None

    @property
    def single_day(self) -> bool:
        return self.start == self.end


@dataclass(frozen=True)
class DateQuery:
    """A question split into its dates, its impossible dates and the words left for ranking."""

    spans: tuple[DateSpan, ...]
    invalid: tuple[str, ...]
    rest: str


# ---- lexicon ---------------------------------------------------------------------------------

_WEAK_NAMES = ("آب", "صفر", "رجب")
_GUARDED_NAMES = ("مارس", "نيسان", "جوان", "غشت", "أغشت", "ماي", "شباط")  # + every Hijri name
# Words after which a guarded month or a bare year reads as time ("في مارس", "منذ 2011").
_TIME_WORDS = ("في", "وفي", "منذ", "خلال", "حتى", "من", "إلى", "بين", "قبل", "بعد", "وقبل", "وبعد")
# After these only is آب August: "من أب مصري" and "بين أب وابنه" are a father.
_FATHER_TIME_WORDS = ("في", "وفي", "منذ", "ومنذ", "خلال", "وخلال", "حتى", "وحتى")
WEEKDAYS: dict[str, int] = {  # normalized name → Python weekday (Monday is 0)
    normalize(name): day
    for day, names in enumerate(
        (
            ("الاثنين", "الإثنين"),
            ("الثلاثاء",),
            ("الأربعاء", "الاربعاء"),
            ("الخميس",),
            ("الجمعة",),
            ("السبت",),
            ("الأحد", "الاحد"),
        )
    )
    for name in names
}
# Words that only glue a date to the sentence; blanked from ``rest`` with the date.
_GLUE_WORDS = (
    *("يوم", "ويوم", "ليوم", "في", "وفي", "بتاريخ", "وبتاريخ", "تاريخ", "من", "ومن", "إلى"),
    *("والى", "حتى", "وحتى", "بين", "وبين", "ما", "و", "منذ", "خلال", "مساء", "صباح"),
    *WEEKDAYS,
)
_RANGE_LEADS = frozenset(normalize(word) for word in ("من", "ومن", "بين", "وبين"))
_BETWEEN = frozenset(normalize(word) for word in ("بين", "وبين"))
# Approximate words → (first day, last day or None for the month's end, means only time).
_APPROX: dict[str, tuple[int, int | None, bool]] = {
    **dict.fromkeys(("مطلع", "مستهل", "أوائل"), (1, 10, True)),
    **dict.fromkeys(("بداية", "بدايات"), (1, 10, False)),
    **dict.fromkeys(("منتصف", "أواسط"), (11, 20, True)),
    "وسط": (11, 20, False),
    **dict.fromkeys(("أواخر", "نهايات", "ختام"), (21, None, True)),
    **dict.fromkeys(("نهاية", "آخر"), (21, None, False)),
    "النصف الأول": (1, 15, True),
    "النصف الثاني": (16, None, True),
}
_HIJRI_MARKS = ("للهجرة", "هجرية", "هجري", "هـ")
# A decade by its tens ("الثمانينيات", "الثمانينات"), of the 20th century unless its century is
# named; the approximate words take its first, middle or last years.
_DECADES = {
    "عشرين": 20, "ثلاثين": 30, "أربعين": 40, "خمسين": 50,
    "ستين": 60, "سبعين": 70, "ثمانين": 80, "تسعين": 90,
}  # fmt: skip
_CENTURIES = {  # the century's first year; -100, 0: the reference day's century, or the one before
    "العشرين": 1900, "20": 1900, "الحادي والعشرين": 2000, "21": 2000,
    "التاسع عشر": 1800, "19": 1800, "الثامن عشر": 1700, "18": 1700,
    "الماضي": -100, "المنصرم": -100, "الحالي": 0, "الجاري": 0,
}  # fmt: skip
_DECADE_PARTS = {(1, 10): (0, 3), (11, 20): (4, 6), (21, None): (7, 9), (1, 15): (0, 4)}
_DECADE_PARTS[(16, None)] = (5, 9)
# A day written as an ordinal, before "من" and its month ("الخامس من يونيو").
_UNITS_ORDINAL = (
    "الحادي",
    "الثاني",
    "الثالث",
    "الرابع",
    "الخامس",
    "السادس",
    "السابع",
    "الثامن",
    "التاسع",
)
_ORDINAL_DAYS: dict[str, int] = {
    "الأول": 1,
    **{word: day for day, word in enumerate(_UNITS_ORDINAL[1:], start=2)},
    "العاشر": 10,
    **{f"{word} عشر": 10 + day for day, word in enumerate(_UNITS_ORDINAL, start=1)},
    "العشرين": 20,
    **{f"{word} والعشرين": 20 + day for day, word in enumerate(_UNITS_ORDINAL, start=1)},
    "الواحد والعشرين": 21,
    "الثلاثين": 30,
    "الحادي والثلاثين": 31,
    "الواحد والثلاثين": 31,
}
# A month's weeks: "الأسبوع الثاني من ديسمبر" is its 8th to 14th (None: to the month's end).
_WEEKS: dict[str, tuple[int, int | None]] = {
    "الأول": (1, 7),
    "الثاني": (8, 14),
    "الثالث": (15, 21),
    "الرابع": (22, 28),
    "الأخير": (-6, None),
}
# A part of a year, by its months: "مطلع 2016" is January, "منتصف عام 2019" June and July.
_YEAR_PARTS: dict[str, tuple[int, int]] = {
    **dict.fromkeys(("مطلع", "مستهل", "بداية", "بدايات", "أوائل"), (1, 1)),
    **dict.fromkeys(("منتصف", "أواسط"), (6, 7)),
    **dict.fromkeys(("نهاية", "نهايات", "أواخر", "ختام"), (12, 12)),
    "النصف الأول": (1, 6),
    "النصف الثاني": (7, 12),
}
# Seasons, meteorological: (first month, last month); winter Y runs from December of Y - 1.
_SEASONS: dict[str, tuple[int, int]] = {
    "ربيع": (3, 5),
    "صيف": (6, 8),
    "خريف": (9, 11),
    "شتاء": (12, 2),
}

_GREGORIAN_CAL, _HIJRI_CAL = "g", "h"
_STRONG, _GUARDED, _WEAK = 2, 1, 0


@cache
def _month_table() -> dict[str, tuple[str, int, int]]:
    """Normalized name → (calendar, month, how much evidence it needs)."""
    weak = {normalize(name) for name in _WEAK_NAMES}
    guarded = {normalize(name) for name in _GUARDED_NAMES}

    def tier(name: str, default: int) -> int:
        return _WEAK if name in weak else _GUARDED if name in guarded else default

    hijri = {name: (_HIJRI_CAL, m, tier(name, _GUARDED)) for name, m in hijri_forms().items()}
    return hijri | {
        name: (_GREGORIAN_CAL, m, tier(name, _STRONG)) for name, m in gregorian_forms().items()
    }


def _words(words: Iterable[str]) -> str:
    """Alternation of normalized phrases, longest first, any run of spaces between words."""
    forms = sorted({normalize(word) for word in words}, key=len, reverse=True)
    return "|".join(r"[^\S\n]+".join(map(re.escape, form.split())) for form in forms)


# ---- the grammar -----------------------------------------------------------------------------

_S = r"[^\S\n]"  # horizontal space: a date never runs across lines
# A number glued only to a proclitic (و10، ل15، الـ15), never to letters, digits or "1.5".
_EDGE = r"(?:(?<!\w)|(?<=(?<!\w)[وبل]))(?<![0-9][./:-])(?:ال)?(?=[0-9])"
_NUM_END = r"(?![0-9]|[./:-][0-9]|%)"


# A wire's double form written without a slash ("مارس آذار 2017", "في أكتوبر تشرين الأول"): a
# month's name, then its Levantine name, one month.
_LEVANTINE = ("كانون", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين")


def _paired() -> str:
    pairs = []
    for forms in GREGORIAN.values():
        levantine = [form for form in forms if form.split()[0] in _LEVANTINE]
        others = [form for form in forms if form not in levantine]
        pairs.append(rf"(?:{_words(others)}){_S}+(?:{_words(levantine)})(?!\w)")
    return "|".join(pairs)


def _num(name: str, digits: str = "{1,2}") -> str:
    return rf"(?P<{name}>[0-9]{digits})"


@cache
def _grammar() -> re.Pattern[str]:
    """The master pattern: one named alternative per phrase shape, tried in this order."""
    names = rf"(?:{_words(gregorian_forms())})(?!\w)"
    greg = rf"(?<!\w){names}"
    # a month may carry a glued "in" ("بشباط", "برمضان"): :meth:`_Parse.month` weighs it
    glued = r"(?:(?<!\w)|(?<=(?<!\w)ب)|(?<=(?<!\w)وب))"
    # and a glued "and" before its year ("بين تشرين الأول 2018 وأيار 2019"): "ومارس" alone is
    # also "and practised"
    and_year = rf"(?<=(?<!\w)و)(?={names}{_S}+(?:(?:ال)?(?:عام|سنه){_S}+)?[0-9]{{4}})"
    month = (
        rf"(?:(?:{glued}|{and_year})(?:{_paired()}"
        rf"|{names}(?:{_S}*/{_S}*{greg}|{_S}*\({_S}*{greg}{_S}*\))?)"
        rf"|{glued}(?:{_words(hijri_forms())})(?!\w))"
    )
    hmark = rf"(?:{_words(_HIJRI_MARKS)})(?!\w)"
    shahr = rf"(?:(?<!\w)(?:[وبل]|لل|ال|بال)?شهر{_S}+)"

    def year(p: str) -> str:
        return (
            rf"(?:{_S}+(?:(?:من{_S}+)?(?:ال|ل|لل)?(?:عام|سنه){_S}+)?{_num(p + '_y', '{4}')}"
            rf"(?![0-9])(?:{_S}*(?P<{p}_h>{hmark})|{_S}*م(?!\w))?)?"
        )

    iso = (
        rf"{_EDGE}{_num('iso_y', '{4}')}(?P<iso_sep>[-/.]){_num('iso_m')}(?P=iso_sep)"
        rf"{_num('iso_d')}{_NUM_END}(?:{_S}*(?P<iso_h>{hmark}))?"
    )
    dmy = (
        rf"{_EDGE}{_num('dmy_d')}(?P<dmy_sep>[-/.]){_num('dmy_m')}(?P=dmy_sep)"
        rf"(?P<dmy_y>[0-9]{{4}}|[0-9]{{2}}){_NUM_END}(?:{_S}*(?P<dmy_h>{hmark}))?"
    )
    conn = rf"-|–|—|و?(?:{_words(('إلى', 'حتى'))})(?!\w)(?:{_S}+غايه(?!\w))?|و"
    daymonth = (
        rf"{_EDGE}{_num('dt_d1')}(?![0-9]|[./:][0-9])"
        rf"(?:{_S}*(?P<dt_conn>{conn}){_S}*{_num('dt_d2')}(?![0-9]))?"
        rf"{_S}+(?:من{_S}+)?{shahr}?(?P<dt_month>{month}){year('dt')}"
    )
    daymonth_num = rf"{_EDGE}{_num('dm_d')}/{_num('dm_m')}{_NUM_END}"
    approx = (
        rf"(?<!\w)(?P<ap_word>{_words(_APPROX)}){_S}+(?:من{_S}+)?(?P<ap_shahr>{shahr})?"
        rf"(?P<ap_month>{month}){year('ap')}"
    )
    of_month = rf"{_S}+من{_S}+{shahr}?"
    week = (
        rf"(?<!\w)(?:[وف]?ال)?اسبوع{_S}+(?P<wk_word>{_words(_WEEKS)})"
        rf"{of_month}(?P<wk_month>{month}){year('wk')}"
    )
    ordinal = (
        rf"(?<!\w)(?:(?P<od_word>{_words(_ORDINAL_DAYS)}){of_month}|(?P<od_first>(?:ال)?فاتح|اول|غره){_S}+"
        rf"(?:من{_S}+)?(?P<od_shahr>{shahr})?)(?P<od_month>{month}){year('od')}"
    )
    bare_month = rf"(?P<mo_shahr>{shahr})?(?P<mo_month>{month}){year('mo')}"
    # Only with a year: "ربيع" alone is also the Hijri month's first word and a name.
    season = (
        rf"(?<!\w)(?:[وف]?(?:ال)?)(?P<se_word>{_words(_SEASONS)})(?:{_S}+عام)?"
        rf"{_S}+{_num('se_y', '{4}')}(?:{_S}*[-/]{_S}*{_num('se_y2', '{4}')})?(?![0-9])"
    )
    # Only with a year: "نهاية 2015", "في مطلع عام 2016", "النصف الأول من 2020".
    year_part = (
        rf"(?<!\w)(?P<yp_word>{_words(_YEAR_PARTS)}){_S}+(?:من{_S}+)?(?P<yp_ctx>(?:ال)?(?:عام|سنه){_S}+)?"
        rf"{_num('yp_y', '{4}')}(?![0-9]|[./:,-][0-9]|%)"
    )
    decade = (
        rf"(?<!\w)(?:(?P<dc_part>{_words(_APPROX)}){_S}+)?[وفب]?(?:ال)?"
        rf"(?P<dc_tens>{_words(_DECADES)})(?:يات|ات)(?!\w)(?!{_S}+من{_S}+(?:ال)?عمر)"
        rf"(?:{_S}+(?:من{_S}+)?(?:ال)?قرن{_S}+(?P<dc_century>{_words(_CENTURIES)})(?!\w))?"
    )
    # two years joined: a season or a school year ("1985-1986", "2019/2020")
    years = rf"{_EDGE}{_num('ys_y', '{4}')}{_S}*[-/–]{_S}*{_num('ys_y2', '{4}')}(?![0-9])"
    bare_year = (
        rf"(?:(?<!\w)(?P<yr_ctx>[وبل]?(?:ال)?(?:عامي|سنتي|عام|سنه)){_S}+)?"
        rf"{_EDGE}{_num('yr_y', '{4}')}"
        rf"(?![0-9]|[./:,-][0-9]|%)(?:{_S}*(?P<yr_h>{hmark})|{_S}*(?P<yr_g>م)(?!\w))?"
    )
    shapes = {
        "iso": iso,
        "dmy": dmy,
        "daymonth": daymonth,
        "daymonth_num": daymonth_num,
        "approx": approx,
        "week": week,
        "ordinal": ordinal,
        "season": season,
        "year_part": year_part,
        "decade": decade,
        "month": bare_month,
        "years": years,
        "year": bare_year,
    }
    return re.compile("|".join(rf"(?P<{kind}>{body})" for kind, body in shapes.items()))


@cache
def _glue_pattern() -> re.Pattern[str]:
    """Glue words (and a glued proclitic) right before a date, matched back from its start."""
    return re.compile(rf"(?:(?<!\w)(?:{_words(_GLUE_WORDS)}){_S}*)*(?:(?<!\w)[وبل])?$")


_PREVIOUS_WORD = re.compile(r"(?<!\w)(\w+)[^\S\n]*$")


# The second end may name its weekday: "من السبت 15 حزيران حتى الثلاثاء 18 حزيران".
_CONNECTOR = re.compile(
    rf"{_S}*(-|–|—|و?(?:{_words(('إلى', 'حتى'))})(?:{_S}+غايه)?|لغايه|و)"
    rf"(?:{_S}*(?:يوم{_S}+)?(?:{_words(WEEKDAYS)}))?{_S}*"
)
_NEXT_WORD = re.compile(r"[^\S\n]*(\w+)")
_LOOKBACK = 48


# ---- calendar arithmetic ---------------------------------------------------------------------


def _gregorian(year: int | None, month: int, day: int) -> PartialDate | None:
    if not 1 <= month <= 12 or (year is not None and not 1 <= year <= 9999):
        return None
    return PartialDate(year, month, day) if 1 <= day <= days_in_month(month, year) else None


def _hijri(year: int, month: int, day: int | None) -> dt.date | None:
    """Gregorian day of a Hijri one (``day=None``: the month's last day); None if impossible."""
    try:
        last = Hijri(year, month, 1).month_length()
        if day is not None and day > last:
            return None
        gregorian = Hijri(year, month, day or last).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return dt.date(gregorian.year, gregorian.month, gregorian.day)


@dataclass(frozen=True)
class _Atom:
    """One date phrase before ranges are joined; ``start is None`` marks an impossible date."""

    begin: int
    stop: int
    start: PartialDate | None = None
    end: PartialDate | None = None
    approximate: bool = False
    hijri: bool = False


class _Parse:
    """State of one :func:`parse_dates` call: the text, the reference day, what was found."""

    def __init__(self, norm: str, reference: dt.date | None) -> None:
        self.norm = norm
        self._reference = reference  # None: year-less Hijri phrases have no days
        self._glue: dict[int, int] = {}
        # a year-less Hijri span's days (as chosen, the latest begun by the reference day) →
        # its days on or after the reference day
        self.coming: dict[tuple[PartialDate, PartialDate], tuple[PartialDate, PartialDate]] = {}

    # -- context ----------------------------------------------------------------------------

    def glue_start(self, begin: int) -> int:
        """Start of the glue words ("في يوم الثلاثاء"، "بين"، a glued و) right before ``begin``."""
        if begin not in self._glue:
            match = _glue_pattern().search(self.norm, max(0, begin - _LOOKBACK), begin)
            self._glue[begin] = match.start() if match else begin
        return self._glue[begin]

    def previous_word(self, begin: int) -> str:
        match = _PREVIOUS_WORD.search(self.norm, max(0, begin - _LOOKBACK), begin)
        return match[1] if match else ""

    def in_counted_year(self, atom: _Atom) -> _Atom:
        """A year-less date in the year the text counts from the reference day's: "12 ديسمبر
        الجاري", "مارس من العام الماضي", "رمضان من العام الماضي" (the month that began in it)."""
        reference, start, end = self._reference, atom.start, atom.end
        if reference is None or start is None or end is None:
            return atom
        counted = _COUNTED_YEAR.match(self.norm, atom.stop)
        current = _CURRENT.match(self.norm, atom.stop)
        if counted is None and current is None:
            return atom
        step = STEPS.get(counted["when"], 0) if counted else 0
        stop = counted.end() if counted else atom.stop
        target = reference.year + step
        if start.year is None and end.year is None:
            late = (end.month, end.day) < (start.month, start.day)
            return replace(
                atom, stop=stop, start=in_year(start, target), end=in_year(end, target + late)
            )
        if not atom.hijri or counted is None or start.year is None or end.year is None:
            return atom
        if YEAR_DIGITS.search(self.norm, atom.begin, atom.stop):  # "رمضان 1445" has its own
            return atom
        try:  # a Hijri month or day: the one that began in the counted Gregorian year
            first = Gregorian(start.year, start.month, start.day).to_hijri()
            last = Gregorian(end.year, end.month, end.day).to_hijri()
        except (ValueError, OverflowError):
            return atom
        if (first.year, first.month) != (last.year, last.month):
            return atom
        ends_month = last.day == Hijri(last.year, last.month, 1).month_length()
        for year in range(first.year - 2, first.year + 3):
            days = self.hijri_days(year, first.month, first.day, None if ends_month else last.day)
            if days is not None and days[0].year == target:
                return replace(atom, stop=stop, start=days[0], end=days[1])
        return atom

    def range_lead(self, begin: int) -> tuple[int, str]:
        """Position and word of "من"/"بين" right before a date that opens a range."""
        start = self.glue_start(begin)
        words = list(re.finditer(r"\w+", self.norm[start:begin]))
        if len(words) > 1 and words[-1][0] in WEEKDAYS:  # "بين السبت 15 حزيران و…"
            words.pop()
        if words and words[-1][0] in _RANGE_LEADS:
            return start + words[-1].start(), words[-1][0]
        return begin, ""

    def ends_phrase(self, stop: int) -> bool:
        """Whether a number ends its phrase: punctuation, the end, or a connector follows."""
        word = _NEXT_WORD.match(self.norm, stop)
        return word is None or word[1] in _glue_words() or word[1].startswith("و")

    # -- days -------------------------------------------------------------------------------

    def hijri_days(
        self, year: int | None, month: int, first: int, last: int | None
    ) -> tuple[PartialDate, PartialDate] | None:
        """Gregorian days of a Hijri span; year-less: the latest year not after ``reference``."""
        reference = self._reference
        if year is not None:
            candidates = [year]
        elif reference is None:
            return None
        else:
            try:
                current = Gregorian.fromdate(reference).to_hijri().year
            except (ValueError, OverflowError):
                return None
            candidates = [current, current - 1]
        found: list[tuple[dt.date, dt.date]] = []
        for candidate in candidates:
            start, end = _hijri(candidate, month, first), _hijri(candidate, month, last)
            if start is not None and end is not None:
                found.append((start, end))
        if reference is not None and year is None:  # prefer one begun by the reference day
            found.sort(key=lambda days: days[0] > reference)
        if not found:
            return None
        chosen = PartialDate.of(found[0][0]), PartialDate.of(found[0][1])
        if reference is not None and year is None and found[0][1] < reference:  # all past
            start, end = (
                _hijri(candidates[0] + 1, month, first),
                _hijri(candidates[0] + 1, month, last),
            )
            if start is not None and end is not None:
                found.append((start, end))
            ahead = sorted(days for days in found if days[0] >= reference)
            if ahead:
                self.coming[chosen] = PartialDate.of(ahead[0][0]), PartialDate.of(ahead[0][1])
        return chosen

    def days(
        self, cal: str, year: int | None, month: int, first: int, last: int | None
    ) -> tuple[PartialDate, PartialDate] | None:
        """First and last day of days ``first..last`` of a month (``last=None``: its end)."""
        if cal == _HIJRI_CAL:
            return self.hijri_days(year, month, first, last)
        start = _gregorian(year, month, first)
        if start is None:
            return None
        end = _gregorian(year, month, days_in_month(month, year) if last is None else last)
        return (start, end) if end is not None else None

    def atom(
        self,
        match: re.Match[str],
        days: tuple[PartialDate, PartialDate] | None,
        *,
        approximate: bool = False,
        hijri: bool = False,
        begin: int | None = None,
    ) -> _Atom:
        begin = match.start() if begin is None else begin
        if days is None:
            return _Atom(begin, match.end())
        return _Atom(begin, match.end(), days[0], days[1], approximate, hijri)

    # -- shapes -----------------------------------------------------------------------------

    def iso(self, m: re.Match[str]) -> list[_Atom]:
        return [self._numeric(m, int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"]), m["iso_h"])]

    def dmy(self, m: re.Match[str]) -> list[_Atom]:
        year = int(m["dmy_y"])
        if len(m["dmy_y"]) == 2:
            year += 1400 if m["dmy_h"] else 2000 if year < 69 else 1900
        return [self._numeric(m, year, int(m["dmy_m"]), int(m["dmy_d"]), m["dmy_h"])]

    def _numeric(
        self, m: re.Match[str], year: int, month: int, day: int, mark: str | None
    ) -> _Atom:
        if mark:
            return self.atom(m, self.hijri_days(year, month, day, day), hijri=True)
        return self.atom(m, self.days(_GREGORIAN_CAL, year, month, day, day))

    def daymonth_num(self, m: re.Match[str]) -> list[_Atom]:
        month, day = int(m["dm_m"]), int(m["dm_d"])
        if not 1 <= month <= 12:  # "3/45": a fraction or a score, not a date
            return []
        return [self.atom(m, self.days(_GREGORIAN_CAL, None, month, day, day))]

    def daymonth(self, m: re.Match[str]) -> list[_Atom]:
        cal, month, _ = _month_of(m["dt_month"])
        year, hijri = _year_of(m["dt_y"]), cal == _HIJRI_CAL
        first = int(m["dt_d1"])
        if m["dt_d2"] is None:
            return [self.atom(m, self.days(cal, year, month, first, first), hijri=hijri)]
        second = int(m["dt_d2"])
        lead, word = self.range_lead(m.start())
        if m["dt_conn"] != "و" or word in _BETWEEN:
            low, high = sorted((first, second))
            return [self.atom(m, self.days(cal, year, month, low, high), hijri=hijri, begin=lead)]
        # "5 و10 ديسمبر" is two days; the first phrase is its number alone.
        one, two = (self.days(cal, year, month, day, day) for day in (first, second))
        first_end, second_start = m.end("dt_d1"), m.start("dt_d2")
        return [self._day_atom(m.start(), first_end, one, hijri),
                self._day_atom(second_start, m.end(), two, hijri)]  # fmt: skip

    @staticmethod
    def _day_atom(
        begin: int, stop: int, days: tuple[PartialDate, PartialDate] | None, hijri: bool
    ) -> _Atom:
        if days is None:
            return _Atom(begin, stop)
        return _Atom(begin, stop, days[0], days[1], approximate=False, hijri=hijri)

    def approx(self, m: re.Match[str]) -> list[_Atom]:
        cal, month, tier = _month_of(m["ap_month"])
        first, last, distinctive = _approx_of(m["ap_word"])
        year = _year_of(m["ap_y"])
        if tier == _WEAK and not (distinctive or m["ap_shahr"] or _plausible(cal, year)):
            return []
        days = self.days(cal, year, month, first, last)
        return [self.atom(m, days, approximate=True, hijri=cal == _HIJRI_CAL)]

    def ordinal(self, m: re.Match[str]) -> list[_Atom]:
        cal, month, tier = _month_of(m["od_month"])
        day = 1 if m["od_first"] else ordinal_days()[" ".join(m["od_word"].split())]
        year = _year_of(m["od_y"])
        evidence = m["od_shahr"] or _plausible(cal, year)
        if m["od_first"] == "اول" and tier == _WEAK and not evidence:
            return []  # "أول أب": a first father
        days = self.days(cal, year, month, day, day)
        return [self.atom(m, days, hijri=cal == _HIJRI_CAL)]

    def week(self, m: re.Match[str]) -> list[_Atom]:
        cal, month, _ = _month_of(m["wk_month"])
        year = _year_of(m["wk_y"])
        first, last = _week_table()[" ".join(m["wk_word"].split())]
        if first < 0:  # the last week: its month's last seven days
            whole = self.days(cal, year, month, 1, None)
            if whole is None:
                return [self.atom(m, None)]
            first = whole[1].day + first
        days = self.days(cal, year, month, first, last)
        return [self.atom(m, days, approximate=True, hijri=cal == _HIJRI_CAL)]

    def season(self, m: re.Match[str]) -> list[_Atom]:
        first, last = _season_table()[m["se_word"]]
        year = int(m["se_y"])
        if m["se_y2"] and first > last and int(m["se_y2"]) == year + 1:
            year += 1  # "شتاء 1998-1999": the winter that ends in 1999
        start = _gregorian(year - 1 if first > last else year, first, 1)
        end = _gregorian(year, last, days_in_month(last, year))
        return [self.atom(m, (start, end) if start and end else None, approximate=True)]

    def year_part(self, m: re.Match[str]) -> list[_Atom]:
        first, last = _year_part_table()[" ".join(m["yp_word"].split())]
        year = int(m["yp_y"])
        if not m["yp_ctx"] and not 1800 <= year <= 2100:
            return []  # "نهاية 1500 مقاتل" is a count
        start = _gregorian(year, first, 1)
        end = _gregorian(year, last, days_in_month(last, year))
        return [self.atom(m, (start, end) if start and end else None, approximate=True)]

    def decade(self, m: re.Match[str]) -> list[_Atom]:
        century = _century_table().get(" ".join((m["dc_century"] or "").split()), 1900)
        if century <= 0:  # "القرن الماضي", "القرن الحالي": from the reference day's century
            century += (self._reference or dt.date.today()).year // 100 * 100
        first = century + _decade_table()[m["dc_tens"]]
        low, high = 0, 9
        if m["dc_part"]:
            days = _approx_table()[" ".join(m["dc_part"].split())][:2]
            low, high = _DECADE_PARTS[days]
        start, end = _gregorian(first + low, 1, 1), _gregorian(first + high, 12, 31)
        return [self.atom(m, (start, end) if start and end else None, approximate=True)]

    def month(self, m: re.Match[str]) -> list[_Atom]:
        cal, month, tier = _month_of(m["mo_month"])
        year = _year_of(m["mo_y"])
        glued = self.norm[m.start() - 1 : m.start()].isalpha()  # "بشباط": "in" February
        if glued and tier == _WEAK:
            return []  # "بصفر" is "with zero"
        evidence = bool(m["mo_shahr"]) or glued or _plausible(cal, year)
        if tier == _WEAK and not evidence:
            father = " ".join(m["mo_month"].split()) == _AUGUST
            if not father or self.previous_word(m.start()) not in _father_time_words():
                return []
        if tier == _GUARDED and not evidence and self.previous_word(m.start()) not in _time_words():
            return []
        days = self.days(cal, year, month, 1, None)
        return [self.atom(m, days, approximate=True, hijri=cal == _HIJRI_CAL)]

    def years(self, m: re.Match[str]) -> list[_Atom]:
        """A season or school year written as two years ("1985-1986"): both, if the second
        follows the first within ``YEARS_APART`` (not "2000-3000 شخص", a count)."""
        first, second = int(m["ys_y"]), int(m["ys_y2"])
        if not first < second <= first + YEARS_APART:
            return []
        start, end = _gregorian(first, 1, 1), _gregorian(second, 12, 31)
        return [self.atom(m, (start, end) if start and end else None, approximate=True)]

    def year(self, m: re.Match[str]) -> list[_Atom]:
        year = int(m["yr_y"])
        if _NUMBERED.search(self.norm, max(0, m.start() - _LOOKBACK), m.start()):
            return []  # "القانون رقم 146 لسنة 1988": a law's name
        if m["yr_h"]:
            start, end = self.hijri_days(year, 1, 1, 1), self.hijri_days(year, 12, 1, None)
            days = (start[0], end[1]) if start and end else None
            return [self.atom(m, days, approximate=True, hijri=True)]
        # "1977 م" twinned with a Hijri date, after "الموافق" or in brackets: "2000 م" alone
        # may be metres
        twinned = m["yr_g"] and (
            self.previous_word(m.start()) in ("الموافق", "الموافقه")
            or self.norm[max(0, m.start() - _LOOKBACK) : m.start()].rstrip().endswith("(")
        )
        if not m["yr_ctx"] and not twinned:  # "في 2016؟" is a year, "في 2000 منزل" a count
            # "بين 2017 و2018": the second is a year whatever follows it
            second = _SECOND_YEAR.search(self.norm, max(0, m.start() - _LOOKBACK), m.start())
            licensed = (
                second is not None
                or (  # "بين عامي 1184 و1185": any year
                    1900 <= year <= 2099
                    and (
                        self.previous_word(m.start()) in _time_words()
                        or not _ALONE.sub("", self.norm[: m.start()] + self.norm[m.end() :])
                    )  # "في 2016؟" is a year, "في 2000 منزل" a count
                )
            )
            if not licensed or (second is None and not self.ends_phrase(m.end())):
                return []
        first, last = _gregorian(year, 1, 1), _gregorian(year, 12, 31)
        whole = (first, last) if first is not None and last is not None else None
        return [self.atom(m, whole, approximate=True)]

    # -- ranges -----------------------------------------------------------------------------

    def join(self, atoms: list[_Atom]) -> list[_Atom]:
        """Join "A إلى B", "A حتى B", "A-B", "بين A وB" into one span from A's start to B's end."""
        joined: list[_Atom] = []
        index = 0
        while index < len(atoms):
            one = atoms[index]
            two = atoms[index + 1] if index + 1 < len(atoms) else None
            merged = self._merge(one, two) if two is not None else None
            joined.append(merged or one)
            index += 2 if merged else 1
        return joined

    def _merge(self, one: _Atom, two: _Atom) -> _Atom | None:
        if one.start is None or two.end is None or one.stop > two.begin:
            return None
        connector = _CONNECTOR.fullmatch(self.norm, one.stop, two.begin)
        if connector is None:
            return None
        lead, word = self.range_lead(one.begin)
        if connector[1] == "و" and word not in _BETWEEN:
            return None
        start, end = _share_year(one.start, two.end)
        if start is None or end is None:
            return _Atom(lead, two.stop)
        dated = end.year is not None and start.year is not None
        if end.key() < start.key() and (dated or end.month == start.month):
            start, end = end, start  # written backwards; a year-less "28 ديسمبر – 3 يناير" wraps
        approximate, hijri = one.approximate or two.approximate, one.hijri or two.hijri
        return _Atom(lead, two.stop, start, end, approximate, hijri)


_SHAPES: dict[str, Callable[[_Parse, re.Match[str]], list[_Atom]]] = {
    "iso": _Parse.iso,
    "dmy": _Parse.dmy,
    "daymonth": _Parse.daymonth,
    "daymonth_num": _Parse.daymonth_num,
    "approx": _Parse.approx,
    "week": _Parse.week,
    "ordinal": _Parse.ordinal,
    "season": _Parse.season,
    "year_part": _Parse.year_part,
    "decade": _Parse.decade,
    "month": _Parse.month,
    "years": _Parse.years,
    "year": _Parse.year,
}


@cache
def _glue_words() -> frozenset[str]:
    return frozenset(normalize(word) for word in _GLUE_WORDS)


@cache
def _year_part_table() -> dict[str, tuple[int, int]]:
    return {normalize(word): months for word, months in _YEAR_PARTS.items()}


@cache
def _decade_table() -> dict[str, int]:
    return {normalize(word): tens for word, tens in _DECADES.items()}


@cache
def _century_table() -> dict[str, int]:
    return {normalize(word): year for word, year in _CENTURIES.items()}


@cache
def ordinal_days() -> dict[str, int]:
    """A day written as an ordinal ("الخامس", "الحادي والعشرين"), normalized: its number."""
    return {normalize(word): day for word, day in _ORDINAL_DAYS.items()}


@cache
def _week_table() -> dict[str, tuple[int, int | None]]:
    return {normalize(word): days for word, days in _WEEKS.items()}


@cache
def _season_table() -> dict[str, tuple[int, int]]:
    return {normalize(word): months for word, months in _SEASONS.items()}


_AUGUST = normalize("آب")


@cache
def _father_time_words() -> frozenset[str]:
    return frozenset(normalize(word) for word in _FATHER_TIME_WORDS)


@cache
def _time_words() -> frozenset[str]:
    return frozenset(normalize(word) for word in _TIME_WORDS)


@cache
def _month_names() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_words(_month_table())})(?!\w)")


@lru_cache(maxsize=1024)
def _month_of(text: str) -> tuple[str, int, int]:
    """Calendar, number and evidence tier of a month phrase ("نوفمبر/ تشرين الثاني": one month).

    A double form names one month; if its two names disagree, the first wins.
    """
    table = _month_table()
    names = [table[" ".join(name.split())] for name in _month_names().findall(text)]
    cal, month, _ = names[0]
    return cal, month, max(tier for _, _, tier in names)


def _approx_of(word: str) -> tuple[int, int | None, bool]:
    return _approx_table()[" ".join(word.split())]


@cache
def _approx_table() -> dict[str, tuple[int, int | None, bool]]:
    return {normalize(word): value for word, value in _APPROX.items()}


@cache
def approximate_parts() -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
    """Each approximate word (normalized) that names a part of a month and of a year: its days
    and its months ("مطلع": days 1–10, January), for periods written in words ("مطلع العام
    الجاري")."""
    months = _year_part_table()
    return {
        word: ((first, last or 31), months[word])
        for word, (first, last, _) in _approx_table().items()
        if word in months
    }


# Places named after a day: "مدينة 6 أكتوبر", "جسر 14 تموز", "ميدان 9 أبريل".
_PLACES_NAMED = frozenset(
    normalize(word)
    for word in (
        *("مدينة", "جسر", "كوبري", "شارع", "ميدان", "ساحة", "حي", "محور", "نفق", "طريق"),
        *("جامعة", "مدرسة", "مستشفى", "ملعب", "مطار", "قرية", "منطقة"),
    )
)


def _names_a_place(word: str) -> bool:
    """Whether the word before a date makes it a place's name, as a noun in construct ("مدينة
    6 أكتوبر", with a glued preposition "بمدينة"; not "المدينة")."""
    for glue in ("", "و", "ب", "ل", "ف", "وب"):
        if word.startswith(glue) and word[len(glue) :] in _PLACES_NAMED:
            return True
    return False


def _year_of(text: str | None) -> int | None:
    return int(text) if text else None


def _plausible(cal: str, year: int | None) -> bool:
    """Whether a year makes a word a month ("ماي 2016" yes, "صفر 2016" no)."""
    if year is None:
        return False
    return 1300 <= year <= 1600 if cal == _HIJRI_CAL else 1900 <= year <= 2199


def _share_year(
    start: PartialDate, end: PartialDate
) -> tuple[PartialDate | None, PartialDate | None]:
    """A year written at one end of a range dates both ("من 28 نوفمبر إلى 3 ديسمبر 2016")."""
    if start.year is None and end.year is not None:
        year = end.year - 1 if (start.month, start.day) > (end.month, end.day) else end.year
        return _gregorian(year, start.month, start.day), end
    if end.year is None and start.year is not None:
        year = start.year + 1 if (end.month, end.day) < (start.month, start.day) else start.year
        return start, _gregorian(year, end.month, end.day)
    return start, end


def parse_dates(text: str, reference: dt.date | None = None, *, today: bool = True) -> DateQuery:
    """Find every date phrase in ``text`` (a question, or a whole passage for the chunker).

    ``reference`` dates year-less Hijri phrases (the article's publication day); without one,
    a question's fall in today's Hijri year (``today``), and an article's have no days: a
    Hijri month moves through the seasons, so no year-less span can stand for it.
    """
    if reference is None and today:
        reference = dt.date.today()
    return _parse_once(normalize(text), reference)


@lru_cache(maxsize=4096)  # a paragraph's opening is read by several recognizers in turn
def _parse_once(norm: str, reference: dt.date | None) -> DateQuery:
    return _parse_normalized(norm, reference)


def _parse_normalized(norm: str, reference: dt.date | None) -> DateQuery:
    """:func:`parse_dates` of normalized text (``reference`` None: year-less Hijri phrases
    have no days)."""
    if not _may_hold_a_date(norm):  # most opening clauses: no number, no month word
        return DateQuery((), (), _blank(norm, []))
    parse = _Parse(norm, reference)
    atoms: list[_Atom] = []
    blanks: list[tuple[int, int]] = []
    for match in _grammar().finditer(norm):
        if norm[match.start() : match.start() + 1].isdigit() and _names_a_place(
            parse.previous_word(match.start())
        ):
            continue  # "مدينة 6 أكتوبر", "شارع 26 يوليو": a name, not a day
        found = _SHAPES[match.lastgroup or ""](parse, match)
        if found:
            atoms.extend(found)
            blanks.append((parse.glue_start(match.start()), match.end()))
    atoms = parse.join(atoms)
    spans: list[DateSpan] = []
    invalid: list[str] = []
    for atom in map(parse.in_counted_year, atoms):
        blanks.append((parse.glue_start(atom.begin), atom.stop))
        if atom.start is None or atom.end is None:
            invalid.append(norm[atom.begin : atom.stop])
            continue
        ahead = _AHEAD.match(norm, atom.stop) is not None
        coming = parse.coming.get((atom.start, atom.end)) if atom.hijri else None
        start, end = coming if coming is not None and ahead else (atom.start, atom.end)
        span = DateSpan(
            start, end, atom.begin, atom.stop, atom.approximate, atom.hijri, ahead,
            None if ahead else coming,
        )  # fmt: skip
        if spans and _twins(norm, spans[-1], span):
            first = spans[-1]
            if (first.start, first.end) != (span.start, span.end) and not span.hijri:
                # "1397 هـ (1977 م)": the Gregorian year the writer gives, over the phrase
                spans[-1] = replace(span, begin=first.begin)
            continue
        agreed = _agreed_twin(norm, spans[-1], span) if spans else None
        if agreed is not None:  # "التاسع من ذي الحجة، الموافق 15 حزيران": that year's
            start, end = agreed
            spans[-1] = replace(spans[-1], start=start, end=end, stop=span.stop, coming=None)
            continue
        spans.append(span)
    return DateQuery(tuple(spans), tuple(invalid), _blank(norm, blanks))


_ANCHOR_WORD = re.compile(r"\w+")
_WINDOW = 64  # characters around a number or month word that a date phrase can reach


@cache
def _anchor_words() -> frozenset[str]:
    """Words a date phrase holds even without a number: month names, seasons, decades."""
    decades = frozenset(
        glue + tens + ending
        for tens in _decade_table()
        for glue in ("", "و", "ف", "ب", "ال", "وال", "فال", "بال")
        for ending in ("يات", "ات")
    )
    return (
        frozenset(_month_table())
        | frozenset(w for name in _month_table() for w in name.split())
        | frozenset(_season_table())
        | decades
    )


_ANY_DIGIT = re.compile(r"[0-9]")


def _may_hold_a_date(norm: str) -> bool:
    """Whether the text holds a number or a word every date phrase without one holds (a month,
    a season, a decade): the grammar need not run over the rest."""
    if _ANY_DIGIT.search(norm):
        return True
    return any(_anchors(word) for word in _ANCHOR_WORD.findall(norm))


def _anchors(word: str) -> bool:
    """Whether the word is one a date phrase holds, a glued "in" on it or not ("بشباط")."""
    words = _anchor_words()
    return any(word.startswith(g) and word[len(g) :] in words for g in ("", "ب", "وب"))


def mentioned(
    text: str, reference: dt.date | None = None, normalized: bool = False
) -> list[DateSpan]:
    """The dates a whole passage names, parsed only around its numbers and month words.

    The grammar is one large pattern; run over every character of an archive it is most of an
    index build. Date phrases sit next to a number or a month name, so only windows around
    those are parsed (offsets in the spans are then meaningless: use the days). ``normalized``
    says the text is normalized already.
    """
    norm = text if normalized else normalize(text)
    anchors: list[int] = [m.start() for m in re.finditer(r"[0-9]+", norm)]
    anchors += [m.start() for m in _ANCHOR_WORD.finditer(norm) if _anchors(m.group())]
    if not anchors:
        return []
    windows: list[list[int]] = []
    for at in sorted(anchors):
        start, stop = max(0, at - _WINDOW), at + _WINDOW
        if windows and start <= windows[-1][1]:
            windows[-1][1] = stop
        else:
            windows.append([start, stop])
    spans: list[DateSpan] = []
    for start, stop in windows:
        # Widen to word edges so no word is cut in two.
        while start > 0 and norm[start - 1].isalnum():
            start -= 1
        while stop < len(norm) and norm[stop].isalnum():
            stop += 1
        spans.extend(_parse_normalized(norm[start:stop], reference).spans)
    return spans


YEARS_APART = 10  # "1985-1986", "2010-2015": a span of years; "2000-3000" is a count
# A number right before "لسنة"/"لعام": an act's number and year ("رقم 146 لسنة 1988").
_NUMBERED = re.compile(r"(?<!\w)رقم[^\S\n]+[0-9]+[^\S\n]+$")
_TWIN_GLUE = frozenset(("الموافق", "الموافقه", "م", "ه", "هـ"))
_AHEAD = re.compile(r"[^\S\n]+(?:المقبل|القادم)(?!\w)")
# The first year of "بين 2017 و2018", right before the second
_SECOND_YEAR = re.compile(
    r"(?<!\w)و?بين[^\S\n]+(?:(?:ال)?(?:عامي|سنتي|عام|سنه)[^\S\n]+)?[0-9]{4}[^\S\n]*و[^\S\n]*$"
)
_CURRENT = re.compile(r"[^\S\n]+(?:الجاري|الحالي)(?!\w)")
# What may stand beside a year asked alone: spaces and the question's punctuation.
_ALONE = re.compile(r"[\s؟?.!،,]+")
# "… من العام الماضي": the year counted from the reference day's that a year-less date is in
_COUNTED_YEAR = re.compile(
    r"[^\S\n]+(?:من|في)[^\S\n]+(?:العام|السنه)[^\S\n]+(?P<when>الماضي|المنصرم|الفايت|الفارط|السابق"
    r"|الجاري|الحالي|المقبل|القادم)ه?(?!\w)"
)
# How many months or years "الماضي", "المقبل" … count from the reference day's ("الجاري": none).
# "الفارط": Tunisia's and Algeria's "last"
STEPS = {
    **dict.fromkeys(("الماضي", "المنصرم", "الفايت", "الفارط", "السابق"), -1),
    **dict.fromkeys(("المقبل", "القادم"), 1),
}
# A year's digits in a phrase ("رمضان 1445" names its own year).
YEAR_DIGITS = re.compile(r"[0-9]{3,4}")


def _twins(norm: str, one: DateSpan, two: DateSpan) -> bool:
    """One date written twice in a row, in both calendars: "7 ديسمبر 2016 (8 ربيع الأول
    1438)", "15 رمضان 1445 هـ الموافق 25 مارس 2024 م"; a Hijri year and the Gregorian year
    given for it ("1397 هـ (1977 م)") overlap rather than match."""
    between = re.findall(r"\w+", norm[one.stop : two.begin])
    if any(word not in _TWIN_GLUE for word in between):
        return False
    if (one.start, one.end) == (two.start, two.end):
        return True
    if one.hijri == two.hijri or not (one.approximate and two.approximate):
        return False
    if None in (one.start.year, one.end.year, two.start.year, two.end.year):
        return False
    return one.start <= two.end and two.start <= one.end


def _agreed_twin(
    norm: str, hijri: DateSpan, gregorian: DateSpan
) -> tuple[PartialDate, PartialDate] | None:
    """The Hijri days a year-less Gregorian twin agrees with ("9 ذي الحجة الموافق 15 حزيران"):
    the Hijri phrase's own, or its next year's, whichever the writer's Gregorian day names."""
    between = re.findall(r"\w+", norm[hijri.stop : gregorian.begin])
    if any(word not in _TWIN_GLUE for word in between) or not hijri.hijri or gregorian.hijri:
        return None
    if gregorian.start.year is not None or gregorian.end.year is not None:
        return None
    wanted = (gregorian.start.month, gregorian.start.day, gregorian.end.month, gregorian.end.day)
    for days in ((hijri.start, hijri.end), hijri.coming):
        if days is not None and (days[0].month, days[0].day, days[1].month, days[1].day) == wanted:
            return days
    return None


def _blank(norm: str, ranges: list[tuple[int, int]]) -> str:
    """The text with the given ranges removed, spaces collapsed."""
    pieces: list[str] = []
    cursor = 0
    for begin, stop in sorted(ranges):
        if begin > cursor:
            pieces.append(norm[cursor:begin])
        cursor = max(cursor, stop)
        pieces.append(" ")
    pieces.append(norm[cursor:])
    return " ".join("".join(pieces).split())
