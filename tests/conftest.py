"""Shared fixtures: the bundled engine, the Bot API stand-in, and a running bot against it.

Tests that talk to the stand-in (or run `khabar telegram`) are end to end: they are marked
``e2e`` here, by the fixtures they use. ``make check`` leaves them out; ``make test`` runs them.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support.botapi import TOKEN, BotApiStub
from support.clock import FakeClock
from support.processes import ROOT, BotProcess, khabar_command, process_env
from support.settings import make_settings

E2E_FIXTURES = {"botapi", "bot_process", "built_index"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_FIXTURES & set(getattr(item, "fixturenames", ())):
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
    ``flood=`` a FloodGate. It mirrors ``run_polling``: initialize, post_init, poll, start.
    """
    from khabar.bot.telegram.app import build_application

    sleep = retry_clock.sleep if retry_clock is not None else asyncio.sleep

    @contextlib.asynccontextmanager
    async def running(flood=None, **env: Any) -> AsyncIterator[Any]:
        settings = make_settings(TELEGRAM_API_BASE_URL=botapi.base_url, **env)
        application = build_application(settings, bundled_engine, flood=flood, sleep=sleep)
        async with application:
            await application.post_init(application)  # type: ignore[misc]
            await application.updater.start_polling(poll_interval=0, timeout=1)
            await application.start()
            try:
                yield application
            finally:
                await application.updater.stop()
                await application.stop()

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
def bot_process(botapi: BotApiStub, built_index: Path, tmp_path: Path) -> Iterator[Callable]:
    """``bot_process(**env)`` starts `khabar telegram` on the built index; all are stopped."""
    started: list[BotProcess] = []

    def start(**env: str) -> BotProcess:
        values = process_env(
            TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=botapi.base_url,
            KHABAR_INDEX=str(built_index), **env,
        )  # fmt: skip
        started.append(BotProcess(values, tmp_path))
        return started[-1]

    yield start
    for process in started:
        process.stop()
