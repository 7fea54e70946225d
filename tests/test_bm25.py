"""PostingsBM25 must rank and score exactly as rank-bm25 does, only faster."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rank_bm25_reference import reference

from khabar.index.bm25 import BM25Params, PostingsBM25
from khabar.index.validate import CorruptIndex

VARIANTS = ("okapi", "plus", "l")

# "الحرب" and "في" are in more than half of the documents: negative Okapi idf → epsilon floor.
HAND_TEXT = (
    "في الحرب قصف حلب الشرقية",
    "في الحرب هدنة في حلب",
    "الحرب في مجلس الامن الفيتو",
    "في اليوم التالي الحرب اجلاء المدنيين",
    "الحرب الحرب الحرب",
    "مجلس الامن يجتمع",
    "",
    "حلب حلب في",
)
HAND = [text.split() for text in HAND_TEXT]


def zipf_corpus(n_docs: int, n_words: int, seed: int) -> tuple[list[list[str]], list[str]]:
    """Documents drawn from a Zipfian vocabulary; the first words are in most documents."""
    rng = np.random.default_rng(seed)
    words = [f"ك{i}ت" for i in range(n_words)]
    weights = 1.0 / np.arange(1, n_words + 1)
    weights /= weights.sum()
    lengths = rng.integers(0, 60, size=n_docs)
    drawn = rng.choice(n_words, size=int(lengths.sum()), p=weights).tolist()
    corpus, at = [], 0
    for length in lengths.tolist():
        corpus.append([words[j] for j in drawn[at : at + length]])
        at += length
    return corpus, words


ZIPF, ZIPF_WORDS = zipf_corpus(3000, 4000, seed=7)
COMMON = ZIPF_WORDS[:6]
ZIPF_QUERIES = [
    COMMON[:3],  # only very common words
    COMMON,
    [COMMON[0], COMMON[0], COMMON[1]],  # a repeated term counts twice
    [ZIPF_WORDS[40], ZIPF_WORDS[900], ZIPF_WORDS[40]],
    [ZIPF_WORDS[3999], "لاوجود", ZIPF_WORDS[10]],  # a rare term and an unknown one
    ["لاوجود", "غائب"],  # only unknown terms
    [],  # empty question
    ZIPF_WORDS[100:110],
]
HAND_QUERIES = [
    ["الحرب"],
    ["في", "الحرب"],
    ["حلب", "الحرب", "حلب"],
    ["مجلس", "الامن", "الفيتو"],
    ["غير", "موجود"],
    [],
]


def expected_top(ref, query: list[str], k: int, among=None) -> list[tuple[int, float]]:
    """Best k by rank-bm25's scores among documents holding a query term (index breaks ties)."""
    scores = ref.get_scores(query)
    wanted = set(query)
    docs = [i for i, freqs in enumerate(ref.doc_freqs) if wanted & freqs.keys()]
    if among is not None:
        allowed = {int(i) for i in among}
        docs = [i for i in docs if i in allowed]
    docs.sort(key=lambda i: (-scores[i], i))
    return [(i, float(scores[i])) for i in docs[:k]]


def assert_same(mine: PostingsBM25, ref, query: list[str], k: int = 10) -> None:
    ours, theirs = mine.scores(query), ref.get_scores(query)
    assert ours.dtype == np.float64
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)
    got, want = mine.top(query, k), expected_top(ref, query, k)
    assert [i for i, _ in got] == [i for i, _ in want]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in want], rtol=0, atol=1e-9)


@pytest.fixture(scope="module", params=VARIANTS)
def zipf_pair(request):
    params = BM25Params(variant=request.param)
    return PostingsBM25.build(ZIPF, params), reference(ZIPF, params)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("query", HAND_QUERIES)
def test_hand_corpus_matches_rank_bm25(variant, query):
    params = BM25Params(variant=variant)
    assert_same(PostingsBM25.build(HAND, params), reference(HAND, params), query)


def test_hand_corpus_exercises_the_epsilon_floor():
    ref = reference(HAND, BM25Params())
    floor = ref.epsilon * ref.average_idf
    assert ref.idf["الحرب"] == floor
    assert ref.idf["في"] == floor
    mine = PostingsBM25.build(HAND, BM25Params())
    assert mine.idf[mine.terms.index("الحرب")] == floor


@pytest.mark.parametrize("query", ZIPF_QUERIES, ids=lambda q: f"{len(q)}terms")
def test_zipf_corpus_matches_rank_bm25(zipf_pair, query):
    assert_same(*zipf_pair, query)


