"""`khabar` as a process: the command, a clean environment, and a running `khabar telegram`."""

from __future__ import annotations

import os
import re
import resource
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from support.botapi import TOKEN, BotApiStub
from support.settings import PUBLIC_WEBHOOK, WEBHOOK_SECRET

ROOT = Path(__file__).resolve().parent.parent.parent


def khabar_command() -> list[str]:
    script = Path(sys.executable).parent / "khabar"
    return [str(script)] if script.exists() else [sys.executable, "-m", "khabar.bot.cli"]


def process_env(**values: str) -> dict[str, str]:
    """Only what a service manager would pass, plus ``values``: no stray TELEGRAM_*/KHABAR_*."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT")}
    return {**keep, "PYTHONIOENCODING": "utf-8", **values}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen, timeout: float = 15) -> tuple[int, str]:
    """SIGTERM, as systemd and Docker stop it: (exit code, stderr)."""
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return process.returncode, err


class BotProcess:
    """One `khabar telegram` process; stderr goes to a file.

    ``nofile`` caps its open files (RLIMIT_NOFILE), as systemd's default 1024 does.
    """

    def __init__(self, env: dict[str, str], folder: Path, nofile: int | None = None) -> None:
        self.env, self.folder = env, folder
        self.log = folder / f"stderr-{time.monotonic_ns()}.log"
        self._err = self.log.open("w", encoding="utf-8")

        def limit_files() -> None:
            if nofile is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

        self.process = subprocess.Popen(
            [*khabar_command(), "telegram"], env=env, cwd=folder, stdout=subprocess.DEVNULL,
            stderr=self._err, preexec_fn=limit_files,
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

    def open_files(self) -> int:
        return len(list(Path(f"/proc/{self.process.pid}/fd").iterdir()))

    def terminate(self) -> None:
        """SIGTERM, as systemd and Docker stop it, without waiting."""
        if self.alive:
            self.process.send_signal(signal.SIGTERM)

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, as systemd and Docker stop it; its exit code."""
        if self.alive:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._err.close()
        return self.process.returncode

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8")


@dataclass
class HookProcess:
    """`khabar telegram` serving a webhook on 127.0.0.1:``port`` (its path: /telegram/hook)."""

    bot: BotProcess
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram/hook"

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)


def start_webhook_process(
    botapi: BotApiStub, index: Path, folder: Path, nofile: int | None = None, **env: str
) -> HookProcess:
    """`khabar telegram` with a webhook on a free port, once registered and answering."""
    port = free_port()
    values = process_env(
        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=botapi.base_url, KHABAR_INDEX=str(index),
        KHABAR_WEBHOOK_URL=PUBLIC_WEBHOOK, KHABAR_WEBHOOK_SECRET=WEBHOOK_SECRET,
        KHABAR_LISTEN="127.0.0.1", KHABAR_PORT=str(port), **env,
    )  # fmt: skip
    bot = BotProcess(values, folder, nofile)
    botapi.wait_sync(lambda: botapi.webhook["url"] == PUBLIC_WEBHOOK, timeout=30)
    deadline = time.monotonic() + 10
    while True:  # registered; the server may still be starting
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return HookProcess(bot, port)
        except OSError:
            if time.monotonic() > deadline:
                bot.stop()
                raise
            time.sleep(0.05)
