"""The three kinds of error every client raises."""

from __future__ import annotations


class ClientError(Exception):
    """Base error of an outside service, with the service's name for messages."""

    kind = "bad_response"

    def __init__(self, service: str, detail: str) -> None:
        """Keep which service failed and why."""
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