def test_scores_agree_to_the_last_bit(zipf_pair):
    """Same operations in the same order: not merely close, equal."""
    mine, ref = zipf_pair
    for query in ZIPF_QUERIES:
        np.testing.assert_array_equal(mine.scores(query), ref.get_scores(query))


def test_common_words_reach_negative_idf():
    ref = reference(ZIPF, BM25Params())
    assert ref.idf[COMMON[0]] == ref.epsilon * ref.average_idf


@pytest.mark.parametrize("query", ZIPF_QUERIES[:5], ids=lambda q: f"{len(q)}terms")
def test_among_restricts_the_ranking(zipf_pair, query):
    mine, ref = zipf_pair
    among = np.arange(1, len(ZIPF), 3)
    got = mine.top(query, 10, among=among)
    want = expected_top(ref, query, 10, among=among)
    assert [i for i, _ in got] == [i for i, _ in want]
    assert all(i % 3 == 1 for i, _ in got)
    assert mine.top(query, 10, among=np.array([], dtype=np.int64)) == []


def test_among_out_of_range_is_refused(zipf_pair):
    mine, _ = zipf_pair
    with pytest.raises(IndexError):
        mine.top(COMMON, 3, among=[len(ZIPF)])
    with pytest.raises(IndexError):
        mine.top(COMMON, 3, among=[-1])


def test_top_returns_only_matching_documents(zipf_pair):
    mine, ref = zipf_pair
    query = [ZIPF_WORDS[3000], ZIPF_WORDS[3500]]
    holders = [i for i, f in enumerate(ref.doc_freqs) if set(query) & f.keys()]
    got = mine.top(query, 1000)
    assert sorted(i for i, _ in got) == holders
    assert mine.top(query, 0) == []
    assert mine.top([], 5) == []


def test_matching_and_df(zipf_pair):
    mine, ref = zipf_pair
    query = [COMMON[3], ZIPF_WORDS[500], "لاوجود"]
    holders = [i for i, f in enumerate(ref.doc_freqs) if set(query) & f.keys()]
    np.testing.assert_array_equal(mine.matching(query), holders)
    assert mine.matching([]).size == 0
    for word in (COMMON[0], ZIPF_WORDS[777], "لاوجود"):
        assert mine.df(word) == sum(word in f for f in ref.doc_freqs)
    assert len(mine) == len(ZIPF)


def test_ties_break_by_document_index():
    corpus = [["a", "b"], ["c", "d"], ["a", "b"], ["a", "b"], ["e"]]
    mine = PostingsBM25.build(corpus, BM25Params())
    assert [i for i, _ in mine.top(["a"], 2)] == [0, 2]
    assert [i for i, _ in mine.top(["a"], 5)] == [0, 2, 3]


@pytest.mark.parametrize("variant", VARIANTS)
def test_round_trip_through_arrays(variant):
    params = BM25Params(variant=variant, k1=1.2, b=0.6)
    mine = PostingsBM25.build(ZIPF[:800], params)
    arrays = mine.to_arrays()
    assert all(not a.dtype.hasobject and a.dtype.kind in "iufU" for a in arrays.values())
    back = PostingsBM25.from_arrays(arrays)
    assert back.params == params
    assert len(back) == len(mine)
    for query in ZIPF_QUERIES:
        np.testing.assert_array_equal(back.scores(query), mine.scores(query))
        assert back.top(query, 10) == mine.top(query, 10)


@pytest.mark.parametrize(
    ("key", "damage"),
    [
        ("indptr", lambda a: a[:-1]),
        ("idf", lambda a: a[:-1]),
        ("vocab_at", lambda a: a * 2),
        ("variant", lambda a: np.array(["bm99"])),
        ("params", lambda a: np.array([-1.0, 0.75, 0.25, 1.0])),
        ("idf", lambda a: a.astype(np.int64)),
    ],
)
def test_from_arrays_refuses_inconsistent_arrays(key, damage):
    arrays = PostingsBM25.build(ZIPF[:300], BM25Params()).to_arrays()
    arrays[key] = damage(arrays[key])
    with pytest.raises(ValueError):
        PostingsBM25.from_arrays(arrays)
    del arrays[key]
    with pytest.raises(ValueError, match=key):
        PostingsBM25.from_arrays(arrays)


