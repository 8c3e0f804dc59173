"""PTB's requests to the Bot API over aiohttp instead of httpx.

httpx's stack (httpx, httpcore, anyio, h11) is pure Python: py-spy put it at 18% of the bot's CPU
in a burst of updates. aiohttp parses HTTP in C. Everything above the transport stays PTB's:
`BaseRequest` maps status codes and Telegram's error parameters to the same exceptions.

Timeouts mean what they mean in HTTPXRequest: waiting for a free connection (pool), opening one
(connect), sending (write) and waiting for the answer (read). aiohttp has no write timeout of its
own; the write and read limits together bound the whole exchange once connected.
"""

from __future__ import annotations

import functools
import json
from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
import httpx
from aiohttp.payload import BytesPayload
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

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
            body = BytesPayload(
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
    had (none free in time, or none could be opened). httpx's too, for a bot built with PTB's
    own HTTPXRequest."""
    return isinstance(
        cause,
        aiohttp.ConnectionTimeoutError
        | aiohttp.ClientConnectorError
        | httpx.ConnectError
        | httpx.ConnectTimeout
        | httpx.PoolTimeout,
    )
