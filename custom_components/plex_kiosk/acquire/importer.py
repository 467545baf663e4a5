"""Import a completed download: hardlink (or copy) under a Plex name, probe it, refresh Plex."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..clients.probe import MediaProbe, probe
from ..engine.naming import inside
from ..engine.release import VIDEO_EXTENSIONS, parse_release

Executor = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class Library:
    """Where files go and how Plex sees them."""

    root: Path
    section: str
    path_map: dict[str, str]  # Plex prefix → local prefix

    def plex_path(self, local: Path) -> str:
        """The path Plex knows for a local path."""
        text = str(local)
        for plex_prefix, local_prefix in self.path_map.items():
            if text == local_prefix or text.startswith(local_prefix.rstrip("/") + "/"):
                return plex_prefix + text[len(local_prefix.rstrip("/")) :]
        return text


def local_path(path_map: dict[str, str], plex_path: str) -> Path:
    """The path Home Assistant sees for a path Plex knows (the inverse of ``plex_path``)."""
    for plex_prefix, local_prefix in path_map.items():
        prefix = plex_prefix.rstrip("/")
        if plex_path == prefix or plex_path.startswith(prefix + "/"):
            return Path(local_prefix.rstrip("/") + plex_path[len(prefix) :])
    return Path(plex_path)


@dataclass(frozen=True, slots=True)
class Imported:
    """Where a file landed and what it really is."""

    path: Path
    probe: MediaProbe


def main_video(files: list[tuple[str, int]]) -> str | None:
    """The largest video file of a torrent (samples and extras are smaller)."""
    videos = [
        (size, path) for path, size in files if path.rpartition(".")[2].lower() in VIDEO_EXTENSIONS
    ]
    return max(videos)[1] if videos else None


def pack_episodes(files: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    """The episode files of a season pack, as (path, season, episode)."""
    found = []
    for path, _ in files:
        release = parse_release(path)
        if (
            path.rpartition(".")[2].lower() in VIDEO_EXTENSIONS
            and release.season is not None
            and release.episodes
        ):
            found.append((path, release.season, release.episodes[0]))
    return found


def place(source: Path, target: Path) -> None:
    """Hardlink; copy when the library is on another file system; never overwrite."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise FileExistsError(str(target))
    try:
        os.link(source, target)
    except OSError as err:
        if err.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK):
            raise
        if shutil.disk_usage(target.parent).free < source.stat().st_size:
            raise OSError(errno.ENOSPC, "no room for the copy", str(target)) from err
        shutil.copy2(source, target)


def import_file(source: Path, library: Library, relative: PurePosixPath) -> Imported:
    """Blocking part of an import (runs in the executor): place, then probe."""
    target = Path(inside(PurePosixPath(library.root), relative))
    place(source, target)
    return Imported(target, probe(target))
