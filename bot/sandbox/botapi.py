"""The sandbox's Bot API over HTTP (aiohttp), for a real PTB ``Application``::

    state = FakeTelegram(token="123:ABC")
    server = BotApiServer(state)
    url = await server.start()            # "http://127.0.0.1:PORT"
    app = (ApplicationBuilder().token("123:ABC")
           .base_url(f"{url}/bot").base_file_url(f"{url}/file/bot").build())
    ...
    await server.stop()

Routes: ``GET|POST /bot{token}/{method}`` and ``GET /file/bot{token}/{file_path}``. A web UI can
add its own routes to :attr:`BotApiServer.app` before :meth:`BotApiServer.start`.

Once the bot calls ``setWebhook``, updates are POSTed to its URL one at a time, in order, with
the ``X-Telegram-Bot-Api-Secret-Token`` header it asked for, as Telegram does; an update is
forgotten once answered 200 and tried again half a second after any other answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

import aiohttp
from aiohttp import web

from bot.sandbox.methods import BotApi, Upload
from bot.sandbox.state import FakeTelegram, JsonDict, bad_request

MAX_UPLOAD = 50 * 1024 * 1024


class BotApiServer:
    """Serves :class:`FakeTelegram` as the Telegram Bot API on a local port."""

    def __init__(self, state: FakeTelegram) -> None:
        self.state = state
        self.api = BotApi(state)
        self.app = web.Application(client_max_size=MAX_UPLOAD + 1024 * 1024)
        self.app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        self.app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        self._runner: web.AppRunner | None = None
        self._pusher: asyncio.Task[None] | None = None
        self.url: str | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen (``port=0``: any free port) and return the base url, e.g.
        ``"http://127.0.0.1:41234"``."""
        if self._runner is not None:
            raise RuntimeError("already started")
        self.api.closing = False
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        bound_port = int(runner.addresses[0][1])
        self.url = f"http://{host}:{bound_port}"
        self._pusher = asyncio.create_task(self._push_updates())
        return self.url

    async def stop(self) -> None:
        """Answer held requests and long polls at once, then close the listener."""
        if self._runner is None:
            return
        self.api.close()
        if self._pusher is not None:
            self._pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pusher
            self._pusher = None
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def _push_updates(self) -> None:
        """While a webhook is set, POST each pending update to it (see the module docstring)."""
        state = self.state
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            while True:
                url = state.webhook_url
                batch = state.take_updates(None, 1) if url else []
                if not batch:
                    await state.wait_changed(1.0)
                    continue
                update = batch[0]
                headers = {"X-Telegram-Bot-Api-Secret-Token": state.webhook_secret}
                try:
                    async with http.post(url, json=update, headers=headers) as answer:
                        status = answer.status
                except (aiohttp.ClientError, TimeoutError):
                    status = 0
                state.webhook_posts.append((update["update_id"], status))
                if status == 200:
                    state.confirm_update(update["update_id"])
                else:
                    await asyncio.sleep(0.5)

    async def _handle_method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.state.token:
            return _json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        try:
            raw = await _read_params(request)
        except ValueError as error:
            return _json(400, bad_request(str(error)).to_json())
        status, body = await self.api.call(request.match_info["method"], raw)
        return _json(status, body)

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.state.token:
            return _json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        path = request.match_info["file_path"]
        for stored in self.state.files.values():
            if stored.file_path == path:
                return web.Response(
                    body=stored.data,
                    content_type=stored.mime_type or "application/octet-stream",
                )
        return _json(404, {"ok": False, "error_code": 404, "description": "Not Found"})


def _json(status: int, body: JsonDict) -> web.Response:
    return web.Response(
        status=status,
        text=json.dumps(body, ensure_ascii=False),
        content_type="application/json",
    )


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Query string plus a form, multipart or JSON body; file parts become :class:`Upload`."""
    params: dict[str, Any] = dict(request.query)
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ValueError("can't parse JSON body") from None
        if not isinstance(body, dict):
            raise ValueError("JSON body must be an object")
        params.update(body)
        return params
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = Upload(value.filename, value.file.read(), value.content_type)
            else:
                params[key] = value
    return params
