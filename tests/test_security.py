"""What a stranger can and cannot do: the webhook's gate, secrets kept out of logs and error
messages (also when the network fails), flood control, the allow-list, and index files that
are data, never code."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import pickle
import statistics
import time
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from support.botapi import TOKEN, ApiError, BotApiStub
from support.clock import FakeClock
from support.processes import free_port
from support.settings import WEBHOOK_SECRET, make_settings

from khabar.bot.telegram.app import build_application
from khabar.bot.telegram.callbacks import Example, encode
from khabar.bot.telegram.paging import FloodGate
from khabar.bot.telegram.texts import FLOOD, NOT_ALLOWED

FIRST_EXAMPLE = encode(Example.of(0, "متى سقط حي مساكن هنانو؟"))  # the bundled /start's first

SECRET = WEBHOOK_SECRET
QUESTION = "متى سقط حي مساكن هنانو؟"
ANSWER_START = "في 26 نوفمبر 2016"
TOKEN_SECRET_PART = TOKEN.split(":")[1]


@pytest.fixture
def retry_clock() -> FakeClock:
    """Retries run out at once: the logs are the point here, not the pauses."""
    return FakeClock()


def leaks(text: str) -> list[str]:
    """Which secrets (or their URL-encoded forms) appear in ``text``."""
    found = []
    for name, value in (("token", TOKEN_SECRET_PART), ("webhook secret", SECRET)):
        if value in text or value.replace(":", "%3A") in text:
            found.append(name)
    return found


def logged(caplog) -> str:
    """Everything the records say, tracebacks included, as a handler would write it."""
    lines = [caplog.text]
    for record in caplog.records:
        lines.append(record.getMessage())
        if record.exc_text:
            lines.append(record.exc_text)
    return "\n".join(lines)


# ---- the webhook: a secret, then a JSON object, or nothing gets in ----------------------------


@pytest.fixture
async def webhook_bot(start_webhook) -> AsyncIterator[str]:
    """The real Application behind the real webhook server, on 127.0.0.1: where to POST."""
    async with start_webhook(KHABAR_WEBHOOK_SECRET=SECRET) as hook:
        yield hook.url
        assert hook.application.running


def update_body(botapi: BotApiStub, user: int, text: str = QUESTION, update_id: int = 1) -> dict:
    return {"update_id": update_id, "message": botapi.message(user, text, deliver=False)}


async def post(url: str, body: bytes | str | dict, headers: dict[str, str] | None = None) -> int:
    headers = {"Content-Type": "application/json", **(headers or {})}
    async with httpx.AsyncClient(timeout=5) as client:
        if isinstance(body, dict):
            response = await client.post(url, json=body, headers=headers)
        else:
            response = await client.post(url, content=body, headers=headers)
    return response.status_code


WITH_SECRET = {"X-Telegram-Bot-Api-Secret-Token": SECRET}


async def test_webhook_refuses_requests_without_the_secret(
    webhook_bot: str, botapi: BotApiStub
) -> None:
    update = update_body(botapi, 41)
    assert await post(webhook_bot, update) == 403
    assert await post(webhook_bot, update, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}) == 403
    assert await post(webhook_bot, update, {"X-Telegram-Bot-Api-Secret-Token": SECRET[:-1]}) == 403
    upper = {"X-Telegram-Bot-Api-Secret-Token": SECRET.upper()}
    assert await post(webhook_bot, update, upper) == 403
    await asyncio.sleep(0.3)
    assert botapi.sent(41) == []
    assert await post(webhook_bot, update, WITH_SECRET) == 200
    [reply] = await botapi.wait(lambda: botapi.sent(41))
    assert reply.visible.startswith(ANSWER_START)


BAD_BODIES = {
    "not-json": b"this is not json",
    "html": b"<html><body>hello</body></html>",
    "truncated": b'{"update_id": 5, "message": {',
    "not-utf8": b"\xff\xfe\x00{\x80",
    "empty": b"",
    "array": b"[]",
    "number": b"42",
    "string": b'"update"',
    "object-without-update-id": b'{"hello": "world"}',
    "deeply-nested": b"[" * 100_000 + b"]" * 100_000,
}


async def test_a_redelivered_update_is_acknowledged_and_answered_once(
    webhook_bot: str, botapi: BotApiStub
) -> None:
    """Telegram sends an update again when it saw no 200 (a proxy timed out, say)."""
    update = update_body(botapi, 43, update_id=77)
    assert await post(webhook_bot, update, WITH_SECRET) == 200
    assert await post(webhook_bot, update, WITH_SECRET) == 200
    await botapi.wait(lambda: botapi.sent(43))
    await asyncio.sleep(0.5)
    assert len(botapi.sent(43)) == 1


async def test_webhook_answers_4xx_to_bodies_that_are_not_updates_and_keeps_serving(
    webhook_bot: str, botapi: BotApiStub, caplog
) -> None:
    """With the right secret, a body that is not an update is the sender's mistake: 4xx (a 5xx
    would make a real sender retry it forever), nothing is processed, and the bot goes on."""
    statuses = {
        name: await post(webhook_bot, body, WITH_SECRET) for name, body in BAD_BODIES.items()
    }
    assert {name: 400 <= s < 500 for name, s in statuses.items()} == dict.fromkeys(
        BAD_BODIES, True
    ), statuses
    wrong_type = await post(webhook_bot, b"{}", {**WITH_SECRET, "Content-Type": "text/plain"})
    assert wrong_type == 403
    assert await post(webhook_bot, update_body(botapi, 42), WITH_SECRET) == 200
    [reply] = await botapi.wait(lambda: botapi.sent(42))
    assert reply.visible.startswith(ANSWER_START)
    assert len(botapi.calls_to("sendMessage")) == 1
    assert leaks(logged(caplog)) == []


# ---- secrets stay out of logs and error messages, also when the network fails ---------------

# What a misconfigured reverse proxy answers: HTML quoting the request line, token included.
PROXY_PAGE = f"<html><h1>502 Bad Gateway</h1><p>POST /bot{TOKEN}/getUpdates</p></html>".encode()


@contextlib.contextmanager
def chatty_httpx():
    """httpx logging every request URL (token included), as if someone turned it back on."""
    loggers = [logging.getLogger(name) for name in ("httpx", "httpcore")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


async def test_faults_never_put_the_token_in_the_logs(
    start_bot, botapi: BotApiStub, caplog
) -> None:
    """Each fault in turn, with retries run out so PTB and the bot log what they got."""
    caplog.set_level(logging.DEBUG)
    plan = [
        ("getUpdates", "500", 4, {"body": PROXY_PAGE}),  # outlasts the retries: logged
        ("getUpdates", "drop", 1, {}),  # retried at once: the retry is logged
        ("getUpdates", "drop_mid_reply", 1, {}),
        ("sendMessage", "500", 4, {"body": PROXY_PAGE}),  # the answer is lost, and logged
        ("sendMessage", "drop", 1, {}),  # lost on the way: not repeated, logged
        ("sendMessage", "drop_mid_reply", 1, {}),  # delivered, the reply cut: logged
    ]
    with chatty_httpx():
        async with start_bot() as app:
            for user, (method, kind, times, options) in enumerate(plan, start=51):
                served = len(botapi.faults_served(method))
                botapi.inject(method, kind, times=times, **options)
                botapi.message(user, QUESTION)
                await botapi.wait(
                    lambda m=method, n=served + times: len(botapi.faults_served(m)) >= n
                )
                await botapi.wait(lambda: not botapi.pending())
            botapi.message(60, QUESTION)
            await botapi.wait(lambda: botapi.sent(60), timeout=20)
            assert app.running
            assert app.updater.running
    text = logged(caplog)
    assert "Bad Gateway" in text  # the page was logged, redacted
    assert "[REDACTED]" in text
    assert "RemoteProtocolError" in text  # the dropped connections were logged too
    assert leaks(text) == []


@pytest.mark.parametrize("kind", ["drop", "drop_mid_reply", "read-timeout", "refused"])
async def test_transport_errors_do_not_quote_the_url(
    botapi: BotApiStub, bundled_engine, retry_clock: FakeClock, kind: str
) -> None:
    """httpx's and PTB's texts for a lost connection or a timeout name no URL, so no token."""
    from telegram.error import NetworkError

    base = botapi.base_url
    if kind == "refused":
        base = f"http://127.0.0.1:{free_port()}/bot"  # nothing listens there
    elif kind == "read-timeout":
        botapi.delay["sendMessage"] = 2
    else:
        botapi.inject("sendMessage", kind)
    settings = make_settings(TELEGRAM_API_BASE_URL=base)
    botapi.message(56, "حلب", deliver=False)  # the stand-in knows the chat
    application = build_application(settings, bundled_engine, sleep=retry_clock.sleep)
    with pytest.raises(NetworkError) as caught:
        await application.bot.send_message(56, "مرحبا", read_timeout=0.5)
    chain = [caught.value, caught.value.__cause__, caught.value.__context__]
    texts = " ".join(f"{e!s} {e!r}" for e in chain if e is not None)
    assert texts.strip(), texts
    assert leaks(texts) == [], texts
    assert "/bot" not in texts, texts


def test_the_process_logs_faults_without_the_token(botapi: BotApiStub, bot_process) -> None:
    """`khabar telegram` as deployed: its stderr through a proxy's 502 page and lost sends."""
    botapi.inject("getUpdates", "500", times=4, body=PROXY_PAGE)  # outlasts the retries
    botapi.inject("getUpdates", "drop")
    botapi.inject("sendMessage", "drop")
    botapi.message(57, QUESTION)
    bot = bot_process()
    try:
        botapi.wait_sync(lambda: botapi.faults_served("sendMessage"), timeout=30)
        botapi.message(58, QUESTION)
        [reply] = botapi.wait_sync(lambda: botapi.sent(58), timeout=30)
        assert reply.visible.startswith(ANSWER_START)
        assert bot.alive  # faults never stop the process
    finally:
        code = bot.stop()
    err = bot.stderr()
    assert code == 0, err
    assert "Bad Gateway" in err
    assert "[REDACTED]" in err
    assert "RemoteProtocolError" in err
    assert leaks(err) == [], err


