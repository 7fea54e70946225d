"""Soak: `khabar telegram` as deployed, serving thousands of updates through the stand-in.

* 5,000 updates from 200 users at a steady pace: every one answered exactly once, the bot
  process' memory flat after warm-up (RSS at 1k and 5k), p95 handling time (update queued in
  the stand-in → its answer arriving there).
* Chaos: the same traffic with faults injected all along and a restart (SIGTERM, then a new
  process) in the middle: every update still answered exactly once, the process never exits.

Both run only with ``make soak`` (``pytest -m soak -s``) and print their figures. The pace
stays under what the bot's AIORateLimiter lets through (30 requests/s to chats, two per
question with the typing action), so the figures measure the bot, not a queue in front of it.
``KHABAR_SOAK_UPDATES`` and ``KHABAR_SOAK_RATE`` shrink a run while working on it.
"""

from __future__ import annotations

import os
import random
import statistics
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field

import pytest
from support.botapi import TOKEN, BotApiStub, Call
from support.figures import record
from support.settings import make_settings

from khabar.bot.live import LiveIndex
from khabar.bot.replies import MAX_EXAMPLES, examples
from khabar.bot.telegram.callbacks import Example, encode

pytestmark = pytest.mark.soak

UPDATES = int(os.environ.get("KHABAR_SOAK_UPDATES", "5000"))
USERS = 200
RATE = float(os.environ.get("KHABAR_SOAK_RATE", "14"))  # updates offered per second
FIRST_USER = 10_000

# Every message here is answered with exactly one message (checked before the run).
QUESTIONS = [
    "متى سقط حي مساكن هنانو؟",
    "من استخدم الفيتو في مجلس الأمن؟",
    "حلب",
    "ماذا حدث في 6 ديسمبر؟",
    "المستشفيات",
    "ما هو سعر الذهب اليوم؟",
    "متى استعاد النظام المدينة القديمة؟",
    "هجوم واسع ٢٦ تشرين الثاني",
]
COMMANDS = ["/date 10 ديسمبر", "/date 9 ديسمبر", "/start", "/help", "/source", "/timeline"]
INLINE = ["مساكن هنانو", "الفيتو", "", "سعر الذهب"]
# the bundled article's examples, as its sidecar lists them
EXAMPLES = [
    "متى سقط حي مساكن هنانو؟",
    "ماذا حدث في 10 كانون الأول؟",
    "من استخدم الفيتو في مجلس الأمن؟",
]


