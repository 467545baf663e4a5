"""Follow errors, translated through the integration's exception strings."""

from __future__ import annotations

from homeassistant.exceptions import HomeAssistantError

from ..const import DOMAIN


class FollowError(HomeAssistantError):
    """A follow action that cannot be done; ``key`` names its translated message."""

    def __init__(self, key: str, **placeholders: str) -> None:
        """Translated as ``exceptions.<key>`` with the placeholders."""
        super().__init__(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders=placeholders,
        )
        self.key = key
