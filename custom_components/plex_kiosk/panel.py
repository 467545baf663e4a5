"""The sidebar panel and the dashboard cards: one bundle, served once per Home Assistant."""

from __future__ import annotations

import hashlib
from pathlib import Path

from homeassistant.components import frontend, panel_custom
from homeassistant.components.http import StaticPathConfig
from homeassistant.core import HomeAssistant

from .const import DOMAIN

PANEL_URL = "plex-kiosk"
STATIC_URL = f"/{DOMAIN}_static"
BUNDLE = Path(__file__).parent / "frontend" / "plex-kiosk.js"
ELEMENT = "plex-kiosk-panel"
_REGISTERED = f"{DOMAIN}_panel"


def module_url() -> str:
    """The bundle's address, versioned by its content so that browsers never keep an old one."""
    version = hashlib.sha256(BUNDLE.read_bytes()).hexdigest()[:12]
    return f"{STATIC_URL}/{BUNDLE.name}?v={version}"


async def async_register_panel(hass: HomeAssistant) -> None:
    """Serve the bundle, add the panel to the sidebar and the cards to dashboards (once)."""
    if hass.data.get(_REGISTERED):
        return
    hass.data[_REGISTERED] = True
    url = await hass.async_add_executor_job(module_url)
    if not hass.data.get(f"{_REGISTERED}_static"):  # static paths cannot be removed
        hass.data[f"{_REGISTERED}_static"] = True
        await hass.http.async_register_static_paths(
            [StaticPathConfig(STATIC_URL, str(BUNDLE.parent), cache_headers=False)]
        )
    hass.data[f"{_REGISTERED}_url"] = url
    frontend.add_extra_js_url(hass, url)
    await panel_custom.async_register_panel(
        hass,
        frontend_url_path=PANEL_URL,
        webcomponent_name=ELEMENT,
        sidebar_title="Plex Kiosk",
        sidebar_icon="mdi:plex",
        module_url=url,
        require_admin=False,
        config={},
    )


def async_unregister_panel(hass: HomeAssistant) -> None:
    """Remove the panel (the last entry unloaded)."""
    if hass.data.pop(_REGISTERED, False):
        frontend.async_remove_panel(hass, PANEL_URL)
        frontend.remove_extra_js_url(hass, hass.data.pop(f"{_REGISTERED}_url"))
