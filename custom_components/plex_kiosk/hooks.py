"""What the features tell Home Assistant: events on its bus, failures as repair issues."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN, EVENT_POSTER_MISMATCH
from .engine.selection import Reason

MAX_LISTED = 10  # episodes named in a repair issue


class HassHooks:
    """Events on Home Assistant's bus; failures as repair issues."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Bound to one Home Assistant."""
        self.hass = hass

    def fire(self, event: str, data: dict[str, Any]) -> None:
        """Fire an event on the bus; reasons in Home Assistant's language."""
        language = self.hass.config.language
        self.hass.bus.async_fire(
            event, {k: v.text(language) if isinstance(v, Reason) else v for k, v in data.items()}
        )

    def failures(self, follow_id: str, series: str, episodes: list[str]) -> None:
        """A repair issue per series with failed episodes; deleted when none is left."""
        issue_id = f"episodes_failed_{follow_id}"
        if not episodes:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            return
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="episodes_failed",
            translation_placeholders={
                "series": series,
                "count": str(len(episodes)),
                "episodes": ", ".join(episodes[:MAX_LISTED])
                + (" …" if len(episodes) > MAX_LISTED else ""),
            },
        )

    def library_critical(self, titles: list[str]) -> None:
        """A repair issue while the latest report finds critical problems; gone when none."""
        if not titles:
            ir.async_delete_issue(self.hass, DOMAIN, "library_critical")
            return
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            "library_critical",
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key="library_critical",
            translation_placeholders={
                "count": str(len(titles)),
                "items": ", ".join(titles[:MAX_LISTED])
                + (" …" if len(titles) > MAX_LISTED else ""),
            },
        )

    def poster_mismatch(self, request_id: str, title: str, path: str, reason: str) -> None:
        """The model says an imported file is not the movie: a repair issue and an event
        (nothing is deleted)."""
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            f"poster_mismatch_{request_id}",
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="poster_mismatch",
            translation_placeholders={"title": title, "path": path, "reason": reason},
        )
        self.fire(
            EVENT_POSTER_MISMATCH,
            {"request_id": request_id, "title": title, "path": path, "reason": reason},
        )
