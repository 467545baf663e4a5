"""Season and episode numbers in release names: SxxEyy, 1x02, ranges, anime absolutes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .tags import word

_V = r"(?:[vV]\d|[a-d](?![A-Za-z]))?"  # a version or part suffix: 01v2, E22c
SXXEXX = word(
    r"[ST](\d{1,4})[ ._]?(?:-[ ._]?)?[xX]?E[ ._]?(\d{1,4})" + _V
    + r"((?:(?:[ ._]?(?:-|\+|&|and|et)[ ._]?|[ ._]?)(?:S\d{1,4}[ ._]?)?E[ ._]?\d{1,4}" + _V
    + r"|[ ._]?[-+][ ._]?\d{1,4}" + _V + r"(?![\dpi]))*)"
)  # fmt: skip
NXN = word(
    r"(\d{1,2}|(?:19|20)\d{2})[x×](\d{1,3})" + _V
    + r"((?:(?:[ ._]?-[ ._]?|[ ._])\d{1,2}[x×]\d{1,3}|[-x×]\d{1,3}(?![\dpi]))*)"
)  # fmt: skip
_MORE_SEASONS = (
    r"(?:[._]?[-:][._ ]?|[ ._]?(?:&|to|à|\+|and|et)[ ._]?|[ ,._]{1,3})"
    r"(?:S|Seasons?[ ._])?\d{1,2}(?![\dpi])"
)
SEASON = word(
    r"(?:Seasons?|Saisons?|Temporadas?|Temp|Tem|Stagione|Staffel|Seizoen|Сезон|Sezon|Säsong|Sn)"
    r"[ ._]?(\d{1,2}|[IVX]{1,4}(?=[ ._]))(?:of\d{1,2})?"
    r"((?:" + _MORE_SEASONS + r")*)"
)
SHORT_SEASON = word(
    r"S(\d{1,2})(?:of\d{1,2}|D\d{1,2}(?:-\d{1,2})?(?:&\d{1,2})*|xAll|Extras?)?"
    r"((?:[ ._]?[-&+][ ._]?S\d{1,2}|-{1,2}S?\d{1,2}(?![\dpi]))*)"
)
EPISODE = word(
    r"(Ep|Eps|E|Episodes?|Épisodes?|Episodio|Capitulo|Cap|Folge|Aflevering|Episodul|Серии|Серия"
    r"|Эпизод|Odcinek|Avsnitt)"
    r"[ ._]?\.?[ ._]?(\d{1,4})" + _V + r"(?:(?:[ ._]?-[ ._]?|[ ._]?to[ ._]?|_)(\d{1,4})" + _V + ")?"
)
ORDINAL_SEASON = word(
    r"(\d{1,2})(st|nd|rd|th| th|ª|º|°|a\.?|\.|-й|-го)?[ ._]*(?:Season|Temporada|Staffel|сезон|évad)"
)
EPISODE_AFTER = word(r"(\d{1,4})(?:-я|\.)?[ ._]*(?:серия|серии|rész|Bölüm|Bolum)")
_ORDINAL_WORDS = ("season", "temporada", "staffel", "сезон", "évad")
OF_COUNT = word(r"(\d{1,3})[ ._]?of[ ._]?\d{1,3}")
CJK_EPISODE = re.compile(r"第([0-9]{1,4}|[一二三四五六七八九十百]{1,5})[話话集]")
CJK_SEASON = re.compile(
    r"第([0-9]{1,2}|[一二三四五六七八九十]{1,3})季|シーズン([0-9]{1,2})|([0-9]{1,2})期"
)
ABSOLUTE = re.compile(
    r"(?:^|[ ._])-[ ._]{0,3}(\d{1,4})" + _V + r"(?:-(\d{1,4})" + _V + r")?(?=[ ._\[\(]|$)"
)
BRACKET_NUMBER = re.compile(r"\[(\d{1,4})" + _V + r"\]")
BARE_NUMBER = re.compile(
    r"(?<![A-Za-z0-9])(?<!\d\.)(\d{1,4})"
    + _V
    + r"(?:-(\d{1,4}))?(?![A-Za-z0-9])(?!\.\d{1,2}(?![\dpi]))"
)
LEADING_NUMBER = re.compile(r"^(\d{1,3})(?:-(\d{1,3}))?(\.\s+|\s*-\s*|[ ._](?=[^\d\s]))")
_CJK_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
_ROMAN = {"I": 1, "V": 5, "X": 10}
MAX_RANGE = 200


@dataclass(slots=True)
class Numbering:
    """What a name says about seasons and episodes, and where it says it."""

    season: int | None = None
    seasons: tuple[int, ...] = ()
    episodes: tuple[int, ...] = ()
    spans: list[tuple[int, int]] = field(default_factory=list)


def _continue(first: int, rest: str) -> tuple[int, ...]:
    """``E01`` then ``E02E03`` / ``-03`` (a range) / ``& S01E04``; a far jump ends the list."""
    found = [first]
    for sep, num in re.findall(
        r"([ ._]?(?:-|\+|&|and|et)?[ ._]?)(?:S\d{1,4}[ ._]?)?E?[ ._]?(\d{1,4})", rest
    ):
        value = int(num)
        if value <= found[-1] or value - found[-1] > MAX_RANGE:
            break
        if "-" in sep:
            found.extend(range(found[-1] + 1, value + 1))
        else:
            found.append(value)
    return tuple(found)


def span_range(first: int, last: int | None) -> tuple[int, ...]:
    """``first``..``last`` when that is a plausible range, else just ``first``."""
    if last is None or not 0 < last - first <= MAX_RANGE:
        return (first,)
    return tuple(range(first, last + 1))


def cjk_number(text: str) -> int:
    """Arabic or Chinese numerals up to 999 (十一 = 11, 二十三 = 23)."""
    if text.isdecimal():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char == "百":
            total, current = total + (current or 1) * 100, 0
        elif char == "十":
            total, current = total + (current or 1) * 10, 0
        else:
            current = _CJK_DIGITS[char]
    return total + current


def _roman(text: str) -> int:
    values = [_ROMAN[c] for c in text.upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def read_numbering(text: str, start: int) -> Numbering:
    """Seasons and episodes from their explicit marks (bare numbers are the caller's)."""
    found = Numbering()
    if m := SXXEXX.search(text, start):
        found.season = int(m.group(1))
        found.episodes = _continue(int(m.group(2)), m.group(3))
        found.spans.append(m.span())
    elif m := NXN.search(text, start):
        found.season = int(m.group(1))
        found.episodes = _continue(
            int(m.group(2)), re.sub(r"\d{1,2}[x×]", "E", m.group(3)).replace("x", "-")
        )
        found.spans.append(m.span())
    lower, ascii_only = text.lower(), text.isascii()
    ordinal = None
    if found.season is None and any(word in lower for word in _ORDINAL_WORDS):
        ordinal = ORDINAL_SEASON.search(text, start)
    keyword = SEASON.search(text, start) if found.season is None else None
    if ordinal and (ordinal.group(2) or not keyword):  # "2nd Season 24", "3 Temporada"
        found.season = int(ordinal.group(1))
        found.spans.append(ordinal.span())
    if found.season is None and (m := keyword or SHORT_SEASON.search(text, start)):
        first = m.group(1)
        found.season = int(first) if first.isdecimal() else _roman(first)
        more = [int(n) for n in re.findall(r"\d{1,2}", m.group(2))]
        if more:
            ranged = any(c in m.group(2).lower() for c in ("-", ":", "to"))
            found.seasons = span_range(found.season, more[-1]) if ranged else (found.season, *more)
        found.spans.append(m.span())
    if found.season is None and not ascii_only and (m := CJK_SEASON.search(text, start)):
        found.season = cjk_number(next(g for g in m.groups() if g))
        found.spans.append(m.span())
    if not found.episodes:
        _read_episode(text, start, found, lower, ascii_only)
    return found


def _read_episode(text: str, start: int, found: Numbering, lower: str, ascii_only: bool) -> None:
    if m := EPISODE.search(text, start):
        first, last = int(m.group(2)), int(m.group(3)) if m.group(3) else None
        if m.group(1).lower() == "cap" and first >= 100:  # Spanish "Cap.102" = 1x02
            found.season = found.season or first // 100
            first, last = first % 100, last % 100 if last else None
        found.episodes = span_range(first, last)
        found.spans.append(m.span())
    elif ((not ascii_only or "bolum" in lower) and (m := EPISODE_AFTER.search(text, start))) or (
        "of" in lower and (m := OF_COUNT.search(text, start))
    ):
        found.episodes = (int(m.group(1)),)
        found.spans.append(m.span())
    elif not ascii_only and (m := CJK_EPISODE.search(text, start)):
        found.episodes = (cjk_number(m.group(1)),)
        found.spans.append(m.span())


def leading_episode(text: str) -> tuple[tuple[int, ...], int] | None:
    """``03-Title``, ``01 - Title``, ``003. Title``: episodes first, then the title (its start)."""
    m = LEADING_NUMBER.match(text)
    if m is None or not (m.group(1)[0] == "0" or "-" in m.group(3) or ". " in m.group(3)):
        return None
    last = int(m.group(2)) if m.group(2) else None
    return span_range(int(m.group(1)), last), m.end()
