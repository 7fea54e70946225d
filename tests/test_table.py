"""A saved index gives back the very passages the chunker made."""

from pathlib import Path

import numpy as np
import pytest

from khabar.index.search import Engine
from khabar.index.store import IndexFileError


def test_round_trip_through_the_index_file_keeps_every_passage(tmp_path: Path) -> None:
    built = Engine.default()
    built.save(tmp_path / "i.khabar")
    opened = Engine.open(tmp_path / "i.khabar")
    assert list(opened.passages) == list(built.passages)  # pydantic equality, field by field
    assert list(opened.articles) == built.articles
    assert list(opened.timeline()) == list(built.timeline())
    assert opened.event_days() == built.event_days()
    question = "بماذا ندد الأمريكيون يوم 10 ديسمبر؟"
    assert opened.ask(question) == built.ask(question)


def test_an_opened_index_makes_an_article_only_when_it_is_read(tmp_path: Path) -> None:
    Engine.default().save(tmp_path / "i.khabar")
    opened = Engine.open(tmp_path / "i.khabar")
    assert opened.articles._made == {}  # type: ignore[attr-defined]


def test_an_article_read_twice_is_the_same_object(tmp_path: Path) -> None:
    Engine.default().save(tmp_path / "i.khabar")
    opened = Engine.open(tmp_path / "i.khabar")
    assert opened.articles[0] is opened.articles[0]


def test_a_damaged_article_is_one_clear_line_when_read(tmp_path: Path) -> None:
    path = tmp_path / "i.khabar"
    Engine.default().save(path)
    data = bytearray(path.read_bytes())
    data[data.index(b'{"id":') + 2] = ord("x")  # the article's JSON no longer has an id
    path.write_bytes(bytes(data))
    opened = Engine.open(path)
    with pytest.raises(IndexFileError, match=f"{path}: corrupt khabar index"):
        opened.articles[0]


def test_yearless_and_span_dates_survive_the_round_trip(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "عنوان\nفي 29 فبراير، حدث.\nنهاية ديسمبر، حدث آخر.\nفقرة بلا تاريخ.\n", encoding="utf-8"
    )
    built = Engine.build([tmp_path])
    built.save(tmp_path / "a.khabar")
    opened = Engine.open(tmp_path / "a.khabar")
    assert [(p.date, p.date_end, p.date_source) for p in opened.passages] == [
        ("--02-29", None, "explicit"),
        ("--12-21", "--12-31", "approximate"),
        ("--12-21", "--12-31", "inherited"),
    ]
    assert list(opened.passages) == list(built.passages)


def test_columns_that_do_not_fit_are_a_clear_error(tmp_path: Path) -> None:
    from khabar.index import store

    built = Engine.default()
    built.save(tmp_path / "ok.khabar")
    meta, scorers, columns = store.load(tmp_path / "ok.khabar")
    columns["paragraph"] = np.zeros(3, np.int32)
    store.save(tmp_path / "bad.khabar", meta, scorers, columns)
    with pytest.raises(IndexFileError, match=r"bad\.khabar"):
        Engine.open(tmp_path / "bad.khabar")
