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
    and not entry.narrower  # a kind does not name its general word (below)
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


KINDS = [
    pytest.param(n, entry, id=f"{_phrase(group[0])}→{_phrase(entry)}")
    for n, group in enumerate(GROUPS)
    for entry in group
    if entry.narrower
]


@pytest.fixture(scope="module")
def kinds_engine(tmp_path_factory) -> Engine:
    """One paragraph per kind of a general word, naming that kind only."""
    folder = tmp_path_factory.mktemp("kinds")
    lines = ["ملف الاختبار"] + [
        f"تقرير رقم {i} يذكر {_phrase(entry)} في سطر واحد."
        for i, (_, entry) in enumerate(p.values for p in KINDS)
    ]
    (folder / "kinds.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Engine.build([folder])


def test_the_lexicon_has_kinds() -> None:
    assert KINDS


@pytest.mark.parametrize(("number", "entry"), KINDS)
def test_a_general_word_finds_each_of_its_kinds(kinds_engine: Engine, number: int, entry) -> None:
    """A question about an epidemic is answered by the paragraph that reports cholera."""
    general = GROUPS[number][0]
    answer = kinds_engine.ask(f"{_phrase(general)}؟", top_k=50)
    at = next(i for i, p in enumerate(KINDS) if p.values[1] == entry) + 1
    assert at in [h.passage.source.paragraph for h in answer.hits]


@pytest.fixture(scope="module")
def diseases(tmp_path_factory) -> Engine:
    folder = tmp_path_factory.mktemp("diseases")
    text = (
        "تقرير صحي\n"
        "حذرت الأمم المتحدة من خطر تفشي الأوبئة في المناطق المنكوبة.\n"
        "أعلنت وزارة الصحة تسجيل 150 إصابة بالكوليرا في مخيمات النازحين.\n"
        "وسجلت الفرق الطبية حالات من الحصبة بين أطفال القرى.\n"
    )
    (folder / "health.txt").write_text(text, encoding="utf-8")
    return Engine.build([folder])


def _paragraphs(engine: Engine, question: str) -> list[int]:
    return [h.passage.source.paragraph for h in engine.ask(question, top_k=5).hits]


def test_a_question_about_an_epidemic_gets_the_cholera_report(diseases: Engine) -> None:
    assert _paragraphs(diseases, "هل ظهر وباء في المخيمات؟")[:1] == [2]


def test_a_question_about_an_epidemic_gets_the_warning_of_epidemics(diseases: Engine) -> None:
    assert 1 in _paragraphs(diseases, "هل ظهر وباء في المخيمات؟")


def test_a_question_about_cholera_does_not_get_the_measles_report(diseases: Engine) -> None:
    assert 3 not in _paragraphs(diseases, "كم عدد الإصابات بالكوليرا؟")


def test_a_question_about_measles_does_not_get_the_general_warning(diseases: Engine) -> None:
    assert 1 not in _paragraphs(diseases, "أين ظهرت الحصبة؟")
