"""PTB's requests to the Bot API over aiohttp instead of httpx.

httpx's stack (httpx, httpcore, anyio, h11) is pure Python: py-spy put it at 18% of the bot's CPU
in a burst of updates. aiohttp parses HTTP in C. Everything above the transport stays PTB's:
`BaseRequest` maps status codes and Telegram's error parameters to the same exceptions.

Timeouts mean what they mean in HTTPXRequest: waiting for a free connection (pool), opening one
(connect), sending (write) and waiting for the answer (read). aiohttp has no write timeout of its
own; the write and read limits together bound the whole exchange once connected.

aiohttp is not loaded at start, though: importing its client (with the two SSL contexts it
builds at import) was ~130 ms of the ~0.57 s from process start to the first getUpdates (issue
13). A polling bot's start-up calls (getMe, setMyCommands, deleteWebhook, the first getUpdates)
go over PTB's own HTTPXRequest, httpx being loaded by PTB anyway; half a second after the first
getUpdates, aiohttp is imported in a thread, and every call made once it is done goes over
aiohttp (`Handover`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib
import json
import logging
import ssl
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import httpx
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

if TYPE_CHECKING:
    # Bound at run time by `load`, which every use of it comes after.
    import aiohttp

log = logging.getLogger("dondoc")
POOL = 256  # connections, as PTB's default: the outbox sender's requests overlap the replies'
KEEPALIVE = 5.0  # seconds
JSON_TYPE = "application/json"
URLS_KEPT = 256  # URLs whose proxy is remembered (files' URLs are many; methods are few)


class AiohttpRequest(BaseRequest):
    __slots__ = (
        "_by_url",
        "_connect_timeout",
        "_media_write_timeout",
        "_pool_size",
        "_pool_timeout",
        "_proxies",
        "_read_timeout",
        "_session",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = POOL,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str | None] = {}  # "scheme://host" → its proxy, or None
        self._by_url: dict[str, str | None] = {}  # a full URL → its proxy, or None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        load()
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=self._pool_size,
                    limit_per_host=0,
                    # httpx's keep-alive expiry: an idle connection is not reused after the
                    # server may have closed it (a request lost on it would be ambiguous).
                    keepalive_timeout=KEEPALIVE,
                ),
                headers={"User-Agent": self.USER_AGENT},
                # The environment's proxies are looked up once per host (`_proxy`), not on
                # every request as trust_env=True would.
                trust_env=False,
                skip_auto_headers=("Accept-Encoding",),
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = (
            self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        )
        pool = self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout
        if isinstance(write_timeout, DefaultValue):
            write = self._media_write_timeout if files else self._write_timeout
        else:
            write = write_timeout
        body: Any = None
        if fields and not files:
            # A JSON body, as the Bot API takes for any call without a file (PTB's own
            # `RequestData.json_payload`, but without escaping every Vietnamese letter). Given the
            # dict, aiohttp built a multipart writer (a uuid4 boundary) only to urlencode it,
            # percent-quoting the text byte by byte in Python: half of aiohttp's CPU per call.
            # Each value is the string PTB would have put in the form, which the Bot API reads
            # the same from either body.
            body = aiohttp.payload.BytesPayload(
                json.dumps(fields, ensure_ascii=False).encode(), content_type=JSON_TYPE
            )
        elif files:
            form = aiohttp.FormData(fields or {})
            for name, content in files.items():
                filename, data, *mime = content
                form.add_field(
                    name, data, filename=filename, content_type=mime[0] if mime else None
                )
            body = form
        timeout = _timeout(pool, connect, write, read)
        try:
            async with session.request(
                method, url, data=body, timeout=timeout, proxy=self._proxy(url)
            ) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as err:
            raise TimedOut(
                "Pool or connect timeout: no connection to Telegram. Request was *not* sent."
            ) from err
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err

    def _proxy(self, url: str) -> str | None:
        """The proxy that HTTPS_PROXY / HTTP_PROXY / ALL_PROXY (and NO_PROXY) name for this
        URL's host, as PTB over httpx would have used: an office that reaches Telegram only
        through its proxy keeps reaching it."""
        if url in self._by_url:  # the bot's URLs are its token's few dozen methods
            return self._by_url[url]
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._proxies:
            found = getproxies()
            proxy = found.get(parts.scheme) or found.get("all")
            if proxy and parts.hostname and proxy_bypass(parts.hostname):
                proxy = None
            self._proxies[origin] = proxy or None
        if len(self._by_url) < URLS_KEPT:
            self._by_url[url] = self._proxies[origin]
        return self._proxies[origin]


@functools.lru_cache(maxsize=64)
def _timeout(
    pool: float | None, connect: float | None, write: float | None, read: float | None
) -> aiohttp.ClientTimeout:
    """The same few limits on every call: built once each, not for every request."""
    return aiohttp.ClientTimeout(
        # aiohttp has no write timeout: the whole exchange is bounded by all four.
        total=_sum(pool, connect, write, read),
        # aiohttp's "connect" is the wait for a pooled connection plus opening a new one.
        connect=_sum(pool, connect),
        sock_connect=connect,
        sock_read=read,
    )


def _sum(*limits: float | None) -> float | None:
    return None if any(x is None for x in limits) else sum(x for x in limits if x is not None)


def never_left(cause: BaseException | None) -> bool:
    """A transport error that proves the request never reached Telegram: no connection could be
    had (none free in time, or none could be opened). httpx's too: the start's calls go over
    PTB's own HTTPXRequest (`SwitchingRequest`)."""
    if isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return True
    client = globals().get("aiohttp")  # not loaded yet: none of its errors can have been raised
    return client is not None and isinstance(
        cause, client.ConnectionTimeoutError | client.ClientConnectorError
    )


