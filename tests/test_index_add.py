"""`khabar index add`: articles join a built index as if it had been built with them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from test_cli import khabar, no_traceback

from khabar.index.chunker import chunk
from khabar.index.corpus import read_article
from khabar.index.search import Engine

PAGES = Path(__file__).resolve().parent / "pages"
SEED = Path(__file__).resolve().parent.parent / "seeds" / "aleppo-2016.txt"
FLOODS, PRICES = PAGES / "madaba-floods.html", PAGES / "sanaa-prices.html"


def article(folder: Path, name: str, title: str, *paragraphs: str, published: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_text("\n".join([title, *paragraphs]) + "\n", encoding="utf-8")
    if published:
        path.with_suffix(".toml").write_text(f"published = {published}\n", encoding="utf-8")
    return path


def same_index(a: Engine, b: Engine) -> list[str]:
    """What differs between two engines' stored state (empty: nothing)."""
    differ = [
        name
        for name, column in a.passages.columns.items()
        if column.dtype != b.passages.columns[name].dtype
        or not np.array_equal(column, b.passages.columns[name])
    ]
    if a.passages.headings != b.passages.headings:
        differ.append("headings")
    if a.articles != b.articles:
        differ.append("articles")
    for field, scorer in a.ranker.scorers.items():
        theirs = b.ranker.scorers[field].to_arrays()
        mine = scorer.to_arrays()
        differ += [f"{field}.{k}" for k, v in mine.items() if not np.array_equal(v, theirs[k])]
    return differ


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    """An index of the bundled article and one page, saved and reopened as `index add` does."""
    path = tmp_path / "news.khabar"
    Engine.build([SEED, FLOODS]).save(path)
    return path


def test_adding_gives_what_a_build_of_all_gives(stored: Path) -> None:
    added = Engine.open(stored).add([PRICES])
    assert same_index(added, Engine.build([SEED, FLOODS, PRICES])) == []


def test_an_article_with_the_same_id_replaces_the_old_one(stored: Path, tmp_path: Path) -> None:
    newer = tmp_path / "v2" / "aleppo-2016.txt"
    newer.parent.mkdir()
    newer.write_text("حلب بعد الإجلاء\nفي 22 ديسمبر، خرجت آخر قافلة من شرق حلب.\n", "utf-8")
    added = Engine.open(stored).add([newer])
    assert same_index(added, Engine.build([FLOODS, newer])) == []


def test_a_replaced_article_answers_no_more(stored: Path, tmp_path: Path) -> None:
    newer = article(tmp_path, "aleppo-2016", "حلب بعد الإجلاء", "خرجت آخر قافلة من شرق حلب.")
    engine = Engine.open(stored).add([newer])
    assert engine.ask("مساكن هنانو").intent == "no_match"


def test_added_passages_are_dated_as_a_build_dates_them(stored: Path) -> None:
    engine = Engine.open(stored).add([PRICES, SEED])  # the seed replaces itself, now last
    fresh = chunk(read_article(SEED, "aleppo-2016"))
    assert list(engine.passages)[-len(fresh) :] == fresh


def test_stored_passages_keep_their_dates(stored: Path) -> None:
    before = list(Engine.open(stored).passages)
    after = list(Engine.open(stored).add([PRICES]).passages)
    assert after[: len(before)] == before


def test_source_files_may_be_gone(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    first = article(folder, "first", "قمة عربية", "في 3 مارس، افتتحت القمة العربية أعمالها.",
                    published="2024-03-05")  # fmt: skip
    Engine.build([folder]).save(tmp_path / "x.khabar")
    first.unlink()
    first.with_suffix(".toml").unlink()
    engine = Engine.open(tmp_path / "x.khabar").add([PRICES])
    assert engine.ask("القمة العربية").hits[0].passage.date == "2024-03-03"


def test_an_added_page_without_text_is_a_warning_and_the_rest_is_added(
    stored: Path, tmp_path: Path
) -> None:
    menu = tmp_path / "menu.html"
    menu.write_text("<html><body><nav><a href='/'>الرئيسية</a></nav></body></html>", "utf-8")
    warnings: list[str] = []
    engine = Engine.open(stored).add([menu, PRICES], warnings=warnings)
    assert [a.id for a in engine.articles][-1] == "sanaa-prices"
    assert any(w.startswith(str(menu)) for w in warnings)


# ---- the command ----------------------------------------------------------------------------


def test_index_add_reports_and_the_index_answers(stored: Path) -> None:
    result = khabar("index", "add", str(PRICES), "--index", str(stored))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{stored}: 1 article added; now 3 articles, 30 passages"
    asked = khabar("ask", "--index", str(stored), "أسعار الطماطم في صنعاء")
    assert "أسعار الخضار ترتفع في أسواق صنعاء" in asked.stdout


def test_index_add_names_what_it_replaced(stored: Path) -> None:
    result = khabar("index", "add", str(FLOODS), "--index", str(stored))
    assert "(1 replaced: madaba-floods)" in result.stdout


def test_index_add_leaves_no_temporary_file(stored: Path) -> None:
    khabar("index", "add", str(PRICES), "--index", str(stored))
    assert sorted(p.name for p in stored.parent.iterdir()) == [".news.khabar.lock", "news.khabar"]


def test_index_add_without_an_index_is_one_line(tmp_path: Path) -> None:
    result = khabar("index", "add", str(PRICES), "--index", str(tmp_path / "none.khabar"))
    no_traceback(result)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1


def test_index_add_needs_the_index_named(tmp_path: Path) -> None:
    result = khabar("index", "add", str(PRICES))
    assert result.returncode == 2


@pytest.mark.parametrize("bad", ["latin1.txt", "missing.txt", "menu.html"])
def test_a_failed_add_leaves_the_index_as_it_was(stored: Path, tmp_path: Path, bad: str) -> None:
    (tmp_path / "latin1.txt").write_bytes("café\nun paragraphe\n".encode("latin-1"))
    (tmp_path / "menu.html").write_text("<html><body><nav>الرئيسية</nav></body></html>", "utf-8")
    before = stored.read_bytes()
    result = khabar("index", "add", str(tmp_path / bad), "--index", str(stored))
    no_traceback(result)
    assert (result.returncode, stored.read_bytes() == before) == (1, True)


def test_two_adds_at_once_both_land(stored: Path, tmp_path: Path) -> None:
    from conftest import ROOT, khabar_command, process_env

    one = article(tmp_path, "one", "مقال أول", "افتتح معرض الكتاب أبوابه للزوار.")
    two = article(tmp_path, "two", "مقال ثان", "أغلقت الأمطار الطرق الجبلية.")
    runs = [
        subprocess.Popen(
            [*khabar_command(), "index", "add", str(path), "--index", str(stored)],
            cwd=ROOT,
            env=process_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for path in (one, two)
    ]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    ids = {a.id for a in Engine.open(stored).articles}
    assert {"one", "two"} <= ids
