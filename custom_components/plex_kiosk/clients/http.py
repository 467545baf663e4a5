"""One HTTP helper shared by the JSON and XML clients, mapping failures to client errors."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import aiohttp

from .errors import AuthFailed, BadResponse, CannotConnect, RateLimited

TIMEOUT = aiohttp.ClientTimeout(total=30)
DEFAULT_RETRY_AFTER = 60.0


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


async def fetch(
    session: aiohttp.ClientSession,
    service: str,
    method: str,
    url: str,
    *,
    params: Mapping[str, str | int] | None = None,
    headers: Mapping[str, str] | None = None,
    payload: Any = None,
) -> tuple[str, str]:
    """Send one request; return (body, content type) or raise a client error."""
    try:
        async with session.request(
            method, url, params=params, headers=headers, json=payload, timeout=TIMEOUT
        ) as resp:
            body = await resp.text(errors="replace")
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
    except (aiohttp.ClientError, TimeoutError) as err:
        raise CannotConnect(service, str(err) or type(err).__name__) from err


async def fetch_bytes(session: aiohttp.ClientSession, service: str, url: str) -> bytes:
    """Download a file (a .torrent) or raise a client error."""
    try:
        async with session.get(url, timeout=TIMEOUT) as resp:
            if resp.status in (401, 403):
                raise AuthFailed(service, f"HTTP {resp.status}")
            if resp.status >= 400:
                raise BadResponse(service, f"HTTP {resp.status}")
            return await resp.read()
    except (aiohttp.ClientError, TimeoutError) as err:
        raise CannotConnect(service, str(err) or type(err).__name__) from err


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
        return json.loads(body)
    except ValueError as err:
        raise BadResponse(service, f"not JSON: {body[:80]!r}") from err