async def test_webhook_faults_never_log_the_secret(
    botapi: BotApiStub, start_webhook, caplog, retry_clock: FakeClock
) -> None:
    """setWebhook carries the secret: a proxy page echoing the request body stays redacted."""
    caplog.set_level(logging.DEBUG)
    echo = f"<html>502 Bad Gateway: url=...&secret_token={SECRET}</html>".encode()
    botapi.inject("setWebhook", "500", times=4, body=echo)  # retries run out, bootstrap retries
    with chatty_httpx():
        async with start_webhook(KHABAR_WEBHOOK_SECRET=SECRET):
            assert botapi.webhook["secret_token"] == SECRET
    assert len(botapi.faults_served("setWebhook")) == 4
    text = logged(caplog)
    assert "[REDACTED]" in text
    assert leaks(text) == []


def test_settings_never_show_secrets() -> None:
    settings = make_settings(
        KHABAR_WEBHOOK_URL="https://example.org/hook", KHABAR_WEBHOOK_SECRET=SECRET
    )
    assert leaks(repr(settings)) == []
    assert leaks(str(settings)) == []
    assert leaks(settings.model_dump_json()) == []


# ---- flood control: one user's flood costs the others nothing --------------------------------


async def latency(botapi: BotApiStub, user: int, text: str = QUESTION) -> float:
    """Seconds from a question being queued to its first answer arriving."""
    before = len(botapi.sent(user))
    queued = time.monotonic()
    botapi.message(user, text)
    await botapi.wait(lambda: len(botapi.sent(user)) > before, timeout=20)
    return botapi.sent(user)[before].at - queued


