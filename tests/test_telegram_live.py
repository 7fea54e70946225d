"""The bot serves a rebuilt index while people ask: no restart, nothing lost or answered twice.

The real Application polls the local Bot API stand-in; the index file is rebuilt under it the
way `khabar index build`/`add` do it (a temporary file renamed over the old one).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from support.botapi import BotApiStub
from test_live import overwrite_in_place
from test_telegram_e2e import answered_text, buttons, press, say

from khabar.bot.live import LiveIndex
from khabar.bot.telegram.callbacks import More, encode
from khabar.bot.telegram.texts import ARTICLES_CHANGED, INDEX_UNAVAILABLE
from khabar.index.corpus import SEEDS
from khabar.index.search import Engine

FLOODS = Path(__file__).resolve().parent.parent / "bot" / "gold" / "articles" / "sudan-floods.txt"
NEW_QUESTION = "كم جثة انتشلت فرق الإنقاذ في الدمازين؟"
USERS = range(300, 320)
ASKED = ("متى سقط حي مساكن هنانو؟", "ماذا أكدت منظمة الصحة العالمية؟", NEW_QUESTION)


@pytest.fixture
def index(tmp_path: Path) -> Path:
    path = tmp_path / "news.idx"
    Engine.build([SEEDS]).save(path)
    return path


def rebuild(index: Path) -> None:
    Engine.build([SEEDS, FLOODS]).save(index)


async def test_a_rebuild_while_twenty_users_ask(start_bot, botapi: BotApiStub, index: Path) -> None:
    live = LiveIndex(index)
    async with start_bot(index=live, KHABAR_RELOAD_SECONDS=0.05):
        for round_ in range(len(ASKED)):
            for user in USERS:
                botapi.message(user, ASKED[(user + round_) % len(ASKED)])
            if round_ == 1:
                await asyncio.to_thread(rebuild, index)
        await botapi.wait(lambda: all(len(botapi.sent(u)) >= len(ASKED) for u in USERS))
        await asyncio.sleep(0.5)  # anything answered twice would have been sent by now
        counts = {u: len(botapi.sent(u)) for u in USERS}
        assert counts == dict.fromkeys(USERS, len(ASKED))  # every update answered, once


async def test_after_a_rebuild_the_new_article_answers(
    start_bot, botapi: BotApiStub, index: Path
) -> None:
    live = LiveIndex(index)
    async with start_bot(index=live, KHABAR_RELOAD_SECONDS=0.05):
        [before] = await say(botapi, 400, NEW_QUESTION)
        await asyncio.to_thread(rebuild, index)
        await botapi.wait(lambda: live.generation == 1)
        [after] = await say(botapi, 400, NEW_QUESTION)
    assert "لا يتناول" in before.visible
    assert "انتشلت جثث 12 شخصاً" in after.visible


async def test_more_from_before_a_rebuild_says_the_articles_changed(
    start_bot, botapi: BotApiStub, index: Path
) -> None:
    live = LiveIndex(index)
    async with start_bot(index=live, KHABAR_RELOAD_SECONDS=0.05):
        [first] = await say(botapi, 401, "قوات النظام")
        [(_, data)] = buttons(first)
        await asyncio.to_thread(rebuild, index)
        await botapi.wait(lambda: live.generation == 1)
        query = await press(botapi, 401, first, data)
    assert answered_text(botapi, query) == ARTICLES_CHANGED


def test_the_more_button_still_fits_telegrams_limit() -> None:
    assert len(encode(More("abcdefgh", 999_999)).encode()) <= 64


async def test_an_index_overwritten_in_place_gets_a_reply_not_a_crash(
    start_bot, botapi: BotApiStub, index: Path
) -> None:
    live = LiveIndex(index)
    async with start_bot(index=live, KHABAR_RELOAD_SECONDS=0.05):
        overwrite_in_place(index, b"not an index at all")
        [reply] = await say(botapi, 402, "حلب")
    assert reply.visible == INDEX_UNAVAILABLE


async def test_an_index_whole_again_answers_again(
    start_bot, botapi: BotApiStub, index: Path
) -> None:
    live = LiveIndex(index)
    whole = index.read_bytes()
    async with start_bot(index=live, KHABAR_RELOAD_SECONDS=0.05):
        overwrite_in_place(index, b"not an index at all")
        await say(botapi, 403, "حلب")
        overwrite_in_place(index, whole)
        [again] = await say(botapi, 403, "متى سقط حي مساكن هنانو؟")
    assert "26 نوفمبر" in again.visible
