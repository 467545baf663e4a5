"""Replace a library file safely: the old one goes to a recycle folder, and comes back if the
new one cannot be placed (blocking file work: every function here runs in the executor)."""

from __future__ import annotations

import errno
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..acquire.importer import place

RECYCLE = ".plex_kiosk_recycle"
PLEXIGNORE = "*\n"  # Plex skips everything under a folder whose .plexignore says "*"


@dataclass(frozen=True, slots=True)
class Swapped:
    """Where the new file is, and where the old one waits."""

    new: Path
    recycled: Path


def _move(source: Path, target: Path) -> None:
    try:
        os.rename(source, target)
    except OSError as err:
        if err.errno != errno.EXDEV:
            raise
        shutil.move(source, target)


def _park(path: Path, root: Path, name: str) -> Path:
    """Move ``path`` into ``<library root>/.plex_kiosk_recycle/<name>/`` (hidden from Plex)."""
    folder = root / RECYCLE
    folder.mkdir(exist_ok=True)
    ignore = folder / ".plexignore"
    if not ignore.exists():
        ignore.write_text(PLEXIGNORE, encoding="utf-8")
    (folder / name).mkdir()
    parked = folder / name / path.name
    _move(path, parked)
    return parked


def swap(downloaded: Path, old: Path, new_name: str, root: Path, name: str) -> Swapped:
    """Move ``old`` into the recycle folder ``name`` under the library ``root``, then place
    ``downloaded`` beside where it was as ``new_name``; when placing fails (no room…),
    ``old`` is put back and the error raised."""
    target = old.parent / new_name
    if target.exists() and target != old:
        raise FileExistsError(errno.EEXIST, "another file already has the new name", str(target))
    recycled = _park(old, root, name)
    try:
        place(downloaded, target)
    except OSError:
        _move(recycled, old)
        raise
    return Swapped(target, recycled)


def restore(recycled: Path, old: Path, new: Path, root: Path, name: str) -> Path | None:
    """Put ``recycled`` back at ``old``; ``new`` (the file that replaced it, if still there)
    goes to the recycle folder ``name`` first, and comes back if the old one cannot."""
    if old.exists() and old != new:
        raise FileExistsError(errno.EEXIST, "another file is where the old one was", str(old))
    parked = _park(new, root, name) if new.exists() else None
    try:
        _move(recycled, old)
    except OSError:
        if parked:
            _move(parked, new)
        raise
    purge(recycled)  # its folder, now empty
    return parked


def purge(recycled: Path) -> None:
    """Delete a recycled file and its folder (already gone is fine)."""
    shutil.rmtree(recycled.parent, ignore_errors=True)


def free_space(folder: Path) -> int:
    """Bytes free where downloads land."""
    return shutil.disk_usage(folder).free
