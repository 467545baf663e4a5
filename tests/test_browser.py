"""What a newcomer meets in Home Assistant's UI, in a real Chromium, in English and French:
the login page, "Add integration" to "Success", the options form and an action form.

The labels are looked up the way the page shows them: Plex Kiosk's from its translations,
Home Assistant's (buttons, dialogs) from the frontend package the demo serves. Screenshots
of every step are kept in the test's folder (``--basetemp`` to keep them somewhere).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import hass_frontend
import pytest
import pytest_socket
from playwright.sync_api import Browser, Locator, Page, sync_playwright

from tests.demo import environment, errors, get, start, stop, ws

pytestmark = pytest.mark.usefixtures("socket_enabled")
CHROMIUM = "/usr/bin/chromium"  # Debian's (apt-get install chromium): no browser download
TRANSLATIONS = Path(__file__).parent.parent / "custom_components/plex_kiosk/translations"
BROKEN = re.compile(r"Translation error|MALFORMED|Unknown error|Erreur inconnue|intl string")


@dataclass
class Demo:
    """A running ``scripts/demo``: where it answers and how to log in."""

    folder: Path
    port: int
    qbittorrent_port: int
    token: str
    password: str

    @property
    def url(self) -> str:
        """Home Assistant's address."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def family_password(self) -> str:
        """Camille's password: a household member who is not an administrator."""
        return (self.folder / "family_password").read_text().strip()

    @property
    def sandbox(self) -> dict[str, str]:
        """The sandbox's service addresses."""
        urls: dict[str, str] = json.loads((self.folder / "urls.json").read_text())
        return urls


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """One demo for the module: Home Assistant, the sandbox and qBittorrent (sockets are
    allowed here by hand: Home Assistant's test plugin blocks them before any test fixture)."""
    pytest_socket.enable_socket()
    folder = tmp_path_factory.mktemp("browser")
    env = environment(folder / "demo")
    process = start(env, folder / "demo.log")
    try:
        running = folder / "demo"
        yield Demo(
            running,
            int(env["PLEX_KIOSK_HA_PORT"]),
            int(env["PLEX_KIOSK_QBT_PORT"]),
            (running / "token").read_text().strip(),
            (running / "password").read_text().strip(),
        )
        assert errors((running / "home-assistant.log").read_text()) == []
    finally:
        stop(process)


@cache
def ours(language: str) -> dict[str, Any]:
    """Plex Kiosk's strings in ``language``."""
    strings: dict[str, Any] = json.loads((TRANSLATIONS / f"{language}.json").read_text())
    return strings


@cache
def frontend(language: str) -> dict[str, Any]:
    """Home Assistant frontend's strings in ``language`` (the main bundle and its panels')."""
    folder = Path(hass_frontend.__path__[0]) / "static" / "translations"
    strings: dict[str, Any] = {}
    for path in folder.glob(f"**/{language}-*.json"):
        if re.fullmatch(rf"{language}-[0-9a-f]+\.json", path.name):  # not en-GB's
            strings |= json.loads(path.read_text())
    return strings


def ha_text(language: str, key: str) -> str:
    """One of Home Assistant's own labels, e.g. the "Submit" button."""
    return str(frontend(language)[f"ui.{key}"])


def pattern(text: str) -> re.Pattern[str]:
    """A translated string as shown: its ``{placeholders}`` filled with anything."""
    return re.compile("^" + re.sub(r"\\\{\w+\\\}", ".*", re.escape(text)) + r"\*?$")


def clean(page: Page, where: Locator, shot: Path) -> None:
    """No broken text in what is shown (text search reaches into shadow roots); a screenshot
    of the page."""
    page.screenshot(path=shot)
    broken = where.get_by_text(BROKEN)
    assert broken.count() == 0, broken.all_inner_texts()


