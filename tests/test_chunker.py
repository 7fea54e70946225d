"""The bundled article becomes dated event passages, each saying how it got its date."""

from pathlib import Path

import pytest

from khabar.bot.evaluation import gold_sets
from khabar.index.chunker import chunk, is_heading
from khabar.index.corpus import SEEDS, read_article

ARTICLE = SEEDS / "aleppo-2016.txt"

# paragraph → (date, date_end, date_source, heading): what a careful reader of the article says.
EXPECTED = {
    3: ("2016-11-15", None, "explicit", "هجوم واسع"),
    4: ("2016-11-15", None, "inherited", "هجوم واسع"),
    5: ("2016-11-26", None, "explicit", "هجوم واسع"),
    6: ("2016-11-21", None, "explicit", "استهداف متكرر للمستشفيات"),
    7: ("2016-11-21", "2016-11-30", "approximate", "استهداف متكرر للمستشفيات"),
    8: ("2016-12-06", None, "explicit", "النظام يسيطر على المدينة القديمة"),
    9: ("2016-12-07", None, "relative", "النظام يسيطر على المدينة القديمة"),
    10: ("2016-12-05", None, "explicit", "جرائم ضد الإنسانية"),
    11: ("2016-12-05", None, "inherited", "جرائم ضد الإنسانية"),  # the French ambassador
    12: ("2016-12-10", None, "explicit", "جرائم ضد الإنسانية"),
    13: ("2016-12-10", None, "inherited", "جرائم ضد الإنسانية"),
    14: ("2016-12-12", None, "explicit", "المرحلة النهائية"),
    15: ("2016-12-12", None, "inherited", "المرحلة النهائية"),
    16: ("2016-12-12", None, "inherited", "المرحلة النهائية"),  # "منذ 15 نوفمبر" is history
    17: ("2016-12-12", None, "inherited", "المرحلة النهائية"),
    18: ("2016-12-13", None, "explicit", "المرحلة النهائية"),
    19: ("2016-12-15", None, "explicit", "المرحلة النهائية"),
    20: ("2016-12-15", None, "inherited", "المرحلة النهائية"),
}
HEADINGS = [
    "هجوم واسع",
    "استهداف متكرر للمستشفيات",
    "النظام يسيطر على المدينة القديمة",
    "جرائم ضد الإنسانية",
    "المرحلة النهائية",
]


@pytest.fixture(scope="module")
def passages():
    return chunk(read_article(ARTICLE))


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_every_event_gets_the_date_a_reader_would_give(passages, number: int) -> None:
    p = passages[number - 1]
    assert (p.date, p.date_end, p.date_source, p.heading) == EXPECTED[number]


def test_only_the_events_are_dated(passages) -> None:
    assert {p.source.paragraph for p in passages if p.dated} == set(EXPECTED)


def test_every_paragraph_is_a_passage_numbered_in_order(passages) -> None:
    assert [p.source.paragraph for p in passages] == list(range(1, 21))


def test_headings_head_passages_and_are_not_passages(passages) -> None:
    texts = {p.text for p in passages}
    assert not set(HEADINGS) & texts


def test_the_headings_are_found_in_order(passages) -> None:
    assert list(dict.fromkeys(p.heading for p in passages if p.heading)) == HEADINGS


def test_the_lead_is_undated(passages) -> None:
    assert [passages[0].date, passages[0].date_source] == [None, None]


def test_text_is_verbatim(passages) -> None:
    source_lines = [line for line in ARTICLE.read_text(encoding="utf-8").splitlines() if line]
    paragraphs = [line for line in source_lines[1:] if line not in HEADINGS]
    assert [p.text for p in passages] == paragraphs


def test_citation_names_title_and_publication(passages) -> None:
    title = ARTICLE.read_text(encoding="utf-8").splitlines()[0]
    assert {(p.source.title, str(p.source.published)) for p in passages} == {(title, "2016-12-15")}


def test_ids_are_stable_across_builds(passages) -> None:
    again = chunk(read_article(ARTICLE))
    assert [p.id for p in again] == [p.id for p in passages]


def test_ids_are_unique(passages) -> None:
    assert len({p.id for p in passages}) == len(passages)


def test_ids_name_article_and_paragraph(passages) -> None:
    assert passages[0].id == "aleppo-2016-p1"


def test_without_published_dates_stay_yearless_and_the_build_says_why(tmp_path: Path) -> None:
    article = tmp_path / "bare.txt"
    article.write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    raw = read_article(article)
    assert any("published" in w and "bare.txt" in w for w in raw.warnings)
    dates = {p.source.paragraph: p.date for p in chunk(raw)}
    assert [dates[8], dates[9]] == ["--12-06", "--12-07"]


def test_next_day_rolls_over_month_end(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "عنوان\nفي 30 نوفمبر، حدث أول.\nفي اليوم التالي، حدث ثان.\n", encoding="utf-8"
    )
    (tmp_path / "a.toml").write_text("published = 2020-12-31\n", encoding="utf-8")
    dates = [p.date for p in chunk(read_article(article))]
    assert dates == ["2020-11-30", "2020-12-01"]


def test_events_before_publication_day_take_the_previous_year(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("عنوان\nفي 28 ديسمبر، حدث.\nفي 2 يناير، حدث آخر.\n", encoding="utf-8")
    (tmp_path / "a.toml").write_text("published = 2017-01-03\n", encoding="utf-8")
    assert [p.date for p in chunk(read_article(article))] == ["2016-12-28", "2017-01-02"]


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("هجوم واسع", True),
        ("النظام يسيطر على المدينة القديمة", True),
        ("في اليوم التالي، استعاد النظام السيطرة.", False),
        ("قوات النظام تمطر الأحياء الشرقية بالصواريخ والقذائف والبراميل المتفجرة.", False),
    ],
)
def test_heading_detection(line: str, heading: bool) -> None:
    assert is_heading(line) is heading


# ---- news as it is written: one small article per way of dating -----------------------------


def dates_of(tmp_path: Path, published: str | None, *paragraphs: str) -> list[tuple]:
    """(date, date_end, source) of each paragraph of a small article."""
    article = tmp_path / "wire.txt"
    article.write_text("\n".join(["عنوان الخبر", *paragraphs]) + "\n", encoding="utf-8")
    if published:
        (tmp_path / "wire.toml").write_text(f"published = {published}\n", encoding="utf-8")
    return [(p.date, p.date_end, p.date_source) for p in chunk(read_article(article))]


def test_a_dateline_dates_its_paragraph(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2016-12-13", "دمشق - 12 ديسمبر (رويترز) - قالت المعارضة إن القصف توقف."
    )
    assert found == [("2016-12-12", None, "dateline")]


def test_a_dateline_without_a_day_dates_nothing(tmp_path: Path) -> None:
    found = dates_of(tmp_path, "2016-12-13", "بيروت (أ ف ب) - قالت المعارضة إن القصف توقف.")
    assert found == [(None, None, None)]


def test_the_dateline_is_the_reference_day_for_what_follows(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2016-12-15",
        "دمشق - 12 ديسمبر (رويترز) - قالت المعارضة إن القصف توقف.",
        "أمس، سقطت قذائف على حي الشعار.",
    )  # fmt: skip
    assert found[1] == ("2016-12-11", None, "deictic")


def test_a_weekday_with_a_date_is_that_date(tmp_path: Path) -> None:
    found = dates_of(tmp_path, "2016-12-15", "الثلاثاء 13 ديسمبر/كانون الأول 2016، بدأ الإجلاء.")
    assert found == [("2016-12-13", None, "explicit")]


@pytest.mark.parametrize(
    ("opening", "day"),
    [
        ("يوم الاثنين، بدأ الإجلاء.", "2016-12-12"),  # 15 December 2016 was a Thursday
        ("مساء السبت، بدأ الإجلاء.", "2016-12-10"),
        ("الخميس، بدأ الإجلاء.", "2016-12-15"),  # the reference day itself
        ("الأحد الماضي، بدأ الإجلاء.", "2016-12-11"),
        ("الخميس الفائت، بدأ الإجلاء.", "2016-12-08"),  # the one before the reference day
        ("قالت الأمم المتحدة يوم الأربعاء إن الإجلاء بدأ.", "2016-12-14"),
    ],
)
def test_a_weekday_is_the_latest_such_day_on_or_before_the_reference(
    tmp_path: Path, opening: str, day: str
) -> None:
    assert dates_of(tmp_path, "2016-12-15", opening) == [(day, None, "weekday")]


@pytest.mark.parametrize(
    ("opening", "start", "end"),
    [
        ("أمس، بدأ الإجلاء.", "2016-12-14", None),
        ("أول أمس، بدأ الإجلاء.", "2016-12-13", None),
        ("قبل يومين، بدأ الإجلاء.", "2016-12-13", None),
        ("قبل ثلاثة أيام، بدأ الإجلاء.", "2016-12-12", None),
        ("وقبل ثلاثة أيام، بدأ الإجلاء.", "2016-12-12", None),
        ("ومنذ يومين، بدأ الإجلاء.", "2016-12-13", None),
        ("قالت الأمم المتحدة اليوم إن الإجلاء بدأ.", "2016-12-15", None),
        ("الأسبوع الماضي، بدأ الإجلاء.", "2016-12-08", "2016-12-14"),
        ("الأسبوع الفائت، بدأ الإجلاء.", "2016-12-08", "2016-12-14"),
    ],
)
def test_deictic_words_count_from_the_reference_day(
    tmp_path: Path, opening: str, start: str, end: str | None
) -> None:
    assert dates_of(tmp_path, "2016-12-15", opening) == [(start, end, "deictic")]


@pytest.mark.parametrize(
    ("opening", "day"),
    [
        ("في اليوم التالي، بدأ الإجلاء.", "2016-12-07"),
        ("بعد يومين، بدأ الإجلاء.", "2016-12-08"),
        ("في اليوم نفسه، بدأ الإجلاء.", "2016-12-06"),
        ("وقبل ذلك بيوم، بدأ الإجلاء.", "2016-12-05"),
        ("بعد ثلاثة أيام، بدأ الإجلاء.", "2016-12-09"),
        ("وبعد سقوطه بيومين، بدأ الإجلاء.", "2016-12-08"),
        ("وبعد ساعات من سقوطه، بدأ الإجلاء.", "2016-12-06"),
        ("وبعد دقائق، بدأ الإجلاء.", "2016-12-06"),
    ],
)
def test_anaphoric_words_count_from_the_previous_dated_paragraph(
    tmp_path: Path, opening: str, day: str
) -> None:
    found = dates_of(tmp_path, "2016-12-15", "في 6 ديسمبر، سقط الحي.", opening)
    assert found[1] == (day, None, "relative")


@pytest.mark.parametrize(
    ("opening", "start", "end"),
    [
        ("وفي الشهر التالي، افتتح المستشفى.", "2014-04-01", "2014-04-30"),
        ("في الشهر الذي تلاه، افتتح المستشفى.", "2014-04-01", "2014-04-30"),
        ("وفي نهاية الشهر التالي، افتتح المستشفى.", "2014-04-21", "2014-04-30"),
        ("وفي العام التالي، افتتح المستشفى.", "2015-01-01", "2015-12-31"),
        ("في السنة التالية، افتتح المستشفى.", "2015-01-01", "2015-12-31"),
        ("وفي مطلع العام التالي، افتتح المستشفى.", "2015-01-01", "2015-01-31"),
    ],
)
def test_the_next_month_or_year_counts_from_the_previous_dated_paragraph(
    tmp_path: Path, opening: str, start: str, end: str
) -> None:
    found = dates_of(tmp_path, "2020-06-01", "في 12 مارس 2014، فاز المرشح.", opening)
    assert found[1] == (start, end, "approximate")