async def probe(botapi: BotApiStub, users, seconds: float) -> list[float]:
    """Latencies of ``users`` asking together every half second for ``seconds``."""
    found: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found.extend(await asyncio.gather(*(latency(botapi, u) for u in users)))
        await asyncio.sleep(0.5)
    return found


@pytest.mark.soak  # a latency measurement: its figures are in the README
async def test_a_flooding_user_does_not_delay_the_others(start_bot, botapi: BotApiStub) -> None:
    """100 messages a second from one user for 2 s: the others are answered as fast as without
    it, and the flooder gets its first answers and one polite notice, then silence."""
    others, flooder = (61, 62, 63), 60
    async with start_bot():
        await latency(botapi, 66)  # warm up: the first answer pays for thread start-up
        calm = await probe(botapi, others, 2.0)

        async def flood() -> None:
            for _ in range(200):
                botapi.message(flooder, "حلب")
                await asyncio.sleep(0.01)

        flooding = asyncio.create_task(flood())
        stormy = await probe(botapi, others, 2.0)
        await flooding
        await botapi.wait(lambda: not botapi.pending())
        await asyncio.sleep(0.5)
    print(
        f"\nflood: others' latency calm median {statistics.median(calm) * 1000:.0f} ms, "
        f"max {max(calm) * 1000:.0f} ms; during the flood median "
        f"{statistics.median(stormy) * 1000:.0f} ms, max {max(stormy) * 1000:.0f} ms"
    )
    limit = FloodGate().limit
    texts = [c.visible for c in botapi.sent(flooder)]
    notices = [t for t in texts if t == FLOOD.format(seconds=30)]
    assert len(notices) == 1, texts
    assert len(texts) == limit + 1, texts
    assert len(stormy) >= 9  # the others asked throughout the flood
    # Ratios with generous slack (a shared 2-core box jitters); answering behind a queue of
    # 200 questions would take seconds.
    assert statistics.median(stormy) <= 2 * statistics.median(calm) + 0.05, (calm, stormy)
    assert max(stormy) <= 3 * max(calm) + 0.3, (calm, stormy)


