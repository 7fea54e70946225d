"""Counts said as Arabic says them: one, two, 3–10, 11–99, and hundreds each take their form."""

import pytest

from khabar.bot.replies import ARTICLES, DAYS, EVENTS, OTHER_RESULTS, count_label


@pytest.mark.parametrize(
    ("count", "said"),
    [
        (1, "مقال واحد"), (2, "مقالان"), (3, "3 مقالات"), (10, "10 مقالات"), (11, "11 مقالًا"),
        (99, "99 مقالًا"), (100, "100 مقال"), (102, "102 مقال"), (103, "103 مقالات"),
        (111, "111 مقالًا"), (3000, "3000 مقال"),
    ],
)  # fmt: skip
def test_articles(count: int, said: str) -> None:
    assert count_label(count, ARTICLES) == said


@pytest.mark.parametrize(
    ("count", "said"),
    [(1, "نتيجة أخرى واحدة"), (2, "نتيجتان أخريان"), (7, "7 نتائج أخرى"), (17, "17 نتيجة أخرى")],
)
def test_other_results(count: int, said: str) -> None:
    assert count_label(count, OTHER_RESULTS) == said


def test_events_and_days() -> None:
    assert [count_label(n, EVENTS) for n in (1, 2, 4, 12)] == [
        "حدث واحد", "حدثان", "4 أحداث", "12 حدثًا",
    ]  # fmt: skip
    days = [count_label(n, DAYS) for n in (1, 2, 10, 15)]
    assert days == ["يوم واحد", "يومان", "10 أيام", "15 يومًا"]


def test_paragraphs_keep_what_replies_always_said() -> None:
    said = [count_label(n) for n in (0, 1, 2, 3, 10, 11, 100, 101, 103)]
    assert said == [
        "0 فقرة", "فقرة واحدة", "فقرتان", "3 فقرات", "10 فقرات", "11 فقرة", "100 فقرة",
        "101 فقرة", "103 فقرات",
    ]  # fmt: skip
