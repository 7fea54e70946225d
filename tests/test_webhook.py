"""The webhook server as Telegram and a hostile client meet it: limits judged from the headers
before any body is read, a health endpoint, and start-up refusing what Telegram would refuse.

The load runs (slowloris, big bodies, concurrency, a drain on SIGTERM) are in
tests/test_webhook_soak.py (``make soak``).
"""

from __future__ import annotations

import contextlib
import logging
import resource
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support.botapi import BotApiStub
from support.clock import FakeClock
from support.processes import (
    HookProcess,
    free_port,
    khabar_command,
    process_env,
    start_webhook_process,
)
from support.settings import PUBLIC_WEBHOOK, WEBHOOK_SECRET, make_settings

from khabar.bot.settings import SettingsError, load_settings
from khabar.bot.telegram.webhook import (
    OTHER_FILES,
    READY_MARGIN,
    SILENT_GRACE,
    ConnectionGuard,
    Limits,
)

# ---- start-up: a webhook URL Telegram would refuse is a settings error -----------------------


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://bot.example.com/hook", "https"),
        ("https://bot.example.com:8080/hook", "443, 80, 88 or 8443"),
        ("https://bot.example.com:444/hook", "443, 80, 88 or 8443"),
    ],
    ids=["http", "port-8080", "port-444"],
)
def test_a_webhook_url_telegram_refuses_is_a_settings_error(
    tmp_path: Path, monkeypatch, url: str, says: str
) -> None:
    monkeypatch.setenv("KHABAR_WEBHOOK_URL", url)
    monkeypatch.setenv("KHABAR_WEBHOOK_SECRET", "s3cret")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456789:" + "A" * 35)
    with pytest.raises(SettingsError) as refused:
        load_settings(tmp_path / "missing.env")
    message = str(refused.value)
    assert message.startswith("KHABAR_WEBHOOK_URL")
    assert says in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "url",
    [
        "https://bot.example.com/hook",
        "https://bot.example.com:443/hook",
        "https://bot.example.com:8443/telegram/2f9c",
        "https://bot.example.com:88/",
        "https://203.0.113.7:80/hook",
    ],
)
def test_a_webhook_url_telegram_accepts_loads(url: str) -> None:
    settings = make_settings(KHABAR_WEBHOOK_URL=url, KHABAR_WEBHOOK_SECRET="s3cret")
    assert settings.webhook


@pytest.mark.e2e  # a real process
def test_the_process_refuses_a_plain_http_webhook_in_one_line(tmp_path: Path) -> None:
    env = process_env(
        TELEGRAM_BOT_TOKEN="123456789:" + "A" * 35,
        KHABAR_WEBHOOK_URL="http://bot.example.com/hook",
        KHABAR_WEBHOOK_SECRET="s3cret",
    )
    result = subprocess.run(
        [*khabar_command(), "telegram"], env=env, cwd=tmp_path, capture_output=True,
        text=True, encoding="utf-8", timeout=30,
    )  # fmt: skip
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "KHABAR_WEBHOOK_URL" in result.stderr
    assert "Traceback" not in result.stderr


# ---- the running server, as `khabar telegram` serves it --------------------------------------

SECRET = WEBHOOK_SECRET
QUESTION = "متى سقط حي مساكن هنانو؟"
ANSWER_START = "في 26 نوفمبر 2016"


# One `khabar telegram` with tight limits serves the tests below; each closes what it opens.
TIGHT = {
    "KHABAR_WEBHOOK_MAX_BODY": "65536",
    "KHABAR_WEBHOOK_HEADER_TIMEOUT": "1",
    "KHABAR_WEBHOOK_BODY_TIMEOUT": "1",
    "KHABAR_WEBHOOK_KEEP_ALIVE": "1",
    "KHABAR_WEBHOOK_MAX_CONNECTIONS": "8",
}


@pytest.fixture(scope="module")
def stub() -> Iterator[BotApiStub]:
    with BotApiStub() as botapi:
        yield botapi


@pytest.fixture(scope="module")
def hook(stub: BotApiStub, built_index: Path, tmp_path_factory) -> Iterator[HookProcess]:
    started = start_webhook_process(stub, built_index, tmp_path_factory.mktemp("hook"), **TIGHT)
    yield started
    assert started.bot.alive  # nothing here stopped it
    started.bot.stop()


