"""Questions a reader asks about the bundled article, and what they must get back."""

import datetime as dt
from pathlib import Path

import pytest

from khabar.bot.replies import answer_json, date_label, offered, render_text
from khabar.index import query as questions
from khabar.index.answers import AnswerType, answer_type
from khabar.index.search import Engine, Intent


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


def lines(answer) -> list[int]:
    return [hit.passage.source.paragraph for hit in answer.hits]


def test_when_question_leads_with_the_date_of_the_best_passage(engine: Engine) -> None:
    answer = engine.ask("متى سقط حي مساكن هنانو؟")
    assert answer.intent == "when"
    assert lines(answer)[0] == 5
    reply = render_text(answer)
    assert reply.startswith("في 26 نوفمبر 2016 (")
    assert "الفقرة 5" in reply
    assert "مأساة حلب" in reply


def test_when_question_for_the_relatively_dated_passage(engine: Engine) -> None:
    answer = engine.ask("متى استعاد النظام المدينة القديمة؟")
    assert lines(answer)[0] == 9
    assert render_text(answer).startswith("في 7 ديسمبر 2016 (8 ربيع الأول 1438)")


def test_when_reads_the_day_after_in_the_sentence_that_holds_the_words(engine: Engine) -> None:
    """ "في 13 ديسمبر، أعلن فصيل … ولكن المواجهات تجددت في اليوم التالي": the 14th."""
    assert engine.ask("متى تجددت المواجهات؟").when == ["2016-12-14"]


RABAT = (
    "أمطار غزيرة في الرباط",
    "الرباط - 12 دجنبر (و م ع) - شهدت مدينة الرباط أمس الأربعاء تساقطات مطرية غزيرة غمرت الشوارع.",
    "وتوقعت المديرية أن تستمر الأمطار غدا الجمعة في شمال المملكة.",
)


@pytest.fixture(scope="module")
def rabat(tmp_path_factory) -> Engine:
    folder = tmp_path_factory.mktemp("rabat")
    return article_engine(folder, "rabat", RABAT, "published = 2024-12-12\n")


def test_when_is_not_answered_with_the_dateline_of_yesterdays_event(rabat: Engine) -> None:
    assert rabat.ask("متى غمرت الأمطار شوارع الرباط؟").when == ["2024-12-11"]


def test_when_reads_tomorrow_beside_the_words(rabat: Engine) -> None:
    assert rabat.ask("متى تستمر الأمطار في الشمال؟").when == ["2024-12-13"]


def test_a_dates_heading_says_that_more_than_its_events_follow(engine: Engine) -> None:
    """Five November events, then a December paragraph that names 15 November."""
    reply = render_text(engine.ask("ماذا حدث في نوفمبر 2016؟", top_k=10))
    assert reply.startswith("أحداث نوفمبر 2016 (5 فقرات)، ثم فقرات أخرى:")


def test_a_dates_heading_is_only_its_events_when_nothing_else_follows(engine: Engine) -> None:
    reply = render_text(engine.ask("ماذا حدث في 26 نوفمبر 2016؟"))
    assert reply.split("\n")[0].endswith("(فقرتان):")  # its day and "نهاية نوفمبر"


def test_question_outside_the_article_gets_an_honest_no(engine: Engine) -> None:
    answer = engine.ask("كم سعر الذهب؟")
    assert answer.intent == "no_match"
    assert answer.hits == []
    assert "لا يتناول" in render_text(answer)


def test_a_date_returns_all_its_events_in_article_order(engine: Engine) -> None:
    answer = engine.ask("ماذا جرى في ١٠ كانون الأول ٢٠١٦", top_k=1)
    assert answer.dates == ["2016-12-10"]
    assert lines(answer) == [12, 13]  # not cut at top-k


def test_date_plus_topic_ranks_that_dates_passages_by_topic(engine: Engine) -> None:
    answer = engine.ask("بماذا ندد الأمريكيون يوم 10 ديسمبر؟")
    assert lines(answer)[:2] == [12, 13]
    answer = engine.ask("ماذا قال الاجتماع الدولي في باريس يوم 10 ديسمبر؟")
    assert lines(answer)[0] == 13


def test_empty_date_offers_the_nearest_event_days(engine: Engine) -> None:
    answer = engine.ask("ماذا حدث في 9 ديسمبر؟")
    assert answer.hits == []
    assert answer.nearest_dates == ["2016-12-07", "2016-12-10"]
    reply = render_text(answer)
    assert "لا أحداث" in reply
    assert "7 ديسمبر 2016" in reply
    assert "10 ديسمبر 2016" in reply


def test_exact_days_come_before_spans_that_cover_them(engine: Engine) -> None:
    assert lines(engine.ask("ماذا حدث يوم 26 نوفمبر؟")) == [5, 7]
    assert lines(engine.ask("ماذا حدث يوم 25 نوفمبر؟")) == [7]


def test_a_year_narrows_and_no_year_matches_any(engine: Engine) -> None:
    assert lines(engine.ask("ماذا حدث في 6 ديسمبر 2015؟")) == []
    assert lines(engine.ask("ماذا حدث في 6 ديسمبر؟")) == [8]


def test_an_undated_lead_answers_with_its_own_words(engine: Engine) -> None:
    answer = engine.ask("المحطات الرئيسية للهجوم الجوي والبري الذي شنته قوات النظام")
    assert lines(answer)[0] in (1, 2)


def test_an_undated_best_passage_gets_no_date_line(engine: Engine) -> None:
    answer = engine.ask("متى شنت قوات النظام الهجوم الجوي والبري وحلفاؤها؟ المحطات الرئيسية")
    assert render_text(answer).startswith("[1] دون تاريخ")


def test_a_when_question_leads_with_the_date_named_beside_its_words(engine: Engine) -> None:
    answer = engine.ask("متى بدأ النزاع في سوريا؟")
    assert render_text(answer).startswith("في مارس 2011\n")


def test_spelling_variants_find_the_same_passage(engine: Engine) -> None:
    plain = lines(engine.ask("ماذا أكدت منظمة الصحة العالمية عن المستشفيات؟"))[0]
    assert plain == 6
    for variant in (
        "ماذا اكدت منظمه الصحه العالميه عن المستشفيات",
        "مَاذَا أَكَّدَتْ مُنَظَّمَةُ الصِّحَّةِ العَالَمِيَّةُ عَنِ المُسْتَشْفَيَاتِ؟",
        "ماذا أكـــدت منظمـــة الصحـــة العالميـــة عن المستشفيـــات؟",
    ):
        assert lines(engine.ask(variant))[0] == 6, variant


def test_invalid_date_is_said_not_dropped(engine: Engine) -> None:
    answer = engine.ask("ماذا حدث في 31/02؟")
    assert answer.intent == "invalid_date"
    assert answer.hits == []
    assert "غير صالح" in render_text(answer)


def test_paging_continues_where_the_first_page_stopped(engine: Engine) -> None:
    first = engine.ask("حلب", top_k=2)
    second = engine.ask("حلب", top_k=2, offset=2)
    assert first.total == second.total > 4
    assert not {h.passage.id for h in first.hits} & {h.passage.id for h in second.hits}


def test_timeline_is_in_date_order(engine: Engine) -> None:
    days = [p.date for p in engine.timeline()]
    assert days == sorted(days)
    assert len(days) == 18
    assert engine.event_days()[:2] == ["2016-11-15", "2016-11-21"]


