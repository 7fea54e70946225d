"""The handlers: small async functions in the style of PTB's examples.

Updates are processed concurrently; the engine answers in a worker thread. What every handler
shares (the answers, the flood gate, the allow-list) is ``context.bot_data``, a :class:`Khabar`.
The gate runs first (group -1) and stops an update with ``ApplicationHandlerStop``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    InlineQueryResultsButton,
    MaybeInaccessibleMessage,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import ApplicationHandlerStop, CallbackContext, ExtBot

from khabar.bot import html as tg
from khabar.bot.replies import date_spellings
from khabar.bot.telegram import callbacks, texts
from khabar.bot.telegram.answers import Answers, timeline_text
from khabar.bot.telegram.keyboards import examples_keyboard, help_keyboard, timeline_keyboard
from khabar.bot.telegram.paging import BoundedCache, FloodGate, Request
from khabar.index.search import Intent
from khabar.index.store import IndexFileError

logger = logging.getLogger("khabar.telegram")

REFUSED_MEMORY = 10_000  # private chats told "this bot is private", each told once


class Khabar:
    """``context.bot_data``: what every handler shares.

    PTB creates it, without arguments, with the application; ``build_application`` then sets
    the answers, the flood gate and the allow-list before anything is served.
    """

    answers: Answers
    flood: FloodGate
    allowed: frozenset[int]

    def __init__(self) -> None:
        self.refused: BoundedCache[int, None] = BoundedCache(REFUSED_MEMORY)
        self.watcher: asyncio.Task[None] | None = None  # looks for a rebuilt index


Context = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], Khabar]


# ---- where a reply goes, and sending it ------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where a reply goes: a chat, its forum topic, and the message it quotes (groups)."""

    chat_id: int
    thread_id: int | None = None
    reply_to: int | None = None

    @classmethod
    def reply_to_message(cls, message: Message) -> Target:
        """Answer ``message`` in its chat and topic, quoting it in groups."""
        quote = message.message_id if message.chat.type != ChatType.PRIVATE else None
        return cls(message.chat.id, _thread_of(message), quote)

    @classmethod
    def beside(cls, message: MaybeInaccessibleMessage) -> Target:
        """Below ``message`` (the one whose button was tapped), quoting nothing."""
        return cls(message.chat.id, _thread_of(message))


def _thread_of(message: MaybeInaccessibleMessage) -> int | None:
    if isinstance(message, Message) and message.is_topic_message:
        return message.message_thread_id
    return None


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


async def answer(
    context: Context, target: Target, request: Request, lead: str | None = None
) -> None:
    """Typing…, the answer rendered in a thread, its pages with the keyboard under the last."""
    typing = asyncio.create_task(
        context.bot.send_chat_action(
            target.chat_id, ChatAction.TYPING, message_thread_id=target.thread_id
        )
    )
    answers = context.bot_data.answers
    try:
        rendered = await asyncio.to_thread(answers.render, request, 0, lead)
    finally:
        with contextlib.suppress(TelegramError):
            await typing
    await send_pages(context, target, rendered.pages, answers.keyboard(request, rendered))


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


# ---- reading messages ---------------------------------------------------------------------


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
    for entity in message.parse_entities([MessageEntity.BOT_COMMAND]):
        if entity.offset == 0:
            return text[entity.length :].strip()
    return text.partition(" ")[2].strip()


def _addressed_message(update: Update, context: Context) -> Message | None:
    message = update.effective_message
    return message if message is not None and addressed(message, context) else None


# ---- the gate: allow-list and flood control, before any handler ------------------------------


async def gate(update: Update, context: Context) -> None:
    """Refuse strangers (allow-list) and mute flooders, before any other handler."""
    user = update.effective_user
    if user is None or not _relevant(update, context):
        return
    shared = context.bot_data
    # Fails closed: a refusal or notice that cannot be sent still stops the update (an
    # error here would otherwise let PTB run the handlers of the next group).
    chat = update.effective_chat
    if shared.allowed and not (
        user.id in shared.allowed or (chat is not None and chat.id in shared.allowed)
    ):
        await best_effort(_refuse(update, shared), "allow-list refusal")
        raise ApplicationHandlerStop
    flood = shared.flood
    if update.inline_query:  # typed live: never counted, but a muted user stays muted
        if flood.muted(user.id):
            await best_effort(update.inline_query.answer([], cache_time=0), "muted inline")
            raise ApplicationHandlerStop
        return
    verdict = flood.check(user.id)
    if verdict == "ok":
        return
    notice = texts.FLOOD.format(seconds=int(flood.mute))
    if verdict == "notice":
        logger.info("flood control: muting user %s for %ss", user.id, flood.mute)
    if update.callback_query:
        await acknowledge(update.callback_query, notice if verdict == "notice" else None)
    elif verdict == "notice" and update.effective_message:
        target = Target.reply_to_message(update.effective_message)
        await best_effort(send_pages(context, target, [notice]), "flood notice")
    raise ApplicationHandlerStop


