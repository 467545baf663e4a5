"""The public release-name corpus shipped inside the guessit package, and field scoring.

Names and expectations come from ``guessit/test/{episodes,movies,various}.yml`` (guessit's
own tests) and ``guessit/test/cross_parser/*.json`` (expectations of other parsers). Both
parsers are scored on the same (name, field) pairs, for the fields our engine has: title,
year, season, episode, resolution, video codec and source. A pair counts only when the
expected value exists in our vocabulary (a 1440p or DivX expectation is left out, for
both parsers alike).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import guessit
import yaml

GUESSIT_TESTS = Path(guessit.__file__).parent / "test"
FIELDS = ("title", "year", "season", "episode", "resolution", "video_codec", "source")

RESOLUTIONS = {
    "2160p": "2160p", "4K": "2160p", "1080p": "1080p", "1080i": "1080p", "720p": "720p",
    "576p": "576p", "576i": "576p", "480p": "480p", "480i": "480p",
}  # fmt: skip
CODECS = {
    "H.264": "h264",
    "H.265": "h265",
    "Xvid": "xvid",
    "MPEG-2": "mpeg2",
    "VP9": "vp9",
    "AV1": "av1",
}
SOURCES = {
    "Blu-ray": "bluray", "Ultra HD Blu-ray": "bluray", "Web": "web", "HDTV": "hdtv",
    "Ultra HDTV": "hdtv", "Analog HDTV": "hdtv", "Digital TV": "hdtv", "TV": "hdtv",
    "Satellite": "hdtv", "DVD": "dvd", "Camera": "cam", "HD Camera": "cam",
    "Telesync": "telesync", "HD Telesync": "telesync", "Telecine": "telecine",
    "HD Telecine": "telecine", "Screener": "screener",
}  # fmt: skip
# Our finer source classes, folded to what guessit's vocabulary can express.
OUR_SOURCES = {"remux": "bluray", "web-dl": "web", "webrip": "web"}
_NON_WORD = re.compile(r"\W+")


@dataclass(frozen=True, slots=True)
class Case:
    """One name and what it should give, in our vocabulary."""

    origin: str
    name: str
    expected: dict[str, Any]


def norm_title(value: Any) -> str:
    """Case- and punctuation-insensitive title (guessit's own cross-parser rule)."""
    return " ".join(_NON_WORD.sub(" ", str(value).casefold()).split())


def as_set(value: Any) -> frozenset[Any]:
    """Season/episode values compared as sets (a scalar equals its one-element list)."""
    if value is None:
        return frozenset()
    return (
        frozenset(value)
        if isinstance(value, list | tuple | set | frozenset)
        else frozenset({value})
    )


def _normalise(raw: dict[str, Any]) -> dict[str, Any]:
    """Guessit-vocabulary expectations (or output) → ours; unknown values dropped."""
    out: dict[str, Any] = {}
    if raw.get("title") is not None:
        out["title"] = norm_title(raw["title"])
    year = raw.get("year")
    if year is None and raw.get("date") is not None:
        year = getattr(raw["date"], "year", None)
    if isinstance(year, list):
        year = year[0]
    if year is not None:
        out["year"] = int(year)
    for key in ("season", "episode"):
        if raw.get(key) is not None:
            out[key] = as_set(raw[key])
    size = RESOLUTIONS.get(str(raw.get("screen_size")))
    if size:
        out["resolution"] = size
    codec = CODECS.get(str(raw.get("video_codec")))
    if codec:
        out["video_codec"] = codec
    source = raw.get("source")
    if "Screener" in as_set(raw.get("other")):  # guessit: DVD + Screener = a DVD screener
        out["source"] = "screener"
    elif isinstance(source, str) and source in SOURCES:
        out["source"] = SOURCES[source]
    return out


def cases() -> list[Case]:
    """Every usable corpus entry (entries that need guessit options are left out)."""
    found: list[Case] = []
    for name in ("episodes.yml", "movies.yml", "various.yml"):
        data = yaml.safe_load((GUESSIT_TESTS / name).read_text(encoding="utf-8"))
        for release, expected in data.items():
            if release == "__default__" or not expected or "options" in expected:
                continue
            for one in release.split("\n") if isinstance(release, str) else ():
                if one and not one.startswith("-"):
                    found.append(Case(name, one, _normalise(expected)))
    for path in sorted((GUESSIT_TESTS / "cross_parser").glob("*.json")):
        if path.name == "baseline.json":
            continue
        for entry in json.loads(path.read_text(encoding="utf-8"))["entries"]:
            found.append(Case(path.stem, entry["release_name"], _normalise(entry["expected"])))
    return [c for c in found if c.expected]


def guessit_fields(name: str) -> dict[str, Any]:
    """guessit's answer in our vocabulary."""
    return _normalise(dict(guessit.guessit(name)))


def engine_fields(release: Any) -> dict[str, Any]:
    """Our Release in the compared vocabulary."""
    out: dict[str, Any] = {"title": norm_title(release.title)}
    if release.year is not None:
        out["year"] = release.year
    if release.seasons:
        out["season"] = frozenset(release.seasons)
    if release.episodes:
        out["episode"] = frozenset(release.episodes)
    for key in ("resolution", "video_codec"):
        if getattr(release, key):
            out[key] = getattr(release, key)
    if release.source:
        out["source"] = OUR_SOURCES.get(release.source, release.source)
    return out


def score(results: Iterator[tuple[Case, dict[str, Any]]]) -> dict[str, tuple[int, int]]:
    """Per field: (pairs right, pairs counted)."""
    tally = {f: [0, 0] for f in FIELDS}
    for case, got in results:
        for key, want in case.expected.items():
            tally[key][1] += 1
            tally[key][0] += got.get(key) == want
    return {k: (v[0], v[1]) for k, v in tally.items()}


def accuracy(tally: dict[str, tuple[int, int]]) -> float:
    """Overall share of pairs right, in percent."""
    right = sum(r for r, _ in tally.values())
    total = sum(t for _, t in tally.values())
    return 100.0 * right / total


def evaluate(
    corpus: list[Case], parse: Callable[[str], dict[str, Any]]
) -> dict[str, tuple[int, int]]:
    """Score one parser on the corpus."""
    return score((case, parse(case.name)) for case in corpus)
