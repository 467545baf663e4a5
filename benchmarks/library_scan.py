"""Scan of a 10,000-item Plex library: time, requests sent to Plex, peak memory.

The sandbox Plex runs in its own process (a generated world: 4,000 movies and 150 shows of
4 seasons of 10 episodes) so that this process measures only Plex Kiosk's scanner, through
plexapi, as in production. Anchor, measured in the same run: fetching each item's streams
with its own request (what a naive scanner does), timed on a sample and extrapolated.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from functools import partial
from pathlib import Path
from typing import Any

from homeassistant.util import dt as dt_util

from custom_components.plex_kiosk.acquire.search import ReleaseSearch
from custom_components.plex_kiosk.clients.plex import PlexClient
from custom_components.plex_kiosk.models import StoreData, encode, encode_profiles
from custom_components.plex_kiosk.upgrade.finder import UpgradeFinder
from custom_components.plex_kiosk.upgrade.library import (
    BATCH_SIZE,
    PAGE_SIZE,
    LibraryInventory,
    Section,
)
from custom_components.plex_kiosk.upgrade.rules import default_rules
from tests.sandbox.library import TOKEN, generate

ROOT = Path(__file__).resolve().parent.parent
MOVIES, SHOWS, SEASONS, EPISODES = 4000, 150, 4, 10
SAMPLE = 300  # items fetched one by one for the anchor
BUDGET = 40  # the options' default upgrade searches per run


def start_sandbox(folder: Path) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    """The sandbox on a generated world, in another process."""
    world = folder / "world.json"
    world.write_text(json.dumps(generate(MOVIES, SHOWS, SEASONS, EPISODES).world), encoding="utf-8")
    urls_file = folder / "urls.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.sandbox", "--urls-file", str(urls_file)],
        cwd=ROOT,
        env={**os.environ, "PLEX_KIOSK_WORLD": str(world), "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
    )
    while not urls_file.exists():
        if proc.poll() is not None:
            raise RuntimeError("the sandbox did not start")
        time.sleep(0.05)
    return proc, json.loads(urls_file.read_text())


def plex_requests(urls: dict[str, str]) -> int:
    """How many requests the sandbox Plex has answered."""
    with urllib.request.urlopen(f"{urls['control']}/_sandbox/stats", timeout=10) as response:
        return int(json.loads(response.read())["requests"].get("plex", 0))


def executor() -> Any:
    """``hass.async_add_executor_job`` without Home Assistant."""
    loop = asyncio.get_running_loop()
    return lambda func, *args: loop.run_in_executor(None, partial(func, *args))


async def scan(urls: dict[str, str], data: StoreData, *, full: bool) -> tuple[Any, float, int]:
    """One scan: its result, seconds, and requests Plex saw."""
    plex = PlexClient(executor(), urls["plex"], TOKEN)
    scanner = LibraryInventory(
        plex, data, [Section("1", "movie"), Section("2", "series")], Path, executor()
    )
    before = plex_requests(urls)
    start = time.perf_counter()
    result = await scanner.scan(dt_util.utcnow(), full=full)
    seconds = time.perf_counter() - start
    await plex.close()
    return result, seconds, plex_requests(urls) - before


async def one_by_one(urls: dict[str, str], keys: list[str]) -> float:
    """Seconds to fetch ``keys`` with one metadata request each (the anchor)."""
    plex = PlexClient(executor(), urls["plex"], TOKEN)
    start = time.perf_counter()
    for key in keys:
        await plex.metadata([key])
    seconds = time.perf_counter() - start
    await plex.close()
    return seconds


async def no_space() -> int:
    """Free space does not matter for counting the searches wanted."""
    return 0


async def main() -> None:
    """Full scan, incremental rescan, peak memory, the anchor, and the upgrade backlog."""
    with tempfile.TemporaryDirectory() as folder:
        proc, urls = start_sandbox(Path(folder))
        try:
            data = StoreData()
            full, seconds, seen = await scan(urls, data, full=True)
            again, again_seconds, again_seen = await scan(urls, data, full=False)
            tracemalloc.start()
            await scan(urls, StoreData(), full=True)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            sample = [p.rating_key for p in list(data.profiles.values())[:SAMPLE]]
            anchor = await one_by_one(urls, sample) / SAMPLE * full.items
        finally:
            proc.terminate()
            proc.wait()
    items = full.items
    episodes = items - MOVIES
    expected = sum(
        math.ceil(count / size)
        for count, size in (
            (MOVIES, PAGE_SIZE), (MOVIES, BATCH_SIZE), (SHOWS, PAGE_SIZE),
            (episodes, PAGE_SIZE), (episodes, BATCH_SIZE),
        )
    )  # fmt: skip
    start = time.perf_counter()
    rows = encode_profiles(data.profiles)
    encode_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    encode(data.profiles)
    generic_ms = (time.perf_counter() - start) * 1000
    stored = len(json.dumps(rows))
    data.rules.update(default_rules(20))
    targets = UpgradeFinder(data, ReleaseSearch([], data, {}), no_space, 10).targets()
    audio = sum(1 for t in targets if t.priority == 0)
    print(f"Library scan of {items:,} items (sandbox Plex in another process, plexapi)")
    print(
        f"  full scan:        {seconds:6.1f} s, {seen} requests to Plex ({full.plex_requests} counted by the scanner;"
        f" pages of {PAGE_SIZE} + metadata batches of {BATCH_SIZE}: expected ≈ {expected})"
    )
    print(
        f"  incremental scan: {again_seconds:6.1f} s, {again_seen} requests, {again.fetched} items fetched again"
    )
    print(
        f"  peak Python memory during a full scan: {peak / 1e6:.1f} MB (tracemalloc);"
        f" process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB"
    )
    print(
        f"  library file: {stored / 1e6:.1f} MB of JSON ({stored / items:.0f} bytes/item), encoded in"
        f" the event loop in {encode_ms:.0f} ms (anchor: the generic codec, {generic_ms:.0f} ms)"
    )
    print(
        f"  anchor, one metadata request per item: {items + expected - math.ceil(items / BATCH_SIZE):,} requests,"
        f" ≈ {anchor:.0f} s (measured on {SAMPLE} items) → batched is {anchor / seconds:.1f}× faster"
    )
    print(f"  upgrade backlog: {len(targets)} searches wanted by the default rules, the {audio} for"
          f" VOSTFR → MULTI first; at {BUDGET} indexer requests per daily run and one indexer:"
          f" VOSTFR → MULTI covered in {math.ceil(audio / BUDGET)} days, everything in"
          f" {math.ceil(len(targets) / BUDGET)}")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