# ---- the allow-list ---------------------------------------------------------------------------

ALLOWED_GROUP, OTHER_GROUP = -1000000000777, -1000000000888


async def test_allow_list_covers_buttons_inline_and_groups(start_bot, botapi: BotApiStub) -> None:
    mention = f"@{botapi.bot_user['username']} {QUESTION}"
    async with start_bot(KHABAR_ALLOWED_IDS=f"71,{ALLOWED_GROUP}"):
        stranger_message = botapi.message(72, "حلب", deliver=False)
        tap = botapi.press(72, stranger_message, FIRST_EXAMPLE)
        inline = botapi.inline(72, "مساكن هنانو")
        await botapi.wait(lambda: botapi.callbacks[tap] and botapi.inline_queries[inline])
        # A listed group answers anyone in it; a listed user is answered in any group.
        botapi.message(73, mention, chat_id=ALLOWED_GROUP, chat_type="supergroup")
        botapi.message(71, mention, chat_id=OTHER_GROUP, chat_type="supergroup")
        botapi.message(73, mention, chat_id=OTHER_GROUP, chat_type="supergroup")
        await botapi.wait(lambda: botapi.sent(ALLOWED_GROUP) and botapi.sent(OTHER_GROUP))
        await botapi.wait(lambda: not botapi.pending())
        await asyncio.sleep(0.3)
    [tapped] = [c for c in botapi.calls_to("answerCallbackQuery")]
    assert tapped.params.get("text") == NOT_ALLOWED
    [answer] = botapi.calls_to("answerInlineQuery")
    assert answer.params["results"] == []
    assert answer.params.get("is_personal") is True
    assert botapi.sent(72) == []  # no message, no typing, for the stranger's tap
    assert all(c.params["chat_id"] != 72 for c in botapi.calls_to("sendChatAction"))
    [in_allowed_group] = botapi.sent(ALLOWED_GROUP)
    [allowed_user_elsewhere] = botapi.sent(OTHER_GROUP)  # the stranger there: silence
    assert in_allowed_group.visible.startswith(ANSWER_START)
    assert allowed_user_elsewhere.visible.startswith(ANSWER_START)
    reply_to = allowed_user_elsewhere.params["reply_parameters"]["message_id"]
    assert botapi.messages[(OTHER_GROUP, reply_to)]["from"]["id"] == 71


# ---- index files are data: a pickle inside is refused, never run -----------------------------


