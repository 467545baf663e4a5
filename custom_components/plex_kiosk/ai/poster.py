"""After a movie is imported, the model compares frames of the file with TMDB's poster (the
PRD's prompt 6.5): a confident "not the same movie" raises a repair and an event. Advisory
only — nothing is deleted. Off by default; needs a model with the ``vision`` capability."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, Protocol

from ..clients.errors import ClientError
from ..clients.frames import frames
from ..clients.tmdb import TMDBClient
from .llm import LLM
from .untrusted import RULE_FR, block

_LOGGER = logging.getLogger(__name__)
MIN_CONFIDENCE = 0.8
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "same_movie": {"type": "boolean"},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "reason": {"type": "string", "maxLength": 300},
    },
    "required": ["same_movie", "confidence", "reason"],
}
SYSTEM = f"""Tu vérifies qu'un fichier vidéo est bien le film attendu. {RULE_FR}
La première image est l'affiche TMDB du film attendu ; les suivantes sont extraites du
fichier. Est-ce le même film ? Un film d'animation, une autre langue ou des sous-titres
incrustés ne sont pas un autre film.
## RÉPONSE (JSON strict)
{{"same_movie": true, "confidence": 0.9, "reason": "une phrase"}}"""


class Hooks(Protocol):
    """What a mismatch tells Home Assistant."""

    def poster_mismatch(self, request_id: str, title: str, path: str, reason: str) -> None:
        """A repair issue and an event."""


class PosterCheck:
    """Checks imported movies in the background with the model's eyes."""

    def __init__(
        self,
        llm: LLM,
        tmdb: TMDBClient,
        hooks: Hooks,
        executor: Callable[..., Any],
        spawn: Callable[[Coroutine[Any, Any, Any]], Any],
    ) -> None:
        """``spawn`` runs a check without holding the import up."""
        self.llm = llm
        self.tmdb = tmdb
        self.hooks = hooks
        self.executor = executor
        self.spawn = spawn
        self._vision: bool | None = None  # asked once

    def imported(self, request_id: str, tmdb_id: int, title: str, path: Path) -> None:
        """A movie was imported: check it in the background."""
        self.spawn(self.check(request_id, tmdb_id, title, path))

    async def check(self, request_id: str, tmdb_id: int, title: str, path: Path) -> bool | None:
        """Whether the file is the movie (None: the model could not tell, or cannot see)."""
        try:
            if self._vision is None:
                self._vision = "vision" in await self.llm.client.capabilities()
            if not self._vision:
                return None
            poster = await self.tmdb.poster(tmdb_id)
            shots = await self.executor(frames, path)
        except ClientError as err:
            _LOGGER.info("Poster check of %s skipped: %s", path.name, err.detail)
            return None
        if poster is None:
            return None
        images = [base64.b64encode(image).decode() for image in (poster, *shots)]
        prompt = f"Film attendu : {block({'titre': title})}. Réponds en {self._language()}."
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": prompt, "images": images},
        ]
        answer = await self.llm.ask("poster", messages, SCHEMA, max_tokens=300)
        if answer is None:
            return None
        if not answer["same_movie"] and answer["confidence"] >= MIN_CONFIDENCE:
            self.hooks.poster_mismatch(request_id, title, str(path), answer["reason"].strip())
            return False
        return True if answer["same_movie"] else None

    def _language(self) -> str:
        return "français" if self.llm.settings.language.startswith("fr") else "English"
