"""The webhook server under attack, and stopped with a queue (``make soak``).

`khabar telegram` runs as deployed in webhook mode, its open files capped at systemd's default
1024, while a steady user sends a question every 1.5 s and, one after the other, on top of
each other:

* a slowloris: 2,000 connections, each sending half a request head and then a header line
  every 2 s, reopened a second after the server closes it (the attackers run in a process
  of their own, as they would on their own machines);
* 30 requests announcing and streaming 50 MB bodies without the secret;
* 500 valid updates at once, each on its own connection, tried again until acknowledged as
  Telegram does.

Then: every valid update answered exactly once, the steady user's request acknowledged within
1 s throughout and answered within 1 s while no backlog of other answers stands in front of it
(the 500 answers drain at Telegram's rate limit), memory and open files bounded, and a log that
says what happened without flooding. A second run stops the bot with SIGTERM while 200 updates
it has acknowledged wait for their answers: none is lost, within the grace period the deploy
files give it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from support.botapi import TOKEN, BotApiStub
from support.figures import record, table
from support.processes import ROOT
from support.settings import WEBHOOK_SECRET

pytestmark = pytest.mark.soak

SLOWLORIS = int(os.environ.get("KHABAR_SOAK_SLOWLORIS", "2000"))
BIG_BODIES, BIG_BODY = 30, 50_000_000
BURST = 500
QUEUED = 200
NOFILE = 1024  # systemd's default soft limit
QUESTION = "متى سقط حي مساكن هنانو؟"
ANSWER_START = "في 26 نوفمبر 2016"
STEADY_USER = 777
TESTS = Path(__file__).resolve().parent
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}


class Sampler(threading.Thread):
    """The bot process' RSS, open files and CPU time, four times a second."""

    def __init__(self, bot) -> None:
        super().__init__(daemon=True)
        self.bot = bot
        self.samples: list[tuple[float, int, int, float]] = []  # (time, RSS kB, files, CPU s)
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.25):
            with contextlib.suppress(OSError):
                self.samples.append(
                    (time.monotonic(), self.bot.status("VmRSS"), self.bot.open_files(),
                     self.bot.cpu_seconds())
                )  # fmt: skip

    def peak(self, since: float = 0.0, until: float = float("inf")) -> tuple[int, int]:
        """(RSS kB, open files) at their highest between ``since`` and ``until``."""
        window = [s for s in self.samples if since <= s[0] < until]
        return max(s[1] for s in window), max(s[2] for s in window)


@dataclass
class Steady:
    """One user asking every 1.5 s (under the flood gate's 8 in 10 s), per phase."""

    acks: dict[str, list[float]] = field(default_factory=dict)  # phase → seconds to HTTP 200
    replies: dict[str, list[float]] = field(default_factory=dict)  # phase → seconds to answer
    failures: list[str] = field(default_factory=list)
    phase: str = "calm"
    sent: int = 0


def update(botapi: BotApiStub, user: int, update_id: int) -> dict:
    return {"update_id": update_id, "message": botapi.message(user, QUESTION, deliver=False)}


async def steady_user(url: str, botapi: BotApiStub, steady: Steady, stop: asyncio.Event) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        while not stop.is_set():
            phase, before = steady.phase, len(botapi.sent(STEADY_USER))
            body = update(botapi, STEADY_USER, 1_000_000 + steady.sent)
            started = time.monotonic()
            try:
                response = await client.post(url, json=body, headers=HEADERS)
            except httpx.HTTPError as exc:
                steady.failures.append(f"{phase}: {type(exc).__name__}")
                await asyncio.sleep(1.5)
                continue
            steady.sent += 1
            steady.acks.setdefault(phase, []).append(time.monotonic() - started)
            if response.status_code != 200:
                steady.failures.append(f"{phase}: HTTP {response.status_code}")
            waited = time.monotonic()
            while len(botapi.sent(STEADY_USER)) <= before and time.monotonic() - waited < 60:
                await asyncio.sleep(0.01)
            sent = botapi.sent(STEADY_USER)
            if len(sent) > before:
                steady.replies.setdefault(phase, []).append(sent[before].at - started)
            await asyncio.sleep(max(0.0, 1.5 - (time.monotonic() - started)))


ATTACKERS: list[subprocess.Popen] = []


