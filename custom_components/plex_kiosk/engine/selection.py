"""Candidate selection: hard filters, scores, a ranking with reasons (English and French)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal

from .quality import BAD_SOURCES, Preferences, ReleaseScore, score_release
from .release import Release, parse_release

Kind = Literal["episode", "season", "movie"]
PRE_AIR_MARGIN = timedelta(hours=1)
DEFAULT_RUNTIME = {"episode": 45, "season": 45, "movie": 120}
# Plausible megabytes per minute of video, by resolution (lowest, highest).
MB_PER_MINUTE = {
    "480p": (2, 60), "576p": (2, 60), "720p": (4, 120), "1080p": (7, 350), "2160p": (14, 1000),
    None: (2, 1000),
}  # fmt: skip
_NON_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Reason:
    """Why something was decided, in plain words: English and French, and a code."""

    code: str
    en: str
    fr: str

    def text(self, language: str) -> str:
        """In French for ``fr…``, else in English."""
        return self.fr if language.startswith("fr") else self.en


@dataclass(frozen=True, slots=True)
class Candidate:
    """A release an indexer offers."""

    name: str
    seeders: int | None = 0  # None: the indexer does not say
    size: int = 0
    infohash: str | None = None
    published: datetime | None = None
    indexer: str | None = None
    freeleech: bool = False  # downloading it costs no ratio on its tracker
    seed_ratio: float | None = None  # the tracker asks to seed to this ratio…
    seed_hours: float | None = None  # …or for this long
    ids: Mapping[str, str] = field(
        default_factory=dict, hash=False
    )  # the show's or movie's, as filed


@dataclass(frozen=True, slots=True)
class Wanted:
    """What is searched: an episode, a season or a movie, with every title it goes by."""

    titles: tuple[str, ...]
    kind: Kind = "episode"
    season: int | None = None
    episode: int | None = None
    absolute: int | None = None
    year: int | None = None
    air_time: datetime | None = None
    runtime: int | None = None
    season_aired: bool = False  # every episode of the wanted episode's season has aired
    country: str | None = None  # where the show comes from (US, UK…), for national versions
    owns_bare_title: bool = True  # False: an earlier show has the same title (see _other_show)
    ids: Mapping[str, str] = field(default_factory=dict, hash=False)  # imdb, tvdb, tmdb, tvmaze…


@dataclass(frozen=True, slots=True)
class Ranked:
    """One candidate as the engine sees it."""

    candidate: Candidate
    release: Release
    score: ReleaseScore
    rejected: Reason | None = None
    rank: int | None = None
    reasons: tuple[Reason, ...] = ()

    def reason(self, language: str = "en") -> str | None:
        """Why it lost, or where it ranks, in French for ``fr…``, else in English."""
        said = self.rejected or (self.reasons[0] if self.reasons else None)
        return said.text(language) if said else None


@dataclass(frozen=True, slots=True)
class Opinion:
    """A re-ranker's answer: survivor names best first (None: it only advises, the engine
    decides) and why, in the user's language."""

    order: tuple[str, ...] | None
    reason: str


@dataclass(frozen=True, slots=True)
class Decision:
    """Every candidate, survivors first in rank order; ``chosen`` is rank 1 or None.
    ``reranked_by`` names the re-ranker when its order was used; ``advice`` is what it said,
    whether its order was used or not."""

    ranked: tuple[Ranked, ...]
    reranked_by: str | None = None
    notes: tuple[Reason, ...] = field(default_factory=tuple)
    advice: str | None = None

    @property
    def chosen(self) -> Ranked | None:
        """The best survivor."""
        return self.ranked[0] if self.ranked and self.ranked[0].rejected is None else None

    @property
    def survivors(self) -> tuple[Ranked, ...]:
        """Candidates that passed every filter, best first."""
        return tuple(r for r in self.ranked if r.rejected is None)


@dataclass(frozen=True, slots=True)
class Ranking:
    """The engine's verdict before the final order: the survivors in the engine's order, the
    rejected with their reason. A re-ranker may reorder the survivors (see :func:`decide`)."""

    survivors: tuple[Ranked, ...]
    rejected: tuple[Ranked, ...]


