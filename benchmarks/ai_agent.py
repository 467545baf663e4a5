"""The AI agent's own costs, outside the model.

1. The deterministic library analysis of 10,000 items (profiles → findings, score,
   recommendations): time and peak memory. Anchor, in the same run: encoding the same
   profiles for one save of the store, which every library scan already pays.
2. The report prompt's size for 1,000 and 10,000 items (about four characters a token): it
   must not grow with the library.
3. Re-ranking overhead outside the model: prompt, validation and reorder around an answer
   given at once, against the engine's ranking alone (the anchor) on the same 8 survivors.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
import tracemalloc
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from custom_components.plex_kiosk.acquire.search import ReleaseSearch
from custom_components.plex_kiosk.ai.llm import LLM, Settings
from custom_components.plex_kiosk.ai.report import item_of, prompt, recommendations
from custom_components.plex_kiosk.ai.rerank import ModelReranker
from custom_components.plex_kiosk.clients.ollama import ChatAnswer
from custom_components.plex_kiosk.engine.health import Household, assess
from custom_components.plex_kiosk.engine.quality import Preferences
from custom_components.plex_kiosk.engine.selection import Candidate, Wanted
from custom_components.plex_kiosk.models import MediaQualityProfile, StoreData, encode_profiles

NOW = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
RESOLUTIONS = ("576p", "720p", "1080p", "1080p", "2160p")
CODECS = ("h264", "hevc", "hevc", "mpeg4", "vc1")
AUDIO = ("MULTI", "MULTI", "VF", "VOSTFR", "VO")


def library(count: int, seed: int = 3) -> list[MediaQualityProfile]:
    """A generated library: two movies for every three episodes, of every quality."""
    rng = random.Random(seed)
    profiles = []
    for n in range(count):
        episode = n % 5 >= 2
        profiles.append(
            MediaQualityProfile(
                rating_key=str(n),
                title=f"Show {n // 40}" if episode else f"Movie {n}",
                media_type="episode" if episode else "movie",
                file=f"/data/media/{n}.mkv",
                year=1980 + n % 45,
                resolution=rng.choice(RESOLUTIONS),
                video_codec=rng.choice(CODECS),
                bitrate=rng.randint(500, 20000),
                audio_class=rng.choice(AUDIO),
                subtitles=rng.choice([[], ["fra"]]),
                size=rng.choice([0] + [4_000_000_000] * 200),
                season=(n // 10) % 4 + 1 if episode else None,
                episode=n % 10 + 1 if episode and rng.random() > 0.05 else None,
                show_key=f"show{n // 40}" if episode else None,
            )
        )
    return profiles


def analyse(profiles: Sequence[MediaQualityProfile]) -> Any:
    """The analysis as ``Analyst.analyse`` runs it, without the disk and the model."""
    items = [item_of(p, reachable=p.rating_key != "7") for p in profiles]
    health = assess(items, Household())
    return health, recommendations(health, {}, [], "fr")


def best_of(func: Any, runs: int = 5) -> float:
    """The fastest of ``runs`` timings, in seconds."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        timings.append(time.perf_counter() - start)
    return min(timings)


class Instant:
    """A model that answers at once with the engine's order (what is left is our cost)."""

    model = "instant"

    async def chat(self, messages: Any, schema: Any, **_: Any) -> ChatAnswer:
        ids = schema["properties"]["best"]["enum"]
        answer = {
            "rankings": [{"id": i, "score": 80, "reason": "ok"} for i in ids],
            "best": ids[0],
            "confidence": 0.9,
            "reason": "Le meilleur équilibre.",
        }
        return ChatAnswer(str(answer).replace("'", '"'), 100, 40)


async def rerank_overhead() -> tuple[float, float]:
    """Median microseconds of one choice among 8 survivors: engine alone, and with the
    re-ranker around an instant model."""
    wanted = Wanted(titles=("Slow Horses",), season=5, episode=2, air_time=NOW - timedelta(hours=3))
    names = [
        f"Slow.Horses.S05E02.{audio}.{res}.WEB.{codec}-G{i}"
        for i, (audio, res, codec) in enumerate(
            (a, r, c)
            for a in ("MULTi", "VFF")
            for r in ("1080p", "2160p")
            for c in ("x264", "x265")
        )
    ]
    candidates = [
        Candidate(
            n, 50 + i, 3_000_000_000, infohash=f"{i:040x}", published=NOW - timedelta(hours=1)
        )
        for i, n in enumerate(names)
    ]
    engine = ReleaseSearch([], StoreData(), {})
    model = ReleaseSearch([], StoreData(), {})
    llm = LLM(Instant(), StoreData(), Settings(daily_calls=10**9), lambda: NOW)  # type: ignore[arg-type]
    model.reranker = ModelReranker(llm)
    timings: dict[str, list[float]] = {"engine": [], "model": []}
    for _ in range(300):
        for key, releases in (("engine", engine), ("model", model)):
            start = time.perf_counter()
            decision = await releases.choose(candidates, wanted, Preferences())
            timings[key].append(time.perf_counter() - start)
            assert len(decision.survivors) == 8, decision.ranked[0].rejected
    return (
        statistics.median(timings["engine"]) * 1e6,
        statistics.median(timings["model"]) * 1e6,
    )


def main() -> None:
    """Print every figure beside its anchor."""
    profiles = library(10_000)
    seconds = best_of(lambda: analyse(profiles))
    anchor = best_of(lambda: encode_profiles({p.rating_key: p for p in profiles}))
    tracemalloc.start()
    health, pool = analyse(profiles)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    counts = health.counts()
    print("AI agent — library analysis, 10,000 items (best of 5)")
    print(f"  analysis          {seconds * 1000:8.1f} ms   peak {peak / 1e6:.1f} MB")
    print(f"  anchor: one store save of the same profiles {anchor * 1000:8.1f} ms")
    print(f"  score {health.score}, findings {counts}, {len(pool)} recommendations in the pool")
    print("Report prompt size (about 4 characters a token)")
    for count in (1_000, 10_000):
        small_health, small_pool = analyse(library(count))
        messages, schema = prompt(small_health, small_pool, "fr")
        size = sum(len(m["content"]) for m in messages) + len(str(schema))
        print(f"  {count:>6} items   {size:>6} characters   ~{size // 4:>5} tokens")
    engine, model = asyncio.run(rerank_overhead())
    print("Re-ranking 8 survivors outside the model (median of 300)")
    print(f"  with the re-ranker {model:8.0f} µs   overhead {model - engine:6.0f} µs")
    print(f"  anchor: engine alone {engine:6.0f} µs")


if __name__ == "__main__":
    main()
