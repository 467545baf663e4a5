"""Probing real files, library names that stay inside the root, and importing across disks."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Generator
from pathlib import Path, PurePosixPath

import pytest

from custom_components.plex_kiosk.acquire.importer import (
    Library,
    import_file,
    link_no_overwrite,
    main_video,
    place,
)
from custom_components.plex_kiosk.clients.errors import BadResponse
from custom_components.plex_kiosk.clients.probe import _ffprobe, language, probe, resolution_class
from custom_components.plex_kiosk.engine.naming import (
    EpisodeName,
    UnsafePath,
    episode_path,
    inside,
    movie_path,
    sanitize,
)
from tests.test_acquire import make_media


def clip(
    path: Path,
    audio: tuple[str, ...],
    subtitles: tuple[str, ...] = (),
    size: str = "1280x720",
    codec: str = "libx264",
) -> Path:
    """A short real clip with tagged audio and subtitle tracks."""
    args = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc=size={size}:rate=25"]
    for i, _ in enumerate(audio, start=1):
        args += ["-f", "lavfi", "-i", f"sine=frequency={300 * i}"]
    srt = path.with_suffix(".srt")
    srt.write_text("1\n00:00:00,000 --> 00:00:00,500\nBonjour\n", encoding="utf-8")
    for _ in subtitles:
        args += ["-i", str(srt)]
    args += ["-t", "0.5", "-map", "0"] + [
        a for i in range(1, len(audio) + len(subtitles) + 1) for a in ("-map", str(i))
    ]
    args += ["-c:v", codec, "-preset", "ultrafast", "-c:a", "aac", "-c:s", "srt"]
    args += [a for i, lang in enumerate(audio) for a in (f"-metadata:s:a:{i}", f"language={lang}")]
    args += [
        a for i, lang in enumerate(subtitles) for a in (f"-metadata:s:s:{i}", f"language={lang}")
    ]
    subprocess.run([*args, str(path)], check=True)
    return path


@pytest.mark.parametrize(
    ("audio", "subtitles", "expected"),
    [
        (("fre", "eng"), (), "MULTI"),
        (("fre",), (), "VF"),
        (("eng",), ("fre",), "VOSTFR"),
        (("eng",), (), "VO"),
    ],
)
def test_probe_audio_classes(
    tmp_path: Path, audio: tuple[str, ...], subtitles: tuple[str, ...], expected: str
) -> None:
    """MediaInfo and ffprobe agree on languages; VOSTFR means French subtitles, not audio."""
    path = clip(tmp_path / "clip.mkv", audio, subtitles)
    for result in (probe(path), _ffprobe(path)):
        assert result.audio_class == expected
        assert result.resolution == "720p"
        assert result.video_codec == "h264"
    assert probe(path).tool == "mediainfo"


def test_probe_hevc_and_bad_files(tmp_path: Path) -> None:
    """HEVC is h265; a file that is not media is a clear error."""
    assert _ffprobe(clip(tmp_path / "hevc.mkv", ("eng",), codec="libx265")).video_codec == "h265"
    junk = tmp_path / "junk.mkv"
    junk.write_bytes(b"not a video")
    with pytest.raises(BadResponse, match="cannot read"):
        _ffprobe(junk)
    with pytest.raises(BadResponse):
        probe(junk)


def test_language_codes_and_sizes() -> None:
    """fre/fr/fra are French; frame sizes map to classes, scope films by their width."""
    assert {language(c) for c in ("fre", "fr", "FRA", "Français")} == {"fra"}
    assert (language("en"), language(None), language("pol")) == ("eng", "und", "pol")
    assert [
        resolution_class(w, h)
        for w, h in ((3840, 1600), (1920, 800), (1280, 536), (720, 576), (640, 360))
    ] == ["2160p", "1080p", "720p", "576p", "480p"]


def test_names_stay_inside_the_root() -> None:
    """Reserved characters and ../ never leave the library root."""
    name = EpisodeName("../../etc/passwd", 2022, 1, 2, None, 'Pilot: "A/B" <1>?')
    path = episode_path(name, "mkv")
    assert path == PurePosixPath(
        "etc passwd (2022)/Season 01/etc passwd (2022) - S01E02 - Pilot A B 1.mkv"
    )
    assert inside(PurePosixPath("/media/tv"), path).is_relative_to("/media/tv")
    for bad in ("../escape.mkv", "/etc/passwd"):
        with pytest.raises(UnsafePath):
            inside(PurePosixPath("/media/tv"), PurePosixPath(bad))
    assert movie_path("Dune : Deuxième partie", 2024, "MKV") == PurePosixPath(
        "Dune Deuxième partie (2024)/Dune Deuxième partie (2024).mkv"
    )
    assert episode_path(
        EpisodeName("One Piece", 1999, None, None, 1151, None), "mkv"
    ) == PurePosixPath("One Piece (1999)/One Piece (1999) - 1151.mkv")
    assert sanitize("...") == "_"
    assert (
        main_video([("a/sample.mkv", 10), ("a/movie.mkv", 900), ("a/info.nfo", 1)]) == "a/movie.mkv"
    )
    assert main_video([("a/info.nfo", 1)]) is None
    same_size = [("a/Show.S01E01.mkv", 900), ("a/Show.S01E01.alt.mkv", 900)]
    assert main_video(same_size) == main_video(same_size[::-1])  # whatever the listing order


@pytest.fixture
def small_disk(tmp_path: Path) -> Generator[Path]:
    """A 1 MiB file system (tmpfs): another device, and nearly no room."""
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_import_copies_across_disks_and_refuses_when_full(tmp_path: Path, small_disk: Path) -> None:
    """Another file system: copied (a hardlink cannot cross); no room: a clear ENOSPC, nothing
    written; the same import again (a retry after a restart) is done, another file under the
    same name is refused."""
    small = clip(tmp_path / "small.mkv", ("fre", "eng"))
    library = Library(small_disk, "2", {})
    first = PurePosixPath("Show/Season 01/Show - S01E01.mkv")
    imported = import_file(small, tmp_path, library, first)
    assert imported.path.read_bytes() == small.read_bytes()
    assert imported.path.stat().st_ino != small.stat().st_ino
    assert imported.probe.audio_class == "MULTI"
    big = tmp_path / "big.mkv"
    make_media(big, ("fre",))
    with pytest.raises(OSError, match="no room") as err:
        import_file(big, tmp_path, library, PurePosixPath("Show/Season 01/Show - S01E02.mkv"))
    assert err.value.errno == errno.ENOSPC
    assert sorted(p.name for p in (small_disk / "Show/Season 01").iterdir()) == [
        "Show - S01E01.mkv"
    ]  # no partial copy left either
    assert import_file(small, tmp_path, library, first).path == imported.path
    other = clip(tmp_path / "other.mkv", ("eng",))
    with pytest.raises(FileExistsError):
        import_file(other, tmp_path, library, first)
    assert imported.path.read_bytes() == small.read_bytes()


def test_plex_path_mapping() -> None:
    """A local path is given to Plex under Plex's own prefix."""
    library = Library(Path("/media/tv"), "2", {"/data/tv": "/media/tv"})
    assert (
        library.plex_path(Path("/media/tv/Show (2020)/Season 01"))
        == "/data/tv/Show (2020)/Season 01"
    )
    assert library.plex_path(Path("/elsewhere/x")) == "/elsewhere/x"


