"""The example questions the console and the bot offer: ones this archive answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.bot.replies import examples, intro_line, offered
from khabar.index.search import Engine, Intent

ARTICLES = Path(__file__).parent / "articles"
SEEDS = Path(__file__).parent.parent / "seeds"


@pytest.fixture(scope="module")
def central_bank() -> Engine:
    return Engine.build([ARTICLES / "central-bank.txt"])


def undated_engine(tmp_path: Path) -> Engine:
    article = tmp_path / "explainer.txt"
    article.write_text("الهيدروجين الأخضر\nينتج الهيدروجين الأخضر بالتحليل الكهربائي للماء.\n")
    return Engine.build([article])


def test_the_bundled_article_offers_the_questions_its_sidecar_lists(bundled_engine) -> None:
    assert examples(bundled_engine) == [
        "متى سقط حي مساكن هنانو؟",
        "ماذا حدث في 10 كانون الأول؟",
        "من استخدم الفيتو في مجلس الأمن؟",
    ]


def test_every_bundled_example_is_answered(bundled_engine) -> None:
    unanswered = [q for q in examples(bundled_engine) if not bundled_engine.ask(q).hits]
    assert unanswered == []


def test_an_archive_without_examples_is_offered_its_own_latest_day(central_bank) -> None:
    """Its latest day that has happened: the committee's meeting on 28 March is to come."""
    assert examples(central_bank) == ["ماذا حدث في 6 مارس 2024؟"]


def test_the_offered_day_has_events(central_bank) -> None:
    assert central_bank.ask(examples(central_bank)[0]).hits


def test_an_archive_without_dated_events_offers_no_example(tmp_path: Path) -> None:
    assert examples(undated_engine(tmp_path)) == []


def test_an_empty_question_is_shown_this_archives_example(central_bank) -> None:
    line = intro_line(central_bank.ask(""), offered(central_bank)) or ""
    assert "ماذا حدث في 6 مارس 2024؟" in line


def test_an_empty_question_is_not_shown_the_bundled_articles_example(central_bank) -> None:
    line = intro_line(central_bank.ask(""), offered(central_bank)) or ""
    assert "هنانو" not in line


def test_no_answer_suggests_a_day_of_this_archive(central_bank) -> None:
    answer = central_bank.ask("من فاز بكأس العالم لكرة القدم؟")
    line = intro_line(answer, offered(central_bank)) or ""
    assert (answer.intent, "6 مارس 2024" in line) == (Intent.NO_MATCH, True)


def test_no_answer_does_not_suggest_the_bundled_articles_day(central_bank) -> None:
    line = intro_line(central_bank.ask("من فاز بكأس العالم لكرة القدم؟"), offered(central_bank))
    assert "6 ديسمبر" not in (line or "")


def test_no_answer_without_examples_still_says_the_article_does_not_say(tmp_path: Path) -> None:
    engine = undated_engine(tmp_path)
    line = intro_line(engine.ask("من فاز بكأس العالم لكرة القدم؟"), offered(engine)) or ""
    assert line.startswith("المقال لا يتناول هذا السؤال")


@pytest.fixture(scope="module")
def several() -> Engine:
    return Engine.build([SEEDS, ARTICLES])


def test_no_answer_from_several_articles_speaks_of_the_articles(several: Engine) -> None:
    line = intro_line(several.ask("من فاز بكأس العالم لكرة القدم؟"), offered(several)) or ""
    assert line.startswith("المقالات لا تتناول هذا السؤال")


def test_an_empty_question_to_several_articles_asks_about_the_articles(several: Engine) -> None:
    line = intro_line(several.ask(""), offered(several)) or ""
    assert line.startswith("اكتب سؤالًا عن المقالات")


def test_a_day_without_events_in_several_articles_says_so_of_the_articles(
    several: Engine,
) -> None:
    line = intro_line(several.ask("ماذا حدث في 3 يناير 1990؟"), offered(several)) or ""
    assert "في المقالات." in line


def test_a_saved_index_offers_the_examples_its_articles_list(tmp_path: Path) -> None:
    seeds = Path(__file__).parent.parent / "seeds"
    Engine.build([seeds, ARTICLES]).save(tmp_path / "archive.khabar")
    opened = Engine.open(tmp_path / "archive.khabar")
    assert examples(opened) == [
        "متى سقط حي مساكن هنانو؟",
        "ماذا حدث في 10 كانون الأول؟",
        "من استخدم الفيتو في مجلس الأمن؟",
    ]


def test_an_archive_dated_by_years_only_is_offered_its_latest_year(tmp_path: Path) -> None:
    article = tmp_path / "life.txt"
    article.write_text("سيرة\nولد الكاتب عام 1948 في دمشق.\nوفي عام 1975، انتقل إلى فرنسا.\n")
    assert examples(Engine.build([article])) == ["ماذا حدث في عام 1975؟"]
