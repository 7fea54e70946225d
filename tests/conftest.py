"""Shared fixtures: the bundled engine, the Bot API stand-in, and a running bot against it.

End-to-end tests are marked ``e2e`` here: those that talk to the stand-in or run `khabar
telegram` (by the fixtures they use), and the modules that drive the `khabar` command as real
processes and in a real terminal. ``make check`` leaves them out; ``make test`` runs them.

Property tests draw the same examples on every run (a CI failure reproduces on any machine);
``make soak`` draws new ones (``HYPOTHESIS_PROFILE=explore``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from support.botapi import TOKEN, BotApiStub
from support.clock import FakeClock
from support.processes import (
    ROOT,
    BotProcess,
    HookProcess,
    free_port,
    khabar_command,
    process_env,
    start_webhook_process,
)
from support.settings import PUBLIC_WEBHOOK, WEBHOOK_SECRET, make_settings

hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

E2E_FIXTURES = {"botapi", "bot_process", "built_index", "webhook_process"}
E2E_MODULES = {"test_cli.py", "test_command.py", "test_console.py"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        by_fixture = E2E_FIXTURES & set(getattr(item, "fixturenames", ()))
        if by_fixture or item.path.name in E2E_MODULES:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def bundled_engine():
    """One engine over the bundled article for the whole session (it is read-only)."""
    from khabar.index.search import Engine

    return Engine.open(None)


@pytest.fixture
def botapi() -> Iterator[BotApiStub]:
    with BotApiStub() as stub:
        yield stub


@pytest.fixture
def retry_clock() -> FakeClock | None:
    """The clock the bot's transport waits out retry pauses on: None is the real one.

    A test module that only counts retries overrides this with a :class:`FakeClock`.
    """
    return None


@pytest.fixture
def start_bot(
    botapi: BotApiStub, bundled_engine, retry_clock: FakeClock | None
) -> Callable[..., Any]:
    """``async with start_bot(**env) as app:`` the real Application, polling the stand-in.

    Keyword arguments are settings by their environment names (KHABAR_ALLOWED_IDS=…), plus
    ``flood=`` a FloodGate and ``index=`` what to serve (a LiveIndex; the bundled engine
    otherwise). It mirrors ``run_polling``: initialize, post_init, poll, start, and on the way
    out stop and post_shutdown.
    """
    from khabar.bot.telegram.app import build_application

    sleep = retry_clock.sleep if retry_clock is not None else asyncio.sleep

    @contextlib.asynccontextmanager
    async def running(flood=None, index=None, **env: Any) -> AsyncIterator[Any]:
        settings = make_settings(TELEGRAM_API_BASE_URL=botapi.base_url, **env)
        served = bundled_engine if index is None else index
        application = build_application(settings, served, flood=flood, sleep=sleep)
        async with application:
            await application.post_init(application)  # type: ignore[misc]
            await application.updater.start_polling(poll_interval=0, timeout=1)
            await application.start()
            try:
                yield application
            finally:
                await application.updater.stop()
                await application.stop()
                await application.post_shutdown(application)  # type: ignore[misc]

    return running


@dataclass
class Webhook:
    """A running webhook server: where to POST updates, and what serves them."""

    url: str
    secret: str
    server: Any  # khabar.bot.telegram.webhook.WebhookServer
    application: Any


@pytest.fixture
def start_webhook(
    botapi: BotApiStub, bundled_engine, retry_clock: FakeClock | None
) -> Callable[..., Any]:
    """``async with start_webhook(**env) as hook:`` the real Application behind the real
    webhook server (uvicorn) on 127.0.0.1, as ``khabar telegram`` runs it with a webhook URL."""
    from khabar.bot.telegram.app import ALLOWED_UPDATES, build_application
    from khabar.bot.telegram.webhook import WebhookServer, listen

    sleep = retry_clock.sleep if retry_clock is not None else asyncio.sleep

    @contextlib.asynccontextmanager
    async def running(**env: Any) -> AsyncIterator[Webhook]:
        port = free_port()
        values = {
            "TELEGRAM_API_BASE_URL": botapi.base_url,
            "KHABAR_WEBHOOK_URL": PUBLIC_WEBHOOK,
            "KHABAR_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "KHABAR_LISTEN": "127.0.0.1",
            "KHABAR_PORT": str(port),
            **env,
        }
        settings = make_settings(**values)
        application = build_application(settings, bundled_engine, sleep=sleep)
        server = WebhookServer(application, settings, listen("127.0.0.1", port))
        async with server.running(ALLOWED_UPDATES, sleep=sleep):
            url = f"http://127.0.0.1:{port}/{settings.url_path}"
            yield Webhook(url, values["KHABAR_WEBHOOK_SECRET"], server, application)

    return running


# ---- `khabar telegram` as a process ---------------------------------------------------------


@pytest.fixture(scope="session")
def built_index(tmp_path_factory) -> Path:
    """The bundled article indexed as the Dockerfile does it (`khabar index build`)."""
    index = tmp_path_factory.mktemp("index") / "khabar.idx"
    built = subprocess.run(
        [*khabar_command(), "index", "build", "seeds", "--out", str(index)], cwd=ROOT,
        env=process_env(), capture_output=True, text=True, encoding="utf-8", timeout=120,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    return index


@pytest.fixture
def webhook_process(
    botapi: BotApiStub, built_index: Path, tmp_path: Path
) -> Iterator[Callable[..., HookProcess]]:
    """``webhook_process(nofile=None, **env)``: `khabar telegram` with a webhook, once it is
    registered and its port answers; all are stopped at the end."""
    started: list[HookProcess] = []

    def start(nofile: int | None = None, **env: str) -> HookProcess:
        started.append(start_webhook_process(botapi, built_index, tmp_path, nofile, **env))
        return started[-1]

    yield start
    for hook in started:
        hook.bot.stop()


@pytest.fixture
def bot_process(botapi: BotApiStub, built_index: Path, tmp_path: Path) -> Iterator[Callable]:
    """``bot_process(nofile=None, **env)`` starts `khabar telegram` on the built index; all are
    stopped at the end."""
    started: list[BotProcess] = []

    def start(nofile: int | None = None, **env: str) -> BotProcess:
        values = process_env(
            TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=botapi.base_url,
            KHABAR_INDEX=str(built_index), **env,
        )  # fmt: skip
        started.append(BotProcess(values, tmp_path, nofile))
        return started[-1]

    yield start
    for process in started:
        process.stop()
