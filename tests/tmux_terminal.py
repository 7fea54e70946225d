"""A real terminal for tests: tmux runs a command, the test types keys and reads the screen.

Each :class:`Terminal` is its own tmux server (its own socket), so tests never see each other
or a user's sessions. ``remain-on-exit`` keeps a finished pane, so its exit status can be read.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from khabar.index.frequency import cache_folder

# Marks the console puts around runs of text for bidi terminals; tmux keeps them (zero width).
BIDI_MARKS = re.compile("[\u200e\u200f\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;:]*m")


def tmux_or_fail() -> str:
    """tmux's path; in CI a missing tmux fails the test (nothing is skipped there)."""
    path = shutil.which("tmux")
    if path:
        return path
    message = "tmux is needed for the terminal tests: apt-get install tmux"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
    raise AssertionError  # unreachable


class Terminal:
    def __init__(
        self,
        command: Sequence[str],
        folder: Path,
        env: dict[str, str] | None = None,
        width: int = 100,
        height: int = 50,
    ) -> None:
        self.tmux = tmux_or_fail()
        self.socket = folder / f"tmux-{time.monotonic_ns()}.sock"
        config = folder / "tmux.conf"
        config.write_text("set -g remain-on-exit on\nset -g history-limit 5000\n")
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(folder),
            "LANG": "C.UTF-8",
            "TERM": "xterm-256color",
            # the word table other processes made (HOME is the test's own, for its history)
            "KHABAR_CACHE": str(cache_folder()),
            **(env or {}),
        }
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        # tmux may mark the pane dead before it has the exit status: the shell writes it down.
        self.status_file = folder / f"status-{time.monotonic_ns()}"
        shell = f"env -i {exports} {shlex.join(command)}; echo $? > {self.status_file}"
        self._tmux(
            "-f", str(config), "new-session", "-d", "-x", str(width), "-y", str(height), shell
        )

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(
            [self.tmux, "-u", "-S", str(self.socket), *args],
            capture_output=True, text=True, encoding="utf-8", timeout=20, env=self.env,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"tmux {args[0]}: {result.stderr.strip()}")
        return result.stdout

    # -- typing ---------------------------------------------------------------------------------

    def type(self, text: str) -> None:
        """Characters as typed, without Enter."""
        self._tmux("send-keys", "-l", text)

    def press(self, *keys: str) -> None:
        """Named keys: Enter, C-c, C-d, Up…"""
        self._tmux("send-keys", *keys)

    def ask(self, text: str) -> None:
        self.type(text)
        self.press("Enter")

    # -- reading --------------------------------------------------------------------------------

    def screen(self, escapes: bool = False, history: bool = True) -> str:
        """What the pane shows (and the scrollback), bidi marks removed unless ``escapes``."""
        args = ["capture-pane", "-p"]
        if history:
            args += ["-S", "-"]
        if escapes:
            args.append("-e")
        text = self._tmux(*args)
        return text if escapes else BIDI_MARKS.sub("", text)

    def wait_for(
        self, condition: str | Callable[[str], bool], timeout: float = 15, escapes: bool = False
    ) -> str:
        """The screen once ``condition`` (a text on it, or a predicate) holds."""
        check = condition if callable(condition) else (lambda screen: condition in screen)
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen(escapes=escapes)
            if check(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {condition!r}; screen:\n{screen}")
            time.sleep(0.05)

    def prompts(self) -> int:
        """How many times the console's prompt has been shown."""
        return self.screen().count("سؤالك>")

    def wait_for_prompt(self, count: int, timeout: float = 15) -> str:
        return self.wait_for(lambda s: s.count("سؤالك>") >= count, timeout)

    def exit_status(self, timeout: float = 10) -> int:
        """The command's exit status, once it has ended."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.status_file.read_text() if self.status_file.exists() else ""
            if text.endswith("\n"):
                return int(text)
            if time.monotonic() > deadline:
                raise AssertionError(f"still running; screen:\n{self.screen()}")
            time.sleep(0.05)

    def command_pid(self) -> int:
        """The command's own process (the pane runs a shell that waits for it)."""
        shell = self._tmux("display-message", "-p", "#{pane_pid}").strip()
        children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
        assert len(children) == 1, children
        return int(children[0])

    def alive(self) -> bool:
        return self._tmux("display-message", "-p", "#{pane_dead}").strip() == "0"

    def close(self) -> None:
        subprocess.run(
            [self.tmux, "-S", str(self.socket), "kill-server"], capture_output=True, timeout=20
        )
