"""The Telegram face of khabar: questions in, dated passages with citations out.

Handlers are small async functions in the style of PTB's examples; the engine answers and
:mod:`bot.html` renders, both in a worker thread so one long question never stalls the event
loop (updates are processed concurrently). Everything Telegram-specific lives here; the CLI
imports this module only for ``khabar telegram``.

Callback data (≤ 64 bytes): ``m:<key>:<offset>`` next page of a stored question, ``d:<iso>``
one day's events, ``x:<n>`` an example question, ``t:<page>`` a page of the timeline keyboard.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import logging
import re
import secrets
import sys
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import httpx
import tornado.web
from telegram import (
    BotCommand,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.ext._utils import webhookhandler as ptb_webhook  # see StrictWebhookHandler
from telegram.request import HTTPXRequest, RequestData

from khabar.bot import html as tg
from khabar.bot.replies import EXAMPLES, date_label, gregorian_label, iso_label
from khabar.bot.settings import Settings, SettingsError, load_settings
from khabar.index.calendar import PartialDate
from khabar.index.models import Passage
from khabar.index.search import Answer, Engine

logger = logging.getLogger("khabar.telegram")

Context = ContextTypes.DEFAULT_TYPE
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
INLINE_PAGE = 20  # Telegram allows 50 results per answer; 20 keeps answers small
TIMELINE_PAGE = 24  # day buttons per timeline page (8 rows of 3)
MORE = "المزيد"
_ISO_DAY = re.compile(r"^(\d{4}|-)-\d{2}-\d{2}$")

START = (
    "مرحبًا! أنا <b>خبر</b>: أجيب عن أسئلتك حول {what} بفقرات مؤرَّخة "
    "(ميلادي وهجري) مع مصدر كل فقرة.\n\n"
    "اكتب سؤالك بالعربية، أو اضغط أحد الأمثلة:"
)
HELP = (
    "<b>كيف تسألني</b>\n"
    "• اكتب سؤالًا، مثل: «متى سقط حي مساكن هنانو؟»\n"
    "• /date 7 ديسمبر — كل أحداث يوم (أي صيغة: ١٠ كانون الأول، 2016-12-07…)\n"
    "• /timeline — أيام الأحداث كلها\n"
    "• /source — المقالات المفهرسة ومصادرها\n"
    "• في أي محادثة: اكتب <code>@{username} سؤالك</code>\n"
    "• في المجموعات: اذكرني (@{username}) أو ردّ على رسالتي.\n\n"
    "جرّب:"
)
NON_TEXT = "أفهم الرسائل النصية فقط. اكتب سؤالك عن المقال، مثل: «{example}»"
UNKNOWN_COMMAND = "أمر غير معروف. الأوامر: /start /help /date /timeline /source"
DATE_USAGE = "اكتب التاريخ بعد الأمر، مثل:\n/date 7 ديسمبر\n/date ١٠ كانون الأول\n/date 2016-12-07"
DATE_NOT_FOUND = "لم أجد تاريخًا في «{phrase}». اكتب مثلًا: /date 7 ديسمبر"
STALE = "انتهت صلاحية هذا الزر. أرسل سؤالك من جديد."
NO_MORE = "لا مزيد من النتائج."
FLOOD = "رسائلك كثيرة وسريعة 🙏 سأتوقف عن الرد عليك {seconds} ثانية، ثم أعود."
NOT_ALLOWED = "عذرًا، هذا البوت خاص."
FAILED = "حدث خطأ أثناء تحضير الرد. حاول مرة أخرى بعد قليل."
COMMANDS = [
    BotCommand("start", "بدء المحادثة وأمثلة للأسئلة"),
    BotCommand("help", "طريقة السؤال والأوامر"),
    BotCommand("date", "أحداث يوم محدد: ‎/date 7 ديسمبر"),
    BotCommand("timeline", "كل أيام الأحداث بالترتيب"),
    BotCommand("source", "المقالات المفهرسة ومصادرها"),
]


# ---- logging: the token must never reach a log line ------------------------------------------


class RedactSecrets(logging.Filter):
    """Replaces secrets in a record's message and traceback before any handler formats it.

    Attached to the root handlers, so it sees records of every logger (httpx logs request URLs,
    which contain the token; PTB puts the token in ``InvalidToken`` messages).
    """

    def __init__(self) -> None:
        super().__init__("khabar-redact")
        self.secrets: set[str] = set()

    def redact(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "[REDACTED]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw template
            message = str(record.msg)
        record.msg, record.args = self.redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


REDACTOR = RedactSecrets()


class _QuietStartup(logging.Filter):
    """PTB logs a full traceback when start-up fails; :func:`run` says why in one line.

    A rejected token is dropped (its message would hold the token), other start-up failures
    keep their one-line log message without the traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.exc_info:
            return True
        if isinstance(record.exc_info[1], InvalidToken):
            return False
        if "Bootstrap" in record.getMessage():
            record.exc_info, record.exc_text = None, None
        return True


