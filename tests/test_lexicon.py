"""Every lexicon entry finds a passage that names the same thing otherwise."""

from __future__ import annotations

import pytest

from khabar.index import lexicon
from khabar.index.analysis import get_analyzer
from khabar.index.search import Engine

GROUPS = lexicon.groups()
STEM = get_analyzer("light10")


def _phrase(entry: lexicon.Entry) -> str:
    return " ".join(entry.words)


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    """One paragraph per group, naming the group's first entry only."""
    folder = tmp_path_factory.mktemp("lexicon")
    lines = ["ملف الاختبار"] + [
        f"تقرير رقم {n} يذكر {_phrase(group[0])} في سطر واحد." for n, group in enumerate(GROUPS)
    ]
    (folder / "lexicon.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Engine.build([folder])


CASES = [
    pytest.param(n, entry, id=f"{_phrase(group[0])}←{_phrase(entry)}")
    for n, group in enumerate(GROUPS)
    for entry in group[1:]
    if not set(entry.stems) & set(group[0].stems)  # same stem: no lexicon needed
]


@pytest.mark.parametrize(("number", "entry"), CASES)
def test_an_entry_finds_its_groups_first_name(engine: Engine, number: int, entry) -> None:
    """Within the first three: a word the question writes ("المتحدة" of "المملكة المتحدة")
    may rightly rank another group's paragraph that holds it literally."""
    answer = engine.ask(f"{_phrase(entry)}؟", top_k=3)
    assert number + 1 in [h.passage.source.paragraph for h in answer.hits]


def test_every_group_has_two_names() -> None:
    assert all(len(group) >= 2 for group in GROUPS)


def test_a_several_word_name_needs_all_its_words() -> None:
    stems = set(STEM("وقف النار"))  # "إطلاق" missing: not "وقف إطلاق النار"
    assert not [own for own, _ in lexicon.expand(stems) if len(own.words) > 1]
