"""State kept between updates: the questions behind «المزيد» buttons and the flood gate.

Pure logic with no Telegram types, so it is tested without a bot. Everything here is touched
only on the event loop, and everything is bounded: the least recently used entries go first.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

K = TypeVar("K")
V = TypeVar("V")

Verdict = Literal["ok", "notice", "drop"]


class BoundedCache(Generic[K, V]):
    """A dict that forgets its least recently used entries beyond ``size``."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, key: K) -> V | None:
        """The value (now most recently used), or None."""
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> list[K]:
        """Store ``value`` as most recently used; the keys it pushed out, oldest first."""
        self._items[key] = value
        self._items.move_to_end(key)
        evicted = []
        while len(self._items) > self.size:
            evicted.append(self._items.popitem(last=False)[0])
        return evicted

    def pop(self, key: K) -> V | None:
        return self._items.pop(key, None)


@dataclass(frozen=True)
class Request:
    """What a page of results is computed from: a question, or one ISO day."""

    kind: Literal["ask", "day"]
    text: str
    generation: int = 0  # the version of the index its pages came from


class RecentRequests:
    """The questions behind «المزيد» buttons, keyed by a short random id.

    Random keys (not a counter) so a button from before a restart is stale, never wrong.
    """

    def __init__(self, size: int = 10_000) -> None:
        self._cache: BoundedCache[str, Request] = BoundedCache(size)

    def put(self, request: Request) -> str:
        key = secrets.token_urlsafe(6)
        self._cache.put(key, request)
        return key

    def get(self, key: str) -> Request | None:
        return self._cache.get(key)


class FloodGate:
    """Per-user sliding window: past ``limit`` updates in ``window`` s, mute for ``mute`` s.

    The first update over the limit gets a notice, the rest of the mute is silent. Users seen
    least recently are forgotten beyond ``max_users``. ``clock`` gives monotonic seconds.
    """

    def __init__(
        self,
        limit: int = 8,
        window: float = 10.0,
        mute: float = 30.0,
        max_users: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window, self.mute = limit, window, mute
        self.clock = clock
        self._seen: BoundedCache[int, deque[float]] = BoundedCache(max_users)
        self._muted: dict[int, float] = {}

    def muted(self, user_id: int) -> bool:
        until = self._muted.get(user_id)
        if until is None:
            return False
        if self.clock() >= until:
            del self._muted[user_id]
            return False
        return True

    def check(self, user_id: int) -> Verdict:
        """Count one update from ``user_id`` and say what to do with it."""
        if self.muted(user_id):
            return "drop"
        now = self.clock()
        stamps = self._seen.get(user_id)
        if stamps is None:
            stamps = deque()
            for forgotten in self._seen.put(user_id, stamps):
                self._muted.pop(forgotten, None)
        while stamps and now - stamps[0] > self.window:
            stamps.popleft()
        stamps.append(now)
        if len(stamps) > self.limit:
            self._muted[user_id] = now + self.mute
            stamps.clear()
            return "notice"
        return "ok"
