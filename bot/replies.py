"""What a person reads: date labels, citations, the plain reply, and the JSON contract.

The console, ``khabar ask`` and the Telegram bot all start from these pieces, so a date or a
citation reads the same everywhere. Everything here renders an :class:`index.search.Answer`;
nothing here ranks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from hijridate import Gregorian

from khabar.index.calendar import PartialDate, days_in_month
from khabar.index.dates import parse_dates
from khabar.index.models import DateSource, Hit, Passage
from khabar.index.months import GREGORIAN_DISPLAY, HIJRI_DISPLAY, LEVANTINE_DISPLAY
from khabar.index.search import Answer, Engine, Intent
from khabar.index.table import example_questions

MAX_EXAMPLES = 3
_ARABIC = re.compile(r"[\u0621-\u064a]")


def examples(engine: Engine) -> list[str]:
    """Questions to offer a reader of this archive: those its articles' sidecars list, or else
    one about its latest event day (none when it dates nothing)."""
    return offered(engine).examples


def date_spellings(engine: Engine) -> Spellings:
    """The archive's latest event day as /date takes it, in three families' spellings."""
    return offered(engine).spellings


class Spellings(NamedTuple):
    """One day written three ways, for the /date help: "6 مارس 2024", "٦ آذار ٢٠٢٤",
    "2024-03-06"."""

    egyptian: str
    levantine: str
    numeric: str


# For an archive that dates nothing: the format alone.
GENERIC_SPELLINGS = Spellings("7 ديسمبر", "١٠ كانون الأول", "2016-12-07")
_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


class Archive(NamedTuple):
    """How replies name what is indexed, with the verbs that agree with it."""

    noun: str  # المقال، المقالات
    covers: str  # يتناول، تتناول
    mentions: str  # يذكره، تذكره
    holds: str  # فيه، فيها


ONE_ARTICLE = Archive("المقال", "يتناول", "يذكره", "فيه")
SEVERAL_ARTICLES = Archive("المقالات", "تتناول", "تذكره", "فيها")


class Offered(NamedTuple):
    """What replies offer a reader of one archive, worked out once per index (a large one's
    days take milliseconds to list, and /start, /help and /date are answered on the event
    loop)."""

    examples: list[str]
    spellings: Spellings
    dated: bool  # whether any passage is an event with a date
    archive: Archive = ONE_ARTICLE


# What a reply offers when it knows nothing of the archive.
NOTHING_OFFERED = Offered([], GENERIC_SPELLINGS, dated=False)


_OFFERED: WeakKeyDictionary[Engine, Offered] = WeakKeyDictionary()


def offered(engine: Engine) -> Offered:
    if engine not in _OFFERED:
        _OFFERED[engine] = _offer(engine)
    return _OFFERED[engine]


def _offer(engine: Engine) -> Offered:
    found = example_questions(engine.articles, MAX_EXAMPLES)
    archive = ONE_ARTICLE if len(engine.articles) <= 1 else SEVERAL_ARTICLES
    days = engine.event_days()
    if not days:  # dated by months or years only, a question about the latest of them
        count, latest = engine.spanned()
        label = _askable(latest)
        if not found and label is not None:
            found = [f"ماذا حدث في {label}؟"]
        return Offered(found, GENERIC_SPELLINGS, dated=bool(count), archive=archive)
    day = PartialDate.from_iso(_happened(days, engine)[-1])
    if not found:
        found = [f"ماذا حدث في {gregorian_label(day)}؟"]
    levantine = f"{day.day} {LEVANTINE_DISPLAY[day.month - 1]}"
    if day.year is not None:
        levantine += f" {day.year}"
    numeric = day.iso() if day.year is not None else f"{day.day}/{day.month}"
    spellings = Spellings(gregorian_label(day), levantine.translate(_INDIC), numeric)
    return Offered(found, spellings, dated=True, archive=archive)


def _happened(days: list[str], engine: Engine) -> list[str]:
    """The event days up to the latest article's publication, if any: a day to come ("تعقد
    اللجنة اجتماعها في 28 مارس") is not one to ask what happened on."""
    published = [a.published.isoformat() for a in engine.articles if a.published is not None]
    if not published:
        return days
    latest = max(published)
    past = [day for day in days if day.startswith("-") or day <= latest]
    return past or days


def gregorian_label(day: PartialDate) -> str:
    """ "7 ديسمبر 2016", or "7 ديسمبر" without a year: Western digits, Egyptian names."""
    label = f"{day.day} {GREGORIAN_DISPLAY[day.month - 1]}"
    return f"{label} {day.year}" if day.year is not None else label


def hijri_label(day: dt.date) -> str:
    """ "8 ربيع الأول 1438" (Umm al-Qura), or "" outside what hijridate covers."""
    try:
        hijri = Gregorian.fromdate(day).to_hijri()
    except (ValueError, OverflowError):
        return ""
    return f"{hijri.day} {HIJRI_DISPLAY[hijri.month - 1]} {hijri.year}"


