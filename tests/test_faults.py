"""The bot against a misbehaving Bot API: it recovers by itself, never answers twice, never exits.

The stand-in (:mod:`support.botapi`) serves 429s with ``retry_after``, 500s (Telegram's JSON or a
proxy's HTML page), connections dropped before a request is processed or in the middle of the
reply, and long polls held past the client's read timeout. "Recovered" means: every question
gets exactly one answer, the one it would have got without the fault, and the Application and
its Updater are still running afterwards.

Updates are handed out until a later getUpdates confirms them with its offset, so a failed
poll loses nothing; replies are sent *at most once*: a send is retried only when that is
harmless (a 429 or a 5xx: the server did nothing; a refused connection: nothing was sent), never
after a connection lost once the request went out, because Telegram may have delivered it.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from support.botapi import TOKEN, ApiError, BotApiStub, Call
from support.clock import FakeClock

from khabar.bot.telegram.callbacks import Example, encode

FIRST_EXAMPLE = encode(Example.of(0, "متى سقط حي مساكن هنانو؟"))  # the bundled /start's first

QUESTION = "متى سقط حي مساكن هنانو؟"
ANSWER_START = "في 26 نوفمبر 2016"
# What a misconfigured reverse proxy sends: HTML, and the request line with the token in it.
PROXY_PAGE = (
    f"<html><body><h1>500 Internal Server Error</h1><p>POST /bot{TOKEN}/sendMessage</p>"
    "</body></html>"
).encode()


# ---- helpers ------------------------------------------------------------------------------


@pytest.fixture
def retry_clock() -> FakeClock:
    """The bot's retry pauses are asked for, counted, and not waited out."""
    return FakeClock()


def answers(botapi: BotApiStub, chat: int) -> list[Call]:
    """Messages the user of ``chat`` received (a reply cut mid-way still reached them)."""
    return botapi.sent(chat)


async def all_answered(botapi: BotApiStub, chats, timeout: float = 20.0) -> None:
    await botapi.wait(lambda: all(answers(botapi, c) for c in chats), timeout=timeout)


async def quiet(botapi: BotApiStub, seconds: float = 0.5) -> None:
    """Every update confirmed, then a moment for anything late (a duplicate) to show up."""
    await botapi.wait(lambda: not botapi.pending(), timeout=20)
    await asyncio.sleep(seconds)


def still_running(app: Any) -> None:
    assert app.running
    assert app.updater.running


def exactly_one_real_answer(botapi: BotApiStub, chats) -> None:
    for chat in chats:
        texts = [c.visible for c in answers(botapi, chat)]
        assert len(texts) == 1, (chat, texts)
        assert texts[0].startswith(ANSWER_START), (chat, texts)


async def still_answers(botapi: BotApiStub, user: int) -> None:
    botapi.message(user, QUESTION)
    await all_answered(botapi, [user])
    assert [c.visible[:17] for c in answers(botapi, user)] == [ANSWER_START]


# ---- getUpdates: nothing is lost, nothing is handed out twice -------------------------------

# Five in a row outlast the transport's own retries (three, after 0.5, 1 and 2 s), so PTB's
# polling loop takes over too (it waits 1 s), and the fifth is retried again after 0.5 s.
RETRIED_TWICE = [0.5, 1.0, 2.0, 0.5]
GET_UPDATES_FAULTS = {
    "429": ({"kind": "429", "retry_after": 1}, 2, []),  # PTB's loop waits retry_after + 0.5 s
    "500": ({"kind": "500"}, 5, RETRIED_TWICE),
    "500-html": ({"kind": "500", "body": PROXY_PAGE}, 5, RETRIED_TWICE),
    "drop": ({"kind": "drop"}, 5, RETRIED_TWICE),
    "drop-mid-reply": ({"kind": "drop_mid_reply"}, 5, RETRIED_TWICE),
}