def test_on_day_lists_a_days_events(engine: Engine) -> None:
    assert lines(engine.on_day("2016-12-12")) == [14, 15, 16, 17]


def test_highlight_marks_the_matched_words(engine: Engine) -> None:
    answer = engine.ask("المستشفيات في شرق المدينة")
    text = answer.hits[0].passage.text
    words = {text[a:b] for a, b in engine.highlight(text, answer.terms)}
    assert "مستشفى" in words
    assert "المدينة" in words


def test_json_contract(engine: Engine) -> None:
    data = answer_json(engine.ask("متى سقط حي مساكن هنانو؟"))
    assert list(data) == ["query", "dates", "results", "nearest_dates", "reply"]
    first = data["results"][0]
    assert list(first) == [
        "id", "date", "date_end", "date_source", "heading", "text", "score", "source", "answer",
    ]  # fmt: skip
    assert first["date"] == "2016-11-26"
    assert first["date_end"] is None
    assert first["date_source"] == "explicit"
    assert first["source"] == {
        "title": "بالصور.. مأساة حلب.. التفاصيل الكاملة لشهر من الدماء",
        "paragraph": 5,
        "published": "2016-12-15",
    }


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("من 5 إلى 10 ديسمبر", [10, 11, 8, 9, 12, 13]),  # a range, in date order
        ("بين 5 و10 كانون الأول", [10, 11, 8, 9, 12, 13]),
        ("ماذا حدث في ديسمبر", [10, 11, 8, 9, 12, 13, 14, 15, 16, 17, 18, 19, 20]),
        ("نهاية نوفمبر", [6, 5, 7]),  # exact days in the span first, the span itself after
        ("ماذا حدث في 7 ربيع الأول 1438", [8]),  # Hijri: 6 December 2016
        ("15 صفر 1438 هـ", [3, 4, 16]),  # 16 mentions the day: "منذ 15 نوفمبر"
        ("6/12", [8]),
        ("06.12.2016", [8]),
        ("ماذا حدث في 6 دجنبر", [8]),  # Moroccan
        ("أحداث ١٥ نونبر", [3, 4, 16]),
        ("ماذا حدث في 13 ديسمبر 2016", [18]),
        ("جانفي 2017", []),  # Algerian January, after the article
    ],
)
def test_date_questions_in_every_spelling(engine: Engine, question: str, expected) -> None:
    assert lines(engine.ask(question)) == expected


def test_hijri_question_answers_with_both_calendars(engine: Engine) -> None:
    reply = render_text(engine.ask("ماذا حدث في 7 ربيع الأول 1438"))
    assert reply.startswith("أحداث 6 ديسمبر 2016 (7 ربيع الأول 1438)")


def test_total_counts_only_what_paging_can_reach(engine: Engine) -> None:
    first = engine.ask("حلب", top_k=3)
    seen = []
    for offset in range(0, first.total + 3, 3):
        seen += [h.passage.id for h in engine.ask("حلب", top_k=3, offset=offset).hits]
    assert len(seen) == len(set(seen)) == first.total


def test_json_answer_points_at_the_sentence_that_answers(engine: Engine) -> None:
    result = answer_json(engine.ask("متى بدأ النزاع في سوريا؟"))["results"][0]
    answer = result["answer"]
    assert result["text"][answer["start"] : answer["end"]] == answer["text"]


def test_json_answer_is_the_sentence_holding_the_question_words(engine: Engine) -> None:
    answer = answer_json(engine.ask("متى بدأ النزاع في سوريا؟"))["results"][0]["answer"]
    assert "منذ بدء النزاع في مارس/آذار 2011" in answer["text"]


# ---- dates narrow only where the index has events of them -----------------------------------

CITY = (
    "مدينة الموصل",
    "تقع الموصل على نهر دجلة في شمال العراق، وهي ثاني أكبر مدن البلاد.",
    "ويبلغ عدد سكان المدينة نحو 660 ألف نسمة بحسب التعداد الرسمي في عام 1990.",
    "في عام 1997، افتتحت جامعة جديدة في الجانب الأيسر من المدينة.",
    "ولا يزال السكان يذكرون فيضان عام 1997 الذي أغرق الأحياء القريبة من النهر.",
    "في 20 نوفمبر 2016، دخلت القوات العراقية الأحياء الشرقية.",
)


