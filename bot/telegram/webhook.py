"""The webhook endpoint: the secret, then a JSON update, or 4xx."""

from __future__ import annotations

import hmac
import json

import tornado.web
from telegram.ext._utils import webhookhandler as ptb_webhook  # see StrictWebhookHandler


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