@dataclass
class Traffic:
    """What was sent, and what came back, per user; fed by the stand-in's call hook."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    expected: Counter = field(default_factory=Counter)  # chat → messages it should receive
    received: Counter = field(default_factory=Counter)  # chat → messages it received
    waiting: dict = field(default_factory=dict)  # chat or inline id → times its updates queued
    latencies: list = field(default_factory=list)  # message and button updates
    inline_latencies: list = field(default_factory=list)
    overlaps: int = 0  # a user's update queued while the previous one was unanswered
    answered: int = 0
    pushed: int = 0

    def queued(self, key: object, at: float, messages: int = 1) -> None:
        with self.lock:
            self.pushed += 1
            if isinstance(key, int):
                self.expected[key] += messages
            if self.waiting.get(key):
                self.overlaps += 1
            self.waiting.setdefault(key, deque()).append(at)

    def unanswered(self) -> dict:
        with self.lock:
            return {key: len(times) for key, times in self.waiting.items() if times}

    def all_answered(self, botapi: BotApiStub, timeout: float) -> None:
        try:
            botapi.wait_sync(lambda: self.answered >= self.pushed, timeout=timeout)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; unanswered: {self.unanswered()}") from None

    def on_call(self, call: Call) -> None:
        if not call.ok:
            return
        if call.method == "sendMessage":
            key, into = call.params["chat_id"], self.latencies
            with self.lock:
                self.received[key] += 1
        elif call.method == "answerInlineQuery":
            key, into = call.params["inline_query_id"], self.inline_latencies
        else:
            return
        with self.lock:
            waiting = self.waiting.get(key)
            if waiting:  # the oldest unanswered update of that user (pages after it: none)
                into.append(call.at - waiting.popleft())
                self.answered += 1


def expect_single_messages(bundled_engine) -> None:
    """Every question and /date phrase in the pool renders to exactly one message."""
    from khabar.bot.telegram.answers import Answers
    from khabar.bot.telegram.paging import Request

    answers = Answers(LiveIndex.serving(bundled_engine), make_settings().top_k)
    phrases = [*QUESTIONS, *(c.removeprefix("/date ") for c in COMMANDS if c.startswith("/date"))]
    for text in phrases:
        assert len(answers.render(Request("ask", text)).pages) == 1, text
    assert examples(bundled_engine) == EXAMPLES
    for example in EXAMPLES:
        assert len(answers.render(Request("ask", example), 0, f"❓ {example}").pages) == 1, example


def push_one(botapi: BotApiStub, traffic: Traffic, rng: random.Random, user: int) -> None:
    """One update from ``user``: mostly questions, some commands, taps and inline queries."""
    roll = rng.random()
    last = botapi.sent(user)[-1] if roll < 0.1 and traffic.received[user] else None
    if last is not None:  # tap an example button under one of the bot's messages
        botapi.press(
            user,
            botapi.bot_message(last),
            encode(Example.of(n := rng.randrange(MAX_EXAMPLES), EXAMPLES[n])),
        )
        key: object = user
    elif roll < 0.2:
        key = botapi.inline(user, rng.choice(INLINE))
    elif roll < 0.3:
        botapi.message(user, rng.choice(COMMANDS))
        key = user
    elif roll < 0.32:
        botapi.sticker(user)
        key = user
    else:
        botapi.message(user, rng.choice(QUESTIONS))
        key = user
    with botapi._lock:
        queued = next(reversed(botapi.queued_at.values()))
    traffic.queued(key, queued)


class Sampler(threading.Thread):
    """The bot process' RSS and CPU time against the number of updates answered so far."""

    def __init__(self, traffic: Traffic, bot) -> None:
        super().__init__(daemon=True)
        self.traffic, self.bot = traffic, bot
        self.samples: list[tuple[int, int, float]] = []  # (answered, RSS kB, CPU s)
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.25):
            self.sample()

    def sample(self) -> None:
        if self.bot.alive:
            answered = self.traffic.answered
            self.samples.append((answered, self.bot.status("VmRSS"), self.bot.cpu_seconds()))

    def at(self, answered: int) -> tuple[int, int, float]:
        return next(s for s in self.samples if s[0] >= answered)


def drive(botapi: BotApiStub, traffic: Traffic, count: int, rate: float, hook=None) -> None:
    """Push ``count`` updates, round-robin over the users, ``rate`` per second."""
    rng = random.Random(2026_11_25)
    started = time.monotonic()
    for n in range(count):
        if hook is not None:
            hook(n)
        push_one(botapi, traffic, rng, FIRST_USER + n % USERS)
        delay = started + (n + 1) / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def check_exactly_once(botapi: BotApiStub, traffic: Traffic) -> None:
    assert traffic.answered == traffic.pushed, (traffic.answered, traffic.pushed)
    wrong = {c: (traffic.expected[c], traffic.received[c]) for c in traffic.expected
             if traffic.expected[c] != traffic.received[c]}  # fmt: skip
    assert wrong == {}
    assert all(botapi.callbacks.values())
    assert all(botapi.inline_queries.values())
    inline = Counter(c.params["inline_query_id"] for c in botapi.calls_to("answerInlineQuery"))
    assert set(inline.values()) <= {1}


# ---- 5,000 updates ----------------------------------------------------------------------------


