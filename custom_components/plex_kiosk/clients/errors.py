"""The three kinds of error every client raises."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# A URL's credentials and query string (API keys, passkeys, tokens) never reach a message.
_URL = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*://)(?:[^/\s@'\"]*@)?([^\s?#'\"]*)(?:[?#][^\s'\"]*)?")
_SECRET_PARAM = re.compile(
    r"((?:api_?key|apikey|passkey|token|password|X-Plex-Token)=)[^&\s'\"]+", re.IGNORECASE
)


def clean(text: str) -> str:
    """``text`` without the secrets a URL or a parameter may carry (for messages and logs)."""
    return _SECRET_PARAM.sub(r"\1…", _URL.sub(r"\1\2", text))


# What a connection failure means to a person, from the words its exception chain uses.
_WHY = (
    (("refused",), "connection refused"),
    (("timed out", "timeout", "Timeout"), "no answer in time"),
    (
        ("Name or service not known", "nodename nor servname", "name resolution", "getaddrinfo",
         "Could not contact DNS", "Domain name not found", "NameResolution"),
        "unknown host name",
    ),
    (("No route to host", "Network is unreachable"), "network unreachable"),
    (("CERTIFICATE", "certificate", "SSL"), "its TLS certificate is not trusted"),
    (("Connection reset", "RemoteDisconnected", "closed"), "it closed the connection"),
)  # fmt: skip


def address(url: str) -> str:
    """``host:port`` of a URL (the scheme's port when it names none)."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return parts.netloc
    return f"{parts.hostname}:{port}"


def unreachable(err: BaseException, url: str) -> str:
    """Why nothing answered at the URL, in words a person can act on."""
    chain: list[str] = []
    cause: BaseException | None = err
    while cause is not None and len(chain) < 8:
        chain.append(f"{type(cause).__name__} {cause}")
        cause = cause.__cause__ or cause.__context__
    text = " ".join(chain)
    why = next((said for marks, said in _WHY if any(m in text for m in marks)), None)
    return f"nothing answers at {address(url)}" + (f" ({why})" if why else "")


class ClientError(Exception):
    """Base error of an outside service, with the service's name for messages."""

    kind = "bad_response"

    def __init__(self, service: str, detail: str) -> None:
        """Keep which service failed and why."""
        detail = clean(detail)
        super().__init__(f"{service}: {detail}")
        self.service = service
        self.detail = detail


class CannotConnect(ClientError):
    """The service is unreachable, timed out or answered with a server error."""

    kind = "cannot_connect"


class AuthFailed(ClientError):
    """The service refused the credentials."""

    kind = "invalid_auth"


class BadResponse(ClientError):
    """The service answered something that is not what its protocol promises."""

    kind = "bad_response"


class RateLimited(CannotConnect):
    """The service asked us to slow down (HTTP 429)."""

    kind = "rate_limited"

    def __init__(self, service: str, retry_after: float) -> None:
        """Keep how long the service asked us to wait, in seconds."""
        super().__init__(service, f"rate limited, retry after {retry_after:.0f}s")
        self.retry_after = retry_after
