"""Several articles in one index: distinct ids, dates resolved per article, cited by title."""

from pathlib import Path

import pytest

from khabar.index.search import Engine


def write(folder: Path, name: str, title: str, published: str, *paragraphs: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text("\n".join([title, *paragraphs]) + "\n", encoding="utf-8")
    (folder / f"{name}.toml").write_text(
        f'title = "{title}"\npublished = {published}\nsource = "أرشيف"\n', encoding="utf-8"
    )


def test_archive_of_articles(tmp_path: Path) -> None:
    write(tmp_path / "2016", "report", "تقرير حلب", "2016-12-15",
          "في 6 ديسمبر، سيطرت القوات على الأحياء القديمة.")  # fmt: skip
    write(tmp_path / "2017", "report", "تقرير الموصل", "2017-01-10",
          "في 6 ديسمبر، بدأت معركة الموصل الكبرى.",
          "في 2 يناير، تقدمت القوات نحو الجسر.")  # fmt: skip
    engine = Engine.build([tmp_path])

    ids = [p.id for p in engine.passages]
    assert ids == ["2016/report-p1", "2017/report-p1", "2017/report-p2"]  # same file name, two ids

    # "6 ديسمبر" resolves per article: 2016 for both (the second was published in January 2017).
    assert [p.date for p in engine.passages] == ["2016-12-06", "2016-12-06", "2017-01-02"]

    answer = engine.ask("معركة الموصل")
    assert answer.hits[0].passage.source.title == "تقرير الموصل"
    assert answer.hits[0].passage.id == "2017/report-p1"
    assert len(engine.ask("ماذا حدث في 6 ديسمبر 2016").hits) == 2


def test_two_files_with_one_id_are_a_clear_error(tmp_path: Path) -> None:
    import pytest

    from khabar.index.corpus import CorpusError

    write(tmp_path / "a", "x", "أ", "2016-01-01", "في 1 يناير، حدث.")
    write(tmp_path / "b", "x", "ب", "2016-01-01", "في 2 يناير، حدث.")
    with pytest.raises(CorpusError, match="same article id"):
        Engine.build([tmp_path / "a" / "x.txt", tmp_path / "b" / "x.txt"])


def test_a_file_named_twice_is_indexed_once(tmp_path: Path) -> None:
    """``khabar index build a/*`` names x.txt and its sidecar x.toml: one article."""
    write(tmp_path / "a", "x", "أ", "2016-01-01", "في 1 يناير، حدث.")
    engine = Engine.build([tmp_path / "a" / "x.toml", tmp_path / "a" / "x.txt"])
    assert [a.id for a in engine.articles] == ["x"]


def _many_articles(folder: Path, count: int) -> None:
    for n in range(count):
        write(folder, f"a{n:03d}", f"تقرير رقم {n}", f"2016-12-{n % 28 + 1:02d}",
              f"في {n % 28 + 1} ديسمبر، قصفت الطائرات الحي {n} في المدينة.",
              "في اليوم التالي، وصلت قافلة مساعدات إلى الأحياء الشرقية.",
              "يعيش في المدينة نحو مليون نسمة.")  # fmt: skip
    (folder / "empty.txt").write_text("", encoding="utf-8")


def test_a_large_build_made_by_several_processes_is_the_one_a_single_process_makes(
    tmp_path: Path, monkeypatch
) -> None:
    import numpy as np

    from khabar.index import search

    _many_articles(tmp_path / "many", search.PARALLEL_FROM + 6)
    skipped: list[str] = []
    parallel = Engine.build([tmp_path / "many"], skipped=skipped)
    monkeypatch.setattr(search, "PARALLEL_FROM", 10**9)
    single = Engine.build([tmp_path / "many"])
    parallel.save(tmp_path / "parallel.khabar")
    single.save(tmp_path / "single.khabar")
    with (
        np.load(tmp_path / "parallel.khabar") as one,
        np.load(tmp_path / "single.khabar") as other,
    ):
        differing = [name for name in one.files if not np.array_equal(one[name], other[name])]
    assert differing == []


def test_a_parallel_build_says_which_file_had_no_text(tmp_path: Path) -> None:
    from khabar.index import search

    _many_articles(tmp_path / "many", search.PARALLEL_FROM)
    skipped: list[str] = []
    Engine.build([tmp_path / "many"], skipped=skipped)
    assert any("empty.txt" in note for note in skipped)


def test_a_build_indexes_each_passage_as_its_document_reads(tmp_path: Path) -> None:
    """A build normalizes each text once and reuses it; the index is the one made from the
    documents themselves (title, heading, text), mark for mark."""
    import numpy as np

    from khabar.index.corpus import SEEDS
    from khabar.index.ranking import DEFAULT_RANKING, Ranker

    gold = Path(__file__).resolve().parent.parent / "bot" / "gold" / "articles"
    engine = Engine.build([SEEDS, gold])
    documents = [Engine.document(p) for p in engine.passages]
    direct = Ranker.build(DEFAULT_RANKING, documents)
    for field, scorer in engine.ranker.scorers.items():
        mine, theirs = scorer.to_arrays(), direct.scorers[field].to_arrays()
        assert [k for k in mine if not np.array_equal(mine[k], theirs[k])] == [], field


@pytest.mark.parametrize("paragraphs", [1, 2])
def test_an_article_of_one_or_two_paragraphs_answers_its_own_words(
    tmp_path: Path, paragraphs: int
) -> None:
    texts = ["قصفت الطائرات مستشفى القدس في حلب.", "وصلت قافلة مساعدات إلى إدلب."]
    write(tmp_path, "short", "خبر قصير", "2016-12-15", *texts[:paragraphs])
    engine = Engine.build([tmp_path])
    assert [h.passage.source.paragraph for h in engine.ask("مستشفى القدس").hits] == [1]


def test_an_article_of_one_paragraph_stays_silent_on_what_it_does_not_say(
    tmp_path: Path,
) -> None:
    write(tmp_path, "short", "خبر قصير", "2016-12-15", "قصفت الطائرات مستشفى القدس في حلب.")
    engine = Engine.build([tmp_path])
    assert engine.ask("في أي مدينة ولد خاشقجي؟").hits == []
