"""Shared fixtures: the bundled engine, the Bot API stand-in, and a running bot against it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from botapi_stub import TOKEN, BotApiStub


@pytest.fixture(scope="session")
def bundled_engine():
    """One engine over the bundled article for the whole session (it is read-only)."""
    from index.search import Engine

    return Engine.open(None)


@pytest.fixture
def botapi() -> Iterator[BotApiStub]:
    with BotApiStub() as stub:
        yield stub


@pytest.fixture
def start_bot(botapi: BotApiStub, bundled_engine) -> Callable[..., Any]:
    """``async with start_bot(**env) as app:`` the real Application, polling the stand-in.

    Keyword arguments are settings by their environment names (KHABAR_ALLOWED_IDS=…), plus
    ``flood=`` a FloodGate. It mirrors ``run_polling``: initialize, post_init, poll, start.
    """
    from bot.settings import Settings
    from bot.telegram_app import build_application

    @contextlib.asynccontextmanager
    async def running(flood=None, **env: Any) -> AsyncIterator[Any]:
        values = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": botapi.base_url, **env}
        settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
        application = build_application(settings, bundled_engine, flood=flood)
        async with application:
            await application.post_init(application)
            await application.updater.start_polling(poll_interval=0, timeout=1)
            await application.start()
            try:
                yield application
            finally:
                await application.updater.stop()
                await application.stop()

    return running