class FlowWalker:
    """Fills the steps of a config or options flow dialog by their translated labels."""

    def __init__(self, page: Page, language: str, shots: Path, kind: str) -> None:
        self.page, self.language, self.shots, self.kind = page, language, shots, kind
        self.dialog = page.locator("dialog-data-entry-flow")
        self.count = 0

    def step(self, step_id: str, values: dict[str, Any]) -> None:
        """Wait for ``step_id``, fill ``values`` (text, True for a switch, a 1-tuple for a
        choice by its label), check what is shown and submit."""
        strings = ours(self.language)[self.kind]["step"][step_id]
        self.dialog.get_by_text(pattern(strings["title"])).wait_for()
        for key, value in values.items():
            field = self.dialog.get_by_label(pattern(strings["data"][key]))
            if value is True:
                field.check()
            elif isinstance(value, tuple):
                field.click()
                self.page.get_by_role("option", name=value[0], exact=True).click()
            else:
                field.fill(str(value))
        self.count += 1
        clean(self.page, self.dialog, self.shots / f"{self.kind}-{self.count}-{step_id}.png")
        submit = ha_text(self.language, "panel.config.integrations.config_flow.submit")
        self.dialog.get_by_role("button", name=submit).click()

    def finish(self) -> None:
        """The success dialog, then closed."""
        success = ha_text(self.language, "panel.config.integrations.config_flow.success")
        self.dialog.get_by_text(re.compile(f"^{success}")).first.wait_for()
        clean(self.page, self.dialog, self.shots / f"{self.kind}-done.png")
        finish = ha_text(self.language, "panel.config.integrations.config_flow.finish")
        self.dialog.get_by_role("button", name=finish).click()


def in_chromium(walk: Callable[[Browser], None], shots: Path) -> None:
    """Run ``walk`` with Debian's Chromium, headless, in a thread of its own: Playwright's
    synchronous API runs an event loop that would collide with the test harness's. What the
    pages show when it fails is kept in ``shots``."""

    def run() -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
            )
            try:
                walk(browser)
            except Exception:
                for number, page in enumerate(browser.contexts[0].pages):
                    page.screenshot(path=shots / f"failed-{number}.png")
                raise
            finally:
                browser.close()

    with ThreadPoolExecutor(1) as thread:
        thread.submit(run).result()


