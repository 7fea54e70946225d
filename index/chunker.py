"""Article → passages: every paragraph is one, dated where the article dates it.

Reading order matters, as it does for a reader. A heading opens a section. Each paragraph's
opening is read by :mod:`khabar.index.openings`; what it claims is resolved here against two
anchors the article itself sets:

* the **reference day** — the day of the latest dateline ("دمشق - 12 ديسمبر (رويترز) -"), else
  the article's ``published`` day: it gives year-less dates their year and anchors weekdays
  ("يوم الاثنين") and deictic words ("أمس", "قبل يومين");
* the **previous dated paragraph** — the anchor of anaphoric openings ("في اليوم التالي");
* the **news day** — the dateline's, or the lead's own when it is within a week before
  ``published``: a later section goes on with it (a wire's "ردود فعل" are of its day), and a
  day over a month before it is a flashback that passes nothing on.

A paragraph that opens with its own date (or names it in an aside after its subject: "أعلنت
الوزارة، يوم الاثنين، …") never inherits another. One with no date of its own
inherits the date of the dated paragraph before it in the same section (at a section's start,
the news day), unless it opens as background ("وكانت القوات قد…") or that date is history: a
span longer than a month ("في عام 2013،", "صيف 2012") dates its own paragraph only. Dates
further inside a paragraph ("منذ يوليو/تموز") are what it mentions, not when it happened: only
the opening is read. Dating is information about a passage; every paragraph, dated or not, is
searched alike.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
import re
from dataclasses import dataclass, replace

from khabar.index import openings
from khabar.index.calendar import (
    PartialDate,
    add_months,
    day_number,
    in_year,
    resolve_span,
    shift,
    span_days,
)
from khabar.index.corpus import RawArticle
from khabar.index.dates import DateSpan, parse_dates
from khabar.index.models import Citation, DateSource, Passage, passage_id
from khabar.index.normalize import normalize

# A heading is a short line without sentence punctuation or numbers ("هجوم واسع"); "قتل 12
# مدنياً في سوق عربين" is a sentence that happens to be short.
_SENTENCE_MARKS = re.compile(r"[.،,:؛;!?؟\"«»“”()…\-–—]")
_HEADING_MAX_WORDS = 8
_HEADING_MAX_CHARS = 70
# A dateline and a dating clause fit well within this; past it, only a lead's first sentence is
# read, for the news' day.
HEAD_CHARS = 160
_LEAD_CHARS = 400  # a lead's first sentence, read whole for its day (_Reader._lead)
ASIDES = 2  # comma-set clauses after the subject looked at for its day
# A clause ends at punctuation, but not at a decimal point or a time's colon ("1.8", "10:30").
CLAUSE_END = re.compile(r"[،؛;!?؟]|(?<![0-9])[,.:]|[,.:](?![0-9])")
# A clause that explains the one before it ("، إذ هبط المؤشر"، "، حيث قتل").
_EXPLAINING = re.compile(r"\s*(?:اذ|حيث)\s+")
# The "قد" of "وكان … قد أطلق": the earlier event's verb follows it.
_QAD = re.compile(r"(?<!\w)قد(?!\w)")
# A dateline may run a few days past the page's published day (a time zone, a late first
# version): filed on "1 كانون الثاني" and published on 31 December is the next day.
FILING_GRACE = 7
# A year-less day this close to the previous dated paragraph's day shares its year.
NEAR_DAYS = 31
# A year-less day told as to come ("وتعقد الجلسة في 15 ديسمبر") up to this many days after the
# reference day is in the reference's year, not the year before.
SOON_DAYS = 62
# A sentence ends at . ! ? ؟ before a space or the end ("3.5" goes on).
_SENTENCE_END = re.compile(r"[.!?؟](?:\s|$)")
# Longer than this, a span is history: it dates its own paragraph and passes nothing on.
HISTORY_DAYS = 31
# A section under such a heading tells the past, not the story's news day.
_BACKGROUND_HEADING = re.compile(
    r"^(?:ال)?(?:خلفيه|خلفيات|تذكير|للتذكير|نبذه|تاريخ|من هو|من هي|ما هو|ما هي)(?!\w)"
)


def is_heading(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= _HEADING_MAX_WORDS
        and len(line) <= _HEADING_MAX_CHARS
        and not _SENTENCE_MARKS.search(line)
        and not any(char.isdigit() for char in line)
    )


@dataclass(frozen=True)
class Dating:
    """The days a paragraph is dated with, and how."""

    start: PartialDate
    end: PartialDate
    source: DateSource

    @property
    def history(self) -> bool:
        return span_days(self.start, self.end) > HISTORY_DAYS

    @property
    def single_day(self) -> bool:
        return self.start == self.end


def _span_dating(
    span: DateSpan, reference: PartialDate | None, source: DateSource, ahead: bool = False
) -> Dating:
    start, end = resolve_span(span.start, span.end, reference, ahead=ahead)
    return Dating(start, end, DateSource.APPROXIMATE if span.approximate else source)


def _day(date: dt.date) -> PartialDate:
    return PartialDate.of(date)


# A paragraph wholly in brackets: a wire's credit line or an editor's note.
_NOTE = re.compile(r"^\s*\([^()]*\)\s*$")
# What happens every year, month or week: no one day's event.
_HABITUAL = re.compile(r"(?<!\w)(?:سنويا|شهريا|اسبوعيا|كل (?:عام|سنه|شهر|اسبوع))(?!\w)")


class _Reader:
    """The anchors a reader keeps while going through one article."""

    def __init__(self, published: dt.date | None) -> None:
        self.published = PartialDate.of(published) if published else None
        self.reference = self.published
        self.previous: PartialDate | None = None  # last single-day date, for "اليوم التالي"
        self.previous_earlier = False  # whether that day is an earlier event's (background)
        self.last: PartialDate | None = None  # last date's first day, for "الشهر التالي"
        self.last_end: PartialDate | None = None  # and its last, for "بعد عامين" of a year
        self.section: Dating | None = None  # what an undated paragraph here inherits
        # the story's news day: the latest dateline's, or the lead's own when it is news of the
        # days before publication ("توج الأهلي … يوم الجمعة")
        self.news_day: Dating | None = None
        self.read = 0  # paragraphs read

    def date(self, text: str) -> Dating | None:
        """Date one paragraph and move the anchors, as its opening says."""
        self.read += 1
        if _NOTE.match(text):  # "(تغطية صحفية … - تحرير …)": the desk's note, no event
            return None
        head = normalize(text[:HEAD_CHARS])
        reference_date = self.reference.to_date() if self.reference else None
        found: Dating | None = None
        line = openings.dateline(head, reference_date)
        if line is not None:
            head = head[line.end :].lstrip(" -–—:")
            if line.span is not None:  # filed by publication, whatever came before
                filed = shift(self.published, FILING_GRACE) if self.published else None
                found = _span_dating(line.span, filed, DateSource.DATELINE)
                if found.single_day:
                    self.reference = found.start
                    self.news_day = found
                    reference_date = found.start.to_date()
        end = CLAUSE_END.search(head)
        clause = head[: end.start()] if end else head
        rest = head[end.end() :] if end is not None else ""
        while end is not None and (  # "من جهتها، أوضحت …"، "وفي طرابلس، قطع محتجون أمس …"
            openings.link(clause)
            or (openings.setting(clause) and self._own(clause, reference_date) is None)
        ):
            end = CLAUSE_END.search(rest)
            clause = rest[: end.start()] if end else rest
            rest = rest[end.end() :] if end is not None else ""
        if openings.background(clause):
            told = self._earlier(clause, rest, reference_date)
            if told is None and openings.reminder(clause):
                told = self._recalled(normalize(text[:_LEAD_CHARS]), reference_date)
            back = openings.dates_back(clause, reference_date) if told is None else None
            if back is not None:  # "وتعود وقائع القضية إلى أغسطس 2017"
                told = _span_dating(back, self.reference, DateSource.EXPLICIT)
            if told is not None and told.single_day:
                self.previous = told.start  # "وفي اليوم التالي" after it counts from it
                self.previous_earlier = True
            return told or found
        own = self._own(clause, reference_date)
        if own is None and end is not None and not openings.says(clause):
            present = openings.present_verb(clause)  # "ويشهد اليوم الأول، الخميس،": to come
            own = self._aside(rest, reference_date, present)
            own = own or self._explained(rest, reference_date)
            # where a day above carries on, only a clause that goes on with a past event
            # ("أمضت سنواتها الأخيرة في القاهرة، وتوفيت فيها في 3 أبريل 2020")
            if own is None and (self.section is None or not openings.imperfect(clause)):
                own = self._continued(rest, reference_date)
        if own is None and found is None and self.read == 1:
            own = self._lead(normalize(text[:_LEAD_CHARS]))
        if own is not None and (found is None or (own.start, own.end) != (found.start, found.end)):
            found = own  # the event's own day; the dateline's only says when it was filed
        if found is not None:
            found = self._lasting(found, clause)
            if self.read == 1 and self.news_day is None and self._of_the_news(found):
                self.news_day = found
            # counted from an earlier event ("وفي اليوم التالي" after "وكان … قد"): the past too
            earlier = found.source is DateSource.RELATIVE and self.previous_earlier
            if found.single_day or self._lasted(found):  # "اليوم نفسه" after it: its last day
                self.previous, self.previous_earlier = found.end, earlier
            self.last, self.last_end = found.start, found.end
            if self._after_reference(found):  # what is to come: back to the story's news
                self.section = self.news_day or self.section
            elif not earlier and self._period_of_the_news(found):
                self.section = self.news_day  # "خلال النصف الأول" in a wire's lead
            elif not earlier and self._as_at(found):
                self.section = self.news_day
            elif not earlier:
                self.section = None if found.history or self._flashback(found) else found
            return found
        if self.section is not None:
            if openings.imperfect(clause):
                return None  # "ويصنف الأردن …", "وتتوقع الأرصاد أن …": what is, not that day
            inherited = Dating(self.section.start, self.section.end, DateSource.INHERITED)
            lasting = self._lasting(inherited, clause)
            if lasting is not inherited:
                self.previous, self.previous_earlier = lasting.end, False
            return lasting
        return None

    def _period_of_the_news(self, found: Dating) -> bool:
        """Whether a wire's lead tells of a period ("بلغت الصفقات خلال النصف الأول …"): the
        story goes on with its dateline's day, as after any lead."""
        news_day = self.news_day
        return (
            self.read == 1
            and found.history
            and news_day is not None
            and news_day.source is DateSource.DATELINE
        )

    def _lasting(self, found: Dating, clause: str) -> Dating:
        """A day's event that lasted "حتى عصر اليوم التالي" spans both days."""
        if not found.single_day or not openings.until_next_day(clause):
            return found
        return Dating(found.start, shift(found.start, 1), found.source)

    @staticmethod
    def _lasted(found: Dating) -> bool:
        """Whether the dating is a day and the next (:meth:`_lasting`)."""
        return found.end == shift(found.start, 1)

    def _lead(self, lead: str) -> Dating | None:
        """A lead's day said anywhere in its first sentence ("توج الترجي باللقب بعد فوزه في
        المباراة النهائية التي أقيمت مساء أمس الخميس"): a lead tells the news, and its "أمس" is
        the news' day wherever the sentence puts it."""
        sentence = _SENTENCE_END.split(lead, maxsplit=1)[0]
        moved = openings.deictic(sentence)
        if moved is None or self.reference is None or moved.days > 0:
            return None
        start = shift(self.reference, moved.days)
        return Dating(start, shift(start, moved.span_days), DateSource.DEICTIC)

    def _to_come(self, clause: str, span: DateSpan) -> bool:
        """Whether the clause tells a year-less day as to come: in the future ("وستعقد الجلسة
        في 5 يناير"، "ومن المقرر أن …"), on or after the reference day; in the present
        ("وتعقد الجلسة في 15 ديسمبر"), if it falls soon after the reference day in its year (a
        verb opening with ت may be past, and a past verb on such a day is the year before's)."""
        reference = self.reference
        if span.start.year is not None or reference is None or reference.year is None:
            return False
        if openings.to_come(clause):
            return True
        if not openings.imperfect(clause):
            return False
        ahead = day_number(in_year(span.start, reference.year)) - day_number(reference)
        return 0 < ahead <= SOON_DAYS

    def _after_reference(self, found: Dating) -> bool:
        """Whether a paragraph's day is after the reference day: what is to come is not the
        day of the paragraphs after it, which go on with the story's news day."""
        reference = self.reference
        if reference is None or reference.year is None or found.start.year is None:
            return False
        return day_number(found.start) > day_number(reference)

    def _as_at(self, found: Dating) -> bool:
        """Whether a paragraph of the news tells a figure or state of a part of a month before
        the news day ("بلغ إجمالي الموجودات في نهاية مارس"), or counted since a day up to it
        ("منذ بداية الحالة المطرية يوم الأحد"): the story goes on with its day."""
        news_day = self.news_day
        return (
            news_day is not None
            and found.source is DateSource.APPROXIMATE
            and not found.single_day
            and not found.history
            and not self._flashback(found)
            and day_number(found.start) < day_number(news_day.start)
            and day_number(found.end) <= day_number(news_day.start)
        )

    def _flashback(self, found: Dating) -> bool:
        """Whether the story goes back in time here (a day over a month before its news
        day): what follows is not of that day."""
        news_day = self.news_day
        if news_day is None or found.source is DateSource.DATELINE:
            return False
        return day_number(found.end) < day_number(news_day.start) - NEAR_DAYS

    def _of_the_news(self, found: Dating) -> bool:
        """Whether a lead's day is the news of its publication: within ``FILING_GRACE`` days
        before it (a look back, "في 15 نوفمبر، بدأ الهجوم" a month before, is not)."""
        published = self.published
        if published is None or not found.single_day or published.year is None:
            return False
        return 0 <= day_number(published) - day_number(found.start) <= FILING_GRACE

    def open_section(self, heading: str) -> None:
        """A new section: a story's goes on with its news day, unless it is background."""
        background = _BACKGROUND_HEADING.match(normalize(heading))
        self.section = None if self.news_day is None or background else self.news_day

    def _earlier(self, clause: str, rest: str, reference_date: dt.date | None) -> Dating | None:
        """An earlier event's own day ("وكانت الوزارة قد عقدت في 28 نوفمبر", "…قد شنت أمس",
        "…قد أيدت، في 12 ديسمبر الماضي،", "وكان القمر، أول قمر …، قد أطلق في 29 أكتوبر 2018",
        "…قد أعلنت قبل ذلك بيومين" of the paragraph above's day),
        which dates its paragraph and no other: background
        neither takes the news' date nor passes its own on. "ومنذ 2011" is when something
        began, not an event's day."""
        if not openings.earlier(clause):
            return None
        spans = parse_dates(clause, reference=reference_date, today=False).spans
        if spans:
            return _span_dating(spans[0], self.reference, DateSource.EXPLICIT)
        found = self._own(clause, reference_date) or self._aside(rest, reference_date)
        qad = _QAD.search(rest)
        if found is None and qad is not None:  # "وكان "خليفة سات"، أول قمر …، قد أطلق في …"
            end = CLAUSE_END.search(rest, qad.end())
            told = openings.told(rest[qad.start() : end.start() if end else None], reference_date)
            if told is not None:
                found = _span_dating(told, self.reference, DateSource.EXPLICIT)
        counted = openings.anaphora(clause)
        if found is None and len(counted) == 1 and self.previous is not None:
            day = shift(self.previous, counted[0][0])  # "وكانت الوزارة قد أعلنت قبل ذلك بيومين"
            found = Dating(day, day, DateSource.RELATIVE)
        return found

    def _recalled(self, lead: str, reference_date: dt.date | None) -> Dating | None:
        """The one past event a reminder recalls ("يذكر أن مباراة الذهاب، التي جرت يوم 8
        أكتوبر الماضي، …"): the narrowest day its first sentence names, if every other it
        names holds it ("رمضان من العام الماضي … في 29 رمضان الموافق 20 أبريل 2023");
        a reminder of two events apart is left undated."""
        sentence = _SENTENCE_END.split(lead, maxsplit=1)[0]
        if _HABITUAL.search(sentence):  # "تتعرض سنويا لنحو 12 نوة": every year's, no event
            return None
        spans = parse_dates(sentence, reference=reference_date, today=False).spans
        found = [
            _span_dating(span, self.reference, DateSource.EXPLICIT)
            for span in spans
            if not openings.after_bound(sentence, span.begin)  # "منذ 2011": a start, not the event
        ]
        if not found or any(d.start.year is None for d in found):
            return None
        narrowest = min(found, key=lambda d: span_days(d.start, d.end))
        first, last = day_number(narrowest.start), day_number(narrowest.end)
        if all(day_number(d.start) <= first and last <= day_number(d.end) for d in found):
            return narrowest
        return None

    def _agreeing(self, span: DateSpan, weekday: int | None) -> Dating | None:
        """A year-less day written with its weekday ("الثلاثاء 16 يناير"), or a range that
        starts so ("من السبت 15 حزيران حتى الثلاثاء 18 حزيران"), in the year nearest the
        reference day where the two agree: a forecast's day may be after it."""
        reference = self.reference
        if weekday is None or span.start.year is not None or span.approximate:
            return None
        if reference is None or reference.year is None:
            return None
        at = day_number(reference)
        days = [in_year(span.start, year) for year in range(reference.year - 1, reference.year + 2)]
        agreeing = [d for d in days if (on := d.to_date()) is not None and on.weekday() == weekday]
        if not agreeing:
            return None
        day = min(agreeing, key=lambda d: abs(day_number(d) - at))
        end = in_year(span.end, day.year) if day.year is not None else day
        if end < day:  # "من 28 ديسمبر حتى 3 يناير"
            end = in_year(span.end, day.year + 1) if day.year is not None else day
        return Dating(day, end, DateSource.EXPLICIT)

    def _near_previous(self, span: DateSpan) -> Dating | None:
        """A year-less day within ``NEAR_DAYS`` of the previous dated paragraph's day, in that
        one's year or the next ("في 12 ديسمبر 2019 … وفي 15 ديسمبر"): a story told in order
        does not jump years between close days. Never past the reference day, the article
        cannot have seen it, unless the story has already gone past it by its own count."""
        previous, reference = self.previous, self.reference
        if span.start.year is not None or previous is None or previous.year is None:
            return None
        if reference is not None and (reference.year is None or previous > reference):
            reference = None  # the story has moved past it on its own ("بعد أسبوع")
        at = day_number(previous)
        for year in (previous.year, previous.year + 1, previous.year - 1):
            start = in_year(span.start, year)
            if reference is not None and start > reference:
                continue
            if abs(day_number(start) - at) <= NEAR_DAYS:
                return _span_dating(span, start, DateSource.EXPLICIT)
        return None

    def _explained(self, rest: str, reference_date: dt.date | None) -> Dating | None:
        """The date of a clause that explains the first ("انعكس تراجع النفط على الأسهم، إذ هبط
        المؤشر في جلسة اليوم"): it tells of the same moment."""
        opener = _EXPLAINING.match(rest)
        if opener is None:
            return None
        clause = rest[opener.end() :]
        end = CLAUSE_END.search(clause)
        return self._own(clause[: end.start()] if end else clause, reference_date)

    def _nowadays(self, moved: openings.Shift, clause: str) -> bool:
        """Whether "اليوم" means nowadays: told in the present past a first paragraph that
        gave no news day ("وتضم القلعة اليوم عددا من المتاحف" of an explainer); a story's
        "ويعقد المجلس اليوم جلسة" is its day."""
        return (
            (moved.days, moved.span_days) == (0, 0)
            and self.read > 1
            and self.news_day is None
            and openings.imperfect(clause)
        )

    def _continued(self, rest: str, reference_date: dt.date | None) -> Dating | None:
        """The date of a clause that goes on with the first ("التحق بكلية العلوم، وحصل منها
        على البكالوريوس عام 1967", "، ثم حصل على …"), read where no day above carries on:
        an explainer's, a biography's paragraph is of the day its story reaches first; the
        first of ``ASIDES`` such clauses in a row that tells one ("انتقل إلى الرياض، ثم التحق
        بالكلية، وتخرج فيها عام 1968")."""
        for _ in range(ASIDES):
            rest = rest.lstrip()
            if not (rest.startswith("و") or rest.startswith("ثم ")):
                return None
            end = CLAUSE_END.search(rest)
            found = self._own(rest[: end.start()] if end else rest, reference_date)
            if found is not None or end is None:
                return found
            rest = rest[end.end() :]
        return None

    def _aside(
        self, rest: str, reference_date: dt.date | None, present: bool = False
    ) -> Dating | None:
        """The date of a clause after the subject that says only when ("قال الجيش، أمس، إن"),
        the first or the second set off by commas ("قررت المحكمة، المنعقدة ببدر، اليوم الأحد،");
        its weekday the coming one after a verb that can only be ``present``."""
        for _ in range(ASIDES):
            end = CLAUSE_END.search(rest)
            if end is None or end.group() not in "،,":
                return None
            clause = rest[: end.start()].strip()
            if openings.aside(clause, reference_date):
                return self._own(clause, reference_date, present)
            rest = rest[end.end() :]
        return None

    def _own(
        self, clause: str, reference_date: dt.date | None, present: bool = False
    ) -> Dating | None:
        counted = self._since(clause, reference_date)
        if counted is not None:
            return counted
        span = openings.explicit(clause, reference_date) or openings.told(clause, reference_date)
        if span is not None:
            last = self.last
            if last is not None and last.year is not None and openings.same_year(clause, span):
                year_end = PartialDate(last.year, 12, 31)  # "مارس من العام نفسه"
                return _span_dating(span, year_end, DateSource.EXPLICIT)
            coming = openings.to_come(clause) or openings.future_before(clause[: span.begin])
            named = openings.weekday_of(clause, span)
            if span.coming is not None and named is not None:  # "غد الأربعاء ٧ جمادى الآخرة"
                agrees = _weekday_is(span.coming[0], named) and not _weekday_is(span.start, named)
                coming = coming or agrees
            if span.coming is not None and coming:  # "ستعلن في 29 رمضان"
                span = replace(span, start=span.coming[0], end=span.coming[1])
            if span.ahead or self._to_come(clause, span):  # "20 يناير المقبل"، "ستعقد في"
                return _span_dating(span, self.reference, DateSource.EXPLICIT, ahead=True)
            agreed = self._agreeing(span, named)
            if agreed is not None:
                return agreed
            near = self._near_previous(span)
            if near is not None:
                return near
            return _span_dating(span, self.reference, DateSource.EXPLICIT)
        days = 0 if openings.same_occasion(clause) else openings.anaphoric(clause)
        if days is not None and self.previous is not None:
            day = shift(self.previous, days)
            return Dating(day, day, DateSource.RELATIVE)
        months = openings.months_later(clause)
        if months is not None and self.last is not None and self.last_end is not None:
            later = _later(self.last, self.last_end, months)
            reference = self.reference
            if reference is None or None in (reference.year, later.start.year):
                return later
            if later.start <= reference:  # past the news day: how long it lasted, not when
                return later
        anchor = self.last.to_date() if self.last is not None else None
        anchor_end = self.last_end.to_date() if self.last_end is not None else None
        # the year after "بين عامي 1976 و1981" is 1982; the same year, its first
        following = openings.following(clause, anchor, anchor_end) if anchor is not None else None
        if following is not None:  # "في الشهر التالي": a span, as "في نوفمبر" is
            return Dating(_day(following[0]), _day(following[1]), DateSource.APPROXIMATE)
        weekdays = openings.weekdays(clause, reference_date, present)
        if weekdays is not None:
            return Dating(_day(weekdays[0]), _day(weekdays[1]), DateSource.WEEKDAY)
        moved = openings.deictic(clause)
        if moved is not None and self.reference is not None and not self._nowadays(moved, clause):
            start = shift(self.reference, moved.days)
            return Dating(start, shift(start, moved.span_days), DateSource.DEICTIC)
        if reference_date is not None:
            period = openings.period_at(clause, reference_date, bounded=True)
            if period is not None:  # "الشهر الماضي": a span, as "في نوفمبر" is
                first, last = _day(period[0]), _day(period[1])
                return Dating(first, last, DateSource.APPROXIMATE)
        return None

    def _since(self, clause: str, reference_date: dt.date | None) -> Dating | None:
        """A figure counted since a day ("سجلت الولاية منذ غرة جوان 45 حريقا"): that day to
        the reference day."""
        span = openings.since(clause, reference_date)
        reference = self.reference
        if span is None or reference is None or reference.year is None:
            return None
        start = _span_dating(span, reference, DateSource.EXPLICIT).start
        if start.year is None or start > reference:
            return None
        until = openings.since_until(clause, span, reference_date) if reference_date else None
        end = _day(until) if until is not None else reference
        return Dating(start, max(end, start), DateSource.APPROXIMATE)