@pytest.mark.parametrize(
    ("opening", "start", "end"),
    [
        ("وفي العام نفسه، افتتح المستشفى.", "2014-01-01", "2014-12-31"),
        ("وفي نهاية ذلك العام، افتتح المستشفى.", "2014-12-01", "2014-12-31"),
        ("في الشهر ذاته، افتتح المستشفى.", "2014-03-01", "2014-03-31"),
        ("وفي مارس من العام نفسه، افتتح المستشفى.", "2014-03-01", "2014-03-31"),
        ("وفي 20 ديسمبر من العام ذاته، افتتح المستشفى.", "2014-12-20", None),
    ],
)
def test_the_same_month_or_year_is_the_previous_dated_paragraphs(
    tmp_path: Path, opening: str, start: str, end: str | None
) -> None:
    found = dates_of(tmp_path, "2020-06-01", "في 12 مارس 2014، فاز المرشح.", opening)
    assert found[1][:2] == (start, end)


def test_the_next_month_follows_a_month_the_paragraph_above_names(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2020-06-01", "في ديسمبر 2013، فاز المرشح.", "وفي الشهر التالي، استقال."
    )
    assert found[1] == ("2014-01-01", "2014-01-31", "approximate")


@pytest.mark.parametrize(
    ("opening", "start", "end"),
    [
        ("وبعد شهر من ذلك، افتتح المستشفى.", "2014-04-01", "2014-04-30"),
        ("بعد شهرين، افتتح المستشفى.", "2014-05-01", "2014-05-31"),
        ("وبعد عام، افتتح المستشفى.", "2015-01-01", "2015-12-31"),
        ("بعد سنتين، افتتح المستشفى.", "2016-01-01", "2016-12-31"),
        ("وبعد ثلاثة أشهر، افتتح المستشفى.", "2014-06-01", "2014-06-30"),
        ("بعد فوزه بعام، افتتح المستشفى.", "2015-01-01", "2015-12-31"),
        ("وبعد انتخابه بشهرين، استقال.", "2014-05-01", "2014-05-31"),
    ],
)
def test_months_and_years_after_a_day_are_that_month_or_year(
    tmp_path: Path, opening: str, start: str, end: str
) -> None:
    """ "A year later" does not say which day: the timeline shows the year, not a day made up."""
    found = dates_of(tmp_path, "2020-06-01", "في 12 مارس 2014، فاز المرشح.", opening)
    assert found[1] == (start, end, "approximate")


@pytest.mark.parametrize(
    "opening",
    [
        "بعد عامين من رحيله، أطلقت الجامعة اسمه على قاعة.",
        "وبعد ثلاث سنوات من وفاته، صدرت أعماله الكاملة.",
    ],
)
def test_years_after_the_event_above_by_its_pronoun_count_from_it(
    tmp_path: Path, opening: str
) -> None:
    found = dates_of(tmp_path, "2024-05-02", "توفي في 14 مارس 2004 بمستشفى الخرطوم.", opening)
    assert found[1][0][:4] == str(2004 + (2 if "عامين" in opening else 3))


def test_years_after_an_event_named_with_its_noun_do_not_count_from_above(
    tmp_path: Path,
) -> None:
    found = dates_of(
        tmp_path,
        "2024-05-02",
        "توفي في 14 مارس 2004 بمستشفى الخرطوم.",
        "وبعد عامين من إقامة المعرض، تغير كل شيء.",
    )
    assert found[1][2] != "approximate"


@pytest.mark.parametrize(
    "paragraph",
    [
        "عاد إلى السودان بعد ثلاث سنوات، والتحق بوزارة الخارجية.",
        "وانتقل الشاعر إلى بيروت بعد ثلاث سنوات، وعمل في الصحافة.",
    ],
)
def test_years_after_told_after_the_verb_count_from_the_paragraph_above(
    tmp_path: Path, paragraph: str
) -> None:
    found = dates_of(tmp_path, "2024-05-02", "في عام 1953 سافر إلى القاهرة للدراسة.", paragraph)
    assert found[1] == ("1956-01-01", "1956-12-31", "approximate")


@pytest.mark.parametrize(
    "paragraph",
    [
        "وقال إنه سيعود إلى السودان بعد ثلاث سنوات، ولن يغادرها.",
        "يتوقع الخبراء انتعاش السوق بعد ثلاث سنوات، بحسب التقرير.",
        "وأكد الوزير الذي عاد إلى منصبه بعد ثلاث سنوات، أن الخطة ماضية.",
    ],
)
def test_years_after_in_what_was_said_or_to_come_count_from_nothing(
    tmp_path: Path, paragraph: str
) -> None:
    found = dates_of(tmp_path, "2024-05-02", "في عام 1953 سافر إلى القاهرة للدراسة.", paragraph)
    assert found[1][0] != "1956-01-01"


def test_years_after_a_year_count_from_that_year(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path,
        "2025-03-14",
        "الرباط - 13 مارس (الأناضول) - توفي الشاعر عن 81 عاما.",
        "وفي عام 1963، انتقل إلى الرباط لدراسة الأدب.",
        "بعد عامين، التقى بالملحن.",
    )
    assert found[2] == ("1965-01-01", "1965-12-31", "approximate")


def test_months_after_a_month_count_from_that_month(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2025-03-14", "في 2 يناير 2025، أعلن الحزب.", "وفي مارس 2019، فاز المرشح.",
        "وبعد شهرين، استقال.",
    )  # fmt: skip
    assert found[2] == ("2019-05-01", "2019-05-31", "approximate")


def test_a_year_after_a_named_event_does_not_count_from_the_paragraph_above(
    tmp_path: Path,
) -> None:
    found = dates_of(
        tmp_path, "2020-06-01", "في 12 مارس 2014، فاز المرشح.", "وبعد الحرب بعامين، تغير كل شيء."
    )
    assert found[1][2] != "relative"


def test_years_after_another_event_do_not_count_from_the_paragraph_above(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path,
        "2020-06-01",
        "في 12 مارس 2014، فاز المرشح.",
        "وبعد عامين من اندلاع الحرب، تغير كل شيء.",
    )
    assert found[1][2] != "relative"


def test_a_yearless_day_after_a_story_moved_past_its_dateline_keeps_the_year(
    tmp_path: Path,
) -> None:
    found = dates_of(
        tmp_path,
        "2025-06-01",
        "القاهرة - 3 مارس 2024 (رويترز) - أعلنت اللجنة فوز المرشح.",
        "وبعد أسبوع من ذلك، أدى المحافظ اليمين.",
        "وفي 20 مارس، زار الوزير المحافظة.",
    )
    assert found[2] == ("2024-03-20", None, "explicit")


def test_a_hijri_date_in_the_text_dates_the_paragraph(tmp_path: Path) -> None:
    found = dates_of(tmp_path, "2016-12-15", "في 7 ربيع الأول 1438 هـ، سقط الحي.")
    assert found == [("2016-12-06", None, "explicit")]


def test_a_year_dates_only_its_own_paragraph(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2016-12-15", "في عام 2013 أيضاً، حوصرت المدينة.", "وانقطعت الكهرباء عنها."
    )
    assert found == [("2013-01-01", "2013-12-31", "approximate"), (None, None, None)]


def test_a_season_dates_only_its_own_paragraph(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2016-12-15",
        "في 6 ديسمبر، سقط الحي.",
        "صيف 2012، سيطرت المعارضة على الحي.",
        "وانقطعت الكهرباء عنها.",
    )  # fmt: skip
    assert found[1:] == [("2012-06-01", "2012-08-31", "approximate"), (None, None, None)]


def test_a_paragraph_with_its_own_date_never_inherits(tmp_path: Path) -> None:
    found = dates_of(tmp_path, "2016-12-15", "في 6 ديسمبر، سقط الحي.", "في 9 ديسمبر، عاد الهدوء.")
    assert found[1] == ("2016-12-09", None, "explicit")


def test_background_does_not_inherit_the_news_date(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2016-12-15",
        "في 6 ديسمبر، سقط الحي.",
        "وكانت قوات المعارضة قد سيطرت عليه قبل أربع سنوات.",
    )  # fmt: skip
    assert found[1] == (None, None, None)


def test_after_background_the_news_date_goes_on(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2016-12-15",
        "في 6 ديسمبر، سقط الحي.",
        "وكانت قوات المعارضة قد سيطرت عليه قبل أربع سنوات.",
        "وأضاف المرصد أن القتال مستمر.",
    )  # fmt: skip
    assert found[2] == ("2016-12-06", None, "inherited")


def test_a_short_sentence_with_a_number_is_not_a_heading(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2016-12-15",
        "في 6 ديسمبر، سقط الحي.",
        "قتل 12 مدنياً في سوق عربين",
        "وأضاف المرصد أن القتال مستمر.",
    )  # fmt: skip
    assert found == [("2016-12-06", None, s) for s in ("explicit", "inherited", "inherited")]


@pytest.mark.parametrize("line", ["قتل 12 مدنياً في سوق عربين", "أكثر من 10 آلاف مدني يفرون"])
def test_lines_with_numbers_are_not_headings(line: str) -> None:
    assert is_heading(line) is False


def test_markdown_headings_head_sections(tmp_path: Path) -> None:
    article = tmp_path / "md.txt"
    article.write_text(
        "# العنوان\n\nفي 6 ديسمبر، سقط الحي.\n\n## القسم الثاني، والأخير\n\nوعاد الهدوء.\n",
        encoding="utf-8",
    )
    passages = chunk(read_article(article))
    assert [(p.heading, p.date) for p in passages] == [
        (None, "--12-06"),
        ("القسم الثاني، والأخير", None),
    ]