def head(*, secret: str | None = SECRET, path: str = "/telegram/hook", **headers: str) -> bytes:
    """A webhook POST's request head (no body)."""
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    if secret is not None:
        lines.append(f"X-Telegram-Bot-Api-Secret-Token: {secret}")
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def status_of(sock: socket.socket) -> int:
    """The status code of the response on ``sock`` (0: closed without one)."""
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return 0
        data += chunk
    return int(data.split(b" ", 2)[1])


def test_a_body_without_the_secret_is_refused_before_it_is_read(hook: HookProcess) -> None:
    """Only the head is sent, announcing 50 MB: the answer comes without waiting for them."""
    with hook.connect() as sock:
        sock.sendall(head(secret=None, Content_Length="50000000"))
        assert status_of(sock) == 403


def test_a_wrong_secret_is_refused_before_the_body_is_read(hook: HookProcess) -> None:
    with hook.connect() as sock:
        sock.sendall(head(secret="wrong", Content_Length="50000000"))
        assert status_of(sock) == 403


def test_a_wrong_path_is_refused_before_the_body_is_read(hook: HookProcess) -> None:
    with hook.connect() as sock:
        sock.sendall(head(path="/elsewhere", Content_Length="50000000"))
        assert status_of(sock) == 404


def test_a_declared_body_over_the_limit_is_refused_before_it_is_read(hook: HookProcess) -> None:
    with hook.connect() as sock:
        sock.sendall(head(Content_Length="65537"))
        assert status_of(sock) == 413


def test_a_chunked_body_over_the_limit_is_cut_off(hook: HookProcess) -> None:
    """No length announced: the server stops reading at the limit, answers 413 and closes the
    connection while the client is still sending."""
    chunk = b"%x\r\n%s\r\n" % (16384, b" " * 16384)
    sent = 0
    with hook.connect() as sock:
        sock.sendall(head(Transfer_Encoding="chunked"))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            while sent < 8_000_000 and not select.select([sock], [], [], 0)[0]:
                sock.sendall(chunk)
                sent += 16384
        try:
            status = status_of(sock)  # what arrived before the connection was closed
        except ConnectionResetError:
            status = 0
    assert sent < 8_000_000  # the server stopped taking it before the client was done
    assert status == 413


def test_a_head_that_never_ends_is_cut_off(hook: HookProcess) -> None:
    """A slowloris client sends a header line now and then, never the end of its head."""
    started = time.monotonic()
    closed = None
    with hook.connect() as sock:
        sock.sendall(b"POST /telegram/hook HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        for n in range(20):
            time.sleep(0.25)
            try:
                sock.sendall(b"X-Slow-%d: yes\r\n" % n)
                if select.select([sock], [], [], 0)[0] and not sock.recv(1):
                    closed = time.monotonic() - started
                    break
            except (BrokenPipeError, ConnectionResetError):
                closed = time.monotonic() - started
                break
    assert closed is not None
    assert closed < 2.5


def test_a_body_that_stops_coming_is_refused(hook: HookProcess) -> None:
    """The head says 100 bytes, 10 come, then nothing: 408 once the body timeout is up."""
    with hook.connect() as sock:
        sock.sendall(head(Content_Length="100") + b'{"update_i')
        started = time.monotonic()
        assert status_of(sock) == 408
        assert time.monotonic() - started < 2.5


def test_an_idle_connection_is_closed_after_the_keep_alive(hook: HookProcess) -> None:
    with hook.connect() as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert status_of(sock) == 200
        started = time.monotonic()
        sock.settimeout(5)
        while sock.recv(4096):  # the rest of the response, then the close
            pass
        assert time.monotonic() - started < 2.5


def test_the_health_endpoint_answers_the_proxy(hook: HookProcess) -> None:
    response = httpx.get(f"http://127.0.0.1:{hook.port}/healthz", timeout=5)
    assert response.status_code == 200
    assert response.text == "ok"


def test_at_the_connection_limit_idle_connections_make_room(
    hook: HookProcess, stub: BotApiStub
) -> None:
    """Thirty connections hold half a head each (the limit is 8): a real update still gets in
    at once, and is answered."""
    idle = [hook.connect() for _ in range(30)]
    try:
        for sock in idle:
            sock.sendall(b"POST /telegram/hook HTTP/1.1\r\n")
        time.sleep(0.3)  # read: half heads, the first to go (the head timeout is 1 s)
        update = {"update_id": 7, "message": stub.message(41, QUESTION, deliver=False)}
        started = time.monotonic()
        response = httpx.post(
            f"http://127.0.0.1:{hook.port}/telegram/hook", json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}, timeout=5,
        )  # fmt: skip
        assert response.status_code == 200
        assert time.monotonic() - started < 1
        [reply] = stub.wait_sync(lambda: stub.sent(41), timeout=10)
        assert reply.visible.startswith(ANSWER_START)
    finally:
        for sock in idle:
            sock.close()
    assert hook.bot.alive