def day_label(day: PartialDate) -> str:
    """ "7 ديسمبر 2016 (8 ربيع الأول 1438)"; a year-less day has no Hijri twin."""
    label = gregorian_label(day)
    try:
        real = day.to_date()
    except ValueError:
        return label
    hijri = hijri_label(real) if real is not None else ""
    return f"{label} ({hijri})" if hijri else label


def iso_label(iso: str) -> str:
    """An ISO day for people: "7 ديسمبر 2016 (8 ربيع الأول 1438)"."""
    return day_label(PartialDate.from_iso(iso))


def span_label(start: PartialDate, end: PartialDate) -> str:
    """ "21–30 نوفمبر 2016", or both ends in full when the month changes."""
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{gregorian_label(end)}"
    return f"{gregorian_label(start)} – {gregorian_label(end)}"


def days_label(days: list[str]) -> str:
    """One day, a whole month ("مارس 2011"), a whole year ("عام 2011"), whole years
    ("1980–1989"), or a span."""
    start = PartialDate.from_iso(days[0])
    end = PartialDate.from_iso(days[-1])
    if start == end:
        return day_label(start)
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        if start.year is not None and start.year == end.year:
            return f"عام {start.year}"
        if start.year is not None and end.year is not None:
            return f"{start.year}–{end.year}"  # a decade, or its first years
        return span_label(start, end)
    whole_month = (start.year, start.month) == (end.year, end.month) and start.day == 1
    if whole_month and end.day == days_in_month(end.month, end.year):
        label = GREGORIAN_DISPLAY[start.month - 1]
        return f"{label} {start.year}" if start.year is not None else label
    return span_label(start, end)


# Spans the article tells day by day ("من السبت 15 حزيران حتى الثلاثاء 18 حزيران", "يومي
# السبت والأحد"); the others ("نهاية مايو", a day and "حتى اليوم التالي" inherited) are read.
_EXACT_SPANS = frozenset((DateSource.EXPLICIT, DateSource.WEEKDAY, DateSource.DATELINE))


def date_label(passage: Passage) -> str:
    """The passage's date as a reader wants it; spans read from the text say they are
    approximate."""
    start, end = passage.start(), passage.end()
    if start is None or end is None:
        return "دون تاريخ"
    if passage.date_end:  # a whole month or years say so
        span = span_label(start, end)
        whole = days_label([start.iso(), end.iso()])
        exact = whole != span or passage.date_source in _EXACT_SPANS
        return whole if exact else f"{span} (تقريبًا)"
    return day_label(start)


def citation_label(passage: Passage) -> str:
    source = passage.source
    return f"المصدر: {source.title}، الفقرة {source.paragraph}"


def _dates_phrase(answer: Answer) -> str:
    if answer.asked:  # each date asked: a day, or a span ("6 ديسمبر، 10 ديسمبر" is two days)
        return "، ".join(days_label(days) for days in answer.asked)
    if len(answer.dates) == 2 and answer.dates[0] != answer.dates[1]:
        return days_label(answer.dates)
    return "، ".join(iso_label(d) for d in answer.dates)


class Noun(NamedTuple):
    """A counted noun's forms, by the count's last two digits (Arabic number agreement)."""

    one: str  # 1: the noun and "one" after it (مقال واحد)
    two: str  # 2: the dual (مقالان)
    few: str  # 3–10: the plural (3 مقالات)
    many: str  # 11–99: the singular, accusative (11 مقالًا)
    hundreds: str  # 0, 100, 101, 102, 1000…: the singular, genitive (100 مقال)


PARAGRAPHS = Noun("فقرة واحدة", "فقرتان", "فقرات", "فقرة", "فقرة")
ARTICLES = Noun("مقال واحد", "مقالان", "مقالات", "مقالًا", "مقال")
EVENTS = Noun("حدث واحد", "حدثان", "أحداث", "حدثًا", "حدث")
DAYS = Noun("يوم واحد", "يومان", "أيام", "يومًا", "يوم")
OTHER_RESULTS = Noun("نتيجة أخرى واحدة", "نتيجتان أخريان", "نتائج أخرى", "نتيجة أخرى", "نتيجة أخرى")


def count_label(count: int, noun: Noun = PARAGRAPHS) -> str:
    """A count said as Arabic says it: مقال واحد، مقالان، 3 مقالات، 11 مقالًا، 100 مقال."""
    if count == 1:
        return noun.one
    if count == 2:
        return noun.two
    rest = count % 100
    if 3 <= rest <= 10:
        return f"{count} {noun.few}"
    if 11 <= rest <= 99:
        return f"{count} {noun.many}"
    return f"{count} {noun.hundreds}"