@pytest.mark.parametrize(
    ("fault", "times", "pauses"), GET_UPDATES_FAULTS.values(), ids=GET_UPDATES_FAULTS.keys()
)
async def test_polling_recovers_from_faults(
    start_bot, botapi: BotApiStub, retry_clock: FakeClock, fault, times, pauses
) -> None:
    users = range(101, 106)
    for user in users:
        botapi.message(user, QUESTION)
    botapi.inject("getUpdates", times=times, **fault)
    async with start_bot() as app:
        await all_answered(botapi, users)
        await quiet(botapi)
        assert len(botapi.faults_served("getUpdates")) == times
        assert retry_clock.slept == pauses
        exactly_one_real_answer(botapi, users)
        still_running(app)
        await still_answers(botapi, 106)


async def test_a_cut_reply_to_getupdates_hands_the_updates_out_again(
    start_bot, botapi: BotApiStub
) -> None:
    """The updates in a reply that never arrived are not confirmed: the next poll has them."""
    botapi.message(107, QUESTION)
    botapi.inject("getUpdates", "drop_mid_reply")
    async with start_bot():
        await all_answered(botapi, [107])
        await quiet(botapi)
    polls = botapi.calls_to("getUpdates", ok=None)
    cut = next(c for c in polls if c.fault == "drop_mid_reply")
    assert [u["update_id"] for u in cut.result] == [1]
    retried = polls[polls.index(cut) + 1]
    assert retried.params.get("offset", 0) <= 1
    assert [u["update_id"] for u in retried.result] == [1]
    exactly_one_real_answer(botapi, [107])


@pytest.mark.soak  # waits out PTB's read timeout: 6 s
async def test_a_long_poll_held_past_the_timeout_is_abandoned(
    start_bot, botapi: BotApiStub
) -> None:
    """The stand-in sits on a getUpdates longer than the client waits (its read timeout)."""
    botapi.message(108, QUESTION)
    botapi.inject("getUpdates", "hang", seconds=8)
    started = time.monotonic()
    async with start_bot() as app:
        await all_answered(botapi, [108], timeout=20)
        waited = time.monotonic() - started
        await quiet(botapi)
        still_running(app)
    assert botapi.faults_served("getUpdates")[0].fault == "hang"
    assert 4 < waited < 15  # PTB's read timeout for a 1 s long poll is 1 + 5 s
    exactly_one_real_answer(botapi, [108])


# ---- sending: retried when nothing was done, never sent twice --------------------------------

# (fault, how many in a row, the transport's pauses before the answer got through)
SEND_FAULTS = {
    "429": ({"kind": "429", "retry_after": 1}, 2, []),  # AIORateLimiter(max_retries=2) waits
    "500": ({"kind": "500"}, 3, [0.5, 1.0, 2.0]),  # RetryingRequest: three more tries
    "500-html": ({"kind": "500", "body": PROXY_PAGE}, 1, [0.5]),
    "drop-mid-reply": ({"kind": "drop_mid_reply"}, 1, []),  # delivered, the reply cut: no retry
}


@pytest.mark.parametrize(("fault", "times", "pauses"), SEND_FAULTS.values(), ids=SEND_FAULTS.keys())
async def test_a_failed_send_is_answered_exactly_once(
    start_bot, botapi: BotApiStub, retry_clock: FakeClock, fault, times, pauses
) -> None:
    botapi.inject("sendMessage", times=times, **fault)
    async with start_bot() as app:
        botapi.message(111, QUESTION)
        await all_answered(botapi, [111])
        await quiet(botapi)
        assert len(botapi.faults_served("sendMessage")) == times
        assert retry_clock.slept == pauses
        exactly_one_real_answer(botapi, [111])
        still_running(app)
        await still_answers(botapi, 112)


async def test_a_send_lost_on_the_way_is_not_repeated(
    start_bot, botapi: BotApiStub, retry_clock: FakeClock
) -> None:
    """A connection dropped after the request went out: Telegram may have delivered it, so the
    bot does not send again (at most once); it logs the loss and goes on serving."""
    botapi.inject("sendMessage", "drop")
    async with start_bot() as app:
        botapi.message(113, QUESTION)
        await botapi.wait(lambda: botapi.faults_served("sendMessage"))
        await quiet(botapi)
        assert answers(botapi, 113) == []
        assert len(botapi.calls_to("sendMessage", ok=None)) == 1
        assert retry_clock.slept == []
        still_running(app)
        await still_answers(botapi, 114)


