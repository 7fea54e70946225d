"""General Arabic's word frequencies and the stopword set come from cached tables that say what
their sources say."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.processes import khabar_command, process_env
from wordfreq import get_frequency_dict, zipf_frequency

from khabar.index import analysis, frequency
from khabar.index.analysis import tokenize
from khabar.index.frequency import WordList
from khabar.index.normalize import normalize

# Spellings the table must tell apart or hand to wordfreq: hamza seats, ة/ه, ى/ي, a word
# wordfreq has never seen, tatweel, digits, Latin, a Persian kaf, a word wider than the table.
EDGES = (
    "مسؤول",
    "مسئول",
    "مسوول",
    "الأمم",
    "الامم",
    "مدينة",
    "مدينه",
    "على",
    "علي",
    "حلببببب",
    "الـحكومة",
    "2016",
    "2016م",
    "COVID",
    "کتاب",
    "الكورتيكوستيرويدات",
    "والإلكترومغناطيسية",
)


@pytest.fixture(scope="module")
def cached(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the table, as the first start leaves it (made once here)."""
    folder = tmp_path_factory.mktemp("cache")
    WordList.from_wordfreq().save(folder / frequency.table_name())
    return folder


@pytest.fixture(scope="module")
def table(cached: Path) -> WordList:
    return WordList.load(cached / frequency.table_name())


def copy_of(cached: Path, into: Path) -> Path:
    shutil.copytree(cached, into, dirs_exist_ok=True)
    return into


def article_words() -> list[str]:
    from khabar.index.search import Engine

    text = " ".join(p.text for p in Engine.open(None).passages)
    return sorted({*tokenize(text), *tokenize(normalize(text)), *EDGES})


def test_zipf_is_wordfreqs_for_every_word_of_an_article(table: WordList) -> None:
    words = article_words()
    assert [table.zipf(w) for w in words] == [zipf_frequency(w, "ar") for w in words]


def test_frequency_is_wordfreqs_dict_for_every_word_of_an_article(table: WordList) -> None:
    words, known = article_words(), get_frequency_dict("ar", "best")
    assert [table.frequency(w) for w in words] == [known.get(w, 0.0) for w in words]


def test_a_damaged_table_is_made_anew(cached: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KHABAR_CACHE", str(copy_of(cached, tmp_path)))
    (tmp_path / frequency.table_name() / "words.npy").write_bytes(b"\x93NUMPY not a table")
    frequency._open()
    again = WordList.load(tmp_path / frequency.table_name())
    assert again.zipf("الحكومة") == zipf_frequency("الحكومة", "ar") > 0


_ASK = (
    "import sys\n"
    "from khabar.index.search import Engine\n"
    "answer = Engine.open(None).ask('متى سقط حي مساكن هنانو؟')\n"
    "print(answer.hits[0].passage.date, 'wordfreq' in sys.modules)\n"
)


def test_a_start_with_the_table_cached_answers_without_unpacking_wordfreq(
    cached: Path, tmp_path: Path
) -> None:
    env = process_env(KHABAR_CACHE=str(copy_of(cached, tmp_path)))
    done = subprocess.run(
        [sys.executable, "-c", _ASK], env=env, capture_output=True, text=True,
        encoding="utf-8", timeout=120, check=True,
    )  # fmt: skip
    assert done.stdout.split() == ["2016-11-26", "False"]


def test_the_first_start_caches_the_table(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KHABAR_CACHE", str(tmp_path))
    frequency._open()
    assert (tmp_path / frequency.table_name() / "words.npy").is_file()


def test_a_cache_that_cannot_be_written_still_answers(tmp_path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    done = subprocess.run(
        [*khabar_command(), "ask", "متى سقط حي مساكن هنانو؟"],
        env=process_env(KHABAR_CACHE=str(blocked / "khabar")),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert (done.returncode, done.stderr, "26 نوفمبر 2016" in done.stdout) == (0, "", True)


def test_frequencies_of_many_words_are_each_ones_frequency(table: WordList) -> None:
    words = article_words()
    assert list(table.frequencies(words).values()) == [table.frequency(w) for w in words]


@pytest.fixture
def made_stopwords() -> frozenset[str]:
    return analysis._made_stopwords()


def stopword_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("stopwords-*.txt"))


def test_the_stopwords_read_from_the_cache_are_the_ones_made(
    tmp_path: Path, monkeypatch, made_stopwords: frozenset[str]
) -> None:
    monkeypatch.setenv("KHABAR_CACHE", str(tmp_path))
    analysis._stopwords()  # the first start writes them
    assert analysis._read_words(stopword_files(tmp_path)[0]) == made_stopwords


def test_a_damaged_stopword_file_is_made_anew(
    tmp_path: Path, monkeypatch, made_stopwords: frozenset[str]
) -> None:
    monkeypatch.setenv("KHABAR_CACHE", str(tmp_path))
    analysis._stopwords()
    [written] = stopword_files(tmp_path)
    written.write_text(written.read_text(encoding="utf-8")[:5000], encoding="utf-8")
    assert analysis._stopwords() == made_stopwords


def test_stopwords_older_code_made_are_removed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KHABAR_CACHE", str(tmp_path))
    (tmp_path / "stopwords-0123456789abcdef.txt").write_text("1\nحلب", encoding="utf-8")
    analysis._stopwords()
    assert [p.name for p in stopword_files(tmp_path)] == [
        f"stopwords-{analysis._stopwords_key()}.txt"
    ]


def test_a_second_start_reads_the_stopwords_without_importing_their_list(tmp_path: Path) -> None:
    check = _ASK.replace("'wordfreq' in sys.modules", "'arabicstopwords' in sys.modules")
    env = process_env(KHABAR_CACHE=str(tmp_path))
    starts = [
        subprocess.run(
            [sys.executable, "-c", check], env=env, capture_output=True, text=True,
            encoding="utf-8", timeout=120, check=True,
        ).stdout.split()
        for _ in range(2)
    ]  # fmt: skip
    assert starts == [["2016-11-26", "True"], ["2016-11-26", "False"]]
