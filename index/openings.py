"""How a paragraph's opening dates it, the way news copy writes it.

The chunker reads each paragraph's opening clause (normalized, up to its first comma) through
these small recognizers and keeps the state they need (the reference day, the previous dated
paragraph). Each recognizer says *what* the opening claims; none of them knows the article:

* a **dateline** — ``CITY - DAY MONTH [YEAR] (AGENCY) -``, ``CITY (AGENCY) -``, the Gulf's
  ``CITY في DAY MONTH / AGENCY /`` and ``CITY DATE AGENCY`` — names the article's reference
  day and dates its own paragraph;
* an **explicit** date at the very start, after glue only ("في", "يوم", a weekday, "مساء",
  "الموافق") or the event it names ("وفي جلسة 10 مارس"), or right after a weekday ("قال
  مسؤول يوم الاثنين 4 ديسمبر إن"); one "المقبل" is to come;
* a date **told** right after a verb and its subject ("ولد الحداد عام 1962", "أعلنت الوزارة
  في 5 مارس 2024 أن"), not after what was said, a relative clause or a bound ("حتى عام 2015");
* an **aside**: a clause after the subject, set off by commas, that says when, in a few words
  ("قال الجيش، يوم الاثنين، إن", "قالت، في مذكرة بحثية يوم الاثنين، إن");
* a **weekday** ("يوم الاثنين", "مساء السبت", "الأحد الماضي") anywhere in the clause: the
  latest such day on or before the reference day;
* a **deictic** word ("اليوم", "أمس", "أول أمس", "قبل يومين", "الأسبوع الماضي") anywhere in the
  clause: counted from the reference day;
* a **period** ("الشهر الماضي", "مطلع العام الجاري", "نهاية الشهر المقبل") anywhere in the
  clause: that month or year, counted from the reference day;
* an **anaphoric** opening ("في اليوم التالي", "بعد يومين", "قبل ذلك بيوم", "بعد شهر من
  ذلك", "في الشهر التالي", "في العام نفسه"): counted from the previous dated paragraph;
* a **background** opening ("وكان … قد", "يذكر أن", "ومنذ", "وللتذكير"): history, so it
  neither has the news' date nor inherits it;
* a **link** ("من جهتها،", "بدوره،", "وفي سياق متصل،"): passed over to the clause after it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from khabar.index.calendar import PartialDate
from khabar.index.dates import (
    STEPS,
    WEEKDAYS,
    DateSpan,
    approximate_parts,
    ordinal_days,
    parse_dates,
)
from khabar.index.normalize import normalize

_S = r"[^\S\n]+"
# Everything an opening clause can hold before its date without being about something else.
_GLUE = frozenset(
    normalize(word)
    for word in (
        *("في", "و", "وفي", "يوم", "ويوم", "بتاريخ", "وبتاريخ", "صباح", "مساء", "ليله", "ليل"),
        *("فجر", "ظهر", "عصر", "وصباح", "ومساء", "وفجر", "وليل", "منتصف", "ظهيره", "صبيحه"),
        # "خلال شهر أوت", "يوم الجمعة الموافق 1 ديسمبر", "15 رمضان 1445 هـ الموافق 25 مارس"
        *("خلال", "وخلال", "الموافق", "الموافقه"),
        *("طوال", "وطوال", "طيله", "وطيله"),  # "عمل في سفاراتها طوال الستينيات"
    )
)
_TIME_OF_DAY = "صباح|مساء|ليله|ليل|فجر|ظهر|عصر|ظهيره|صبيحه|منتصف ليل|منتصف ليله"
_NUMBERS = {
    normalize(word): value
    for value, words in {
        3: ("ثلاثة", "ثلاث"),
        4: ("أربعة", "أربع"),
        5: ("خمسة", "خمس"),
        6: ("ستة", "ست"),
        7: ("سبعة", "سبع"),
        8: ("ثمانية", "ثماني"),
        9: ("تسعة", "تسع"),
        10: ("عشرة", "عشر"),
    }.items()
    for word in words
}
_UNITS = {"يوم": 1, "يومين": 2, "اسبوع": 7, "اسبوعين": 14}


def _days(name: str) -> str:
    """A count of days: "يومين", "أسبوع", "ثلاثة أيام", "5 أيام" (a bare number is not one)."""
    counts = "|".join(sorted(_NUMBERS, key=len, reverse=True))
    return (
        rf"(?:(?P<{name}>[0-9]{{1,2}}|{counts}){_S}(?:ايام|يوما|يوم)"
        rf"|(?P<{name}_unit>{'|'.join(sorted(_UNITS, key=len, reverse=True))}))"
    )


def _count(match: re.Match[str], name: str) -> int:
    if match.group(f"{name}_unit"):
        return _UNITS[match[f"{name}_unit"]]
    word = match[name]
    return int(word) if word.isdigit() else _NUMBERS[word]


@dataclass(frozen=True)
class Dateline:
    """A wire dateline: where the copy was filed, by whom, and the day if it says one."""

    place: str
    agency: str
    span: DateSpan | None
    end: int  # offset in the normalized opening where the story itself begins


@dataclass(frozen=True)
class Shift:
    """A day counted from an anchor (``days``), or a span of days around it (``span_days``)."""

    days: int
    span_days: int = 0  # >0: the span runs ``days .. days + span_days`` (e.g. last week)


# Agencies the Gulf's wires name bare after the date ("… 2024 م واس أعلنت").
_BARE_AGENCIES = ("واس", "وام", "بنا", "قنا", "كونا", "العمانيه", "سبا", "بترا", "واج")
# A place of one to four words ("دمشق", "الدار البيضاء"), then its date, then the agency: in
# parentheses and a dash ("(رويترز) -"), one word between slashes ("/ وام /"), or bare; or no
# agency, the date between dashes ("طرابلس - 16 أغسطس 2023 -").
_DATELINES = tuple(
    re.compile(
        rf"^(?P<place>[^\W\d_]+(?:{_S}[^\W\d_]+){{{words - 1}}})[^\S\n]*(?:[-–—،,/][^\S\n]*)?"
        rf"(?P<date>[^()\n]{{0,70}}?)[^\S\n]*(?:{ending})"
    )
    for ending in (
        rf"\((?P<agency>[^()\n]{{1,40}})\)[^\S\n]*[-–—:]|/[^\S\n]*(?P<slashed>[^\W\d_]+)[^\S\n]*/"
        rf"|(?P<bare>{'|'.join(_BARE_AGENCIES)})(?=\s)",
        r"(?P<dash>[-–—])(?=[^\S\n])",  # tried after every agency's shape: "الكويت - 25 - 3 (كونا)"
    )
    for words in range(1, 5)
)


_DAY_DASH_MONTH = re.compile(r"^([0-9]{1,2})[^\S\n]*-[^\S\n]*([0-9]{1,2})$")


def dateline(opening: str, reference: dt.date | None) -> Dateline | None:
    """A dateline at the start of a normalized opening, if it has that shape.

    The part between place and agency must be a date (or nothing): "قال المتحدث (…) -" is a
    sentence, not a dateline. The shortest place that leaves a date is the place.
    """
    for pattern in _DATELINES:
        match = pattern.match(opening)
        if match is None:
            continue
        groups = match.groupdict()
        between = match["date"].strip(" -–—،,/")
        if (groups.get("bare") or groups.get("dash")) and not between:
            continue  # "الرياض واس": a bare agency needs the date before it, as a dash does
        span: DateSpan | None = None
        if between:
            between = _DAY_DASH_MONTH.sub(r"\1/\2", between)  # Kuwait's "26 - 3"
            found = parse_dates(between, reference=reference, today=False)
            leftover = [w for w in found.rest.split() if w not in _GLUE and w not in WEEKDAYS]
            if not found.spans or any(ch.isalnum() for ch in leftover):
                continue
            span = found.spans[0]
        agency = groups.get("agency") or groups.get("slashed") or groups.get("bare") or ""
        return Dateline(match["place"], agency.strip(), span, match.end())
    return None


# "وتعود وقائع القضية إلى", "ويعود تاريخ بناء الجسر إلى": what the clause tells dates back to
# the time named right after (a month, a year, "الفترة الممتدة بين …").
_DATES_BACK = re.compile(
    rf"^(?:و|ف)?(?:تعود|يعود|ترجع|يرجع){_S}(?:[^\s\d]+{_S}){{1,3}}?الي{_S}"
    rf"(?:(?:شهر|عام|سنه|الفتره|فتره|الممتده|بين|مطلع|اواخر|اوايل|منتصف){_S})*(?=\w)"
)


def dates_back(opening: str, reference: dt.date | None) -> DateSpan | None:
    """The time the clause dates its story back to ("وتعود وقائع القضية إلى أغسطس 2017")."""
    match = _DATES_BACK.match(opening)
    if match is None:
        return None
    for span in parse_dates(opening, reference=reference, today=False).spans:
        if opening[match.end() : span.begin].strip() == "" or span.begin <= match.end():
            return span
        return None
    return None


def explicit(opening: str, reference: dt.date | None) -> DateSpan | None:
    """The date the clause opens with, after glue words only ("الثلاثاء 13 ديسمبر 2016") or
    the event it names ("وفي جلسة 10 مارس"), or that follows its weekday ("قال مسؤول يوم
    الاثنين 4 ديسمبر إن")."""
    for span in parse_dates(opening, reference=reference, today=False).spans:
        before = opening[: span.begin].split()
        if all(word in _GLUE or word in WEEKDAYS for word in before):
            return span
        if 2 <= len(before) <= 3 and before[0] in _IN and not any(map(_about_else, before)):
            return span  # an event named by its day: "وفي جلسة 10 مارس،", "وفي العام الدراسي"
        if weekday_of(opening, span) is not None:
            return span
        return None
    return None


# Words that make what follows them about something else than the clause's own event: what
# was said ("قالت إن"), a qualified noun ("الذي تولى"), a negation, the future.
_NOT_TOLD = frozenset(
    normalize(word)
    for word in (
        *("أن", "إن", "بأن", "لأن", "أنه", "أنها", "إنه", "إنها", "الذي", "التي", "الذين"),
        *("اللذين", "اللتين", "اللواتي", "لم", "لن", "لا", "ما", "سوف", "كي", "لكي"),
    )
)
_RELATIVE = frozenset(
    normalize(word) for word in ("الذي", "التي", "الذين", "اللذين", "اللتين", "اللواتي")
)
# Right before a date, a bound: "منذ 1998", "حتى عام 2015", "أجلت الجلسة إلى 5 مارس".
BOUNDS = frozenset(
    normalize(word) for word in ("منذ", "ومنذ", "حتى", "وحتى", "قبل", "بعد", "إلى", "لغاية")
)
_IN = frozenset(("في", "وفي", "خلال", "وخلال"))
# What starts on the day: "تبدأ الرحلات بدءا من 22 حزيران", "ابتداء من", "اعتبارا من".
_FROM = frozenset(f"{word} من" for word in ("بدءا", "بدء", "ابتداء", "اعتبارا"))
_RANGE_LEADS = ("من ", "بين ")  # a range's own lead: "ينطلق المعرض من 2 إلى 4 أكتوبر"


def _unjoined(word: str) -> str:
    """The word without a leading و or ف ("ويحتفل" → "يحتفل"; "وصل", "فاز" stay whole)."""
    return word[1:] if word[:1] in "وف" and len(word) > 3 else word


def _about_else(word: str) -> bool:
    """Whether the word turns what follows to something else (:data:`_NOT_TOLD`), و/ف on."""
    return word in _NOT_TOLD or (word[:1] in "وف" and word[1:] in _NOT_TOLD)


# Verbs of holding an event, a pronoun on or not: "النسخة التي أقيمت في فبراير", "في جلسته
# التي عقدها أمس" tell when the event named before them was.
_HELD = re.compile(
    r"^(?:اقيم|اقيمت|اقام|اقامت|عقد|عقدت|انعقد|انعقدت|جري|جرت|نظم|نظمت)(?:ه|ها|ته|تها)?$"
)


def _turns_else(words: list[str]) -> bool:
    """Whether any word turns what follows to something else; not a relative clause of an
    event held then ("التي أقيمت")."""
    return any(
        _about_else(word)
        and not (word in _RELATIVE and at + 1 < len(words) and _HELD.match(words[at + 1]))
        for at, word in enumerate(words)
    )


# a verb, its subject and its object ("أصدر السلطان عبد الحميد الثاني أمره ببناء الخط في")
TOLD_WORDS = 12
_OPENERS = frozenset(("و", "ف", "قد", "وقد", "فقد", "لقد", "ولقد"))


def _told_before(before: list[str], scheduled: bool = False, qualified: bool = False) -> bool:
    """Whether the words before a time are a verb-first clause's own (the verb, its subject
    and object), the time then being its event's: not a verb in the present unless
    ``scheduled``, nothing said, nor a qualified noun unless ``qualified`` (a count "of the
    reports that came since" is of the reports)."""
    while before and before[0] in _OPENERS:
        before = before[1:]
    if not before or len(before) > TOLD_WORDS:
        return False
    if _unjoined(before[0])[:1] == "ي" and not scheduled:
        return False
    if qualified:
        return not any(_about_else(w) and w not in _RELATIVE for w in before)
    return not _turns_else(before)


def told(opening: str, reference: dt.date | None) -> DateSpan | None:
    """The date a verb-first clause tells its event on, right after the verb and its subject
    ("ولد الحداد عام 1962"، "أعلنت الوزارة في 5 مارس 2024 أن"): biographies and explainers
    date their events so; and what is to come ("وستعقد الجلسة في 15 ديسمبر"، "ومن المقرر أن
    تعقد …"). Not a verb in the present ("يحتفل السكان في 5 مارس" is every year's), nor a date
    after what was said or a qualified noun ("قالت إن المشروع ينتهي في …"، "الوزير الذي تولى
    منصبه في 2019")."""
    spans = parse_dates(opening, reference=reference, today=False).spans
    if not spans:
        return None
    span = spans[0]
    scheduled = _EXPECTED.match(opening)
    before = opening[scheduled.end() if scheduled else 0 : span.begin].split()
    while before and (before[0] in _OPENERS or (scheduled and before[0] == "ان")):
        before = before[1:]
    if not _told_before(before, scheduled=scheduled is not None):
        return None
    last = before[-2] if len(before) > 1 and before[-1] in _GLUE else before[-1]
    if last in BOUNDS:
        return None  # "حتى عام 2015", "إلى يوم 5 مارس"
    glued = before[-1] in _GLUE or before[-1] in WEEKDAYS or " ".join(before[-2:]) in _FROM
    # an event named by its day: "واستمعت المحكمة في جلسة 3 مارس"
    glued = glued or (len(before) > 2 and before[-2] in _IN and before[-1] not in _NOT_TOLD)
    if not glued and not opening.startswith(("عام", "سنه", *_RANGE_LEADS), span.begin):
        return None
    return span


_SINCE = frozenset(("منذ", "ومنذ"))
# "منذ بداية الحالة المطرية يوم الأحد 17 ديسمبر": since an event's start, then its day
_STARTS = frozenset(normalize(w) for w in ("بداية", "بدء", "مطلع", "انطلاق", "انطلاقة", "اندلاع"))
_EVENT_WORDS = 3


def _compares(word: str) -> bool:
    """Whether a word compares (a superlative on أفعل: "أعنف", "الأعلى"; "للمرة"): what comes
    "since" then is the last time it was so, not a period."""
    core = word.removeprefix("و")
    if core in _RELATIVE:
        return False
    for article in ("لل", "بال", "ال", "ل"):
        if core.startswith(article) and len(core) - len(article) >= 3:
            core = core[len(article) :]
            break
    return core in ("مره", "مرات") or (len(core) == 4 and core[0] == "ا")


def since(opening: str, reference: dt.date | None) -> DateSpan | None:
    """The day a verb-first clause counts from ("وبلغت الواردات المسجلة منذ فاتح شتنبر
    الماضي", "منذ بداية الحالة المطرية يوم الأحد 17 ديسمبر"): what it tells spans that day
    to the reference day. Not in what was said."""
    spans = parse_dates(opening, reference=reference, today=False).spans
    span = spans[0] if spans else _since_period(opening, reference)
    if span is None:
        return None
    before = opening[: span.begin].split()
    at = next((i for i in range(len(before) - 1, -1, -1) if before[i] in _SINCE), None)
    if at is None or not _told_before(before[:at], qualified=True):
        return None
    if any(map(_compares, before[1:at])):  # "أعنف مواجهات منذ 27 أغسطس": no period told
        return None
    event = [w for w in before[at + 1 :] if w not in _GLUE and w not in WEEKDAYS]
    if event and (len(event) > _EVENT_WORDS or event[0] not in _STARTS):
        return None
    return span


_SINCE_PERIOD = re.compile(rf"(?<!\w)و?منذ{_S}")
_UNTIL = re.compile(rf"{_S}(?:و)?(?:حتي|الي|لغايه){_S}")


def since_until(opening: str, span: DateSpan, reference: dt.date) -> dt.date | None:
    """The last day of "منذ مطلع العام الحالي وحتى نهاية الشهر الماضي": the period or date
    right after the since's "حتى", if one is."""
    until = _UNTIL.match(opening, span.stop)
    if until is None:
        return None
    period = _PERIOD.match(opening, until.end())
    if period is not None:
        try:
            return _period(period, reference)[1]
        except ValueError:
            return None
    spans = parse_dates(opening[until.end() :], reference=reference, today=False).spans
    if not spans or spans[0].begin != 0 or spans[0].end.year is None:
        return None
    return spans[0].end.to_date()


def _since_period(opening: str, reference: dt.date | None) -> DateSpan | None:
    """The period counted from right after "منذ" ("منذ بداية العام الجاري"), as a span."""
    if reference is None:
        return None
    for since_word in _SINCE_PERIOD.finditer(opening):
        match = _PERIOD.match(opening, since_word.end())
        if match is None:
            continue
        try:
            start, end = _period(match, reference)
        except ValueError:
            return None
        first, last = PartialDate.of(start), PartialDate.of(end)
        return DateSpan(first, last, match.start(), match.end(), approximate=True, hijri=False)
    return None


def weekday_of(opening: str, span: DateSpan) -> int | None:
    """The weekday written right before the date ("الثلاثاء 13 ديسمبر"), if any (Monday 0)."""
    named = None
    # a range's lead may come first: "من السبت 15 حزيران حتى …"
    digit = re.search(r"[0-9]", opening[span.begin : span.stop])
    limit = span.begin + digit.start() if digit else span.begin
    for match in _weekday_pattern().finditer(opening, 0, limit):
        between = opening[match.end() : limit].split()
        if all(word in _GLUE for word in between):
            named = WEEKDAYS[match["day"]]
    return named


ASIDE_WORDS = 6  # words an aside may hold besides its day ("في بيان نشرته على صفحتها")


def aside(clause: str, reference: dt.date | None) -> bool:
    """Whether a clause set off by commas says when ("، يوم الاثنين،", "، أمس،", "، اليوم
    الأربعاء،", "، يوم الثلاثاء 19 ديسمبر 2023،"): agencies put the day after the subject; or
    where and when, in a few words ("، في مذكرة بحثية يوم الاثنين،", "، في اجتماعها يوم
    الخميس 29 فبراير،"), never in a relative clause ("، الذي زار حلب يوم الاثنين،") or one
    more thing listed ("، وعروضا للأزياء يوم السبت،")."""
    if same_occasion(clause):  # "، خلال الندوة ذاتها،"
        return True
    first = clause.split()[:1]
    if first and first[0][:1] == "و" and first[0] not in _GLUE | _ASIDE_WORDS | set(WEEKDAYS):
        return False  # "، وعروضا للأزياء يوم السبت،": one more thing listed, not when
    found = parse_dates(clause, reference=reference, today=False)
    words = found.rest.split()
    other = [w for w in words if w not in _GLUE and w not in WEEKDAYS and w not in _ASIDE_WORDS]
    if not other:
        return bool(words or found.spans)
    when = found.spans or _weekday_pattern().search(clause) or deictic_at(clause)
    return bool(when) and len(other) <= ASIDE_WORDS and not _turns_else(other)


_ASIDE_WORDS = frozenset(
    normalize(word)
    for word in ("اليوم", "أمس", "البارحة", "غدا", "الماضي", "الفائت", "المنصرم", "المقبل")
)


# A word that may be a verb in the future ("سيجرى", "ستعقد") one or two words before a weekday.
_FUTURE = re.compile(rf"(?<!\w)(?:و|ف)?(?P<verb>س[يتنا]\w{{2,}}){_S}(?:\w+{_S})?$")


def future_before(before: str) -> bool:
    """Whether a future verb leads up to a day: "سيجري" is "يجري" with the future's س,
    which general Arabic writes far more often bare; "سياسي" and "سنوات" are words of their own.
    """
    words = before.split()
    while words and (words[-1] in _GLUE or words[-1] in WEEKDAYS):  # "سيكون يوم السبت في"
        words.pop()
    match = _FUTURE.search(" ".join(words) + " ")
    return match is not None and _future(match["verb"])


def _future(word: str) -> bool:
    from khabar.index.query import future  # the query's words are weighed there, and so is this

    return future(word)


_WEEKDAY_NAMES = "|".join(sorted(WEEKDAYS, key=len, reverse=True))


@cache
def _weekday_pattern() -> re.Pattern[str]:
    return re.compile(
        rf"(?<!\w)(?:(?:و)?(?:{_TIME_OF_DAY}){_S})?(?:(?:و)?يوم{_S})?(?:و)?(?P<day>{_WEEKDAY_NAMES})"
        rf"(?!\w)(?:{_S}(?P<when>الماضي|الفايت|الفارط|المنصرم|المقبل|القادم))?"
    )


_SAID = re.compile(r"(?<!\w)(?:و)?(?:ان|بان|لان|انه|انها|انهم)(?!\w)")
# "غداً" right before a weekday: the next one, not the latest ("غداً الأربعاء").
_TOMORROW = re.compile(rf"(?<!\w)(?:و)?غدا?{_S}$")
# What is scheduled: "ومن المقرر أن", "ومن المنتظر أن".
_EXPECTED = re.compile(rf"^(?:و)?من{_S}(?:المقرر|المنتظر|المتوقع|المرتقب|المفترض)(?!\w)")
_EXPECTED_THAT = re.compile(rf"{_EXPECTED.pattern}(?:{_S}ان(?!\w))?")


def says(clause: str) -> bool:
    """Whether what was said has begun in the clause ("أوضح البيان أن …"): its commas set off
    what was said, not when it was said. "ومن المقرر أن" is what is scheduled."""
    frame = _EXPECTED_THAT.match(clause)
    return _SAID.search(clause, frame.end() if frame else 0) is not None


_DAY_AFTER = re.compile(r"[^\S\n]*(?:،[^\S\n]*)?[0-9]")


_PAST = frozenset(("الماضي", "الفايت", "الفارط", "المنصرم"))
_NOT_VERBS = frozenset(("يوم", "يومي", "يناير", "يونيو", "يونيه", "يوليو", "يوليه"))


def present_verb(opening: str) -> bool:
    """Whether the clause opens with a verb that can only be in the present ("ويعقد المجلس",
    "وتتوقع الأرصاد"): news tells what is to come so. A past verb may open with ت ("تمكنت"),
    never with ي or تت."""
    words = opening.split()
    first = _unjoined(words[0]) if words else ""
    return (
        imperfect(opening) and first not in _NOT_VERBS and (first[:1] == "ي" or first[:2] == "تت")
    )


def _after_since(before: str) -> bool:
    """Whether a bound "منذ" leads up to the day ("ويشهد البلد منذ يوم الأحد")."""
    words = [w for w in before.split() if w not in _GLUE]
    return bool(words) and words[-1] in _SINCE


def weekday(opening: str, reference: dt.date | None, present: bool = False) -> dt.date | None:
    """The day a weekday in the clause names: the latest one on or before ``reference``
    (the next one on or after when the clause it is said of is ``present``).

    "الأحد الماضي" is the one strictly before; "الأحد المقبل" and "غداً الأحد" the next one
    after; after a verb in the future ("سيجرى الاقتراع يوم الأحد") the next one on or after.
    """
    if reference is None:
        return None
    match = _weekday_pattern().search(opening)
    if match is None or _DAY_AFTER.match(opening, match.end()):
        return None  # "من السبت 15 حزيران": the weekday of a date, read with it or not at all
    return _weekday_told(opening, match.start(), match["day"], match["when"], reference, present)


def _weekday_told(
    opening: str, at: int, day: str, when: str | None, reference: dt.date, present: bool
) -> dt.date | None:
    """The day of the weekday ``day`` told at ``at`` in the clause, "الماضي"/"المقبل" after it
    (``when``), as :func:`weekday` reads it."""
    before = opening[:at]
    past = when in _PAST
    told_present = (present or present_verb(opening)) and not past and not _after_since(before)
    coming = future_before(before) or to_come(opening) or told_present
    frame = _EXPECTED_THAT.match(opening)  # "ومن المقرر أن": what is scheduled, not said
    if (coming or when in ("المقبل", "القادم")) and _SAID.search(
        opening, frame.end() if frame else 0, at
    ):
        return None  # "وأضاف أن الأشغال ستنتهي يوم الخميس المقبل": what was said
    target = WEEKDAYS[day]
    if coming:  # "وسيصوت المجلس يوم الجمعة": the next one, the reference day's own too
        return reference + dt.timedelta(days=(target - reference.weekday()) % 7)
    back = (reference.weekday() - target) % 7
    if when in ("المقبل", "القادم") or _TOMORROW.search(opening, 0, at):
        return reference + dt.timedelta(days=(target - reference.weekday()) % 7 or 7)
    if when and back == 0:
        back = 7
    return reference - dt.timedelta(days=back)


# "يومي السبت والأحد الماضيين": the pair's "last" or "next", in the plural
_PAIR_WHEN = {f"{when}ين": when for when in ("الماضي", "المنصرم", "الفارط", "المقبل", "القادم")}


@cache
def _pair_pattern() -> re.Pattern[str]:
    days = _WEEKDAY_NAMES
    return re.compile(
        rf"(?<!\w)(?:و)?يومي{_S}(?P<first>{days}){_S}و(?P<second>{days})(?!\w)"
        rf"(?:{_S}(?P<when>{'|'.join(_PAIR_WHEN)})(?!\w))?"
    )


def weekdays(
    opening: str, reference: dt.date | None, present: bool = False
) -> tuple[dt.date, dt.date] | None:
    """The days the clause's weekday names (:func:`weekday`, ``present`` as there): one, or
    two told together ("يومي السبت والأحد الماضيين")."""
    pair = _pair_pattern().search(opening)
    single = _weekday_pattern().search(opening)
    if pair is None or (single is not None and single.start() < pair.start()):
        day = weekday(opening, reference, present)
        return (day, day) if day is not None else None
    if reference is None:
        return None
    # the first day read as :func:`weekday` reads one ("يوم السبت الماضي"), the second after it
    when = _PAIR_WHEN.get(pair["when"] or "")
    first = _weekday_told(opening, pair.start(), pair["first"], when, reference, present)
    if first is None:
        return None
    days = (WEEKDAYS[pair["second"]] - WEEKDAYS[pair["first"]]) % 7
    return first, first + dt.timedelta(days=days)


# After "اليوم", what makes it another day: "اليوم التالي", "اليوم العالمي", "اليوم نفسه"; not a
# weekday ("اليوم الخميس") nor "إلى" ("في تعاملات اليوم إلى 6.48 درهم").
_NOT_TODAY = r"ال(?!احد|اثنين|ثلاثاء|اربعاء|خميس|جمعه|سبت|ي(?!\w))|نفس|ذات"
_DEICTIC: tuple[tuple[re.Pattern[str], Shift | None], ...] = tuple(
    (re.compile(rf"(?<!\w){pattern}(?!\w)"), value)
    for pattern, value in (
        (rf"(?:و)?اول{_S}(?:من{_S})?امس", Shift(-2)),
        (r"(?:و)?(?:ب)?امس|(?:و)?البارحه|(?<=\w )الامس", Shift(-1)),  # "لقاء الأمس"
        (rf"بعد{_S}غد", Shift(2)),
        (r"(?:و)?غدا?", Shift(1)),  # "غداً", and "غدٍ" with its tanween folded away
        (rf"(?:و)?(?:قبل|منذ){_S}{_days('back')}", None),
        (rf"الاسبوع{_S}(?:الماضي|الفايت|الفارط|المنصرم)", Shift(-7, 6)),
        (rf"الاسبوع{_S}(?:المقبل|القادم)", Shift(7, 6)),  # a week on from the day
        # "اليوم" alone or before a weekday; not "اليوم التالي/الأول/العالمي", "اليوم نفسه".
        (rf"(?:و)?(?:(?:{_TIME_OF_DAY}){_S})?اليوم(?!{_S}(?:{_NOT_TODAY}))", Shift(0)),
        (r"(?:و)?الليله", Shift(0)),
    )
)


def deictic(opening: str) -> Shift | None:
    """A word that dates the clause from the reference day ("أمس" → -1), if any."""
    found = deictic_at(opening)
    return found[0] if found else None


def deictic_at(text: str) -> tuple[Shift, int, int] | None:
    """The deictic word of ``text`` (normalized): what it counts and where it sits."""
    for pattern, value in _DEICTIC:
        match = pattern.search(text)
        if match is not None:
            shift = value if value is not None else Shift(-_count(match, "back"))
            return shift, match.start(), match.end()
    return None


_THIS = re.compile(rf"(?:^|\s)(?:ب|ل|ف|و)?(?:هذا|ذلك|ذات|نفس){_S}$")
# "حتى اليوم", "إلى اليوم", "الذي هي عليه اليوم": still, nowadays; not the day.
_UNTIL_NOW = re.compile(rf"(?:^|\s)(?:و)?(?:حتي|الي|علي|عليه|عليها|عليهم){_S}$")


def spoken(question: str) -> tuple[Shift, int, int] | None:
    """The word of a question (normalized) that counts from today, and where it sits; in a
    question "هذا اليوم" is a day the reader has in mind, not today, and "حتى اليوم" means
    nowadays."""
    found = deictic_at(question)
    if found is None:
        return None
    before = question[: found[1]]
    if _THIS.search(before):
        return None
    if question[found[1] : found[2]].endswith("اليوم") and _UNTIL_NOW.search(before):
        return None
    return found


# The part of a month (its days) or of a year (its months) an approximate word names.
_PARTS = approximate_parts()
# Parts only a year has: its halves, quarters and seasons (winter runs across two years).
_YEAR_PARTS = {
    normalize(word): months
    for word, months in {
        "النصف الأول": (1, 6), "النصف الثاني": (7, 12), "الربع الأول": (1, 3),
        "الربع الثاني": (4, 6), "الربع الثالث": (7, 9), "الربع الرابع": (10, 12),
        "الربع الأخير": (10, 12), "ربيع": (3, 5), "صيف": (6, 8), "خريف": (9, 11),
    }.items()
}  # fmt: skip
_PART_WORDS = "|".join(sorted([*_PARTS, *_YEAR_PARTS], key=len, reverse=True))
# A month or a year counted from the reference day: "الشهر الماضي", "مطلع العام الجاري",
# "النصف الأول من العام الجاري", "خريف السنة الجارية".
_ORDINALS = "|".join(sorted(ordinal_days(), key=len, reverse=True))
_PERIOD = re.compile(
    rf"(?<!\w)(?:[وف]?(?P<part>{_PART_WORDS}){_S}(?:من{_S})?"
    rf"|(?P<ordinal>{_ORDINALS}){_S}من{_S}(?=الشهر))?"  # "الأول من الشهر المقبل": that day
    rf"(?:(?P<unit>الشهر|العام)|(?P<year>السنه)){_S}"
    rf"(?P<when>(?(year)(?:الماضيه|المنصرمه|الفايته|الفارطه|السابقه|الجاريه|الحاليه|المقبله|القادمه)"
    rf"|(?:الماضي|المنصرم|الفايت|الفارط|السابق|الجاري|الحالي|المقبل|القادم)))(?!\w)"
)


def _former(text: str, match: re.Match[str]) -> bool:
    """Whether "العام السابق" is a title's "general, former" ("المدير العام السابق",
    "الأمين العام السابق"): right after a definite noun, not a year."""
    if match["part"] or not match["when"].startswith("السابق"):
        return False
    before = text[: match.start()].split()
    return bool(before) and before[-1].startswith(("ال", "وال"))


def period_at(
    text: str, reference: dt.date, bounded: bool = False
) -> tuple[dt.date, dt.date, int, int] | None:
    """The month or year ``text`` (normalized) counts from ``reference`` ("الشهر الماضي" → the
    month before it), its first and last day, and where the phrase sits. ``bounded``: not one
    after a bound ("حتى نهاية العام الجاري" is a deadline, not when the paragraph happened)."""
    match = next(
        (
            m
            for m in _PERIOD.finditer(text)
            if not (bounded and after_bound(text, m.start())) and not _former(text, m)
        ),
        None,
    )
    if match is None:
        return None
    try:
        start, end = _period(match, reference)
    except ValueError:  # before year 1 or past 9999: no such days
        return None
    return start, end, match.start(), match.end()


def after_bound(text: str, at: int) -> bool:
    """Whether the word before ``at`` is a bound ("حتى", "منذ", "قبل" …)."""
    before = text[:at].split()
    return bool(before) and before[-1] in BOUNDS


def _period(match: re.Match[str], reference: dt.date) -> tuple[dt.date, dt.date]:
    when = match["when"].removesuffix("ه")
    start, end = _months_of(match["unit"] == "الشهر", STEPS.get(when, 0), match["part"], reference)
    if match["ordinal"]:
        day = start.replace(day=min(ordinal_days()[" ".join(match["ordinal"].split())], end.day))
        return day, day
    return start, end


def _months_of(
    of_month: bool, step: int, part_word: str | None, reference: dt.date
) -> tuple[dt.date, dt.date]:
    """The first and last day of the month (or year) ``step`` from ``reference``'s, or of the
    part of it ``part_word`` names ("مطلع" → days 1–10 of a month, January of a year)."""
    part = _PARTS.get(part_word or "")
    if of_month:
        month = reference.month - 1 + step
        year, month = reference.year + month // 12, month % 12 + 1
        last = calendar.monthrange(year, month)[1]
        first_day, last_day = part[0] if part else (1, last)
        start, end = dt.date(year, month, first_day), dt.date(year, month, min(last_day, last))
    else:
        year = reference.year + step
        first_month, last_month = (
            _YEAR_PARTS[part_word] if part_word in _YEAR_PARTS else part[1] if part else (1, 12)
        )
        start = dt.date(year, first_month, 1)
        end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
    return start, end


# What "بعد … ب" counts from: "ذلك", or the event of the paragraph above by a noun with its
# pronoun ("بعد وفاته بعام", "بعد سقوطها بيومين"); "بعد الحرب بعامين" names another event.
_THAT = r"(?:ذلك|(?!ال)\w{2,}(?:ه|ها|هم|هما))"
_ANAPHORIC: tuple[tuple[re.Pattern[str], int | None], ...] = tuple(
    (re.compile(rf"^(?:و?في{_S}|و)?(?:(?:{_TIME_OF_DAY}){_S})?(?:{pattern})(?!\w)"), days)
    for pattern, days in (
        (rf"اليوم{_S}(?:التالي|اللاحق|الموالي)", 1),
        (rf"اليوم{_S}الذي{_S}(?:تلاه|يليه|تلا{_S}ذلك)", 1),
        (rf"اليوم{_S}(?:نفسه|ذاته)|ذلك{_S}اليوم|ذات{_S}اليوم|نفس{_S}اليوم", 0),
        (rf"وقت{_S}لاحق{_S}من{_S}(?:ذلك{_S})?اليوم(?:{_S}(?:نفسه|ذاته))?", 0),
        (rf"اليوم{_S}السابق", -1),
        (rf"(?:غداه|صبيحه){_S}ذلك", 1),
        (rf"عشيه{_S}ذلك", -1),
        (rf"الاسبوع{_S}(?:التالي|اللاحق)", 7),
        (rf"بعد{_S}(?:ساعات|ساعه|ساعتين|دقايق|دقيقه|دقيقتين|لحظات)", 0),  # the same day
        (rf"بعد{_S}(?:{_THAT}{_S}ب)?{_days('after')}", None),
        (rf"قبل{_S}ذلك{_S}ب{_days('before')}", None),
    )
)


# "واستمرت الاشتباكات … وحتى عصر اليوم التالي": what began on the paragraph's day lasted
# into the next.
_UNTIL_NEXT_DAY = re.compile(
    rf"(?<!\w)(?:و)?(?:حتي|الي|لغايه|الي{_S}غايه){_S}(?:(?:{_TIME_OF_DAY}){_S})?"
    rf"اليوم{_S}(?:التالي|اللاحق|الموالي)(?!\w)"
)


def until_next_day(clause: str) -> bool:
    """Whether the clause tells of something lasting until the next day ("حتى صباح اليوم
    التالي")."""
    return _UNTIL_NEXT_DAY.search(clause) is not None


# An occasion the paragraph above told of, named again: "خلال الندوة ذاتها", "وفي الجلسة
# نفسها", "في ذات المؤتمر" are on its day ("في السياق نفسه", "في المكان ذاته" are not a time).
_OCCASIONS = tuple(
    normalize(word)
    for word in (
        "الندوة", "الجلسة", "المؤتمر", "الاجتماع", "اللقاء", "البيان", "الكلمة", "المناسبة",
        "الحفل", "الاحتفال", "المباراة", "القمة", "الزيارة", "المقابلة", "الحوار", "التصريحات",
        "الخطاب", "المؤتمر الصحفي", "الندوة الصحفية",
    )
)  # fmt: skip
_SAME_OCCASION = re.compile(
    rf"^(?:و|ف)?(?:(?:في|خلال|اثناء|اثر|عقب|علي{_S}هامش){_S})?"
    rf"(?:(?:ذات|نفس){_S}(?:{'|'.join(o.removeprefix('ال') for o in _OCCASIONS)})"
    rf"|(?:{'|'.join(_OCCASIONS)}){_S}(?:نفسه|ذاته|نفسها|ذاتها))$"
)


def same_occasion(clause: str) -> bool:
    """Whether the clause is only "at the same occasion" ("خلال الندوة ذاتها"): the day of
    the paragraph above's."""
    return _SAME_OCCASION.match(clause.strip()) is not None


_SAME = r"(?:نفسه|ذاته|نفسها|ذاتها)"
# A month or year after the previous dated paragraph's, or that one: "في الشهر التالي", "العام
# الذي تلاه"; "في العام نفسه", "نهاية ذلك العام".
_FOLLOWING = re.compile(
    rf"^(?:و?في{_S}|و)?(?:(?P<part>{_PART_WORDS}){_S})?"
    rf"(?:(?:ذلك|تلك|ذات|نفس){_S}(?P<that>الشهر|العام|السنه)|(?P<unit>الشهر|العام|السنه){_S}"
    rf"(?:(?P<next>(?:التالي|اللاحق|الموالي)(?:ه)?|(?:الذي|التي){_S}(?:تلاه|تلتها|يليه|تليها))"
    rf"|{_SAME}))(?!\w)"
)
# "مارس من العام نفسه", "20 ديسمبر من ذلك العام": the previous dated paragraph's year.
_SAME_YEAR = re.compile(
    rf"{_S}(?:من|في){_S}(?:(?:العام|السنه){_S}{_SAME}|(?:ذلك|تلك|ذات|نفس){_S}(?:العام|السنه))"
    rf"(?!\w)"
)


def following(
    opening: str, anchor: dt.date, anchor_end: dt.date | None = None
) -> tuple[dt.date, dt.date] | None:
    """The month or year after ``anchor_end``'s (the previous dated paragraph's last day), or
    ``anchor``'s (its first), or the part of it named, if the clause opens so ("في الشهر
    التالي", "مطلع العام التالي", "في العام نفسه")."""
    match = _FOLLOWING.match(opening)
    if match is None:
        return None
    month = (match["unit"] or match["that"]) == "الشهر"
    after = match["next"] is not None
    try:
        return _months_of(
            month, int(after), match["part"], (anchor_end or anchor) if after else anchor
        )
    except ValueError:  # past 9999
        return None


def same_year(opening: str, span: DateSpan) -> bool:
    """Whether the date is said to be in the year already told of ("مارس من العام نفسه")."""
    return _SAME_YEAR.match(opening, span.stop) is not None


_MONTH_UNITS = {"شهرين": 2, "شهر": 1, "عامين": 24, "عام": 12, "سنتين": 24, "سنه": 12}
_LATER = re.compile(
    rf"(?:^(?:و?في{_S}|و)?|(?<!\w))بعد{_S}(?:{_THAT}{_S}ب)?"
    rf"(?:(?P<unit>{'|'.join(_MONTH_UNITS)})"
    rf"|(?P<count>[0-9]{{1,2}}|{'|'.join(sorted(_NUMBERS, key=len, reverse=True))}){_S}"
    rf"(?P<many>اشهر|شهور|اعوام|سنوات|سنين))(?!\w)"
    # "بعد عامين من اندلاع الحرب" counts from the war, not from the paragraph above; "من
    # ذلك" and "من رحيله" (the event above, by its pronoun) count from it
    rf"(?!{_S}(?:من|علي){_S}(?!(?:ذلك|{_THAT}(?!{_S}ال))(?!\w)))"
)


def months_later(opening: str) -> int | None:
    """Months from the previous dated paragraph, if the clause opens so ("بعد شهر من ذلك" → 1,
    "بعد عامين" → 24) or tells so right after its verb ("عاد إلى السودان بعد ثلاث سنوات")."""
    match = _LATER.match(opening)
    if match is None:
        match = _LATER.search(opening)
        if match is None or not _told_before(opening[: match.start()].split()):
            return None
    if match["unit"]:
        return _MONTH_UNITS[match["unit"]]
    count = match["count"]
    months = int(count) if count.isdigit() else _NUMBERS[count]
    return months if match["many"] in ("اشهر", "شهور") else 12 * months


_ANAPHORA = tuple(
    (re.compile(rf"(?<!\w){pattern.pattern.removeprefix('^')}"), days)
    for pattern, days in _ANAPHORIC
)


def anaphora(text: str) -> list[tuple[int, int, int]]:
    """Each phrase of ``text`` that counts days from its paragraph's own day, wherever it is
    ("… ولكن المواجهات تجددت في اليوم التالي"): (days, start, end)."""
    found = []
    for pattern, days in _ANAPHORA:
        for match in pattern.finditer(text):
            found.append((_counted(match, days), match.start(), match.end()))
    return found


def _counted(match: re.Match[str], days: int | None) -> int:
    if days is not None:
        return days
    if "after" in match.groupdict():
        return _count(match, "after")
    return -_count(match, "before")


def anaphoric(opening: str) -> int | None:
    """Days from the previous dated paragraph, if the clause opens so ("في اليوم التالي" → 1)."""
    for pattern, days in _ANAPHORIC:
        match = pattern.match(opening)
        if match is not None:
            return _counted(match, days)
    return None


# A clause that only links the paragraph to the one above ("من جهتها،", "بدوره،", "وفي سياق
# متصل،", "إلى ذلك،"): the opening that dates the paragraph is the clause after it.
_LINK = re.compile(
    r"^(?:و|ف)?(?:من (?:جهت|جانب|ناحيت)(?:ه|ها|هم|هما)|بدور(?:ه|ها|هم|هما)|في المقابل"
    r"|في سياق (?:متصل|اخر|مماثل)|في هذا السياق|الي ذلك|في غضون ذلك|في الاثناء"
    r"|في الوقت (?:نفسه|ذاته)|علي (?:ال)?صعيد \w+|من (?:ناحيه|جهه) اخري|علاوه علي ذلك"
    r"|فضلا عن ذلك|بالتزامن مع ذلك"
    # a vague time: "وبعد عقود من أعمال الصيانة،", "وبعد سنوات من الغياب،"
    r"|(?:بعد|قبل) (?:عقود|سنوات|اعوام|قرون|اشهر|شهور|اسابيع)(?: \w+){0,5}"
    # who says so: "وحسب إحصائيات الإدارة،", "ووفق بيان الوزارة،"
    r"|(?:حسب|بحسب|وفق|وفقا ل|طبقا ل)\w*(?: \w+){0,6})$"
)


# "وفي طرابلس،", "وفي بيان لها،": where, before the clause that tells what happened then.
_SETTING = re.compile(r"^(?:و|ف)?في [^\d\s]+(?: [^\d\s]+){0,2}$")


def setting(clause: str) -> bool:
    """Whether the clause only sets the scene ("وفي طرابلس"): a few words after في, no number.
    Whether it names a time instead ("وفي رمضان", "وفي اليوم التالي") the caller asks first."""
    return _SETTING.match(clause.strip()) is not None


def link(clause: str) -> bool:
    """Whether the clause only links its paragraph to the one above ("من جهتها")."""
    return _LINK.match(clause.strip()) is not None


_BACKGROUND = re.compile(
    # "ومنذ 2011" is history; "ومنذ يومين" counts from the news day (deictic)
    rf"^(?:و|ف)?(?:كان|كانت|كانوا|يذكر|يشار|تجدر|يجدر|سبق|منذ(?!{_S}{_days('since')})|يعود|تعود"
    rf"|للتذكير|للاشاره|للعلم)"
    rf"(?!\w)"
    rf"|^(?:و)?(?:في|خلال){_S}(?:السنوات|الاعوام|العقود|الاشهر){_S}(?:الماضيه|الاخيره)"
)


_REMINDER = re.compile(r"^(?:و)?(?:يذكر|يشار|تجدر|يجدر|للتذكير|للاشاره|للعلم)(?!\w)")


def reminder(opening: str) -> bool:
    """Whether the clause reminds the reader of something ("يذكر أن", "وللتذكير")."""
    return _REMINDER.match(opening) is not None


def imperfect(opening: str) -> bool:
    """Whether the clause may open with a verb in the present or the future ("وتتوقع
    الأرصاد", "ويعد النيل", "وستستخدم البيانات"): what is, or is expected, rather than what
    happened. A past verb may begin with ت too ("تمكن"): read as present, it is left undated,
    the cautious side."""
    words = opening.split()
    first = _unjoined(words[0]) if words else ""
    if first[:1] == "س" and first[1:2] in "يتن" and _future(first):
        first = first[1:]  # "وستستخدم": what will be
    return first[:1] in "يت" and len(first) > 2 and not _verbal_noun(first)


def _verbal_noun(word: str) -> bool:
    """Whether a word opening with ت is a verbal noun on تفعيل ("وتحديدا في الدقيقة 93"،
    "تطبيق"), not a present verb (which on that shape opens with تت: "وتتميز المدينة")."""
    core = word.removesuffix("ا") if len(word) == 6 else word
    return len(core) == 5 and core[0] == "ت" and core[1] != "ت" and core[3] == "ي"


def to_come(opening: str) -> bool:
    """Whether the clause opens with what is to come: a verb in the future ("وستعقد") or what
    is scheduled or expected ("ومن المقرر أن تعقد")."""
    words = opening.split()
    return _EXPECTED.match(opening) is not None or (bool(words) and _future(_unjoined(words[0])))


def background(opening: str) -> bool:
    """Whether the clause opens as history ("وكانت القوات قد…", "يذكر أن", "ومنذ 2011",
    "وللتذكير")."""
    return _BACKGROUND.match(opening) is not None


_EARLIER = re.compile(r"^(?:و|ف)?(?:كان|كانت|كانوا)(?!\w)")


def earlier(opening: str) -> bool:
    """Whether the clause tells of an earlier event ("وكانت الوزارة قد عقدت"), whose own day
    it may name."""
    return _EARLIER.match(opening) is not None