def test_a_heading_like_last_line_is_a_paragraph(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("عنوان\nفي 6 ديسمبر، سقط الحي.\nانتهى الخبر\n", encoding="utf-8")
    assert [p.text for p in chunk(read_article(article))] == [
        "في 6 ديسمبر، سقط الحي.",
        "انتهى الخبر",
    ]


def test_citations_count_paragraphs_not_lines(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("عنوان\n\nالفقرة الأولى.\n\n\nالفقرة الثانية.\n", encoding="utf-8")
    assert [p.source.paragraph for p in chunk(read_article(article))] == [1, 2]


# ---- the wire gold article: every paragraph dated as a careful reader dates it ---------------

WIRE = gold_sets()
WIRE_GOLD = next(g for g in WIRE if g.name == "sudan-floods")
WIRE_PASSAGES = {p.source.paragraph: p for p in chunk(read_article(WIRE_GOLD.article))}


@pytest.mark.parametrize("number", sorted(WIRE_GOLD.dates))
def test_the_wire_is_dated_as_a_reader_dates_it(number: int) -> None:
    p = WIRE_PASSAGES[number]
    got = () if p.date is None else (p.date, p.date_end or "", p.date_source)
    assert got == tuple(WIRE_GOLD.dates[number])


def test_a_dateline_agreeing_with_its_weekday_is_named_as_the_source(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2024-01-15", "مأدبا - 14 يناير (المدار) - أغلقت السلطات صباح الأحد ثلاثة طرق."
    )
    assert found == [("2024-01-14", None, "dateline")]


def test_the_event_day_in_a_dateline_paragraph_wins_over_the_filing_day(tmp_path: Path) -> None:
    found = dates_of(tmp_path, "2016-12-15", "دمشق - 12 ديسمبر (رويترز) - أمس، سقطت قذائف.")
    assert found == [("2016-12-11", None, "deictic")]


def test_since_a_year_is_background(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2016-12-15",
        "في 6 ديسمبر، سقط الحي.",
        "ومنذ عام 2011، يعيش السكان تحت الحصار.",
    )  # fmt: skip
    assert found[1] == (None, None, None)


# ---- a wire's lead as agencies write it ----------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "الدار البيضاء - 12 ديسمبر (رويترز) - قالت الحكومة إن الأسعار استقرت.",
        "أبو ظبي - 12 ديسمبر (وام) - قالت الحكومة إن الأسعار استقرت.",
        "القدس المحتلة - 12 ديسمبر (أ ف ب) - قالت الشرطة إن الطريق أغلق.",
    ],
)
def test_a_dateline_names_a_place_of_several_words(tmp_path: Path, line: str) -> None:
    assert dates_of(tmp_path, "2016-12-15", line) == [("2016-12-12", None, "dateline")]


@pytest.mark.parametrize(
    "line",
    [
        "الرياض 15 رمضان 1445 هـ الموافق 25 مارس 2024 م واس أعلنت الوزارة أن الأسعار ارتفعت.",
        "أبوظبي في 25 مارس / وام / أعلنت الوزارة أن الأسعار ارتفعت.",
        "المنامة في 25 مارس /بنا/ أعلنت الوزارة أن الأسعار ارتفعت.",
        "مسقط في 25 مارس /العمانية/ أعلنت الوزارة أن الأسعار ارتفعت.",
        "الرياض، 25 مارس 2024 (واس) -- أعلنت الوزارة أن الأسعار ارتفعت.",
        "الكويت - 25 - 3 (كونا) -- أعلنت الوزارة أن الأسعار ارتفعت.",
    ],
)
def test_a_gulf_agency_dateline_dates_its_paragraph(tmp_path: Path, line: str) -> None:
    assert dates_of(tmp_path, "2024-03-27", line) == [("2024-03-25", None, "dateline")]


def test_and_with_after_a_date_is_no_agency(tmp_path: Path) -> None:
    line = "الرباط في 25 مارس ومع ذلك قالت الحكومة إن الأسعار استقرت."
    assert dates_of(tmp_path, "2024-03-27", line)[0][2] != "dateline"


def test_a_dateline_without_an_agency_is_a_sentence(tmp_path: Path) -> None:
    line = "قال الوزير في 25 مارس / بحسب البيان / إن الأسعار ارتفعت."
    found = dates_of(tmp_path, "2024-03-27", line)
    assert found[0][2] != "dateline"


def test_a_dateline_gives_both_calendars(tmp_path: Path) -> None:
    line = "الرياض - 15 رمضان 1445 هـ الموافق 25 مارس 2024 م (واس) - أعلنت الوزارة بدء الحملة."
    assert dates_of(tmp_path, "2024-03-26", line) == [("2024-03-25", None, "dateline")]


def test_a_weekday_agreeing_with_a_date_is_that_date(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2016-12-15", "وفي يوم الجمعة الموافق 9 ديسمبر، استهدفت غارة مستشفى."
    )
    assert found == [("2016-12-09", None, "explicit")]


def test_a_weekday_with_its_date_inside_the_clause_is_that_date(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2016-12-15", "وقال مسؤول أممي يوم الاثنين 5 ديسمبر إن المساعدات توقفت."
    )
    assert found == [("2016-12-05", None, "explicit")]


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("أعلنت وزارة الصحة، يوم الاثنين، تسجيل إصابات جديدة.", ("2016-12-12", None, "weekday")),
        ("أعلن الأمير، مساء الجمعة، حل البرلمان.", ("2016-12-09", None, "weekday")),
        ("قال الجيش، أمس، إن القصف توقف.", ("2016-12-14", None, "deictic")),
        (
            "صادق مجلس النواب، يوم الثلاثاء 13 ديسمبر 2016، على مشروع قانون المالية.",
            ("2016-12-13", None, "explicit"),
        ),
    ],
)
def test_a_day_set_off_by_commas_after_the_subject_dates_the_lead(
    tmp_path: Path, lead: str, expected: tuple
) -> None:
    """Agencies write "قال فلان، يوم الاثنين، إن…": the day is the event's."""
    assert dates_of(tmp_path, "2016-12-15", lead) == [expected]


def test_today_with_its_weekday_after_the_subject_is_today(tmp_path: Path) -> None:
    found = dates_of(tmp_path, "2016-12-14", "قرر البنك المركزي، اليوم الأربعاء، رفع الفائدة.")
    assert found[0][0] == "2016-12-14"


def test_a_date_inside_a_clause_about_something_else_is_not_the_news_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2016-12-15",
        "في 10 ديسمبر، ندد الوزير بالقصف.",
        "وقال الوزير، الذي زار حلب في 6 ديسمبر، إن الوضع صعب.",
    )  # fmt: skip
    assert found[1] == ("2016-12-10", None, "inherited")


@pytest.mark.parametrize(
    ("opening", "start", "end"),
    [
        ("وفي 20 يناير المقبل، سيبدأ تطبيق القانون.", "2017-01-20", None),
        ("في فبراير القادم، تبدأ الانتخابات.", "2017-02-01", "2017-02-28"),
    ],
)
def test_a_day_to_come_is_the_next_such_day(
    tmp_path: Path, opening: str, start: str, end: str | None
) -> None:
    assert dates_of(tmp_path, "2016-12-15", opening)[0][:2] == (start, end)


def test_a_day_of_the_current_month_is_in_the_reference_year(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2024-12-03",
        "ويستمر المعرض إلى غاية 12 دجنبر الجاري.", "وفي 12 دجنبر الجاري، يختتم المعرض.",
    )  # fmt: skip
    assert found[1][:2] == ("2024-12-12", None)


def test_a_month_after_during_dates_the_paragraph(tmp_path: Path) -> None:
    found = dates_of(tmp_path, "2016-12-15", "وخلال شهر نوفمبر الماضي، ارتفعت الأسعار.")
    assert found == [("2016-11-01", "2016-11-30", "approximate")]


def test_a_dateline_just_past_publication_is_the_coming_new_year(tmp_path: Path) -> None:
    """A page's published day may lag its dateline by a time zone: 1 January filed with
    published 31 December is the next day, not a year before."""
    found = dates_of(
        tmp_path, "2023-12-31",
        "بيروت - 1 كانون الثاني (أ ف ب) - قالت الحكومة إن الطريق فتح.",
        "وأمس، أغلقت الشرطة الطريق.",
    )  # fmt: skip
    assert [f[0] for f in found] == ["2024-01-01", "2023-12-31"]


def test_a_day_written_as_an_ordinal_dates_the_paragraph(tmp_path: Path) -> None:
    found = dates_of(tmp_path, "2017-01-05", "وفي الأول من كانون الثاني، دخلت الهدنة حيز التنفيذ.")
    assert found == [("2017-01-01", None, "explicit")]


@pytest.mark.parametrize(
    ("opening", "start", "end"),
    [
        ("وفي الشهر الماضي، وقعت الحكومة صفقة.", "2016-11-01", "2016-11-30"),
        ("خلال الشهر الجاري، ارتفعت الأسعار.", "2016-12-01", "2016-12-31"),
        ("في العام الماضي، تراجع النمو.", "2015-01-01", "2015-12-31"),
        ("وفي مطلع العام الجاري، بدأ الإصلاح.", "2016-01-01", "2016-01-31"),
        ("وفي نهاية الشهر الماضي، أغلق المعبر.", "2016-11-21", "2016-11-30"),
        ("وفي أوائل الشهر الماضي، أغلق المعبر.", "2016-11-01", "2016-11-10"),
        ("ونهاية الشهر الماضي، أغلق المعبر.", "2016-11-21", "2016-11-30"),
        ("وفي الشهر الفائت، أغلق المعبر.", "2016-11-01", "2016-11-30"),
        ("في السنة الفائتة، تراجع النمو.", "2015-01-01", "2015-12-31"),
        ("في السنة الماضية، تراجع النمو.", "2015-01-01", "2015-12-31"),
    ],
)
def test_a_month_or_year_counted_from_the_reference_day(
    tmp_path: Path, opening: str, start: str, end: str
) -> None:
    assert dates_of(tmp_path, "2016-12-15", opening)[0][:2] == (start, end)


def test_last_month_does_not_inherit_the_paragraph_above(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2016-12-15",
        "في 10 ديسمبر، ندد الوزير بالقصف.",
        "وفي الشهر الماضي، أغلق المعبر.",
    )  # fmt: skip
    assert found[1][0] == "2016-11-01"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("وكانت فصائل المعارضة قد شنت أمس هجوما على المدينة.", ("2016-12-14", None, "deictic")),
        ("وكانت الوزارة قد عقدت في 28 نوفمبر اجتماعا طارئا.", ("2016-11-28", None, "explicit")),
    ],
)
def test_background_with_its_own_day_is_dated_by_it(tmp_path: Path, line: str, expected) -> None:
    """ "وكانت … قد" tells of an earlier event: its own day, if it says one, is its date."""
    found = dates_of(tmp_path, "2016-12-15", "في 10 ديسمبر، ندد الوزير بالقصف.", line)
    assert found[1] == expected


def test_background_with_its_own_day_does_not_date_what_follows(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2016-12-15",
        "في 10 ديسمبر، ندد الوزير بالقصف.",
        "وكانت الوزارة قد عقدت في 28 نوفمبر اجتماعا طارئا.",
        "وأضاف الوزير أن القصف مستمر.",
    )  # fmt: skip
    assert found[2] == ("2016-12-10", None, "inherited")


def test_a_weekday_to_come_does_not_move_the_dateline(tmp_path: Path) -> None:
    """ "أعلنت الهيئة أن الاقتراع سيجرى يوم الأحد": the news is the announcement, filed today."""
    line = "الخرطوم - 11 سبتمبر (رويترز) - أعلنت الهيئة أن الاقتراع سيجرى يوم الأحد."
    assert dates_of(tmp_path, "2024-09-11", line) == [("2024-09-11", None, "dateline")]


def test_a_political_official_on_a_weekday_is_not_a_day_to_come(tmp_path: Path) -> None:
    found = dates_of(tmp_path, "2016-12-15", "قال مسؤول سياسي يوم الاثنين إن الإجلاء بدأ.")
    assert found == [("2016-12-12", None, "weekday")]


def test_a_yearless_day_near_the_previous_one_keeps_its_year(tmp_path: Path) -> None:
    """ "في 12 ديسمبر 2019، اغتيل السفير. وفي 15 ديسمبر، شيعت جنازته": three days later, in
    2019, whatever year the article was published."""
    found = dates_of(
        tmp_path, "2024-03-01",
        "في 12 ديسمبر 2019، اغتيل السفير.",
        "وفي 15 ديسمبر، شيعت جنازته.",
    )  # fmt: skip
    assert found[1][0] == "2019-12-15"


