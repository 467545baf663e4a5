"""Library names: Plex's conventions as templates, names made safe, paths kept inside a root."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from string import Formatter

_SEASON_DIR = "{series} ({year})/Season {season:02d}/"
EPISODE_TEMPLATE = _SEASON_DIR + "{series} ({year}) - S{season:02d}E{episode:02d} - {title}"
ANIME_TEMPLATE = (
    _SEASON_DIR + "{series} ({year}) - S{season:02d}E{episode:02d} - {absolute:03d} - {title}"
)
ABSOLUTE_TEMPLATE = "{series} ({year})/{series} ({year}) - {absolute:03d} - {title}"
MOVIE_TEMPLATE = "{title} ({year})/{title} ({year})"
RESERVED = re.compile(r'[<>:"/\\|?*]')
MAX_COMPONENT = 240  # UTF-8 bytes: file systems take 255, the extension needs the rest
MAX_EXTENSION = 8
MAX_WIDTH = 10  # in a template's format spec ({episode:02d})
# Control characters, DEL, bidirectional overrides, zero-width characters, private use,
# unpaired surrogates, line and paragraph separators: never in a name or a log line.
_INVISIBLE = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})


class UnsafePath(ValueError):
    """A name that would leave the library root."""


def printable(text: str, limit: int = 300) -> str:
    """Text from outside made safe to log or show: no invisible or control characters,
    at most ``limit`` characters."""
    return "".join(c for c in text[: limit * 2] if unicodedata.category(c) not in _INVISIBLE)[
        :limit
    ]


def sanitize(component: str, limit: int = MAX_COMPONENT) -> str:
    """One path component: invisible and reserved characters gone, dots and spaces trimmed,
    at most ``limit`` UTF-8 bytes (cut on a character boundary), never empty."""
    text = unicodedata.normalize("NFC", printable(component, limit))
    text = RESERVED.sub(" ", text).replace("..", ".")
    text = " ".join(text.split()).strip(" .")
    text = text.encode()[:limit].decode("utf-8", "ignore")
    return text.rstrip(" .") or "_"


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
    return _with_extension(_fill(template, values), extension)


def _with_extension(path: PurePosixPath, extension: str) -> PurePosixPath:
    return path.with_name(f"{path.name}.{sanitize(extension, MAX_EXTENSION).lower()}")


def movie_path(
    title: str, year: int | None, extension: str, template: str = MOVIE_TEMPLATE
) -> PurePosixPath:
    """``Movie (Year)/Movie (Year).mkv``."""
    return _with_extension(
        _fill(template, {"title": title, "year": year if year else ""}), extension
    )


SAMPLE = {
    "series": "Série",
    "title": "Titre",
    "year": 2024,
    "season": 1,
    "episode": 2,
    "absolute": 3,
}


def _plain_fields(template: str) -> bool:
    """At least one field (else every file gets the same name), only the known ones, no
    attribute or index, no conversion, no huge width (one that does not parse: ValueError)."""
    fields = [(n, s, c) for _, n, s, c in Formatter().parse(template) if n is not None]
    return bool(fields) and all(
        name in SAMPLE
        and not conversion
        and all(int(n) <= MAX_WIDTH for n in re.findall(r"\d+", spec or ""))
        for name, spec, conversion in fields
    )


def check_template(template: str) -> bool:
    """Whether a user's template formats with the known fields (and names a file, not a path up)."""
    try:
        path = _fill(template, SAMPLE) if _plain_fields(template) else None
    except ValueError:  # unbalanced braces, a format spec that is not one
        return False
    return (
        path is not None
        and ".." not in template
        and not template.startswith("/")
        and bool(path.parts)
    )


def inside(root: PurePosixPath, relative: PurePosixPath) -> PurePosixPath:
    """``root / relative``, refused if it would leave ``root``."""
    if relative.is_absolute() or any(part in ("..", "") for part in relative.parts):
        raise UnsafePath(str(relative))
    return root / relative
