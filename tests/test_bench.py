"""The bench's pure parts: the questions it asks and the table it prints (nothing timed)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bench import (
    COMMON_WORDS,
    TOPIC_WORDS,
    Table,
    question_sets,
    report,
    size_class,
    verdict,
)

from khabar.index.months import GREGORIAN_DISPLAY

FACTS = {
    "words": [f"كلمة{chr(0x0628 + i % 20)}{i}" for i in range(25_000)],
    "event_days": ["2016-12-21", "2014-03-05", "2019-07-30"],
    "articles": 10,
}


@pytest.fixture(scope="module")
def sets() -> dict[str, list[str]]:
    return question_sets(FACTS, count=40)


def test_every_kind_is_made(sets: dict[str, list[str]]) -> None:
    assert set(sets) == {"mix", "topic", "day_year", "day", "month"}


def test_topic_questions_have_five_distinct_words(sets: dict[str, list[str]]) -> None:
    assert {len(set(q.split())) for q in sets["topic"]} == {TOPIC_WORDS}


def test_topic_questions_include_common_words(sets: dict[str, list[str]]) -> None:
    assert any(set(q.split()) & set(COMMON_WORDS) for q in sets["topic"])


def test_topic_questions_favour_frequent_words(sets: dict[str, list[str]]) -> None:
    ranks = [
        FACTS["words"].index(w) for q in sets["topic"] for w in q.split() if w in FACTS["words"]
    ]
    assert sorted(ranks)[len(ranks) // 2] < 500


def test_a_day_with_year_names_an_event_day(sets: dict[str, list[str]]) -> None:
    assert sets["day_year"][0] in {
        "ماذا حدث في 21 ديسمبر 2016؟", "ماذا حدث في 5 مارس 2014؟", "ماذا حدث في 30 يوليو 2019؟"
    }  # fmt: skip


def test_a_day_without_year_has_no_year(sets: dict[str, list[str]]) -> None:
    assert not any(re.search(r"\d{4}", q) for q in sets["day"])


def test_a_bare_month_is_a_month_name_alone(sets: dict[str, list[str]]) -> None:
    assert {q.removeprefix("ماذا حدث في ").removesuffix("؟") for q in sets["month"]} <= set(
        GREGORIAN_DISPLAY
    )


def test_date_kinds_have_a_quarter_of_the_count(sets: dict[str, list[str]]) -> None:
    assert len(sets["month"]) == 10


def test_questions_are_the_same_every_time(sets: dict[str, list[str]]) -> None:
    assert question_sets(FACTS, count=40) == sets


def test_1m_targets_apply_from_a_million() -> None:
    assert size_class(1_000_000) == "1M"


def test_100k_targets_apply_below_a_million() -> None:
    assert size_class(200_000) == "100k"


def test_small_runs_are_only_indicative() -> None:
    assert size_class(10_000) is None


def test_a_target_at_its_size_is_judged() -> None:
    assert verdict("≤ 1 s", False, True) == "≤ 1 s **FAIL**"


def test_a_target_at_another_size_is_indicative() -> None:
    assert verdict("≤ 1 s", True, False) == "≤ 1 s (indicative: met)"


def test_an_unmeasured_target_says_so() -> None:
    assert verdict("≤ 1 s", None, True) == "≤ 1 s (not measured)"


def test_a_failed_phase_shows_its_error() -> None:
    text = report(1_000_000, {"build": {"error": "killed by signal 9 (out of memory?)"}}, {})
    assert "| **build phase failed** | killed by signal 9 (out of memory?) |" in text


def test_a_phase_killed_late_keeps_what_it_measured() -> None:
    build = {"passages": 10, "events": 8, "build_s": 200.0, "peak_mb": 100.0, "error": "boom"}
    text = report(1_000_000, {"build": build}, {})
    assert "| Engine.build | 200.0 s | ≤ 60 s (indicative: not met) | ≤ 3 min **FAIL** |" in text


def test_rank_bm25_skipped_is_said() -> None:
    scorer = {"passages": 10, "analyze_s": 1.0, "reference_skipped": 500_000}
    assert "not built above 500,000 passages" in report(1_000_000, {"scorer": scorer}, {})


def test_a_table_has_a_target_column_per_size() -> None:
    assert "| what | measured | target at 100k | target at 1M |" in Table(1).markdown("#")


def test_a_phase_peak_is_its_own_not_the_generator_s(tmp_path) -> None:
    # a phase is a child of the process that generated the archive (gigabytes at 1M); Linux
    # carries the parent's resident size at fork into the child's ru_maxrss
    held = bytearray(400 * 2**20)
    held[::4096] = b"\x01" * len(held[::4096])
    child = subprocess.run(
        [sys.executable, "-c", "from bench import peak_mb; print(peak_mb())"],
        capture_output=True, text=True, check=True, cwd=Path(__file__).parent,
    )  # fmt: skip
    assert float(child.stdout) < 200
