"""The library's health, deterministic: findings by severity, a score and its trend, and the
recommendations the findings call for, in the engine's order.

Score: each item counts its worst finding — critical 1, important 0.4, minor 0.1 —, each
season with missing episodes counts 0.4, and
``score = round(100 * (1 - sum / items))``, kept within 0..100 (no items: 100)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .selection import Reason

Severity = Literal["critical", "important", "minor"]
Kind = Literal["upgrade", "download", "follow", "fix", "delete"]
WEIGHTS: dict[str, float] = {"critical": 1.0, "important": 0.4, "minor": 0.1}
SEVERITIES: tuple[Severity, ...] = ("critical", "important", "minor")
SD = frozenset({"480p", "576p", "sd", "SD"})
OBSOLETE_CODECS = frozenset(
    {"mpeg2video", "mpeg2", "mpeg4", "msmpeg4", "msmpeg4v3", "divx", "xvid", "vc1", "wmv3"}
)
# Kbit/s under which a file of that resolution looks starved (a fifth of a common rate).
LOW_BITRATE = {"720p": 1000, "1080p": 2000, "2160p": 6000}
TYPES = ("full", "quality", "upgrades", "collections", "missing")


@dataclass(frozen=True, slots=True)
class Item:
    """What the health check needs to know of one library item (from its profile)."""

    key: str
    title: str
    media_type: str = "movie"
    resolution: str | None = None
    video_codec: str | None = None
    bitrate: int | None = None  # kbit/s
    audio_class: str = "VO"
    subtitles: tuple[str, ...] = ()
    size: int = 1
    versions: int = 1
    reachable: bool = True  # False: the file is gone or cannot be read
    show: str | None = None  # an episode's show and numbers
    season: int | None = None
    episode: int | None = None


@dataclass(frozen=True, slots=True)
class Household:
    """What the household wants: its language and whether an HEVC rule is on."""

    language: str = "MULTI"
    hevc_rule: bool = True


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: its id (for the model and the user), severity, code and target."""

    id: str
    severity: Severity
    code: str
    target: str  # a rating key, or ``show:season`` for missing episodes
    title: str
    text: Reason
    kind: Kind


@dataclass(frozen=True, slots=True)
class Opportunity:
    """Upgrades found for one rule."""

    rule: str
    count: int
    best: tuple[str, ...]  # candidate ids, largest gain first


@dataclass(frozen=True, slots=True)
class Health:
    """A deterministic report: score, trend, findings, opportunities and the default order
    of the recommendations (finding ids, most urgent first)."""

    score: int
    trend: int | None
    findings: tuple[Finding, ...]
    opportunities: tuple[Opportunity, ...] = ()
    order: tuple[str, ...] = field(default_factory=tuple)
    items: int = 0

    def counts(self) -> dict[str, int]:
        """How many findings of each severity."""
        counted: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings:
            counted[finding.severity] += 1
        return counted


# code → severity, the kind of recommendation it calls for, its words in English and French.
TEXTS: dict[str, tuple[Severity, Kind, str, str]] = {
    "file_gone": (
        "critical",
        "fix",
        "the file is gone or unreadable",
        "le fichier a disparu ou est illisible",
    ),
    "empty_file": (
        "critical",
        "fix",
        "the file is empty (0 bytes)",
        "le fichier est vide (0 octet)",
    ),
    "probe_failed": (
        "critical",
        "fix",
        "its video cannot be read",
        "sa vidéo ne peut pas être lue",
    ),
    "vostfr": (
        "important",
        "upgrade",
        "VOSTFR where the household wants {language}",
        "VOSTFR alors que le foyer veut du {language}",
    ),
    "sd": (
        "important",
        "upgrade",
        "standard definition ({resolution})",
        "définition standard ({resolution})",
    ),
    "obsolete_codec": (
        "important",
        "upgrade",
        "obsolete codec ({codec})",
        "codec obsolète ({codec})",
    ),
    "low_bitrate": (
        "important",
        "upgrade",
        "{bitrate} kbit/s is low for {resolution}",
        "{bitrate} kbit/s, c'est peu pour du {resolution}",
    ),
    "x264": (
        "minor",
        "upgrade",
        "x264 where an HEVC rule exists",
        "x264 alors qu'une règle HEVC existe",
    ),
    "no_french_subtitles": (
        "minor",
        "upgrade",
        "original version without French subtitles",
        "VO sans sous-titres français",
    ),
    "versions": (
        "minor",
        "delete",
        "{versions} versions of one item",
        "{versions} versions du même élément",
    ),
}