def _weekday_is(day: PartialDate, weekday: int) -> bool:
    """Whether the day falls on the weekday (Monday 0)."""
    on = day.to_date()
    return on is not None and on.weekday() == weekday


def _later(start: PartialDate, end: PartialDate, months: int) -> Dating:
    """The dates ``months`` after the last dated paragraph's: a year after a year ("وفي عام
    1963 … بعد عامين" is 1965, not two years after the news day); after a day, the month or
    the year it falls in ("وبعد عام" of 12 March 2014 is 2015: no day is told)."""
    if start == end:
        day = add_months(start, months)
        first, last = (1, 12) if months % 12 == 0 else (day.month, day.month)
        last_day = stdlib_calendar.monthrange(day.year or 2000, last)[1]
        return Dating(
            day._replace(month=first, day=1),
            day._replace(month=last, day=last_day),
            DateSource.APPROXIMATE,
        )
    month_end = end.day == stdlib_calendar.monthrange(end.year or 2000, end.month)[1]
    later_end = add_months(end._replace(day=31) if month_end else end, months)
    return Dating(add_months(start, months), later_end, DateSource.APPROXIMATE)


def chunk(article: RawArticle) -> list[Passage]:
    """Split one article into passages, in article order; paragraphs are numbered from 1."""
    passages: list[Passage] = []
    reader = _Reader(article.published)
    heading: str | None = None
    number = 0
    last = len(article.blocks) - 1
    for index, block in enumerate(article.blocks):
        # A line that only looks like a heading heads nothing when nothing follows it.
        if block.heading or (block.heading is None and index < last and is_heading(block.text)):
            heading = block.text
            reader.open_section(heading)
            continue
        number += 1
        dating = reader.date(block.text)
        passages.append(
            Passage(
                id=passage_id(article.id, number),
                date=dating.start.iso() if dating else None,
                date_end=dating.end.iso() if dating and dating.end != dating.start else None,
                date_source=dating.source if dating else None,
                heading=heading,
                text=block.text,
                source=Citation.of(article, number),
            )
        )
    return passages
