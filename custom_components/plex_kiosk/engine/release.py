"""parse_release: what a release name (or a file path) says, French audio tags included.

A few compiled patterns run once over the name; each claims the *spans* of the features it
recognises (numbering, year, resolution, source, codec, tags). The title is the first
stretch of text no feature claims. Folders of a path fill what the file name lacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import numbering, tags
from .tags import Audio, FrenchVariant, Hdr, Resolution, Source, VideoCodec

MAX_LENGTH = 512  # longer input is cut: no real release name comes close
VIDEO_EXTENSIONS = frozenset(
    "mkv mp4 avi m4v mov wmv mpg mpeg m2ts webm flv ogm divx vob 3gp rmvb".split()
)
DANGEROUS_EXTENSIONS = frozenset(
    "exe com bat cmd scr msi ps1 vbs js jar lnk apk dll sh zip rar 7z tar gz r00 001 iso".split()
)
OTHER_EXTENSIONS = frozenset("srt sub idx ass ssa nfo txt torrent par2 jpg png".split())
KNOWN_EXTENSIONS = VIDEO_EXTENSIONS | DANGEROUS_EXTENSIONS | OTHER_EXTENSIONS

YEAR = re.compile(r"(?<![0-9A-Za-z])([(\[]?)((?:19|20)\d{2})[)\]]?(?![0-9A-Za-z])")
_MONTH, _DAY = r"(?:0[1-9]|1[0-2])", r"(?:0[1-9]|[12]\d|3[01])"
DATE = re.compile(
    tags.B
    + rf"(?:((?:19|20)\d{{2}})([ ._-]?){_MONTH}\2{_DAY}|{_DAY}([ ._-]){_MONTH}\3((?:19|20)\d{{2}})"
    + rf"|{_MONTH}([ ._-]){_DAY}\5((?:19|20)\d{{2}}))"
    + tags.E
)
WEBSITE = re.compile(
    r"^\s*(?:w{2,3}[ .][A-Za-z0-9-]+[ .][A-Za-z]{2,6}|[A-Za-z0-9-]+[ .](?:com|net|org|to|me|nu))"
    r"\s*-\s*",
    re.IGNORECASE,
)
QUALITY_KINDS = frozenset({"resolution", "video_codec", "source"})
_WEAK_KINDS = frozenset({"noise", "french", "proper"})
ARTICLES = frozenset({"the", "a", "an", "le", "la", "les", "l", "un", "une", "el", "il"})
GROUP_AT_END = re.compile(r"-[ ]?([A-Za-z0-9][\w.&@]{0,30}?)[ ]?(?:\[[^\]]{0,40}\])?$")
LEADING_BRACKETS = re.compile(r"^\s*(?:[\[【]([^\]】]{1,60})[\]】]\s*[ ._-]?\s*)+")
EDGE_BRACKETS = re.compile(r"^\W*[\[【(][^\]】)]{0,80}[\]】)]|[\[【(][^\]】)]{0,80}[\]】)]\W*$")
DASH = re.compile(r"\s+-\s+|[._]-[._]|\s-[._]|[._]-\s")
SEPARATORS = re.compile(r"[._]+|\s{2,}")
THREE_D = re.compile(r"(?<![A-Za-z0-9])(?:3D|H?SBS|H-SBS|H?OU|H-OU)(?![A-Za-z0-9])")
DISC = re.compile(
    r"(?<![A-Za-z0-9])(?:BD(?:25|50|66|100)|COMPLETE[ ._-]+(?:UHD[ ._-]+)?BLU-?RAY)"
    r"(?![A-Za-z0-9])|BLU-?RAY[ ._-]+(?:AVC|VC-?1|MPEG-?2)(?:[ ._-]|$)",
    re.IGNORECASE,
)
COUNTRY = re.compile(r"\s\(?(US|UK|AU|NZ)\)?$")  # The.Office.US: which national version
TRAILING_MARK = re.compile(r"\s(?:ep|episode|season|saison|temporada)$", re.IGNORECASE)
SCENE_PREFIX = re.compile(r"^[A-Za-z][a-z]{0,3}[A-Z][A-Za-z]{0,3}-(?=[A-Za-z0-9]+\.)")
GLUED = re.compile(r"(?i)(hdtv|pdtv|web-?dl|webrip|bluray|dvdrip)(?=x26[45]|h\.?26[45])")
BRACKET_CONTENT = re.compile(r"[\[【]([^\]】]{1,80})[\]】]")
OBFUSCATED = re.compile(r"^(?:[0-9a-f]{16,}|[A-Za-z0-9]{20,}|\d+_\d+)$")
GENERIC_FOLDERS = re.compile(
    r"^(?:(season \d+|saison \d+|s\d+)|series|s[ée]ries|tv|tv ?shows|shows|movies|films|animes?"
    r"|downloads?|media|videos?|disc \d+|cd\d|[a-z]:|mnt|data|home|tmp)$",
    re.IGNORECASE,
)
TRIM = " -_.,:;/|+&([{'"
# A path separator: not inside brackets ("[720p/mkv]"), not spaced ("Titre / Title").
PATH_SEPARATOR = re.compile(r"(?<! )[/\\](?! )(?![^\[\]]*\])")


@dataclass(frozen=True, slots=True)
class Release:
    """What a release name says."""

    name: str
    title: str
    year: int | None = None
    season: int | None = None
    episodes: tuple[int, ...] = ()
    complete_season: bool = False
    seasons: tuple[int, ...] = ()
    resolution: Resolution | None = None
    video_codec: VideoCodec | None = None
    source: Source | None = None
    hdr: Hdr | None = None
    audio: Audio = "VO"
    french_variant: FrenchVariant | None = None
    release_group: str | None = None
    extension: str | None = None
    dangerous: bool = False
    micro_dubbed: bool = False
    proper: bool = False
    country: str | None = None  # a national version named after the title (US, UK, AU, NZ)
    three_d: bool = False
    disc: bool = False  # a whole Blu-ray disc (BD25/50, ISO, "Blu-ray AVC"): not a playable file


@dataclass(slots=True)
class _Scan:
    """Everything found in one name (or one folder name)."""

    text: str
    start: int = 0
    spans: list[tuple[int, int]] = field(default_factory=list)
    weak: list[tuple[int, int]] = field(default_factory=list)
    numbering: list[tuple[int, int]] = field(default_factory=list)
    ambiguous: list[tuple[int, int]] = field(default_factory=list)
    year_at: int = -1
    leading_group: str | None = None
    season: int | None = None
    seasons: tuple[int, ...] = ()
    episodes: tuple[int, ...] = ()
    year: int | None = None
    resolution: Resolution | None = None
    video_codec: VideoCodec | None = None
    source: Source | None = None
    hdr: Hdr | None = None
    audio: Audio = "VO"
    french_variant: FrenchVariant | None = None
    proper: bool = False
    title: str = ""
    title_end: int = 0
    title_first: bool = True
    country: str | None = None


def _split_extension(filename: str) -> tuple[str | None, str]:
    stem, dot, ext = filename.rpartition(".")
    if dot and stem and ext.lower() in KNOWN_EXTENSIONS:
        return ext.lower(), stem
    return None, filename


def _read_tags(scan: _Scan) -> None:
    """One pass of the tag vocabulary: quality, French audio, proper, noise."""
    french = []
    text = scan.text
    for start, end, index in tags.find_tags(text):
        kind, value, _ = tags.VOCABULARY[index]
        span = (start, end)
        if kind in _WEAK_KINDS:
            scan.weak.append(span)
            if kind == "french":
                french.append(tags.french(text[start:end]))
            elif kind == "proper":
                scan.proper = True
        elif kind == "complete" or (
            kind == "source" and text[start:end].lower() in tags.AMBIGUOUS_SOURCES
        ):
            scan.ambiguous.append(span)
            scan.source = scan.source or value or None  # type: ignore[assignment]
        else:
            scan.spans.append(span)
            if kind == "resolution":  # the last one given wins: "4K remastered … 1080p"
                scan.resolution = tags.resolution(text[start:end]) or scan.resolution
            elif kind == "source":  # the first one wins, but REMUX refines "BluRay"
                scan.source = value if value == "remux" else scan.source or value  # type: ignore[assignment]
            elif kind == "video_codec":
                scan.video_codec = scan.video_codec or value or None  # type: ignore[assignment]
            elif kind == "hdr":
                scan.hdr = scan.hdr or value  # type: ignore[assignment]
    scan.audio, scan.french_variant = tags.strongest_audio(french)


def _read_date(scan: _Scan) -> None:
    if m := DATE.search(scan.text, scan.start):
        scan.year = int(m.group(1) or m.group(4) or m.group(6))
        scan.spans.append(m.span())


def _clean(raw: str) -> str:
    text = EDGE_BRACKETS.sub(" ", raw)
    if (dash := DASH.search(text)) and text[: dash.start()].strip(TRIM):
        text = text[: dash.start()]
    text = " ".join(SEPARATORS.sub(" ", text).split()).strip(TRIM)
    if ", " in text and text.lower().endswith(", the"):
        text = "The " + text[:-5]
    if " " in text:
        text = TRAILING_MARK.sub("", COUNTRY.sub("", text))
        if text.lower().endswith(" the"):
            text = text[:-4]
    return text


def _choose_year(scan: _Scan) -> None:
    """Prefer a bracketed year; else the last one before the first feature; else the first after."""
    text, start = scan.text, scan.start
    first_feature = min((s for s, _ in scan.spans if s >= start), default=len(text))
    candidates = [m for m in YEAR.finditer(text, start) if not _inside(m.span(2), scan.spans)]
    if not candidates:
        return
    titled = [m for m in candidates if text[start : m.start()].strip(TRIM)]
    first_claim = min((s for s, _ in scan.spans + scan.weak if s >= start), default=len(text))
    if not titled and not text[candidates[0].end() : first_claim].strip(TRIM):
        return  # "2012.AC3.720p": the year is the title
    bracketed = [m for m in titled if m.group(1)]
    before = [m for m in titled if m.start() <= first_feature]
    chosen = (bracketed or before or titled or candidates)[-1 if before and not bracketed else 0]
    if titled and chosen not in titled:  # pragma: no cover  (guarded by the expression above)
        return
    if scan.year is None:
        scan.year = int(chosen.group(2))
    begin = chosen.start()
    opening = text.rfind("(", start, begin)
    if opening > 0 and ")" not in text[opening:begin] and text[start:opening].strip(TRIM):
        begin = opening  # "Mise à Sac (Alain Cavalier, 1967)"
    scan.spans.append((begin, chosen.end()))
    scan.year_at = begin


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


def _read_title(scan: _Scan) -> None:
    """The first stretch of text no feature claims.

    Weak words (tags that are also ordinary words: French, Complete, Web…) do not end a
    title at its very start, before a year that follows them, or after a lone article.
    """
    text, position = scan.text, scan.start
    first_text = next((i for i in range(position, len(text)) if text[i] not in TRIM), len(text))
    first_strong = min((s for s, _ in scan.spans if s > first_text), default=len(text))
    year_at = scan.year_at if scan.year_at == first_strong else -1
    weak = [(*w, True) for w in scan.weak if w[0] > first_text]
    weak += [(*a, True) for a in scan.ambiguous if first_text < a[0] and not a[0] < year_at]
    claimed = sorted([(*s, False) for s in scan.spans] + weak)
    begin = position
    for span_start, span_end, is_weak in [*claimed, (len(text), len(text), False)]:
        if span_end <= position:
            continue
        if span_start > position:
            title = _clean(text[begin:span_start])
            if title.lower() in ARTICLES:
                if is_weak:  # "The English", "The Italian Job"
                    position = span_end
                    continue
                title = ""
            if title:
                raw = " ".join(SEPARATORS.sub(" ", text[begin:span_start]).split())
                scan.country = m.group(1) if (m := COUNTRY.search(raw.strip(TRIM))) else None
                scan.title, scan.title_end = title, span_start
                scan.title_first = not text[scan.start : begin].strip(TRIM)
                return
        position = max(position, span_end)
        begin = position
    if scan.leading_group is not None:
        _title_from_brackets(scan)


def _title_from_brackets(scan: _Scan) -> None:
    """``[Group][漆黑的子彈][Black Bullet][11]``: the first bracket that reads like a title."""
    contents = [m.group(1) for m in BRACKET_CONTENT.finditer(scan.text)][1:]
    plain = [c.strip() for c in contents if not c.strip().isdecimal() and not tags.find_tags(c)]
    latin = [c for c in plain if re.search("[A-Za-z]", c)]
    if titles := latin or plain:
        scan.title = _clean(titles[0])


def _read_bare_episode(scan: _Scan) -> None:
    """Anime and terse names: ``Title - 1100``, ``[Group] Title 12``, ``Title.0307``."""
    text = scan.text
    next_feature = min(
        (s for s, e in scan.spans if s >= scan.title_end and (s, e) not in scan.numbering),
        default=len(text),
    )
    m = numbering.ABSOLUTE.search(text, scan.start)
    if (
        m
        and text[scan.start : m.start()].strip(TRIM)
        and not _inside(m.span(1), scan.spans)
        and m.start() <= next_feature
    ):
        last = int(m.group(2)) if m.group(2) else None
        scan.episodes = numbering.span_range(int(m.group(1)), last)
        _retitle(scan, m.start())
        return
    if m := numbering.BRACKET_NUMBER.search(text, scan.title_end):
        scan.episodes = (int(m.group(1)),)
        return
    limit = next_feature  # bare numbers may follow weak words and a season mark
    if scan.leading_group and scan.year_at == scan.title_end:  # [Group] Title (2009) 04
        limit = min((s for s, _ in scan.spans if s > scan.year_at), default=len(text))
    bare = [
        m
        for m in numbering.BARE_NUMBER.finditer(text, scan.start)
        if m.start() <= limit
        and text[scan.start : m.start()].strip(TRIM)
        and text[m.start() - 1 : m.start()] != "("
        and not _inside(m.span(), scan.spans + scan.weak)
        and int(m.group(1)) != scan.year
        and not (scan.leading_group is None and m.start() < scan.year_at)
    ]
    if not bare:
        return
    m = bare[-1]
    digits, last = m.group(1), int(m.group(2)) if m.group(2) else None
    value = int(digits)
    if (
        scan.season is not None
        or scan.leading_group
        or value < 100
        or last
        or (len(digits) == 4 and digits[0] != "0")
    ):
        scan.episodes = numbering.span_range(value, last)
    else:
        scan.season, scan.episodes = value // 100, (value % 100,)
    _retitle(scan, m.start())


def _retitle(scan: _Scan, end: int) -> None:
    """The number was inside the title's stretch: the title ends before it."""
    if scan.title and end > scan.title_end:
        return
    if title := _clean(scan.text[scan.start : end]):
        scan.title, scan.title_end = title, end


