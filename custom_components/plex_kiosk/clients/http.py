"""One HTTP helper shared by the JSON and XML clients, mapping failures to client errors."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

import aiohttp
from yarl import URL

from .errors import AuthFailed, BadResponse, CannotConnect, RateLimited, unreachable

TIMEOUT = aiohttp.ClientTimeout(total=30)
DEFAULT_RETRY_AFTER = 60.0
MAX_ANSWER = 16 * 1024 * 1024  # bytes: a 1,000-item Torznab page is about 2 MB
MAX_TORRENT = 10 * 1024 * 1024
MAX_REDIRECTS = 5
DECODE_IN_LOOP = 64 * 1024  # characters
REDIRECTS = frozenset({301, 302, 303, 307, 308})


def html_hint(body: str) -> str:
    """Describe an HTML page received where an API answer was expected."""
    challenge = "cloudflare" in body.lower() or "just a moment" in body.lower()
    return "a Cloudflare challenge page" if challenge else "an HTML page instead of an API answer"


def _retry_after(headers: Mapping[str, str]) -> float:
    """Seconds to wait from a Retry-After header (seconds form), or a safe default."""
    try:
        return max(float(headers.get("Retry-After", "")), 1.0)
    except ValueError:
        return DEFAULT_RETRY_AFTER


async def read_capped(resp: aiohttp.ClientResponse, service: str, limit: int) -> bytes:
    """The body, refused past ``limit`` bytes (read in chunks: never held whole)."""
    if resp.content_length is not None and resp.content_length > limit:
        raise BadResponse(service, f"answer too large ({resp.content_length} bytes)")
    chunks, size = [], 0
    async for chunk in resp.content.iter_chunked(65536):
        size += len(chunk)
        if size > limit:
            raise BadResponse(service, f"answer too large (over {limit} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


async def fetch(
    session: aiohttp.ClientSession,
    service: str,
    method: str,
    url: str,
    *,
    params: Mapping[str, str | int] | None = None,
    headers: Mapping[str, str] | None = None,
    payload: Any = None,
    limit: aiohttp.ClientTimeout = TIMEOUT,
) -> tuple[str, str]:
    """Send one request; return (body, content type) or raise a client error."""
    try:
        async with session.request(
            method, url, params=params, headers=headers, json=payload, timeout=limit
        ) as resp:
            raw = await read_capped(resp, service, MAX_ANSWER)
            body = raw.decode(resp.charset or "utf-8", errors="replace").removeprefix("\ufeff")
            if resp.status >= 400 and resp.content_type == "text/html":
                raise BadResponse(service, f"HTTP {resp.status}: {html_hint(body)}")
            if resp.status in (401, 403):
                raise AuthFailed(service, f"HTTP {resp.status}")
            if resp.status == 429:
                raise RateLimited(service, _retry_after(resp.headers))
            if resp.status >= 500:
                raise CannotConnect(service, f"HTTP {resp.status}")
            if resp.status >= 400:
                raise BadResponse(service, f"HTTP {resp.status}: {body[:200]}")
            return body, resp.content_type
    except aiohttp.TooManyRedirects as err:
        raise BadResponse(service, "too many redirects") from err
    except (aiohttp.ClientError, TimeoutError) as err:
        raise CannotConnect(service, unreachable(err, url)) from err


async def fetch_torrent(session: aiohttp.ClientSession, service: str, url: str) -> bytes | str:
    """Download a .torrent; a link that redirects to a ``magnet:`` URI gives that magnet
    (redirects are followed here: aiohttp refuses a non-HTTP one)."""
    try:
        for _ in range(MAX_REDIRECTS + 1):
            async with session.get(url, timeout=TIMEOUT, allow_redirects=False) as resp:
                if resp.status in REDIRECTS and (location := resp.headers.get("Location")):
                    if location.startswith("magnet:"):
                        return location
                    url = str(resp.url.join(URL(location)))
                    continue
                if resp.status in (401, 403):
                    raise AuthFailed(service, f"HTTP {resp.status}")
                if resp.status >= 400:
                    raise BadResponse(service, f"HTTP {resp.status}")
                return await read_capped(resp, service, MAX_TORRENT)
    except (aiohttp.ClientError, TimeoutError) as err:
        raise CannotConnect(service, unreachable(err, url)) from err
    raise BadResponse(service, "too many redirects")


async def fetch_bytes(session: aiohttp.ClientSession, service: str, url: str) -> bytes:
    """An image or another file of at most :data:`MAX_TORRENT` bytes."""
    try:
        async with session.get(url, timeout=TIMEOUT) as resp:
            if resp.status >= 400:
                raise BadResponse(service, f"HTTP {resp.status}")
            return await read_capped(resp, service, MAX_TORRENT)
    except (aiohttp.ClientError, TimeoutError) as err:
        raise CannotConnect(service, unreachable(err, url)) from err


async def fetch_json(
    session: aiohttp.ClientSession,
    service: str,
    method: str,
    url: str,
    **kwargs: Any,
) -> Any:
    """Send one request and decode its JSON body."""
    body, _ = await fetch(session, service, method, url, **kwargs)
    try:
        if len(body) > DECODE_IN_LOOP:  # a big answer is decoded off the event loop
            return await asyncio.get_running_loop().run_in_executor(None, json.loads, body)
        return json.loads(body)
    except ValueError as err:
        raise BadResponse(service, f"not JSON: {body[:80]!r}") from err
