"""A library item's quality profile: Plex's streams, or a probe when the file is reachable."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePosixPath

from ..clients.plex import PlexItem, PlexStream
from ..clients.probe import CODECS, MediaProbe, language, resolution_class
from ..engine.quality import audio_class, score_item
from ..engine.release import parse_release
from ..models import MediaQualityProfile

LOSSLESS = frozenset({"truehd", "dca-ma", "dts-hd ma", "flac", "pcm", "mlp"})
AUDIO, SUBTITLE, VIDEO = 2, 3, 1


def plex_probe(item: PlexItem) -> MediaProbe:
    """What Plex says the file holds, in the probe's terms."""
    video = next((s for s in item.streams if s.kind == VIDEO), None)
    hdr = None
    if video is not None:
        hdr = (
            "DV"
            if video.dolby_vision
            else {"smpte2084": "HDR10", "arib-std-b67": "HLG"}.get(video.color_trc or "")
        )
    return MediaProbe(
        resolution_class(item.width, item.height),
        CODECS.get((item.video_codec or "").lower()),
        hdr,
        tuple(language(s.language) for s in item.streams if s.kind == AUDIO),
        tuple(language(s.language) for s in item.streams if s.kind == SUBTITLE),
        "plex",
    )


def _track(stream: PlexStream) -> str:
    """``fra eac3 6ch``."""
    channels = f"{stream.channels}ch" if stream.channels else None
    return " ".join(x for x in (language(stream.language), stream.codec, channels) if x)


def file_audio_class(media: MediaProbe, file: str | None) -> str:
    """The probe's class; when no audio track says its language, the file name's tag."""
    if any(lang != "und" for lang in media.audio_languages) or not file:
        return media.audio_class
    tag = parse_release(PurePosixPath(file).name).audio
    return audio_class(tag) if tag != "VO" else media.audio_class


def build_profile(
    item: PlexItem,
    *,
    media_type: str,
    section: str,
    show: PlexItem | None,
    probed: MediaProbe | None,
    now: datetime,
) -> MediaQualityProfile:
    """The profile of a movie or an episode (an episode carries its show's names and ids)."""
    media = probed or plex_probe(item)
    video = next((s for s in item.streams if s.kind == VIDEO), None)
    owner = show or item
    profile = MediaQualityProfile(
        rating_key=item.rating_key,
        title=owner.title,
        original_title=owner.original_title,
        year=owner.year,
        ids=dict(owner.guids),
        media_type=media_type,
        section=section,
        file=item.file,
        resolution=media.resolution,
        video_codec=media.video_codec,
        hdr=media.hdr or (plex_probe(item).hdr if probed else None),
        bit_depth=video.bit_depth if video else None,
        bitrate=item.bitrate,
        audio_languages=list(media.audio_languages),
        audio_tracks=[_track(s) for s in item.streams if s.kind == AUDIO],
        audio_class=file_audio_class(media, item.file),
        subtitles=list(media.subtitle_languages),
        size=item.size,
        lossless_audio=(item.audio_codec or "").lower() in LOSSLESS,
        probed=probed is not None,
        fingerprint=item.fingerprint,
        versions=item.versions,
        scanned_at=now,
    )
    if show is not None:
        profile.show_key, profile.season, profile.episode = (
            show.rating_key,
            item.season,
            item.episode,
        )
        profile.episode_title = item.title
    profile.score = score_item(profile.quality)
    return profile
