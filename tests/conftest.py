"""Shared fixtures: the bundled engine, the Bot API stand-in, and a running bot against it."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from botapi_stub import TOKEN, BotApiStub

ROOT = Path(__file__).resolve().parent.parent


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
def start_bot(botapi: BotApiStub, bundled_engine) -> Callable[..., Any]:
    """``async with start_bot(**env) as app:`` the real Application, polling the stand-in.

    Keyword arguments are settings by their environment names (KHABAR_ALLOWED_IDS=…), plus
    ``flood=`` a FloodGate. It mirrors ``run_polling``: initialize, post_init, poll, start.
    """
    from khabar.bot.settings import Settings
    from khabar.bot.telegram_app import build_application

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


def khabar_command() -> list[str]:
    script = Path(sys.executable).parent / "khabar"
    return [str(script)] if script.exists() else [sys.executable, "-m", "khabar.bot.cli"]


def process_env(**values: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT")}
    return {**keep, "PYTHONIOENCODING": "utf-8", **values}


class BotProcess:
    """One `khabar telegram` process polling the stand-in; stderr goes to a file."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env, self.folder = env, folder
        self.log = folder / f"stderr-{time.monotonic_ns()}.log"
        self._err = self.log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [*khabar_command(), "telegram"], env=env, cwd=folder, stdout=subprocess.DEVNULL,
            stderr=self._err,
        )  # fmt: skip

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def status(self, field: str) -> int:
        """A ``/proc/<pid>/status`` figure in kB (VmRSS, VmHWM)."""
        text = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.M)[1])  # type: ignore[index]

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> int:
        """SIGTERM, as systemd and Docker stop it; its exit code."""
        if self.alive:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._err.close()
        return self.process.returncode

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8")


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
