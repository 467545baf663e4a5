"""Replace a library file safely (blocking file work: every function here runs in the executor).

A swap is three idempotent steps, journaled by the caller before the first one:
1. *stage*: the new file is linked (or copied) beside the old one under a hidden name;
2. *park*: the old file moves into ``<library>/.plex_kiosk_recycle/<id>/`` (hidden from Plex);
3. *commit*: the staged file takes its library name (a link or a rename: atomic).
If Home Assistant dies in between, :func:`settle` finishes the swap or puts the old file back,
from what is on disk. Nothing here follows a symbolic link or leaves the library root."""

from __future__ import annotations

import errno
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..acquire.importer import confined, link_no_overwrite, place
from ..engine.naming import UnsafePath

RECYCLE = ".plex_kiosk_recycle"
PLEXIGNORE = "*\n"  # Plex skips everything under a folder whose .plexignore says "*"


@dataclass(frozen=True, slots=True)
class SwapPlan:
    """Where each file is and goes during one swap (``name`` is the history entry's id)."""

    old: Path
    target: Path
    recycled: Path

    @property
    def staged(self) -> Path:
        """The new file under its hidden name, beside the target."""
        return self.target.with_name(f".{self.recycled.parent.name}.plex_kiosk.part")


def _move(source: Path, target: Path) -> None:
    """Rename; across file systems, copy to a hidden name beside the target, rename, then
    delete the source (a failed copy leaves no partial file under the target's name)."""
    try:
        os.rename(source, target)
    except OSError as err:
        if err.errno != errno.EXDEV:
            raise
        partial = target.with_name(f".{target.name[:200]}.plex_kiosk.part")
        try:
            shutil.copy2(source, partial)
            os.rename(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        source.unlink()


def _recycle_folder(folder: Path) -> None:
    """Make ``<root>/.plex_kiosk_recycle`` with its ``.plexignore``, never through a link."""
    if folder.is_symlink():
        raise UnsafePath(f"{folder} is a symbolic link")
    folder.mkdir(exist_ok=True)
    try:
        descriptor = os.open(
            folder / ".plexignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644
        )
    except FileExistsError:
        return  # already there (or a link we do not write through)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(PLEXIGNORE)


def plan(old: Path, new_name: str, root: Path, name: str) -> SwapPlan:
    """Check a swap before anything moves: ``old`` is a real file inside ``root``, and the
    new name is free (or is the old one's)."""
    confined(old, root)
    if not old.is_file():
        raise FileNotFoundError(errno.ENOENT, "the library file is gone", str(old))
    target = old.parent / new_name
    if target.exists() and target != old:
        raise FileExistsError(errno.EEXIST, "another file already has the new name", str(target))
    return SwapPlan(old, target, root / RECYCLE / name / old.name)


def _park(path: Path, recycled: Path) -> None:
    """Move ``path`` to ``recycled`` (its folder made under the recycle folder)."""
    _recycle_folder(recycled.parent.parent)
    recycled.parent.mkdir(exist_ok=True)
    _move(path, recycled)


def swap(swap_plan: SwapPlan, downloaded: Path) -> None:
    """Stage, park, commit; when the commit fails (no room…), the old file is put back."""
    place(downloaded, swap_plan.staged)
    _park(swap_plan.old, swap_plan.recycled)
    try:
        link_no_overwrite(swap_plan.staged, swap_plan.target)
    except OSError:
        _move(swap_plan.recycled, swap_plan.old)
        swap_plan.staged.unlink(missing_ok=True)
        raise


def settle(swap_plan: SwapPlan) -> bool:
    """Finish a swap Home Assistant did not finish, from what is on disk: True when the new
    file is in place (old one recycled), False when the old file is back where it was."""
    staged, target, recycled = swap_plan.staged, swap_plan.target, swap_plan.recycled
    if recycled.exists():  # the old file was parked
        if staged.exists():
            if target.exists():  # committed, the hidden name not yet removed
                staged.unlink()
            else:
                link_no_overwrite(staged, target)
            return True
        if target.exists():
            return True
        _move(recycled, swap_plan.old)
        return False
    staged.unlink(missing_ok=True)  # nothing moved yet: drop the staged copy
    return False


def restore(recycled: Path, old: Path, new: Path, root: Path, name: str) -> Path | None:
    """Put ``recycled`` back at ``old``; ``new`` (the file that replaced it, if still there)
    goes to the recycle folder ``name`` first, and comes back if the old one cannot."""
    _own_folder(recycled)
    confined(old.parent, root)
    if old.exists() and old != new:
        raise FileExistsError(errno.EEXIST, "another file is where the old one was", str(old))
    parked = root / RECYCLE / name / new.name if new.exists() else None
    if parked:
        confined(new, root)
        _park(new, parked)
    try:
        _move(recycled, old)
    except OSError:
        if parked:
            _move(parked, new)
        raise
    purge(recycled)  # its folder, now empty
    return parked


def _own_folder(recycled: Path) -> Path:
    """The folder ``…/.plex_kiosk_recycle/<id>/`` of a recycled file; anything else (the
    recycle folder itself, a path elsewhere, a link) is refused."""
    folder = recycled.parent
    if (
        folder.parent.name != RECYCLE
        or folder.name in ("", ".", "..", RECYCLE)
        or folder.is_symlink()
        or folder.parent.is_symlink()
    ):
        raise UnsafePath(f"{recycled} is not in a recycle folder")
    return folder


def purge(recycled: Path) -> None:
    """Delete a recycled file's own folder (already gone is fine), nothing else."""
    shutil.rmtree(_own_folder(recycled), ignore_errors=True)


def free_space(folder: Path) -> int:
    """Bytes free where downloads land."""
    return shutil.disk_usage(folder).free