def test_a_yearless_day_after_new_year_follows_the_previous_one(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, None,
        "في 28 ديسمبر 2023، بدأ الإضراب.",
        "وفي 4 يناير، انتهى الإضراب.",
    )  # fmt: skip
    assert found[1][0] == "2024-01-04"


def test_a_yearless_day_far_from_the_previous_one_takes_the_reference_year(
    tmp_path: Path,
) -> None:
    found = dates_of(
        tmp_path, "2024-03-01",
        "في 12 ديسمبر 2019، اغتيل السفير.",
        "وفي 25 فبراير، بدأت المحاكمة.",
    )  # fmt: skip
    assert found[1][0] == "2024-02-25"


def test_a_yearless_day_near_the_previous_one_is_not_after_publication(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2016-12-15",
        "في 13 ديسمبر، أعلن الجيش اتفاقاً.",
        "وفي 2 يناير، بدأت المفاوضات.",
    )  # fmt: skip
    assert found[1][0] == "2016-01-02"


@pytest.mark.parametrize("opening", ["في العام الماضي، تراجع النمو.", "في الشهر الماضي، تراجع."])
def test_last_year_of_the_first_year_is_no_date(tmp_path: Path, opening: str) -> None:
    """A published day of year 1 (a typo the build warns about) has no year before it."""
    assert dates_of(tmp_path, "0001-01-15", opening) == [(None, None, None)]


def test_a_weekday_beside_a_date_picks_the_year_they_agree_in(tmp_path: Path) -> None:
    """ "يوم الثلاثاء 16 يناير" written on 14 January 2024: 16 January 2024 is a Tuesday (that
    of 2023 a Monday), so it is the coming Tuesday."""
    line = "وحذرت الأرصاد من منخفض جوي يصل إلى المملكة يوم الثلاثاء 16 يناير."
    assert dates_of(tmp_path, "2024-01-14", line)[0][0] == "2024-01-16"


def test_a_part_of_a_year_dates_its_paragraph(tmp_path: Path) -> None:
    first, then = "في 4 سبتمبر 2015، فتحت ألمانيا حدودها.", "وفي مطلع 2016، تغير المزاج."
    found = dates_of(tmp_path, "2020-06-01", first, then)
    assert found[1] == ("2016-01-01", "2016-01-31", "approximate")


def test_an_earlier_event_dated_in_an_aside_is_that_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path,
        "2024-04-21",
        "أيدت المحكمة اليوم الحكم.",
        "وكانت محكمة النقض قد أيدت، في 12 ديسمبر الماضي، حكما بسجن المتهم.",
    )
    assert found[1][:2] == ("2023-12-12", None)


def test_the_day_in_a_second_aside_dates_the_lead(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path,
        "2024-04-21",
        "قررت محكمة جنايات القاهرة، المنعقدة بمجمع محاكم بدر، اليوم الأحد، تأجيل المحاكمة.",
    )
    assert found[0][:2] == ("2024-04-21", None)


# ---- a date after the verb and its subject ---------------------------------------------------


@pytest.mark.parametrize(
    ("line", "start", "end"),
    [
        ("ولد محمد الحداد عام 1962 في صفاقس.", "1962-01-01", "1962-12-31"),
        ("توفي الكاتب في 3 مارس 1970 بالقاهرة.", "1970-03-03", None),
        ("افتتح متحف المدينة سنة 1931 في قصر قديم.", "1931-01-01", "1931-12-31"),
        ("أعلنت وزارة الصحة في 5 مارس 2024 أن الوباء انحسر.", "2024-03-05", None),
        ("وقد أصدرت المحكمة في 12 مايو 2019 حكمها النهائي.", "2019-05-12", None),
        ("سيجري الاقتراع في 5 مارس 2025 في كل المحافظات.", "2025-03-05", None),  # to come
    ],
)
def test_a_date_right_after_the_verb_and_its_subject_dates_the_paragraph(
    tmp_path: Path, line: str, start: str, end: str | None
) -> None:
    assert dates_of(tmp_path, None, line)[0][:2] == (start, end)


@pytest.mark.parametrize(
    "line",
    [
        "قالت الوزارة إن المشروع ينتهي في 5 مارس 2030.",
        "يعمل المصنع منذ عام 1998 في إنتاج الإسمنت.",
        "أعلن الوزير الذي تولى منصبه في 2019 خطة جديدة.",
        "لم يزر الرئيس المدينة حتى عام 2015 بسبب الحرب.",
        "يحتفل سكان المدينة في 5 مارس 2024 بعيدها.",
        "زار وفد يضم ممثلين عن الوزارات والهيئات والنقابات المهنية المختلفة ومنظمات المجتمع "
        "المدني المدينة في 2019.",
    ],
)
def test_a_date_after_a_reported_or_qualified_clause_does_not_date_the_paragraph(
    tmp_path: Path, line: str
) -> None:
    assert dates_of(tmp_path, None, line)[0] == (None, None, None)


def test_a_year_after_the_verb_dates_only_its_own_paragraph(tmp_path: Path) -> None:
    found = dates_of(tmp_path, None, "ولد الحداد عام 1962 في صفاقس.", "درس الأدب في تونس.")
    assert found[1] == (None, None, None)


@pytest.mark.parametrize(
    "line", ["في ربيع الأول، هاجر إلى المدينة.", "وُلد في مكة في شهر ربيع الأول من عام الفيل."]
)
def test_a_hijri_month_without_its_year_or_a_reference_day_dates_nothing(
    tmp_path: Path, line: str
) -> None:
    """Its days move from year to year: without a year to place it in, it has none."""
    assert dates_of(tmp_path, None, line)[0] == (None, None, None)


@pytest.mark.parametrize(
    "line",
    ["ولا يزال السكان يذكرون فيضان عام 1997.", "ويحتفل سكان المدينة في 5 مارس 2024 بعيدها."],
)
def test_a_date_after_a_negated_or_present_verb_with_its_and_does_not_date(
    tmp_path: Path, line: str
) -> None:
    assert dates_of(tmp_path, None, line)[0] == (None, None, None)


@pytest.mark.parametrize(
    ("line", "start"),
    [
        ("وفي جلسة 10 مارس، قررت المحكمة تأجيل القضية.", "2024-03-10"),
        ("في اجتماع 3 فبراير 2024، أقر المجلس الموازنة.", "2024-02-03"),
    ],
)
def test_an_event_named_by_its_day_dates_the_paragraph(
    tmp_path: Path, line: str, start: str
) -> None:
    assert dates_of(tmp_path, "2024-03-20", line)[0][0] == start


def test_a_decade_dates_only_its_own_paragraph(tmp_path: Path) -> None:
    found = dates_of(tmp_path, None, "في الثمانينيات، هاجر إلى فرنسا.", "درس الأدب هناك.")
    assert found == [("1980-01-01", "1989-12-31", "approximate"), (None, None, None)]


# ---- wire stories: discourse markers, asides with words, sections, flashbacks -----------------

WIRE_REF = "2024-02-12"


@pytest.mark.parametrize(
    "line",
    [
        "من جهتها، أوضحت المديرية في بيان نشرته مساء الأحد أن العطب أصلح.",
        "وفي سياق متصل، أعلنت السلطات المحلية يوم الأحد الماضي عن تخصيص مبلغ.",
        "بدوره، قال الوالي أمس إن الأشغال بدأت.",
    ],
)
def test_a_discourse_marker_before_the_opening_clause_is_passed_over(
    tmp_path: Path, line: str
) -> None:
    assert dates_of(tmp_path, WIRE_REF, line)[0][0] == "2024-02-11"


@pytest.mark.parametrize(
    "line",
    [
        "وقالت كبيرة الاقتصاديين، في مذكرة بحثية يوم الأحد، إن التضخم سيتراجع.",
        "وكانت اللجنة قد قررت، في اجتماعها يوم الأحد 11 فبراير، رفع الفائدة.",
    ],
)
def test_a_day_in_an_aside_with_a_few_words_dates_the_paragraph(tmp_path: Path, line: str) -> None:
    assert dates_of(tmp_path, WIRE_REF, line)[0][0] == "2024-02-11"


def test_a_day_in_an_aside_about_something_else_does_not(tmp_path: Path) -> None:
    line = "وقال الوزير، الذي زار المدينة يوم الأحد، إن الوضع صعب."
    assert dates_of(tmp_path, WIRE_REF, line)[0] == (None, None, None)


def test_a_reminder_of_the_past_is_background(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, WIRE_REF,
        "قال الوالي يوم الأحد إن الأشغال بدأت.",
        "وللتذكير، فإن الولاية عرفت أزمة مماثلة.",
    )  # fmt: skip
    assert found[1] == (None, None, None)


WIRE_WITH_SECTIONS = (
    "بيروت - 3 مارس (أ ف ب) - قتل خمسة أشخاص في غارة على بلدة جنوبية.",
    "وكانت البلدة قد تعرضت لقصف يوم الخميس الماضي.",
    "ردود فعل",
    "ودانت فرنسا الغارة ودعت إلى ضبط النفس.",
    "وطالبت الأمم المتحدة بتحقيق مستقل.",
)


def test_a_wire_storys_later_sections_are_of_its_dateline_day(tmp_path: Path) -> None:
    found = dates_of(tmp_path, "2024-03-03", *WIRE_WITH_SECTIONS)
    assert [f[:2] for f in found[2:]] == [("2024-03-03", None), ("2024-03-03", None)]


def test_without_a_dateline_or_a_dated_lead_a_section_starts_undated(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2024-03-03", "قتل خمسة أشخاص في غارة.", "ردود فعل", "ودانت فرنسا الغارة."
    )
    assert found[1] == (None, None, None)


def test_a_wire_storys_flashback_day_passes_nothing_on(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2024-03-25",
        "الرياض - 25 مارس (واس) - رحبت المملكة بقرار مجلس الأمن.",
        "وفي 11 نوفمبر 2023، استضافت الرياض قمة عربية إسلامية.",
        "وقدمت المملكة مساعدات تجاوزت 180 مليون دولار.",
    )  # fmt: skip
    assert found[2] == (None, None, None)


def test_a_background_section_of_a_wire_story_is_not_of_its_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2024-03-03", WIRE_WITH_SECTIONS[0], "خلفية", "وتعد البلدة من أكبر بلدات الجنوب."
    )
    assert found[1] == (None, None, None)


def test_a_weekday_to_come_in_what_was_said_does_not_date_the_statement(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, WIRE_REF,
        "قال الوالي يوم الأحد إن الأشغال بدأت.",
        "وأضاف البيان أن الأشغال ستنتهي في أجل أقصاه يوم الخميس المقبل.",
    )  # fmt: skip
    assert found[1][:2] == ("2024-02-11", None)


def test_a_preposition_before_a_place_does_not_stop_the_verbs_date(tmp_path: Path) -> None:
    found = dates_of(tmp_path, None, "انتقل إلى فرنسا عام 1975 لمتابعة دراساته.")
    assert found[0][:2] == ("1975-01-01", "1975-12-31")


def test_a_date_something_is_put_off_to_does_not_date_the_paragraph(tmp_path: Path) -> None:
    assert dates_of(tmp_path, None, "أجلت المحكمة الجلسة إلى 5 مارس 2024.")[0] == (None, None, None)