def test_soak(botapi: BotApiStub, bot_process, bundled_engine) -> None:
    expect_single_messages(bundled_engine)
    traffic = Traffic()
    botapi.on_call = traffic.on_call
    bot = bot_process()
    botapi.wait_sync(lambda: botapi.calls_to("getUpdates", ok=None), timeout=60)
    sampler = Sampler(traffic, bot)
    sampler.start()
    started = time.monotonic()
    try:
        drive(botapi, traffic, UPDATES, RATE)
        traffic.all_answered(botapi, timeout=120)
        elapsed = time.monotonic() - started
        time.sleep(2)  # anything answered twice shows up now
        sampler.sample()
        peak = bot.status("VmHWM")
        assert bot.alive
    finally:
        sampler.done.set()
        code = bot.stop()
    err = bot.stderr()
    assert code == 0, err[-3000:]
    check_exactly_once(botapi, traffic)
    assert traffic.overlaps == 0
    assert botapi.errors() == []
    assert TOKEN.split(":")[1] not in err
    assert "Traceback" not in err

    warm, end = sampler.at(min(1000, UPDATES // 5)), sampler.samples[-1]
    curve = {n: sampler.at(n)[1] // 1024 for n in range(1000, UPDATES + 1, 1000)}
    latencies = sorted(traffic.latencies)
    figures = {
        "updates": traffic.pushed,
        "users": USERS,
        "offered_per_s": RATE,
        "elapsed_s": round(elapsed, 1),
        "rss_mb_at_1k": round(warm[1] / 1024, 1),
        "rss_mb_at_end": round(end[1] / 1024, 1),
        "rss_mb_by_thousand": curve,
        "peak_rss_mb": round(peak / 1024, 1),
        "cpu_s_per_1k_updates": round((end[2] - warm[2]) / max(1, end[0] - warm[0]) * 1000, 2),
        "p50_ms": round(statistics.median(latencies) * 1000),
        "p95_ms": round(p95(latencies) * 1000),
        "p99_ms": round(statistics.quantiles(latencies, n=100)[-1] * 1000),
        "max_ms": round(latencies[-1] * 1000),
        "inline_p95_ms": round(p95(traffic.inline_latencies) * 1000),
        "messages_sent": sum(traffic.received.values()),
    }
    record("soak", figures)
    # Flat after warm-up: the LRU of "المزيد" questions (10k entries, bounded) and allocator
    # noise may add a few MB; a leak of ~1 KB per update would add 4 MB per 4,000 updates.
    assert end[1] - warm[1] < 16 * 1024, figures
    assert figures["p95_ms"] < 1000, figures


# ---- chaos: faults all along, and a restart ------------------------------------------------------

# Faults the bot must absorb without losing or repeating an answer. A sendMessage dropped
# before its reply is deliberately absent: the bot does not resend it (Telegram may have
# delivered it), so that answer is lost, by design (tests/test_faults.py).
CHAOS = [
    ("getUpdates", "500", {}),
    ("sendMessage", "429", {"retry_after": 1}),
    ("getUpdates", "drop_mid_reply", {}),
    ("sendMessage", "500", {}),
    ("sendChatAction", "drop", {}),
    ("getUpdates", "429", {"retry_after": 2}),
    ("answerCallbackQuery", "500", {}),
    ("sendMessage", "drop_mid_reply", {}),
    ("getUpdates", "drop", {}),
    ("answerInlineQuery", "500", {}),
    ("sendMessage", "500", {"body": f"<html>502 Bad Gateway /bot{TOKEN}/</html>".encode()}),
    ("answerCallbackQuery", "drop_mid_reply", {}),
    ("answerInlineQuery", "drop_mid_reply", {}),
    ("getUpdates", "hang", {"seconds": 17}),  # longer than the 10 + 5 s the bot waits
]


def test_chaos_with_a_restart(botapi: BotApiStub, bot_process, bundled_engine) -> None:
    count = min(UPDATES, 1500)
    expect_single_messages(bundled_engine)
    traffic = Traffic()
    botapi.on_call = traffic.on_call
    bots = [bot_process()]
    botapi.wait_sync(lambda: botapi.calls_to("getUpdates", ok=None), timeout=60)
    restart_at, alive_checks, injected = count // 2, [], []
    down: dict[str, float] = {}

    def misbehave(n: int) -> None:
        alive_checks.append(bots[-1].alive or ("down" in down and "up" not in down))
        if n and n % 40 == 0 and not (restart_at - 80 <= n <= restart_at + 40):
            method, kind, options = CHAOS[(n // 40) % len(CHAOS)]
            botapi.inject(method, kind, **options)
            injected.append((n, f"{method}:{kind}"))
        if n == restart_at:  # SIGTERM mid-stream: replies in flight, updates pending
            botapi.faults.clear()
            down["at"] = time.monotonic()
            assert bots[-1].stop() == 0
            down["down"] = time.monotonic()
        if n == restart_at + 60:  # five seconds of updates queue up meanwhile
            bots.append(bot_process())
            down["up"] = time.monotonic()

    started = time.monotonic()
    try:
        drive(botapi, traffic, count, RATE, misbehave)
        traffic.all_answered(botapi, timeout=180)
        time.sleep(2)
        assert bots[-1].alive
    finally:
        codes = [bot.stop() for bot in bots]
    errs = [bot.stderr() for bot in bots]
    assert codes == [0, 0], errs
    assert all(alive_checks)
    check_exactly_once(botapi, traffic)
    served = Counter(f"{c.method}:{c.fault}" for c in botapi.faults_served())
    for err in errs:
        assert TOKEN.split(":")[1] not in err
    latencies = sorted(traffic.latencies)
    record(
        "chaos",
        {
            "updates": traffic.pushed,
            "faults_served": dict(sorted(served.items())),
            "stop_s": round(down["down"] - down["at"], 1),
            "restart_gap_s": round(down["up"] - down["at"], 1),
            "elapsed_s": round(time.monotonic() - started, 1),
            "p50_ms": round(statistics.median(latencies) * 1000),
            "p95_ms": round(p95(latencies) * 1000),
            "max_ms": round(latencies[-1] * 1000),
            "warnings_logged": sum(e.count(" WARNING ") for e in errs),
        },
    )
    assert {key for n, key in injected if n < count - 80} <= set(served), served
    if count >= 1500:
        assert {f"{m}:{k}" for m, k, _ in CHAOS} <= set(served), served


# ---- recovery times, with the bot's real retry pauses ------------------------------------------

RECOVERY = [
    ("no fault", None, None, 0, {}, 0.5),
    ("getUpdates 429, retry_after 1 s", "getUpdates", "429", 1, {"retry_after": 1}, 3),
    ("getUpdates 500", "getUpdates", "500", 1, {}, 2),
    ("getUpdates 502 proxy page", "getUpdates", "500", 1, {"body": b"<html>502</html>"}, 2),
    ("getUpdates 500 five times", "getUpdates", "500", 5, {}, 8),
    ("getUpdates dropped", "getUpdates", "drop", 1, {}, 2),
    ("getUpdates cut mid-reply", "getUpdates", "drop_mid_reply", 1, {}, 2),
    ("getUpdates held 17 s", "getUpdates", "hang", 1, {"seconds": 17}, 20),
    ("sendMessage 429, retry_after 1 s", "sendMessage", "429", 1, {"retry_after": 1}, 3),
    ("sendMessage 500", "sendMessage", "500", 1, {}, 2),
    ("sendMessage 500 three times", "sendMessage", "500", 3, {}, 6),
]


async def test_recovery_times(botapi: BotApiStub, bundled_engine) -> None:
    """Seconds from a question being queued to its answer, with faults waiting for the bot as
    it starts polling as deployed (``run_polling``: 10 s long polls; retry pauses 0.5/1/2 s)."""
    from khabar.bot.telegram.app import build_application

    settings = make_settings(TELEGRAM_API_BASE_URL=botapi.base_url)
    figures = {}
    for user, (name, method, kind, times, options, bound) in enumerate(RECOVERY, start=900):
        if method:
            botapi.inject(method, kind, times=times, **options)
        botapi.message(user, "متى سقط حي مساكن هنانو؟")
        queued = time.monotonic()
        application = build_application(settings, bundled_engine)
        async with application:
            await application.updater.start_polling(poll_interval=0, timeout=10)
            await application.start()
            try:
                await botapi.wait(lambda u=user: botapi.sent(u), timeout=bound + 10)
            finally:
                await application.updater.stop()
                await application.stop()
        figures[name] = round(botapi.sent(user)[0].at - queued, 2)
        assert len(botapi.sent(user)) == 1
        assert figures[name] < bound, (name, figures[name])
    record("recovery_s", figures)