def _relevant(update: Update, context: Context) -> bool:
    if update.callback_query or update.inline_query:
        return True
    return bool(update.message and addressed(update.message, context))


async def _refuse(update: Update, shared: Khabar) -> None:
    if update.callback_query:
        await update.callback_query.answer(texts.NOT_ALLOWED)
    elif update.inline_query:
        await update.inline_query.answer([], cache_time=0, is_personal=True)
    elif update.message and update.message.chat.type == ChatType.PRIVATE:
        chat_id = update.message.chat.id
        if chat_id not in shared.refused:  # say it once, not to every message
            shared.refused.put(chat_id, None)
            await update.message.reply_text(texts.NOT_ALLOWED)


# ---- commands ---------------------------------------------------------------------------------


async def start(update: Update, context: Context) -> None:
    """/start shows examples; /help (and /start help, from inline mode) the full help."""
    message = update.effective_message
    assert message is not None and message.text is not None
    command = message.text.split(maxsplit=1)[0].partition("@")[0]
    answers = context.bot_data.answers
    offered = answers.examples()
    if command == "/help" or context.args == ["help"]:
        username = tg.escape(context.bot.username or "bot")
        help_text = answers.help_text(username)
        await message.reply_text(help_text, reply_markup=help_keyboard(offered))
    else:
        start_text = answers.start_text()
        await message.reply_text(start_text, reply_markup=examples_keyboard(offered))


async def date(update: Update, context: Context) -> None:
    """/date <day>: every event of that day, in any spelling of the date."""
    message = update.effective_message
    assert message is not None
    phrase = command_argument(message)
    target = Target.reply_to_message(message)
    answers = context.bot_data.answers
    spelled = date_spellings(answers.engine)._asdict()
    if not phrase:
        await send_pages(context, target, [tg.escape(texts.DATE_USAGE.format(**spelled))])
        return
    request = Request("ask", phrase)
    rendered = await asyncio.to_thread(answers.render, request)
    if rendered.answer.intent not in (Intent.DATE, Intent.INVALID_DATE):  # no date found
        text = texts.DATE_NOT_FOUND.format(phrase=tg.echo(phrase), egyptian=spelled["egyptian"])
        await send_pages(context, target, [text])
        return
    await send_pages(context, target, rendered.pages, answers.keyboard(request, rendered))


async def timeline(update: Update, context: Context) -> None:
    """/timeline: every day with events, as buttons."""
    message = update.effective_message
    assert message is not None
    engine = context.bot_data.answers.engine
    days, spanned = await asyncio.to_thread(lambda: (engine.event_days(), engine.spanned()))
    markup = timeline_keyboard(days, 0) if days else None  # spans only: asked for by date
    await message.reply_text(timeline_text(days, spanned), reply_markup=markup)


async def source(update: Update, context: Context) -> None:
    """/source: the indexed articles and where they come from."""
    message = update.effective_message
    assert message is not None
    pages = context.bot_data.answers.source_pages()
    await send_pages(context, Target.reply_to_message(message), pages)


async def unknown_command(update: Update, context: Context) -> None:
    """The command list; in groups only for ``/x@thisbot`` (other commands are other bots')."""
    message = _addressed_message(update, context)
    if message is None:
        return
    in_group = message.chat.type != ChatType.PRIVATE
    if in_group and "@" not in (message.text or "").split(maxsplit=1)[0]:
        return
    await message.reply_text(texts.UNKNOWN_COMMAND)


# ---- messages -----------------------------------------------------------------------------


async def question(update: Update, context: Context) -> None:
    """A question in words: the best passages, dated and cited."""
    message = _addressed_message(update, context)
    if message is None or not message.text:
        return
    text = strip_mention(message.text, context.bot.username)
    await answer(context, Target.reply_to_message(message), Request("ask", text))


async def non_text(update: Update, context: Context) -> None:
    """A sticker, photo, voice…: a hint to write the question."""
    message = _addressed_message(update, context)
    if message is None:
        return
    answers = context.bot_data.answers
    offered, archive = answers.examples(), answers.archive()
    said = (
        texts.NON_TEXT.format(archive=archive, example=offered[0])
        if offered
        else texts.NON_TEXT_ANY.format(archive=archive)
    )
    hint = tg.escape(said)
    await send_pages(context, Target.reply_to_message(message), [hint])