def _scan(text: str, folder: bool = False) -> _Scan:
    scan = _Scan(GLUED.sub(r"\1.", text))
    text = scan.text
    if site := WEBSITE.match(text) or SCENE_PREFIX.match(text):
        scan.start = site.end()
    if lead := LEADING_BRACKETS.match(text, scan.start):
        inner = lead.group(1)
        if not any(tags.VOCABULARY[i][0] in QUALITY_KINDS for _, _, i in tags.find_tags(inner)):
            scan.leading_group = inner.strip()
        scan.start = lead.end()
    found = numbering.read_numbering(text, scan.start)
    scan.season, scan.seasons, scan.episodes = found.season, found.seasons, found.episodes
    scan.spans.extend(found.spans)
    scan.numbering = found.spans
    if not scan.episodes and (lead_ep := numbering.leading_episode(text[scan.start :])):
        scan.episodes = lead_ep[0]
        scan.spans.append((scan.start, scan.start + lead_ep[1]))
    _read_tags(scan)
    _read_date(scan)
    _choose_year(scan)
    if scan.season is None and len(scan.numbering) == 1 and scan.numbering[0][0] < scan.year_at:
        scan.spans.remove(scan.numbering[0])  # "Star Wars Episode 3 … 2005": a movie title
        scan.episodes, scan.numbering = (), []
    _read_title(scan)
    if not scan.episodes and not folder:  # "Babylon 5/": a folder's number is its title's
        _read_bare_episode(scan)
    if scan.leading_group and scan.title.isdecimal() and not scan.episodes:
        scan.episodes, scan.title = (int(scan.title),), _clean(scan.leading_group)
    if scan.season is not None and scan.season >= 1900 and scan.year is None:
        scan.year = scan.season
    return scan


