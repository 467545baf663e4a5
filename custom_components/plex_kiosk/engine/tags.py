"""The quality and language vocabulary of release names, as compiled patterns."""

from __future__ import annotations

import re
from typing import Literal, cast

Resolution = Literal["2160p", "1080p", "720p", "576p", "480p"]
VideoCodec = Literal["h264", "h265", "av1", "xvid", "vp9", "mpeg2"]
Source = Literal[
    "remux", "bluray", "web-dl", "webrip", "web", "hdtv", "dvd",
    "cam", "telesync", "telecine", "screener",
]  # fmt: skip
Hdr = Literal["DV", "HDR10+", "HDR10", "HDR", "HLG"]
Audio = Literal["MULTI", "VFF", "VFQ", "VF", "VOSTFR", "VO"]
FrenchVariant = Literal["VFF", "VFQ", "VF2", "VFI"]

# A feature never starts or ends inside a word.
B = r"(?<![A-Za-z0-9])"
E = r"(?![A-Za-z0-9])"


def word(pattern: str) -> re.Pattern[str]:
    """A case-insensitive pattern bounded by non-alphanumerics."""
    return re.compile(B + pattern + E, re.IGNORECASE)


_R = r"[ ._-]?"  # an optional separator inside a tag: "x.264", "WEB-DL"
# (kind, value, pattern): every tag of the vocabulary. Kinds with an empty value are read
# from the matched text (resolution, French audio). Order matters where two could match.
VOCABULARY: tuple[tuple[str, str, str], ...] = (
    ("noise", "", rf"video{_R}ts"),
    (
        "resolution",
        "",
        r"\d{3,4}[pi](?:2[345]|30|50|60)?|4k|uhd|\d{3,4}[x*×]\d{3,4}p?"
        r"|(?:720|1080|2160)(?=[ ._-]+(?:x26|h26|hi10|hdtv|web|blu|hevc|avc))",
    ),
    ("video_codec", "h264", rf"x{_R}264|h{_R}264|avc1?"),
    ("video_codec", "h265", rf"x{_R}265|h{_R}265|hevc(?:10)?"),
    ("video_codec", "xvid", r"xvid"),
    ("video_codec", "", r"divx"),
    ("video_codec", "av1", r"av1"),
    ("video_codec", "vp9", r"vp9"),
    ("video_codec", "mpeg2", rf"mpeg{_R}2|mpg2|h262"),
    ("source", "remux", r"remux|bdremux"),
    (
        "source",
        "bluray",
        rf"(?:blu{_R}ray|bd{_R}rip|br{_R}rip|bdmv|bd25|bd50|bd|br)(?:{_R}rip)?(?:mux)?",
    ),
    ("source", "web-dl", rf"web{_R}dl(?:mux)?|dlmux"),
    ("source", "webrip", rf"web{_R}(?:dl)?rip|web{_R}cap|\w{{0,10}}uhdrip"),
    ("source", "web", rf"web(?:hd|uhd)?|vod{_R}rip"),
    (
        "source",
        "hdtv",
        r"(?:hdtv|pdtv|dsr|dsrip|dth|dvb|sat[ ._-]?rip|tvrip|hdtvrip|ahdtv|uhdtv|sdtv)(?:mux)?",
    ),
    ("source", "screener", rf"dvd{_R}scr|bdscr|screener|scr"),
    ("source", "dvd", rf"(?:hd)?dvd{_R}rip|dvd{_R}r|dvd[59]|dvdr9|dvdmux|dvd"),
    ("source", "cam", r"hdcam|hqcam|camhd|cam[ ._-]?rip|cam|s[ ._-]print"),
    ("source", "telesync", rf"hdts(?:rip)?|telesync|pdvd|hd{_R}ts|ts"),
    ("source", "telecine", r"hdtc(?:rip)?|telecine|tc"),
    ("hdr", "DV", rf"dv|dovi|dolby{_R}vision"),
    ("hdr", "HDR10+", rf"hdr10\+|hdr10{_R}plus"),
    ("hdr", "HDR10", r"hdr10"),
    ("hdr", "HDR", r"hdr"),
    ("hdr", "HLG", r"hlg"),
    ("french", "", rf"multi(?:{_R}(?:vf[fqi2]|truefrench|french))?|truefrench|vf[fqi2]"),
    ("french", "", rf"vostfr|vost{_R}fr(?:ench)?|vost|sub{_R}fr(?:ench)?|st{_R}fr|french|vf|fr"),
    ("proper", "", rf"real{_R}proper|real{_R}repack|proper|repack|rerip"),
    ("complete", "", r"complete|int[ée]grale?|collection|coffret"),
    # Words that end a title without meaning anything we keep.
    (
        "noise",
        "",
        r"directors?[ ._-]?cut|dual[ ._-]?audio|aac\d?(?:[ ._]\d)?|dts(?:[ ._-]?hd)?"
        r"|dd\+?p?\d?(?:[ ._]\d)?|ddp\d?(?:[ ._]\d)?|part[ ._]?(?:\d{1,2}|[ivx]{1,4})"
        r"|op\d?[a-z]?|ed\d?|vol[ ._]?\d{1,3}|cd\d(?:of\d)?|hi10p?|"
        + "|".join(
            """extended remastered unrated uncut uncensored dc limited internal dubbed subbed
            multisub eng english italian german spanish castellano latino vo hindi 10bit 8bit
            ac3 eac3 truehd atmos flac mp3 opus amzn nf dsnp atvp hmax hulu cr adn imax hc hdrip
            hd sdr readnfo nfo pal ntsc sub subs mkv fansub vostfre swesub nlsubs ws fs xxx bonus
            extra extras sample trailer ost dual esub esubs doku stv qc se vr180 vr 3d ppv pv
            nced ncop audio theatrical edition criterion collector fps sbs hsbs creditless ona
            ova convert clean swissgerman""".split()
        ),
    ),
)


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern."""
    parts, depth, current = [], 0, ""
    for index, char in enumerate(pattern):
        escaped = index > 0 and pattern[index - 1] == "\\"
        if char in "([" and not escaped:
            depth += 1
        elif char in ")]" and not escaped:
            depth -= 1
        if char == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


# Plain one-word tags are looked up per word (a dict); the rest is one combined pattern.
TOKEN_TAGS: dict[str, int] = {}
_PATTERNED: list[str] = []
for _index, (_kind, _value, _pattern) in enumerate(VOCABULARY):
    _rest = []
    for _alt in _alternatives(_pattern):
        if re.fullmatch(r"[a-z0-9]+", _alt):
            TOKEN_TAGS.setdefault(_alt, _index)
        else:
            _rest.append(_alt)
    if _rest:
        _PATTERNED.append(f"(?P<t{_index}>{'|'.join(_rest)})")
TAGS = re.compile(B + "(?:" + "|".join(_PATTERNED) + ")" + E, re.IGNORECASE)
WORD = re.compile(r"[A-Za-z0-9]+")


def find_tags(text: str) -> list[tuple[int, int, int]]:
    """(start, end, vocabulary index) of every tag, in order of position."""
    found = [(m.start(), m.end(), int(m.lastgroup[1:])) for m in TAGS.finditer(text)]  # type: ignore[index]
    patterned = list(found)
    for m in WORD.finditer(text):
        index = TOKEN_TAGS.get(m.group(0).lower())
        if index is not None and not any(s <= m.start() < e for s, e, _ in patterned):
            found.append((m.start(), m.end(), index))
    found.sort()
    return found


MICRO_DUB = word(r"(?:md|micro[ ._-]?dubbed|ld|line[ ._-]?dubbed)")
SIZE = re.compile(r"(\d{3,4})(?:[pi]|$)|(4k|uhd)|(\d{3,4})[x*×](\d{3,4})", re.IGNORECASE)
VOSTFR = re.compile(r"vost|sub|st", re.IGNORECASE)


# Source tags that are also ordinary words ("Madame Web"): they end a title only late.
AMBIGUOUS_SOURCES = frozenset({"web", "ts", "tc", "cam", "scr", "bd"})

_HEIGHTS: dict[int, Resolution] = {
    2160: "2160p", 1080: "1080p", 720: "720p", 576: "576p", 480: "480p",
}  # fmt: skip
_WIDTHS: tuple[tuple[int, Resolution], ...] = ((3800, "2160p"), (1900, "1080p"), (1270, "720p"))
_DUBS: dict[str, FrenchVariant] = {
    "VFF": "VFF", "VFQ": "VFQ", "VF2": "VF2", "VFI": "VFI", "TRUEFRENCH": "VFF",
}  # fmt: skip


def resolution(text: str) -> Resolution | None:
    """A resolution tag as a class (``1920x800`` → 1080p by its width)."""
    m = cast(re.Match[str], SIZE.match(text))  # TAGS hands over resolution tags only
    if m.group(1):
        return _HEIGHTS.get(int(m.group(1)))
    if m.group(2):
        return "2160p"
    width = int(m.group(3))
    by_width = next((size for minimum, size in _WIDTHS if width >= minimum), None)
    return by_width or _HEIGHTS.get(int(m.group(4)))


def french(text: str) -> tuple[Audio, FrenchVariant | None]:
    """A French tag as (audio class, dub variant)."""
    tag = re.sub(r"[ ._-]", "", text.upper())
    if tag.startswith("MULTI"):  # MULTi, MULTi.VFF, MULTi.TRUEFRENCH…
        return "MULTI", _DUBS.get(tag.removeprefix("MULTI"))
    if variant := _DUBS.get(tag):
        return ("VFF" if variant == "VFF" else "VFQ" if variant == "VFQ" else "VF"), variant
    if VOSTFR.match(tag):
        return "VOSTFR", None
    return "VF", None


_AUDIO_ORDER: tuple[Audio, ...] = ("MULTI", "VFF", "VFQ", "VF", "VOSTFR")


def strongest_audio(
    found: list[tuple[Audio, FrenchVariant | None]],
) -> tuple[Audio, FrenchVariant | None]:
    """Several tags: MULTI wins, then a named dub, then French, then subtitles only."""
    if not found:
        return "VO", None
    audio = min((a for a, _ in found), key=_AUDIO_ORDER.index)
    return audio, next((v for _, v in found if v), None)
