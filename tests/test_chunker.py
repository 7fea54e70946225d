"""The bundled article becomes dated event passages, each saying how it got its date."""

from pathlib import Path

import pytest

from khabar.index.chunker import chunk, is_heading
from khabar.index.corpus import SEEDS, read_article

ARTICLE = SEEDS / "aleppo-2016.txt"

# line → (date, date_end, date_source, heading): what a careful reader of the article says.
EXPECTED = {
    5: ("2016-11-15", None, "explicit", "هجوم واسع"),
    6: ("2016-11-15", None, "inherited", "هجوم واسع"),
    7: ("2016-11-26", None, "explicit", "هجوم واسع"),
    9: ("2016-11-21", None, "explicit", "استهداف متكرر للمستشفيات"),
    10: ("2016-11-21", "2016-11-30", "approximate", "استهداف متكرر للمستشفيات"),
    12: ("2016-12-06", None, "explicit", "النظام يسيطر على المدينة القديمة"),
    13: ("2016-12-07", None, "relative", "النظام يسيطر على المدينة القديمة"),
    15: ("2016-12-05", None, "explicit", "جرائم ضد الإنسانية"),
    16: ("2016-12-05", None, "inherited", "جرائم ضد الإنسانية"),  # the French ambassador
    17: ("2016-12-10", None, "explicit", "جرائم ضد الإنسانية"),
    18: ("2016-12-10", None, "inherited", "جرائم ضد الإنسانية"),
    20: ("2016-12-12", None, "explicit", "المرحلة النهائية"),
    21: ("2016-12-12", None, "inherited", "المرحلة النهائية"),
    22: ("2016-12-12", None, "inherited", "المرحلة النهائية"),  # "منذ 15 نوفمبر" is history
    23: ("2016-12-12", None, "inherited", "المرحلة النهائية"),
    24: ("2016-12-13", None, "explicit", "المرحلة النهائية"),
    25: ("2016-12-15", None, "explicit", "المرحلة النهائية"),
    26: ("2016-12-15", None, "inherited", "المرحلة النهائية"),
}


@pytest.fixture(scope="module")
def passages():
    return chunk(read_article(ARTICLE))


def test_every_event_gets_the_date_a_reader_would_give(passages) -> None:
    events = {p.source.paragraph: p for p in passages if p.kind == "event"}
    assert set(events) == set(EXPECTED)
    for line, (date, date_end, source, heading) in EXPECTED.items():
        p = events[line]
        assert (p.date, p.date_end, p.date_source, p.heading) == (
            date,
            date_end,
            source,
            heading,
        ), line


def test_title_and_headings_are_not_passages_and_lead_is_kept_apart(passages) -> None:
    lines = {p.source.paragraph: p for p in passages}
    assert 1 not in lines  # the title
    assert not {4, 8, 11, 14, 19} & set(lines)  # headings
    assert [lines[2].kind, lines[3].kind] == ["lead", "lead"]
    assert lines[2].date is None and lines[2].date_source is None


def test_text_is_verbatim_and_citation_names_title_and_line(passages) -> None:
    source_lines = ARTICLE.read_text(encoding="utf-8").splitlines()
    for p in passages:
        assert p.text == source_lines[p.source.paragraph - 1]
        assert p.source.title == source_lines[0]
        assert str(p.source.published) == "2016-12-15"


def test_ids_are_stable_across_builds(passages) -> None:
    again = chunk(read_article(ARTICLE))
    assert [p.id for p in again] == [p.id for p in passages]
    assert len({p.id for p in passages}) == len(passages)
    assert passages[0].id == "aleppo-2016-p2"


def test_without_published_dates_stay_yearless_and_the_build_says_why(tmp_path: Path) -> None:
    article = tmp_path / "bare.txt"
    article.write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    raw = read_article(article)
    assert any("published" in w and "bare.txt" in w for w in raw.warnings)
    dates = {p.source.paragraph: p.date for p in chunk(raw)}
    assert dates[12] == "--12-06" and dates[13] == "--12-07"


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