@pytest.fixture
def exfat_disk(tmp_path: Path) -> Generator[Path]:
    """An exFAT drive (a USB disk, a NAS share formatted for a TV): no hard links, and a
    rename replaces whatever has the name. Mounted with FUSE (``exfat-fuse``) from an image
    on a loop device."""
    tools = ("mkfs.exfat", "mount.exfat-fuse", "losetup")
    if not (all(shutil.which(t) for t in tools) and os.path.exists("/dev/fuse")):
        pytest.skip("needs exfatprogs, exfat-fuse and /dev/fuse")
    image, mount = tmp_path / "exfat.img", tmp_path / "exfat"
    mount.mkdir()
    subprocess.run(["truncate", "-s", "8M", str(image)], check=True)
    subprocess.run(["mkfs.exfat", str(image)], check=True, capture_output=True)
    loop = subprocess.run(
        ["losetup", "-f", "--show", str(image)], check=False, capture_output=True, text=True
    )
    if loop.returncode:
        pytest.skip(f"no loop device: {loop.stderr.strip()}")
    device = loop.stdout.strip()
    try:
        subprocess.run(["mount.exfat-fuse", device, str(mount)], check=True, capture_output=True)
        yield mount
        subprocess.run(["umount", str(mount)], check=True)
    finally:
        subprocess.run(["losetup", "-d", device], check=True)


def test_placing_on_a_drive_without_hard_links(tmp_path: Path, exfat_disk: Path) -> None:
    """The library on an exFAT drive: the file is copied under a hidden name, then renamed (a
    hard link is refused there): whole, under its name, nothing hidden left. A name already
    taken is never renamed over (exFAT would replace it): refused, both files stay."""
    source = tmp_path / "episode.mkv"
    source.write_bytes(os.urandom(300_000))
    target = exfat_disk / "Show" / "Show - S01E01.mkv"
    place(source, target)
    assert target.read_bytes() == source.read_bytes()
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]
    other = exfat_disk / "Show" / "other.mkv"
    other.write_bytes(b"other")
    with pytest.raises(FileExistsError):
        link_no_overwrite(other, target)
    assert (other.read_bytes(), target.read_bytes()) == (b"other", source.read_bytes())
    link_no_overwrite(other, exfat_disk / "Show" / "Show - S01E02.mkv")
    assert not other.exists()
    assert (exfat_disk / "Show" / "Show - S01E02.mkv").read_bytes() == b"other"


def test_copy_that_fits_exactly_and_one_that_fails(tmp_path: Path, small_disk: Path) -> None:
    """A file exactly as large as the free space is copied; a source that cannot be read (a
    failing disk: the kernel answers an I/O error) leaves no hidden partial copy behind."""
    source = tmp_path / "exact.mkv"
    source.write_bytes(os.urandom(shutil.disk_usage(small_disk).free))
    place(source, small_disk / "exact.mkv")
    assert (small_disk / "exact.mkv").read_bytes() == source.read_bytes()
    (small_disk / "exact.mkv").unlink()
    with pytest.raises(OSError, match="Input/output error"):
        place(Path("/proc/self/mem"), small_disk / "Show" / "unreadable.mkv")
    assert list((small_disk / "Show").iterdir()) == []