def load() -> None:
    """aiohttp's client imported (once), for AiohttpRequest."""
    if "aiohttp" not in globals():
        globals()["aiohttp"] = importlib.import_module("aiohttp")


_ssl: list[ssl.SSLContext] = []
_ssl_lock = threading.Lock()


def _ssl_context() -> ssl.SSLContext:
    """One SSL context for both of the start's httpx clients (PTB builds one for each), as
    httpx makes it: certifi's roots, or SSL_CERT_FILE / SSL_CERT_DIR."""
    with _ssl_lock:
        if not _ssl:
            _ssl.append(httpx.create_ssl_context())
        return _ssl[0]


def prepare() -> None:
    """At the start of a polling bot: the SSL context is made in a thread while the rest of the
    bot is loaded. Reading the CA file (~140 certificates) was 7.7% of the instructions of a
    start (callgrind), and CPython lets go of the GIL while OpenSSL reads it: on a second core,
    off the start's path. A failure here is left for the start itself to meet and say."""

    def make() -> None:
        with contextlib.suppress(Exception):
            _ssl_context()

    threading.Thread(target=make, name="ssl-context", daemon=True).start()


class Handover:
    """A bot's two requests (its calls, its getUpdates) moved from httpx to aiohttp together,
    once the first getUpdates is out: aiohttp is imported in a thread while the bot waits for
    updates, instead of before it asks for any."""

    # How long after the first getUpdates the import begins: the request is out by then (a
    # connection and TLS handshake with Telegram take a few tenths of a second at most), and
    # the import's thread does not make it wait for the GIL on its way.
    AFTER = 0.5  # seconds

    def __init__(self) -> None:
        self.requests: list[SwitchingRequest] = []
        self.moved = False
        self._task: asyncio.Task[None] | None = None

    def begin(self) -> None:
        """At the first getUpdates, as its call begins."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._move(), name="to-aiohttp")

    async def _move(self) -> None:
        await asyncio.sleep(self.AFTER)
        try:
            await asyncio.to_thread(load)
        except Exception:
            log.exception("aiohttp could not be loaded: the Bot API calls stay on httpx")
            return
        self.moved = True
        for request in self.requests:
            await request.switch()

    async def done(self) -> None:
        """Until the requests have moved (at once if they have, or have not begun to)."""
        if self._task is not None:
            await asyncio.shield(self._task)

    def cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()


class SwitchingRequest(BaseRequest):
    """PTB's HTTPXRequest until the bot's first getUpdates, AiohttpRequest after it, with the
    same timeouts, pool size and proxies (`Handover`). A call in flight over httpx when the
    switch comes (the first getUpdates, polling for up to its timeout) finishes there, and its
    client is closed at shutdown instead of at the switch; httpx lets its idle connections go
    after 5 s meanwhile."""

    __slots__ = ("_busy", "_current", "_handover", "_httpx", "_httpx_options", "_later", "_polls")

    def __init__(
        self,
        handover: Handover,
        polls: bool = False,
        connection_pool_size: int = POOL,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        limits: dict[str, Any] = {
            "connection_pool_size": connection_pool_size,
            "read_timeout": read_timeout,
            "write_timeout": write_timeout,
            "connect_timeout": connect_timeout,
            "pool_timeout": pool_timeout,
            "media_write_timeout": media_write_timeout,
        }
        self._handover = handover
        self._polls = polls  # the getUpdates request: its first call begins the handover
        self._later = AiohttpRequest(**limits)
        self._httpx_options = limits
        self._httpx: HTTPXRequest | None = None
        self._current: BaseRequest | None = None
        self._busy = 0  # calls in flight over httpx
        handover.requests.append(self)

    @property
    def read_timeout(self) -> float | None:
        return self._later.read_timeout

    @property
    def switched(self) -> bool:
        """Whether the calls go over aiohttp now."""
        return self._current is self._later

    async def initialize(self) -> None:
        if self._current is not None:
            return
        if self._handover.moved:
            await self.switch()
            return
        self._httpx = HTTPXRequest(**self._httpx_options, httpx_kwargs={"verify": _ssl_context()})
        await self._httpx.initialize()
        self._current = self._httpx

    async def switch(self) -> None:
        if self._current is self._later:
            return
        await self._later.initialize()
        self._current = self._later
        if not self._busy:
            await self._close_httpx()

    async def shutdown(self) -> None:
        self._handover.cancel()
        self._current = None
        await self._close_httpx()
        await self._later.shutdown()

    async def _close_httpx(self) -> None:
        if self._httpx is not None:
            closing, self._httpx = self._httpx, None
            await closing.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        current = self._current
        if current is self._later:
            return await current.do_request(
                url,
                method,
                request_data,
                read_timeout,
                write_timeout,
                connect_timeout,
                pool_timeout,
            )
        if current is None:
            raise RuntimeError("This SwitchingRequest is not initialized!")
        # A task of its own: a stop signal during the start makes PTB close its start-up
        # coroutine (run_polling's updater_coroutine.close()), and GeneratorExit thrown through
        # httpx's stack outside a task fails in sniffio ("unknown async library") and reads as
        # an unreachable Telegram. Cancelled instead, the call ends inside its task.
        call = asyncio.ensure_future(
            current.do_request(
                url,
                method,
                request_data,
                read_timeout,
                write_timeout,
                connect_timeout,
                pool_timeout,
            )
        )
        if self._polls:
            self._handover.begin()  # its first step comes after the call's
        self._busy += 1
        try:
            return await call
        finally:
            call.cancel()
            self._busy -= 1
