"""The ranking analyzer is held to what it measured on the gold questions."""

from pathlib import Path

import pytest

from khabar.index.corpus import SEEDS
from khabar.index.evaluate import CONFIGS, load_gold, ranked_lines, score
from khabar.index.search import DEFAULT_ANALYZER, DEFAULT_PARAMS, Engine

GOLD = Path(__file__).parent / "gold" / "aleppo.toml"


@pytest.fixture(scope="module")
def gold():
    return load_gold(GOLD)


def test_gold_set_is_big_and_varied(gold) -> None:
    answerable = [q for q in gold if q.expect]
    assert len(answerable) >= 40
    assert {"exact", "paraphrase", "spelling", "diacritics", "lowoverlap"} <= {
        q.kind for q in answerable
    }


def test_chosen_analyzer_holds_its_floor(gold) -> None:
    engine = Engine.default()
    assert (engine.analyzer.name, engine.params) == (DEFAULT_ANALYZER, DEFAULT_PARAMS)
    row = score("chosen", gold, lambda q: ranked_lines(engine, q))
    assert row.r1 >= 0.78 and row.r3 >= 0.83 and row.mrr >= 0.80
    assert row.silent >= 0.6  # out-of-scope questions mostly get an honest "not covered"
    assert row.by_kind["spelling"] == 1.0 and row.by_kind["diacritics"] == 1.0


def test_chosen_beats_plain_words(gold) -> None:
    rows = {}
    for name in ("words (okapi)", "light10 (okapi b=0.5) [chosen]"):
        analyzer, params = CONFIGS[name]
        engine = Engine.build([SEEDS], analyzer=analyzer, params=params)
        rows[name] = score(name, gold, lambda q, e=engine: ranked_lines(e, q))
    assert rows["light10 (okapi b=0.5) [chosen]"].mrr > rows["words (okapi)"].mrr + 0.1
