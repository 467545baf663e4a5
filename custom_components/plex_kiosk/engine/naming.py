"""Library names: Plex's conventions as templates, names made safe, paths kept inside a root."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath

_SEASON_DIR = "{series} ({year})/Season {season:02d}/"
EPISODE_TEMPLATE = _SEASON_DIR + "{series} ({year}) - S{season:02d}E{episode:02d} - {title}"
ANIME_TEMPLATE = (
    _SEASON_DIR + "{series} ({year}) - S{season:02d}E{episode:02d} - {absolute:03d} - {title}"
)
ABSOLUTE_TEMPLATE = "{series} ({year})/{series} ({year}) - {absolute:03d} - {title}"
MOVIE_TEMPLATE = "{title} ({year})/{title} ({year})"
RESERVED = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
MAX_COMPONENT = 180  # bytes-ish; Plex and most file systems are happy below 255


class UnsafePath(ValueError):
    """A name that would leave the library root."""


def sanitize(component: str) -> str:
    """One path component: reserved characters replaced, dots and spaces trimmed, never empty."""
    text = unicodedata.normalize("NFC", component)
    text = RESERVED.sub(" ", text).replace("..", ".")
    text = " ".join(text.split()).strip(" .")
    return text[:MAX_COMPONENT].rstrip(" .") or "_"


@dataclass(frozen=True, slots=True)
class EpisodeName:
    """What an episode file is called from."""

    series: str
    year: int | None
    season: int | None
    episode: int | None
    absolute: int | None = None
    title: str | None = None


def _fill(template: str, values: dict[str, object]) -> PurePosixPath:
    """Format each component separately, so that no value can add a component."""
    parts = []
    for part in template.split("/"):
        text = part.format(**values).replace(" ()", "").replace(" - None", "")
        parts.append(sanitize(text.removesuffix(" - ")))
    return PurePosixPath(*parts)


def episode_path(name: EpisodeName, extension: str, template: str | None = None) -> PurePosixPath:
    """``Series (Year)/Season 01/Series (Year) - S01E02 - Title.mkv``; anime keep absolutes."""
    values: dict[str, object] = {
        "series": name.series,
        "year": name.year if name.year else "",
        "season": name.season or 0,
        "episode": name.episode or 0,
        "absolute": name.absolute or 0,
        "title": name.title or "",
    }
    if template is None:
        if name.season is None or name.episode is None:
            template = ABSOLUTE_TEMPLATE
        else:
            template = ANIME_TEMPLATE if name.absolute is not None else EPISODE_TEMPLATE
    path = _fill(template, values)
    return path.with_name(f"{path.name}.{sanitize(extension).lower()}")


def movie_path(
    title: str, year: int | None, extension: str, template: str = MOVIE_TEMPLATE
) -> PurePosixPath:
    """``Movie (Year)/Movie (Year).mkv``."""
    path = _fill(template, {"title": title, "year": year if year else ""})
    return path.with_name(f"{path.name}.{sanitize(extension).lower()}")


SAMPLE = {
    "series": "Série",
    "title": "Titre",
    "year": 2024,
    "season": 1,
    "episode": 2,
    "absolute": 3,
}


def check_template(template: str) -> bool:
    """Whether a user's template formats with the known fields (and names a file, not a path up)."""
    try:
        path = _fill(template, SAMPLE)
    except (KeyError, ValueError, IndexError):
        return False
    return ".." not in template and not template.startswith("/") and bool(path.parts)


def inside(root: PurePosixPath, relative: PurePosixPath) -> PurePosixPath:
    """``root / relative``, refused if it would leave ``root``."""
    if relative.is_absolute() or any(part in ("..", "") for part in relative.parts):
        raise UnsafePath(str(relative))
    return root / relative
