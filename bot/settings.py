"""The Telegram bot's settings: environment variables first, then an optional ``.env``.

Secrets (the token, the webhook secret) are ``SecretStr`` so they never show in a repr or a
log line, and a bad setting becomes one readable line (:class:`SettingsError`), never a
pydantic dump that would echo the token back.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated
from urllib.parse import urlparse

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TOKEN_PATTERN = r"^\d+:[A-Za-z0-9_-]{30,}$"
SECRET_PATTERN = r"^[A-Za-z0-9_-]{1,256}$"

# What each setting must look like, said once for the error line (never the value itself).
_HINTS = {
    "TELEGRAM_BOT_TOKEN": "the token from @BotFather, like 123456789:AA… (digits, a colon, "
    "30+ letters, digits, _ or -)",
    "TELEGRAM_API_BASE_URL": "a URL such as https://api.telegram.org/bot",
    "KHABAR_INDEX": "a path to an index built by `khabar index build`",
    "KHABAR_TOP_K": "a whole number from 1 to 10",
    "KHABAR_RELOAD_SECONDS": "seconds from 0 (never look) to 3600",
    "KHABAR_WEBHOOK_URL": "an https:// URL Telegram can reach, on port 443, 80, 88 or 8443",
    "KHABAR_WEBHOOK_SECRET": "1–256 characters from A-Z a-z 0-9 _ - (required with a webhook)",
    "KHABAR_LISTEN": "an address to listen on, such as 0.0.0.0",
    "KHABAR_PORT": "a port number from 1 to 65535",
    "KHABAR_WEBHOOK_PATH": "a URL path such as telegram/hook",
    "KHABAR_ALLOWED_IDS": "comma-separated Telegram user or chat ids, such as 12345,-100678",
    "KHABAR_WEBHOOK_MAX_BODY": "a size in bytes from 1024 to 104857600",
    "KHABAR_WEBHOOK_MAX_CONNECTIONS": "a whole number from 8 to 100000",
    "KHABAR_WEBHOOK_HEADER_TIMEOUT": "seconds, more than 0 and at most 300",
    "KHABAR_WEBHOOK_BODY_TIMEOUT": "seconds, more than 0 and at most 300",
    "KHABAR_WEBHOOK_KEEP_ALIVE": "whole seconds from 1 to 300",
}
# The only ports Telegram delivers webhooks to (setWebhook refuses others).
WEBHOOK_PORTS = (443, 80, 88, 8443)


class SettingsError(Exception):
    """A setting is missing or malformed: the message is one line, without secret values."""


class Settings(BaseSettings):
    """Everything `khabar telegram` reads from its environment."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=True
    )

    token: SecretStr = Field(alias="TELEGRAM_BOT_TOKEN")
    api_base_url: str = Field("https://api.telegram.org/bot", alias="TELEGRAM_API_BASE_URL")
    index: Path | None = Field(None, alias="KHABAR_INDEX")
    top_k: int = Field(3, ge=1, le=10, alias="KHABAR_TOP_K")
    # How often the index file is looked at for a rebuild (0: never; it is one stat call).
    reload_seconds: float = Field(2.0, ge=0, le=3600, alias="KHABAR_RELOAD_SECONDS")
    webhook_url: str | None = Field(None, alias="KHABAR_WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(None, alias="KHABAR_WEBHOOK_SECRET")
    listen: str = Field("0.0.0.0", alias="KHABAR_LISTEN")
    port: int = Field(8443, ge=1, le=65535, alias="KHABAR_PORT")
    webhook_path: str | None = Field(None, alias="KHABAR_WEBHOOK_PATH")
    allowed_ids: Annotated[frozenset[int], NoDecode] = Field(
        frozenset(), alias="KHABAR_ALLOWED_IDS"
    )
    # The webhook server's limits (see bot/telegram/webhook.py and deploy/.env.example).
    webhook_max_body: int = Field(
        1_048_576, ge=1024, le=104_857_600, alias="KHABAR_WEBHOOK_MAX_BODY"
    )
    webhook_max_connections: int = Field(
        512, ge=8, le=100_000, alias="KHABAR_WEBHOOK_MAX_CONNECTIONS"
    )
    webhook_header_timeout: float = Field(10.0, gt=0, le=300, alias="KHABAR_WEBHOOK_HEADER_TIMEOUT")
    webhook_body_timeout: float = Field(10.0, gt=0, le=300, alias="KHABAR_WEBHOOK_BODY_TIMEOUT")
    webhook_keep_alive: int = Field(5, ge=1, le=300, alias="KHABAR_WEBHOOK_KEEP_ALIVE")

    @field_validator("token", mode="before")
    @classmethod
    def _blank_token_is_missing(cls, value: object) -> object:
        """``TELEGRAM_BOT_TOKEN=`` (as in .env.example) is "not set", not "malformed"."""
        if isinstance(value, str) and not value.strip():
            raise PydanticCustomError("missing", "Field required")
        return value

    @field_validator("token")
    @classmethod
    def _token_format(cls, value: SecretStr) -> SecretStr:
        if not re.fullmatch(TOKEN_PATTERN, value.get_secret_value().strip()):
            raise ValueError("malformed")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("webhook_secret")
    @classmethod
    def _secret_format(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(SECRET_PATTERN, value.get_secret_value()):
            raise ValueError("malformed")
        return value

    @field_validator("index", "webhook_url", "webhook_path", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """``KHABAR_WEBHOOK_URL=`` in a .env means "not set", as people expect."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("api_base_url", "webhook_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and urlparse(value).scheme not in ("http", "https"):
            raise ValueError("not an http(s) URL")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _telegram_accepts(cls, value: str | None) -> str | None:
        """What setWebhook would refuse is refused here, before anything starts."""
        if value is None:
            return value
        url = urlparse(value)
        if url.scheme != "https":
            raise PydanticCustomError(
                "webhook_url", "Telegram delivers webhooks only to https:// URLs"
            )
        try:
            port = url.port or 443
        except ValueError:
            port = -1
        if port not in WEBHOOK_PORTS:
            raise PydanticCustomError(
                "webhook_url",
                "Telegram delivers webhooks only to ports 443, 80, 88 or 8443 (a TLS proxy on "
                "one of them can forward to KHABAR_PORT)",
            )
        return value

    @field_validator("allowed_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError("KHABAR_WEBHOOK_SECRET")
        return self

    @property
    def webhook(self) -> bool:
        """Webhook mode when a public URL is set; polling otherwise."""
        return self.webhook_url is not None

    @property
    def url_path(self) -> str:
        """Where the local webhook server listens: KHABAR_WEBHOOK_PATH or the URL's own path."""
        if self.webhook_path is not None:
            return self.webhook_path.strip("/")
        return urlparse(self.webhook_url or "").path.strip("/")

    def secrets(self) -> list[str]:
        """Values that must never reach a log line."""
        found = [self.token.get_secret_value()]
        if self.webhook_secret is not None:
            found.append(self.webhook_secret.get_secret_value())
        return found


def load_settings(env_file: str | Path | None = ".env") -> Settings:
    """Settings from the environment (and ``env_file``), or one clear SettingsError line."""
    try:
        if env_file is not None:
            _check_env_file(Path(env_file))
        return Settings(_env_file=env_file)  # type: ignore[call-arg]
    except ValidationError as exc:
        raise SettingsError(_one_line(exc)) from None
    except UnicodeDecodeError as exc:  # a .env saved by an editor in Windows-1256 or Latin-1
        raise SettingsError(
            f"{env_file}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset "
            f"{exc.start}); save it as UTF-8"
        ) from None


def _check_env_file(path: Path) -> None:
    """A .env that would be skipped in silence (a folder, a line python-dotenv cannot parse)
    is named: otherwise its settings look unset. The line's text is not shown: it may be the
    token."""
    if path.is_dir():
        raise SettingsError(f"{path}: a folder, not a settings file")
    if not path.is_file():
        return
    from dotenv.parser import parse_stream

    with path.open(encoding="utf-8") as stream:  # UnicodeDecodeError: load_settings says it
        for binding in parse_stream(stream):
            if binding.error:
                raise SettingsError(
                    f"{path}: line {binding.original.line} cannot be read as NAME=value "
                    "(an unclosed quote?)"
                )


def _one_line(exc: ValidationError) -> str:
    error = exc.errors(include_input=False)[0]
    loc = error["loc"]
    if error["type"] == "value_error" and not loc and "KHABAR_WEBHOOK_SECRET" in error["msg"]:
        return (
            "KHABAR_WEBHOOK_SECRET is required when KHABAR_WEBHOOK_URL is set: "
            + _HINTS["KHABAR_WEBHOOK_SECRET"]
        )
    name = str(loc[0]) if loc else "settings"
    if error["type"] == "webhook_url":
        return f"{name} is refused: {error['msg']}"
    hint = _HINTS.get(name, error["msg"])
    if error["type"] == "missing":
        if name == "TELEGRAM_BOT_TOKEN":
            return (
                "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in the "
                "environment or in .env"
            )
        return f"{name} is not set: {hint}"
    return f"{name} is malformed: expected {hint}"


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, what it must be) for every setting: ``khabar telegram --help``."""
    rows = []
    for field in Settings.model_fields.values():
        name = str(field.alias)
        default = field.default
        if field.is_required():
            shown = "required"
        elif default is None or default == frozenset():
            shown = "unset"
        else:
            shown = str(default)
        rows.append((name, shown, _HINTS.get(name, "")))
    return rows
