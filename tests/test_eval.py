"""`khabar eval`: the gold sets, the SQuAD path, and the floors the shipped ranking holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.bot.evaluation import (
    CHOSEN,
    CONFIGS,
    EvalError,
    evaluate_gold,
    evaluate_squad,
    gold_sets,
    load_gold,
    run,
)


@pytest.fixture(scope="module")
def golds():
    return {gold.name: gold for gold in gold_sets()}


@pytest.fixture(scope="module")
def chosen_rows(golds):
    return {name: evaluate_gold(gold, {CHOSEN: CONFIGS[CHOSEN]})[0] for name, gold in golds.items()}


def test_both_gold_sets_ship(golds) -> None:
    assert set(golds) == {"aleppo-2016", "sudan-floods"}


@pytest.mark.parametrize(("name", "least"), [("aleppo-2016", 40), ("sudan-floods", 30)])
def test_gold_sets_are_big(golds, name: str, least: int) -> None:
    assert sum(bool(q.expect) for q in golds[name].questions) >= least


@pytest.mark.parametrize("name", ["aleppo-2016", "sudan-floods"])
def test_gold_sets_are_varied(golds, name: str) -> None:
    kinds = {q.kind for q in golds[name].questions}
    assert {"exact", "paraphrase", "spelling", "diacritics", "lowoverlap", "negative"} <= kinds


def test_the_wire_gold_dates_every_paragraph(golds) -> None:
    assert len(golds["sudan-floods"].dates) == 20


@pytest.mark.parametrize(("name", "r1"), [("aleppo-2016", 0.78), ("sudan-floods", 0.94)])
def test_the_shipped_ranking_holds_its_floor_at_1(chosen_rows, name, r1) -> None:
    assert chosen_rows[name].r1 >= r1


@pytest.mark.parametrize(("name", "r3"), [("aleppo-2016", 0.87), ("sudan-floods", 0.94)])
def test_the_shipped_ranking_holds_its_floor_at_3(chosen_rows, name, r3) -> None:
    assert chosen_rows[name].r3 >= r3


@pytest.mark.parametrize("name", ["aleppo-2016", "sudan-floods"])
def test_out_of_scope_questions_mostly_get_the_honest_reply(chosen_rows, name) -> None:
    assert chosen_rows[name].silent >= 0.8


def test_a_gold_file_that_is_missing_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="no such gold file"):
        load_gold(tmp_path / "nope.questions.toml")


def test_a_gold_file_naming_an_unknown_article_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "x.questions.toml"
    path.write_text('article = "no-such-article"\n', encoding="utf-8")
    with pytest.raises(EvalError, match="neither in seeds"):
        load_gold(path)


# ---- SQuAD-format files ---------------------------------------------------------------------

SQUAD = {
    "data": [
        {
            "title": "نهر_النيل",
            "paragraphs": [
                {
                    "context": "نهر النيل أطول أنهار العالم. يبلغ طوله نحو 6650 كيلومترا.",
                    "qas": [
                        {"question": "كم يبلغ طول نهر النيل؟",
                         "answers": [{"text": "6650 كيلومترا", "answer_start": 40}]},
                    ],
                },
                {
                    "context": "ينبع النيل الأزرق من بحيرة تانا في إثيوبيا. "
                    "ويلتقي بالنيل الأبيض في الخرطوم.",
                    "qas": [
                        {"question": "أين يلتقي النيلان؟",
                         "answers": [{"text": "في الخرطوم", "answer_start": 60}]},
                    ],
                },
            ],
        },
        {
            "title": "القهوة",
            "paragraphs": [
                {
                    "context": "القهوة مشروب يعد من بذور البن المحمصة. وتعد إثيوبيا موطنها الأصلي.",
                    "qas": [
                        {"question": "ما الموطن الأصلي للقهوة؟",
                         "answers": [{"text": "إثيوبيا", "answer_start": 45}]},
                    ],
                },
            ],
        },
    ]
}  # fmt: skip


@pytest.fixture(scope="module")
def squad_report(tmp_path_factory):
    path = tmp_path_factory.mktemp("squad") / "tiny.json"
    path.write_text(json.dumps(SQUAD, ensure_ascii=False), encoding="utf-8")
    return evaluate_squad(path, {CHOSEN: CONFIGS[CHOSEN]})


def test_squad_rows_start_with_the_whitespace_baseline(squad_report) -> None:
    assert [row.name for row in squad_report.rows] == ["rank-bm25 (whitespace)", CHOSEN]


def test_squad_finds_each_questions_own_paragraph(squad_report) -> None:
    assert squad_report.rows[1].r1 == 1.0


def test_squad_measures_the_marked_sentence(squad_report) -> None:
    assert squad_report.marked == 1.0


def test_squad_questions_are_off_topic_for_the_bundled_article(squad_report) -> None:
    assert squad_report.silence[CHOSEN] == 1.0


def test_a_file_that_is_not_squad_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(EvalError, match="not a SQuAD-format file"):
        evaluate_squad(path, {CHOSEN: CONFIGS[CHOSEN]})


@pytest.mark.parametrize(
    "content",
    [
        '{"data": 5}',
        '{"data": [{"paragraphs": [{"context": "نص", "qas": []}]}]}',  # no title
        '{"data": [{"title": 5, "paragraphs": []}]}',
        '{"data": []}',
        '{"data": [{"title": "ت", "paragraphs": [{"context": "", "qas": '
        '[{"question": "س؟", "answers": []}]}]}]}',
        '{"data": [{"title": "ت", "paragraphs": [{"context": "نص", "qas": [{"answers": []}]}]}]}',
    ],
)
def test_a_malformed_squad_file_is_one_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvalError, match="not a SQuAD-format file"):
        evaluate_squad(path, {CHOSEN: CONFIGS[CHOSEN]})


def test_a_malformed_squad_file_is_refused_before_the_gold_sets_run(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"data": 5}', encoding="utf-8")
    printed: list[str] = []
    with pytest.raises(EvalError):
        run([], path, printed.append)
    assert printed == []


def test_a_gold_file_without_its_article_says_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "x.questions.toml"
    path.write_text('[[question]]\ntext = "س؟"\nexpect = [1]\n', encoding="utf-8")
    with pytest.raises(EvalError, match="no article = "):
        load_gold(path)
