"""The model's second opinion on the engine's survivors (the scoring prompt of the PRD,
section 6.2): it sees each survivor's parsed fields and the engine's score breakdown, answers
by the ids it is given, and may only reorder them. Below :data:`MIN_CONFIDENCE`, or in
advise mode, the engine's order stands and the model's reason is kept as advice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..engine.quality import Preferences
from ..engine.selection import Opinion, Ranked, Wanted
from .llm import LLM
from .untrusted import RULE_FR, block

MAX_SURVIVORS = 8  # the best of the engine's survivors the model sees; the rest keep their rank
MIN_CONFIDENCE = 0.6
LANGUAGES = {"fr": "français", "en": "English"}

SYSTEM = f"""Tu es un expert en sélection de releases pour une bibliothèque Plex.
Le moteur a déjà écarté les releases interdites ; tu ne peux que réordonner les candidats
listés, désignés par leur id. {RULE_FR}

## BARÈME (sur 100)
- Audio (40 pts) : MULTI=40, VFF=30, VOSTFR=20, VO=10
- Vidéo (35 pts) : 4K HDR=35, 4K=30, 1080p HEVC=25, 1080p x264=20, 720p=10
- Source (15 pts) : BluRay=15, WEB-DL=12, WEBRip=10, HDTV=5
- Fiabilité (10 pts) : seeders >50=10, >20=7, >10=5, <10=2
Respecte les préférences du foyer avant le barème.

## RÉPONSE (JSON strict, rien d'autre)
{{"rankings": [{{"id": "c1", "score": 85, "reason": "…"}}], "best": "c1",
"confidence": 0.9, "reason": "une phrase : pourquoi ce choix"}}"""


def schema(ids: Sequence[str]) -> dict[str, Any]:
    """The answer's JSON schema: ids only from ``ids``."""
    return {
        "type": "object",
        "properties": {
            "rankings": {
                "type": "array",
                "maxItems": len(ids),
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string", "enum": list(ids)},
                        "score": {"type": "integer", "minimum": 0, "maximum": 100},
                        "reason": {"type": "string", "maxLength": 300},
                    },
                    "required": ["id", "score"],
                },
            },
            "best": {"type": "string", "enum": list(ids)},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "reason": {"type": "string", "maxLength": 400},
        },
        "required": ["rankings", "best", "confidence", "reason"],
    }


def drop_invented(ids: Sequence[str]) -> Callable[[dict[str, Any]], None]:
    """Rankings of ids that were never given are dropped (an invented ``best`` is not: the
    answer is refused)."""

    def tidy(answer: dict[str, Any]) -> None:
        if isinstance(rankings := answer.get("rankings"), list):
            answer["rankings"] = [
                r for r in rankings if not isinstance(r, dict) or r.get("id") in ids
            ]

    return tidy


def described(ranked: Ranked, key: str) -> dict[str, Any]:
    """One survivor as the model sees it."""
    release, candidate = ranked.release, ranked.candidate
    return {
        "id": key,
        "nom": candidate.name,
        "resolution": release.resolution,
        "source": release.source,
        "codec": release.video_codec,
        "hdr": release.hdr,
        "audio": release.audio,
        "doublage": release.french_variant,
        "seeders": candidate.seeders,
        "taille_go": round(candidate.size / 1e9, 2),
        "score_moteur": ranked.score.total,
        "detail_moteur": ranked.score.breakdown,
    }


def wanted_of(wanted: Wanted) -> dict[str, Any]:
    """What is searched, as the model sees it."""
    return {
        "titre": wanted.titles[0] if wanted.titles else "",
        "type": wanted.kind,
        "saison": wanted.season,
        "episode": wanted.episode,
        "absolu": wanted.absolute,
        "annee": wanted.year,
    }


class ModelReranker:
    """The re-ranker the acquisition path awaits (see ``acquire.search.Reranker``)."""

    def __init__(self, llm: LLM) -> None:
        """The model and the agent's settings come with ``llm``."""
        self.llm = llm

    @property
    def name(self) -> str:
        """The model's name."""
        return self.llm.name

    async def rerank(
        self, wanted: Wanted, survivors: Sequence[Ranked], preferences: Preferences
    ) -> Opinion | None:
        """The model's order and reason (order None: advise mode, or not confident)."""
        shown = survivors[:MAX_SURVIVORS]
        ids = [f"c{i}" for i in range(1, len(shown) + 1)]
        language = LANGUAGES.get(self.llm.settings.language[:2], "English")
        prompt = (
            f"## MÉDIA\n{block(wanted_of(wanted))}\n\n## PRÉFÉRENCES DU FOYER\n"
            f"Qualité={preferences.quality}, Langue={preferences.language}, "
            f"Doublage={preferences.dub}\n\n## CANDIDATS (ordre du moteur)\n"
            f"{block([described(r, k) for r, k in zip(shown, ids, strict=True)])}\n\n"
            f"Rédige les champs reason en {language}."
        )
        messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}]
        answer = await self.llm.ask(
            "rerank", messages, schema(ids), drop_invented(ids), max_tokens=768
        )
        if answer is None:
            return None
        by_id = dict(zip(ids, (r.candidate.name for r in shown), strict=True))
        scored = sorted(answer["rankings"], key=lambda r: -r["score"])
        order = dict.fromkeys([answer["best"], *(r["id"] for r in scored)])
        confident = answer["confidence"] >= MIN_CONFIDENCE
        decides = self.llm.settings.mode == "decide" and confident
        return Opinion(
            tuple(by_id[key] for key in order) if decides else None,
            answer["reason"].strip(),  # at most 400 characters: the schema says so
        )