async def test_button_and_typing_faults_do_not_cost_the_answer(
    start_bot, botapi: BotApiStub
) -> None:
    """The typing action and the button acknowledgement are best effort or retried."""
    botapi.inject("sendChatAction", "500", times=3)
    botapi.inject("answerCallbackQuery", "500")
    async with start_bot() as app:
        [start] = await _say(botapi, 115, "/start")
        query = botapi.press(115, botapi.bot_message(start), FIRST_EXAMPLE)
        await botapi.wait(lambda: len(answers(botapi, 115)) == 2)
        await quiet(botapi)
        assert botapi.callbacks[query]  # the tap stopped spinning
        assert answers(botapi, 115)[1].visible.startswith(f"❓ {QUESTION}")
        still_running(app)


async def _say(botapi: BotApiStub, user: int, text: str) -> list[Call]:
    before = len(answers(botapi, user))
    botapi.message(user, text)
    await botapi.wait(lambda: len(answers(botapi, user)) > before)
    return answers(botapi, user)[before:]


# ---- restart mid-stream -------------------------------------------------------------------


async def test_restart_mid_stream_answers_everything_once(start_bot, botapi: BotApiStub) -> None:
    """Stop the bot while replies are in flight and updates wait; a new bot takes over."""
    botapi.delay["sendMessage"] = 0.15  # keep replies in flight when the stop comes
    first, second = range(200, 230), range(230, 245)
    for user in first:
        botapi.message(user, QUESTION)
    async with start_bot():
        await botapi.wait(lambda: sum(bool(answers(botapi, u)) for u in first) >= 3)
        in_flight = sum(bool(answers(botapi, u)) for u in first)
    stopped_with = sum(bool(answers(botapi, u)) for u in first)
    for user in second:  # arrive while no bot is running
        botapi.message(user, QUESTION)
    await asyncio.sleep(0.3)
    assert sum(bool(answers(botapi, u)) for u in [*first, *second]) == stopped_with
    async with start_bot() as app:
        await all_answered(botapi, [*first, *second], timeout=30)
        await quiet(botapi)
        still_running(app)
    exactly_one_real_answer(botapi, [*first, *second])
    assert in_flight <= stopped_with  # the stop finished what it had fetched


@pytest.mark.parametrize("failure", ["too-old", "drop-mid-reply"])
async def test_a_failed_button_acknowledgement_does_not_cost_the_answer(
    start_bot, botapi: BotApiStub, failure: str
) -> None:
    """Acknowledging a tap only stops its spinner: if Telegram refuses it (a tap that waited
    too long, e.g. across a restart) or the reply is lost, the answer is still sent."""
    async with start_bot() as app:
        [start] = await _say(botapi, 116, "/start")
        if failure == "too-old":
            botapi.fail_next["answerCallbackQuery"] = ApiError(
                "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        else:
            botapi.inject("answerCallbackQuery", "drop_mid_reply")
        botapi.press(116, botapi.bot_message(start), FIRST_EXAMPLE)
        await botapi.wait(lambda: len(answers(botapi, 116)) == 2)
        await quiet(botapi)
        assert answers(botapi, 116)[1].visible.startswith(f"❓ {QUESTION}")
        assert len(answers(botapi, 116)) == 2
        still_running(app)


async def test_a_restart_while_confirmations_fail_answers_nothing_twice(
    start_bot, botapi: BotApiStub
) -> None:
    """The getUpdates that would confirm a batch fails, and the bot is stopped right then:
    its last-chance confirmation on the way out must get through, or the next bot answers the
    batch again."""
    armed: list[bool] = []

    def fail_the_confirmations(call: Call) -> None:
        if not armed and call.method == "getUpdates" and call.ok and call.result:
            armed.append(True)  # the next poll (it confirms this batch) and the one after fail
            botapi.inject("getUpdates", "500", times=2)

    botapi.on_call = fail_the_confirmations
    users = range(120, 123)
    for user in users:
        botapi.message(user, QUESTION)
    async with start_bot():
        await all_answered(botapi, users)
    assert botapi.faults_served("getUpdates")
    botapi.faults.clear()
    async with start_bot():
        await quiet(botapi)
    exactly_one_real_answer(botapi, users)