def article_engine(folder: Path, name: str, lines: tuple[str, ...], meta: str = "") -> Engine:
    """An index of one article: its lines (the first is the title) and its metadata."""
    (folder / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if meta:
        (folder / f"{name}.toml").write_text(meta, encoding="utf-8")
    return Engine.build([folder])


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Engine:
    return article_engine(
        tmp_path_factory.mktemp("city"), "mosul", CITY, "published = 2016-12-01\n"
    )


# ---- a question dated from today ("ماذا حدث أمس؟") ----------------------------------------

WIRE = (
    "نشرة الأخبار",
    "الخرطوم - 27 نوفمبر (رويترز) - افتتح الرئيس اليوم جسراً جديداً على النيل الأزرق.",
    "وأمس، أعلنت وزارة الصحة تسجيل إصابات جديدة بالكوليرا في الخرطوم.",
    "وقبل ثلاثة أيام، وصلت قافلة مساعدات إلى مدينة الدمازين.",
    "وفي 10 أكتوبر، غمرت الفيضانات قرى في ولاية سنار.",
)
TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def wire(tmp_path_factory) -> Engine:
    return article_engine(tmp_path_factory.mktemp("wire"), "wire", WIRE, "published = 2026-11-27\n")


def test_yesterday_is_the_day_before_today(wire: Engine) -> None:
    assert wire.ask("ماذا حدث أمس؟", today=TODAY).dates == ["2026-11-26"]


def test_yesterdays_events_answer_a_question_about_yesterday(wire: Engine) -> None:
    assert lines(wire.ask("ماذا حدث أمس؟", today=TODAY)) == [2]


def test_today_answers_with_todays_events(wire: Engine) -> None:
    assert lines(wire.ask("ما أخبار اليوم؟", today=TODAY))[:1] == [1]


def test_days_ago_count_back_from_today(wire: Engine) -> None:
    assert lines(wire.ask("ماذا حدث قبل ثلاثة أيام؟", today=TODAY))[:1] == [3]


def test_a_question_about_yesterday_keeps_its_topic(wire: Engine) -> None:
    answer = wire.ask("ماذا أعلنت وزارة الصحة أمس؟", today=TODAY)
    assert lines(answer)[:1] == [2]


def test_yesterday_with_no_events_says_so_and_offers_the_nearest_days(wire: Engine) -> None:
    answer = wire.ask("ماذا حدث أمس؟", today=dt.date(2026, 12, 20))
    assert (answer.hits, answer.nearest_dates) == ([], ["2026-11-27"])


def test_this_day_in_a_question_is_not_today(wire: Engine) -> None:
    """In a question, "this day" is a day the reader has in mind, not today."""
    assert wire.ask("ماذا حدث في هذا اليوم؟", today=TODAY).dates == []


@pytest.mark.parametrize(
    "question",
    [
        "هل ما زال الجسر مغلقا حتى اليوم؟",
        "هل بقيت القرى مغمورة إلى اليوم؟",
        "كيف أصبح الجسر بالشكل الذي هو عليه اليوم؟",
        "هل ما زالت الفيضانات حتى يومنا هذا؟",
    ],
)
def test_today_as_until_now_is_not_a_date(wire: Engine, question: str) -> None:
    """«حتى اليوم» and «الذي هو عليه اليوم» say "still, nowadays": the question is a topic's."""
    assert wire.ask(question, today=TODAY).dates == []


def test_last_month_is_the_month_before_today(wire: Engine) -> None:
    assert wire.ask("ماذا حدث الشهر الماضي؟", today=TODAY).dates == ["2026-10-01", "2026-10-31"]


def test_last_months_events_answer_a_question_about_last_month(wire: Engine) -> None:
    assert lines(wire.ask("ماذا حدث الشهر الماضي؟", today=TODAY)) == [4]


def test_a_date_asked_twice_is_one_date(wire: Engine) -> None:
    assert wire.ask("ماذا حدث في 10 أكتوبر و10 أكتوبر؟", today=TODAY).dates == ["--10-10"]


def test_a_named_date_is_not_moved_by_a_deictic_word(wire: Engine) -> None:
    assert wire.ask("ماذا حدث اليوم 10 أكتوبر؟", today=TODAY).dates == ["--10-10"]


def test_a_date_with_no_events_is_answered_by_the_words(city: Engine) -> None:
    answer = city.ask("كم كان عدد سكان المدينة في عام 1990؟")
    assert lines(answer)[0] == 2


def test_a_date_with_no_events_says_so(city: Engine) -> None:
    assert render_text(city.ask("كم كان عدد سكان المدينة في عام 1990؟")).startswith(
        "لا أحداث في عام 1990 في المقال."
    )


def test_years_from_first_to_last_are_named_by_their_years(city: Engine) -> None:
    assert render_text(city.ask("ماذا حدث في الثمانينيات؟")).startswith(
        "لا أحداث في 1980–1989 في المقال."
    )


def test_a_passage_dated_by_a_year_is_labelled_by_it(city: Engine) -> None:
    passage = next(p for p in city.timeline() if p.source.paragraph == 3)
    assert date_label(passage) == "عام 1997"


def test_a_year_lists_its_events_then_what_mentions_it(city: Engine) -> None:
    assert lines(city.ask("ماذا حدث عام 1997؟")) == [3, 4]


def test_a_year_counts_its_events(city: Engine) -> None:
    assert city.ask("ماذا حدث عام 1997؟").events == 1


def test_a_year_long_span_never_answers_a_day(city: Engine) -> None:
    assert lines(city.ask("ماذا حدث في 20 نوفمبر؟")) == [5]


# ---- silence that can be trusted -------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "في أي مدينة ولد جمال خاشقجي؟",
        "أين تقع المملكة العربية السعودية في آسيا؟",
        "ما هي عاصمة اليابان؟",
        "من فاز بكأس العالم لكرة القدم عام 2014؟",
        "كم عدد سكان الصين؟",  # paragraph 16: "عدد المدنيين", nothing of China
        "كم يبلغ عدد سكان اليابان؟",
    ],
)
def test_off_topic_questions_get_no_passage(engine: Engine, question: str) -> None:
    assert engine.ask(question).hits == []


@pytest.mark.parametrize(
    "question",
    ["هل رفعت السعودية أسعار الفائدة؟", "كم سعر الفائدة في البنك المركزي الأوروبي؟"],
)
def test_a_place_the_archive_never_names_gets_no_passage(
    central_bank: Engine, question: str
) -> None:
    """Of Egypt's central bank: everything but the place matches, and the place is the point."""
    assert central_bank.ask(question).hits == []


def test_a_place_the_archive_names_otherwise_still_answers(central_bank: Engine) -> None:
    answer = central_bank.ask("كم سعر الفائدة في مصر؟")
    assert answer.hits != []


def test_a_place_the_question_names_is_found_by_another_of_its_names(engine: Engine) -> None:
    assert lines(engine.ask("ماذا فعلت بكين في مجلس الأمن؟"))[:1] == [10]


KING = (
    "الحسن الثاني",
    "المغرب عضو في الأمم المتحدة منذ 1956 وفي جامعة الدول العربية منذ 1958.",
    "قام الملك بزيارة لعدد من الدول الإفريقية في عام 1980 والتقى برؤسائها.",
)


@pytest.fixture(scope="module")
def king(tmp_path_factory) -> Engine:
    return article_engine(tmp_path_factory.mktemp("king"), "king", KING)


def test_a_paragraph_not_naming_the_place_answers_once_its_article_does(king: Engine) -> None:
    assert lines(king.ask("لماذا قام ملك المغرب بزيارة الدول الإفريقية؟"))[:1] == [2]


def test_a_paragraph_not_naming_the_place_answers_a_date_it_mentions(king: Engine) -> None:
    assert lines(king.ask("لماذا قام ملك المغرب بزيارة الدول الإفريقية عام 1980؟"))[:1] == [2]


def test_a_place_named_twice_in_a_question_is_named_once_in_the_passage(engine: Engine) -> None:
    """A passage with either name of "الولايات المتحدة الأمريكية" names the country."""
    query = engine.ranker.fit(questions.parse("ماذا قالت الولايات المتحدة الأمريكية؟"))
    named = engine.ranker.named(query)
    at = [p.source.paragraph for p in engine.passages].index(12)  # "وزير الخارجية الأمريكي"
    assert named[at]


def test_a_passage_naming_the_year_in_passing_does_not_answer_another_topic(
    engine: Engine,
) -> None:
    # paragraph 10: "منذ بدء النزاع في مارس/آذار 2011", nothing of elections
    assert lines(engine.ask("ما هي نسبة المشاركة في الانتخابات البرلمانية لعام 2011؟")) == []


def test_a_passage_naming_the_year_in_passing_does_not_answer_for_another_place(
    engine: Engine,
) -> None:
    # paragraph 10: "مجلس الأمن" and "مارس/آذار 2011", in Syria, nothing of Japan
    assert lines(engine.ask("ماذا فعل مجلس الأمن في اليابان عام 2011؟")) == []


def test_a_passage_naming_the_year_answers_its_own_topic(engine: Engine) -> None:
    assert lines(engine.ask("ماذا بدأ في سوريا عام 2011؟"))[0] == 10


def test_the_honest_reply_points_at_what_the_article_covers(engine: Engine) -> None:
    reply = render_text(engine.ask("ما هي عاصمة اليابان؟"), offered(engine))
    assert "ماذا حدث في 10 كانون الأول" in reply


# ---- other names for the same thing ---------------------------------------------------------


def test_a_capital_finds_its_country(engine: Engine) -> None:
    assert lines(engine.ask("ماذا قال مندوب فرنسا عن نوايا الكرملين؟"))[0] == 11


def test_a_synonym_is_marked_in_the_passage(engine: Engine) -> None:
    answer = engine.ask("ما موقف واشنطن؟")
    text = answer.hits[0].passage.text
    marked = {text[a:b] for a, b in engine.highlight(text, answer.terms)}
    assert marked & {"الأمريكي", "الولايات", "المتحدة"}


# ---- a question's words as the article spells them --------------------------------------------