def _first_word(title: str) -> str:
    return title.split(" ", 1)[0].lower()


def _fill_from_folders(scan: _Scan, folders: list[str]) -> None:
    """Folders (nearest first) give the title, season or year the file name lacks.

    A release folder (a title and a year, numbering or quality) also overrides a file
    name that does not start like it: scene files are often short or scrambled.
    """
    for folder in reversed(folders):
        generic = GENERIC_FOLDERS.match(folder.strip())
        if generic and not generic.group(1):
            continue
        outer = _scan(folder, folder=True)
        if generic:
            outer.title = ""
        release_folder = outer.year or outer.season is not None or outer.resolution or outer.source
        bare_file = not (scan.year or scan.resolution or scan.source or scan.episodes)
        differs = _first_word(outer.title) != _first_word(scan.title)
        replace = release_folder and bare_file and differs
        if outer.title and (not scan.title or not scan.title_first or replace):
            scan.title, scan.title_first = outer.title, True
        if scan.season is None and outer.season is not None:
            scan.season = outer.season
        if not scan.episodes:
            scan.episodes = outer.episodes
        scan.year = scan.year or outer.year
        for attr in ("resolution", "video_codec", "source"):
            if getattr(scan, attr) is None:
                setattr(scan, attr, getattr(outer, attr))
        if scan.title and scan.season is not None and scan.source:
            return


