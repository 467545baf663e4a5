"""The chat's own costs, outside the model and the outside services.

1. Command answers without the model (/aide, /cherche, /upgrade, /rapport, /suivre): p50
   and p95 over 200 runs each, in a demo-sized store and in one with a 10,000-item library
   and 200 follows (a year of weekly episodes). Anchor, in the same run: /aide, which
   reads nothing.
2. The overhead around a streamed model answer: time to the first ``delta`` the browser
   gets, minus the model's own time to its first chunk (a local NDJSON server that answers
   as Ollama does; both measured on the same server in the same run), median of 50.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from aiohttp import web

from benchmarks.ai_agent import library
from custom_components.plex_kiosk.ai.chat import Assistant
from custom_components.plex_kiosk.ai.llm import LLM, Settings
from custom_components.plex_kiosk.ai.tools import User
from custom_components.plex_kiosk.clients.ollama import OllamaClient
from custom_components.plex_kiosk.models import (
    EpisodeRelease,
    LibraryReport,
    Recommendation,
    SeriesFollow,
    StoreData,
    UpgradeCandidate,
)

NOW = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
ADMIN = User("admin", "Admin", admin=True)
FAMILY = User("family", "Léa", admin=False)
COMMANDS = ("/aide", "/cherche Show 12", "/upgrade Movie 10", "/rapport", "/suivre Show 3")
WORDS = ["Trois ", "épisodes ", "sortent ", "cette ", "semaine. "] * 8


def store(items: int, follows: int) -> StoreData:
    """A store with ``items`` library items, ``follows`` series of a year's weekly episodes
    (two in the coming week), an upgrade candidate for every tenth movie, and a report."""
    data = StoreData()
    data.profiles = {p.rating_key: p for p in library(items)}
    for n in range(follows):
        data.follows[f"f{n}"] = SeriesFollow(f"f{n}", f"Show {n}", created_at=NOW)
        for week in range(-50, 3):
            key = f"f{n}:{week}"
            data.episodes[key] = EpisodeRelease(
                key, f"f{n}", 1, week + 51, air_time=NOW + timedelta(days=7 * week + n % 7)
            )
    for key, profile in list(data.profiles.items())[::10]:
        data.candidates[key] = UpgradeCandidate(
            id=key, rule_id="res_2160p", rating_keys=[key], title=profile.title,
            release_name=f"{profile.title}.2160p.MULTi", infohash=key, indexer="ygg",
            link=None, magnet=None, size=1, seeders=9, current_score=40, new_score=80,
            found_at=NOW,
        )  # fmt: skip
    advice = [
        Recommendation(f"r{n}", n, "fix", "1", f"Film {n}", "À revoir", "warning") for n in range(5)
    ]
    data.reports.append(
        LibraryReport("r1", "full", NOW, 82, None, items, {}, {}, [], [], advice, "Bonne santé.")
    )
    return data


async def nothing(*_: Any) -> Any:
    """Outside services answer at once, with nothing: only the chat's own work is timed."""
    return []


async def actions(action: str, data: dict[str, Any], user_id: str) -> Any:
    """The actions answer at once (an episode search that found nothing)."""
    return {"episode": data.get("series"), "releases": [], "why_empty": "rien"}


def percentiles(timings: list[float]) -> tuple[float, float]:
    """p50 and p95, in milliseconds."""
    cuts = statistics.quantiles(timings, n=20)
    return statistics.median(timings) * 1000, cuts[18] * 1000


async def commands(data: StoreData) -> dict[str, tuple[float, float]]:
    """Each command's p50 and p95 over 200 runs (a family member: no search is sent)."""
    assistant = Assistant(data, None, actions, nothing, lambda: NOW)
    figures = {}
    for command in COMMANDS:
        timings = []
        for _ in range(200):
            start = time.perf_counter()
            await assistant.send(FAMILY, command)
            timings.append(time.perf_counter() - start)
        figures[command.split()[0]] = percentiles(timings)
        data.conversations.clear()
        data.proposals.clear()
    return figures


async def ollama(request: web.Request) -> web.StreamResponse:
    """An Ollama-like streamed answer, word by word."""
    await request.read()
    response = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
    await response.prepare(request)
    for word in WORDS:
        chunk = {"message": {"role": "assistant", "content": word}, "done": False}
        await response.write(json.dumps(chunk).encode() + b"\n")
    await response.write(b'{"message":{"role":"assistant","content":""},"done":true}\n')
    return response


async def first_chunk(session: aiohttp.ClientSession, url: str) -> float:
    """The model's own time to its first chunk, read directly."""
    start = time.perf_counter()
    async with session.post(f"{url}/api/chat", json={"model": "m", "stream": True}) as resp:
        await resp.content.readline()
        took = time.perf_counter() - start
        await resp.read()
    return took


async def first_delta(assistant: Assistant) -> float:
    """The time to the first ``delta`` a chat subscriber gets for a free-text message."""
    start = time.perf_counter()
    first: list[float] = []

    def emit(event: dict[str, Any]) -> None:
        if event["type"] == "delta" and not first:
            first.append(time.perf_counter() - start)

    await assistant.send(ADMIN, "Qu'est-ce qui sort cette semaine ?", emit=emit)
    return first[0]


async def streaming(data: StoreData) -> tuple[float, float]:
    """Median milliseconds to the first chunk (the model's) and to the first delta."""
    app = web.Application()
    app.router.add_post("/api/chat", ollama)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        client = OllamaClient(url, "m", session=session)
        llm = LLM(client, data, Settings(daily_calls=10**9), lambda: NOW)
        assistant = Assistant(data, llm, actions, nothing, lambda: NOW)
        model, chat = [], []
        for _ in range(50):
            model.append(await first_chunk(session, url))
            chat.append(await first_delta(assistant))
            data.conversations.clear()
        await client.close()
    await runner.cleanup()
    return statistics.median(model) * 1000, statistics.median(chat) * 1000


def main() -> None:
    """Print every figure beside its anchor."""
    for name, data in (
        ("demo-sized (20 items, 3 follows)", store(20, 3)),
        ("10,000 items, 200 follows", store(10_000, 200)),
    ):
        figures = asyncio.run(commands(data))
        print(f"Chat commands without the model — {name} (200 runs each, ms)")
        for command, (p50, p95) in figures.items():
            if command != "/aide":
                print(f"  {command:10} p50 {p50:7.3f}   p95 {p95:7.3f}")
        p50, p95 = figures["/aide"]
        print(f"  anchor: /aide (reads nothing) p50 {p50:7.3f}   p95 {p95:7.3f}")
        model, chat = asyncio.run(streaming(data))
        print(f"Streamed answer — {name} (median of 50, ms)")
        print(f"  first delta {chat:7.2f}   overhead {chat - model:7.2f}")
        print(f"  anchor: the model's own first chunk {model:7.2f}")


if __name__ == "__main__":
    main()