# ---- buttons ----------------------------------------------------------------------------------


async def on_button(update: Update, context: Context) -> None:
    """A tapped inline button: decoded once, answered by its kind, or called stale."""
    query = update.callback_query
    assert query is not None
    button = callbacks.decode(query.data)
    message = query.message
    match button:
        case callbacks.More() if isinstance(message, Message):
            await _more(query, message, button, context)
        case callbacks.Day(iso) if message is not None:
            await acknowledge(query)
            await answer(context, Target.beside(message), Request("day", iso))
        case callbacks.Example(index, key) if message is not None and (
            asked := _offered(context, index, key)
        ):
            await acknowledge(query)
            lead = texts.EXAMPLE_LEAD.format(question=asked)
            await answer(context, Target.beside(message), Request("ask", asked), lead=lead)
        case callbacks.TimelinePage(page) if isinstance(message, Message):
            await acknowledge(query)
            days = await asyncio.to_thread(lambda: context.bot_data.answers.engine.event_days())
            with contextlib.suppress(BadRequest):  # "not modified" on a double tap
                await query.edit_message_reply_markup(timeline_keyboard(days, page))
        case _:
            await acknowledge(query, texts.STALE)


def _offered(context: Context, index: int, key: str) -> str | None:
    """The example a button asks, if the index in service still offers it there."""
    offered = context.bot_data.answers.examples()
    if index < len(offered) and callbacks.example_key(offered[index]) == key:
        return offered[index]
    return None


async def _more(
    query: CallbackQuery, message: Message, button: callbacks.More, context: Context
) -> None:
    """«المزيد»: the next page replaces the message the button was under."""
    answers = context.bot_data.answers
    request = answers.requests.get(button.key)
    if request is None:
        await acknowledge(query, texts.STALE)
        return
    if request.generation != answers.live.generation:  # its pages came from other articles
        await acknowledge(query, texts.ARTICLES_CHANGED)
        return
    rendered = await asyncio.to_thread(answers.render, request, button.offset)
    if not rendered.answer.hits:
        await acknowledge(query, texts.NO_MORE)
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(None)
        return
    await acknowledge(query)
    markup = answers.keyboard(request, rendered, key=button.key)
    first, rest = rendered.pages[0], rendered.pages[1:]
    try:
        await query.edit_message_text(first, reply_markup=None if rest else markup)
    except BadRequest as exc:  # a double tap: the page is already shown
        if "not modified" not in str(exc):
            raise
    if rest:
        await send_pages(context, Target.beside(message), rest, markup)


# ---- inline mode ------------------------------------------------------------------------------


async def inline(update: Update, context: Context) -> None:
    """@bot question, in any chat: passages as inline results, paged by offset."""
    query = update.inline_query
    assert query is not None
    text = query.query.strip()
    offset = int(query.offset) if query.offset.isdigit() else 0
    if not text:
        archive = context.bot_data.answers.archive()
        prompt = InlineQueryResultsButton(
            text=texts.INLINE_PROMPT.format(archive=archive), start_parameter="help"
        )
        await query.answer([], cache_time=300, button=prompt)
        return
    answers = context.bot_data.answers
    results, next_offset = await asyncio.to_thread(answers.inline, text, offset)
    button = None
    if not results and offset == 0:
        button = InlineQueryResultsButton(text=texts.INLINE_NOTHING, start_parameter="help")
    await query.answer(results, cache_time=300, next_offset=next_offset, button=button)


# ---- errors -----------------------------------------------------------------------------------


async def on_error(update: object, context: Context) -> None:
    """Log (secrets are redacted by the root filter), apologize, and keep serving."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    # BadRequest is a NetworkError subclass in PTB, but it means our request was wrong.
    transient = isinstance(error, NetworkError) and not isinstance(error, BadRequest)
    if transient or isinstance(error, Forbidden):
        logger.warning("update %s: %s: %s", update_id, type(error).__name__, error)
        return
    reply = texts.FAILED
    if isinstance(error, IndexFileError):  # the file overwritten in place: it says why
        logger.error("update %s: %s", update_id, error)
        reply = texts.INDEX_UNAVAILABLE
    else:
        logger.error("update %s failed", update_id, exc_info=error)
    if not isinstance(update, Update):
        return
    with contextlib.suppress(TelegramError):
        if update.callback_query:
            await update.callback_query.answer(reply)
        elif update.effective_message and update.effective_chat:
            await context.bot.send_message(update.effective_chat.id, reply)
