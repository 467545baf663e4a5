"""parse_release: every field, every French tag, anime numbering, and robustness."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custom_components.plex_kiosk.engine.release import Release, parse_release

# OUTSIDE_SERVICES.md's French tag table: (tag in a name, audio, french_variant)
FRENCH_TAGS = [
    ("MULTi", "MULTI", None),
    ("MULTI", "MULTI", None),
    ("MULTi.VFF", "MULTI", "VFF"),
    ("MULTi.VFQ", "MULTI", "VFQ"),
    ("MULTi.VF2", "MULTI", "VF2"),
    ("MULTi.VFI", "MULTI", "VFI"),
    ("MULTi.TRUEFRENCH", "MULTI", "VFF"),
    ("MULTi.FRENCH", "MULTI", None),
    ("VFF", "VFF", "VFF"),
    ("TRUEFRENCH", "VFF", "VFF"),
    ("VFQ", "VFQ", "VFQ"),
    ("VF2", "VF", "VF2"),
    ("VFI", "VF", "VFI"),
    ("FRENCH", "VF", None),
    ("VF", "VF", None),
    ("VOSTFR", "VOSTFR", None),
    ("VOST", "VOSTFR", None),
    ("SUBFRENCH", "VOSTFR", None),
    # Every subtitle spelling French trackers use: subtitles only, never French audio.
    ("STFR", "VOSTFR", None),
    ("ST.FR", "VOSTFR", None),
    ("VOST.FR", "VOSTFR", None),
    ("VOST-FR", "VOSTFR", None),
    ("VOSTFRENCH", "VOSTFR", None),
    ("SUB.FRENCH", "VOSTFR", None),
    ("SUBFR", "VOSTFR", None),
    ("SUB.FR", "VOSTFR", None),
    ("", "VO", None),
]


@pytest.mark.parametrize(("tag", "audio", "variant"), FRENCH_TAGS, ids=lambda v: str(v) or "none")
def test_french_tags(tag: str, audio: str, variant: str | None) -> None:
    """Each tag of the table reads as the audio users mean — VOSTFR is never French audio."""
    name = ".".join(p for p in ("Le.Bureau.des.Legendes.S05E01", tag, "1080p.WEB.H264-GRP") if p)
    release = parse_release(name)
    assert (release.audio, release.french_variant) == (audio, variant)
    assert release.title == "Le Bureau des Legendes"


def test_movie_fields() -> None:
    """A French 4K remux: title, year, quality, HDR, group, no numbering."""
    release = parse_release(
        "Dune.Part.Two.2024.MULTi.VFF.2160p.UHD.BluRay.REMUX.DV.HDR.HEVC.TrueHD.7.1-FtLi.mkv"
    )
    assert release == Release(
        name="Dune.Part.Two.2024.MULTi.VFF.2160p.UHD.BluRay.REMUX.DV.HDR.HEVC.TrueHD.7.1-FtLi.mkv",
        title="Dune Part Two",
        year=2024,
        resolution="2160p",
        video_codec="h265",
        source="remux",
        hdr="DV",
        audio="MULTI",
        french_variant="VFF",
        release_group="FtLi",
        extension="mkv",
    )


@pytest.mark.parametrize(
    ("name", "field", "value"),
    [
        ("Show.S01E02.720p.HDTV.x264-GRP", "video_codec", "h264"),
        ("Show.S01E02.1080p.WEB.H.264-GRP", "video_codec", "h264"),
        ("Show.S01E02.1080p.WEB.AVC-GRP", "video_codec", "h264"),
        ("Show.S01E02.1080p.WEB.x265-GRP", "video_codec", "h265"),
        ("Show.S01E02.1080p.WEB.HEVC-GRP", "video_codec", "h265"),
        ("Show.S01E02.1080p.WEB.H.265-GRP", "video_codec", "h265"),
        ("Show.S01E02.1080p.WEB.AV1-GRP", "video_codec", "av1"),
        ("Show.S01E02.DVDRip.XviD-GRP", "video_codec", "xvid"),
        ("Show.S01E02.1080p.WEB.VP9-GRP", "video_codec", "vp9"),
        ("Show.S01E02.DVD9.MPEG-2-GRP", "video_codec", "mpeg2"),
        ("Movie.2020.1080p.BluRay.REMUX.AVC-GRP", "source", "remux"),
        ("Movie.2020.1080p.BluRay.x264-GRP", "source", "bluray"),
        ("Movie.2020.1080p.BDRip.x264-GRP", "source", "bluray"),
        ("Movie.2020.1080p.WEB-DL.x264-GRP", "source", "web-dl"),
        ("Movie.2020.1080p.WEBRip.x264-GRP", "source", "webrip"),
        ("Movie.2020.1080p.WEB.x264-GRP", "source", "web"),
        ("Movie.2020.720p.HDTV.x264-GRP", "source", "hdtv"),
        ("Movie.2020.DVDRip.XviD-GRP", "source", "dvd"),
        ("Movie.2020.HDCAM.x264-GRP", "source", "cam"),
        ("Movie.2020.HDTS.x264-GRP", "source", "telesync"),
        ("Movie.2020.TELECINE.x264-GRP", "source", "telecine"),
        ("Movie.2020.DVDSCR.x264-GRP", "source", "screener"),
        ("Movie.2020.2160p.WEB-DL.HDR10+.HEVC-GRP", "hdr", "HDR10+"),
        ("Movie.2020.2160p.WEB-DL.HDR10.HEVC-GRP", "hdr", "HDR10"),
        ("Movie.2020.2160p.WEB-DL.HDR.HEVC-GRP", "hdr", "HDR"),
        ("Movie.2020.2160p.WEB-DL.HLG.HEVC-GRP", "hdr", "HLG"),
        ("Movie.2020.2160p.WEB-DL.DoVi.HEVC-GRP", "hdr", "DV"),
        ("Movie.2020.2160p.WEB-DL.x265-GRP", "resolution", "2160p"),
        ("Movie.2020.4K.WEB-DL.x265-GRP", "resolution", "2160p"),
        ("Movie.2020.1080p.WEB-DL.x264-GRP", "resolution", "1080p"),
        ("Movie.2020.720p.WEB-DL.x264-GRP", "resolution", "720p"),
        ("Movie.2020.576p.WEB-DL.x264-GRP", "resolution", "576p"),
        ("Movie.2020.480p.WEB-DL.x264-GRP", "resolution", "480p"),
        ("Movie (2020) [1920x800] x264", "resolution", "1080p"),
        ("Movie.2020.1080p.WEB.x264.PROPER-GRP", "proper", True),
        ("Movie.2020.1080p.WEB.x264.REPACK-GRP", "proper", True),
        ("Movie.2020.FRENCH.MD.720p.x264-GRP", "micro_dubbed", True),
        ("House MD Season 7 Complete", "micro_dubbed", False),
        ("Movie.2020.1080p.WEB.x264-GRP.mkv.exe", "dangerous", True),
        ("Movie.2020.1080p.WEB.x264-GRP.rar", "dangerous", True),
        ("Movie.2020.1080p.WEB.x264-GRP.mkv", "dangerous", False),
    ],
)
def test_field(name: str, field: str, value: object) -> None:
    """Each vocabulary value is read where release names use it."""
    assert getattr(parse_release(name), field) == value


@pytest.mark.parametrize(
    ("name", "title", "season", "episodes", "complete"),
    [
        ("One Piece - 1100 [1080p]", "One Piece", None, (1100,), False),
        ("One.Piece.E1100.VOSTFR.1080p.WEB.x264-Tsundere", "One Piece", None, (1100,), False),
        ("[SubsPlease] One Piece - 1111 (480p) [2E05E658].mkv", "One Piece", None, (1111,), False),
        ("One.Piece.1150.MULTi.1080p.WEB.x265-Tsundere", "One Piece", None, (1150,), False),
        ("Slow.Horses.S05E01E02.1080p.WEB.h264-GRP", "Slow Horses", 5, (1, 2), False),
        ("Slow.Horses.S05E01-E03.1080p.WEB.h264-GRP", "Slow Horses", 5, (1, 2, 3), False),
        ("Slow Horses 5x02 1080p", "Slow Horses", 5, (2,), False),
        ("Slow.Horses.S05.MULTi.1080p.WEB.h264-GRP", "Slow Horses", 5, (), True),
        ("Kaamelott.Saison.2.FRENCH.DVDRip", "Kaamelott", 2, (), True),
        ("Series/Slow Horses/Season 05/Slow.Horses.S05E03.mkv", "Slow Horses", 5, (3,), False),
        ("Slow Horses/Season 2/03.mkv", "Slow Horses", 2, (3,), False),
    ],
)
def test_numbering(
    name: str, title: str, season: int | None, episodes: tuple[int, ...], complete: bool
) -> None:
    """SxxEyy, ranges, 1x02, season packs, anime absolute numbers and folders."""
    release = parse_release(name)
    assert (release.title, release.season, release.episodes, release.complete_season) == (
        title,
        season,
        episodes,
        complete,
    )


def test_multi_season_pack() -> None:
    """A pack of several seasons lists them all."""
    release = parse_release("Friends.S01-S10.COMPLETE.720p.BluRay.x264-PtM")
    assert release.seasons == tuple(range(1, 11))
    assert release.complete_season


def test_path_traversal_is_just_text() -> None:
    """A release name with ../ is parsed, never resolved: the title holds no path."""
    release = parse_release("../../etc/passwd/Evil.S01E01.1080p.WEB.x264-GRP.mkv")
    assert release.title == "Evil"
    assert "/" not in release.title


@settings(max_examples=300, deadline=timedelta(milliseconds=500))
@given(st.text(max_size=300))
def test_never_raises(text: str) -> None:
    """Any string parses without an exception, well within the deadline, into values of the
    engine's own vocabulary (never a raw piece of the name where a class is expected)."""
    release = parse_release(text)
    assert release.audio in {"MULTI", "VFF", "VFQ", "VF", "VOSTFR", "VO"}
    assert release.resolution in {None, "2160p", "1080p", "720p", "576p", "480p"}
    assert all(isinstance(n, int) and n >= 0 for n in release.episodes)
    assert release.title == release.title.strip()


