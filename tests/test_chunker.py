"""The bundled article becomes dated event passages, each saying how it got its date."""

from pathlib import Path

import pytest

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
