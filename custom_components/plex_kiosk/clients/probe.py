"""What a media file really holds: pymediainfo, then ffprobe (synchronous: run in the executor)."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BadResponse

SERVICE = "probe"
FRENCH = frozenset({"fr", "fre", "fra", "french", "français", "francais"})
LANGUAGES = {
    "en": "eng",
    "english": "eng",
    "ja": "jpn",
    "japanese": "jpn",
    "de": "deu",
    "ger": "deu",
    "es": "spa",
    "it": "ita",
}
PROBE_TIMEOUT = 60  # seconds for one file


def language(code: str | None) -> str:
    """``fre``/``fr``/``fra`` → ``fra``; others to ISO 639-2 where known; ``und`` if unknown."""
    if not code:
        return "und"
    lowered = code.strip().lower()
    return "fra" if lowered in FRENCH else LANGUAGES.get(lowered, lowered[:3])


def resolution_class(width: int, height: int) -> str | None:
    """The 2160p/1080p/720p/576p/480p class of a frame size (by width first: scope films)."""
    for min_width, min_height, name in (
        (3200, 1600, "2160p"),
        (1700, 900, "1080p"),
        (1200, 650, "720p"),
        (700, 540, "576p"),
        (1, 1, "480p"),
    ):
        if width >= min_width or height >= min_height:
            return name
    return None


@dataclass(frozen=True, slots=True)
class MediaProbe:
    """A file's video and its audio and subtitle languages."""

    resolution: str | None
    video_codec: str | None
    hdr: str | None
    audio_languages: tuple[str, ...]
    subtitle_languages: tuple[str, ...]
    tool: str

    @property
    def audio_class(self) -> str:
        """MULTI (French and another audio), VF (French only), VOSTFR (French subtitles), VO."""
        french_audio = "fra" in self.audio_languages
        if french_audio and any(lang not in ("fra", "und") for lang in self.audio_languages):
            return "MULTI"
        if french_audio:
            return "VF"
        return "VOSTFR" if "fra" in self.subtitle_languages else "VO"


CODECS = {
    "avc": "h264",
    "h264": "h264",
    "hevc": "h265",
    "h265": "h265",
    "av1": "av1",
    "vp9": "vp9",
    "mpeg-4 visual": "xvid",
    "mpeg4": "xvid",
    "mpeg2video": "mpeg2",
    "mpeg video": "mpeg2",
}


def _mediainfo(path: Path) -> MediaProbe | None:
    try:
        from pymediainfo import MediaInfo  # noqa: PLC0415  (optional: absent or unusable on musl)

        info = MediaInfo.parse(str(path))
    except (ImportError, OSError, RuntimeError):
        return None
    video = next((t for t in info.tracks if t.track_type == "Video"), None)
    if video is None:
        return None
    audio = tuple(language(t.language) for t in info.tracks if t.track_type == "Audio")
    text = tuple(language(t.language) for t in info.tracks if t.track_type == "Text")
    hdr = (
        "DV"
        if "Dolby Vision" in str(video.hdr_format or "")
        else ("HDR10" if video.hdr_format else None)
    )
    return MediaProbe(
        resolution_class(int(video.width or 0), int(video.height or 0)),
        CODECS.get(str(video.format or "").lower()),
        hdr,
        audio,
        text,
        "mediainfo",
    )


def _ffprobe(path: Path) -> MediaProbe:
    binary = shutil.which("ffprobe")
    if binary is None:
        raise BadResponse(SERVICE, "neither MediaInfo nor ffprobe can read media files here")
    try:
        result = subprocess.run(
            [binary, "-v", "error", "-print_format", "json", "-show_streams", str(path)],
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as err:
        raise BadResponse(SERVICE, f"ffprobe gave no answer on {path.name} in time") from err
    if result.returncode != 0:
        raise BadResponse(
            SERVICE, f"ffprobe cannot read {path.name}: {result.stderr.strip()[:200]}"
        )
    streams: list[dict[str, Any]] = json.loads(result.stdout).get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    if video is None:
        raise BadResponse(SERVICE, f"{path.name} has no video stream")

    def langs(kind: str) -> tuple[str, ...]:
        return tuple(
            language((s.get("tags") or {}).get("language"))
            for s in streams
            if s.get("codec_type") == kind
        )

    transfer = video.get("color_transfer")
    hdr = "HDR10" if transfer == "smpte2084" else "HLG" if transfer == "arib-std-b67" else None
    return MediaProbe(
        resolution_class(int(video.get("width", 0)), int(video.get("height", 0))),
        CODECS.get(str(video.get("codec_name", "")).lower()),
        hdr,
        langs("audio"),
        langs("subtitle"),
        "ffprobe",
    )


def probe(path: Path) -> MediaProbe:
    """MediaInfo when it works here, else ffprobe; raises BadResponse when neither can."""
    return _mediainfo(path) or _ffprobe(path)
