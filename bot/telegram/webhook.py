"""The webhook server: Telegram's POSTs in, updates onto the application's queue.

PTB's documented custom-webhook pattern: the Application runs without an Updater and a web
server puts each update on ``application.update_queue``; here uvicorn serves a starlette app,
bounded against hostile clients:

* a request is judged from its headers before any body is read: the path (404), the secret
  token (403, compared in constant time), the content type (403), the declared length (413);
* a body is read up to ``max_body`` bytes (413, chunked bodies too) within ``body_timeout``
  (408), then parsed once: anything but a JSON object with an ``update_id`` is 400;
* a connection must deliver a whole request head within ``header_timeout`` of opening or of
  its previous response (a slowloris trickles bytes forever) and idles at most ``keep_alive``
  between requests;
* past ``max_connections`` the oldest half-sent heads make room for new connections, and
  past ``max_sockets`` (what the open-file limit allows) new ones are refused as they are
  accepted unless a whole request is waiting (:class:`ConnectionGuard`), so the process never
  runs out of descriptors;
* refusals close the connection, so a refused body is never read;
* ``GET /healthz`` answers 200 while updates are being taken, for the proxy.

On SIGTERM or SIGINT (:func:`serve`) the listening socket is closed first, so no new update
comes in; requests in flight finish; then the application works through its queue and stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hmac
import json
import logging
import resource
import signal
import socket
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from types import FrameType
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Bot, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from khabar.bot.settings import Settings
from khabar.bot.telegram.paging import BoundedCache
from khabar.bot.telegram.transport import Sleep

logger = logging.getLogger("khabar.telegram")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
SILENT_GRACE = 1.0  # s: a connection that has sent nothing yet is not closed to make room sooner
REFUSALS_PER_TICK = 512  # connections refused in one pass over the accept queue, at most
READY_MARGIN = 64  # sockets beyond max_sockets for connections whose whole head is waiting
PEEK = 16 * 1024 + 4  # h11's limit on a request head, and its blank line
REPORT_EVERY = 60.0  # s: how often pressure on the server is logged, at most
RECENT_UPDATES = 10_000  # update_ids remembered: Telegram redelivers what it saw no 200 for
# File descriptors the process needs besides webhook connections: the Bot API connection
# pools (256 + 1, PTB's sizes), the index, logs, the event loop's own.
OTHER_FILES = 320


@dataclasses.dataclass(frozen=True)
class Limits:
    """What clients may cost the server.

    ``max_sockets`` bounds the connections held at all, newcomers included: a connection past
    it is closed as it is accepted, so the process never runs out of file descriptors (where
    accept() fails and asyncio logs each failure with a traceback).
    """

    max_body: int = 1_048_576
    max_connections: int = 512
    max_sockets: int = 1024
    header_timeout: float = 10.0
    body_timeout: float = 10.0
    keep_alive: int = 5

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        """The settings' limits, fitted to the open-file limit (RLIMIT_NOFILE)."""
        wanted = settings.webhook_max_connections
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        infinite = soft == resource.RLIM_INFINITY
        room = 2 * wanted if infinite else soft - OTHER_FILES - READY_MARGIN
        if room < 16:
            raise OSError(f"the open-file limit ({soft}) leaves no room for webhook connections")
        if wanted > room:
            logger.warning(
                "webhook: %d connections do not fit the open-file limit of %d: keeping at most "
                "%d (raise LimitNOFILE to keep more)",
                wanted,
                soft,
                room,
            )
        return cls(
            max_body=settings.webhook_max_body,
            max_connections=min(wanted, room),
            max_sockets=min(2 * wanted, room),
            header_timeout=settings.webhook_header_timeout,
            body_timeout=settings.webhook_body_timeout,
            keep_alive=settings.webhook_keep_alive,
        )


# ---- connections: a bounded number, none idle for long ----------------------------------------