@functools.lru_cache(maxsize=8192)  # a library's titles are compared again and again
def normalize_title(title: str) -> str:
    """Accents, case, punctuation and ``&``/``and``/``et`` folded; a leading article dropped."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    text = " ".join(_NON_WORD.sub(" ", text.replace("&", " and ")).split())
    text = re.sub(r"\b(?:and|et)\b", "and", text)
    return re.sub(r"^(?:the|le|la|les|l) ", "", text)


def _reason(code: str, en: str, fr: str) -> Reason:
    return Reason(code, en, fr)


def _title_ok(release: Release, wanted: Wanted) -> bool:
    title = normalize_title(release.title)
    return any(title == normalize_title(alias) for alias in wanted.titles)


def _numbering_problem(release: Release, wanted: Wanted) -> Reason | None:
    if wanted.kind == "movie":
        if release.episodes or release.seasons:
            return _reason("not_a_movie", "an episode, not the movie", "un épisode, pas le film")
        if wanted.year and release.year and abs(release.year - wanted.year) > 1:
            return _reason(
                "wrong_year",
                f"year {release.year}, not {wanted.year}",
                f"année {release.year}, pas {wanted.year}",
            )
        return None
    if wanted.kind == "season":
        if wanted.season not in release.seasons or release.episodes:
            return _reason("wrong_season", "not the whole season", "pas la saison complète")
        return None
    if release.season is None and wanted.absolute in release.episodes:
        return None  # anime absolute numbering
    if release.season is not None and release.season != wanted.season:
        return _reason(
            "wrong_season",
            f"season {release.season}, not {wanted.season}",
            f"saison {release.season}, pas {wanted.season}",
        )
    if release.complete_season:
        return None  # a season pack holds the episode
    if wanted.episode not in release.episodes:
        got = ", ".join(map(str, release.episodes)) or "?"
        return _reason(
            "wrong_episode",
            f"episode {got}, not {wanted.episode}",
            f"épisode {got}, pas {wanted.episode}",
        )
    return None


def _id_number(value: str) -> int:
    """``tt0903747``, ``0903747`` and ``903747`` are one id; 0 (an indexer's unknown) is none."""
    digits = "".join(c for c in value if c.isdigit())
    return int(digits) if digits else 0


def _filed_elsewhere(candidate: Candidate, wanted: Wanted) -> Reason | None:
    """The indexer files the release under another show or movie: an id it carries is not
    ours (ids it does not carry, or that we do not know, say nothing)."""
    for key, value in candidate.ids.items():
        theirs, ours = _id_number(value), _id_number(wanted.ids.get(key, ""))
        if theirs and ours and theirs != ours:
            return _reason(
                "other_show",
                f"filed under another {key} id ({theirs}, not {ours})",
                f"classée sous un autre identifiant {key} ({theirs}, pas {ours})",
            )
    return None


def _other_show(release: Release, wanted: Wanted) -> Reason | None:
    """Another show of the same title (a remake, a national version). A year or a country in
    the name must be the followed show's (a year within one of its premiere); a name with
    neither belongs to the earliest show of the title (scene naming qualifies the later
    ones: Doctor.Who.2005, Shameless.US), so a later show accepts only qualified names."""
    if wanted.kind == "movie" or (release.season is None and not release.episodes):
        return None  # movies have their year check; dated daily shows carry air years
    if release.year and wanted.year and abs(release.year - wanted.year) > 1:
        return _reason(
            "other_show",
            f"the {release.year} show, not the {wanted.year} one",
            f"la série de {release.year}, pas celle de {wanted.year}",
        )
    if release.country and wanted.country and release.country != wanted.country:
        return _reason(
            "other_show",
            f"the {release.country} version, not the {wanted.country} one",
            f"la version {release.country}, pas la version {wanted.country}",
        )
    if not (release.year or release.country or wanted.owns_bare_title):
        return _reason(
            "other_show",
            "a bare title that names an earlier show of the same title",
            "un titre nu qui désigne une série plus ancienne du même nom",
        )
    return None


def _pack_problem(release: Release, wanted: Wanted, preferences: Preferences) -> Reason | None:
    """A season pack for one episode: only when the whole season has aired (else it claims
    episodes that do not exist yet) and the options welcome packs."""
    if wanted.kind != "episode" or not release.complete_season:
        return None
    if not wanted.season_aired:
        return _reason(
            "pack_not_aired",
            "a season pack while the season is still airing",
            "un pack de saison alors que la saison est encore diffusée",
        )
    if not preferences.season_packs:
        return _reason(
            "pack_not_wanted",
            "a season pack (not wanted in the options)",
            "un pack de saison (non souhaité dans les options)",
        )
    return None


def _size_problem(candidate: Candidate, release: Release, wanted: Wanted) -> Reason | None:
    if candidate.size <= 0:
        return None
    minutes = wanted.runtime or DEFAULT_RUNTIME[wanted.kind]
    single = wanted.kind != "season" and not release.complete_season  # a pack: any size
    low, high = MB_PER_MINUTE[release.resolution]
    megabytes = candidate.size / 1_000_000
    if megabytes < low * minutes:
        return _reason(
            "too_small",
            f"{megabytes:.0f} MB is too small for {release.resolution or 'this'}",
            f"{megabytes:.0f} Mo, trop petit pour du {release.resolution or 'ce format'}",
        )
    if single and megabytes > high * minutes:
        return _reason(
            "too_big",
            f"{megabytes:.0f} MB is implausibly big",
            f"{megabytes:.0f} Mo, taille invraisemblable",
        )
    return None


def _filter(
    ranked: Ranked, wanted: Wanted, preferences: Preferences, blocklist: frozenset[str]
) -> Reason | None:
    """The first hard filter a candidate fails, if any."""
    release, candidate = ranked.release, ranked.candidate
    if not _title_ok(release, wanted):
        return _reason(
            "wrong_title",
            f"title “{release.title}” is not the one wanted",
            f"titre « {release.title} » différent",
        )
    if problem := (
        _filed_elsewhere(candidate, wanted)
        or _other_show(release, wanted)
        or _numbering_problem(release, wanted)
        or _pack_problem(release, wanted, preferences)
    ):
        return problem
    if release.dangerous:
        return _reason(
            "dangerous",
            "holds an executable or an archive",
            "contient un exécutable ou une archive",
        )
    if candidate.infohash and candidate.infohash.lower() in blocklist:
        return _reason("blocklisted", "blocklisted", "sur liste noire")
    if not preferences.allow_bad_sources and release.source in BAD_SOURCES:
        return _reason(
            "bad_source", f"bad source ({release.source})", f"mauvaise source ({release.source})"
        )
    if release.disc and not preferences.allow_discs:
        return _reason(
            "disc",
            "a whole Blu-ray disc, not a video file",
            "un disque Blu-ray entier, pas un fichier",
        )
    if release.three_d and not preferences.allow_3d:
        return _reason("three_d", "a 3D release", "une release 3D")
    if not preferences.allow_bad_sources and release.micro_dubbed:
        return _reason("micro_dubbed", "micro-dubbed (MD)", "doublage micro (MD)")
    if candidate.seeders is not None and candidate.seeders < preferences.min_seeders:
        return _reason(
            "few_seeders",
            f"{candidate.seeders} seeders < {preferences.min_seeders}",
            f"{candidate.seeders} seeders < {preferences.min_seeders}",
        )
    if problem := _size_problem(candidate, release, wanted):
        return problem
    if (
        wanted.air_time
        and candidate.published
        and candidate.published < wanted.air_time - PRE_AIR_MARGIN
    ):
        return _reason(
            "pre_air",
            "published before the episode aired (a fake)",
            "publié avant la diffusion (un faux)",
        )
    if ranked.score.total < preferences.min_score:
        return _reason(
            "low_score",
            f"score {ranked.score.total} < {preferences.min_score}",
            f"score {ranked.score.total} < {preferences.min_score}",
        )
    return None


def _dub_note(release: Release, preferences: Preferences, language: str) -> str:
    """Which French dub a release has, said when the household prefers one."""
    dub = release.french_variant if release.french_variant in ("VFF", "VFQ") else None
    dub = dub or (release.audio if release.audio in ("VFF", "VFQ") else None)
    if dub is None or preferences.dub == "either":
        return ""
    if dub == preferences.dub:
        return (
            f", {dub}: the preferred dub" if language == "en" else f", {dub} : le doublage préféré"
        )
    return (
        f", {dub}: not the preferred {preferences.dub}"
        if language == "en"
        else f", {dub} : pas le {preferences.dub} préféré"
    )


def _tracker_note(candidate: Candidate, language: str) -> str:
    """Freeleech, and what the tracker asks to seed, as the user should know it."""
    en = language == "en"
    note = (", freeleech" if en else ", freeleech (hors ratio)") if candidate.freeleech else ""
    rules = []
    if candidate.seed_ratio is not None:
        rules.append(f"ratio {candidate.seed_ratio:g}")
    if candidate.seed_hours is not None:
        rules.append(f"{candidate.seed_hours:g} h")
    if rules:
        joined = (" or " if en else " ou ").join(rules)
        note += f", seed to {joined}" if en else f", à partager jusqu'à {joined}"
    return note


def _sort_key(ranked: Ranked) -> tuple[int, int, int, int, int, int]:
    release = ranked.release
    return (
        -ranked.score.total,
        int(release.complete_season),  # at equal score, the exact episode
        -int(release.proper),
        -int(ranked.candidate.freeleech),  # then what costs no ratio
        -(ranked.candidate.seeders or 0),
        ranked.candidate.size,
    )


def rank(
    candidates: Sequence[Candidate],
    wanted: Wanted,
    preferences: Preferences,
    *,
    blocklist: frozenset[str] = frozenset(),
) -> Ranking:
    """Filter and score every candidate; the survivors in the engine's order."""
    scored = []
    for candidate in candidates:
        release = parse_release(candidate.name)
        ranked = Ranked(candidate, release, score_release(release, candidate.seeders, preferences))
        scored.append(replace(ranked, rejected=_filter(ranked, wanted, preferences, blocklist)))
    return Ranking(
        tuple(sorted((r for r in scored if r.rejected is None), key=_sort_key)),
        tuple(r for r in scored if r.rejected is not None),
    )


def decide(
    ranking: Ranking,
    preferences: Preferences,
    order: Sequence[str] | None = None,
    decided_by: str | None = None,
) -> Decision:
    """The final order, ranks and reasons: the engine's, or ``order`` (survivor names, best
    first) given by ``decided_by`` when it is a valid one — a re-ranker reorders survivors,
    it never revives a rejected release; survivors it leaves out follow in the engine's
    order. An invalid order is ignored, and said."""
    survivors = list(ranking.survivors)
    notes: tuple[Reason, ...] = ()
    used = None
    if decided_by is not None:
        by_name = {r.candidate.name: r for r in survivors}
        if order and set(order) <= set(by_name) and len(set(order)) == len(order):
            picked = [by_name[name] for name in order]
            survivors = picked + [r for r in survivors if r.candidate.name not in set(order)]
            used = decided_by
        else:
            notes = (
                _reason(
                    "rerank_ignored",
                    "the re-ranker's answer was not a valid order; the engine's ranking stands",
                    "réponse du re-classement invalide ; le classement du moteur est conservé",
                ),
            )
    ordered = [
        replace(
            r,
            rank=i,
            reasons=(
                _reason(
                    "ranked",
                    f"rank {i}, score {r.score.total}{_dub_note(r.release, preferences, 'en')}"
                    + _tracker_note(r.candidate, "en"),
                    f"rang {i}, score {r.score.total}{_dub_note(r.release, preferences, 'fr')}"
                    + _tracker_note(r.candidate, "fr"),
                ),
            ),
        )
        for i, r in enumerate(survivors, start=1)
    ]
    return Decision(tuple(ordered) + ranking.rejected, reranked_by=used, notes=notes)


def select(
    candidates: Sequence[Candidate],
    wanted: Wanted,
    preferences: Preferences,
    *,
    blocklist: frozenset[str] = frozenset(),
) -> Decision:
    """Filter, score and rank, in the engine's order alone."""
    return decide(rank(candidates, wanted, preferences, blocklist=blocklist), preferences)