GLUED = (
    "أخبار الأسبوع",
    "وقال الوزير إن الاتفاق الجديد يسمح بعودة السكان إلى حمص خلال أسبوع.",
    "وارتفعت أسعار الخبز في المدينة بعد إغلاق المعبر الحدودي.",
    "وأعلنت الأمم المتحدة برنامجاً جديداً لدعم المزارعين في الريف.",
)


@pytest.fixture(scope="module")
def glued(tmp_path_factory) -> Engine:
    return article_engine(tmp_path_factory.mktemp("glued"), "homs", GLUED)


def test_a_preposition_glued_to_a_name_the_article_holds_bare_comes_off(glued: Engine) -> None:
    assert lines(glued.ask("ماذا حدث لحمص؟")) == [1]


def test_the_unglued_name_is_marked_in_the_passage(glued: Engine) -> None:
    answer = glued.ask("ما الذي يسمح بعودة السكان لحمص؟")
    text = answer.hits[0].passage.text
    assert "حمص" in {text[a:b] for a, b in glued.highlight(text, answer.terms)}


def test_a_word_the_article_holds_glued_keeps_its_letter(glued: Engine) -> None:
    query = glued.ranker.fit(questions.parse("ما الذي يسمح بعودة السكان؟"))
    assert [w.text for w in query.words][:2] == ["يسمح", "بعوده"]


def test_a_glued_word_whose_rest_the_article_lacks_is_left_whole(glued: Engine) -> None:
    query = glued.ranker.fit(questions.parse("هل أغلق المعبر لبنان؟"))
    assert "لبنان" in [w.text for w in query.words]


def test_a_glued_word_whose_rest_the_lexicon_names_otherwise_comes_off(engine: Engine) -> None:
    """The article never writes "سكان", but writes the civilians the lexicon names it by."""
    query = engine.ranker.fit(questions.parse("هل يوجد طعام كاف لسكان الأحياء المحاصرة؟"))
    assert "سكان" in [w.text for w in query.words]


def test_a_verb_ending_comes_off_a_word_the_article_lacks(engine: Engine) -> None:
    query = engine.ranker.fit(questions.parse("من توسطتا في التهدئة؟"))
    assert "توسط" in [w.text for w in query.words]


def test_a_verb_ending_stays_on_a_word_the_article_holds(engine: Engine) -> None:
    query = engine.ranker.fit(questions.parse("هل استمرت الهدنة؟"))
    assert "استمرت" in [w.text for w in query.words]


def test_a_lexicon_word_is_found_with_the_preposition_the_article_glues_on(
    engine: Engine,
) -> None:
    """The truce's other name, "وقف إطلاق النار", as the article writes it: "وقف لإطلاق"."""
    assert 18 in lines(engine.ask("هل انتهت الهدنة؟"))


def test_who_mediated_finds_the_sponsors_of_the_truce(engine: Engine) -> None:
    assert lines(engine.ask("ما الدولتان اللتان توسطتا في التهدئة؟"))[0] == 18


def test_how_long_a_truce_lasted_finds_the_one_that_went_on(engine: Engine) -> None:
    # "دامت" for "استمرت": the article never writes the question's verb
    assert lines(engine.ask("كم دامت فترة التهدئة التي سبقت الهجوم؟"))[0] == 3


def test_the_french_capital_is_paris(engine: Engine) -> None:
    assert lines(engine.ask("هل خرج لقاء العاصمة الفرنسية بقرارات فعلية؟"))[0] == 13


def test_marked_and_unmarked_tanween_meet(glued: Engine) -> None:
    assert lines(glued.ask("ما البرنامج الجديد؟"))[0] == 3


# ---- what reorders the first passages ----------------------------------------------------------
# Each case is its own index: which passage BM25 puts first depends on every other passage.

VIENNA = (
    "فيينا مدينة الموسيقى",
    "عاش موتسارت سنواته الأخيرة في فيينا وألف فيها أشهر أعماله الموسيقية.",
    "تضم فيينا دار الأوبرا الحكومية التي افتتحت عام 1869.",
    "يقصد الزوار بيت موتسارت في وسط المدينة القديمة.",
)
TRIP = ("رحلة الوفد", "زار الوفد بيت موتسارت ثم عاد إلى الفندق.")
# "القمح" is in most paragraphs, so BM25 barely counts it; it is still what the question asks.
PORT = (
    "أزمة الخبز",
    "ارتفع سعر القمح في الأسواق.",
    "استوردت الحكومة القمح من الخارج.",
    "خزن التجار القمح في المستودعات.",
    "وصلت سفينة إلى طرطوس.",
    "وصلت سفينة إلى طرطوس أمس. وكانت محملة بالقمح.",
)
# Half a page of talk around the one sentence that answers: seventh by score.
FILLER = (
    "وتحدث المسؤولون طويلا عن خطط الترميم والتمويل والزيارات المدرسية والمعارض المؤقتة"
    " والبرامج الثقافية التي تنظمها الإدارة كل موسم بالتعاون مع الجامعات والمدارس"
    " والجمعيات الأهلية والبلديات المجاورة. "
) * 2
MUSEUM = (
    "أخبار الثقافة",
    *(f"افتتح متحف حلب {what}." for what in ("جناحا للأطفال", "مقهى", "قاعة للخط", "مكتبة")),
    *(f"افتتح متحف حلب {what}." for what in ("حديقة", "متجرا")),
    f"{FILLER}افتتح متحف حلب الوطني عام 1931. {FILLER}",
)


def first(answer) -> tuple[str, int]:
    source = answer.hits[0].passage.source
    return source.article, source.paragraph


def test_the_article_about_the_question_leads_over_a_passing_mention(tmp_path) -> None:
    (tmp_path / "trip.txt").write_text("\n".join(TRIP) + "\n", encoding="utf-8")
    library = article_engine(tmp_path, "vienna", VIENNA)
    assert first(library.ask("أين بيت موتسارت؟")) == ("vienna", 3)


def test_a_passage_holding_every_word_leads_over_one_repeating_some(tmp_path) -> None:
    port = article_engine(tmp_path, "port", PORT)
    assert first(port.ask("متى وصلت سفينة القمح إلى طرطوس؟")) == ("port", 5)


def test_the_sentence_that_answers_whole_rises_from_below_the_first_five(tmp_path) -> None:
    museum = article_engine(tmp_path, "museum", MUSEUM)
    assert first(museum.ask("متى افتتح متحف حلب الوطني؟")) == ("museum", 7)


# "الزعتر" twice in a list of herbs outscores it once, as the subject of its own paragraph.
HERBS = (
    "أعشاب المطبخ",
    "يباع في أسواق المدينة الكثير من الأعشاب مثل النعناع والريحان والزعتر، ويخلط الزعتر"
    " بالسمسم والسماق.",
    "الزعتر نبات عطري من الفصيلة الشفوية ينمو في جبال المتوسط ويستعمل في الطبخ والطب الشعبي"
    " منذ القدم.",
    "ينمو النعناع في الأماكن الرطبة ويزرع في الحدائق.",
)


def test_the_paragraph_that_opens_with_the_subject_leads_over_a_passing_mention(
    tmp_path,
) -> None:
    herbs = article_engine(tmp_path, "herbs", HERBS)
    assert first(herbs.ask("ما هو الزعتر؟")) == ("herbs", 2)


# ---- a verb agreeing with another subject ----------------------------------------------------

