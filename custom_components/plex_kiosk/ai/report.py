"""Library reports (the PRD's feature 3, prompt 6.3): the engine's findings first, then the
model writes the summary and picks the first recommendations among the findings' ids; with
no model, or no usable answer, the engine's summary and order stand."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

from ..clients.tmdb import TMDBClient
from ..engine.health import (
    Health,
    Household,
    Incomplete,
    Item,
    Opportunity,
    assess,
    incomplete_collections,
)
from ..errors import ActionError
from ..models import (
    MAX_REPORTS,
    LibraryReport,
    MediaQualityProfile,
    Recommendation,
    RecommendationStatus,
    StoreData,
    UpgradeCandidate,
)
from .collections import read
from .llm import LLM
from .untrusted import RULE_FR, block

MAX_ISSUES = 100  # of each severity, kept in a report (the counts are whole)
MAX_RECOMMENDATIONS = 10
MODEL_POOL = 30  # recommendations the model chooses its top from
MAX_POOL = 200  # recommendations made at most (the findings' counts are whole)
MODEL_TOP = 5

SYSTEM = f"""Tu es l'agent d'analyse de la bibliothèque Plex d'un foyer.
Le moteur a déjà calculé le score de santé et les problèmes ; n'invente aucun chiffre ni
aucun titre. {RULE_FR}

