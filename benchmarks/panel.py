"""The panel's costs.

1. Its websocket data commands, as the server answers them (the view built, then turned into
   the JSON frame Home Assistant sends): p50 and p95 over 200 runs each, with a 10,000-item
   library, 200 follows (a year of weekly episodes), 1,000 upgrade candidates, 200 requests
   and 50 downloads. Goal: p95 < 50 ms. Anchors, in the same run: ``plex_kiosk/upcoming``
   (the week ahead, unchanged since the first release) and the follows list as it was built
   before this panel (each follow's next episode looked up in all the episodes).
2. In the demo (``--browser``): the time from opening ``/plex-kiosk/calendar`` to the week's
   episodes on screen, median of 7 loads in Debian's Chromium. Anchor: Home Assistant's own
   calendar panel showing the same episode, same browser, same run.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from homeassistant.components.websocket_api.messages import (
    message_to_json_bytes,
    result_message,
)

from benchmarks.chat import NOW, percentiles, store
from custom_components.plex_kiosk.follow.views import coming_week, describe_all, next_episode
from custom_components.plex_kiosk.models import (
    Download,
    EpisodeStatus,
    MediaRequest,
    StoreData,
    encode,
)
from custom_components.plex_kiosk.websocket_api import upgrades_view
from custom_components.plex_kiosk.websocket_panel import calendar_view, downloads_of, library_view

RUNS = 200


def busy(data: StoreData) -> tuple[dict[str, dict[str, Any]], list[Download]]:
    """200 requests, 50 downloads (20 running, 10 failed) and qBittorrent's view of them."""
    for n in range(200):
        data.requests[f"q{n}"] = MediaRequest(f"q{n}", "movie", f"Movie {n}", created_at=NOW)
    torrents = {}
    for n in range(50):
        state = "downloading" if n < 20 else "failed" if n < 30 else "imported"
        data.downloads[f"{n:040x}"] = Download(
            f"{n:040x}", f"Release.{n}", "episode", "x", state=state
        )
        torrents[f"{n:040x}"] = {"dlspeed": 1_000_000, "eta": 600, "size": 2_000_000_000}
    for episode in list(data.episodes.values())[::40]:
        episode.status = EpisodeStatus.FAILED
    return torrents, [d for d in data.downloads.values() if d.state == "downloading"]


def timed(build: Callable[[], Any]) -> tuple[float, float]:
    """p50 and p95 (ms) of building a view and framing it as Home Assistant does."""
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        message_to_json_bytes(result_message(1, build()))
        timings.append(time.perf_counter() - start)
    return percentiles(timings)


def commands() -> None:
    """Each command's figures beside the anchors."""
    data = store(10_000, 200)
    torrents, running = busy(data)
    month = (NOW - timedelta(days=3), NOW + timedelta(days=39))
    builds: dict[str, Callable[[], Any]] = {
        "calendar (6 weeks)": lambda: calendar_view(data, *month),
        "follows": lambda: {"follows": describe_all(data)},
        "downloads": lambda: downloads_of(data, torrents, running),
        "library": lambda: library_view(data, {}),
        "library, filtered": lambda: library_view(data, {"audio_class": "VOSTFR"}),
        "upgrades": lambda: upgrades_view(data, "fr"),
        "requests": lambda: {"requests": [r.public() for r in data.requests.values()]},
    }
    print("Panel websocket commands — 10,000 items, 200 follows (200 runs each, ms; goal p95 < 50)")
    for name, build in builds.items():
        p50, p95 = timed(build)
        print(f"  {name:20} p50 {p50:7.3f}   p95 {p95:7.3f}")

    def week() -> Any:
        return {"episodes": [encode(e) for e in coming_week(data, NOW)]}

    def before() -> Any:
        return [{**encode(f), "next": next_episode(data, f.id)} for f in data.follows.values()]

    p50, p95 = timed(week)
    print(f"  anchor: upcoming (the week ahead) p50 {p50:7.3f}   p95 {p95:7.3f}")
    p50, p95 = timed(before)
    print(f"  anchor: follows built before (a lookup per follow) p50 {p50:7.3f}   p95 {p95:7.3f}")


def browser() -> None:
    """Median time to the calendar in the demo, beside Home Assistant's own calendar panel."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415  (only with --browser)

    from tests.demo import environment, start, stop  # noqa: PLC0415
    from tests.test_browser import CHROMIUM  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as folder:
        env = environment(Path(folder) / "demo")
        process = start(env, Path(folder) / "demo.log")
        try:
            url = f"http://127.0.0.1:{env['PLEX_KIOSK_HA_PORT']}"
            password = (Path(folder) / "demo" / "password").read_text().strip()
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox"]
                )
                page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="fr")
                page.goto(url)
                page.locator("input[name=username]").fill("demo")
                page.locator("input[name=password]").fill(password)
                page.locator("input[name=password]").press("Enter")
                page.wait_for_url("**/lovelace/**")

                def load(path: str, shown: str) -> float:
                    start = time.perf_counter()
                    page.goto(f"{url}{path}")
                    page.locator(shown).filter(has_text="Slow Horses").first.wait_for()
                    return time.perf_counter() - start

                ours = [
                    load("/plex-kiosk/calendar", "plex-kiosk-calendar .episode") for _ in range(7)
                ]
                theirs = [load("/calendar", "text=Slow Horses") for _ in range(7)]
                chromium.close()
        finally:
            stop(process)
    print("Panel in the demo — time to the week's episodes (median of 7 loads, ms)")
    print(f"  /plex-kiosk/calendar {statistics.median(ours) * 1000:7.0f}")
    print(f"  anchor: Home Assistant's calendar panel {statistics.median(theirs) * 1000:7.0f}")


if __name__ == "__main__":
    commands()
    if "--browser" in sys.argv:
        browser()