class ConnectionGuard:
    """The open connections, oldest first, and what was done to keep them bounded.

    Each connection is looked at as it is accepted (what it has sent, without reading it): a
    client that has sent its whole request head is *ready*, one that has sent some of it is
    *heard*. Past ``max_connections``, the oldest idle connections (no request in progress)
    are closed: heard ones first in line, silent ones after :data:`SILENT_GRACE`; never a ready
    one, nor one kept open after a response (refusals close theirs, so that is a real client's,
    bounded by the keep-alive timeout). A slowloris client's half heads make room for real
    requests. Past ``max_sockets`` a new connection is refused as it is accepted, unless it is
    ready (then up to :data:`READY_MARGIN` more). The counts are logged at most once a minute.
    """

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limits.max_connections
        self.max_sockets = limits.max_sockets
        self.clock = clock
        self.sockets = 0  # accepted and not yet lost: the descriptors connections hold
        self._open: OrderedDict[GuardedH11Protocol, float] = OrderedDict()
        self._closing: set[GuardedH11Protocol] = set()  # closed here, descriptor not yet freed
        self._accepted: dict[int, tuple[bool, bool]] = {}  # fd → (heard, ready)
        self.counts = {"evicted": 0, "refused": 0, "timed_out": 0, "invalid": 0}
        self._reported = clock()

    def __len__(self) -> int:
        return len(self._open)

    def wait_for_room(self) -> bool:
        """Whether to leave new connections queued for now: full, but sockets are closing.

        They are accepted on the next pass of the event loop, when the room is there, instead
        of being refused now (the queue is never left waiting on nothing, which would spin).
        """
        if self.sockets < self.max_sockets:
            return False
        self.trim()
        return bool(self._closing)

    def take_socket(self, fd: int, sent: bytes) -> bool:
        """Whether a socket just accepted may be kept (then it counts until it is lost)."""
        heard, ready = bool(sent), b"\r\n\r\n" in sent
        if self.sockets >= self.max_sockets:
            self.trim()  # room for the next ones, once these have closed
            if not ready or self.sockets >= self.max_sockets + READY_MARGIN:
                self.count("refused")
                return False
        self.sockets += 1
        self._accepted[fd] = heard, ready
        return True

    def admit(self, connection: GuardedH11Protocol, fd: int) -> None:
        connection.heard, connection.ready = self._accepted.pop(fd, (False, False))
        self._open[connection] = self.clock()
        self.trim()

    def trim(self) -> None:
        """Close the oldest idle connections until at most ``limit`` are open or just accepted,
        if it can."""
        if len(self._open) + len(self._accepted) <= self.limit:
            return
        now = self.clock()
        for old, opened in list(self._open.items()):
            if (
                old.idle
                and not (old.ready or old.served)
                and (old.heard or now - opened >= SILENT_GRACE)
            ):
                self.count("evicted")
                self.close(old)
                if len(self._open) + len(self._accepted) <= self.limit:
                    return

    def close(self, connection: GuardedH11Protocol) -> None:
        self._open.pop(connection, None)
        self._closing.add(connection)
        connection.transport.close()

    def lost(self, connection: GuardedH11Protocol) -> None:
        self._open.pop(connection, None)
        self._closing.discard(connection)
        self.sockets -= 1

    def count(self, what: str) -> None:
        self.counts[what] += 1
        now = self.clock()
        if now - self._reported >= REPORT_EVERY:
            self._reported = now
            logger.warning(
                "webhook under pressure in the last %.0f s: %s (%d connections open, limit %d)",
                REPORT_EVERY,
                ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in self.counts.items()),
                len(self._open),
                self.limit,
            )
            self.counts = dict.fromkeys(self.counts, 0)


class Listener(socket.socket):
    """The listening socket: accepts only what :class:`ConnectionGuard` has room for.

    asyncio accepts in a loop until the queue is empty. When the guard is full but connections
    it closed are about to free their descriptors, the rest wait in the queue for the next pass;
    otherwise a connection refused is closed at once (a bounded number per pass), so its
    descriptor is never held.
    """

    guard: ConnectionGuard | None = None

    def accept(self) -> tuple[socket.socket, Any]:
        if self.guard is not None and self.guard.wait_for_room():
            raise BlockingIOError  # room on the next pass; until then they wait in the queue
        for _ in range(REFUSALS_PER_TICK):
            conn, address = super().accept()  # BlockingIOError: the queue is empty
            if self.guard is None or self.guard.take_socket(conn.fileno(), _waiting(conn)):
                return conn, address
            conn.close()
        raise BlockingIOError  # the rest on the next pass of the event loop


