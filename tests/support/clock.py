"""A clock for flood and retry tests: time moves when a test says so, or when code sleeps."""

from __future__ import annotations

import asyncio


class FakeClock:
    """Monotonic seconds (call it) that never move by themselves.

    ``sleep`` records the pause, moves the clock by it and returns at once, so retry pauses
    cost a test nothing and can be asserted (``slept``).
    """

    def __init__(self, start: float = 0.0) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)  # still let the loop run, as a real pause would
