"""Wiring: the configured Application, and ``khabar telegram`` serving it until stopped."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from typing import Any

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from khabar.bot.live import LiveIndex
from khabar.bot.settings import Settings, SettingsError, load_settings
from khabar.bot.telegram import handlers, texts, webhook
from khabar.bot.telegram.answers import Answers
from khabar.bot.telegram.handlers import Context, Khabar
from khabar.bot.telegram.logs import REDACTOR, configure_logging, protect_logs
from khabar.bot.telegram.paging import FloodGate
from khabar.bot.telegram.transport import RetryingRequest, Sleep
from khabar.index import query as questions
from khabar.index.search import Engine

logger = logging.getLogger("khabar.telegram")

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
COMMANDS = [BotCommand(command, description) for command, description in texts.COMMANDS]

# The bot rate-limited by AIORateLimiter (ExtBot[int]), bot_data a Khabar, no job queue used.
KhabarApplication = Application[ExtBot[int], Context, dict[Any, Any], dict[Any, Any], Khabar, Any]


def build_application(
    settings: Settings,
    index: Engine | LiveIndex,
    flood: FloodGate | None = None,
    sleep: Sleep = asyncio.sleep,
) -> KhabarApplication:
    """The configured Application (not started): handlers, rate limiter, defaults, commands.

    In webhook mode it has no Updater: :mod:`.webhook` puts updates on its queue. ``sleep``
    waits out the transport's retry pauses (tests pass a clock that does not wait). With a
    :class:`LiveIndex` the index file is watched and a rebuilt one served without a restart.
    """
    protect_logs(settings.secrets())
    live = index if isinstance(index, LiveIndex) else LiveIndex.serving(index)

    async def post_init(application: KhabarApplication) -> None:
        await asyncio.to_thread(questions.prepare)  # before the first update is taken
        try:
            await application.bot.set_my_commands(COMMANDS)
        except TelegramError as exc:  # commands are a convenience: never block start-up
            logger.warning("set_my_commands failed: %s", exc)
        logger.info(
            "khabar bot @%s ready: %d article(s)",
            application.bot.username,
            len(live.engine.articles),
        )
        if live.path is not None and settings.reload_seconds > 0:
            watcher = asyncio.create_task(watch(live, settings.reload_seconds))
            application.bot_data.watcher = watcher

    async def post_shutdown(application: KhabarApplication) -> None:
        watcher = application.bot_data.watcher
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher

    builder = ApplicationBuilder()
    if settings.webhook:
        builder = builder.updater(None)
    application = (
        builder.token(settings.token.get_secret_value())
        .base_url(settings.api_base_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .context_types(ContextTypes(bot_data=Khabar))
        .request(RetryingRequest(connection_pool_size=256, sleep=sleep))  # PTB's default sizes
        .get_updates_request(RetryingRequest(connection_pool_size=1, idempotent=True, sleep=sleep))
        .rate_limiter(AIORateLimiter(max_retries=2))
        .concurrent_updates(True)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    shared = application.bot_data
    shared.answers = Answers(live, settings.top_k)
    shared.flood = flood or FloodGate()
    shared.allowed = settings.allowed_ids

    message = filters.UpdateType.MESSAGE
    application.add_handlers(
        {
            -1: [TypeHandler(Update, handlers.gate)],
            0: [
                CommandHandler(["start", "help"], handlers.start),
                CommandHandler("date", handlers.date),
                CommandHandler("timeline", handlers.timeline),
                CommandHandler("source", handlers.source),
                MessageHandler(message & filters.COMMAND, handlers.unknown_command),
                MessageHandler(message & filters.TEXT, handlers.question),
                MessageHandler(
                    message & ~filters.TEXT & ~filters.StatusUpdate.ALL, handlers.non_text
                ),
                CallbackQueryHandler(handlers.on_button),
                InlineQueryHandler(handlers.inline),
            ],
        }
    )
    application.add_error_handler(handlers.on_error)
    return application


async def watch(live: LiveIndex, every: float) -> None:
    """Look at the index file every few seconds; open a rebuilt one beside the event loop.

    Questions keep being answered from the version in service while the new one opens; the
    swap itself is one assignment, between questions.
    """
    while True:
        await asyncio.sleep(every)
        if live.changed():
            await asyncio.to_thread(live.reload)


def run(settings: Settings) -> int:
    """Serve until stopped (SIGINT/SIGTERM): polling, or a webhook when a URL is set."""
    configure_logging(settings.secrets())
    live = LiveIndex(settings.index)  # IndexFileError: the CLI prints it, exit 1
    application = build_application(settings, live)
    try:
        if settings.webhook:
            asyncio.run(webhook.serve(application, settings, ALLOWED_UPDATES))
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