def test_a_day_in_a_longer_aside_dates_the_paragraph(tmp_path: Path) -> None:
    line = "من جهتها، أوضحت المديرية، في بيان نشرته مساء الأحد على صفحتها الرسمية، أن العطب أصلح."
    assert dates_of(tmp_path, WIRE_REF, line)[0][0] == "2024-02-11"


def test_a_later_section_of_a_story_led_by_its_news_day_is_of_that_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2024-05-11",
        "توج الأهلي بكأس مصر بعد فوزه يوم الجمعة على الزمالك.",
        "تصريحات",
        "وقال المدرب عقب اللقاء إن اللاعبين أظهروا شخصية البطل.",
    )  # fmt: skip
    assert found[1][:2] == ("2024-05-10", None)


def test_a_later_section_of_a_look_back_starts_undated(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2016-12-15",
        "في 15 نوفمبر، بدأت القوات هجوما واسعا.",
        "ردود فعل",
        "وقال مسؤول إن الوضع صعب.",
    )  # fmt: skip
    assert found[1] == (None, None, None)


def test_only_the_first_paragraph_is_the_lead(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2024-03-11",
        "يذكر أن المدينة شهدت احتجاجات مماثلة.",
        "في 10 مارس 2024، أغلق المحتجون الطريق.",
        "ردود فعل",
        "ودعا الوالي إلى الحوار.",
    )  # fmt: skip
    assert found[2] == (None, None, None)


@pytest.mark.parametrize(
    ("line", "start"),
    [
        ("في 15 رمضان 1445 هـ الموافق 25 مارس 2024 م، افتتح المعرض.", "2024-03-25"),
        ("في عام 1397 هـ (1977 م)، تأسست الشركة.", "1977-01-01"),
    ],
)
def test_a_date_in_both_calendars_dates_the_opening(tmp_path: Path, line: str, start: str) -> None:
    assert dates_of(tmp_path, None, line)[0][0] == start


def test_a_deadline_said_of_the_news_does_not_date_it(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2025-03-14",
        "الرياض - 14 مارس (واس) - أطلقت الشركة اليوم خدمة جديدة.",
        "وبين أن الخدمة متاحة دون تكلفة إضافية حتى نهاية العام الجاري، على أن تطرح بعدها باقة.",
    )  # fmt: skip
    assert found[1] == ("2025-03-14", None, "inherited")


def test_a_listed_item_with_its_day_does_not_date_a_paragraph_in_the_present(
    tmp_path: Path,
) -> None:
    found = dates_of(
        tmp_path, "2024-12-03",
        "الرباط - 3 دجنبر (و م ع) - افتتح الوزير المعرض.",
        "ويتضمن البرنامج ورشات حية، وعروضا للأزياء التقليدية يوم السبت 7 دجنبر، فضلا عن مسابقة.",
    )  # fmt: skip
    assert found[1][0] != "2024-12-07"


def test_a_place_set_before_the_clause_leaves_the_clause_to_date_it(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2025-02-06",
        "أعلنت المؤسسة، أمس الأربعاء، توقف المعمل.",
        "وفي 28 كانون الثاني، وقع لبنان والعراق ملحقا للاتفاق.",
        "وفي طرابلس، قطع محتجون أمس طريق البداوي بالإطارات.",
    )  # fmt: skip
    assert found[2] == ("2025-02-05", None, "deictic")


def test_a_setting_that_names_a_time_dates_its_paragraph(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2025-02-06", "في 3 فبراير، افتتح المعرض.", "وفي اليوم التالي، زاره الوزير."
    )
    assert found[1] == ("2025-02-04", None, "relative")


def test_the_next_day_after_an_earlier_event_counts_from_that_event(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2025-10-24",
        "توج الترجي أمس بلقب البطولة.",
        "وكان الترجي قد بلغ النهائي بعد فوزه على الزمالك يوم الثلاثاء.",
        "وفي اليوم التالي، فاز الزمالك على الكويت.",
    )  # fmt: skip
    assert found[2] == ("2025-10-22", None, "relative")


def test_an_earlier_event_still_passes_its_day_to_nothing_else(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2025-10-24",
        "توج الترجي أمس بلقب البطولة.",
        "وكان الترجي قد بلغ النهائي بعد فوزه على الزمالك يوم الثلاثاء.",
        "وأشاد رئيس الاتحاد بالتنظيم.",
    )  # fmt: skip
    assert found[2] == ("2025-10-23", None, "inherited")


def test_the_day_after_an_earlier_event_passes_its_day_to_nothing_else(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2025-10-24",
        "توج الترجي أمس بلقب البطولة.",
        "وكان الترجي قد بلغ النهائي بعد فوزه على الزمالك يوم الثلاثاء.",
        "وفي اليوم التالي، فاز الزمالك على الكويت.",
        "وأشاد رئيس الاتحاد بالتنظيم.",
    )  # fmt: skip
    assert found[3] == ("2025-10-23", None, "inherited")


def test_what_is_told_in_the_present_does_not_take_the_news_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2025-04-08",
        "عمان - 7 أبريل (بترا) - حذرت وزارة المياه من صيف صعب.",
        "ويصنف الأردن ضمن أفقر دول العالم مائيا.",
    )  # fmt: skip
    assert found[1] == (None, None, None)


def test_a_lead_is_dated_by_yesterday_anywhere_in_its_first_sentence(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2025-10-24",
        "توج الترجي بلقب البطولة العربية، بعد فوزه على الأهلي في المباراة النهائية التي أقيمت "
        "مساء أمس الخميس بالقاهرة، أمام 12 ألف متفرج.",
        "وأنهى الترجي الشوط الأول متقدما.",
    )  # fmt: skip
    assert found == [("2025-10-23", None, "deictic"), ("2025-10-23", None, "inherited")]


def test_a_lead_is_not_dated_by_a_day_to_come(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path,
        "2025-10-24",
        "أعلنت الحكومة أنها ستعقد اجتماعا طارئا مع النقابات يوم الأحد المقبل لبحث الأزمة.",
    )
    assert found == [(None, None, None)]


def test_an_earlier_event_is_dated_past_an_aside_about_its_subject(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2025-02-10",
        "أطلقت الإمارات أمس قمرا صناعيا جديدا.",
        'وكان "خليفة سات"، أول قمر صناعي إماراتي، قد أطلق في 29 أكتوبر 2018 من اليابان.',
    )  # fmt: skip
    assert found[1] == ("2018-10-29", None, "explicit")


def test_a_new_front_opened_by_its_name_leaves_the_clause_after_to_date_it(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2025-02-10",
        "أطلقت الإمارات أمس قمرا صناعيا جديدا.",
        "وعلى الصعيد الخليجي، كانت السعودية قد أرسلت في 21 مايو 2023 رائدي فضاء.",
    )  # fmt: skip
    assert found[1] == ("2023-05-21", None, "explicit")


def test_what_will_be_takes_no_inherited_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2025-02-10",
        "أطلقت الإمارات أمس قمرا صناعيا جديدا.",
        "وستستخدم بيانات القمر في رصد التغيرات البيئية.",
    )  # fmt: skip
    assert found[1] == (None, None, None)


# ---- days to come: a wire names what is scheduled after its own day -------------------------

WIRE_DAY = "نيويورك - 10 ديسمبر (رويترز) - قال دبلوماسيون اليوم إن مجلس الأمن سيعقد جلسة طارئة."


@pytest.mark.parametrize(
    "opening",
    [
        "وتعقد الجلسة في 15 ديسمبر بطلب من بريطانيا.",
        "وستعقد الجلسة في 15 ديسمبر بطلب من بريطانيا.",
        "ومن المقرر أن تعقد الجلسة في 15 ديسمبر بطلب من بريطانيا.",
    ],
)
def test_a_day_to_come_shortly_after_the_news_day_is_in_its_year(
    tmp_path: Path, opening: str
) -> None:
    assert dates_of(tmp_path, "2019-12-10", WIRE_DAY, opening)[1][0] == "2019-12-15"


def test_a_day_told_as_past_after_the_news_day_is_the_year_before(tmp_path: Path) -> None:
    found = dates_of(tmp_path, "2019-12-10", WIRE_DAY, "وعقد المجلس جلسة مماثلة في 15 ديسمبر.")
    assert found[1][0] == "2018-12-15"


@pytest.mark.parametrize(
    "opening",
    [
        "ومن المنتظر أن يصوت المجلس غدا الأربعاء على مشروع قرار.",
        "ويصوت المجلس مساء غدٍ الأربعاء على مشروع قرار.",
    ],
)
def test_tomorrow_with_its_weekday_is_the_day_after_the_news_day(
    tmp_path: Path, opening: str
) -> None:
    # 10 December 2019 was a Tuesday
    assert dates_of(tmp_path, "2019-12-10", WIRE_DAY, opening)[1][0] == "2019-12-11"


def test_a_weekday_to_come_is_the_next_one(tmp_path: Path) -> None:
    found = dates_of(tmp_path, "2019-12-10", WIRE_DAY, "وسيصوت المجلس يوم الجمعة على القرار.")
    assert found[1] == ("2019-12-13", None, "weekday")


def test_what_follows_a_day_to_come_goes_on_with_the_news_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2019-12-10", WIRE_DAY,
        "ويصوت المجلس يوم السبت المقبل 14 ديسمبر على مشروع القرار.",
        "وقال السفير الفرنسي إن الوضع خطير.",
    )  # fmt: skip
    assert found[2] == ("2019-12-10", None, "inherited")


# ---- a reminder recalls one past event ------------------------------------------------------


def test_a_reminder_is_dated_by_the_one_day_it_recalls(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2023-02-12",
        "الجزائر - 11 فيفري (واج) - فاز المولودية على الاتحاد بهدفين دون رد.",
        "يذكر أن مباراة الذهاب بين الفريقين، التي جرت يوم 8 أكتوبر الماضي، انتهت بالتعادل.",
    )  # fmt: skip
    assert found[1] == ("2022-10-08", None, "explicit")


def test_a_reminder_is_dated_by_its_day_within_the_month_it_names(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2024-04-07",
        "مكة المكرمة 28 رمضان 1445 هـ (واس) - استقبل المسجد الحرام ملايين المصلين.",
        "يُذكر أن رمضان من العام الماضي 1444 هـ شهد حضور أكثر من 2.5 مليون مصلٍّ في ليلة"
        " ختم القرآن، وذلك في 29 رمضان الموافق 20 أبريل 2023م.",
    )  # fmt: skip
    assert found[1] == ("2023-04-20", None, "explicit")


def test_a_reminder_of_two_days_apart_is_left_undated(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2023-02-12",
        "الجزائر - 11 فيفري (واج) - فاز المولودية على الاتحاد بهدفين دون رد.",
        "يذكر أن الفريقين التقيا في 8 أكتوبر الماضي ثم في 3 ديسمبر في الكأس.",
    )  # fmt: skip
    assert found[1] == (None, None, None)


def test_a_reminder_passes_its_day_to_nothing(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2023-02-12",
        "الجزائر - 11 فيفري (واج) - فاز المولودية على الاتحاد بهدفين دون رد.",
        "يذكر أن مباراة الذهاب بين الفريقين، التي جرت يوم 8 أكتوبر الماضي، انتهت بالتعادل.",
        "وقال مدرب المولودية إن فريقه استحق الفوز.",
    )  # fmt: skip
    assert found[2] == ("2023-02-11", None, "inherited")