def parse_release(name: str) -> Release:
    """Read a release name, or a path whose folders fill what the file name lacks."""
    parts = [p for p in PATH_SEPARATOR.split(name[:MAX_LENGTH]) if p.strip()]
    filename = parts.pop() if parts else ""
    extension, stem = _split_extension(filename)
    if OBFUSCATED.match(stem) and parts:  # "Show.S01E01.720p-GRP/c48db7d2aeb040e8.mkv"
        stem = parts.pop()
    scan = _scan(stem)
    if stem.isdecimal() and len(stem) <= 4:  # "Show/Season 2/01.mkv"
        scan.episodes, scan.title = (int(stem),), ""
    if parts:
        _fill_from_folders(scan, parts)
    group = scan.leading_group
    if (
        (m := GROUP_AT_END.search(stem))
        and m.start(1) >= scan.title_end
        and not _inside(m.span(1), scan.spans)
        and not m.group(1).isdecimal()  # "[Group] Title - 07 [720p]": 07 is the episode
    ):
        group = m.group(1)
    season = scan.seasons[0] if scan.seasons and not scan.episodes else scan.season
    seasons = scan.seasons or ((season,) if season is not None else ())
    return Release(
        name=name,
        title=scan.title,
        year=scan.year,
        season=season,
        episodes=scan.episodes,
        complete_season=season is not None and not scan.episodes,
        seasons=seasons,
        resolution=scan.resolution,
        video_codec=scan.video_codec,
        source=scan.source,
        hdr=scan.hdr,
        audio=scan.audio,
        french_variant=scan.french_variant,
        release_group=group,
        extension=extension,
        dangerous=extension in DANGEROUS_EXTENSIONS,
        micro_dubbed=any(m.start() >= scan.title_end for m in tags.MICRO_DUB.finditer(stem)),
        proper=scan.proper,
        country=scan.country,
        three_d=bool(THREE_D.search(stem)),
        disc=bool(DISC.search(stem)) and "remux" not in stem.lower(),  # a remux is a file
    )
