"""A rebuilt index is served from the next question on: no restart, nothing half-read."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.processes import khabar_command
from test_cli import khabar
from tmux_terminal import Terminal

from khabar.bot.live import LiveIndex
from khabar.index.corpus import SEEDS
from khabar.index.search import Engine

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


def test_more_after_a_rebuild_says_the_articles_changed(console, index: Path) -> None:
    console.ask("حلب")
    console.wait_for_prompt(2)
    Engine.build([SEEDS, FLOODS]).save(index)
    console.ask("المزيد")
    screen = console.wait_for_prompt(3)
    assert "تغيّرت المقالات المفهرسة منذ هذا السؤال" in screen
