"""What an action answers when it cannot be done, translated through the integration's
exception strings."""

from __future__ import annotations

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .const import DOMAIN


class ActionError(ServiceValidationError):
    """What the user asked cannot be done (unknown id, already followed…); ``key`` names
    its translated message."""

    def __init__(self, key: str, **placeholders: str) -> None:
        """Translated as ``exceptions.<key>`` with the placeholders."""
        super().__init__(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders=placeholders,
        )
        self.key = key


class ServiceDown(HomeAssistantError):
    """An outside service did not answer (translated as ``exceptions.service_down``)."""

    def __init__(self, service: str, detail: str) -> None:
        """Which service, and what it said."""
        super().__init__(
            translation_domain=DOMAIN,
            translation_key="service_down",
            translation_placeholders={"service": service, "detail": detail},
        )
