"""The date grammar: every way a question (or a passage lead) writes a day, and what is no date."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from hijridate import Gregorian, Hijri
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.bot.replies import day_label, gregorian_label, hijri_label
from khabar.index.calendar import PartialDate, days_in_month, resolve_span
from khabar.index.dates import DateSpan, mentioned, parse_dates
from khabar.index.normalize import normalize

SEED = Path(__file__).resolve().parent.parent / "seeds" / "aleppo-2016.txt"
REFERENCE = dt.date(2016, 12, 16)  # the article's publication day
INVALID = "invalid"


def hijri(year: int, month: int, day: int) -> str:
    """ISO day of a Hijri date, straight from hijridate (the oracle, not our code)."""
    return Hijri(year, month, day).to_gregorian().isoformat()


def one(day: str) -> tuple[str, str]:
    return (day, day)


CASES: list[tuple[str, tuple[str, str] | str | None]] = [
    # Egyptian / Gulf names, with and without year, glue words and Arabic-Indic digits
    ("ماذا حدث في 6 ديسمبر؟", one("--12-06")),
    # "ب" glued on a month is "in", as people write it: "شو صار بشباط؟"
    ("شو صار بشباط؟", ("--02-01", "--02-29")),
    ("ماذا حدث بديسمبر؟", ("--12-01", "--12-31")),
    ("وين كنت برمضان؟", (hijri(1437, 9, 1), hijri(1437, 9, 30))),
    ("فاز الفريق بصفر", None),
    ("يوم 6 ديسمبر 2016", one("2016-12-06")),
    ("بتاريخ ٦ ديسمبر ٢٠١٦", one("2016-12-06")),
    ("في ۶ دیسمبر", one("--12-06")),
    ("15 أبريل", one("--04-15")),
    ("15 إبريل 2017", one("2017-04-15")),
    ("15 ابريل", one("--04-15")),
    ("1 يناير 2017", one("2017-01-01")),
    ("28 فبراير", one("--02-28")),
    ("1 مارس 2011", one("2011-03-01")),
    ("2 مايو", one("--05-02")),
    ("3 يونيه", one("--06-03")),
    ("3 يولية 2015", one("2015-07-03")),
    ("20 أغسطس", one("--08-20")),
    ("1 سبتمبر", one("--09-01")),
    ("31 أكتوبر", one("--10-31")),
    ("الـ15 من نوفمبر", one("--11-15")),
    ("في الـ10 من شهر ديسمبر من عام 2016", one("2016-12-10")),
    ("يوم الثلاثاء 6 ديسمبر", one("--12-06")),
    ("15 نوفمبر 2016م", one("2016-11-15")),
    ("6 ديسيمبر", one("--12-06")),  # misspelt as the web often does
    ("15 نوفيمبر", one("--11-15")),
    # Levantine / Iraqi, Persian yeh, informal forms without ال
    ("6 كانون الأول", one("--12-06")),
    ("يوم الثلاثاء ٦ كانون الأول ٢٠١٦", one("2016-12-06")),
    ("15 تشرين الثاني", one("--11-15")),
    ("15 تشرین الثاني", one("--11-15")),
    ("1 كانون الثاني 2017", one("2017-01-01")),
    ("3 شباط", one("--02-03")),
    ("4 آذار", one("--03-04")),
    ("5 نيسان", one("--04-05")),
    ("6 أيار", one("--05-06")),
    ("7 حزيران", one("--06-07")),
    ("8 تموز", one("--07-08")),
    ("9 آب 2016", one("2016-08-09")),
    ("10 أيلول", one("--09-10")),
    ("11 تشرين الأول", one("--10-11")),
    ("12 تشرين أول", one("--10-12")),
    # Algerian / Tunisian
    ("5 جانفي", one("--01-05")),
    ("3 فيفري 2017", one("2017-02-03")),
    ("12 أفريل", one("--04-12")),
    ("1 ماي", one("--05-01")),
    ("4 جوان", one("--06-04")),
    ("5 جويلية", one("--07-05")),
    ("15 أوت", one("--08-15")),
    # Moroccan and Mauritanian
    ("9 يوليوز", one("--07-09")),
    ("10 غشت", one("--08-10")),
    ("11 شتنبر", one("--09-11")),
    ("12 نونبر", one("--11-12")),
    ("13 دجنبر", one("--12-13")),
    ("14 أغشت", one("--08-14")),
    ("16 دجمبر", one("--12-16")),
    # the double form is one date
    ("في 15 نوفمبر/ تشرين الثاني", one("--11-15")),
    ("15 نوفمبر (تشرين الثاني) 2016", one("2016-11-15")),
    ("في 10 ديسمبر/كانون الأول، ندد", one("--12-10")),
    # numeric: day first, ISO year first, two-digit years
    ("6/12", one("--12-06")),
    ("6/12/2016", one("2016-12-06")),
    ("6-12-2016", one("2016-12-06")),
    ("06.12.2016", one("2016-12-06")),
    ("2016-12-06", one("2016-12-06")),
    ("2016/12/06", one("2016-12-06")),
    ("6/12/16", one("2016-12-06")),
    ("بتاريخ ٦/١٢/٢٠١٦", one("2016-12-06")),
    ("يوم الأحد 2016-12-11", one("2016-12-11")),
    # Hijri
    ("7 ربيع الأول 1438", one(hijri(1438, 3, 7))),
    ("15 صفر 1438 هـ", one("2016-11-15")),
    ("15 صفر 1438هـ", one("2016-11-15")),
    ("1 ربيع الاول 1438", one(hijri(1438, 3, 1))),
    ("10 ربيع الآخر 1438", one(hijri(1438, 4, 10))),
    ("10 ربيع الثاني 1438", one(hijri(1438, 4, 10))),
    ("10 جمادى الأولى 1438", one(hijri(1438, 5, 10))),
    ("10 جمادى الآخرة 1438", one(hijri(1438, 6, 10))),
    ("3 رجب 1438 هـ", one(hijri(1438, 7, 3))),
    ("15 شعبان 1437", one(hijri(1437, 8, 15))),
    ("27 رمضان 1437", one(hijri(1437, 9, 27))),
    ("1 شوال 1437", one(hijri(1437, 10, 1))),
    ("1 ذو القعدة 1437", one(hijri(1437, 11, 1))),
    ("1 ذي القعدة 1437", one(hijri(1437, 11, 1))),
    ("10 ذو الحجة 1437", one(hijri(1437, 12, 10))),
    ("1 محرم 1438", one(hijri(1438, 1, 1))),
    ("7/3/1438هـ", one(hijri(1438, 3, 7))),
    ("7 ربيع الأول", one(hijri(1438, 3, 7))),  # year-less: the reference's Hijri year
    ("20 ربيع الأول", one(hijri(1437, 3, 20))),  # ... or the one before, if still ahead
    ("من 1 إلى 10 رمضان 1437", (hijri(1437, 9, 1), hijri(1437, 9, 10))),
    # ranges
    ("من 5 إلى 10 ديسمبر", ("--12-05", "--12-10")),
    ("بين 5 و10 ديسمبر", ("--12-05", "--12-10")),
    ("بين 5 ديسمبر و10 ديسمبر", ("--12-05", "--12-10")),
    ("من 5 ديسمبر إلى 10 ديسمبر", ("--12-05", "--12-10")),
    ("من 28 نوفمبر حتى 3 ديسمبر", ("--11-28", "--12-03")),
    ("من 28 نوفمبر حتى 3 ديسمبر 2016", ("2016-11-28", "2016-12-03")),
    ("5-10 ديسمبر", ("--12-05", "--12-10")),
    ("من 10 إلى 5 ديسمبر", ("--12-05", "--12-10")),
    ("من 28 ديسمبر إلى 3 يناير 2017", ("2016-12-28", "2017-01-03")),
    ("من 28 ديسمبر إلى 3 يناير", ("--12-28", "--01-03")),
    ("من 5/12 إلى 10/12", ("--12-05", "--12-10")),
    ("من نوفمبر إلى ديسمبر", ("--11-01", "--12-31")),
    ("من 2011 إلى 2016", ("2011-01-01", "2016-12-31")),
    # approximate spans and bare months
    ("مطلع ديسمبر", ("--12-01", "--12-10")),
    ("بداية ديسمبر", ("--12-01", "--12-10")),
    ("أوائل ديسمبر 2016", ("2016-12-01", "2016-12-10")),
    ("منتصف ديسمبر", ("--12-11", "--12-20")),
    ("أواسط نوفمبر", ("--11-11", "--11-20")),
    ("نهاية نوفمبر/تشرين الثاني", ("--11-21", "--11-30")),
    ("نهاية شهر نوفمبر 2016", ("2016-11-21", "2016-11-30")),
    ("آخر ديسمبر", ("--12-21", "--12-31")),
    ("أواخر فبراير", ("--02-21", "--02-29")),
    ("أواخر فبراير 2015", ("2015-02-21", "2015-02-28")),
    ("أواخر شباط", ("--02-21", "--02-29")),
    ("النصف الثاني من ديسمبر", ("--12-16", "--12-31")),
    ("في ديسمبر", ("--12-01", "--12-31")),
    ("شهر ديسمبر", ("--12-01", "--12-31")),
    ("ماذا حدث ديسمبر", ("--12-01", "--12-31")),
    ("ديسمبر 2016", ("2016-12-01", "2016-12-31")),
    ("في فبراير", ("--02-01", "--02-29")),
    ("في مارس/آذار 2011", ("2011-03-01", "2011-03-31")),
    ("منذ يوليو/تموز", ("--07-01", "--07-31")),
    ("في مارس", ("--03-01", "--03-31")),
    ("شهر آب", ("--08-01", "--08-31")),
    ("ماذا حدث في آب؟", ("--08-01", "--08-31")),
    ("وفي آب الماضي", ("--08-01", "--08-31")),
    ("ماذا حدث في ماي؟", ("--05-01", "--05-31")),
    ("منذ شباط", ("--02-01", "--02-29")),
    ("ماي 2016", ("2016-05-01", "2016-05-31")),
    ("شهر صفر", (hijri(1438, 2, 1), hijri(1438, 2, 29))),
    ("في 2016؟", ("2016-01-01", "2016-12-31")),
    ("عام 2016", ("2016-01-01", "2016-12-31")),
    ("عام 1438 هـ", (hijri(1438, 1, 1), hijri(1438, 12, 29))),
    # days written as ordinals, and a month's weeks
    ("في الخامس من يونيو", one("--06-05")),
    ("الأول من كانون الثاني", one("--01-01")),
    ("وفي الثاني من تشرين الثاني", one("--11-02")),
    ("الثاني عشر من ديسمبر", one("--12-12")),
    ("الحادي والعشرين من مارس 2011", one("2011-03-21")),
    ("الثلاثين من شهر نوفمبر", one("--11-30")),
    ("العاشر من محرم 1438", one(hijri(1438, 1, 10))),
    ("وفي فاتح يوليوز", one("--07-01")),  # Moroccan and Algerian: the month's first day
    ("فاتح شهر ماي 2016", one("2016-05-01")),
    ("وفي الفاتح من أفريل 2024", one("2024-04-01")),
    ("منذ غرة جوان 2016", one("2016-06-01")),  # "غرة": a month's first day, any calendar
    # a season or school year written as two years ("الموسم 2019-2020")
    ("وفي العام الدراسي 1985-1986، تخرجت أول دفعة", ("1985-01-01", "1986-12-31")),
    ("خلال موسم 2019/2020", ("2019-01-01", "2020-12-31")),
    ("بين 2000-3000 شخص", None),
    # a law's number and year is its name, not a date
    ("يذكر أن القانون رقم 146 لسنة 1988 في شأن الشركات", None),
    ("بموجب القرار رقم 12 لعام 2020", None),
    # a wire's double form without a slash: one month, the year written once
    ("وباعت الكويت في مارس آذار 2017 سندات", ("2017-03-01", "2017-03-31")),
    ("في 15 نوفمبر تشرين الثاني 2016", one("2016-11-15")),
    ("في أكتوبر تشرين الأول 2017", ("2017-10-01", "2017-10-31")),
    ("غرة رمضان 1445", one(hijri(1445, 9, 1))),
    ("في غرة شهر ذي الحجة لعام 1445 هـ", one(hijri(1445, 12, 1))),
    # the second year of "بين عامي" is a year whatever follows it
    ("بين عامي 1976 و1981 عملت مهندسة", ("1976-01-01", "1981-12-31")),
    ("بين 2000 و2008 أشرف على الترميم", ("2000-01-01", "2008-12-31")),
    ("وتحديداً بين عامي 1184 و1185، على يد القائد", ("1184-01-01", "1185-12-31")),
    ("أول ديسمبر", one("--12-01")),  # as "الأول من ديسمبر"; "أوائل ديسمبر" is its first days
    ("مطلع 2016", ("2016-01-01", "2016-01-31")),
    ("في مطلع 2016 بدأت الحكومة", ("2016-01-01", "2016-01-31")),
    ("في نهاية عام 2015", ("2015-12-01", "2015-12-31")),
    ("منتصف عام 2019", ("2019-06-01", "2019-07-31")),
    ("أواخر 2015،", ("2015-12-01", "2015-12-31")),
    ("النصف الأول من 2020", ("2020-01-01", "2020-06-30")),
    ("اعتبارا من أول يناير 2024", one("2024-01-01")),
    ("في أول شهر آب", one("--08-01")),
    ("الأسبوع الأول من ديسمبر", ("--12-01", "--12-07")),
    ("الأسبوع الثاني من ديسمبر 2016", ("2016-12-08", "2016-12-14")),
    ("الأسبوع الأخير من نوفمبر", ("--11-24", "--11-30")),
    # seasons, with a year only
    ("في صيف 2012", ("2012-06-01", "2012-08-31")),
    ("خريف عام 2015", ("2015-09-01", "2015-11-30")),
    ("شتاء 2016", ("2015-12-01", "2016-02-29")),
    ("ربيع 2011", ("2011-03-01", "2011-05-31")),
    ("شتاء 1998-1999", ("1998-12-01", "1999-02-28")),
    ("ماذا حدث بين 2017 و2018؟", ("2017-01-01", "2018-12-31")),
    ("بين عامي 2017 و2018", ("2017-01-01", "2018-12-31")),
    ("بين تشرين الأول 2018 وأيار 2019", ("2018-10-01", "2019-05-31")),  # "و" glued
    ("من 15 إلى غاية 18 ديسمبر 2018", ("2018-12-15", "2018-12-18")),
    ("2016؟", ("2016-01-01", "2016-12-31")),  # a year asked alone
    ("بين أكتوبر 2018 ومايو 2019", ("2018-10-01", "2019-05-31")),
    ("في شتاء ١٩٩٨/١٩٩٩", ("1998-12-01", "1999-02-28")),
    # decades: of the 20th century unless another is named
    ("في الثمانينيات", ("1980-01-01", "1989-12-31")),
    ("الثمانينات", ("1980-01-01", "1989-12-31")),
    ("في تسعينيات القرن الماضي", ("1990-01-01", "1999-12-31")),
    ("أواخر الثمانينيات", ("1987-01-01", "1989-12-31")),
    ("مطلع التسعينيات", ("1990-01-01", "1993-12-31")),
    ("منتصف الستينيات", ("1964-01-01", "1966-12-31")),
    ("عشرينيات القرن الحالي", ("2020-01-01", "2029-12-31")),
    ("في عشرينيات القرن العشرين", ("1920-01-01", "1929-12-31")),
    ("ستينيات القرن التاسع عشر", ("1860-01-01", "1869-12-31")),
    # impossible dates
    ("31/02", INVALID),
    ("32 ديسمبر", INVALID),
    ("99/99/9999", INVALID),
    ("30 فبراير 2016", INVALID),
    ("29 فبراير 2015", INVALID),
    ("31 نوفمبر", INVALID),
    ("الحادي والثلاثين من نوفمبر", INVALID),
    ("0/12", INVALID),
    ("30 صفر 1438", INVALID),  # Safar 1438 has 29 days
    ("من 5 إلى 32 ديسمبر", INVALID),
    # not dates at all
    ("10%", None),
    ("يسيطرون فقط على 10% من شرق حلب", None),
    ("السيطرة على 8 أحياء", None),
    ("هدنة لـ7 أيام", None),
    ("130 ألفاً", None),
    ("10 آلاف مدني", None),
    ("12", None),
    ("أب", None),
    ("قتل أب وابنه", None),
    ("ولد من أب مصري", None),
    ("كان أول أب يفقد ابنه", None),
    ("نهاية 1500 مقاتل", None),
    ("الخلاف بين أب وابنه", None),
    ("صفر", None),
    ("ماي", None),
    ("رجب طيب أردوغان", None),
    ("مارس الضغط", None),
    ("رمضان", None),
    ("في 2000 منزل", None),
    ("قرار 2254", None),
    ("فاز 2-1", None),
    ("3/45", None),
    ("10.5", None),
    ("الساعة 10:30", None),
    ("الربيع العربي", None),
    ("الثاني من أبنائه", None),
    ("الأول من نوعه", None),
    ("ربيع الأول", None),
    ("آخر جيب في حلب", None),
    ("رجل في السبعينيات من عمره", None),  # an age, not a decade
    # a year-less date in a year counted from the reference day's
    ("في مارس من العام الماضي", ("2015-03-01", "2015-03-31")),
    ("في 3 مارس من العام الجاري", one("2016-03-03")),
    ("في يناير من السنة المقبلة", ("2017-01-01", "2017-01-31")),
    ("في رمضان من العام الماضي", (hijri(1436, 9, 1), hijri(1436, 9, 29))),
    ("امرأة في الستينات من العمر", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_phrasings(text: str, expected: tuple[str, str] | str | None) -> None:
    query = parse_dates(text, reference=REFERENCE)
    found = [(span.start.iso(), span.end.iso()) for span in query.spans]
    if expected is None:
        assert (found, query.invalid) == ([], ())
    elif expected == INVALID:
        assert found == []
        assert len(query.invalid) == 1
    else:
        assert (found, query.invalid) == ([expected], ())


def test_hijri_anchors_agree_with_hijridate() -> None:
    assert hijri(1438, 2, 15) == "2016-11-15"
    # The brief's "7 ربيع الأول 1438 = 2016-12-07" is off by one: Umm al-Qura says 12-06,
    # consistent with 2016-12-07 being 8 Rabi' al-Awwal (the label test below).
    assert hijri(1438, 3, 7) == "2016-12-06"
    assert parse_dates("7 ربيع الأول 1438").spans[0].start == PartialDate(2016, 12, 6)


def test_flags() -> None:
    (day,) = parse_dates("في 6 ديسمبر").spans
    (late,) = parse_dates("نهاية نوفمبر").spans
    (month,) = parse_dates("في ديسمبر").spans
    (hijri_day,) = parse_dates("15 صفر 1438 هـ").spans
    assert day.single_day
    assert not day.approximate
    assert not day.hijri
    assert late.approximate
    assert not late.single_day
    assert month.approximate
    assert hijri_day.hijri
    assert hijri_day.single_day
    assert not hijri_day.approximate


def test_two_days_joined_by_wa_without_bayna() -> None:
    query = parse_dates("ماذا حدث في 5 و10 ديسمبر؟")
    assert [span.start.iso() for span in query.spans] == ["--12-05", "--12-10"]
    assert all(span.single_day for span in query.spans)


def test_date_with_its_hijri_twin_is_one_span() -> None:
    query = parse_dates("7 ديسمبر 2016 (8 ربيع الأول 1438)")
    assert [(s.start.iso(), s.end.iso()) for s in query.spans] == [one("2016-12-07")]


def test_valid_and_invalid_together() -> None:
    query = parse_dates("99/99/9999 و32 ديسمبر ثم 6 ديسمبر")
    assert [span.start.iso() for span in query.spans] == ["--12-06"]
    assert query.invalid == ("99/99/9999", "32 ديسمبر")


def test_year_less_hijri_in_text_without_a_reference_day_has_no_days() -> None:
    assert parse_dates("1 رمضان", today=False).spans == ()


def test_year_less_hijri_without_reference_uses_today() -> None:
    (span,) = parse_dates("1 رمضان").spans
    assert span.hijri
    assert span.start.year is not None
    assert span.start.to_date() <= dt.date.today() + dt.timedelta(days=1)


# ---- offsets: the chunker dates a paragraph by the span at its start ----------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("في 15 نوفمبر/ تشرين الثاني، وبعد هدنة", "15 نوفمبر/ تشرين الثاني"),
        ("نهاية نوفمبر/تشرين الثاني، أكد مسؤول", "نهايه نوفمبر/تشرين الثاني"),
        ("في 6 ديسمبر/ كانون الأول، استعادت", "6 ديسمبر/ كانون الاول"),
        ("من 5 إلى 10 ديسمبر، هدنة", "من 5 الي 10 ديسمبر"),
        ("في الـ15 من نوفمبر، قتل", "ال15 من نوفمبر"),
    ],
)
def test_offsets_cover_the_phrase(text: str, phrase: str) -> None:
    norm = normalize(text)
    span = parse_dates(text).spans[0]
    assert norm[span.begin : span.stop] == phrase
    assert norm[: span.begin].strip() in {"", "في"}


def test_article_leads_are_dated_at_their_start() -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    leads = [line for line in lines if line.startswith(("في 1", "في 2", "في 5", "في 6", "نهاية"))]
    assert len(leads) == 10
    for line in leads:
        span = parse_dates(line).spans[0]
        assert normalize(line)[: span.begin].strip() in {"", "في"}, line
    (late,) = parse_dates(next(line for line in leads if line.startswith("نهاية"))).spans
    assert (late.start.iso(), late.end.iso(), late.approximate) == ("--11-21", "--11-30", True)


def test_history_inside_a_paragraph_is_found_too() -> None:
    text = "منذ بدء النزاع في مارس/آذار 2011 والمرة الخامسة للصين، ويحاصره النظام منذ يوليو/تموز."
    found = [(span.start.iso(), span.end.iso()) for span in parse_dates(text).spans]
    assert found == [("2011-03-01", "2011-03-31"), ("--07-01", "--07-31")]


# ---- rest: what is left for topic ranking ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("بماذا ندد الأمريكيون يوم 10 ديسمبر؟", "بماذا ندد الامريكيون ؟"),
        ("ماذا فعل النظام من 5 إلى 10 ديسمبر", "ماذا فعل النظام"),
        ("ماذا حدث في حلب بتاريخ 15 صفر 1438 هـ", "ماذا حدث في حلب"),
        ("هل سقط حي الشعار بين 5 و10 ديسمبر/كانون الأول 2016", "هل سقط حي الشعار"),
        ("ما الذي حدث نهاية نوفمبر في المستشفيات", "ما الذي حدث في المستشفيات"),
        ("من استعاد المدينة القديمة", "من استعاد المدينه القديمه"),
    ],
)
def test_rest_keeps_the_topic(text: str, rest: str) -> None:
    assert parse_dates(text).rest == rest


def test_rest_of_a_question_without_dates_is_the_question() -> None:
    text = "ماذا قال أوبراين عن المؤونة الغذائية؟ 10% فقط"
    assert parse_dates(text).rest == normalize(text)


# ---- labels ------------------------------------------------------------------------------------


def test_day_label_names_both_calendars() -> None:
    twin = Gregorian(2016, 12, 7).to_hijri()
    assert (twin.year, twin.month, twin.day) == (1438, 3, 8)
    assert day_label(PartialDate(2016, 12, 7)) == "7 ديسمبر 2016 (8 ربيع الأول 1438)"
    assert hijri_label(dt.date(2016, 12, 7)) == "8 ربيع الأول 1438"
    assert hijri_label(dt.date(2016, 11, 15)) == "15 صفر 1438"


def test_labels_without_year_or_out_of_range() -> None:
    assert gregorian_label(PartialDate(2016, 11, 26)) == "26 نوفمبر 2016"
    assert gregorian_label(PartialDate(None, 12, 7)) == "7 ديسمبر"
    assert day_label(PartialDate(None, 12, 7)) == "7 ديسمبر"
    assert hijri_label(dt.date(1900, 1, 1)) == ""
    assert day_label(PartialDate(1900, 1, 1)) == "1 يناير 1900"


def test_days_in_month() -> None:
    assert days_in_month(2, None) == 29
    assert days_in_month(2, 2015) == 28
    assert days_in_month(2, 2016) == 29
    assert days_in_month(11, None) == 30
    assert days_in_month(12, 2016) == 31


# ---- robustness --------------------------------------------------------------------------------

PIECES = [
    *"0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹",
    *"/-.–:%() ،,؟\n",
    *"ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى",
    *("\u200b", "\u200c", "\u200d", "\u200f", "\u202b", "\u202c", "\u2066", "\u2069", "\ufeff"),
    *("ـ", "هـ", "م", "ال", "الـ", "و", "ب", "ل"),
    *("في ", "يوم ", "بتاريخ ", "من ", " إلى ", "بين ", " و", "حتى ", "شهر ", "عام "),
    *("نهاية ", "مطلع ", "أواخر ", "منتصف ", "أول ", "آخر ", "النصف الثاني من "),
    *("ديسمبر", "كانون الأول", "تشرين الثاني", "تشرین", "جانفي", "ماي", "آب", "أب", "شباط"),
    *("دجنبر", "نوفمبر/ تشرين الثاني", "(تشرين الثاني)", "فبراير", "مارس", "نيسان"),
    *("صفر", "رجب", "رمضان", "ربيع الأول", "جمادى الآخرة", "ذو القعدة", "ذي الحجة"),
    *("2016", "1438", "16", "31", "29", "30", "99", "0", "00", "9999", "1343", "1501"),
]
date_like = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def check_offsets(text: str, reference: dt.date | None = None) -> None:
    norm = normalize(text)
    query = parse_dates(text, reference=reference)
    assert isinstance(query.rest, str)
    for span in query.spans:
        assert isinstance(span, DateSpan)
        assert 0 <= span.begin < span.stop <= len(norm)
    for phrase in query.invalid:
        assert phrase
        assert phrase in norm


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    check_offsets(text)


@settings(max_examples=1500, deadline=None)
@given(date_like, st.dates())
def test_never_raises_on_date_like_text(text: str, reference: dt.date) -> None:
    check_offsets(text, reference)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join))
def test_never_raises_on_spaced_pieces(text: str) -> None:
    check_offsets(text, REFERENCE)


def test_a_long_text_parses_fast() -> None:
    article = SEED.read_text(encoding="utf-8")
    text = (article * (100_000 // len(article) + 1))[:100_000]
    parse_dates(text)  # compile the grammar outside the timing
    started = time.perf_counter()
    query = parse_dates(text)
    assert time.perf_counter() - started < 1.0
    assert len(query.spans) > 100


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (dt.date(2023, 12, 15), ("2023-02-01", "2023-02-28")),  # a common year
        (dt.date(2024, 12, 15), ("2024-02-01", "2024-02-29")),  # a leap year
        (dt.date(2024, 1, 10), ("2023-02-01", "2023-02-28")),  # last year's, a common one
    ],
)
def test_a_yearless_february_ends_where_its_year_does(reference, expected) -> None:
    """ "في فبراير" is --02-01 to --02-29 until a year is known; in a common year it ends on
    the 28th."""
    start, end = resolve_span(PartialDate(None, 2, 1), PartialDate(None, 2, 29), reference)
    assert (start.iso(), end.iso()) == expected


def test_a_yearless_29_february_in_a_common_year_is_its_last_day() -> None:
    start, end = resolve_span(
        PartialDate(None, 2, 29), PartialDate(None, 2, 29), dt.date(2023, 3, 5)
    )
    assert (start.iso(), end.iso()) == ("2023-02-28", "2023-02-28")


def test_a_february_span_over_new_year_ends_in_next_years_february() -> None:
    start, end = resolve_span(
        PartialDate(None, 12, 20), PartialDate(None, 2, 29), dt.date(2023, 12, 25)
    )
    assert (start.iso(), end.iso()) == ("2023-12-20", "2024-02-29")


def test_a_decade_inside_a_passage_is_a_date_it_mentions() -> None:
    spans = mentioned("وهاجر كثيرون من القرية خلال الثمانينيات بحثا عن العمل.")
    assert [(s.start.iso(), s.end.iso()) for s in spans] == [("1980-01-01", "1989-12-31")]


@pytest.mark.parametrize(
    "text",
    ["في مدينة 6 أكتوبر", "على جسر 14 تموز", "في شارع 26 يوليو", "ميدان 9 أبريل", "كوبري 15 مايو"],
)
def test_a_place_named_after_a_day_is_no_date(text: str) -> None:
    assert parse_dates(text, reference=REFERENCE).spans == ()


def test_a_verb_spelled_as_a_month_after_and_is_no_date() -> None:
    """ "ومارس الضغط": "and exerted", not "and March"; only a year makes it the month."""
    assert parse_dates("ومارس الضغط على الحكومة", reference=REFERENCE).spans == ()


@pytest.mark.parametrize(
    "text",
    [
        "تأسست المجموعة عام 1397 هـ (1977 م)",
        "تأسست المجموعة عام 1397 هـ الموافق 1977 م",
        "تأسست المجموعة سنة 1397 هـ الموافقة لسنة 1977م، في الرياض",
    ],
)
def test_a_hijri_year_with_its_gregorian_twin_is_the_gregorian_year(text: str) -> None:
    found = [(s.start.iso(), s.end.iso()) for s in parse_dates(text, reference=REFERENCE).spans]
    assert found == [("1977-01-01", "1977-12-31")]


def test_a_day_written_in_both_calendars_with_muwafiq_is_one_date() -> None:
    spans = parse_dates("في 15 رمضان 1445 هـ الموافق 25 مارس 2024 م", reference=REFERENCE).spans
    assert [(s.start.iso(), s.end.iso()) for s in spans] == [("2024-03-25", "2024-03-25")]


def test_metres_are_no_year() -> None:
    assert parse_dates("على ارتفاع 2000 م فوق سطح البحر", reference=REFERENCE).spans == ()


def test_a_yearless_hijri_day_said_to_come_is_on_or_after_the_reference_day() -> None:
    [span] = parse_dates("في 29 رمضان المقبل", reference=dt.date(2024, 4, 7)).spans
    assert (span.start.year, span.start.month, span.start.day) == (2024, 4, 8)


def test_a_yearless_hijri_day_takes_the_year_its_gregorian_twin_agrees_with() -> None:
    found = parse_dates(
        "سيكون يوم السبت في التاسع من ذي الحجة، الموافق 15 حزيران",
        reference=dt.date(2024, 6, 7),
    )
    assert [(s.start.year, s.start.month, s.start.day) for s in found.spans] == [(2024, 6, 15)]


def test_a_hijri_day_with_its_year_and_a_yearless_gregorian_twin_is_one_date() -> None:
    found = parse_dates("في 9 ذي الحجة 1445 هـ الموافق 15 حزيران", reference=dt.date(2024, 6, 7))
    assert [(s.start.year, s.start.month, s.start.day) for s in found.spans] == [(2024, 6, 15)]


@pytest.mark.parametrize(
    "text",
    ["من السبت 15 حزيران حتى الثلاثاء 18 حزيران", "بين السبت 15 حزيران والثلاثاء 18 حزيران"],
)
def test_a_range_whose_ends_name_their_weekdays_is_one_span(text: str) -> None:
    [span] = parse_dates(text, reference=dt.date(2024, 6, 7)).spans
    days = ((span.start.month, span.start.day), (span.end.month, span.end.day))
    assert days == ((6, 15), (6, 18))