def test_a_clause_that_explains_the_first_dates_it(tmp_path: Path) -> None:
    """ "، إذ هبط المؤشر … في جلسة اليوم": the explanation tells when the first clause happened."""
    found = dates_of(
        tmp_path, "2022-12-06",
        "لندن - ٦ ديسمبر ٢٠٢٢ - واصلت أسعار النفط تراجعها في تعاملات اليوم الثلاثاء.",
        "وخفضت شركة أرامكو أمس سعر البيع الرسمي لشحنات الخام المتجهة إلى آسيا.",
        "وانعكس تراجع النفط على أسواق الأسهم الخليجية، إذ هبط المؤشر السعودي في جلسة اليوم.",
    )  # fmt: skip
    assert found[2] == ("2022-12-06", None, "deictic")


def test_a_date_after_a_long_subject_and_its_object_dates_the_paragraph(tmp_path: Path) -> None:
    line = "أصدر السلطان عبد الحميد الثاني أمره ببناء الخط في ربيع عام 1900، وأقيم حفل البدء."
    assert dates_of(tmp_path, None, line)[0][:2] == ("1900-03-01", "1900-05-31")


def test_a_dateline_without_an_agency_dates_its_paragraph(tmp_path: Path) -> None:
    line = "طرابلس - 16 أغسطس 2023 - اندلعت اشتباكات عنيفة في العاصمة الليبية."
    assert dates_of(tmp_path, "2023-08-16", line) == [("2023-08-16", None, "dateline")]


def test_a_decimal_does_not_end_the_opening_clause(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2023-07-05",
        "دبي - 5 يوليو (وام) - ارتفعت أسعار العقارات في دبي.",
        "وقالت الوزارة أمس إن الأسعار ارتفعت.",
        "وتراجع المؤشر 1.8 بالمئة في تعاملات اليوم.",
    )  # fmt: skip
    assert found[2] == ("2023-07-05", None, "deictic")


@pytest.mark.parametrize(
    "opening",
    [
        "وسيعقد وزير الداخلية اجتماعا طارئا يوم الأحد.",
        "ومن المقرر أن يعقد وزير الداخلية اجتماعا يوم الأحد.",
    ],
)
def test_a_weekday_told_as_to_come_is_the_next_one(tmp_path: Path, opening: str) -> None:
    # 10 December 2019 was a Tuesday: the next Sunday is the 15th
    assert dates_of(tmp_path, "2019-12-10", WIRE_DAY, opening)[1] == ("2019-12-15", None, "weekday")


def test_a_range_after_the_verb_dates_the_paragraph(tmp_path: Path) -> None:
    found = dates_of(tmp_path, "2023-07-05", "تنطلق دورة المعرض من 2 إلى 4 أكتوبر المقبل.")
    assert found[0][:2] == ("2023-10-02", "2023-10-04")


def test_today_before_ila_is_today(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2023-07-05",
        "دبي - 5 يوليو (وام) - ارتفعت أسعار العقارات في دبي.",
        "وقالت الوزارة أمس إن الأسعار ارتفعت.",
        "وانعكس الأداء على الأسهم، إذ صعد سهم إعمار في تعاملات اليوم إلى 6.48 درهم.",
    )  # fmt: skip
    assert found[2] == ("2023-07-05", None, "deictic")


@pytest.mark.parametrize(
    ("opening", "start", "end"),
    [
        ("وارتفعت المبيعات خلال النصف الأول من العام الجاري.", "2023-01-01", "2023-06-30"),
        ("وتراجعت الأرباح في الربع الثاني من العام الماضي.", "2022-04-01", "2022-06-30"),
        ("وفي خريف السنة الجارية، تجرى الانتخابات.", "2023-09-01", "2023-11-30"),
    ],
)
def test_a_part_of_a_counted_year_is_that_part(
    tmp_path: Path, opening: str, start: str, end: str
) -> None:
    assert dates_of(tmp_path, "2023-07-05", opening)[0][:2] == (start, end)


def test_an_earlier_event_counted_from_the_paragraph_above_is_dated(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2023-08-16",
        "في 14 أغسطس، اندلعت الاشتباكات في طرابلس.",
        "وكانت الوزارة قد أعلنت قبل ذلك بيومين حالة التأهب القصوى.",
    )  # fmt: skip
    assert found[1] == ("2023-08-12", None, "relative")


def test_what_lasts_until_the_next_day_spans_both_days(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2023-08-16",
        "واندلعت المواجهات مساء الاثنين 14 أغسطس بين الطرفين.",
        "واستمرت الاشتباكات طوال الليل وحتى عصر اليوم التالي في أحياء جنوب العاصمة.",
    )  # fmt: skip
    assert found[1][:2] == ("2023-08-14", "2023-08-15")


def test_a_paragraph_own_day_lasting_until_the_next_day_spans_both(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2023-08-16",
        "واندلعت المواجهات مساء الاثنين 14 أغسطس واستمرت حتى صباح اليوم التالي.",
    )  # fmt: skip
    assert found[0][:2] == ("2023-08-14", "2023-08-15")


def test_the_same_day_after_a_span_to_the_next_day_is_that_next_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2023-08-16",
        "واندلعت المواجهات مساء الاثنين 14 أغسطس بين الطرفين.",
        "واستمرت الاشتباكات طوال الليل وحتى عصر اليوم التالي في أحياء جنوب العاصمة.",
        "وفي مساء اليوم نفسه، أعلن المجلس التوصل إلى اتفاق.",
    )  # fmt: skip
    assert found[2] == ("2023-08-15", None, "relative")


def test_a_biography_paragraph_is_dated_by_the_year_its_next_clause_tells(
    tmp_path: Path,
) -> None:
    found = dates_of(
        tmp_path, "2020-08-02",
        "عالم كيمياء مصري، حصل على جائزة نوبل في الكيمياء.",
        "التحق بكلية العلوم في جامعة الإسكندرية، وحصل منها على بكالوريوس العلوم بتقدير امتياز"
        " مع مرتبة الشرف عام 1967، ثم عين معيدا بالكلية.",
    )  # fmt: skip
    assert found[1][:2] == ("1967-01-01", "1967-12-31")


def test_a_date_past_the_opening_does_not_replace_the_news_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2016-12-15",
        "في 13 ديسمبر، أعلن فصيل معارض التوصل إلى اتفاق.",
        "وقال المتحدث إن الاتفاق يشبه ما جرى في حمص في 9 مايو 2014، حين خرج المقاتلون.",
    )  # fmt: skip
    assert found[1] == ("2016-12-13", None, "inherited")


@pytest.mark.parametrize(
    "line",
    [
        "درس الهندسة في القاهرة، وقال إن المشروع ينتهي في 5 مارس 2030.",
        "عاد إلى بلده، ولم يزر المدينة حتى عام 2015 بسبب الحرب.",
        "عمل في الصحافة، وأجلت المحكمة قضيته إلى 5 مارس 2024.",
    ],
)
def test_a_date_in_the_next_clause_that_is_not_its_event_dates_nothing(
    tmp_path: Path, line: str
) -> None:
    assert dates_of(tmp_path, None, line)[0] == (None, None, None)


def test_a_yearless_hijri_day_to_come_is_the_next_one(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2024-04-07",
        "ومن المنتظر أن تعلن المحكمة العليا مساء غد الاثنين التاسع والعشرين من رمضان.",
    )  # fmt: skip
    assert found[0][0] == "2024-04-08"


def test_a_yearless_hijri_day_told_as_past_is_the_last_one(tmp_path: Path) -> None:
    assert dates_of(tmp_path, "2024-04-07", "في 29 رمضان، أعلنت المحكمة العيد.")[0][0] == (
        "2023-04-20"
    )


def test_a_clause_opening_with_a_verbal_noun_inherits_the_news_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2023-02-12",
        "تمكن فريق مولودية الجزائر، مساء أمس السبت، من الفوز على جاره.",
        "وفي الوقت بدل الضائع، وتحديدا في الدقيقة 93، خطف المدافع هدف الفوز.",
    )  # fmt: skip
    assert found[1][:2] == ("2023-02-11", None)


def test_a_present_verb_of_the_same_shape_still_takes_no_inherited_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2023-02-12",
        "تمكن فريق مولودية الجزائر، مساء أمس السبت، من الفوز على جاره.",
        "وتتميز المدينة بملعبها الكبير.",
    )  # fmt: skip
    assert found[1] == (None, None, None)


def test_today_in_the_present_of_an_explainer_is_nowadays(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2024-05-20",
        "قلعة صلاح الدين حصن إسلامي يقع على جبل المقطم.",
        "شرع السلطان صلاح الدين في بناء القلعة عام 1176.",
        "وتضم القلعة اليوم عددا من المتاحف.",
    )  # fmt: skip
    assert found[2] == (None, None, None)


def test_today_in_the_present_of_a_news_story_is_its_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2024-12-04",
        "الرباط - 3 دجنبر (و م ع) - افتتح الوزير معرض الصناعة التقليدية.",
        "ويعقد المجلس اليوم جلسة لمناقشة الميزانية.",
    )  # fmt: skip
    assert found[1][:2] == ("2024-12-03", None)


def test_today_in_the_present_of_a_lead_is_the_day_it_was_published(tmp_path: Path) -> None:
    found = dates_of(tmp_path, "2024-05-20", "يعقد مجلس الأمن اليوم جلسة طارئة لبحث الوضع.")
    assert found[0][:2] == ("2024-05-20", None)


def test_what_was_said_at_the_same_event_is_of_its_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2024-12-04",
        "الرباط - 3 دجنبر (و م ع) - افتتح كاتب الدولة معرض الصناعة التقليدية.",
        "وكانت اللجنة المنظمة قد عقدت، أمس الاثنين، ندوة صحفية بمقر دار الصانع.",
        "وأوضح رئيس اللجنة المنظمة، عبد الرحيم الوزاني، خلال الندوة ذاتها، أن الدورة واسعة.",
    )  # fmt: skip
    assert found[2] == ("2024-12-02", None, "relative")


def test_a_paragraph_opening_at_the_same_sitting_is_of_its_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2025-02-12",
        "صادق مجلس النواب، يوم الاثنين 10 فيفري، على مشروع القانون.",
        "وقال وزير العدل إن النص يحمي المبلغين.",
        "وفي الجلسة نفسها، صوت النواب على مشروع ثان.",
    )  # fmt: skip
    assert found[2] == ("2025-02-10", None, "relative")


def test_the_same_place_or_context_is_not_a_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2025-02-12",
        "صادق مجلس النواب، يوم الاثنين 10 فيفري، على مشروع القانون.",
        "وفي السياق نفسه، يعد القانون من أهم النصوص.",
    )  # fmt: skip
    assert found[1] == (None, None, None)


def test_a_wire_lead_of_a_half_year_leaves_the_story_on_its_dateline_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2023-07-05",
        "دبي - 5 يوليو 2023 - بلغت قيمة التصرفات العقارية في دبي خلال النصف الأول من العام"
        " الجاري 326 مليار درهم.",
        "وأوضحت الدائرة أن عدد الصفقات تجاوز 80 ألف صفقة.",
    )  # fmt: skip
    assert found[1] == ("2023-07-05", None, "inherited")


