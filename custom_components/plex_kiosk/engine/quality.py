"""The PRD's scoring tables, in one place: release score, library-item score, class ladders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .release import Release
from .tags import Audio, Resolution, Source

Quality = Literal["720p", "1080p", "2160p"]
Language = Literal["MULTI", "VF", "VOSTFR"]
Dub = Literal["VFF", "VFQ", "either"]
AudioClass = Literal["MULTI", "VF", "VOSTFR", "VO"]

# Release score /100 — audio 40, video 35, source 15, reliability 10.
AUDIO_POINTS: dict[Language, dict[str, int]] = {
    # "dub" is the follow's preferred dub (VFF or VFQ), "other_dub" the other one.
    "MULTI": {"MULTI": 40, "dub": 30, "VF": 27, "other_dub": 25, "VOSTFR": 20, "VO": 10},
    "VF": {"MULTI": 40, "dub": 35, "VF": 32, "other_dub": 28, "VOSTFR": 15, "VO": 5},
    "VOSTFR": {"VOSTFR": 40, "MULTI": 30, "VO": 20, "dub": 10, "VF": 10, "other_dub": 8},
}
VIDEO_POINTS = {"2160p HDR": 35, "2160p": 30, "1080p HEVC": 25, "1080p": 20, "720p": 10, "SD": 0}
SOURCE_POINTS: dict[Source | None, int] = {
    "remux": 15, "bluray": 15, "web-dl": 12, "web": 11, "webrip": 10, "hdtv": 5, "dvd": 3,
    "cam": -50, "telesync": -50, "telecine": -50, "screener": -50, None: 0,
}  # fmt: skip
RELIABILITY_POINTS = ((50, 10), (20, 7), (10, 5))  # (more than N seeders, points); else 2
BAD_SOURCES: frozenset[Source] = frozenset({"cam", "telesync", "telecine", "screener"})

# Library-item score /100 — video 50, audio 40, bonus 10.
ITEM_VIDEO_POINTS: dict[str, int] = {"2160p": 50, "1080p": 40, "720p": 25, "SD": 10}
ITEM_AUDIO_POINTS: dict[AudioClass, int] = {"MULTI": 40, "VF": 30, "VOSTFR": 20, "VO": 10}
HDR_BONUS = 5
LOSSLESS_BONUS = 5

# Class ladders (0–100), for comparing what a file is with what a release offers.
AUDIO_LADDER: dict[AudioClass, int] = {"MULTI": 100, "VF": 80, "VOSTFR": 60, "VO": 40}
VIDEO_LADDER = {"2160p HDR": 100, "2160p": 90, "1080p HEVC": 80, "1080p": 70, "720p": 50, "SD": 30}
RESOLUTION_ORDER: tuple[Resolution, ...] = ("480p", "576p", "720p", "1080p", "2160p")


@dataclass(frozen=True, slots=True)
class Preferences:
    """What a follow or a request wants (defaults: the options flow's)."""

    quality: Quality = "1080p"
    language: Language = "MULTI"
    dub: Dub = "VFF"
    min_score: int = 70
    min_seeders: int = 5
    allow_bad_sources: bool = False
    season_packs: bool = False  # a whole-season pack may serve one wanted episode
    allow_discs: bool = False  # whole Blu-ray discs and 3D releases are no playable file
    allow_3d: bool = False


@dataclass(frozen=True, slots=True)
class ReleaseScore:
    """A release's score and where it comes from."""

    audio: int
    video: int
    source: int
    reliability: int
    breakdown: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Out of 100 (a bad source can make it negative)."""
        return self.audio + self.video + self.source + self.reliability


def audio_class(audio: Audio) -> AudioClass:
    """A release's audio tag as a library class (every French dub is VF)."""
    return "VF" if audio in ("VFF", "VFQ", "VF") else audio  # type: ignore[return-value]


def video_class(resolution: Resolution | None, codec: str | None, hdr: str | None) -> str:
    """``2160p HDR``, ``2160p``, ``1080p HEVC``, ``1080p``, ``720p`` or ``SD``."""
    if resolution == "2160p":
        return "2160p HDR" if hdr else "2160p"
    if resolution == "1080p":
        return "1080p HEVC" if codec in ("h265", "av1") else "1080p"
    return "720p" if resolution == "720p" else "SD"


def _audio_key(release: Release, preferences: Preferences) -> str:
    if release.audio in ("VFF", "VFQ"):
        return "dub" if preferences.dub in (release.audio, "either") else "other_dub"
    return release.audio


def _capped_resolution(resolution: Resolution | None, wanted: Quality) -> Resolution | None:
    """A release above the wanted quality scores as the wanted quality (no bonus for size)."""
    if resolution and RESOLUTION_ORDER.index(resolution) > RESOLUTION_ORDER.index(wanted):
        return wanted
    return resolution


def reliability(seeders: int | None) -> int:
    """Reliability points from the seeder count (unknown: the fewest)."""
    return next((p for floor, p in RELIABILITY_POINTS if (seeders or 0) > floor), 2)


def score_release(release: Release, seeders: int | None, preferences: Preferences) -> ReleaseScore:
    """The release score /100 for a follow's preferences."""
    resolution = _capped_resolution(release.resolution, preferences.quality)
    hdr = release.hdr if resolution == release.resolution else None
    audio = AUDIO_POINTS[preferences.language][_audio_key(release, preferences)]
    video = VIDEO_POINTS[video_class(resolution, release.video_codec, hdr)]
    source = SOURCE_POINTS[release.source]
    trust = reliability(seeders)
    return ReleaseScore(
        audio,
        video,
        source,
        trust,
        {"audio": audio, "video": video, "source": source, "reliability": trust},
    )


@dataclass(frozen=True, slots=True)
class ItemQuality:
    """What a library file is (from Plex and probing), as far as scoring goes."""

    resolution: Resolution | None
    video_codec: str | None
    hdr: str | None
    audio_class: AudioClass
    lossless_audio: bool = False


def item_from_release(release: Release) -> ItemQuality:
    """What a file from this release should be once downloaded."""
    return ItemQuality(
        release.resolution,
        release.video_codec,
        release.hdr,
        audio_class(release.audio),
        lossless_audio=release.source == "remux",
    )


def score_item(item: ItemQuality) -> int:
    """The library-item score /100."""
    video_key = item.resolution if item.resolution in ("2160p", "1080p", "720p") else "SD"
    bonus = (HDR_BONUS if item.hdr else 0) + (LOSSLESS_BONUS if item.lossless_audio else 0)
    return ITEM_VIDEO_POINTS[video_key] + ITEM_AUDIO_POINTS[item.audio_class] + bonus