AGREEING = (
    "جغرافيا المنطقة",
    "وتقع مدن الجنوب في العراق قرب حدود الدول المجاورة.",
    "ويحد العراق من الجنوب الكويت والسعودية.",
    "وتقع تركيا بين آسيا وأوروبا.",
    "ويمر نهر النيل بمصر والسودان.",
    "وتطل المغرب على البحر المتوسط والمحيط الأطلسي.",
    "ويبلغ عدد سكان الأردن نحو 11 مليون نسمة.",
    "وينتقل فيروس الحصبة عبر الرذاذ بين الأطفال.",
    "ويطالب المزارعون بتعويضات عن خسائر الفيضان.",
)


@pytest.fixture(scope="module")
def agreeing(tmp_path_factory) -> Engine:
    return article_engine(tmp_path_factory.mktemp("agreeing"), "egypt", AGREEING)


def test_a_verb_written_for_the_other_gender_finds_its_passage(agreeing: Engine) -> None:
    """The question's "تحد" (the countries) asks what the passage's "يحد" (Iraq) says."""
    assert lines(agreeing.ask("ما الدول التي تحد العراق من الجنوب؟"))[:1] == [2]


def test_a_word_is_not_read_as_a_verb_the_index_does_not_hold(agreeing: Engine) -> None:
    query = agreeing.ranker.fit(questions.parse("أين تقع تركيا؟"))
    assert "يركيا" not in {w for _, others in query.synonyms for e in others for w in e.words}


def test_the_verb_the_index_holds_for_the_other_gender_is_another_name(agreeing: Engine) -> None:
    query = agreeing.ranker.fit(questions.parse("أين يقع العراق؟"))
    assert "تقع" in {w for _, others in query.synonyms for e in others for w in e.words}


def test_a_verb_the_index_holds_only_for_the_other_gender_is_read_so(agreeing: Engine) -> None:
    """The same verb, not another name of it: "تنتقل" matches "ينتقل" in full."""
    query = agreeing.ranker.fit(questions.parse("كيف تنتقل العدوى؟"))
    assert "ينتقل" in [w.text for w in query.words]


def test_a_verb_in_the_future_is_read_as_the_index_holds_it(agreeing: Engine) -> None:
    query = agreeing.ranker.fit(questions.parse("هل سيطالب المزارعون بتعويض؟"))
    assert "يطالب" in [w.text for w in query.words]


def test_a_verb_in_the_future_finds_its_present(agreeing: Engine) -> None:
    assert lines(agreeing.ask("هل سيطالب المزارعون بتعويض؟"))[:1] == [8]


def test_a_word_starting_with_sin_is_not_read_as_the_future(agreeing: Engine) -> None:
    query = agreeing.ranker.fit(questions.parse("ما عدد سكان الأردن؟"))
    assert "سكان" in [w.text for w in query.words]


def test_a_place_is_not_read_as_a_verb(tmp_path) -> None:
    """A country is not the other gender of a name: تونس is not يونس."""
    engine = article_engine(tmp_path, "younis", ("أخبار", "وصل يونس إلى المدينة مساء أمس."))
    assert lines(engine.ask("ما أخبار تونس؟")) == []


def test_a_yearless_february_in_a_common_year_is_indexed(tmp_path) -> None:
    """ "فبراير" ends on the 29th until its year is known; dated 2023 it ends on the 28th."""
    prices = ("الأسعار", "ارتفعت الأسعار في فبراير الماضي.")
    engine = article_engine(tmp_path, "prices", prices, "published = 2023-12-15\n")
    assert lines(engine.ask("ماذا حدث في فبراير 2023؟")) == [1]


CENTRAL_BANK = Path(__file__).resolve().parent / "articles" / "central-bank.txt"


@pytest.fixture(scope="module")
def central_bank() -> Engine:
    """Egypt's central bank raising its rates, 6 March 2024."""
    return Engine.build([CENTRAL_BANK])


def test_a_day_without_events_answers_as_the_topic_would(central_bank: Engine) -> None:
    """Asked "كم سعر الدولار اليوم؟" months after the article: no events today, so what it
    says about the dollar comes in the order the question without "اليوم" gets."""
    engine = central_bank
    today = engine.ask("كم سعر الدولار اليوم؟", today=dt.date(2024, 6, 20))
    assert lines(today)[:1] == lines(engine.ask("كم سعر الدولار؟"))[:1]