def log_in(
    browser: Browser,
    demo: Demo,
    language: str,
    user: str = "demo",
    password: str | None = None,
    **options: Any,
) -> Page:
    """The login page, as the demo user or another one (a browser of the same ``language``;
    ``options``: Playwright's page options, e.g. a phone's viewport or a dark colour scheme)."""
    viewport = {"viewport": {"width": 1280, "height": 900}}
    page = browser.new_page(**(viewport | options), locale=language)
    page.goto(demo.url)
    page.locator("input[name=username]").fill(user)
    page.locator("input[name=password]").fill(password or demo.password)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/lovelace/**")
    return page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_newcomer_sets_plex_kiosk_up_in_the_browser(
    demo: Demo, language: str, tmp_path: Path
) -> None:
    """With the demo's entry removed, "Add integration" → Plex Kiosk → nine forms (two
    indexers) → "Success", every step titled, labelled and helped in the user's language with
    no broken text; the entry is then loaded. Its options open from "Configure" and save; the
    search action's form in Developer tools is labelled and answers for a series by title."""
    for entry in get(demo.port, demo.token, "/api/config/config_entries/entry?domain=plex_kiosk"):
        get(
            demo.port, demo.token, f"/api/config/config_entries/entry/{entry['entry_id']}", "DELETE"
        )
    ws(
        demo.port,
        demo.token,
        {
            "type": "frontend/set_user_data",
            "key": "language",
            "value": {"language": language, "number_format": "language", "time_format": "language"},
        },
    )

    def walk(browser: Browser) -> None:
        page = log_in(browser, demo, language)
        sandbox, media = demo.sandbox, demo.folder / "media"

        page.goto(f"{demo.url}/config/integrations/dashboard")
        add = ha_text(language, "panel.config.integrations.add_integration")
        page.get_by_role("button", name=add).click()
        picker = page.locator("dialog-add-integration")
        picker.get_by_role("textbox").fill("Plex Kiosk")
        picker.get_by_text("Plex Kiosk", exact=True).click()
        flow = FlowWalker(page, language, tmp_path, "config")
        flow.step("user", {"plex_url": sandbox["plex"], "plex_token": "sandbox-plex-token"})
        flow.step("libraries", {"anime_section": ("Animés",)})
        flow.step(
            "qbittorrent",
            {
                "qbittorrent_url": f"http://127.0.0.1:{demo.qbittorrent_port}",
                "qbittorrent_username": "admin",
                "qbittorrent_password": "plex-kiosk-sandbox",
            },
        )
        indexers = sandbox["torznab"]
        flow.step(
            "indexer",
            {
                "name": "YggReborn",
                "url": f"{indexers}/ygg/api",
                "api_key": "ygg-key",
                "add_another": True,
            },
        )
        flow.step(
            "indexer", {"name": "Nyaa FR", "url": f"{indexers}/nyaa/api", "api_key": "nyaa-key"}
        )
        flow.step(
            "metadata",
            {
                "tmdb_api_key": "sandbox-tmdb-key",
                "tvmaze_url": sandbox["tvmaze"],
                "tmdb_url": sandbox["tmdb"],
                "anilist_url": sandbox["anilist"],
            },
        )
        flow.step("ollama", {"ollama_url": sandbox["ollama"]})
        flow.step("ollama_model", {})
        flow.step(
            "paths",
            {
                "download_dir": media / "downloads",
                "movies_root": media / "movies",
                "series_root": media / "tv",
                "anime_root": media / "anime",
                "path_map": "\n".join(
                    f"/data/media/{n}={media / n}" for n in ("movies", "tv", "anime")
                ),
            },
        )
        flow.finish()
        (entry,) = get(demo.port, demo.token, "/api/config/config_entries/entry?domain=plex_kiosk")
        assert entry["state"] == "loaded"
        follow = {"tvmaze_id": 2890, "monitor": "all", "auto_download": False}
        get(demo.port, demo.token, "/api/services/plex_kiosk/follow", "POST", follow)

        page.goto(f"{demo.url}/config/integrations/integration/plex_kiosk")
        configure = ha_text(language, "panel.config.integrations.config_entry.configure")
        page.get_by_role("button", name=configure).first.click()
        options = FlowWalker(page, language, tmp_path, "options")
        menu = ours(language)["options"]["step"]["init"]["menu_options"]
        options.dialog.get_by_text(menu["preferences"]).click()
        options.dialog.get_by_text("{series}", exact=False).first.wait_for()  # the template help
        either = ours(language)["selector"]["dub"]["options"]["either"]
        assert options.dialog.get_by_text(either, exact=True).count() == 1  # a choice, in words
        options.step("preferences", {})
        options.finish()

        page.goto(f"{demo.url}/developer-tools/action?service=plex_kiosk.search")
        fields = ours(language)["services"]["search"]["fields"]
        tool = page.locator("developer-tools-action")
        for key, value in (("series", "The Bureau"), ("season", "6"), ("episode", "1")):
            row = tool.locator("ha-settings-row").filter(has_text=fields[key]["description"])
            row.get_by_role("checkbox").check()  # an optional field is ticked to be given
            row.locator("input:not([type=checkbox])").fill(value)
        perform = ha_text(language, "panel.developer-tools.tabs.actions.call_service")
        tool.get_by_role("button", name=perform).click()
        tool.get_by_text("Le.Bureau.des.Legendes.S06E01.MULTi.1080p").first.wait_for()
        clean(page, tool, tmp_path / "action-search.png")

    in_chromium(walk, tmp_path)
