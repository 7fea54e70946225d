"""Bot settings as a test gives them: by environment names, never from a .env file."""

from __future__ import annotations

from typing import Any

from khabar.bot.settings import Settings
from support.botapi import TOKEN

# What Telegram is told (setWebhook), while a TLS proxy forwards to the local server.
PUBLIC_WEBHOOK = "https://bot.example.com/telegram/hook"
WEBHOOK_SECRET = "wh-Secret_0123456789abcdefghijKLMN"


def make_settings(**env: Any) -> Settings:
    """Settings from ``env`` (``KHABAR_TOP_K=…``), the stand-in's token unless given."""
    return Settings(_env_file=None, **{"TELEGRAM_BOT_TOKEN": TOKEN, **env})  # type: ignore[call-arg]