def attack(*args: object) -> subprocess.Popen:
    """Hostile clients in a process of their own (:mod:`support.attacks`)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "support.attacks", *map(str, args)], cwd=TESTS,
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    ATTACKERS.append(process)
    return process


@pytest.fixture(autouse=True)
def no_attacker_left() -> Iterator[None]:
    yield
    while ATTACKERS:
        process = ATTACKERS.pop()
        if process.poll() is None:
            process.kill()
            process.wait()


def outcome(process: subprocess.Popen) -> dict:
    out, _ = process.communicate(timeout=60)
    return json.loads(out.strip().splitlines()[-1])


async def burst(url: str, botapi: BotApiStub, first_user: int, count: int) -> list[int]:
    """``count`` valid updates at once, each on its own connection, each tried again (after
    1 s, up to 5 times) until acknowledged, as Telegram does: how many tries each took."""
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def deliver(n: int) -> int:
            body = update(botapi, first_user + n, 2_000_000 + first_user + n)
            for attempt in range(1, 6):
                try:
                    response = await client.post(url, json=body, headers=HEADERS)
                    if response.status_code == 200:
                        return attempt
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(1)
            return 0

        return await asyncio.gather(*(deliver(n) for n in range(count)))


def ms(values: list[float]) -> str:
    if not values:
        return "—"
    return f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"


def test_the_webhook_holds_against_hostile_clients(webhook_process, botapi: BotApiStub) -> None:
    hook = webhook_process(nofile=NOFILE)
    bot = hook.bot
    sampler = Sampler(bot)
    sampler.start()
    steady = Steady()
    phases: dict[str, float] = {}
    tries: list[int] = []
    burst_users = range(20_000, 20_000 + BURST)
    attackers: dict[str, dict] = {}

    async def siege() -> None:
        stop_steady = asyncio.Event()
        steadily = asyncio.create_task(steady_user(hook.url, botapi, steady, stop_steady))
        await asyncio.sleep(4)
        phases["slowloris"] = time.monotonic()
        steady.phase = "slowloris"
        lorises = attack("slowloris", hook.port, SLOWLORIS, 200)
        await asyncio.sleep(15)
        phases["big bodies"] = time.monotonic()
        steady.phase = "big bodies"
        bodies = attack("bodies", hook.port, BIG_BODIES, BIG_BODY)
        while bodies.poll() is None:
            await asyncio.sleep(0.25)
        attackers["bodies"] = outcome(bodies)
        await asyncio.sleep(5)
        phases["burst"] = time.monotonic()
        steady.phase = "burst"
        tries.extend(await burst(hook.url, botapi, burst_users[0], BURST))
        while sum(bool(botapi.sent(u)) for u in burst_users) < BURST:
            await asyncio.sleep(0.25)
            if time.monotonic() - phases["burst"] > 120:
                break
        phases["drained"] = time.monotonic()
        steady.phase = "after"
        await asyncio.sleep(5)
        lorises.terminate()
        attackers["slowloris"] = outcome(lorises)
        stop_steady.set()
        await steadily

    started = time.monotonic()
    cpu_before = bot.cpu_seconds()
    try:
        asyncio.run(siege())
        cpu = bot.cpu_seconds() - cpu_before
        assert bot.alive
    finally:
        sampler.done.set()
        code = bot.stop()
    err = bot.stderr()
    bounds = [0.0, phases["slowloris"], phases["big bodies"], phases["burst"], phases["drained"]]
    names = ["calm", "slowloris", "big bodies", "burst", "after"]
    rss = {
        name: sampler.peak(start, end)[0] // 1024
        for name, start, end in zip(names, bounds, [*bounds[1:], float("inf")], strict=True)
    }
    _, peak_files = sampler.peak()
    pressure = re.findall(r"webhook under pressure.*", err)

    loris, bodies = attackers["slowloris"], attackers["bodies"]
    burst_s = phases["drained"] - phases["burst"]
    rows = [
        ("limits", "max connections 512, max body 1 MiB, header timeout 10 s, open files 1024"),
        (
            "slowloris",
            f"{SLOWLORIS} connections; {loris['opened']} opened, {loris['cut_off']} cut off by "
            f"the server, {loris['failed']} failed to connect",
        ),
        (
            "big bodies",
            f"{BIG_BODIES} × 50 MB without the secret: answers {bodies['answers']}; "
            f"{bodies['written'] / 1e6:.0f} MB written by the clients in all (socket buffers)",
        ),
        (
            "burst",
            f"{BURST} valid updates at once: {tries.count(1)} acknowledged at the first try, "
            f"{sum(t > 0 for t in tries)} in all; answered in {burst_s:.1f} s",
        ),
        ("steady user, acknowledged", "; ".join(f"{p}: {ms(v)}" for p, v in steady.acks.items())),
        ("steady user, answered", "; ".join(f"{p}: {ms(v)}" for p, v in steady.replies.items())),
        ("RSS, peak by phase", ", ".join(f"{name} {mb} MB" for name, mb in rss.items())),
        ("open files, peak", f"{peak_files} of {NOFILE}"),
        ("CPU", f"{cpu:.1f} s over {time.monotonic() - started:.0f} s"),
        ("log", f"{len(err.encode()) / 1024:.0f} KB; pressure reports: {len(pressure)}"),
    ]
    table("webhook under attack", rows)
    record("webhook_siege", dict(rows) | {"pressure": pressure})

    assert code == 0, err[-3000:]
    assert "Traceback" not in err
    assert "Too many open files" not in err
    assert TOKEN.split(":")[1] not in err
    assert WEBHOOK_SECRET not in err
    assert steady.failures == []
    for phase, acks in steady.acks.items():
        assert max(acks) < 1, (phase, acks)
    for phase in ("calm", "slowloris", "big bodies", "after"):
        assert max(steady.replies[phase]) < 1, (phase, steady.replies[phase])
    assert 0 not in tries  # each acknowledged, if not at once then when tried again
    assert [len(botapi.sent(u)) for u in burst_users] == [1] * BURST
    assert len(botapi.sent(STEADY_USER)) == steady.sent
    # 403 before the body is read; the client may be mid-write when the connection closes.
    refused = {"403", "closed", "ConnectionResetError", "BrokenPipeError"}
    assert set(bodies["answers"]) <= refused, bodies
    assert peak_files < NOFILE
    # Nothing like 30 bodies of 50 MB, nor a buffer per slowloris connection.
    assert rss["slowloris"] - rss["calm"] < 50
    assert rss["big bodies"] - rss["slowloris"] < 50
    assert len(err.encode()) < 200 * 1024


# ---- SIGTERM with a queue ---------------------------------------------------------------------


def grace_period() -> float:
    """The shortest time the deploy files give the bot to stop (compose and systemd)."""
    compose = (ROOT / "deploy" / "compose.yaml").read_text()
    seconds = [float(re.search(r"stop_grace_period: (\d+)s", compose)[1])]  # type: ignore[index]
    for unit in ("khabar-webhook.service", "khabar-polling.service"):
        text = (ROOT / "deploy" / unit).read_text()
        seconds.append(float(re.search(r"TimeoutStopSec=(\d+)", text)[1]))  # type: ignore[index]
    return min(seconds)


def test_sigterm_with_a_queue_loses_no_update(webhook_process, botapi: BotApiStub) -> None:
    """200 updates acknowledged (Telegram will not send them again), then SIGTERM: the server
    stops taking updates at once, and every one of the 200 is answered before the exit."""
    hook = webhook_process()
    bot = hook.bot
    users = range(40_000, 40_000 + QUEUED)

    async def deliver() -> list[int]:
        async with httpx.AsyncClient(timeout=30) as client:

            async def one(user: int) -> int:
                body = update(botapi, user, 3_000_000 + user)
                return (await client.post(hook.url, json=body, headers=HEADERS)).status_code

            return await asyncio.gather(*(one(u) for u in users))

    statuses = asyncio.run(deliver())
    answered_before = sum(bool(botapi.sent(u)) for u in users)
    stopped = time.monotonic()
    bot.terminate()
    time.sleep(0.5)
    with pytest.raises(httpx.ConnectError):  # no longer taking updates
        httpx.post(hook.url, json=update(botapi, 49_999, 4_000_000), headers=HEADERS, timeout=2)
    try:
        bot.process.wait(timeout=grace_period())
    finally:
        code = bot.stop()
    drain = time.monotonic() - stopped
    err = bot.stderr()
    figures = {
        "acknowledged": statuses.count(200),
        "answered before SIGTERM": answered_before,
        "answered after SIGTERM": sum(bool(botapi.sent(u)) for u in users) - answered_before,
        "drain_s": round(drain, 1),
        "grace_period_s": grace_period(),
    }
    table("SIGTERM with a queue", [(k, v) for k, v in figures.items()])
    record("webhook_drain", figures)
    assert statuses == [200] * QUEUED
    assert code == 0, err[-3000:]
    assert [len(botapi.sent(u)) for u in users] == [1] * QUEUED
    assert botapi.sent(49_999) == []
    assert drain < grace_period()
    assert "Traceback" not in err