@pytest.mark.parametrize(
    ("key", "damage"),
    [
        ("doc", lambda a: a + 10_000),  # points past the documents
        ("tf", lambda a: a * 0),
        ("doc", lambda a: a[::-1].copy()),  # postings out of order
    ],
)
def test_damaged_postings_are_refused_when_a_question_reads_them(key, damage):
    arrays = PostingsBM25.build(ZIPF[:300], BM25Params()).to_arrays()
    arrays[key] = damage(arrays[key])
    scorer = PostingsBM25.from_arrays(arrays)
    with pytest.raises(CorruptIndex):
        scorer.scores(scorer.terms[:50])


def test_params_defaults_follow_rank_bm25():
    assert BM25Params(variant="plus").delta == 1.0
    assert BM25Params(variant="l").delta == 0.5
    assert BM25Params(variant="l", delta=0.8).delta == 0.8
    for bad in ({"variant": "bm11"}, {"k1": 0}, {"b": 1.5}, {"epsilon": float("nan")}):
        with pytest.raises(ValueError):
            BM25Params(**bad)


def test_empty_corpus_and_empty_documents():
    empty = PostingsBM25.build([], BM25Params())
    assert len(empty) == 0
    assert empty.scores(["a"]).size == 0
    assert empty.top(["a"], 3) == []
    blank = PostingsBM25.build([[], []], BM25Params(variant="plus"))
    np.testing.assert_array_equal(blank.scores(["a"]), [0.0, 0.0])
    assert PostingsBM25.from_arrays(blank.to_arrays()).top(["a"], 3) == []


