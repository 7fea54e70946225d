"""A local Telegram Bot API stand-in, as strict as Telegram about what the bot sends.

The bot under test talks real HTTP to it (PTB's ``base_url``), so everything between the
handlers and the wire is exercised: encoding, HTML parse mode, keyboards, long polling. It runs
tornado on its own event loop in a thread so a test may block (``subprocess.run``) or the bot
may misbehave without stalling the stand-in. Every call is recorded for assertions.

It also misbehaves on request, as Telegram and the network sometimes do (:class:`Fault`): a 429
with ``parameters.retry_after``, a 500 (JSON, or a proxy's HTML page), a connection dropped
before the request is processed or in the middle of the reply, a long poll held past the
client's timeout; and :attr:`BotApiStub.delay` slows a method down. Updates are confirmed as
Telegram confirms them: only when a later getUpdates passes ``offset`` > ``update_id``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar
from urllib.parse import parse_qsl, urlsplit

import tornado.httpserver
import tornado.netutil
import tornado.web

TOKEN = "123456789:AAHk-khabar_test_token_0123456789abcdefXYZ"
BOT_ID = 1_000_001
BOT_USERNAME = "khabar_test_bot"
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_INLINE_RESULTS = 50

T = TypeVar("T")

# ---- Telegram's HTML parse mode ----------------------------------------------------------

_ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "blockquote", "tg-spoiler", "span", "tg-emoji",
}  # fmt: skip
_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'))?)*)\s*>"
)
_ATTR = re.compile(r"([A-Za-z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'))?")
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class ApiError(Exception):
    """A Bot API error response: ``{"ok": false, "error_code": …, "description": …}``."""

    def __init__(self, description: str, code: int = 400, retry_after: int = 1) -> None:
        super().__init__(description)
        self.description = description
        self.code = code
        self.retry_after = retry_after  # sent as parameters.retry_after with a 429


FaultKind = Literal["429", "500", "drop", "drop_mid_reply", "hang"]


@dataclass(frozen=True)
class Fault:
    """One misbehaviour, served instead of (or on top of) the next answer to one method.

    * ``429`` — ``Too Many Requests: retry after N`` with ``parameters.retry_after``; not done.
    * ``500`` — Internal Server Error, Telegram's JSON or a raw ``body`` (a proxy's HTML page,
      which may echo the request line, token included); not done.
    * ``drop`` — the connection is closed before the request is processed; not done.
    * ``drop_mid_reply`` — the request **is** processed (a message is sent, updates are
      handed out), then the reply is cut after half its bytes and the connection closed.
    * ``hang`` — nothing is processed; the connection is held ``seconds``, then closed (a long
      poll that outlives the client's read timeout).
    """

    kind: FaultKind
    retry_after: int = 1
    seconds: float = 0.0
    body: bytes | None = None

    def status(self) -> int:
        return 429 if self.kind == "429" else 500

    def error_body(self) -> dict[str, Any]:
        """What Telegram answers for a 429 or a 500."""
        if self.kind == "429":
            return {"ok": False, "error_code": 429,
                    "description": f"Too Many Requests: retry after {self.retry_after}",
                    "parameters": {"retry_after": self.retry_after}}  # fmt: skip
        return {"ok": False, "error_code": 500, "description": "Internal Server Error"}


def utf16_len(text: str) -> int:
    """Telegram measures text in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """Telegram's HTML parse mode: the visible text, or ApiError like the real server."""

    def fail(why: str, at: int) -> ApiError:
        offset = len(text[:at].encode("utf-8"))
        return ApiError(f"Bad Request: can't parse entities: {why} at byte offset {offset}")

    visible: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            match = _TAG.match(text, i)
            if not match:
                raise fail("Unsupported start tag", i)
            closing, name, attrs = match[1], match[2].lower(), match[3]
            if name not in _ALLOWED_TAGS:
                raise fail(f'Unsupported start tag "{name}"', i)
            if closing:
                if attrs.strip():
                    raise fail("Unexpected attributes in end tag", i)
                if not stack or stack[-1] != name:
                    expected = f"</{stack[-1]}>" if stack else "nothing"
                    raise fail(f'Unmatched end tag "{name}", expected {expected}', i)
                stack.pop()
            else:
                found = {
                    m[1].lower(): m[2] if m[2] is not None else m[3] for m in _ATTR.finditer(attrs)
                }
                if name == "span" and found.get("class") != "tg-spoiler":
                    raise fail('Tag "span" must have class "tg-spoiler"', i)
                if name == "a" and not found.get("href"):
                    raise fail('Tag "a" must have attribute "href"', i)
                if (
                    stack
                    and stack[-1] in ("code", "pre")
                    and not (stack[-1] == "pre" and name == "code")
                ):
                    raise fail(f'Tag "{name}" can\'t be inside "{stack[-1]}"', i)
                if name == "blockquote" and "blockquote" in stack:
                    raise fail("Nested blockquotes are not allowed", i)
                stack.append(name)
            i = match.end()
        elif char == "&":
            match = _ENTITY.match(text, i)
            if not match:
                raise fail("Character entity expected", i)
            if match[1]:
                visible.append(_NAMED[match[1]])
            else:
                point = int(match[2]) if match[2] else int(match[3], 16)
                if not 0 < point <= 0x10FFFF or 0xD800 <= point <= 0xDFFF:
                    raise fail("Invalid character entity", i)
                visible.append(chr(point))
            i = match.end()
        elif char == ">":
            raise fail("Unexpected end tag symbol", i)
        else:
            visible.append(char)
            i += 1
    if stack:
        raise ApiError(
            "Bad Request: can't parse entities: Can't find end tag corresponding to start tag "
            f'"{stack[-1]}"'
        )
    return "".join(visible)


def check_text(text: Any, parse_mode: Any) -> str:
    """A message text as Telegram checks it; returns what the user sees."""
    if not isinstance(text, str) or not text:
        raise ApiError("Bad Request: message text is empty")
    mode = (parse_mode or "").lower()
    if mode == "html":
        visible = parse_html(text)
    elif mode in ("", "none"):
        visible = text
    else:
        raise ApiError(f"Bad Request: unsupported parse_mode {parse_mode!r} in this stand-in")
    if not visible.strip():
        raise ApiError("Bad Request: message text is empty")
    if utf16_len(visible) > MAX_TEXT:
        raise ApiError("Bad Request: message is too long")
    return visible


def check_markup(markup: Any) -> None:
    """Inline keyboards: non-empty button texts, callback_data of 1–64 bytes."""
    if markup is None:
        return
    if not isinstance(markup, dict) or not isinstance(markup.get("inline_keyboard"), list):
        raise ApiError("Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup["inline_keyboard"]:
        if not isinstance(row, list):
            raise ApiError('Bad Request: field "inline_keyboard" must be an Array of Arrays')
        for button in row:
            if not isinstance(button, dict) or not str(button.get("text", "")).strip():
                raise ApiError("Bad Request: text buttons are unallowed in the inline keyboard")
            actions = {"callback_data", "url", "switch_inline_query",
                       "switch_inline_query_current_chat", "copy_text"} & button.keys()  # fmt: skip
            if len(actions) != 1:
                raise ApiError("Bad Request: inline keyboard button must have exactly one action")
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                    raise ApiError("Bad Request: BUTTON_DATA_INVALID")


# ---- recording ---------------------------------------------------------------------------


@dataclass
class Call:
    """One Bot API request the bot made, and what it got back."""

    method: str
    params: dict[str, Any]
    ok: bool
    result: Any = None
    description: str | None = None
    visible: str | None = None  # the text the user sees (sendMessage/editMessageText)
    at: float = field(default_factory=time.monotonic)
    fault: FaultKind | None = None  # set when the stand-in misbehaved on this call


_JSON_PARAMS = {
    "reply_markup", "results", "commands", "allowed_updates", "link_preview_options",
    "reply_parameters", "entities", "button", "scope",
}  # fmt: skip
_INT_PARAMS = {"chat_id", "message_id", "offset", "limit", "timeout", "cache_time",
               "message_thread_id", "max_connections"}  # fmt: skip


def _decode_params(raw: dict[str, str]) -> dict[str, Any]:
    """PTB sends form fields whose non-string values are JSON: undo that per field."""
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _JSON_PARAMS:
            params[key] = json.loads(value)
        elif key in _INT_PARAMS:
            try:
                params[key] = int(value)
            except ValueError:
                params[key] = value
        elif value in ("true", "false"):
            params[key] = value == "true"
        else:
            params[key] = value
    return params


class _ApiHandler(tornado.web.RequestHandler):
    def initialize(self, stub: BotApiStub) -> None:
        self.stub = stub

    async def post(self, token: str, method: str) -> None:
        raw: dict[str, str] = {k: v.decode() for k, v in parse_qsl_bytes(self.request.query)}
        ctype = self.request.headers.get("Content-Type", "")
        if ctype.startswith("application/json") and self.request.body:
            raw.update({k: v if isinstance(v, str) else json.dumps(v)
                        for k, v in json.loads(self.request.body).items()})  # fmt: skip
        else:
            raw.update({k: v[-1].decode() for k, v in self.request.body_arguments.items()})
        stub = self.stub
        fault = stub._take_fault(token, method)
        delay = stub.delay.get(_method_name(method), 0.0)
        if delay:
            await asyncio.sleep(delay)
        if fault is None or fault.kind == "drop_mid_reply":
            kind = fault.kind if fault else None
            status, body = await stub._dispatch(token, method, raw, kind)
        else:
            stub._record_fault(method, raw, fault)
            if fault.kind in ("drop", "hang"):
                await asyncio.sleep(fault.seconds)
                self.detach().close()
                return
            if fault.kind == "500" and fault.body is not None:
                self.set_status(500)
                self.set_header("Content-Type", "text/html")
                self.finish(fault.body)
                return
            status, body = fault.status(), fault.error_body()
        payload = json.dumps(body, ensure_ascii=False).encode()
        if fault is not None and fault.kind == "drop_mid_reply":
            stream = self.detach()
            head = (
                f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n"
            ).encode()
            with contextlib.suppress(Exception):  # the client may be gone already
                await stream.write(head + payload[: len(payload) // 2])
            stream.close()
            return
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(payload)

    get = post


def _method_name(method: str) -> str:
    return method[:1].lower() + method[1:]


def _lenient(raw: dict[str, str]) -> dict[str, Any]:
    try:
        return _decode_params(raw)
    except (ValueError, json.JSONDecodeError):
        return dict(raw)


def parse_qsl_bytes(query: str) -> list[tuple[str, bytes]]:
    return [(k, v.encode()) for k, v in parse_qsl(query, keep_blank_values=True)]


class BotApiStub:
    """The stand-in server plus helpers that play the user's side of a chat."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.bot_user = {
            "id": BOT_ID, "is_bot": True, "first_name": "خبر", "username": BOT_USERNAME,
            "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }  # fmt: skip
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.callbacks: dict[str, bool] = {}  # id → answered
        self.inline_queries: dict[str, bool] = {}
        self.webhook: dict[str, Any] = {"url": ""}
        self.commands: list[dict[str, Any]] = []
        self.fail_next: dict[str, ApiError] = {}  # method → one error to return next time
        self.faults: dict[str, deque[Fault]] = {}  # method → misbehaviours, next one first
        self.delay: dict[str, float] = {}  # method → seconds every request waits first
        self.on_call: Callable[[Call], None] | None = None  # sees each call, in the server thread
        self.queued_at: dict[int, float] = {}  # update_id → time.monotonic() of push()
        self._updates: list[dict[str, Any]] = []
        self._confirmed = 0
        self._ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._lock = threading.RLock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # ---- lifecycle -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> BotApiStub:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the Bot API stand-in did not start")
        return self

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop

        async def listen() -> tornado.httpserver.HTTPServer:
            self._wakeup = asyncio.Event()
            app = tornado.web.Application(
                [(r"/bot([^/]+)/([A-Za-z]+)", _ApiHandler, {"stub": self})],
                log_function=lambda handler: None,  # the URL holds the token: never log it
            )
            sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
            server = tornado.httpserver.HTTPServer(app)
            server.add_sockets(sockets)
            self.port = sockets[0].getsockname()[1]
            return server

        server = loop.run_until_complete(listen())
        ready.set()
        try:
            loop.run_forever()
        finally:
            server.stop()
            with contextlib.suppress(Exception):
                loop.run_until_complete(server.close_all_connections())
            loop.close()

    def stop(self) -> None:
        if self._loop and self._thread:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def __enter__(self) -> BotApiStub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- the user's side -----------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue one update for getUpdates (update_id assigned here)."""
        with self._lock:
            update = {"update_id": next(self._ids), **update}
            self._updates.append(update)
            self.queued_at[update["update_id"]] = time.monotonic()
        if self._loop and self._wakeup:
            self._loop.call_soon_threadsafe(self._wakeup.set)
        return update

    def _chat(self, chat_id: int, chat_type: str, user: dict[str, Any]) -> dict[str, Any]:
        if chat_type == "private":
            chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
        else:
            chat = {"id": chat_id, "type": chat_type, "title": "مجموعة الاختبار"}
        with self._lock:
            self._chats[chat_id] = chat
        return chat

    def _next_message_id(self, chat_id: int) -> int:
        with self._lock:
            return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    @staticmethod
    def user(user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"مستخدم {user_id}",
                "language_code": "ar"}  # fmt: skip

    def message(
        self,
        user_id: int,
        text: str | None = None,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        reply_to: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
        deliver: bool = True,
    ) -> dict[str, Any]:
        """A user's message, with the entities Telegram's clients add (commands, mentions)."""
        user = self.user(user_id)
        chat_id = chat_id if chat_id is not None else user_id
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": self._chat(chat_id, chat_type, user),
            "from": user,
        }
        if text is not None:
            message["text"] = text
            entities = _entities(text)
            if entities:
                message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        message.update(extra or {})
        with self._lock:
            self.messages[(chat_id, message["message_id"])] = message
        if deliver:  # False: the test delivers it itself (a webhook POST)
            self.push({"message": message})
        return message

    def sticker(self, user_id: int, **kwargs: Any) -> dict[str, Any]:
        sticker = {"file_id": "CAACAgIAAxkBAAE", "file_unique_id": "AgADAQAD", "type": "regular",
                   "width": 512, "height": 512, "is_animated": False, "is_video": False,
                   "emoji": "😀"}  # fmt: skip
        return self.message(user_id, extra={"sticker": sticker}, **kwargs)

    def press(self, user_id: int, message: dict[str, Any], data: str) -> str:
        """Tap an inline button (its callback_data) under one of the bot's messages."""
        query_id = f"cb{next(self._ids)}"
        with self._lock:
            self.callbacks[query_id] = False
        self.push({"callback_query": {
            "id": query_id, "from": self.user(user_id), "chat_instance": "ci1",
            "message": {k: v for k, v in message.items() if k != "html"}, "data": data,
        }})  # fmt: skip
        return query_id

    def inline(self, user_id: int, query: str, offset: str = "") -> str:
        query_id = f"iq{next(self._ids)}"
        with self._lock:
            self.inline_queries[query_id] = False
        self.push({"inline_query": {
            "id": query_id, "from": self.user(user_id), "query": query, "offset": offset,
            "chat_type": "private",
        }})  # fmt: skip
        return query_id

    # ---- what the user received ----------------------------------------------------------

    def calls_to(self, method: str, ok: bool | None = True) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and (ok is None or c.ok == ok)]

    def sent(self, chat_id: int) -> list[Call]:
        """Messages the bot sent to one chat, in order."""
        return [c for c in self.calls_to("sendMessage") if c.params.get("chat_id") == chat_id]

    def errors(self) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if not c.ok]

    def pending(self) -> int:
        """Updates not yet confirmed by a getUpdates offset."""
        with self._lock:
            return len(self._updates)

    # ---- misbehaving -----------------------------------------------------------------------

    def inject(self, method: str, kind: FaultKind, times: int = 1, **options: Any) -> None:
        """Serve ``Fault(kind, **options)`` to the next ``times`` requests to ``method``."""
        with self._lock:
            queue = self.faults.setdefault(method, deque())
            queue.extend(Fault(kind, **options) for _ in range(times))

    def faults_served(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.fault and method in (None, c.method)]

    def _take_fault(self, token: str, method: str) -> Fault | None:
        if token != self.token:
            return None
        with self._lock:
            queue = self.faults.get(_method_name(method))
            return queue.popleft() if queue else None

    def _record_fault(self, method: str, raw: dict[str, str], fault: Fault) -> None:
        description = f"injected {fault.kind}"
        call = Call(_method_name(method), _lenient(raw), ok=False, description=description,
                    fault=fault.kind)  # fmt: skip
        self._append(call)

    def _append(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
        if self.on_call is not None:
            self.on_call(call)

    def bot_message(self, call: Call) -> dict[str, Any]:
        """The current state of a message the bot sent (edits applied)."""
        result = call.result
        with self._lock:
            return self.messages[(result["chat"]["id"], result["message_id"])]

    async def wait(self, predicate: Callable[[], T], timeout: float = 10.0) -> T:
        """Poll until ``predicate()`` is truthy; fail with the recent traffic otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                recent = [(c.method, c.ok, c.description) for c in self.calls[-8:]]
                raise AssertionError(f"timed out after {timeout}s; last calls: {recent}")
            await asyncio.sleep(0.02)

    def wait_sync(self, predicate: Callable[[], T], timeout: float = 10.0) -> T:
        deadline = time.monotonic() + timeout
        while not (value := predicate()):
            if time.monotonic() > deadline:
                recent = [(c.method, c.ok, c.description) for c in self.calls[-8:]]
                raise AssertionError(f"timed out after {timeout}s; last calls: {recent}")
            time.sleep(0.02)
        return value

    # ---- the server side -----------------------------------------------------------------

    async def _dispatch(
        self, token: str, method: str, raw: dict[str, str], fault: FaultKind | None = None
    ) -> tuple[int, dict]:
        """Serve one request; ``fault`` marks the recorded call (a reply that will be cut)."""
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        name = _method_name(method)
        try:
            params = _decode_params(raw)
        except (ValueError, json.JSONDecodeError):
            params = dict(raw)
            return self._record(name, params, ApiError("Bad Request: can't parse JSON"))
        handler = getattr(self, f"_api_{name}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        injected = self.fail_next.pop(name, None)
        if injected is not None:
            return self._record(name, params, injected, fault)
        try:
            result = handler(params)
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as exc:
            return self._record(name, params, exc, fault)
        return self._record(name, params, result, fault)

    def _record(
        self, method: str, params: dict[str, Any], outcome: Any, fault: FaultKind | None = None
    ) -> tuple[int, dict]:
        if isinstance(outcome, ApiError):
            call = Call(method, params, ok=False, description=outcome.description, fault=fault)
            body: dict[str, Any] = {
                "ok": False,
                "error_code": outcome.code,
                "description": outcome.description,
            }
            if outcome.code == 429:
                body["parameters"] = {"retry_after": outcome.retry_after}
            status = outcome.code
        else:
            visible = outcome.get("text") if isinstance(outcome, dict) else None
            call = Call(method, params, ok=True, result=outcome, visible=visible, fault=fault)
            body, status = {"ok": True, "result": outcome}, 200
        self._append(call)
        return status, body

    def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook["url"]:
            raise ApiError(
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
                409,
            )
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 30)
        assert self._wakeup is not None
        while True:
            self._wakeup.clear()
            with self._lock:
                if offset:
                    self._confirmed = max(self._confirmed, offset - 1)
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                pending = self._updates[:limit]
            remaining = deadline - time.monotonic()
            if pending or remaining <= 0:
                return pending
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), remaining)

    def _known_chat(self, params: dict[str, Any]) -> int:
        chat_id = params.get("chat_id")
        with self._lock:
            if chat_id not in self._chats:
                raise ApiError("Bad Request: chat not found")
        return chat_id  # type: ignore[return-value]

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._known_chat(params)
        visible = check_text(params.get("text"), params.get("parse_mode"))
        check_markup(params.get("reply_markup"))
        reply = params.get("reply_parameters")
        if reply is not None:
            with self._lock:
                exists = (reply.get("chat_id", chat_id), reply["message_id"]) in self.messages
            if not exists and not reply.get("allow_sending_without_reply"):
                raise ApiError("Bad Request: message to be replied not found")
        message = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": self._chats[chat_id],
            "from": self.bot_user,
            "text": visible,
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        with self._lock:
            self.messages[(chat_id, message["message_id"])] = {**message, "html": params["text"]}
        return message

    def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._edit(params, text=True)

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._edit(params, text=False)

    def _edit(self, params: dict[str, Any], text: bool) -> dict[str, Any]:
        """One of the bot's messages edited: its text and buttons, or (``text=False``) its
        buttons alone; an edit that changes nothing is refused, as Telegram refuses it."""
        chat_id = self._known_chat(params)
        key = (chat_id, params.get("message_id"))
        with self._lock:
            old = self.messages.get(key)
        if old is None or old["from"]["id"] != BOT_ID:
            raise ApiError("Bad Request: message to edit not found")
        changes: dict[str, Any] = {"edit_date": int(time.time())}
        if text:
            changes["text"] = check_text(params.get("text"), params.get("parse_mode"))
            changes["html"] = params["text"]
        check_markup(params.get("reply_markup"))
        if old.get("html") == changes.get("html", old.get("html")) and old.get(
            "reply_markup"
        ) == params.get("reply_markup"):
            raise ApiError(
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message"
            )
        message = {**old, **changes}
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        with self._lock:
            self.messages[key] = message
        return {k: v for k, v in message.items() if k != "html"}

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        query_id = params.get("callback_query_id")
        with self._lock:
            if self.callbacks.get(query_id, True):
                raise ApiError(
                    "Bad Request: query is too old and response timeout expired or query ID is "
                    "invalid"
                )
            if len(str(params.get("text") or "")) > 200:
                raise ApiError("Bad Request: MESSAGE_TOO_LONG")
            self.callbacks[query_id] = True
        return True

    def _api_answerInlineQuery(self, params: dict[str, Any]) -> bool:
        query_id = params.get("inline_query_id")
        with self._lock:
            if self.inline_queries.get(query_id, True):
                raise ApiError(
                    "Bad Request: query is too old and response timeout expired or query ID is "
                    "invalid"
                )
        results = params.get("results")
        if not isinstance(results, list):
            raise ApiError("Bad Request: can't parse inline query results JSON object")
        if len(results) > MAX_INLINE_RESULTS:
            raise ApiError("Bad Request: RESULTS_TOO_MUCH")
        ids = [r.get("id") for r in results]
        if len(set(ids)) != len(ids):
            raise ApiError("Bad Request: RESULT_ID_DUPLICATE")
        for result in results:
            if not isinstance(result.get("id"), str) or not 1 <= len(result["id"].encode()) <= 64:
                raise ApiError("Bad Request: RESULT_ID_INVALID")
            if result.get("type") != "article" or not str(result.get("title", "")).strip():
                raise ApiError("Bad Request: RESULT_TITLE_EMPTY")
            content = result.get("input_message_content") or {}
            check_text(content.get("message_text"), content.get("parse_mode"))
            check_markup(result.get("reply_markup"))
        with self._lock:
            self.inline_queries[query_id] = True
        return True

    def _api_sendChatAction(self, params: dict[str, Any]) -> bool:
        self._known_chat(params)
        actions = {"typing", "upload_photo", "record_video", "upload_video", "record_voice",
                   "upload_voice", "upload_document", "choose_sticker", "find_location",
                   "record_video_note", "upload_video_note"}  # fmt: skip
        if params.get("action") not in actions:
            raise ApiError("Bad Request: wrong parameter action in request")
        return True

    def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError("Bad Request: can't parse commands JSON object")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise ApiError("Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise ApiError("Bad Request: command description is empty")
        self.commands = commands
        return True

    def _api_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands

    def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {"url": ""}
        if params.get("drop_pending_updates"):
            with self._lock:
                self._updates.clear()
        return True

    def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url") or "")
        if url:
            parsed = urlsplit(url)
            if parsed.scheme != "https":
                raise ApiError("Bad Request: bad webhook: HTTPS url must be provided for webhook")
            if (parsed.port or 443) not in (80, 88, 443, 8443):
                raise ApiError(
                    "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 "
                    "or 8443"
                )
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise ApiError("Bad Request: secret token contains unallowed characters")
        self.webhook = {"url": url, "secret_token": secret,
                        "allowed_updates": params.get("allowed_updates")}  # fmt: skip
        return True

    def _api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            pending = len(self._updates)
        return {"url": self.webhook["url"], "has_custom_certificate": False,
                "pending_update_count": pending}  # fmt: skip

    def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    def _api_logOut(self, params: dict[str, Any]) -> bool:
        return True


def _entities(text: str) -> list[dict[str, Any]]:
    """bot_command at the start and @mentions, with UTF-16 offsets as Telegram sends them."""
    found = []
    for match in re.finditer(
        r"(?:^/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?)|(?:@[A-Za-z0-9_]{5,32})", text
    ):
        kind = "bot_command" if match.start() == 0 and text.startswith("/") else "mention"
        found.append({
            "type": kind,
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        })  # fmt: skip
    return found
