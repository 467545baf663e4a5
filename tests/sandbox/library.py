"""Generated Plex libraries with releases, for the detection test and the scan benchmark.

Every item gets an audio class, a resolution and a codec; some VOSTFR items get a release
that qualifies as a MULTI upgrade (the ground truth), others only decoys that must not be
proposed (too few seeders, a CAM, VOSTFR again, another year's movie, a lower resolution).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

ADJECTIVES = "Silent Broken Golden Hidden Crimson Northern Lost Hollow Iron Velvet Wild Distant Frozen Burning Quiet Savage Bright Secret Final Endless".split()
NOUNS = "Harbor Empire Garden Signal Frontier Orchard Kingdom Tides Archive Circuit Valley Station Meridian Covenant Lantern Citadel Horizon Ledger Compass Delta".split()
TOKEN = "sandbox-plex-token"
AUDIO = {
    "MULTI": (["fra", "eng"], []),
    "VF": (["fra"], []),
    "VOSTFR": (["eng"], ["fra"]),
    "VO": (["eng"], []),
}
SIZES = {"720p": (1280, 720), "1080p": (1920, 1080), "2160p": (3840, 2160)}
TAGS = {"720p": "720p", "1080p": "1080p", "2160p": "2160p"}
DECOYS = ("few_seeders", "cam", "vostfr", "wrong_year", "lower_resolution")


@dataclass
class Library:
    """A world (for ``PLEX_KIOSK_WORLD``) and which rating keys a MULTI upgrade exists for."""

    world: dict[str, Any]
    upgradable: set[str] = field(default_factory=set)


def _item_media(
    rng: random.Random, key: int, path: str, audio: str, resolution: str
) -> dict[str, Any]:
    languages, subtitles = AUDIO[audio]
    codec = rng.choice(("h264", "hevc"))
    width, height = SIZES[resolution]
    streams = [
        {
            "id": key * 10,
            "streamType": 1,
            "codec": codec,
            "bitDepth": 8,
            "width": width,
            "height": height,
        }
    ]
    streams += [
        {"id": key * 10 + 1 + i, "streamType": 2, "codec": "eac3", "languageCode": lang}
        for i, lang in enumerate(languages)
    ]
    streams += [
        {"id": key * 10 + 5 + i, "streamType": 3, "codec": "srt", "languageCode": lang}
        for i, lang in enumerate(subtitles)
    ]
    return {
        "id": key, "bitrate": 4000, "width": width, "height": height, "audioCodec": "eac3",
        "videoCodec": codec, "container": "mkv",
        "parts": [{"id": key, "size": 4_000_000_000, "container": "mkv", "file": path, "streams": streams}],
    }  # fmt: skip


def _release(name: str, seeders: int, **owner: Any) -> dict[str, Any]:
    return {
        "name": name,
        "indexers": ["ygg"],
        "size": 4_000_000_000,
        "seeders": seeders,
        "published": "-2d",
        **owner,
    }


def _offers(
    rng: random.Random, base: str, audio: str, resolution: str, year: int | None
) -> tuple[list[tuple[str, int]], bool]:
    """Releases for one item as (name, seeders), and whether one qualifies."""
    if audio != "VOSTFR" or rng.random() < 0.3:
        return [], False
    resolution_tag = TAGS[resolution]
    if rng.random() < 0.6:
        return [(f"{base}.MULTi.{resolution_tag}.WEB.H264-GRP", rng.randint(10, 400))], True
    decoy = rng.choice(DECOYS)
    if decoy == "wrong_year" and year is None:
        decoy = "few_seeders"
    name = {
        "few_seeders": f"{base}.MULTi.{resolution_tag}.WEB.H264-GRP",
        "cam": f"{base}.MULTi.HDCAM.x264-CAMERA",
        "vostfr": f"{base}.VOSTFR.{resolution_tag}.WEB.H264-GRP",
        "wrong_year": f"{base.rsplit('.', 1)[0]}.{(year or 2000) - 7}.MULTi.{resolution_tag}.WEB.H264-GRP",
        "lower_resolution": f"{base}.MULTi.{'720p' if resolution != '720p' else '480p'}.WEB.H264-GRP",
    }[decoy]
    return [(name, 4 if decoy == "few_seeders" else 60)], False


def generate(
    movies: int, shows: int, seasons: int, episodes: int, seed: int = 7, releases: bool = True
) -> Library:
    """``movies`` movies, and ``shows`` shows of ``seasons`` seasons of ``episodes`` episodes, in sections 1 and 2."""
    rng = random.Random(seed)
    names = [f"{a} {n}" for a in ADJECTIVES for n in NOUNS]
    library = Library({
        "plex": {"token": TOKEN, "server": {"name": "Bench", "machine_id": "bench"},
                 "sections": [{"key": 1, "title": "Films", "type": "movie", "locations": ["/data/media/movies"]},
                              {"key": 2, "title": "Séries", "type": "show", "locations": ["/data/media/tv"]},
                              {"key": 3, "title": "Animés", "type": "show", "locations": ["/data/media/anime"]}],
                 "items": []},
        "indexers": [{"slug": "ygg", "name": "YggReborn", "api_key": "ygg-key"}],
        "movies": [], "shows": [], "releases": [],
    })  # fmt: skip
    world, key = library.world, 1000
    for index in range(movies):
        key += 1
        title, year = names[index % len(names)], 1990 + index // len(names)
        audio = rng.choices(list(AUDIO), weights=(40, 15, 30, 15))[0]
        resolution = rng.choice(list(SIZES))
        movie_id = f"m{index}"
        ids = {"tmdb": 500000 + index, "imdb": f"tt{7000000 + index}"}
        world["movies"].append(
            {"key": movie_id, "ids": ids, "titles": {"en": title, "fr": title}, "year": year}
        )
        path = f"/data/media/movies/{title} ({year})/{title} ({year}).mkv"
        world["plex"]["items"].append({
            "ratingKey": key, "section": 1, "type": "movie", "title": title, "year": year,
            "updatedAt": 1700000000, "guids": [f"imdb://{ids['imdb']}", f"tmdb://{ids['tmdb']}"],
            "media": [_item_media(rng, key, path, audio, resolution)],
        })  # fmt: skip
        offers, qualifies = _offers(
            rng, f"{title.replace(' ', '.')}.{year}", audio, resolution, year
        )
        if releases:
            world["releases"] += [_release(n, s, movie=movie_id, category=2040) for n, s in offers]
        if qualifies:
            library.upgradable.add(str(key))
    for index in range(shows):
        key += 1
        show_key, title = key, names[-1 - index]
        show_id, tvdb = f"s{index}", 800000 + index
        world["shows"].append(
            {"key": show_id, "ids": {"tvdb": tvdb}, "titles": {"en": title}, "episodes": []}
        )
        world["plex"]["items"].append({
            "ratingKey": show_key, "section": 2, "type": "show", "title": title, "year": 2015,
            "updatedAt": 1700000000, "guids": [f"tvdb://{tvdb}"],
        })  # fmt: skip
        for season in range(1, seasons + 1):
            audio = rng.choices(list(AUDIO), weights=(40, 15, 30, 15))[0]
            resolution = rng.choice(list(SIZES))
            season_keys = []
            for episode in range(1, episodes + 1):
                key += 1
                season_keys.append(str(key))
                path = f"/data/media/tv/{title}/Season {season:02d}/{title} - S{season:02d}E{episode:02d}.mkv"
                world["plex"]["items"].append({
                    "ratingKey": key, "section": 2, "type": "episode", "title": f"Episode {episode}",
                    "grandparentTitle": title, "grandparentRatingKey": show_key, "parentIndex": season,
                    "index": episode, "updatedAt": 1700000000,
                    "media": [_item_media(rng, key, path, audio, resolution)],
                })  # fmt: skip
            base = f"{title.replace(' ', '.')}.S{season:02d}"
            offers, qualifies = _offers(rng, base, audio, resolution, None)
            if releases:
                world["releases"] += [
                    _release(n, s, show=show_id, season=season, category=5040) for n, s in offers
                ]
            if qualifies:
                library.upgradable.update(season_keys)
    return library