def protect_logs(secret_values: Iterable[str]) -> None:
    """Quiet httpx (it logs every URL, token included) and redact secrets on root handlers."""
    for value in secret_values:
        if value:
            REDACTOR.secrets.update({value, value.replace(":", "%3A")})
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        if REDACTOR not in handler.filters:
            handler.addFilter(REDACTOR)
    ptb = logging.getLogger("telegram.ext")
    if not any(isinstance(f, _QuietStartup) for f in ptb.filters):
        ptb.addFilter(_QuietStartup())


# ---- talking to the Bot API: retry only what Telegram certainly did not do -------------------


class RetryingRequest(HTTPXRequest):
    """PTB's HTTPX transport, sending a request again when that cannot do harm.

    * a 5xx answer (Telegram's, or its proxy's "502 Bad Gateway"): nothing was done;
    * no connection could be made (refused, connect timeout): nothing was sent;
    * with ``idempotent=True`` (the getUpdates transport), any lost connection too: asking for
      updates again only repeats the question. This matters most for the getUpdates PTB sends
      on the way out to confirm the last batch: if it is lost, the next start answers that
      batch a second time.

    Each is retried after 0.5, 1 and 2 s. On the other transport a connection lost *after*
    the request went out is not retried: Telegram may already have delivered the message, and
    a reader must never get an answer twice. A 429 is AIORateLimiter's business (it waits
    ``retry_after``; PTB's polling loop does for getUpdates), and the typing action is cosmetic,
    so it is never retried (an answer waits for it).
    """

    PAUSES: tuple[float, ...] = (0.5, 1.0, 2.0)
    NO_RETRY = frozenset({"sendChatAction"})

    def __init__(self, *args, idempotent: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.idempotent = idempotent

    def _harmless_to_repeat(self, exc: NetworkError) -> bool:
        if isinstance(exc.__cause__, httpx.ConnectError | httpx.ConnectTimeout):
            return True  # nothing was sent
        return self.idempotent and not isinstance(exc, TimedOut)  # PTB re-polls on a timeout

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout=HTTPXRequest.DEFAULT_NONE,
        write_timeout=HTTPXRequest.DEFAULT_NONE,
        connect_timeout=HTTPXRequest.DEFAULT_NONE,
        pool_timeout=HTTPXRequest.DEFAULT_NONE,
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
            await asyncio.sleep(pause)
        raise AssertionError("unreachable")


# ---- the webhook endpoint: the secret, then a JSON update, or 4xx ------------------------------


class StrictWebhookHandler(ptb_webhook.TelegramHandler):
    """PTB's webhook endpoint, answering 400 to a body that is not an update.

    PTB checks the content type and the secret (403), then parses the body as it comes: a body
    that is not JSON escaped the handler and tornado answered 500, which tells a sender to try
    again. Here the secret is compared in constant time, and a body that is not a JSON object
    with an ``update_id`` is refused with 400 before PTB sees it. PTB has no public hook for
    its webhook handler, so :func:`harden_webhook_server` swaps this subclass into the module
    its web app reads it from (checked by tests/test_security.py).
    """

    async def post(self) -> None:
        if self.request.headers.get("Content-Type") != "application/json":
            raise tornado.web.HTTPError(403)
        if self.secret_token is not None:
            given = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            if not hmac.compare_digest(given.encode(), self.secret_token.encode()):
                raise tornado.web.HTTPError(403, reason="Missing or wrong secret token")
        try:
            data = json.loads(self.request.body.decode("utf-8"))
        except (ValueError, RecursionError):  # not UTF-8, not JSON, nested too deep
            raise tornado.web.HTTPError(400, reason="Body is not JSON") from None
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            raise tornado.web.HTTPError(400, reason="Body is not a Telegram update")
        await super().post()


def harden_webhook_server() -> None:
    """Make PTB's webhook server (``run_webhook``) use :class:`StrictWebhookHandler`."""
    ptb_webhook.TelegramHandler = StrictWebhookHandler  # type: ignore[misc]


# ---- state kept between updates ---------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """What a page of results is computed from: a question, or one ISO day."""

    kind: Literal["ask", "day"]
    text: str


class RecentRequests:
    """A bounded LRU of questions behind "المزيد" buttons, keyed by a short random id.

    Random keys (not a counter) so a button from before a restart is stale, never wrong.
    """

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._items: OrderedDict[str, Request] = OrderedDict()

    def put(self, request: Request) -> str:
        key = secrets.token_urlsafe(6)
        self._items[key] = request
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return key

    def get(self, key: str) -> Request | None:
        request = self._items.get(key)
        if request is not None:
            self._items.move_to_end(key)
        return request


class FloodGate:
    """Per-user sliding window: past ``limit`` updates in ``window`` s, mute for ``mute`` s.

    The first update over the limit gets a notice, the rest of the mute is silent. State is
    bounded (least recently seen users are forgotten) and touched only on the event loop.
    """

    def __init__(
        self,
        limit: int = 8,
        window: float = 10.0,
        mute: float = 30.0,
        max_users: int = 50_000,
        clock=time.monotonic,
    ) -> None:
        self.limit, self.window, self.mute = limit, window, mute
        self.max_users, self.clock = max_users, clock
        self._seen: OrderedDict[int, deque[float]] = OrderedDict()
        self._muted: dict[int, float] = {}

    def muted(self, user_id: int) -> bool:
        until = self._muted.get(user_id)
        if until is None:
            return False
        if self.clock() >= until:
            del self._muted[user_id]
            return False
        return True

    def check(self, user_id: int) -> Literal["ok", "notice", "drop"]:
        """Count one update from ``user_id`` and say what to do with it."""
        if self.muted(user_id):
            return "drop"
        now = self.clock()
        stamps = self._seen.pop(user_id, None) or deque()
        self._seen[user_id] = stamps
        while stamps and now - stamps[0] > self.window:
            stamps.popleft()
        stamps.append(now)
        while len(self._seen) > self.max_users:
            old, _ = self._seen.popitem(last=False)
            self._muted.pop(old, None)
        if len(stamps) > self.limit:
            self._muted[user_id] = now + self.mute
            stamps.clear()
            return "notice"
        return "ok"


@dataclass(frozen=True)
class Target:
    """Where a reply goes: a chat, its forum topic, and the message it quotes (groups)."""

    chat_id: int
    thread_id: int | None = None
    reply_to: int | None = None

    @classmethod
    def of(cls, message: Message, quote: bool) -> Target:
        thread = message.message_thread_id if message.is_topic_message else None
        return cls(message.chat.id, thread, message.message_id if quote else None)


# ---- the bot ----------------------------------------------------------------------------------


class KhabarBot:
    """Handlers sharing one engine, the paging store and the flood gate."""

    def __init__(self, settings: Settings, engine: Engine, flood: FloodGate | None = None):
        self.engine = engine
        self.top_k = settings.top_k
        self.allowed = settings.allowed_ids
        self.requests = RecentRequests()
        self.flood = flood or FloodGate()
        self._refused: OrderedDict[int, None] = OrderedDict()

    # -- work done off the event loop ------------------------------------------------------

    def compute(
        self, request: Request, offset: int = 0, lead: str | None = None
    ) -> tuple[Answer, list[str], int | None]:
        """(answer, HTML pages, next page's offset or None), in a worker thread."""
        if request.kind == "day":
            answer = self.engine.on_day(request.text, offset=offset)
            end = offset + len(answer.hits)
            next_offset = end if answer.hits and end < answer.total else None
        else:
            answer = self.engine.ask(request.text, top_k=self.top_k + 1, offset=offset)
            if answer.intent in ("topic", "when"):
                # One passage more than shown tells whether another page exists.
                next_offset = offset + self.top_k if len(answer.hits) > self.top_k else None
                answer = answer.model_copy(update={"hits": answer.hits[: self.top_k]})
            else:  # dates: the engine pages a day's events itself
                end = offset + len(answer.hits)
                next_offset = end if answer.hits and end < answer.total else None
        terms = answer.terms
        pages = tg.render_answer(
            answer,
            highlight=lambda text: self.engine.highlight(text, terms),
            intro=offset == 0 or answer.intent == "date",
            lead=lead,
        )
        return answer, pages, next_offset

    def compute_inline(self, text: str, offset: int) -> tuple[list[InlineQueryResultArticle], str]:
        answer = self.engine.ask(text, top_k=INLINE_PAGE + 1, offset=offset)
        shown = answer.hits[:INLINE_PAGE]
        more = len(answer.hits) > INLINE_PAGE or (
            answer.intent == "date" and offset + len(answer.hits) < answer.total
        )
        results = [
            inline_result(hit.passage, self.engine.highlight(hit.passage.text, answer.terms))
            for hit in shown
        ]
        return results, str(offset + len(shown)) if more and shown else ""

    # -- sending ----------------------------------------------------------------------------

    def markup(
        self, request: Request, answer: Answer, next_offset: int | None, key: str | None = None
    ) -> InlineKeyboardMarkup | None:
        rows: list[list[InlineKeyboardButton]] = []
        if answer.intent == "date" and not answer.hits and answer.nearest_dates:
            days = answer.nearest_dates[:8]
            rows.extend(_rows([day_button(d) for d in days], 2))
        if answer.intent in ("empty", "no_match"):
            rows.extend(example_rows())
        if next_offset is not None:
            key = key or self.requests.put(request)
            rows.append([InlineKeyboardButton(MORE, callback_data=f"m:{key}:{next_offset}")])
        return InlineKeyboardMarkup(rows) if rows else None

    async def reply(
        self,
        context: Context,
        target: Target,
        request: Request,
        lead: str | None = None,
    ) -> None:
        """Typing…, answer in a thread, send the pages with the keyboard under the last."""
        typing = asyncio.create_task(
            context.bot.send_chat_action(
                target.chat_id, ChatAction.TYPING, message_thread_id=target.thread_id
            )
        )
        try:
            answer, pages, next_offset = await asyncio.to_thread(self.compute, request, 0, lead)
        finally:
            with contextlib.suppress(TelegramError):
                await typing
        await send_pages(context, target, pages, self.markup(request, answer, next_offset))

    # -- the gate: allow-list and flood control, before any handler --------------------------

    async def gate(self, update: Update, context: Context) -> None:
        user = update.effective_user
        if user is None or not self._relevant(update, context):
            return
        # Fails closed: a refusal or notice that cannot be sent still stops the update (an
        # error here would otherwise let PTB run the handlers of the next group).
        if self.allowed and not (
            user.id in self.allowed
            or (update.effective_chat and update.effective_chat.id in self.allowed)
        ):
            await best_effort(self._refuse(update), "allow-list refusal")
            raise ApplicationHandlerStop
        if update.inline_query:  # typed live: never counted, but a muted user stays muted
            if self.flood.muted(user.id):
                await best_effort(update.inline_query.answer([], cache_time=0), "muted inline")
                raise ApplicationHandlerStop
            return
        verdict = self.flood.check(user.id)
        if verdict == "ok":
            return
        notice = FLOOD.format(seconds=int(self.flood.mute))
        if verdict == "notice":
            logger.info("flood control: muting user %s for %ss", user.id, self.flood.mute)
        if update.callback_query:
            await acknowledge(update.callback_query, notice if verdict == "notice" else None)
        elif verdict == "notice" and update.effective_message:
            message = update.effective_message
            target = Target.of(message, _is_group(message))
            await best_effort(send_pages(context, target, [notice]), "flood notice")
        raise ApplicationHandlerStop

    def _relevant(self, update: Update, context: Context) -> bool:
        if update.callback_query or update.inline_query:
            return True
        return bool(update.message and addressed(update.message, context))

    async def _refuse(self, update: Update) -> None:
        if update.callback_query:
            await update.callback_query.answer(NOT_ALLOWED)
        elif update.inline_query:
            await update.inline_query.answer([], cache_time=0, is_personal=True)
        elif update.message and update.message.chat.type == ChatType.PRIVATE:
            user_id = update.message.chat.id
            if user_id not in self._refused:  # say it once, not to every message
                self._refused[user_id] = None
                if len(self._refused) > 10_000:
                    self._refused.popitem(last=False)
                await update.message.reply_text(NOT_ALLOWED)

    # -- commands ----------------------------------------------------------------------------

    async def start(self, update: Update, context: Context) -> None:
        articles = self.engine.articles
        if len(articles) == 1:
            what = f"مقال «{tg.escape(articles[0].title)}»"
        else:
            what = f"{len(articles)} مقالات إخبارية"
        await update.effective_message.reply_text(  # type: ignore[union-attr]
            START.format(what=what), reply_markup=InlineKeyboardMarkup(example_rows())
        )

    async def help(self, update: Update, context: Context) -> None:
        rows = [
            *example_rows(),
            [InlineKeyboardButton("ابحث من أي محادثة", switch_inline_query="")],
        ]
        await update.effective_message.reply_text(  # type: ignore[union-attr]
            HELP.format(username=tg.escape(context.bot.username or "bot")),
            reply_markup=InlineKeyboardMarkup(rows),
        )

    async def date(self, update: Update, context: Context) -> None:
        message = update.effective_message
        assert message is not None
        phrase = command_argument(message)
        target = Target.of(message, _is_group(message))
        if not phrase:
            await send_pages(context, target, [tg.escape(DATE_USAGE)])
            return
        request = Request("ask", phrase)
        answer, pages, next_offset = await asyncio.to_thread(self.compute, request)
        if answer.intent not in ("date", "invalid_date"):  # the engine found no date in it
            text = DATE_NOT_FOUND.format(phrase=tg.echo(phrase))
            await send_pages(context, target, [text])
            return
        await send_pages(context, target, pages, self.markup(request, answer, next_offset))

    async def timeline(self, update: Update, context: Context) -> None:
        message = update.effective_message
        assert message is not None
        days = await asyncio.to_thread(self.engine.event_days)
        if not days:
            await message.reply_text("لا أحداث مؤرَّخة في المقالات المفهرسة.")
            return
        await message.reply_text(timeline_text(days), reply_markup=timeline_markup(days, 0))

    async def source(self, update: Update, context: Context) -> None:
        blocks = []
        for article in self.engine.articles:
            lines = [f"📰 <b>{tg.escape(article.title)}</b>"]
            if article.published:
                lines.append(f"تاريخ النشر: {tg.escape(iso_label(article.published.isoformat()))}")
            if article.origin:
                lines.append(f"المصدر: {tg.escape(article.origin)}")
            lines.append(f"عدد الفقرات المفهرسة: {article.passages}")
            blocks.append("\n".join(lines))
        message = update.effective_message
        assert message is not None
        pages = tg.pack(blocks or ["لا مقالات في الفهرس."])
        await send_pages(context, Target.of(message, _is_group(message)), pages)

    async def unknown_command(self, update: Update, context: Context) -> None:
        """Private chats get the command list; groups only for ``/x@thisbot`` (others' bots)."""
        message = update.effective_message
        if message is None or not addressed(message, context):
            return
        if _is_group(message) and "@" not in (message.text or "").split(maxsplit=1)[0]:
            return
        await message.reply_text(UNKNOWN_COMMAND)

    # -- messages ----------------------------------------------------------------------------

    async def question(self, update: Update, context: Context) -> None:
        message = update.effective_message
        if message is None or not message.text or not addressed(message, context):
            return
        text = strip_mention(message.text, context.bot.username)
        await self.reply(context, Target.of(message, _is_group(message)), Request("ask", text))

    async def non_text(self, update: Update, context: Context) -> None:
        message = update.effective_message
        if message is None or not addressed(message, context):
            return
        await send_pages(
            context,
            Target.of(message, _is_group(message)),
            [tg.escape(NON_TEXT.format(example=EXAMPLES[0]))],
        )

    # -- buttons -----------------------------------------------------------------------------

    async def on_more(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        match = re.fullmatch(r"m:([A-Za-z0-9_-]{1,16}):(\d{1,6})", query.data)
        request = self.requests.get(match[1]) if match else None
        message = query.message
        if match is None or request is None or not isinstance(message, Message):
            await acknowledge(query, STALE)
            return
        offset = int(match[2])
        answer, pages, next_offset = await asyncio.to_thread(self.compute, request, offset)
        if not answer.hits:
            await acknowledge(query, NO_MORE)
            with contextlib.suppress(BadRequest):
                await query.edit_message_reply_markup(None)
            return
        await acknowledge(query)
        markup = self.markup(request, answer, next_offset, key=match[1])
        first, rest = pages[0], pages[1:]
        try:
            await query.edit_message_text(first, reply_markup=None if rest else markup)
        except BadRequest as exc:  # a double tap: the page is already shown
            if "not modified" not in str(exc):
                raise
        if rest:
            await send_pages(context, Target.of(message, quote=False), rest, markup)

    async def on_day(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        day = query.data[2:]
        message = query.message
        if not valid_day(day) or message is None:
            await acknowledge(query, STALE)
            return
        await acknowledge(query)
        target = Target(message.chat.id, _thread_of(message))
        await self.reply(context, target, Request("day", day))

    async def on_example(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        index = query.data[2:]
        message = query.message
        if not index.isdigit() or int(index) >= len(EXAMPLES) or message is None:
            await acknowledge(query, STALE)
            return
        await acknowledge(query)
        question = EXAMPLES[int(index)]
        target = Target(message.chat.id, _thread_of(message))
        await self.reply(context, target, Request("ask", question), lead=f"❓ {question}")

    async def on_timeline_page(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        page = query.data[2:]
        if not page.isdigit() or not isinstance(query.message, Message):
            await acknowledge(query, STALE)
            return
        await acknowledge(query)
        days = await asyncio.to_thread(self.engine.event_days)
        with contextlib.suppress(BadRequest):  # "not modified" on a double tap
            await query.edit_message_reply_markup(timeline_markup(days, int(page)))

    async def on_unknown_button(self, update: Update, context: Context) -> None:
        if update.callback_query:
            await acknowledge(update.callback_query, STALE)

    # -- inline mode ---------------------------------------------------------------------------

    async def inline(self, update: Update, context: Context) -> None:
        query = update.inline_query
        assert query is not None
        text = query.query.strip()
        offset = int(query.offset) if query.offset.isdigit() else 0
        if not text:
            button = InlineQueryResultsButton(text="اكتب سؤالًا عن المقال", start_parameter="help")
            await query.answer([], cache_time=300, button=button)
            return
        results, next_offset = await asyncio.to_thread(self.compute_inline, text, offset)
        button = None
        if not results and offset == 0:
            button = InlineQueryResultsButton(
                text="لا نتائج — اسألني مباشرة", start_parameter="help"
            )
        await query.answer(results, cache_time=300, next_offset=next_offset, button=button)

    # -- errors ------------------------------------------------------------------------------

    async def on_error(self, update: object, context: Context) -> None:
        """Log (secrets are redacted by the root filter) and keep serving."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        # BadRequest is a NetworkError subclass in PTB, but it means our request was wrong.
        transient = isinstance(error, NetworkError) and not isinstance(error, BadRequest)
        if transient or isinstance(error, Forbidden):
            logger.warning("update %s: %s: %s", update_id, type(error).__name__, error)
            return
        logger.error("update %s failed", update_id, exc_info=error)
        if not isinstance(update, Update):
            return
        with contextlib.suppress(TelegramError):
            if update.callback_query:
                await update.callback_query.answer(FAILED)
            elif update.effective_message and update.effective_chat:
                await context.bot.send_message(update.effective_chat.id, FAILED)


# ---- helpers ----------------------------------------------------------------------------------


async def best_effort(action: Awaitable[object], what: str) -> None:
    """Await a reply whose loss must not change what happens next (a notice, an acknowledgement).

    Telegram refuses to acknowledge a tap that waited too long (after a restart, say), and a
    connection may be lost: the answer still goes out, a gate still stops the update.
    """
    try:
        await action
    except TelegramError as exc:
        logger.warning("%s not delivered: %s: %s", what, type(exc).__name__, exc)


async def acknowledge(query: CallbackQuery, text: str | None = None) -> None:
    """Stop a tapped button's spinner (with a short note), best effort."""
    await best_effort(query.answer(text), "button acknowledgement")


def _rows(buttons: Sequence[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def example_rows() -> list[list[InlineKeyboardButton]]:
    return [[InlineKeyboardButton(q, callback_data=f"x:{i}")] for i, q in enumerate(EXAMPLES)]


def short_day(iso: str) -> str:
    """ "7 ديسمبر 2016" for a button (the Hijri twin is in the answer itself)."""
    return gregorian_label(PartialDate.from_iso(iso))


def day_button(iso: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(short_day(iso), callback_data=f"d:{iso}")


def timeline_text(days: Sequence[str]) -> str:
    return tg.escape(
        f"أيام الأحداث: {len(days)}، من {short_day(days[0])} إلى {short_day(days[-1])}. "
        "اختر يومًا لقراءة أحداثه:"
    )


def timeline_markup(days: Sequence[str], page: int) -> InlineKeyboardMarkup:
    pages = max(1, -(-len(days) // TIMELINE_PAGE))
    page = min(max(page, 0), pages - 1)
    chunk = days[page * TIMELINE_PAGE : (page + 1) * TIMELINE_PAGE]
    rows = _rows([day_button(d) for d in chunk], 3)
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("→ السابق", callback_data=f"t:{page - 1}"))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton("التالي ←", callback_data=f"t:{page + 1}"))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows)


def inline_result(passage: Passage, spans: tg.Spans) -> InlineQueryResultArticle:
    """One passage as an inline result: the date as title, the text's start as description."""
    result_id = hashlib.blake2s(passage.id.encode(), digest_size=16).hexdigest()
    return InlineQueryResultArticle(
        id=result_id,
        title=date_label(passage),
        description=tg.clip(" ".join(passage.text.split()), 120),
        input_message_content=InputTextMessageContent(
            tg.passage_html(passage, spans), parse_mode=ParseMode.HTML
        ),
    )


def valid_day(iso: str) -> bool:
    """An ISO day a button may carry (year-less days are checked in a leap year)."""
    if not _ISO_DAY.match(iso):
        return False
    day = PartialDate.from_iso(iso)
    try:
        dt.date(day.year or 2000, day.month, day.day)
    except ValueError:
        return False
    return True


def _is_group(message: Message) -> bool:
    return message.chat.type != ChatType.PRIVATE


def _thread_of(message) -> int | None:
    return message.message_thread_id if getattr(message, "is_topic_message", False) else None


def addressed(message: Message, context: Context) -> bool:
    """Private chats always; groups only for our commands, mentions and replies to us."""
    bot = context.bot
    if message.via_bot and message.via_bot.id == bot.id:
        return False  # our own inline result, posted by the user: not a question
    if message.chat.type == ChatType.PRIVATE:
        return True
    text = message.text or ""
    if text.startswith("/"):
        _, _, target = text.split(maxsplit=1)[0].partition("@")
        return not target or target.casefold() == (bot.username or "").casefold()
    reply = message.reply_to_message
    if reply and reply.from_user and reply.from_user.id == bot.id:
        return True
    mention = f"@{bot.username}".casefold()
    mentions = message.parse_entities([MessageEntity.MENTION]).values()
    if any(m.casefold() == mention for m in mentions):
        return True
    return any(
        e.user and e.user.id == bot.id for e in message.parse_entities([MessageEntity.TEXT_MENTION])
    )


def strip_mention(text: str, username: str | None) -> str:
    if not username:
        return text
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()


def command_argument(message: Message) -> str:
    """Everything after ``/command[@bot]``, spacing and digits as typed."""
    text = message.text or ""
    for entity, _ in message.parse_entities([MessageEntity.BOT_COMMAND]).items():
        if entity.offset == 0:
            return text[entity.length :].strip()
    return text.partition(" ")[2].strip()


async def send_pages(
    context: Context,
    target: Target,
    pages: Sequence[str],
    markup: InlineKeyboardMarkup | None = None,
) -> list[Message]:
    """Send HTML pages in order; the first quotes the question (groups), the last has buttons."""
    sent = []
    for number, page in enumerate(pages):
        reply = None
        if number == 0 and target.reply_to is not None:
            reply = ReplyParameters(target.reply_to, allow_sending_without_reply=True)
        sent.append(
            await context.bot.send_message(
                target.chat_id,
                page,
                message_thread_id=target.thread_id,
                reply_parameters=reply,
                reply_markup=markup if number == len(pages) - 1 else None,
            )
        )
    return sent


# ---- wiring -----------------------------------------------------------------------------------


def build_application(
    settings: Settings, engine: Engine, flood: FloodGate | None = None
) -> Application:
    """The configured Application (not started): handlers, rate limiter, defaults, commands."""
    protect_logs(settings.secrets())
    harden_webhook_server()
    bot = KhabarBot(settings, engine, flood)

    async def post_init(application: Application) -> None:
        try:
            await application.bot.set_my_commands(COMMANDS)
        except TelegramError as exc:  # commands are a convenience: never block start-up
            logger.warning("set_my_commands failed: %s", exc)
        logger.info(
            "khabar bot @%s ready: %d article(s)", application.bot.username, len(engine.articles)
        )

    application = (
        ApplicationBuilder()
        .token(settings.token.get_secret_value())
        .base_url(settings.api_base_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .request(RetryingRequest(connection_pool_size=256))  # PTB's default pool sizes
        .get_updates_request(RetryingRequest(connection_pool_size=1, idempotent=True))
        .rate_limiter(AIORateLimiter(max_retries=2))
        .concurrent_updates(True)
        .post_init(post_init)
        .build()
    )
    application.bot_data["khabar"] = bot

    application.add_handler(TypeHandler(Update, bot.gate), group=-1)
    application.add_handler(CommandHandler(["start", "help"], _start_or_help(bot)))
    application.add_handler(CommandHandler("date", bot.date))
    application.add_handler(CommandHandler("timeline", bot.timeline))
    application.add_handler(CommandHandler("source", bot.source))
    message_only = filters.UpdateType.MESSAGE
    application.add_handler(MessageHandler(message_only & filters.COMMAND, bot.unknown_command))
    application.add_handler(MessageHandler(message_only & filters.TEXT, bot.question))
    application.add_handler(
        MessageHandler(message_only & ~filters.TEXT & ~filters.StatusUpdate.ALL, bot.non_text)
    )
    application.add_handler(CallbackQueryHandler(bot.on_more, pattern=r"^m:"))
    application.add_handler(CallbackQueryHandler(bot.on_day, pattern=r"^d:"))
    application.add_handler(CallbackQueryHandler(bot.on_example, pattern=r"^x:"))
    application.add_handler(CallbackQueryHandler(bot.on_timeline_page, pattern=r"^t:"))
    application.add_handler(CallbackQueryHandler(bot.on_unknown_button))
    application.add_handler(InlineQueryHandler(bot.inline))
    application.add_error_handler(bot.on_error)
    return application


def _start_or_help(bot: KhabarBot):
    """/start shows examples; /help (and /start help, from inline mode) the full help."""

    async def handler(update: Update, context: Context) -> None:
        message = update.effective_message
        assert message is not None and message.text is not None
        command = message.text.split(maxsplit=1)[0].partition("@")[0]
        if command == "/help" or context.args == ["help"]:
            await bot.help(update, context)
        else:
            await bot.start(update, context)

    return handler


def configure_logging(secret_values: Iterable[str]) -> None:
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    protect_logs(secret_values)


def run(settings: Settings) -> int:
    """Serve until stopped (SIGINT/SIGTERM): polling, or a webhook when a URL is set."""
    configure_logging(settings.secrets())
    engine = Engine.open(settings.index)  # IndexFileError: the CLI prints it, exit 1
    application = build_application(settings, engine)
    try:
        if settings.webhook:
            assert settings.webhook_secret is not None
            logger.info("webhook mode: listening on %s:%s", settings.listen, settings.port)
            application.run_webhook(
                listen=settings.listen,
                port=settings.port,
                url_path=settings.url_path,
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret.get_secret_value(),
                allowed_updates=ALLOWED_UPDATES,
                bootstrap_retries=3,
            )
        else:
            logger.info("polling mode")
            application.run_polling(allowed_updates=ALLOWED_UPDATES, bootstrap_retries=3)
    except InvalidToken:
        print(
            "khabar: Telegram rejected TELEGRAM_BOT_TOKEN (revoked or mistyped?): "
            "get the current token from @BotFather",
            file=sys.stderr,
        )
        return 2
    except (TelegramError, OSError) as exc:
        print(f"khabar: cannot start the bot: {REDACTOR.redact(str(exc))}", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    """``khabar telegram``: settings from the environment and .env, then :func:`run`."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"khabar: {exc}", file=sys.stderr)
        return 2
    return run(settings)