class Boobytrap:
    """Unpickling this creates ``path``: the proof that a loader executed the file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (str(self.path), "w"))


@pytest.fixture(scope="module")
def good_index(tmp_path_factory, bundled_engine) -> Path:
    path = tmp_path_factory.mktemp("index") / "khabar.idx"
    bundled_engine.save(path)
    return path


def booby_trapped(good: Path, target: Path, entry: str, marker: Path) -> None:
    """``good`` with one array replaced by an object array holding a :class:`Boobytrap`."""
    trap = np.empty(1, dtype=object)
    trap[0] = Boobytrap(marker)
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(target, "w") as out:
        names = source.namelist()
        assert f"{entry}.npy" in names, names
        for name in names:
            if name == f"{entry}.npy":
                buffer = io.BytesIO()
                np.save(buffer, trap, allow_pickle=True)
                out.writestr(name, buffer.getvalue())
            else:
                out.writestr(name, source.read(name))


def index_entries(good: Path) -> list[str]:
    with zipfile.ZipFile(good) as archive:
        return [name.removesuffix(".npy") for name in archive.namelist()]


def test_the_boobytrap_is_live(good_index: Path, tmp_path: Path) -> None:
    """The control: a loader that does unpickle runs the payload."""
    marker, crafted = tmp_path / "pwned", tmp_path / "crafted.idx"
    booby_trapped(good_index, crafted, "meta", marker)
    with np.load(crafted, allow_pickle=True) as archive:
        archive["meta"]
    assert marker.exists()


def test_an_index_with_a_pickled_object_is_refused_and_runs_nothing(
    good_index: Path, tmp_path: Path
) -> None:
    from khabar.index.search import Engine
    from khabar.index.store import IndexFileError, load

    entries = index_entries(good_index)
    assert {"khabar", "format_version", "header", "meta"} <= set(entries)
    for entry in entries:  # whichever array holds the pickle
        marker, crafted = tmp_path / f"pwned-{entry}", tmp_path / f"{entry}.idx"
        booby_trapped(good_index, crafted, entry, marker)
        for opener in (load, Engine.open):
            with pytest.raises(IndexFileError) as refused:
                opener(crafted)
            assert str(crafted) in str(refused.value)
            assert "\n" not in str(refused.value)
        assert not marker.exists(), entry


def test_a_bare_pickle_is_not_an_index(tmp_path: Path) -> None:
    from khabar.index.search import Engine
    from khabar.index.store import IndexFileError

    marker, crafted = tmp_path / "pwned", tmp_path / "pickle.idx"
    crafted.write_bytes(pickle.dumps(Boobytrap(marker)))
    npy = tmp_path / "array.idx"
    trap = np.empty(1, dtype=object)
    trap[0] = Boobytrap(marker)
    with npy.open("wb") as out:
        np.save(out, trap, allow_pickle=True)
    for path in (crafted, npy):
        with pytest.raises(IndexFileError):
            Engine.open(path)
    assert not marker.exists()


# ---- the gate fails closed: a refusal or a notice that cannot be sent lets nothing through -----

TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


async def test_a_lost_refusal_does_not_let_a_stranger_in(start_bot, botapi: BotApiStub) -> None:
    async with start_bot(KHABAR_ALLOWED_IDS="71"):
        botapi.inject("sendMessage", "drop")  # the refusal is lost on the way
        botapi.message(74, QUESTION)
        await botapi.wait(lambda: botapi.faults_served("sendMessage"))
        botapi.fail_next["answerCallbackQuery"] = ApiError(TOO_OLD)  # the tap's refusal fails
        botapi.press(74, botapi.message(74, "حلب", deliver=False), FIRST_EXAMPLE)
        await botapi.wait(lambda: botapi.calls_to("answerCallbackQuery", ok=False))
        await botapi.wait(lambda: not botapi.pending())
        await asyncio.sleep(0.5)
    to_stranger = [c for c in botapi.calls if c.params.get("chat_id") == 74]
    assert [(c.method, c.fault) for c in to_stranger] == [("sendMessage", "drop")]


async def test_a_lost_flood_notice_does_not_let_the_flood_through(
    start_bot, botapi: BotApiStub
) -> None:
    gate = FloodGate(limit=2, window=60, mute=60)
    async with start_bot(flood=gate):
        for _ in range(2):
            before = len(botapi.sent(75))
            botapi.message(75, QUESTION)
            await botapi.wait(lambda b=before: len(botapi.sent(75)) > b)
        botapi.inject("sendMessage", "drop")  # the notice is lost on the way
        botapi.message(75, QUESTION)
        await botapi.wait(lambda: botapi.faults_served("sendMessage"))
        await botapi.wait(lambda: not botapi.pending())
        await asyncio.sleep(0.5)
    assert [c.visible[:17] for c in botapi.sent(75)] == [ANSWER_START] * 2
    assert len(botapi.calls_to("sendMessage", ok=None)) == 3