def test_a_hijri_month_without_its_year_meets_every_year_of_the_archive(tmp_path) -> None:
    """ "ماذا حدث في رمضان؟" of an archive that spans three Ramadans: each of them."""
    for name, year in (("old", 2021), ("new", 2024)):
        folder = tmp_path / name
        folder.mkdir()
        lines = ("أخبار رمضان", f"في 1 رمضان، افتتح المسجد الكبير في عام {year}.")
        (folder / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (folder / f"{name}.toml").write_text(f"published = {year}-06-01\n", encoding="utf-8")
    engine = Engine.build([tmp_path / "old", tmp_path / "new"])
    answer = engine.ask("ماذا حدث في 1 رمضان؟")
    assert sorted(h.passage.source.article for h in answer.hits) == ["new", "old"]


def test_two_days_asked_are_named_as_two_days(engine: Engine) -> None:
    """ "6 ديسمبر و10 ديسمبر" is two days, not the span between them."""
    reply = render_text(engine.ask("ماذا حدث في 6 ديسمبر و10 ديسمبر؟"))
    assert reply.startswith("أحداث 6 ديسمبر، 10 ديسمبر")


def test_a_hijri_month_asked_of_an_archive_reaching_past_the_hijri_tables(tmp_path) -> None:
    """hijridate converts 1924–2077 only: an event of 1912 must not break the question."""
    lines_ = ("تاريخ المدينة", "في 5 مارس 1912، افتتح الميناء.", "في 1 رمضان 1437، افتتح المسجد.")
    engine = article_engine(tmp_path, "history", lines_, "published = 2016-12-01\n")
    assert lines(engine.ask("ماذا حدث في 1 رمضان؟")) == [2]


COURT = (
    "تأجيل محاكمة متهمي الجمارك",
    "قررت محكمة الجنايات، اليوم الأحد، تأجيل محاكمة المتهمين إلى جلسة 15 مايو المقبل لسماع الدفاع.",
    "ومن المنتظر أن يستأنف الفريق تداريبه يوم 8 يوليوز المقبل.",
)


@pytest.fixture(scope="module")
def court(tmp_path_factory) -> Engine:
    folder = tmp_path_factory.mktemp("court")
    return article_engine(folder, "customs", COURT, "published = 2024-04-21\n")


def test_a_day_to_come_named_inside_a_passage_is_in_the_year_ahead(court: Engine) -> None:
    assert lines(court.ask("ماذا حدث في 15 مايو 2024؟")) == [1]


def test_when_answers_a_day_to_come_in_the_year_ahead(court: Engine) -> None:
    assert court.ask("متى يستأنف الفريق تداريبه؟").when == ["2024-07-08"]


def test_when_answers_a_day_of_the_current_month_in_the_reference_year(tmp_path: Path) -> None:
    lines_ = ("معرض الصناعة التقليدية", "افتتح المعرض أمس، ويستمر إلى غاية 12 دجنبر الجاري.")
    engine = article_engine(tmp_path, "fair", lines_, "published = 2024-12-03\n")
    assert engine.ask("إلى متى يستمر المعرض؟").when == ["2024-12-12"]


def test_today_in_a_question_the_archive_does_not_cover_is_no_answer(central_bank: Engine) -> None:
    """ "من فاز بالمباراة اليوم؟" of Egypt's central bank, long after: nothing today, nothing
    of football: the article does not say, rather than "no events today"."""
    engine = central_bank
    answer = engine.ask("من فاز بالمباراة اليوم؟", today=dt.date(2026, 11, 27))
    assert answer.intent is Intent.NO_MATCH


def test_today_in_a_question_on_the_archives_topic_is_now(central_bank: Engine) -> None:
    """ "كم سعر صرف الجنيه اليوم؟" long after the article: "today" means now, and the article's
    rate answers, not "no events today"."""
    answer = central_bank.ask("كم سعر صرف الجنيه اليوم؟", today=dt.date(2026, 11, 27))
    assert (answer.intent, bool(answer.hits)) == (Intent.TOPIC, True)


def test_what_happened_today_still_says_there_were_no_events(central_bank: Engine) -> None:
    engine = central_bank
    answer = engine.ask("ماذا حدث اليوم؟", today=dt.date(2026, 11, 27))
    assert (answer.intent, answer.nearest_dates != []) == (Intent.DATE, True)


# ---- a question asking for a stance ----------------------------------------------------------

# Asked for Turkey's position, the paragraph where Turkey says or does something about it
# answers, not the one that holds the word "موقف" about a meeting Turkey attended.
REACTIONS = (
    "ردود الفعل على اتفاق الممر البحري",
    "اجتمع وزراء خارجية دول المنطقة في عمّان بمشاركة تركيا ومصر والأردن، وانتهى الاجتماع"
    " من دون أي موقف موحد من الاتفاق.",
    "ورحبت تركيا بالاتفاق ودعت الطرفين إلى تنفيذه كاملا في موعده.",
    "وتستورد تركيا معظم حاجتها من الغاز الطبيعي من روسيا وأذربيجان.",
    "وقالت مصر إن الاتفاق يخدم التجارة في المنطقة.",
    "وأعلنت الشركات المشغلة للممر أن أول سفينة تعبره برعاية تركيا ومصر تصل الشهر المقبل.",
)


@pytest.fixture(scope="module")
def reactions(tmp_path_factory) -> Engine:
    return article_engine(tmp_path_factory.mktemp("reactions"), "corridor", REACTIONS)


@pytest.mark.parametrize(
    "question",
    ["ما موقف تركيا؟", "ما موقف أنقرة من الاتفاق؟", "كيف ردت تركيا على الاتفاق؟",
     "ما رد فعل تركيا؟", "ما هو رأي تركيا في الاتفاق؟"],
)  # fmt: skip
def test_a_stance_question_finds_what_the_party_said_or_did(
    reactions: Engine, question: str
) -> None:
    assert lines(reactions.ask(question))[:1] == [2]


def test_the_words_asking_for_a_stance_are_not_what_the_passage_must_hold() -> None:
    words = [w.text for w in questions.parse("ما موقف روسيا من الهدنة؟").words]
    assert words == ["روسيا", "الهدنه"]


def test_a_stance_word_that_is_the_topic_stays_a_word() -> None:
    words = [w.text for w in questions.parse("متى تغير موقف روسيا من الهدنة؟").words]
    assert "موقف" in words


def test_what_someone_saw_is_not_asked_as_an_opinion() -> None:
    """ "ماذا رأى" (what did he see) normalizes as "رأي" (opinion) does: its verb stays."""
    words = [w.text for w in questions.parse("ماذا رأى الرسول حين خرج إلى باب المسجد؟").words]
    assert "راي" in words


# ---- a topic question that names a date -------------------------------------------------------

FLOODS = (
    "فيضانات النيل",
    "في عام 1988، شهد السودان فيضانات مدمرة شردت أكثر من مليوني شخص.",
    "وتضرر خلالها أكثر من نصف مليون منزل في العاصمة وحدها.",
    "وفي عام 1985، ضرب الجفاف ولايات الغرب.",
)


@pytest.fixture(scope="module")
def floods(tmp_path_factory) -> Engine:
    return article_engine(tmp_path_factory.mktemp("floods"), "floods", FLOODS)


def test_what_covers_the_topic_leads_over_another_event_of_the_date(floods: Engine) -> None:
    assert lines(floods.ask("كم منزلا تضرر في العاصمة في فيضانات الثمانينيات؟"))[:1] == [2]


def test_the_dates_event_on_the_topic_still_leads(floods: Engine) -> None:
    assert lines(floods.ask("ماذا حدث للسودان في الثمانينيات؟"))[:1] == [1]


def test_the_dates_other_events_come_before_passages_off_the_topic(floods: Engine) -> None:
    assert 3 in lines(floods.ask("ماذا حدث للسودان في الثمانينيات؟"))


# ---- questions written as people speak ------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    ["امتى سقط حي مساكن هنانو؟", "إمتى سقط حي مساكن هنانو", "وقتاش سقط حي مساكن هنانو؟",
     "مين سيطر على حي مساكن هنانو؟", "شو صار بحي مساكن هنانو؟", "وين حي مساكن هنانو"],
)  # fmt: skip
def test_a_spoken_question_word_finds_what_the_written_one_does(
    engine: Engine, question: str
) -> None:
    assert lines(engine.ask(question))[:1] == [5]


@pytest.mark.parametrize(
    "question",
    ["امتى سقط حي مساكن هنانو؟", "وقتاش سقط حي مساكن هنانو؟", "شوكت سقط حي مساكن هنانو؟",
     "متين سقط حي مساكن هنانو؟"],
)  # fmt: skip
def test_a_spoken_when_is_answered_with_the_date(engine: Engine, question: str) -> None:
    assert engine.ask(question).intent == "when"


@pytest.mark.parametrize("question", ["شوكت سقط حي مساكن هنانو؟", "متين سقط حي مساكن هنانو؟"])
def test_iraqi_and_sudanese_when_are_not_words_the_passage_must_hold(question: str) -> None:
    assert [w.text for w in questions.parse(question).words] == ["سقط", "حي", "مساكن", "هنانو"]


def test_a_strong_thing_is_not_a_when() -> None:
    assert answer_type("هل الاقتصاد متين؟") is AnswerType.OTHER


@pytest.mark.parametrize("question", ["شو قالت تركيا؟", "واش قالت تركيا؟", "ايش موقف تركيا؟"])
def test_a_spoken_stance_question_finds_what_the_party_said_or_did(
    reactions: Engine, question: str
) -> None:
    assert lines(reactions.ask(question))[:1] == [2]


@pytest.mark.parametrize(
    "question",
    ["شنوة قال الوزير؟", "شنية قال الوزير؟", "ليه قال الوزير؟", "الوزير قال النهارده؟"],
)
def test_more_spoken_question_words_are_the_frame(question: str) -> None:
    assert {w.text for w in questions.parse(question).words} == {"قال", "الوزير"}


@pytest.mark.parametrize("question", ["بكام تذكرة الدخول؟", "بقديش التذكرة؟", "بشحال التذكرة؟"])
def test_a_spoken_price_question_asks_for_a_number(question: str) -> None:
    assert answer_type(question) is AnswerType.COUNT