def intro_line(answer: Answer, offered: Offered = NOTHING_OFFERED) -> str | None:
    """The sentence that leads a reply, before any passage (None when the passages say it);
    ``offered``: what the archive offers its readers, and what it is called."""
    examples, archive = offered.examples, offered.archive
    if answer.intent is Intent.EMPTY:
        if not examples:
            return f"اكتب سؤالًا عن {archive.noun}."
        return f"اكتب سؤالًا عن {archive.noun}، مثل: " + "، ".join(f"«{e}»" for e in examples)
    if answer.intent is Intent.INVALID_DATE:
        bad = "، ".join(f"«{d}»" for d in answer.invalid)
        return f"التاريخ {bad} غير صالح: تحقق من اليوم والشهر."
    if answer.pasted and answer.intent is Intent.NO_MATCH:
        return f"لا شيء في {archive.noun} قريب من هذا النص."
    if answer.pasted:
        return f"نص طويل لا سؤال: أقرب ما في {archive.noun} إليه:" if answer.offset == 0 else None
    if answer.intent is Intent.NO_MATCH and not _ARABIC.search(answer.query):
        return "أفهم الأسئلة بالعربية: اكتب سؤالك بالعربية" + (
            f"، مثل «{examples[0]}»." if examples else "."
        )
    if answer.intent is Intent.NO_MATCH:
        line = f"{archive.noun} لا {archive.covers} هذا السؤال. جرّب كلمات أخرى"
        if not examples:
            return line + "."
        # a day the archive covers says best what it is about
        dated = [q for q in examples if parse_dates(q).spans]
        return line + f"، أو اسأل مثلًا «{(dated or examples)[0]}»."
    if answer.intent is Intent.DATE:
        when = _dates_phrase(answer)
        if answer.events:  # then what names the date, or a topic's other days
            more = "، ثم فقرات أخرى" if answer.total > answer.events else ""
            return f"أحداث {when} ({count_label(answer.events)}){more}:"
        line = f"لا أحداث في {when} في {archive.noun}."
        if answer.nearest_dates:
            near = "، ".join(iso_label(d) for d in answer.nearest_dates)
            line += f" أقرب التواريخ: {near}."
        if answer.hits:
            line += f" ما {archive.mentions} {archive.noun}:"
        return line
    missing = None
    if answer.missing and answer.offset == 0:
        words = "، ".join(f"«{word}»" for word in answer.missing)
        missing = f"كلمات لا ترد في {archive.noun}: {words}. أقرب ما {archive.holds}:"
    if answer.intent is Intent.WHEN and answer.when:
        day = f"في {days_label(answer.when)}"
        return f"{missing} {day}" if missing else day
    return missing


def spans_note(spanned: tuple[int, Sequence[Passage]], days: bool) -> str | None:
    """What a timeline of days leaves out: the events dated by a span (a month, a year, "نهاية
    نوفمبر"), asked for by the latest such date /date reads ("مارس 2025", "عام 1975").
    ``spanned``: :meth:`Engine.spanned`; ``days``: whether the timeline lists any day."""
    count, latest = spanned
    example = _askable(latest)
    if not count or example is None:
        return None
    lead = "" if days else "لا أحداث بيوم محدد. "
    return f"{lead}الفقرات المؤرَّخة بفترة لا بيوم ({count}) تجدها بتاريخها، مثل /date {example}"


def _askable(passages: Sequence[Passage]) -> str | None:
    """The first of these passages' dates that a date question reads back ("مارس 2025", "عام
    1975"; not "1980–1989")."""
    labels = (date_label(p).removesuffix(" (تقريبًا)") for p in passages)
    return next((label for label in labels if parse_dates(label).spans), None)


def passage_text(passage: Passage, number: int | None = None) -> str:
    """One passage in plain text: date and heading, the text verbatim, the citation."""
    head = date_label(passage)
    if passage.heading:
        head += f" — {passage.heading}"
    if number is not None:
        head = f"[{number}] {head}"
    return f"{head}\n{passage.text}\n{citation_label(passage)}"


def render_text(answer: Answer, offered: Offered = NOTHING_OFFERED) -> str:
    """The plain reply the console prints and JSON carries as ``reply`` (``offered``: what the
    archive offers its readers)."""
    parts = [line] if (line := intro_line(answer, offered)) else []
    parts.extend(
        passage_text(hit.passage, answer.offset + n) for n, hit in enumerate(answer.hits, start=1)
    )
    if answer.total > answer.offset + len(answer.hits):
        more = answer.total - answer.offset - len(answer.hits)
        parts.append(f"… و{count_label(more, OTHER_RESULTS)}.")
    return "\n\n".join(parts)


def answer_span(hit: Hit) -> dict[str, Any] | None:
    """The sentence that answers, as ``{text, start, end}`` offsets into the passage's text."""
    if hit.answer is None:
        return None
    start, end = hit.answer
    return {"text": hit.passage.text[start:end], "start": start, "end": end}


def answer_json(answer: Answer, offered: Offered = NOTHING_OFFERED) -> dict[str, Any]:
    """The ``khabar ask --json`` object: a contract other tools rely on."""
    return {
        "query": answer.query,
        "dates": answer.dates,
        "results": [
            {
                **hit.passage.model_dump(
                    mode="json",
                    include={"id", "date", "date_end", "date_source", "heading", "text"},
                ),
                "score": round(hit.score, 6),
                "source": hit.passage.source.model_dump(
                    mode="json", include={"title", "paragraph", "published"}
                ),
                "answer": answer_span(hit),
            }
            for hit in answer.hits
        ],
        "nearest_dates": answer.nearest_dates,
        "reply": render_text(answer, offered),
    }