words = st.sampled_from(["ا", "ب", "ج", "د", "ه", "و", "ز", "ح"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    corpus=st.lists(st.lists(words, max_size=12), min_size=1, max_size=25).filter(lambda c: any(c)),
    query=st.lists(st.one_of(words, st.just("غريب")), max_size=6),
    variant=st.sampled_from(VARIANTS),
    k1=st.floats(0.1, 3.0),
    b=st.floats(0.0, 0.99),
    extra=st.floats(0.0, 2.0),
    k=st.integers(1, 8),
)
def test_property_small_random_corpora(corpus, query, variant, k1, b, extra, k):
    params = BM25Params(variant=variant, k1=k1, b=b, epsilon=extra, delta=extra)
    mine, ref = PostingsBM25.build(corpus, params), reference(corpus, params)
    np.testing.assert_allclose(mine.scores(query), ref.get_scores(query), rtol=0, atol=1e-9)
    got, want = mine.top(query, k), expected_top(ref, query, k)
    assert [i for i, _ in got] == [i for i, _ in want]
    back = PostingsBM25.from_arrays(mine.to_arrays())
    np.testing.assert_array_equal(back.scores(query), mine.scores(query))


def _by_words(
    corpus: list[list[str]], split, block_terms: int = 1 << 23, params: BM25Params | None = None
) -> PostingsBM25:
    """The same corpus given as word ids, each word's terms once (as the engine builds)."""
    ids: dict[str, int] = {}
    flat = [ids.setdefault(w, len(ids)) for doc in corpus for w in doc]
    per_doc = np.array([len(doc) for doc in corpus], dtype=np.int64)
    terms = [split(w) for w in ids]
    return PostingsBM25.from_words(
        terms, np.array(flat, dtype=np.int32), per_doc, params or BM25Params(), block_terms
    )


# Blocks of one token, of a few documents, and one block for everything.
@pytest.mark.parametrize("block_terms", [1, 97, 1 << 23])
@pytest.mark.parametrize("split", [lambda w: (w,), lambda w: (w[:2], w[1:]), lambda w: ()])
def test_building_from_word_ids_gives_the_same_index(split, block_terms) -> None:
    corpus = [*ZIPF[:150], [], *ZIPF[150:300]]  # an empty document among them
    expanded = [[t for w in doc for t in split(w)] for doc in corpus]
    direct = PostingsBM25.build(expanded, BM25Params())
    by_words = _by_words(corpus, split, block_terms)
    assert direct.to_arrays().keys() == by_words.to_arrays().keys()
    for key, array in direct.to_arrays().items():
        assert np.array_equal(array, by_words.to_arrays()[key]), key


ARCHIVE_WORDS = [f"ك{i}ت" for i in range(20_000)]  # zipf_corpus's words, commonest first


@pytest.fixture(scope="module")
def archive_pair():
    """An archive-sized corpus: its commonest words' postings run past 10⁵ entries, built
    from word ids in many blocks, as the engine builds one."""
    corpus, _ = zipf_corpus(110_000, len(ARCHIVE_WORDS), seed=11)
    # Short documents (rank-bm25 builds in seconds), each with the commonest word.
    corpus = [[*doc[:7], ARCHIVE_WORDS[0]] for doc in corpus]
    params = BM25Params(k1=0.9)
    mine = _by_words(corpus, lambda w: (w,), block_terms=100_000, params=params)
    return mine, reference(corpus, params)


def test_an_archive_has_postings_past_a_hundred_thousand(archive_pair) -> None:
    mine, _ = archive_pair
    assert mine.df(ARCHIVE_WORDS[0]) > 100_000


@pytest.mark.parametrize(
    "query",
    [
        ARCHIVE_WORDS[:2],  # the two longest postings lists
        [ARCHIVE_WORDS[0], ARCHIVE_WORDS[500], ARCHIVE_WORDS[15_000]],
        ARCHIVE_WORDS[30:35],
    ],
)
def test_an_archive_scores_as_rank_bm25(archive_pair, query) -> None:
    mine, ref = archive_pair
    np.testing.assert_allclose(mine.scores(query), ref.get_scores(query), rtol=0, atol=1e-9)


def test_an_archive_ranks_as_rank_bm25(archive_pair) -> None:
    mine, ref = archive_pair
    query = [ARCHIVE_WORDS[0], ARCHIVE_WORDS[7], ARCHIVE_WORDS[300]]
    assert mine.top(query, 10) == expected_top(ref, query, 10)


def test_a_stored_vocabulary_finds_every_term_and_no_other() -> None:
    built = PostingsBM25.build([*ZIPF[:200], ["ب", "ا", "آخر", "_ال", "ال_", "حلب"]], BM25Params())
    stored = PostingsBM25.from_arrays(built.to_arrays())
    terms = list(built.terms)
    assert [stored.terms.id(t) for t in terms] == list(range(len(terms)))
    assert [stored.terms.id(t) for t in ("", "لاوجود", "حل", "حلبب", "ي")] == [None] * 5


def _located(scorer: PostingsBM25, docs: np.ndarray) -> list:
    found = [scorer.locate(t, docs) for t in ZIPF_WORDS[:60]]
    return [(f.hit.tolist(), f.docs.tolist(), f.tf.tolist()) for f in found if f is not None]


def test_common_terms_are_located_through_rows_as_through_their_postings(monkeypatch) -> None:
    from khabar.index import bm25

    scorer = PostingsBM25.build(ZIPF, BM25Params())
    docs = np.arange(0, len(ZIPF), 7)
    monkeypatch.setattr(bm25, "DENSE_SHARE", 2.0)  # no term is common enough: binary search
    searched = _located(scorer, docs)
    monkeypatch.setattr(bm25, "DENSE_SHARE", 0.0)  # every term gets a row
    assert _located(PostingsBM25.build(ZIPF, BM25Params()), docs) == searched


def test_a_term_repeated_past_a_byte_is_searched_not_rowed(monkeypatch) -> None:
    from khabar.index import bm25

    monkeypatch.setattr(bm25, "DENSE_SHARE", 0.0)
    scorer = PostingsBM25.build([["حلب"] * 300, ["حلب"], ["ادلب"]], BM25Params())
    found = scorer.locate("حلب", np.array([0, 1, 2]))
    assert found is not None
    assert found.tf.tolist() == [300, 1]


@pytest.mark.parametrize("variant", VARIANTS)
def test_weights_of_one_score_as_the_plain_question(variant) -> None:
    scorer = PostingsBM25.build(ZIPF[:300], BM25Params(variant=variant))
    query = ["لاوجود", ZIPF_WORDS[3], ZIPF_WORDS[40], ZIPF_WORDS[3]]  # unknown first, repeated
    np.testing.assert_allclose(
        scorer.weighted_scores(query, [1.0] * len(query)), scorer.scores(query), atol=1e-12
    )


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_weight_scales_its_terms_share(variant) -> None:
    scorer = PostingsBM25.build(ZIPF[:300], BM25Params(variant=variant))
    query = ["لاوجود", ZIPF_WORDS[40]]
    np.testing.assert_allclose(
        scorer.weighted_scores(query, [3.0, 0.5]), 0.5 * scorer.scores(query), atol=1e-12
    )