def test_polling_leaves_ptbs_own_webhook_server_alone(tmp_path: Path) -> None:
    """Nothing inside python-telegram-bot is swapped for the whole process."""
    code = (
        "from telegram.ext._utils import webhookhandler as w; before = w.TelegramHandler;"
        "from khabar.bot.telegram.app import build_application;"
        "from khabar.bot.settings import Settings;"
        "from khabar.index.search import Engine;"
        "build_application(Settings(_env_file=None, TELEGRAM_BOT_TOKEN='1:' + 'A' * 35),"
        " Engine.open(None));"
        "import sys; sys.exit(w.TelegramHandler is not before)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=tmp_path, timeout=60).returncode == 0


# ---- the connection guard's choices, on a fake clock --------------------------------------------


class FakeTransport:
    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True


class FakeConnection:
    """What the guard reads of a connection: idle or busy, heard, ready, served."""

    def __init__(self, idle: bool = True, served: bool = False) -> None:
        self.idle, self.served = idle, served
        self.heard = self.ready = False
        self.transport = FakeTransport()


def guard_for(limit: int, sockets: int, clock: FakeClock) -> ConnectionGuard:
    return ConnectionGuard(Limits(max_connections=limit, max_sockets=sockets), clock=clock)


def connect(guard: ConnectionGuard, sent: bytes, connection: FakeConnection | None = None):
    """Accept a socket whose client has sent ``sent``; the connection, or None if refused."""
    connection = connection or FakeConnection()
    fd = id(connection)
    if not guard.take_socket(fd, sent):
        return None
    guard.admit(connection, fd)  # type: ignore[arg-type]
    return connection


def test_beyond_the_limit_the_oldest_half_head_makes_room() -> None:
    clock = FakeClock()
    guard = guard_for(limit=2, sockets=10, clock=clock)
    first = connect(guard, b"POST /telegram/hook HTTP/1.1\r\n")
    second = connect(guard, b"POST /telegram/hook HTTP/1.1\r\n")
    third = connect(guard, b"POST /telegram/hook HTTP/1.1\r\n")
    assert first.transport.closed
    assert not second.transport.closed
    assert not third.transport.closed
    assert len(guard) == 2


def test_busy_ready_and_served_connections_are_never_closed_for_room() -> None:
    clock = FakeClock(start=100.0)
    guard = guard_for(limit=3, sockets=10, clock=clock)
    busy = connect(guard, b"POST / HTTP/1.1\r\n", FakeConnection(idle=False))
    served = connect(guard, b"POST / HTTP/1.1\r\n", FakeConnection(served=True))
    ready = connect(guard, b"POST / HTTP/1.1\r\nHost: x\r\n\r\n")
    loris = connect(guard, b"POST / HTTP/1.1\r\n")
    clock.advance(60)
    connect(guard, b"POST / HTTP/1.1\r\n")
    assert [c.transport.closed for c in (busy, served, ready, loris)] == [False] * 3 + [True]


def test_a_silent_connection_gets_a_grace_period() -> None:
    clock = FakeClock()
    guard = guard_for(limit=1, sockets=10, clock=clock)
    silent = connect(guard, b"")
    connect(guard, b"")
    assert not silent.transport.closed  # it may have its head on the way
    clock.advance(SILENT_GRACE)
    connect(guard, b"")
    assert silent.transport.closed


def test_past_the_socket_limit_only_a_whole_head_gets_in() -> None:
    clock = FakeClock()
    guard = guard_for(limit=2, sockets=2, clock=clock)
    connect(guard, b"POST / HTTP/1.1\r\n", FakeConnection(idle=False))
    connect(guard, b"POST / HTTP/1.1\r\n", FakeConnection(idle=False))
    assert connect(guard, b"POST / HTTP/1.1\r\nHost: x\r\n") is None
    assert connect(guard, b"POST / HTTP/1.1\r\nHost: x\r\n\r\n{}") is not None
    assert guard.sockets == 3


def test_a_lost_connection_gives_its_socket_back() -> None:
    guard = guard_for(limit=2, sockets=2, clock=FakeClock())
    first = connect(guard, b"")
    connect(guard, b"")
    guard.lost(first)  # type: ignore[arg-type]
    assert connect(guard, b"POST / HTTP/1.1\r\n") is not None


def test_pressure_is_logged_once_a_minute_with_counts(caplog) -> None:
    clock = FakeClock()
    guard = guard_for(limit=1, sockets=1000, clock=clock)
    caplog.set_level(logging.WARNING, logger="khabar.telegram")
    for _ in range(500):
        connect(guard, b"POST / HTTP/1.1\r\n")
    clock.advance(61)
    connect(guard, b"POST / HTTP/1.1\r\n")
    [report] = [r.getMessage() for r in caplog.records if "under pressure" in r.getMessage()]
    assert "500 evicted" in report


def test_limits_fit_the_open_file_limit(monkeypatch) -> None:
    monkeypatch.setattr(resource, "getrlimit", lambda _: (1024, 1024))
    limits = Limits.of(make_settings(KHABAR_WEBHOOK_MAX_CONNECTIONS="5000"))
    assert limits.max_sockets + OTHER_FILES + READY_MARGIN <= 1024
    assert limits.max_connections <= limits.max_sockets


@pytest.mark.e2e  # a real process
def test_a_taken_port_is_one_line_exit_1(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        env = process_env(
            TELEGRAM_BOT_TOKEN="123456789:" + "A" * 35, KHABAR_WEBHOOK_URL=PUBLIC_WEBHOOK,
            KHABAR_WEBHOOK_SECRET=SECRET, KHABAR_LISTEN="127.0.0.1",
            KHABAR_PORT=str(taken.getsockname()[1]),
        )  # fmt: skip
        result = subprocess.run(
            [*khabar_command(), "telegram"], env=env, cwd=tmp_path, capture_output=True,
            text=True, encoding="utf-8", timeout=60,
        )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("khabar: cannot start the bot:")
    assert "Address already in use" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.e2e  # a real process
def test_a_rejected_token_in_webhook_mode_is_one_line_exit_2(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    wrong = "987654321:" + "B" * 35
    env = process_env(
        TELEGRAM_BOT_TOKEN=wrong, TELEGRAM_API_BASE_URL=botapi.base_url,
        KHABAR_WEBHOOK_URL=PUBLIC_WEBHOOK, KHABAR_WEBHOOK_SECRET=SECRET,
        KHABAR_LISTEN="127.0.0.1", KHABAR_PORT=str(free_port()),
    )  # fmt: skip
    result = subprocess.run(
        [*khabar_command(), "telegram"], env=env, cwd=tmp_path, capture_output=True,
        text=True, encoding="utf-8", timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "rejected TELEGRAM_BOT_TOKEN" in result.stderr.strip().splitlines()[-1]
    assert "B" * 35 not in result.stderr
    assert "Traceback" not in result.stderr
    assert botapi.webhook["url"] == ""  # nothing was registered


def test_when_full_new_connections_wait_only_while_room_is_coming() -> None:
    clock = FakeClock()
    guard = guard_for(limit=1, sockets=2, clock=clock)
    busy = connect(guard, b"POST / HTTP/1.1\r\n", FakeConnection(idle=False))
    loris = connect(guard, b"POST / HTTP/1.1\r\n")  # over the limit, closed as it came in
    assert loris.transport.closed
    assert guard.wait_for_room()  # its descriptor is about to be freed: wait for it
    guard.lost(loris)  # type: ignore[arg-type]
    connect(guard, b"POST / HTTP/1.1\r\n", FakeConnection(idle=False))
    assert not guard.wait_for_room()  # full of busy connections: nothing to wait for
    assert not busy.transport.closed