def test_a_spoken_price_word_is_not_what_the_passage_must_hold() -> None:
    assert [w.text for w in questions.parse("بكام تذكرة الدخول؟").words] == ["تذكره", "الدخول"]


def test_spoken_question_words_are_not_what_the_passage_must_hold() -> None:
    assert [w.text for w in questions.parse("شحال عدد القتلى؟").words] == ["عدد", "القتلي"]


@pytest.mark.parametrize(
    "question",
    ["شحال ميزانية تاع المشروع؟", "قديش ميزانية بتاعة المشروع؟", "جم ميزانية المشروع؟",
     "شقد ميزانية المشروع؟"],
)  # fmt: skip
def test_a_spoken_of_is_not_what_the_passage_must_hold(question: str) -> None:
    assert [w.text for w in questions.parse(question).words] == ["ميزانيه", "المشروع"]


# ---- what a passage mentions -------------------------------------------------------------------

PRICES = (
    "أسعار المستهلكين",
    "في 10 مارس 2024، أعلن جهاز الإحصاء ارتفاع التضخم.",
    "وقال محللون إن الأسعار ستواصل الارتفاع خلال مارس وأبريل.",
    "وكان البنك قد رفع الفائدة في 3 مارس 2024.",
)


@pytest.fixture(scope="module")
def prices(tmp_path_factory) -> Engine:
    return article_engine(
        tmp_path_factory.mktemp("prices"), "prices", PRICES, "published = 2024-03-11\n"
    )


def test_a_passage_naming_the_whole_month_does_not_mention_a_day_of_it(prices: Engine) -> None:
    assert 2 not in lines(prices.ask("ماذا حدث في 3 مارس 2024؟", top_k=10))


def test_a_passage_naming_the_day_mentions_it(prices: Engine) -> None:
    assert 3 in lines(prices.ask("ماذا حدث في 3 مارس 2024؟", top_k=10))


def test_a_passage_naming_a_day_mentions_its_month(prices: Engine) -> None:
    assert 3 in lines(prices.ask("ماذا حدث في مارس 2024؟", top_k=10))


