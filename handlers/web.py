"""The bot's own HTTP server (aiohttp): Telegram's webhook in webhook mode, and `/healthz` and
`/metrics` in both modes (polling: on DONDOC_HEALTH_PORT when set).

The webhook answers 403 to a request without Telegram's secret header or with a wrong one, and
200 once the update is handled. An update Telegram sends again after a lost 200 (the instance
died after its commit, or answered too late) is answered 200 without acting twice, whichever
instance gets it (bot.db.once); one that only looked (/nv, /viec) without answering twice
when it comes back to the instance that answered it (ANSWERED).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from telegram import Update

from bot.db.once import handling
from handlers import metrics
from handlers.context import DondocApp

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE = 1024 * 1024  # an update is a few KB; files are fetched by id, never posted
DB_TIMEOUT = 3.0  # seconds /healthz waits for the database before calling it unreachable
# Updates this instance remembers having handled. A look (/nv, /viec, /baocao) commits nothing,
# so leaves no key in the database (bot.db.once): remembered here, its resend to this instance
# is not answered twice, at no cost to the database. A resend to another instance, or after a
# restart, is answered again, which a look allows (a change never acts twice: its key is in
# the database). Telegram resends within minutes: a few thousand cover hours of a ward's load.
ANSWERED = 4096


def update_key(update: Update) -> str:
    """The key an update is remembered by: its id, with what it carries (a message's chat and id,
    a button press's id), since Telegram may reuse ids after a week without updates."""
    if update.callback_query is not None:
        return f"u:{update.update_id}:q{update.callback_query.id}"[:96]
    message = update.effective_message
    if message is not None:
        return f"u:{update.update_id}:{message.chat_id}:{message.message_id}"
    return f"u:{update.update_id}"


class WebServer:
    def __init__(
        self,
        app: DondocApp,
        host: str,
        port: int,
        webhook_path: str | None = None,
        secret: str | None = None,
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.secret = secret
        self.web = web.Application(client_max_size=MAX_UPDATE)
        if webhook_path is not None:
            if not secret:
                raise ValueError("a webhook needs its secret")
            self.web.router.add_post(webhook_path, self._webhook)
        self.web.router.add_get("/healthz", self._healthz)
        self.web.router.add_get("/metrics", self._metrics)
        self._runner: web.AppRunner | None = None
        self._answered: dict[str, None] = {}  # update keys handled here, oldest first
        self._handling: dict[str, asyncio.Future[bool]] = {}  # being handled: True once done

    async def start(self) -> int:
        """Listen; returns the port (the one the system chose when asked for 0)."""
        runner = web.AppRunner(self.web, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        await web.TCPSite(runner, self.host, self.port).start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def _webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        assert self.secret is not None
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            # No detail: whoever sends this is not Telegram.
            return web.Response(status=403, text="Forbidden")
        try:
            data = await request.json()
            update = Update.de_json(data, self.app.bot)
        except (ValueError, TypeError, KeyError):
            return web.Response(status=400, text="Bad Request")
        if update is None:
            return web.Response(status=400, text="Bad Request")
        app = self.app
        if not app.running:
            # Stopping: Telegram keeps the update and sends it again, here or to another instance.
            return web.Response(status=503, text="Service Unavailable")
        services = app.bot_data.services
        assert services is not None  # set in post_init, before the server starts
        key = update_key(update)
        first = self._handling.get(key)
        if first is not None and await asyncio.shield(first):
            # Sent again while this instance was still handling it (Telegram gave up waiting
            # for the first 200): answered once that handling is done, not handled twice.
            log.info("update %s was handled meanwhile: not again", update.update_id)
            return web.Response(text="ok")
        if key in self._answered or await services.ops.handled_before(key):
            log.info("update %s was handled before: not again", update.update_id)
            return web.Response(text="ok")
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._handling[key] = done
        handled = False
        try:
            # Handled before the 200, not merely queued: a crash meanwhile leaves the update
            # with Telegram, which sends it again. The processor keeps one chat's updates in
            # order.
            with handling(key, services.core.clock.now()):
                await app.update_processor.process_update(update, app.process_update(update))
            handled = True
        finally:
            del self._handling[key]
            done.set_result(handled)
        if handled:
            self._answered[key] = None
            if len(self._answered) > ANSWERED:
                del self._answered[next(iter(self._answered))]
        return web.Response(text="ok")

    async def health(self) -> tuple[bool, dict[str, Any]]:
        data = self.app.bot_data
        services = data.services
        backlog: int | None = None
        reachable = False
        if services is not None:
            try:
                backlog = await asyncio.wait_for(services.ops.backlog(), DB_TIMEOUT)
                reachable = True
            except Exception as exc:  # any failure to read is "unreachable", said in the body
                log.warning("/healthz: the database did not answer (%s)", exc)
        last = data.last_update_at
        body = {
            "database": "ok" if reachable else "unreachable",
            "last_update_age_seconds": None if last is None else round(time.monotonic() - last, 1),
            "outbox_backlog": backlog,
            "leader": data.leader,
        }
        return reachable, body

    async def _healthz(self, _: web.Request) -> web.Response:
        ok, body = await self.health()
        return web.Response(
            status=200 if ok else 503, text=json.dumps(body), content_type="application/json"
        )

    async def _metrics(self, _: web.Request) -> web.Response:
        ok, body = await self.health()
        if ok:
            metrics.OUTBOX.set(body["outbox_backlog"])
        metrics.LEADER.set(1 if body["leader"] else 0)
        age = body["last_update_age_seconds"]
        metrics.LAST_UPDATE_AGE.set(-1 if age is None else age)
        return web.Response(
            body=generate_latest(metrics.registry()),
            headers={"Content-Type": CONTENT_TYPE_LATEST},
        )