## RÉPONSE (JSON strict, rien d'autre)
{{"summary": "3 phrases au plus : l'état de la bibliothèque et ce qu'il faut faire d'abord",
"top": ["id", "…"]}}  (top : au plus {MODEL_TOP} id de recommandations, la plus utile d'abord)"""


def item_of(profile: MediaQualityProfile, reachable: bool) -> Item:
    """A profile as the health check sees it."""
    episode = profile.media_type in ("episode", "series", "anime") and profile.season is not None
    if episode:
        title = f"{profile.title} S{profile.season:02d}E{profile.episode or 0:02d}"
    else:
        title = f"{profile.title} ({profile.year})" if profile.year else profile.title
    return Item(
        profile.rating_key,
        title,
        profile.media_type,
        profile.resolution,
        profile.video_codec,
        profile.bitrate,
        profile.audio_class,
        tuple(profile.subtitles),
        profile.size,
        profile.versions,
        reachable,
        profile.title if episode else None,  # an episode's title is its show's
        profile.season,
        profile.episode,
    )


def unreachable(files: dict[str, str], roots: Sequence[str]) -> set[str]:
    """Rating keys whose file is missing under a library root Home Assistant can see (runs
    in the executor; a file outside every visible root is not judged)."""
    visible = [root.rstrip("/") + "/" for root in roots if os.path.isdir(root)]
    return {
        key
        for key, path in files.items()
        if any(path.startswith(root) for root in visible) and not os.path.exists(path)
    }


def opportunities(candidates: Sequence[UpgradeCandidate]) -> list[Opportunity]:
    """Upgrades available, per rule, largest gain first."""
    by_rule: dict[str, list[UpgradeCandidate]] = {}
    for candidate in sorted(candidates, key=lambda c: -c.gain):
        by_rule.setdefault(candidate.rule_id, []).append(candidate)
    return [
        Opportunity(rule, len(found), tuple(c.id for c in found[:MODEL_TOP]))
        for rule, found in sorted(by_rule.items())
    ]


def recommendations(
    health: Health,
    candidates: dict[str, UpgradeCandidate],
    collections: Sequence[Incomplete],
    language: str,
) -> list[Recommendation]:
    """The engine's order, the first :data:`MAX_POOL`: critical fixes, the best upgrades
    found, important findings, the movies that complete a collection, minor findings."""

    def of(severity: str) -> Iterator[Recommendation]:
        return (
            Recommendation(
                f.id, 0, f.kind, f.target, f.title, f.text.text(language), f.severity, code=f.code
            )
            for f in health.findings
            if f.severity == severity
        )

    best = sorted(
        (candidates[cid] for o in health.opportunities for cid in o.best if cid in candidates),
        key=lambda c: -c.gain,
    )
    upgrades = (
        Recommendation(
            f"upgrade:{c.id}",
            0,
            "upgrade",
            c.id,
            c.title,
            f"+{c.gain}: {c.release_name}",
            "important",
            candidate_id=c.id,
            code="upgrade",
        )
        for c in best
    )
    french = language.startswith("fr")
    completing = (
        Recommendation(
            f"collection:{incomplete.collection}:{tmdb_id}",
            0,
            "download",
            f"tmdb:{tmdb_id}",
            f"{title} ({year})",
            f"complète « {incomplete.name} »" if french else f"completes “{incomplete.name}”",
            "minor",
            tmdb_id=tmdb_id,
            code="collection",
        )
        for incomplete in collections
        for tmdb_id, title, year in incomplete.missing
    )
    order = chain(of("critical"), upgrades, of("important"), completing, of("minor"))
    return list(islice(order, MAX_POOL))


def engine_summary(health: Health, language: str) -> str:
    """The summary without a model."""
    counts = health.counts()
    trend = "" if health.trend is None else f" ({health.trend:+d})"
    if language.startswith("fr"):
        return (
            f"Santé {health.score}/100{trend} sur {health.items} éléments : "
            f"{counts['critical']} critique(s), {counts['important']} important(s), "
            f"{counts['minor']} mineur(s)."
        )
    return (
        f"Health {health.score}/100{trend} over {health.items} items: "
        f"{counts['critical']} critical, {counts['important']} important, "
        f"{counts['minor']} minor."
    )


class Analyst:
    """Writes, keeps and numbers the library reports of one entry."""

    def __init__(
        self,
        data: StoreData,
        llm: LLM | None,
        *,
        household: Callable[[], Household],
        roots: Sequence[str],
        local_path: Callable[[str], Path],
        executor: Callable[..., Any],
        language: str,
        tmdb: TMDBClient | None = None,
    ) -> None:
        """``roots`` are the library folders Home Assistant sees; ``local_path`` turns a path
        Plex knows into one of them."""
        self.data = data
        self.llm = llm
        self.household = household
        self.roots = list(roots)
        self.local_path = local_path
        self.executor = executor
        self.language = language
        self.tmdb = tmdb

    def latest(self) -> LibraryReport | None:
        """The newest report."""
        return self.data.reports[-1] if self.data.reports else None

    def report(self, report_id: str | None) -> LibraryReport:
        """A kept report (the newest when ``report_id`` is None)."""
        found = next((r for r in reversed(self.data.reports) if report_id in (None, r.id)), None)
        if found is None:
            raise ActionError("unknown_report", report=report_id or "")
        return found

    def recommendation(self, report_id: str | None, recommendation_id: str) -> Recommendation:
        """One recommendation of a kept report, still to be decided."""
        found = next(
            (r for r in self.report(report_id).recommendations if r.id == recommendation_id),
            None,
        )
        if found is None:
            raise ActionError("unknown_recommendation", recommendation=recommendation_id)
        if found.status in (RecommendationStatus.APPLIED, RecommendationStatus.DISMISSED):
            raise ActionError("recommendation_settled", status=found.status)
        return found

    async def analyse(self, kind: str, now: datetime) -> LibraryReport:
        """A new report of ``kind`` (full, quality, upgrades, collections, missing), kept."""
        profiles = list(self.data.profiles.values())  # scans replace profiles, never edit
        available = {c.id: c for c in self.data.candidates.values() if c.status == "available"}
        collections, pending = await self._collections(kind, profiles, now)
        previous = self.latest()
        health, pool = await self.executor(  # 0.2 s for 10,000 items: off the event loop
            self._evaluate,
            profiles,
            available,
            collections,
            previous.health_score if previous else None,
            kind,
        )
        summary, order, model = engine_summary(health, self.language), None, None
        if self.llm is not None and pool:
            answer = await self._ask(health, pool)
            if answer is not None:
                summary, order, model = answer["summary"].strip(), answer["top"], self.llm.name
        if order:
            first = {r.id: r for r in pool}
            picked = [first[i] for i in dict.fromkeys(order)]
            pool = picked + [r for r in pool if r.id not in set(order)]
        chosen = pool[:MAX_RECOMMENDATIONS]
        for priority, recommendation in enumerate(chosen, start=1):
            recommendation.priority = priority
        report = LibraryReport(
            id=f"{now:%Y%m%d%H%M%S%f}-{kind}",  # two in the same second stay apart
            type=kind,
            at=now,
            health_score=health.score,
            trend=health.trend,
            items=health.items,
            issue_counts=health.counts(),
            issues={
                severity: [
                    {
                        "id": f.id,
                        "code": f.code,
                        "target": f.target,
                        "title": f.title,
                        "description": f.text.text(self.language),
                    }
                    for f in islice(
                        (f for f in health.findings if f.severity == severity), MAX_ISSUES
                    )
                ]
                for severity in ("critical", "important", "minor")
            },
            upgrade_opportunities=[
                {"rule": o.rule, "count": o.count, "best": list(o.best)}
                for o in health.opportunities
            ],
            incomplete_collections=[
                {
                    "collection": c.collection,
                    "name": c.name,
                    "have": list(c.have),
                    "missing": [{"tmdb_id": i, "title": t, "year": y} for i, t, y in c.missing],
                }
                for c in collections
            ],
            collections_pending=pending,
            recommendations=chosen,
            summary=summary,
            model=model,
        )
        self.data.reports.append(report)
        del self.data.reports[:-MAX_REPORTS]
        return report

    def _evaluate(
        self,
        profiles: Sequence[MediaQualityProfile],
        available: dict[str, UpgradeCandidate],
        collections: Sequence[Incomplete],
        previous: int | None,
        kind: str,
    ) -> tuple[Health, list[Recommendation]]:
        """Files checked on disk, findings, score and the engine's recommendations (runs in
        the executor)."""
        files = {p.rating_key: str(self.local_path(p.file)) for p in profiles if p.file}
        gone = unreachable(files, self.roots)
        health = assess(
            [item_of(p, p.rating_key not in gone) for p in profiles],
            self.household(),
            opportunities(list(available.values())),
            previous,
            kind,
        )
        return health, recommendations(health, available, collections, self.language)

    async def _collections(
        self, kind: str, profiles: Sequence[MediaQualityProfile], now: datetime
    ) -> tuple[list[Incomplete], int]:
        """Incomplete collections, and how many movies' collections are still unknown (read
        at the next reports, within their budget)."""
        if self.tmdb is None or kind not in ("full", "collections"):
            return [], 0
        owned = {
            int(p.ids["tmdb"])
            for p in profiles
            if p.media_type == "movie" and str(p.ids.get("tmdb", "")).isdigit()
        }
        pending = await read(self.tmdb, self.data, sorted(owned), now)
        known = [
            (c.id, c.name, c.parts)
            for c in self.data.collections.values()
            if any(int(part[0]) in owned for part in c.parts)
        ]
        return incomplete_collections(owned, known, now.date().isoformat()), pending

    async def _ask(self, health: Health, pool: Sequence[Recommendation]) -> Any:
        """The model's summary and top picks (ids from ``pool`` only), or None."""
        assert self.llm is not None
        messages, schema = prompt(health, pool, self.language)
        ids = set(schema["properties"]["top"]["items"]["enum"])

        def drop_invented(answer: dict[str, Any]) -> None:
            if isinstance(top := answer.get("top"), list):
                answer["top"] = [i for i in top if i in ids]

        return await self.llm.ask("report", messages, schema, drop_invented, max_tokens=600)


def prompt(
    health: Health, pool: Sequence[Recommendation], language: str
) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """The report's messages and answer schema: figures and at most :data:`MODEL_POOL`
    recommendations, whatever the library's size."""
    pool = pool[:MODEL_POOL]
    facts = {
        "score": health.score,
        "tendance": health.trend,
        "elements": health.items,
        "problemes": health.counts(),
        "upgrades": {o.rule: o.count for o in health.opportunities},
    }
    shown = [
        {"id": r.id, "type": r.kind, "gravite": r.severity, "titre": r.title, "quoi": r.description}
        for r in pool
    ]
    words = "français" if language.startswith("fr") else "English"
    text = (
        f"## DONNÉES\n{block(facts)}\n\n## RECOMMANDATIONS POSSIBLES\n{block(shown)}\n\n"
        f"Rédige summary en {words}."
    )
    schema = {
        "type": "object",
        "properties": {
            "summary": {"type": "string", "maxLength": 800},
            "top": {
                "type": "array",
                "maxItems": MODEL_TOP,
                "items": {"type": "string", "enum": [r.id for r in pool]},
            },
        },
        "required": ["summary", "top"],
    }
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}], schema