def test_a_look_back_over_years_after_a_story_began_leaves_what_follows_undated(
    tmp_path: Path,
) -> None:
    found = dates_of(
        tmp_path, "2023-07-05",
        "دبي - 5 يوليو 2023 - افتتح الحاكم المعرض.",
        "وفي عام 2015، شهدت المدينة أول دورة.",
        "وشارك فيها 40 عارضا.",
    )  # fmt: skip
    assert found[2] == (None, None, None)


def test_a_biography_paragraph_is_dated_by_a_then_clause(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2020-08-02",
        "عالم كيمياء مصري، حصل على جائزة نوبل في الكيمياء.",
        "درس الكيمياء في جامعة الإسكندرية، ثم حصل على الدكتوراه من جامعة بنسلفانيا عام 1974.",
    )  # fmt: skip
    assert found[1][:2] == ("1974-01-01", "1974-12-31")


@pytest.mark.parametrize(
    ("line", "start", "end"),
    [
        ("وتعود وقائع القضية إلى شهر أغسطس 2017، حين أبرم العقد.", "2017-08-01", "2017-08-31"),
        ("وتعود وقائع القضية إلى الفترة الممتدة بين 2016 و2019.", "2016-01-01", "2019-12-31"),
        ("ويعود تاريخ بناء الجسر إلى عام 1890.", "1890-01-01", "1890-12-31"),
    ],
)
def test_what_dates_back_to_a_time_is_of_that_time(
    tmp_path: Path, line: str, start: str, end: str
) -> None:
    assert dates_of(tmp_path, "2025-02-12", line)[0][:2] == (start, end)


def test_the_weekday_of_a_written_date_is_not_a_day_of_its_own(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2024-06-07",
        "وأعلنت رئاسة مجلس الوزراء إقفال الإدارات والمؤسسات العامة والبلديات لمناسبة عيد الأضحى"
        " من السبت 15 حزيران حتى الثلاثاء 18 حزيران ضمنا.",
    )  # fmt: skip
    assert found[0][0] != "2024-06-01"


def test_years_after_that_would_pass_the_publication_are_an_absence_not_a_date(
    tmp_path: Path,
) -> None:
    """ "بعد ثلاث سنوات" after the verb of a news story is how long something lasted ("after
    three years away"), not three years past the news day, which the article cannot tell of."""
    found = dates_of(
        tmp_path,
        "2024-05-02",
        "الدوحة - 1 مايو 2024 (قنا) - فاز المنتخب بالمباراة.",
        "وعاد المنتخب إلى البطولة بعد ثلاث سنوات، وسط احتفالات الجماهير.",
    )
    assert found[1][0] != "2027-01-01"


@pytest.mark.parametrize(
    ("paragraph", "start", "end"),
    [
        (
            "عمل في سفارات بلاده في نيودلهي وبلغراد طوال الستينيات، وكتب.",
            "1960-01-01",
            "1969-12-31",
        ),
        ("وطيلة عام 1985، درّس في الجامعة.", "1985-01-01", "1985-12-31"),
    ],
)
def test_throughout_a_period_is_that_period(
    tmp_path: Path, paragraph: str, start: str, end: str
) -> None:
    found = dates_of(tmp_path, "2024-05-02", "ولد عام 1931 في أم درمان.", paragraph)
    assert found[1][:2] == (start, end)


def test_a_day_to_come_in_what_was_said_is_the_coming_one(tmp_path: Path) -> None:
    """ "أوضح البيان أن الوقوف بعرفة سيكون يوم السبت في التاسع من ذي الحجة": the coming 9 Dhu
    al-Hijjah, not last year's."""
    found = dates_of(
        tmp_path,
        "2024-06-07",
        "بيروت - أعلنت دار الفتوى، مساء أمس الخميس، أن اليوم هو غرة ذي الحجة.",
        "وأوضح البيان أن الوقوف بعرفة سيكون يوم السبت في التاسع من ذي الحجة، داعيا إلى الصيام.",
    )
    assert found[1][0] == "2024-06-15"


def test_an_aside_inside_what_was_said_dates_nothing(tmp_path: Path) -> None:
    """After "أن" the commas set off what was said, not when it was said."""
    found = dates_of(
        tmp_path,
        "2024-06-07",
        "بيروت - أعلنت دار الفتوى، مساء أمس الخميس، أن اليوم هو غرة ذي الحجة.",
        "وأوضح البيان أن الوقوف بعرفة سيكون السبت، الموافق 15 حزيران، داعيا إلى الصيام.",
    )
    assert found[1][0] != "2023-06-15"


@pytest.mark.parametrize(
    "paragraph",
    [
        "ومن المقرر أن تبدأ رحلات عودة الحجاج بدءاً من 22 حزيران الجاري، على أن تستكمل لاحقا.",
        "وستتوقف الرحلات ابتداء من 22 حزيران، بحسب الشركة.",
        "وستغلق المدارس أبوابها اعتبارا من 22 حزيران، وفق البيان.",
    ],
)
def test_a_day_from_which_something_starts_dates_it(tmp_path: Path, paragraph: str) -> None:
    found = dates_of(
        tmp_path, "2024-06-07", "بيروت - 6 حزيران (وطنية) - أعلنت الوزارة الخطة.", paragraph
    )
    assert found[1][0] == "2024-06-22"


def test_the_next_year_after_a_range_of_years_follows_its_end(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path,
        "2025-03-10",
        "بين عامي 1976 و1981 عملت مهندسة في وزارة الإنشاءات.",
        "في العام التالي سافرت إلى فرنسا بمنحة دراسية.",
    )
    assert found[1][:2] == ("1982-01-01", "1982-12-31")


def test_an_event_named_by_its_time_after_during_is_dated(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path,
        "2025-03-10",
        "في عام 1990 أسست الجمعية.",
        "خلال حرب صيف 1994 توقفت أنشطة الجمعية.",
    )
    assert found[1][:2] == ("1994-06-01", "1994-08-31")


@pytest.mark.parametrize(
    "paragraph",
    [
        "من جهة أخرى، عقدت اللجنة اجتماعا يوم الاثنين الماضي بالرباط.",
        "وعلى صعيد الطرق، أعادت الفرق يوم الاثنين الماضي فتح الطريق.",
        "وحسب إحصائيات الإدارة العامة، عقدت اللجنة اجتماعا يوم الاثنين الماضي.",
        "ووفق بيان الوزارة، عقدت اللجنة اجتماعا يوم الاثنين الماضي.",
    ],
)
def test_a_linking_or_attributing_clause_passes_to_the_clause_that_dates(
    tmp_path: Path, paragraph: str
) -> None:
    found = dates_of(
        tmp_path, "2018-12-13", "الرباط في 13 دجنبر /ومع/ - بلغت نسبة ملء السدود 48 في المائة.",
        paragraph,
    )  # fmt: skip
    assert found[1][0] == "2018-12-10"


def test_a_figure_as_at_a_part_of_a_month_before_the_news_leaves_the_story_on_its_day(
    tmp_path: Path,
) -> None:
    found = dates_of(
        tmp_path, "2025-04-13",
        "الكويت - 13 أبريل 2025 (كونا) - أعلن البنك الوطني تحقيق أرباح صافية.",
        "وعلى صعيد الميزانية، بلغ إجمالي الموجودات في نهاية مارس 2025 نحو 17 مليار دينار.",
        "وقال الرئيس التنفيذي للمجموعة إن النتائج قوية.",
    )  # fmt: skip
    assert found[2][:2] == ("2025-04-13", None)


@pytest.mark.parametrize(
    ("published", "lead", "paragraph", "start", "end"),
    [
        (
            "2018-12-13",
            "الرباط في 13 دجنبر /ومع/ - بلغت نسبة ملء السدود 48 في المائة.",
            "وبلغت الواردات المائية المسجلة منذ فاتح شتنبر الماضي 5 مليارات متر مكعب.",
            "2018-09-01",
            "2018-12-13",
        ),
        (
            "2016-08-12",
            "تمكنت الحماية المدنية أمس من السيطرة على الحريق.",
            "وحسب إحصائيات الإدارة، سجلت الولاية منذ غرة جوان الماضي 45 حريقا.",
            "2016-06-01",
            "2016-08-12",
        ),
    ],
)
def test_a_count_since_a_day_spans_from_it_to_the_news(
    tmp_path: Path, published: str, lead: str, paragraph: str, start: str, end: str
) -> None:
    found = dates_of(tmp_path, published, lead, paragraph)
    assert found[1][:2] == (start, end)


def test_since_a_day_in_what_was_said_spans_nothing(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2018-12-13",
        "الرباط في 13 دجنبر /ومع/ - بلغت نسبة ملء السدود 48 في المائة.",
        "وقال الوزير إن الأسعار ارتفعت منذ فاتح شتنبر الماضي.",
    )  # fmt: skip
    assert found[1][0] != "2018-09-01"


@pytest.mark.parametrize(
    ("paragraph", "start", "end"),
    [
        (
            "وتعزى الزيادة إلى التساقطات التي شهدتها المملكة يومي السبت والأحد الماضيين.",
            "2018-12-08",
            "2018-12-09",
        ),
        ("وهطلت أمطار غزيرة يومي الاثنين والثلاثاء.", "2018-12-10", "2018-12-11"),
    ],
)
def test_two_weekdays_are_both_days(tmp_path: Path, paragraph: str, start: str, end: str) -> None:
    found = dates_of(
        tmp_path, "2018-12-13",
        "الرباط في 13 دجنبر /ومع/ - بلغت نسبة ملء السدود 48 في المائة.",
        paragraph,
    )  # fmt: skip
    assert found[1][:2] == (start, end)


def test_a_yearless_hijri_day_takes_the_year_its_weekday_agrees_with(tmp_path: Path) -> None:
    """Told the day before, "يوم غد الأربعاء ٧ جمادى الآخرة" is the coming one: last year's
    7 Jumada II was not a Wednesday."""
    found = dates_of(
        tmp_path, "2023-12-19",
        "حائل - الثلاثاء ٦ جمادى الآخرة ١٤٤٥هـ الموافق ١٩ ديسمبر ٢٠٢٣م: أنقذت الفرق سبعة أشخاص.",
        "وأعلنت إدارة التعليم تعليق الدراسة في جميع المدارس يوم غد الأربعاء ٧ جمادى الآخرة.",
    )  # fmt: skip
    assert found[1][0] == "2023-12-20"


def test_a_continuing_clause_with_its_own_day_beats_the_day_above(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2025-03-10",
        "في أواخر أكتوبر 2008 نالت جائزة الآغا خان للعمارة.",
        "أمضت سنواتها الأخيرة في القاهرة، وتوفيت فيها في 3 أبريل 2020 عن 69 عاما.",
    )  # fmt: skip
    assert found[1][:2] == ("2020-04-03", None)


@pytest.mark.parametrize(
    "counted",
    [
        "وبلغ عدد البلاغات منذ بداية الحالة المطرية يوم الأحد 17 ديسمبر 64 بلاغا.",
        "وبلغ عدد البلاغات التي تلقتها غرف العمليات منذ بداية الحالة المطرية يوم الأحد 17 "
        "ديسمبر 64 بلاغا.",
    ],
)
def test_a_count_since_the_start_of_an_event_on_a_day_spans_to_the_news(
    tmp_path: Path, counted: str
) -> None:
    found = dates_of(
        tmp_path, "2023-12-19",
        "حائل - 19 ديسمبر (واس) - أنقذت فرق الدفاع المدني فجر اليوم سبعة أشخاص.",
        counted,
        "وقال المتحدث الرسمي إن الحالة هي الأغزر هذا الموسم.",
    )  # fmt: skip
    assert found[1:] == [
        ("2023-12-17", "2023-12-19", "approximate"),
        ("2023-12-19", None, "inherited"),
    ]


