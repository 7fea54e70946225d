"""A rebuilt index is served from the next question on: no restart, nothing half-read."""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.processes import khabar_command
from test_cli import khabar
from tmux_terminal import Terminal

from khabar.bot.live import LiveIndex
from khabar.index.corpus import SEEDS
from khabar.index.search import Engine
from khabar.index.store import IndexFileError

FLOODS = Path(__file__).resolve().parent.parent / "bot" / "gold" / "articles" / "sudan-floods.txt"
QUESTION = "كم جثة انتشلت فرق الإنقاذ في الدمازين؟"


@pytest.fixture
def index(tmp_path: Path) -> Path:
    path = tmp_path / "news.idx"
    Engine.build([SEEDS]).save(path)
    return path


def test_the_old_index_does_not_know_the_new_article(index: Path) -> None:
    assert LiveIndex(index).current().ask(QUESTION).hits == []


def test_an_added_article_answers_without_a_restart(index: Path) -> None:
    live = LiveIndex(index)
    assert khabar("index", "add", str(FLOODS), "--index", str(index)).returncode == 0
    assert live.current().ask(QUESTION).hits[0].passage.source.article == "sudan-floods"


def test_each_replacement_is_a_new_generation(index: Path) -> None:
    live = LiveIndex(index)
    Engine.build([SEEDS, FLOODS]).save(index)
    live.current()
    assert live.generation == 1


def test_an_unchanged_file_is_not_reopened(index: Path) -> None:
    opened: list[object] = []

    def opener(path):
        opened.append(path)
        return Engine.open(path)

    live = LiveIndex(index, opener)
    for _ in range(3):
        live.current()
    assert len(opened) == 1


def test_a_broken_replacement_keeps_the_index_in_service(index: Path, caplog) -> None:
    live = LiveIndex(index)
    before = live.engine
    broken = index.with_name("broken.idx")
    broken.write_bytes(b"PK\x03\x04 not a whole index")
    os.replace(broken, index)
    with caplog.at_level(logging.WARNING, logger="khabar.live"):
        assert live.current() is before
        live.current()
    assert len([r for r in caplog.records if "not replaced" in r.message]) == 1


def overwrite_in_place(index: Path, data: bytes) -> None:
    """What ``cp`` or ``scp`` does to an index: the same file, its bytes rewritten."""
    with index.open("r+b") as file:
        file.truncate(0)
        file.write(data)


def test_an_index_overwritten_in_place_with_garbage_is_not_served(index: Path) -> None:
    """The engine in service reads the file's pages as it goes: once they are rewritten it
    cannot answer, so a question gets the error instead of bytes of the wrong index."""
    live = LiveIndex(index)
    overwrite_in_place(index, b"not an index at all")
    with pytest.raises(IndexFileError, match="overwritten in place"):
        live.current()


def test_an_index_overwritten_in_place_is_served_once_whole_again(index: Path) -> None:
    live = LiveIndex(index)
    whole = index.read_bytes()
    overwrite_in_place(index, whole[: len(whole) // 2])  # a copy half done
    with pytest.raises(IndexFileError):
        live.current()
    overwrite_in_place(index, whole)
    assert live.current().ask("متى سقط حي مساكن هنانو؟").hits != []


def test_ask_stops_with_a_message_when_its_index_is_overwritten(index: Path) -> None:
    """`khabar ask` reading questions from a pipe while the index is copied over."""
    process = subprocess.Popen(
        [*khabar_command(), "ask", "--index", str(index)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("متى سقط حي مساكن هنانو؟\n")
    process.stdin.flush()
    process.stdout.readline()  # the first answer is out
    overwrite_in_place(index, b"not an index at all")
    _, err = process.communicate("حلب\n", timeout=60)
    assert (process.returncode, "overwritten in place" in err, "Traceback" in err) == (
        1,
        True,
        False,
    )


def test_the_bundled_seeds_are_never_watched() -> None:
    assert LiveIndex(None).changed() is False


# ---- the console, in a real terminal ----------------------------------------------------------


@pytest.fixture
def console(tmp_path: Path, index: Path) -> Iterator[Terminal]:
    term = Terminal([*khabar_command(), "console", "--index", str(index)], tmp_path)
    term.wait_for_prompt(1)
    yield term
    term.close()


def test_the_console_answers_from_an_index_rebuilt_while_it_runs(console, index: Path) -> None:
    console.ask(QUESTION)
    console.wait_for_prompt(2)
    assert khabar("index", "add", str(FLOODS), "--index", str(index)).returncode == 0
    console.ask(QUESTION)
    screen = console.wait_for_prompt(3)
    assert "انتشلت جثث 12 شخصاً" in screen


def test_the_console_says_so_when_its_index_is_overwritten_and_goes_on(
    console, index: Path
) -> None:
    console.ask("حلب")
    console.wait_for_prompt(2)
    overwrite_in_place(index, b"not an index at all")
    console.ask("حلب")
    screen = console.wait_for_prompt(3)
    assert "overwritten in place" in screen


def test_the_console_answers_again_once_its_index_is_whole(console, index: Path) -> None:
    whole = index.read_bytes()
    overwrite_in_place(index, b"not an index at all")
    console.ask("حلب")
    console.wait_for_prompt(2)
    overwrite_in_place(index, whole)
    console.ask("متى سقط حي مساكن هنانو؟")
    screen = console.wait_for_prompt(3)
    assert "26 نوفمبر" in screen


def test_more_after_a_rebuild_says_the_articles_changed(console, index: Path) -> None:
    console.ask("حلب")
    console.wait_for_prompt(2)
    Engine.build([SEEDS, FLOODS]).save(index)
    console.ask("المزيد")
    screen = console.wait_for_prompt(3)
    assert "تغيّرت المقالات المفهرسة منذ هذا السؤال" in screen