@settings(max_examples=30, deadline=timedelta(milliseconds=500))
@given(st.sampled_from(["S01E", ".", "-", "1", "[", "x264.", "Season ", " - 0", "MULTi.", "a"]))
def test_long_adversarial_names(chunk: str) -> None:
    """10,000-character names made of repeated tag fragments stay far from any backtracking
    blow-up, and never read as French audio unless they say MULTi."""
    release = parse_release(chunk * (10_000 // len(chunk)))
    assert release.audio == ("MULTI" if chunk == "MULTi." else "VO")


@pytest.mark.parametrize(
    ("name", "group", "three_d", "disc"),
    [
        ("[SubsPlease] Frieren - 07 [720p].mkv", "SubsPlease", False, False),
        ("Avatar.2009.3D.HSBS.1080p.BluRay.x264-GRP", "GRP", True, False),
        ("Avatar.2009.1080p.BluRay.Half-OU.x264-GRP", "GRP", True, False),
        ("Avatar.2009.H-OU.1080p.BluRay.x264-GRP", "GRP", True, False),
        ("Dune.Part.Two.2024.COMPLETE.BLURAY-GRP", "GRP", False, True),
        ("Dune.2021.1080p.Blu-ray.AVC.DTS-HD.MA.7.1-GRP", "GRP", False, True),
        ("Oppenheimer.2023.BD50.MULTi-GRP", "GRP", False, True),
        ("Dune.2021.1080p.BluRay.AVC.REMUX.DTS-HD.MA-GRP", "GRP", False, False),
        ("Dune.2021.1080p.BluRay.x264-GRP", "GRP", False, False),
        ("Mission.Impossible.2023.1080p.WEB.H264-ISO", "ISO", False, False),
    ],
)
def test_group_3d_and_discs(name: str, group: str, three_d: bool, disc: bool) -> None:
    """The group of ``[Group] Title - 07`` is the bracketed one; 3D and whole Blu-ray discs
    (which a player cannot play as a file) are flagged, a remux is not a disc."""
    release = parse_release(name)
    assert (release.release_group, release.three_d, release.disc) == (group, three_d, disc)