def test_a_party_named_twice_in_passing_does_not_outweigh_its_own_words(tmp_path) -> None:
    """Kuwait twice in a biography's move there does not say what Kuwait said of the vote."""
    for name, lines in {
        "bio": (
            "سيرة الكاتب",
            "ولد الكاتب في دمشق ودرس الكيمياء.",
            "وفي عام 1991 غادر إلى الكويت ليعمل باحثاً في معهد الكويت للأبحاث العلمية، ثم"
            " انتقل إلى الإمارات.",
            "وكتب ست روايات.",
        ),
        "vote": (
            "ترحيب بالقرار",
            "رحبت المملكة بقرار مجلس الأمن الداعي إلى وقف إطلاق النار.",
            "كما رحبت دولة الكويت بالقرار، وقالت وزارة خارجيتها إنه يعكس إرادة المجتمع"
            " الدولي، فيما عبرت البحرين عن أملها.",
            "ودعت عمان إلى البناء على القرار.",
        ),
    }.items():
        (tmp_path / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = Engine.build([tmp_path]).ask("ماذا قالت الكويت؟").hits[0].passage.source
    assert (first.article, first.paragraph) == ("vote", 2)


def test_what_will_happen_on_a_day_finds_the_passage_naming_it(tmp_path) -> None:
    court = article_engine(
        tmp_path, "court",
        ("محاكمة المتهمين", "في 12 مارس 2024، مثل المتهمون أمام المحكمة.",
         "وأجلت المحكمة القضية إلى جلسة 20 أبريل المقبل لسماع الشهود."),
        "published = 2024-03-13\n",
    )  # fmt: skip
    assert lines(court.ask("ماذا سيحدث في 20 أبريل؟"))[:1] == [2]


# ---- what "متى" is answered with -------------------------------------------------------------

VOTES = (
    "الانتخابات في البلاد",
    "جرت الانتخابات منذ عام 2003 ست مرات، آخرها في 11 نوفمبر 2025 بمشاركة واسعة.",
    "وتتنافس الأحزاب على 329 مقعدا.",
)


@pytest.fixture(scope="module")
def votes(tmp_path_factory) -> Engine:
    return article_engine(tmp_path_factory.mktemp("votes"), "votes", VOTES)


def test_when_is_not_answered_with_a_bound_since(votes: Engine) -> None:
    assert votes.ask("متى جرت الانتخابات؟").when == ["2025-11-11"]


def test_since_when_is_answered_with_the_bound(votes: Engine) -> None:
    assert votes.ask("منذ متى تجري الانتخابات؟").when == ["2003-01-01", "2003-12-31"]


FINAL = (
    "الترجي بطلا",
    "توج الترجي بلقب البطولة العربية بعد فوزه على الأهلي في المباراة النهائية التي أقيمت مساء أمس.",
    "وقال مدرب الترجي إن فريقه استحق اللقب عن جدارة.",
    "وكان الترجي قد تأهل إلى النهائي بفوزه على الزمالك يوم الثلاثاء.",
    "ومن المنتظر أن يعود لاعبو الترجي إلى تونس مساء اليوم الجمعة.",
)


def test_what_the_article_tells_after_the_anchor_on_its_day_is_after_it(tmp_path: Path) -> None:
    engine = article_engine(tmp_path, "final", FINAL, "published = 2025-10-24\n")
    assert lines(engine.ask("ماذا قال مدرب الترجي بعد الفوز؟"))[:1] == [2]


POET = (
    "رحيل الشاعر",
    "وعمل الشاعر أستاذا للغة العربية في ثانوية بالرباط بين 1968 و1990.",
    "وفي 1986، نال جائزة المغرب للكتاب عن ديوانه الأول.",
)


def test_a_years_event_comes_before_a_span_of_decades_that_holds_it(tmp_path: Path) -> None:
    engine = article_engine(tmp_path, "poet", POET, "published = 2020-01-01\n")
    assert lines(engine.ask("ماذا حدث عام 1986؟")) == [2, 1]


RAILWAY = (
    "سكة حديد الحجاز",
    "وكانت رحلة الحج من دمشق إلى المدينة المنورة تستغرق نحو أربعين يوما على ظهور الجمال.",
    "أصدر السلطان أمره ببناء الخط عام 1900.",
    "وفي عام 1904 سلكت قافلة رحلة الحج جزءا من مسار الخط قبل مده.",
    "وفي 22 أغسطس 1908 وصل أول قطار إلى المدينة المنورة.",
    "وبعد ذلك بات المسافرون يقطعون المسافة في خمسة أيام.",
)


def test_what_was_before_the_anchor_may_be_undated_background(tmp_path: Path) -> None:
    engine = article_engine(tmp_path, "railway", RAILWAY, "published = 2020-01-01\n")
    assert lines(engine.ask("كم يوما كانت تستغرق رحلة الحج قبل القطار؟"))[:1] == [1]


FAIR = (
    "افتتاح معرض الصناعة التقليدية",
    "افتتح الوزير أمس معرض الصناعة التقليدية بمشاركة 420 عارضا، على أن تحتضن طنجة الدورة المقبلة.",
    "وتبلغ تكلفة كراء الأروقة بين 4 آلاف و9 آلاف درهم.",
    "ويستقبل المعرض زواره من العاشرة صباحا حتى العاشرة ليلا.",
)


@pytest.fixture(scope="module")
def fair(tmp_path_factory) -> Engine:
    return article_engine(tmp_path_factory.mktemp("fair"), "fair", FAIR, "published = 2024-12-04\n")


def test_a_question_word_the_articles_never_hold_is_said_to_be_missing(fair: Engine) -> None:
    assert fair.ask("كم ميزانية كراء الأروقة في المعرض؟").missing == ["ميزانية"]


def test_a_word_held_in_another_form_is_not_missing(fair: Engine) -> None:
    assert fair.ask("كم عدد العارضين في المعرض؟").missing == []


def test_a_word_held_by_another_name_is_not_missing(fair: Engine) -> None:
    assert fair.ask("كم تكلفة كراء الأروقة في المعرض القادم؟").missing == []


def test_the_reply_says_which_words_the_article_does_not_hold(fair: Engine) -> None:
    reply = render_text(fair.ask("كم ميزانية كراء الأروقة في المعرض؟"))
    assert reply.startswith("كلمات لا ترد في المقال: «ميزانية». أقرب ما فيه:")


def test_a_short_noun_the_articles_never_hold_is_said_to_be_missing(fair: Engine) -> None:
    assert fair.ask("كم تبلغ سعة أروقة المعرض؟").missing == ["سعة"]


@pytest.mark.parametrize(
    "sentence",
    [
        "يستقبل الملعب، الذي تبلغ سعته 64 ألف متفرج، المباراة النهائية.",
        "افتتح الوزير ملعبا جديدا بسعة 40 ألف متفرج.",
    ],
)
def test_a_short_noun_held_with_a_pronoun_or_a_preposition_is_not_missing(
    tmp_path: Path, sentence: str
) -> None:
    engine = article_engine(tmp_path, "stadium", ("الملعب الجديد", sentence), "")
    assert engine.ask("كم سعة الملعب؟").missing == []


def test_a_reply_whose_words_are_all_held_says_nothing_of_missing(fair: Engine) -> None:
    assert "لا ترد" not in render_text(fair.ask("كم تكلفة كراء الأروقة؟"))


@pytest.mark.parametrize(
    "question",
    [
        "هل ستستضيف طنجة الدورة المقبلة؟",
        "متى خفضوا كراء الأروقة؟",
        "متى انضم العارضون إلى المعرض؟",
        "امتى تفتتح الدورة؟",  # the article's past "افتتح"
    ],
)
def test_a_verb_the_article_says_another_way_is_not_said_to_be_missing(
    fair: Engine, question: str
) -> None:
    assert fair.ask(question).missing == []


def test_a_name_spelled_like_a_spoken_when_is_still_found(tmp_path: Path) -> None:
    lines_ = ("تعيين جديد", "عين الرئيس اللواء آصف شوكت نائبا لرئيس الأركان.")
    engine = article_engine(tmp_path, "shawkat", lines_, "published = 2024-01-10\n")
    assert engine.ask("من هو آصف شوكت؟").terms == ["اصف", "شوكت"]


def test_when_reads_a_yearless_month_in_its_passages_year(tmp_path: Path) -> None:
    lines_ = (
        "مسيرة ماجر",
        "وفي عام 1987، فاز ماجر مع بورتو بكأس أوروبا.",
        "وفي ديسمبر من العام نفسه، اختير ماجر أفضل لاعب إفريقي.",
    )
    engine = article_engine(tmp_path, "madjer", lines_, "published = 2024-05-01\n")
    assert engine.ask("متى اختير ماجر أفضل لاعب إفريقي؟").when == ["1987-12-01", "1987-12-31"]


def test_when_does_not_answer_with_the_date_of_what_came_after(tmp_path: Path) -> None:
    lines_ = (
        "مسيرة ماجر",
        "وفي عام 1982، شارك ماجر في كأس العالم.",
        "وفي العام التالي، انتقل ماجر إلى فرنسا، قبل أن يشد الرحال عام 1985 إلى بورتو.",
    )
    engine = article_engine(tmp_path, "madjer", lines_, "published = 2024-05-01\n")
    assert engine.ask("متى انتقل ماجر إلى فرنسا؟").when == ["1983-01-01", "1983-12-31"]


# Paragraphs 3–5 of the bundled article pasted as one message: text to place, not a question
# about the five dates it names.
PASTED = " ".join(
    Path(__file__)
    .resolve()
    .parent.parent.joinpath("seeds", "aleppo-2016.txt")
    .read_text(encoding="utf-8")
    .splitlines()[4:7]
)


def test_a_pasted_paragraph_is_not_read_as_a_date_question(engine: Engine) -> None:
    assert engine.ask(PASTED).intent is Intent.TOPIC


def test_a_pasted_paragraph_is_answered_as_text_to_place(engine: Engine) -> None:
    assert render_text(engine.ask(PASTED)).startswith("نص طويل لا سؤال: أقرب ما في المقال إليه:")


def test_a_pasted_text_on_another_subject_is_said_to_be_far(engine: Engine) -> None:
    text = " ".join(["ارتفعت أسعار القهوة في الأسواق العالمية بسبب الجفاف في البرازيل."] * 5)
    assert render_text(engine.ask(text)).startswith("لا شيء في المقال قريب من هذا النص.")


def test_a_pasted_paragraph_finds_where_it_comes_from(engine: Engine) -> None:
    assert sorted(lines(engine.ask(PASTED))) == [3, 4, 5]


@pytest.mark.parametrize(
    ("paragraph", "label"),
    [
        (
            "وأعلنت الحكومة إقفال الإدارات من السبت 15 حزيران حتى الثلاثاء 18 حزيران.",
            "15–18 يونيو 2024",
        ),
        ("وهطلت أمطار غزيرة يومي السبت والأحد الماضيين.", "1–2 يونيو 2024"),
        ("وفي نهاية مايو، ارتفعت الأسعار.", "21–31 مايو 2024 (تقريبًا)"),
    ],
)
def test_a_span_the_article_tells_exactly_is_not_called_approximate(
    tmp_path: Path, paragraph: str, label: str
) -> None:
    (tmp_path / "a.txt").write_text(
        "عنوان\nبيروت - 6 حزيران (وطنية) - أعلنت الوزارة الخطة.\n" + paragraph + "\n",
        encoding="utf-8",
    )
    (tmp_path / "a.toml").write_text("published = 2024-06-07\n", encoding="utf-8")
    passage = next(p for p in Engine.build([tmp_path]).timeline() if p.source.paragraph == 2)
    assert date_label(passage) == label


def test_an_event_far_longer_than_the_year_asked_comes_after_what_names_the_year(
    tmp_path: Path,
) -> None:
    """For "عام 2010", a change over 2005–2015 is not that year's news: the paragraph giving
    the 2010 figure answers first."""
    (tmp_path / "city.txt").write_text(
        "المدينة\nبين عامي 2005 و2015 تضاعف عدد سكان المدينة مرتين.\n"
        "يبلغ عدد سكان المدينة بحسب إحصائيات عام 2010 نحو مليون نسمة.\n",
        encoding="utf-8",
    )
    (tmp_path / "city.toml").write_text("published = 2020-01-01\n", encoding="utf-8")
    hits = Engine.build([tmp_path]).ask("كم يبلغ عدد سكان المدينة عام 2010؟").hits
    assert hits[0].passage.source.paragraph == 2
