"""The ranker's parts agree whichever way a question is scored: over every passage or over
the candidates an archive proposes."""

from __future__ import annotations

import numpy as np
import pytest

from khabar.index import query as questions
from khabar.index.search import Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


@pytest.mark.parametrize(
    "question",
    [
        "ماذا قالت موسكو عن الهدنة؟",  # a capital the lexicon names as its country
        "كم عدد الجرحى في شرق حلب؟",
        "هل انسحب المسلحون من الأحياء الشرقية؟",
    ],
)
def test_coverage_of_some_passages_is_their_share_of_the_whole(
    engine: Engine, question: str
) -> None:
    query = questions.parse(question)
    docs = np.arange(0, len(engine.passages), 2)
    whole = engine.ranker.coverage(query)
    np.testing.assert_array_equal(engine.ranker.coverage(query, docs), whole[docs])


def test_the_lexicon_questions_here_do_expand(engine: Engine) -> None:
    assert questions.parse("ماذا قالت موسكو عن الهدنة؟").synonyms


QUESTIONS = [
    "كم عدد الجرحى في شرق حلب؟",
    "ماذا قالت موسكو عن الهدنة؟",
    "متى سقط حي مساكن هنانو؟",
    "ما موقف مجلس الأمن من إجلاء المدنيين؟",
]


def _archive_path(engine: Engine, monkeypatch, rare_share: float) -> None:
    """Rank as an archive past EXACT_UP_TO passages does: candidates, then their scores."""
    from khabar.index import ranking

    monkeypatch.setattr(ranking, "EXACT_UP_TO", 0)
    monkeypatch.setattr(ranking, "RARE_SHARE", rare_share)


@pytest.mark.parametrize("question", QUESTIONS)
def test_when_every_term_is_rare_the_candidates_rank_as_the_whole(
    engine: Engine, question: str, monkeypatch
) -> None:
    query = questions.parse(question)
    whole = engine.ranker.rank(query)
    _archive_path(engine, monkeypatch, rare_share=1.0)
    part = engine.ranker.rank(query)
    assert part.order.tolist() == whole.order.tolist()
    np.testing.assert_allclose(part.scores, whole.scores, rtol=1e-12)
    np.testing.assert_allclose(part.coverage, whole.coverage, rtol=1e-12)


@pytest.mark.parametrize("question", QUESTIONS)
def test_candidates_proposed_by_rare_terms_get_their_whole_score(
    engine: Engine, question: str, monkeypatch
) -> None:
    query = questions.parse(question)
    exact = engine.ranker.scores(query)
    _archive_path(engine, monkeypatch, rare_share=0.1)  # common words: held by 2+ passages
    part = engine.ranker.rank(query)
    assert part.order.size > 0
    np.testing.assert_allclose(part.scores, exact[part.order], rtol=1e-12)


def test_a_rare_word_outweighs_a_common_one_the_index_holds_as_often(tmp_path) -> None:
    # one paragraph each: the index's idf cannot tell them apart; general Arabic can
    (tmp_path / "news.txt").write_text(
        "أخبار اليوم\nافتتحت البلدية حديقة عامة في المدينة.\n"
        "قال شهود إن خاشقجي دخل القنصلية ظهرا ولم يغادرها بعد ذلك أبدا حسب ما رواه الحراس.\n",
        encoding="utf-8",
    )
    engine = Engine.build([tmp_path])
    ranked = engine.ranker.rank(questions.parse("خاشقجي في المدينة"))
    assert engine.passages[int(ranked.order[0])].source.paragraph == 2


def test_a_ranking_without_the_lexicon_marks_no_sentence_by_a_synonym(tmp_path) -> None:
    """A comparison row "without the lexicon" must not reorder or mark by it either."""
    from dataclasses import replace

    from khabar.index.ranking import DEFAULT_RANKING

    text = "قال الوزير إن موسكو ترفض القرار الجديد. وأضاف أن الاجتماع انتهى دون نتيجة."
    (tmp_path / "moscow.txt").write_text(f"أخبار\n{text}\n", encoding="utf-8")
    plain = Engine.build([tmp_path], ranking=replace(DEFAULT_RANKING, lexicon=False, silence=None))
    hit = plain.ask("ماذا رفض الكرملين في الاجتماع؟").hits[0]
    assert hit.answer is not None
    assert text[hit.answer[0] : hit.answer[1]].startswith("وأضاف")