def _waiting(conn: socket.socket) -> bytes:
    """What the client has sent so far, left unread."""
    try:
        return conn.recv(PEEK, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except OSError:
        return b""


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for each request head and a connection limit.

    uvicorn times out silent keep-alive connections, but a client that keeps sending a byte of
    its headers now and then is served forever; here the whole head must arrive in time.
    """

    def __init__(
        self,
        config: uvicorn.Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        assert isinstance(config, WebhookConfig)
        self.guard = config.guard
        self.head_timeout = config.limits.header_timeout
        self._head_deadline: asyncio.TimerHandle | None = None
        self.heard = False  # anything received
        self.ready = False  # a whole request head waiting to be read
        self.served = False  # a response went out and the connection stayed open

    @property
    def idle(self) -> bool:
        """No request in progress: before the first, or between two."""
        return self.cycle is None or self.cycle.response_complete

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()
        self.guard.admit(self, transport.get_extra_info("socket").fileno())

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_arrived()
        self.guard.lost(self)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self.heard, self.ready = True, False
        super().data_received(data)
        if not self.idle:
            self._head_arrived()
        elif len(self.guard) > self.guard.limit:
            self.guard.trim()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.idle and not self.transport.is_closing():
            self.served = True  # refusals close: this is Telegram (or the proxy) keeping it
            self._await_head()

    def _await_head(self) -> None:
        self._head_arrived()
        self._head_deadline = self.loop.call_later(self.head_timeout, self._head_too_slow)

    def _head_arrived(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_too_slow(self) -> None:
        self._head_deadline = None
        if self.idle and not self.transport.is_closing():
            self.guard.count("timed_out")
            self.guard.close(self)


class WebhookConfig(uvicorn.Config):
    """uvicorn's configuration for the webhook: the guarded protocol, no logging of its own."""

    def __init__(self, app: Starlette, limits: Limits) -> None:
        super().__init__(
            app,
            http=GuardedH11Protocol,
            ws="none",
            lifespan="off",
            log_config=None,  # the bot's logging, secrets redacted
            access_log=False,  # paths may carry a secret of their own
            server_header=False,
            proxy_headers=False,
            timeout_keep_alive=limits.keep_alive,
            # Requests in flight get as long as their body may take; then the drain begins.
            timeout_graceful_shutdown=int(limits.header_timeout + limits.body_timeout) + 1,
        )
        self.limits = limits
        self.guard = ConnectionGuard(limits)


class _CountInvalid(logging.Filter):
    """uvicorn logs each malformed request; a flood of them is counted instead."""

    def __init__(self, guard: ConnectionGuard) -> None:
        super().__init__()
        self.guard = guard

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith("Invalid HTTP request"):
            self.guard.count("invalid")
            return False
        return True


# ---- the web app: headers first, one read of a bounded body, one parse ------------------------


def _refuse(status: int, text: str) -> Response:
    """A refusal that closes the connection: whatever body follows is never read."""
    return PlainTextResponse(text, status_code=status, headers={"Connection": "close"})


def webhook_app(
    application: Application[Any, Any, Any, Any, Any, Any], path: str, secret: str, limits: Limits
) -> Starlette:
    """The starlette app: POST ``/<path>`` puts an update on the queue; ``/healthz``."""
    expected = secret.encode()
    recent: BoundedCache[int, bool] = BoundedCache(RECENT_UPDATES)

    async def receive_update(request: Request) -> Response:
        """One update from Telegram: headers checked, body bounded, parsed once, queued."""
        given = request.headers.get(SECRET_HEADER, "").encode("latin-1")
        if not hmac.compare_digest(given, expected):
            return _refuse(403, "Missing or wrong secret token")
        media_type = request.headers.get("Content-Type", "").partition(";")[0].strip()
        if media_type.lower() != "application/json":
            return _refuse(403, "Content-Type must be application/json")
        declared = request.headers.get("Content-Length")
        if declared is not None and not (declared.isascii() and declared.isdigit()):
            return _refuse(400, "Bad Content-Length")
        if declared is not None and int(declared) > limits.max_body:
            return _refuse(413, "Body too large")
        body = bytearray()
        try:
            async with asyncio.timeout(limits.body_timeout):
                async for chunk in request.stream():
                    body += chunk
                    if len(body) > limits.max_body:
                        return _refuse(413, "Body too large")
        except TimeoutError:
            return _refuse(408, "Body too slow")
        except ClientDisconnect:
            return _refuse(400, "Client went away")
        try:
            data = json.loads(body.decode("utf-8"))
        except (ValueError, RecursionError):  # not UTF-8, not JSON, nested too deep
            return _refuse(400, "Body is not JSON")
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            return _refuse(400, "Body is not a Telegram update")
        update_id: int = data["update_id"]
        if update_id in recent:  # a redelivery: it is queued already
            return Response()
        try:
            update = Update.de_json(data, application.bot)
        except Exception as exc:  # a JSON object PTB cannot read as an update
            logger.warning("webhook: update %s refused: %s: %s", update_id, type(exc).__name__, exc)
            return _refuse(400, "Body is not a Telegram update")
        recent.put(update_id, True)
        await application.update_queue.put(update)
        return Response()

    async def health(request: Request) -> Response:
        """For the proxy: 200 while updates are taken."""
        if application.running:
            return PlainTextResponse("ok")
        return PlainTextResponse("stopping", status_code=503)

    async def unknown(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        return _refuse(status, "Not Found" if status == 404 else "Method Not Allowed")

    return Starlette(
        routes=[
            Route(f"/{path}", receive_update, methods=["POST"]),
            Route(HEALTH_PATH, health, methods=["GET"]),
        ],
        exception_handlers={404: unknown, 405: unknown},
    )


# ---- running it ------------------------------------------------------------------------------


async def register(
    bot: Bot,
    settings: Settings,
    allowed_updates: list[str] | None = None,
    retries: int = 3,
    sleep: Sleep = asyncio.sleep,
) -> None:
    """setWebhook with the secret, tried ``retries`` more times (after 1, 2, 4 s) if it fails.

    A rejected token is not retried.
    """
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    for attempt in range(retries + 1):
        try:
            await bot.set_webhook(
                settings.webhook_url,
                secret_token=settings.webhook_secret.get_secret_value(),
                allowed_updates=allowed_updates,
            )
            return
        except InvalidToken:
            raise
        except TelegramError as exc:
            if attempt == retries:
                raise
            logger.warning("setWebhook failed (%s); trying again", type(exc).__name__)
            await sleep(2**attempt)


def listen(host: str, port: int, backlog: int = 2048) -> Listener:
    """The listening socket, bound before anything else starts (OSError: port taken)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = Listener(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(backlog)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


class WebhookServer:
    """uvicorn serving :func:`webhook_app` on a bound socket, with :class:`Limits`."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        settings: Settings,
        sock: Listener,
    ) -> None:
        assert settings.webhook_secret is not None
        self.application = application
        self.settings = settings
        self.limits = Limits.of(settings)
        app = webhook_app(
            application, settings.url_path, settings.webhook_secret.get_secret_value(), self.limits
        )
        self.config = WebhookConfig(app, self.limits)
        self.server = uvicorn.Server(self.config)
        self.sock = sock
        sock.guard = self.config.guard
        self._quiet = _CountInvalid(self.config.guard)
        self._serving_task: asyncio.Task[None] | None = None

    @property
    def guard(self) -> ConnectionGuard:
        return self.config.guard

    def stop(self) -> None:
        """Stop taking updates (safe from a signal handler; at any time)."""
        self.server.should_exit = True

    async def wait_closed(self) -> None:
        """Until the server has stopped: not listening, requests in flight finished."""
        if self._serving_task is not None:
            await asyncio.shield(self._serving_task)

    @contextlib.asynccontextmanager
    async def running(
        self, allowed_updates: list[str], sleep: Sleep = asyncio.sleep
    ) -> AsyncIterator[WebhookServer]:
        """The application started, the webhook registered and served, inside the block.

        On the way out the server stops taking updates first; then the application answers
        what it took and stops. Its post_init, post_stop and post_shutdown run where
        ``run_webhook`` runs them.
        """
        application = self.application
        try:
            async with application:
                if application.post_init is not None:
                    await application.post_init(application)
                await register(application.bot, self.settings, allowed_updates, sleep=sleep)
                await application.start()
                try:
                    async with self._serving():
                        yield self
                finally:
                    await application.stop()
                    if application.post_stop is not None:
                        await application.post_stop(application)
        finally:
            if application.post_shutdown is not None:
                await application.post_shutdown(application)

    @contextlib.asynccontextmanager
    async def _serving(self) -> AsyncIterator[None]:
        """uvicorn serving inside the block; on the way out, stopped and finished."""
        uvicorn_log = logging.getLogger("uvicorn.error")
        uvicorn_log.addFilter(self._quiet)
        self._serving_task = asyncio.create_task(self.server.serve(sockets=[self.sock]))
        try:
            yield
        finally:
            self.stop()
            await self._serving_task
            uvicorn_log.removeFilter(self._quiet)
            logger.info("webhook: no longer taking updates; answering those taken")


async def serve(
    application: Application[Any, Any, Any, Any, Any, Any],
    settings: Settings,
    allowed_updates: list[str],
) -> None:
    """``khabar telegram`` in webhook mode, until SIGTERM or SIGINT; then drain and stop.

    The port is bound first (a taken port fails before Telegram is told anything). A signal
    at any point, start-up and drain included, only asks the server to stop.
    """
    sock = listen(settings.listen, settings.port)
    try:
        server = WebhookServer(application, settings, sock)

        def stop(signum: int, frame: FrameType | None) -> None:
            server.stop()

        # uvicorn installs its own handlers while it serves and puts these back (calling
        # them with the signal it caught) when it is done.
        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            async with server.running(allowed_updates):
                logger.info(
                    "webhook mode: listening on %s:%s, at most %d connections",
                    settings.listen,
                    settings.port,
                    server.limits.max_connections,
                )
                await server.wait_closed()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    finally:
        sock.close()