@pytest.mark.parametrize(
    "paragraph",
    [
        "وتعد هذه أعنف مواجهات تشهدها طرابلس منذ 27 أغسطس 2022، عندما قتل 32 شخصا.",
        "وسجل المؤشر أعلى مستوى له منذ مارس 2023، بحسب البيانات.",
        "وفاز الفريق بالكأس للمرة الأولى منذ فاتح يونيو 2022، وسط فرحة الجماهير.",
    ],
)
def test_since_after_a_comparison_is_not_a_span_to_the_news(tmp_path: Path, paragraph: str) -> None:
    """ "أعنف مواجهات منذ 27 أغسطس 2022" compares with that day; it tells of no period."""
    found = dates_of(
        tmp_path, "2023-08-16", "طرابلس - 16 أغسطس (رويترز) - توقفت الاشتباكات.", paragraph
    )
    assert found[1][1] != "2023-08-16"


@pytest.mark.parametrize(
    ("paragraph", "day"),
    [
        ("وتتوقع الأرصاد تحسنا تدريجيا في الأحوال الجوية ابتداء من يوم الأحد.", "2018-12-16"),
        ("ويعقد المجلس جلسته الأسبوعية يوم الأحد لبحث الخطة.", "2018-12-16"),
        ("ويشهد البلد منذ يوم الأحد موجة برد قارس.", "2018-12-09"),
    ],
)
def test_a_weekday_told_in_the_present_is_the_coming_one(
    tmp_path: Path, paragraph: str, day: str
) -> None:
    """News tells what is to come in the present: "ويعقد المجلس جلسته يوم الأحد"."""
    found = dates_of(
        tmp_path, "2018-12-13", "الرباط - 13 دجنبر (ومع) - غمرت الأمطار عدة مدن.", paragraph
    )
    assert found[1][0] == day


@pytest.mark.parametrize(
    ("paragraph", "start", "end"),
    [
        ("ويأتي هذا الحريق بعد أيام من حريق آخر اندلع يوم الاثنين الفارط.", "2016-08-08", None),
        ("واندلع حريق آخر الأسبوع الفارط في الغابة نفسها.", "2016-08-05", "2016-08-11"),
        ("وسجلت الولاية الشهر الفارط 12 حريقا.", "2016-07-01", "2016-07-31"),
    ],
)
def test_the_maghreb_s_last_is_the_past(
    tmp_path: Path, paragraph: str, start: str, end: str | None
) -> None:
    found = dates_of(
        tmp_path, "2016-08-12", "جندوبة - 12 أوت (وات) - أخمدت الحماية المدنية الحريق.", paragraph
    )
    assert found[1][:2] == (start, end)


def test_a_vague_time_before_the_clause_leaves_the_clause_to_date_it(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2012-06-10",
        "بنيت القلعة عام 1184 على يد القائد عز الدين أسامة.",
        "وبعد عقود من أعمال الصيانة المتفرقة، نفذت الدائرة بين عامي 2005 و2010 حملة ترميم.",
    )  # fmt: skip
    assert found[1][:2] == ("2005-01-01", "2010-12-31")


def test_a_date_in_a_later_continuing_clause_dates_a_biography_paragraph(
    tmp_path: Path,
) -> None:
    found = dates_of(
        tmp_path, "2021-03-07",
        "ولد المنيعي في عنيزة عام 1365هـ الموافق 1946م.",
        "وانتقل إلى الرياض لإكمال دراسته، ثم التحق بكلية الآداب في جامعة الملك سعود، وتخرج "
        "في قسم اللغة العربية عام 1388هـ (1968م) بتقدير ممتاز.",
        "وبعد تخرجه بعامين التحق بوزارة الخارجية.",
    )  # fmt: skip
    assert found[1:] == [
        ("1968-01-01", "1968-12-31", "approximate"),
        ("1970-01-01", "1970-12-31", "approximate"),
    ]


def test_a_date_told_after_a_long_subject_and_object_dates_its_clause(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2017-02-05",
        "بغداد 5 شباط (واع) -- أعلن وزير النفط ارتفاع الصادرات.",
        "وعقدت اللجنة الوزارية المشتركة لمراقبة تنفيذ الاتفاق اجتماعها الأول في فيينا في "
        "الثاني والعشرين من كانون الثاني الماضي.",
    )  # fmt: skip
    assert found[1][0] == "2017-01-22"


def test_yesterdays_match_is_yesterday(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2019-02-26",
        "القاهرة - 26 فبراير (أ ش أ) - أعلن الاتحاد اليوم عقوبات على النادي.",
        "وشهد لقاء الأمس حضور نحو خمسة آلاف مشجع.",
    )  # fmt: skip
    assert found[1][0] == "2019-02-25"


@pytest.mark.parametrize(
    ("paragraph", "start"),
    [
        ("وأدانت المحكمة المدير العام السابق للمؤسسة بثماني سنوات حبسا نافذا.", "2011-05-25"),
        ("وقال الأمين العام السابق للحزب إن الحكم قاس.", "2011-05-25"),
        ("وسجلت المؤسسة في العام السابق خسائر كبيرة.", "2010-01-01"),
    ],
)
def test_the_former_director_general_is_no_year(tmp_path: Path, paragraph: str, start: str) -> None:
    """ "المدير العام السابق" is the former director general, not the year before."""
    found = dates_of(
        tmp_path, "2011-05-26", "أصدرت محكمة الجنح بعنابة، مساء أمس، أحكاما في حق تسعة متهمين.",
        paragraph,
    )  # fmt: skip
    assert found[1][0] == start


@pytest.mark.parametrize(
    "paragraph",
    [
        "وبحسب معطيات مؤسسات الأسرى، فقد نفذت سلطات الاحتلال منذ بداية العام الجاري 7 آلاف اعتقال.",
        "وارتفعت فاتورة الطاقة منذ مطلع العام الحالي بنسبة 18%.",
    ],
)
def test_a_count_since_the_start_of_this_year_spans_to_the_news(
    tmp_path: Path, paragraph: str
) -> None:
    found = dates_of(
        tmp_path, "2021-11-16", "نابلس 16 تشرين الثاني 2021 (وفا)- اعتقلت قوات الاحتلال 14 مواطنا.",
        paragraph,
    )  # fmt: skip
    assert found[1][:2] == ("2021-01-01", "2021-11-16")


def test_next_week_is_the_week_after_the_news(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2013-04-22", "عمان - أقر مجلس الوزراء أمس تعرفة جديدة للكهرباء.",
        "ويعقد وزير الطاقة الأسبوع المقبل اجتماعا مع ممثلي غرف الصناعة.",
    )  # fmt: skip
    assert found[1][:2] == ("2013-04-29", "2013-05-05")  # the seven days a week on


def test_the_first_of_next_month_is_that_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2013-04-22", "عمان - أقر مجلس الوزراء أمس تعرفة جديدة للكهرباء.",
        "ويسري القرار اعتبارا من الأول من الشهر المقبل، ولن يشمل المشتركين المنزليين.",
    )  # fmt: skip
    assert found[1][:2] == ("2013-05-01", None)


def test_a_weekday_set_off_after_a_present_verb_is_the_coming_one(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2024-01-22",
        "الوكرة - 22 يناير (قنا) - تنطلق الخميس المقبل فعاليات مهرجان الوكرة البحري.",
        "ويشهد اليوم الأول، الخميس، حفل الافتتاح في الرابعة عصرا.",
    )  # fmt: skip
    assert found[1][0] == "2024-01-25"


@pytest.mark.parametrize(
    ("paragraph", "start"),
    [
        (
            "وشهدت النسخة الخامسة التي أقيمت في فبراير من العام الماضي حضور 40 ألف زائر.",
            "2023-02-01",
        ),
        (
            "وتزامن صدور الأرقام مع قرار مجلس الوزراء، في جلسته التي عقدها أمس، رفع التعرفة.",
            "2024-01-21",
        ),
    ],
)
def test_an_event_held_on_a_day_in_a_relative_clause_is_of_that_day(
    tmp_path: Path, paragraph: str, start: str
) -> None:
    """ "النسخة التي أقيمت في فبراير": the relative clause tells when the event itself was."""
    found = dates_of(
        tmp_path, "2024-01-22", "الوكرة - 22 يناير (قنا) - تنطلق الخميس المقبل فعاليات المهرجان.",
        paragraph,
    )  # fmt: skip
    assert found[1][0] == start


def test_a_month_over_a_month_before_the_news_passes_nothing_on(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2024-01-22",
        "الوكرة - 22 يناير (قنا) - أعلنت اللجنة المنظمة برنامج المهرجان.",
        "وشهدت النسخة الخامسة التي أقيمت في فبراير من العام الماضي حضور 40 ألف زائر.",
        "وشارك في تنظيمها 200 متطوع.",
    )  # fmt: skip
    assert found[2] == (None, None, None)


def test_a_count_since_a_day_until_another_spans_between_them(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2013-04-22",
        "عمان - ارتفعت فاتورة الطاقة منذ مطلع العام الحالي وحتى نهاية الشهر الماضي بنسبة 18%.",
    )  # fmt: skip
    assert found[0][:2] == ("2013-01-01", "2013-03-31")


def test_a_reminder_of_what_happens_every_year_is_undated(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2022-11-22",
        "الإسكندرية - غمرت الأمطار شوارع المدينة أمس.",
        "يذكر أن الإسكندرية تتعرض سنويا لنحو 12 نوة خلال الفترة من أكتوبر وحتى مارس.",
    )  # fmt: skip
    assert found[1] == (None, None, None)


def test_a_session_named_by_its_day_after_the_verb_is_that_day(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2019-03-25",
        "الجيزة - قضت محكمة جنايات الجيزة اليوم الاثنين بسجن تاجر مواش 10 سنوات.",
        "واستمعت المحكمة في جلسة 3 مارس الماضي إلى مرافعة النيابة العامة.",
        "وفي الجلسة ذاتها، دفع دفاع المتهمين ببطلان إجراءات القبض.",
    )  # fmt: skip
    assert [d[0] for d in found[1:]] == ["2019-03-03", "2019-03-03"]


def test_a_school_year_dates_its_paragraph(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2012-10-14",
        "تأسس المعهد عام 1962 في طرابلس.",
        "وفي العام الدراسي 1985-1986، تخرجت أول دفعة من الطالبات.",
    )  # fmt: skip
    assert found[1][:2] == ("1985-01-01", "1986-12-31")


def test_a_wire_s_credit_line_in_brackets_takes_no_date(tmp_path: Path) -> None:
    found = dates_of(
        tmp_path, "2018-10-09",
        "الكويت - 9 أكتوبر (رويترز) - وافق مجلس الوزراء على مشروع قانون الدين العام.",
        "(تغطية صحفية فهد العنزي - إعداد ياسر حسن للنشرة العربية - تحرير هالة عبد الله)",
    )  # fmt: skip
    assert found[1] == (None, None, None)
