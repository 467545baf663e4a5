"""Import a completed download: hardlink (or copy) under a Plex name, probe it, refresh Plex."""

from __future__ import annotations

import errno
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..clients.probe import MediaProbe, probe
from ..engine.naming import UnsafePath, inside
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


SAMPLE = re.compile(r"(?:^|[\W_])(sample|trailer|extras?|featurettes?)(?:[\W_]|$)", re.I)
HASH_CHUNK = 1 << 20


def _videos(files: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Video files that are not samples, trailers or extras."""
    return [
        (path, size)
        for path, size in files
        if path.rpartition(".")[2].lower() in VIDEO_EXTENSIONS and not SAMPLE.search(path)
    ]


def main_video(files: list[tuple[str, int]]) -> str | None:
    """The largest video file of a torrent that is not a sample or an extra."""
    videos = _videos(files)
    return max(videos, key=lambda f: (f[1], f[0]))[0] if videos else None


def pack_episodes(files: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    """The episode files of a season pack, as (path, season, episode): the largest file of
    each episode, never a sample."""
    best: dict[tuple[int, int], tuple[int, str]] = {}
    for path, size in _videos(files):
        release = parse_release(path)
        if release.season is not None and release.episodes:
            key = (release.season, release.episodes[0])
            if key not in best or best[key] < (size, path):
                best[key] = (size, path)
    return [(path, season, number) for (season, number), (_, path) in sorted(best.items())]


def same_file(a: Path, b: Path) -> bool:
    """The same inode, or the same size and bytes (a copy a restart left complete)."""
    if os.path.samefile(a, b):
        return True
    if a.stat().st_size != b.stat().st_size:
        return False
    with a.open("rb") as one, b.open("rb") as other:
        while chunk := one.read(HASH_CHUNK):
            if chunk != other.read(HASH_CHUNK):
                return False
    return True


def link_no_overwrite(source: Path, target: Path) -> None:
    """Give ``source`` the name ``target`` atomically, never replacing a file there."""
    try:
        os.link(source, target)  # a name already taken: EEXIST, whatever the file system
    except OSError as err:  # a file system without hard links: an exists check, then rename
        if err.errno not in (errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        if target.exists():
            raise FileExistsError(errno.EEXIST, "already exists", str(target)) from err
        os.rename(source, target)
        return
    source.unlink()


def place(source: Path, target: Path) -> None:
    """Hardlink; across file systems, copy to a hidden temporary name and rename, so that a
    file under the library name is always whole. Never overwrites another file; a target
    that already is this file is done (an import retried after a restart)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        if same_file(source, target):
            return
        raise FileExistsError(errno.EEXIST, "another file has this name", str(target))
    try:
        os.link(source, target)
    except OSError as err:
        if err.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        if shutil.disk_usage(target.parent).free < source.stat().st_size:
            raise OSError(errno.ENOSPC, "no room for the copy", str(target)) from err
        partial = target.with_name(f".{target.name[:200]}.plex_kiosk.part")
        try:
            shutil.copyfile(source, partial)
            link_no_overwrite(partial, target)
        finally:
            partial.unlink(missing_ok=True)


def confined(path: Path, root: Path) -> None:
    """Refuse ``path`` unless it lies inside ``root`` and is no symbolic link."""
    if path.is_symlink():
        raise UnsafePath(f"{path} is a symbolic link")
    if not path.resolve().is_relative_to(root.resolve()):
        raise UnsafePath(f"{path} is outside {root}")


def import_file(
    source: Path, downloads: Path, library: Library, relative: PurePosixPath
) -> Imported:
    """Blocking part of an import (runs in the executor): the downloaded file must lie in
    the download folder; it is probed first, then placed."""
    confined(source, downloads)
    target = Path(inside(PurePosixPath(library.root), relative))
    media = probe(source)
    place(source, target)
    return Imported(target, media)
