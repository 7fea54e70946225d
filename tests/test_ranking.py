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
