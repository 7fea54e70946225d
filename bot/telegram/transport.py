"""Talking to the Bot API: retry only what Telegram certainly did not do."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest, RequestData

logger = logging.getLogger("khabar.telegram")

Sleep = Callable[[float], Awaitable[None]]


class RetryingRequest(HTTPXRequest):
    """PTB's HTTPX transport, sending a request again when that cannot do harm.

    * a 5xx answer (Telegram's, or its proxy's "502 Bad Gateway"): nothing was done;
    * no connection could be made (refused, connect timeout): nothing was sent;
    * with ``idempotent=True`` (the getUpdates transport), any lost connection too: asking for
      updates again only repeats the question. This matters most for the getUpdates PTB sends
      on the way out to confirm the last batch: if it is lost, the next start answers that
      batch a second time.

    Each is retried after :attr:`PAUSES`. On the other transport a connection lost *after*
    the request went out is not retried: Telegram may already have delivered the message, and
    a reader must never get an answer twice. A 429 is AIORateLimiter's business (it waits
    ``retry_after``; PTB's polling loop does for getUpdates), and the typing action is cosmetic,
    so it is never retried (an answer waits for it). ``sleep`` waits out a pause (tests pass
    a clock that does not really wait).
    """

    PAUSES: tuple[float, ...] = (0.5, 1.0, 2.0)
    NO_RETRY = frozenset({"sendChatAction"})

    def __init__(
        self, *args: Any, idempotent: bool = False, sleep: Sleep = asyncio.sleep, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.idempotent = idempotent
        self.sleep = sleep

    def _harmless_to_repeat(self, exc: NetworkError) -> bool:
        if isinstance(exc.__cause__, httpx.ConnectError | httpx.ConnectTimeout):
            return True  # nothing was sent
        return self.idempotent and not isinstance(exc, TimedOut)  # PTB re-polls on a timeout

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: Any = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        endpoint = url.rpartition("/")[2]  # the URL holds the token: log only the method
        pauses = () if endpoint in self.NO_RETRY else self.PAUSES
        for attempt, pause in enumerate((*pauses, None), start=1):
            try:
                code, payload = await super().do_request(
                    url, method, request_data, read_timeout, write_timeout, connect_timeout,
                    pool_timeout,
                )  # fmt: skip
            except NetworkError as exc:  # TimedOut too
                if pause is None or not self._harmless_to_repeat(exc):
                    raise
                why = f"{type(exc.__cause__ or exc).__name__}"
            else:
                if code < 500 or pause is None:
                    return code, payload
                why = f"HTTP {code}"
            logger.warning("%s: %s, attempt %d; retrying in %ss", endpoint, why, attempt, pause)
            await self.sleep(pause)
        raise AssertionError("unreachable")
