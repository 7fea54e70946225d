"""Logging for the bot: the token and the webhook secret never reach a log line."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

from telegram.error import InvalidToken


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


class QuietStartup(logging.Filter):
    """PTB logs a full traceback when start-up fails; the app says why in one line.

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


class NoServerTracebacks(logging.Filter):
    """PTB logs a traceback for every Bot API answer that is not JSON (a proxy's error page):
    its one-line message says what came back, which is all a reader can act on."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if record.name.startswith("telegram.request") and isinstance(exc, ValueError):
            record.exc_info, record.exc_text = None, None  # json.JSONDecodeError is one
        return True


QUIET_SERVER = NoServerTracebacks()


def protect_logs(secret_values: Iterable[str]) -> None:
    """Quiet httpx (it logs every URL, token included) and redact secrets on root handlers."""
    for value in secret_values:
        if value:
            REDACTOR.secrets.update({value, value.replace(":", "%3A")})
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        for wanted in (QUIET_SERVER, REDACTOR):  # the traceback goes before it is redacted
            if wanted not in handler.filters:
                handler.addFilter(wanted)
    ptb = logging.getLogger("telegram.ext")
    if not any(isinstance(f, QuietStartup) for f in ptb.filters):
        ptb.addFilter(QuietStartup())


def configure_logging(secret_values: Iterable[str]) -> None:
    """One line a record on stderr (where systemd and Docker collect it), secrets redacted."""
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    protect_logs(secret_values)