def _codes(item: Item, household: Household) -> list[str]:
    """The codes of an item's findings; a critical one hides the rest."""
    if not item.reachable:
        return ["file_gone"]
    if item.size == 0:
        return ["empty_file"]
    if item.resolution is None and item.video_codec is None:
        return ["probe_failed"]
    codec = (item.video_codec or "").lower()
    floor = LOW_BITRATE.get(item.resolution or "")
    checks = {
        "vostfr": item.audio_class == "VOSTFR" and household.language in ("MULTI", "VF"),
        "sd": item.resolution in SD,
        "obsolete_codec": codec in OBSOLETE_CODECS,
        "low_bitrate": bool(floor and item.bitrate and item.bitrate < floor),
        "x264": codec in ("h264", "x264", "avc") and household.hevc_rule,
        "no_french_subtitles": item.audio_class == "VO"
        and not {"fra", "fre", "fr"} & set(item.subtitles),
        "versions": item.versions > 1,
    }
    return [code for code, found in checks.items() if found]


def item_findings(item: Item, household: Household) -> list[Finding]:
    """Every finding of one item, the most severe first."""
    words = {
        "language": household.language,
        "resolution": item.resolution,
        "codec": (item.video_codec or "").lower(),
        "bitrate": item.bitrate,
        "versions": item.versions,
    }
    found = []
    for code in _codes(item, household):
        severity, kind, en, fr = TEXTS[code]
        text = Reason(code, en.format(**words), fr.format(**words))
        found.append(
            Finding(f"{code}:{item.key}", severity, code, item.key, item.title, text, kind)
        )
    return found


def missing_episodes(items: Iterable[Item]) -> list[Finding]:
    """Seasons present in the library with episodes missing before their last one."""
    seasons: dict[tuple[str, int], set[int]] = defaultdict(set)
    for item in items:
        if item.show is not None and item.season and item.episode:
            seasons[(item.show, item.season)].add(item.episode)
    found = []
    for (show, season), present in sorted(seasons.items()):
        gaps = sorted(set(range(1, max(present) + 1)) - present)
        if gaps:
            listed = ", ".join(f"E{n:02d}" for n in gaps[:10]) + ("…" if len(gaps) > 10 else "")
            found.append(
                Finding(
                    f"missing:{show}:{season}",
                    "important",
                    "missing_episodes",
                    f"{show}:{season}",
                    f"{show} S{season:02d}",
                    Reason(
                        "missing_episodes",
                        f"{len(gaps)} episode(s) missing: {listed}",
                        f"{len(gaps)} épisode(s) manquant(s) : {listed}",
                    ),
                    "download",
                )
            )
    return found


CODES_BY_TYPE: dict[str, frozenset[str] | None] = {
    "full": None,
    "quality": frozenset(TEXTS),  # every finding of an item
    "upgrades": frozenset(),
    "collections": frozenset(),
    "missing": frozenset({"missing_episodes"}),
}


def assess(
    items: Sequence[Item],
    household: Household,
    opportunities: Sequence[Opportunity] = (),
    previous: int | None = None,
    kind: str = "full",
) -> Health:
    """Findings, score (see the module), trend against ``previous`` and the default order;
    ``kind`` keeps the findings of one part (the score is always the whole library's)."""
    per_item = [item_findings(item, household) for item in items]
    missing = missing_episodes(items)
    burden = sum(WEIGHTS[found[0].severity] for found in per_item if found)
    burden += WEIGHTS["important"] * len(missing)
    score = 100 if not items else max(0, min(100, round(100 * (1 - burden / len(items)))))
    findings = [f for found in per_item for f in found] + missing
    codes = CODES_BY_TYPE.get(kind)
    if codes is not None:
        findings = [f for f in findings if f.code in codes]
    rank = {severity: i for i, severity in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: (rank[f.severity], f.code, f.title, f.id))
    return Health(
        score,
        None if previous is None else score - previous,
        tuple(findings),
        tuple(opportunities) if kind in ("full", "upgrades") else (),
        tuple(f.id for f in findings),
        len(items),
    )


@dataclass(frozen=True, slots=True)
class Incomplete:
    """A collection the library holds part of, with its released movies it lacks."""

    collection: int
    name: str
    have: tuple[str, ...]
    missing: tuple[tuple[int, str, int | None], ...]  # TMDB id, title, year


def incomplete_collections(
    owned: set[int],
    collections: Iterable[tuple[int, str, Sequence[Sequence[Any]]]],
    today: str,
) -> list[Incomplete]:
    """Collections (id, name, parts as [TMDB id, title, release date]) of which the library
    holds at least one movie and lacks a released one (``today``: ``YYYY-MM-DD``)."""
    found = []
    for collection, name, parts in collections:
        have = tuple(str(title) for tmdb_id, title, _ in parts if tmdb_id in owned)
        missing = tuple(
            (int(tmdb_id), str(title), int(str(date)[:4]))
            for tmdb_id, title, date in parts
            if tmdb_id not in owned and date and str(date) <= today
        )
        if have and missing:
            found.append(Incomplete(collection, name, have, missing))
    return sorted(found, key=lambda c: c.name)
