"""The library assistant: commands answered without the model (they work with the AI off),
free text answered by the model from the library's real state (the PRD's prompt 6.4). Nothing
is done from the chat itself: what would change something becomes a proposal that the user
confirms, and a confirmed proposal runs as the user's own action (its permission check and
limits apply)."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from ..engine.selection import normalize_title
from ..models import Conversation, Proposal, StoreData, Turn
from .llm import LLM
from .untrusted import RULE_FR, block

MAX_TURNS = 40  # kept per conversation
MAX_CONVERSATIONS = 20  # kept per user
MAX_TEXT = 2000  # characters of one message
PROPOSAL_TTL = timedelta(hours=24)
ALIASES = {
    "aide": "help", "help": "help",
    "analyse": "analyse", "analyze": "analyse",
    "rapport": "report", "report": "report",
    "cherche": "search", "search": "search",
    "suivre": "follow", "follow": "follow",
    "demande": "request", "request": "request",
    "upgrade": "upgrade",
}  # fmt: skip
HELP = {
    "fr": "Commandes : /analyse [type] · /rapport · /cherche <titre> · /suivre <série> · "
    "/demande <film> · /upgrade <titre> · /aide. Sinon, posez votre question.",
    "en": "Commands: /analyze [type] · /report · /search <title> · /follow <series> · "
    "/request <movie> · /upgrade <title> · /help. Or ask your question.",
}
VERBS = {
    ("series", True): "/suivre", ("series", False): "/follow",
    ("movie", True): "/demande", ("movie", False): "/request",
}  # fmt: skip
SYSTEM = f"""Tu es l'assistant IA de Plex Kiosk, qui gère la médiathèque Plex d'un foyer.
Tu réponds sur la bibliothèque à partir des données fournies, sans rien inventer. Tu ne peux
rien exécuter : pour suivre une série ou demander un film, propose l'action (elle sera
confirmée par l'utilisateur). {RULE_FR}
## RÈGLES
- Réponds dans la langue demandée, de façon concise, avec des actions concrètes.
- Confirmation avant toute action irréversible.
## RÉPONSE (JSON strict)
{{"answer": "ta réponse", "action": "none|follow|request", "title": "titre visé ou vide"}}"""
ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "answer": {"type": "string", "maxLength": 2000},
        "action": {"type": "string", "enum": ["none", "follow", "request"]},
        "title": {"type": "string", "maxLength": 200},
    },
    "required": ["answer", "action"],
}


@dataclass(frozen=True, slots=True)
class Reply:
    """What the assistant answers."""

    conversation_id: str
    answer: str
    proposals: tuple[Proposal, ...] = ()


class Actions(Protocol):
    """The actions as the user calls them (their permissions and limits apply)."""

    async def __call__(self, action: str, data: dict[str, Any], user_id: str) -> Any:
        """Run ``action``; its answer."""


@dataclass(frozen=True, slots=True)
class User:
    """Who talks: their id, name, whether they are an administrator, their language."""

    id: str
    name: str
    admin: bool
    language: str = "fr"

    @property
    def french(self) -> bool:
        """Whether to answer in French."""
        return self.language.startswith("fr")


class Assistant:
    """Conversations, commands, proposals."""

    def __init__(
        self,
        data: StoreData,
        llm: LLM | None,
        actions: Actions,
        find_titles: Callable[[str], Awaitable[list[dict[str, Any]]]],
        clock: Callable[[], datetime],
    ) -> None:
        """``find_titles`` looks a title up in TVMaze and TMDB."""
        self.data = data
        self.llm = llm
        self.actions = actions
        self.find_titles = find_titles
        self.clock = clock

    # --- conversations ---------------------------------------------------------------

    def conversation(self, user: User, conversation_id: str | None) -> Conversation:
        """The user's conversation (a new one when the id is unknown or another's)."""
        found = self.data.conversations.get(conversation_id or "")
        if found is not None and found.user_id == user.id:
            return found
        conversation = Conversation(secrets.token_hex(8), user.id)
        self.data.conversations[conversation.id] = conversation
        mine = sorted(
            (c for c in self.data.conversations.values() if c.user_id == user.id),
            key=lambda c: c.updated_at or self.clock(),
        )
        for old in mine[:-MAX_CONVERSATIONS]:
            del self.data.conversations[old.id]
        return conversation

    def history(self, user: User) -> list[Conversation]:
        """The user's conversations, newest first."""
        mine = [c for c in self.data.conversations.values() if c.user_id == user.id]
        return sorted(mine, key=lambda c: c.updated_at or self.clock(), reverse=True)

    async def send(self, user: User, text: str, conversation_id: str | None = None) -> Reply:
        """Answer one message: a command without the model, else the model (or, without
        one, the list of commands)."""
        now = self.clock()
        conversation = self.conversation(user, conversation_id)
        text = text.strip()[:MAX_TEXT]
        conversation.turns.append(Turn("user", text, now))
        if text.startswith("/"):
            name, _, argument = text[1:].partition(" ")
            answer, proposals = await self._command(
                user, ALIASES.get(name.lower(), ""), argument.strip()
            )
        else:
            answer, proposals = await self._free_text(user, conversation, text)
        for proposal in proposals:
            self.data.proposals[proposal.id] = proposal
        conversation.turns.append(Turn("assistant", answer, now, [p.id for p in proposals]))
        del conversation.turns[:-MAX_TURNS]
        conversation.updated_at = now
        return Reply(conversation.id, answer, tuple(proposals))

    # --- proposals -------------------------------------------------------------------

    def _proposal(self, user: User, action: str, data: dict[str, Any], summary: str) -> Proposal:
        return Proposal(secrets.token_hex(6), user.id, action, data, summary, self.clock())

    def pending(self, user: User, proposal_id: str) -> Proposal | None:
        """The user's own proposal still waiting (expired ones are said so)."""
        proposal = self.data.proposals.get(proposal_id)
        if proposal is None or proposal.user_id != user.id or proposal.status != "pending":
            return None
        if self.clock() - proposal.created_at > PROPOSAL_TTL:
            proposal.status = "expired"
            return None
        return proposal

    async def confirm(self, user: User, proposal: Proposal) -> Any:
        """Run a proposal as its user (their permissions apply: a refusal is raised)."""
        try:
            result = await self.actions(proposal.action, proposal.data, user.id)
        except Exception:
            proposal.status = "failed"
            raise
        proposal.status = "done"
        return result

    def cancel(self, proposal: Proposal) -> None:
        """The user says no."""
        proposal.status = "cancelled"

    # --- commands --------------------------------------------------------------------

    async def _command(self, user: User, name: str, argument: str) -> tuple[str, list[Proposal]]:
        fr = user.french
        if name == "help" or not name:
            return HELP["fr" if fr else "en"], []
        if name in ("follow", "request", "search", "upgrade") and not argument:
            missing = f"Il manque le titre : /{name} <titre>."
            return (missing if fr else f"Say which title: /{name} <title>."), []
        if name == "analyse":
            data = {"type": argument} if argument else {}
            report = await self.actions("analyse", data, user.id)
            return self._report_text(report, fr), []
        if name == "report":
            latest = self.data.reports[-1].public() if self.data.reports else None
            if latest is None:
                latest = await self.actions("analyse", {}, user.id)
            return self._report_text(latest, fr), []
        if name == "search":
            return await self._search(argument, fr), []
        if name == "follow":
            summary = f"Suivre la série « {argument} »" if fr else f"Follow the series “{argument}”"
            return summary + " ?", [self._proposal(user, "follow", {"title": argument}, summary)]
        if name == "request":
            summary = (
                f"Demander le film « {argument} »" if fr else f"Request the movie “{argument}”"
            )
            return summary + " ?", [self._proposal(user, "request", {"title": argument}, summary)]
        return self._upgrade(user, argument)

    @staticmethod
    def _report_text(report: dict[str, Any], fr: bool) -> str:
        lines = [
            f"{'Santé' if fr else 'Health'} {report['health_score']}/100 — {report['summary']}"
        ]
        lines += [f"• {r['title']} : {r['description']}" for r in report["recommendations"][:5]]
        return "\n".join(lines)

    def _matches(self, query: str) -> tuple[list[str], list[str]]:
        """Followed series and library items whose title holds the query."""
        wanted = normalize_title(query)
        follows = [
            f.title for f in self.data.follows.values() if wanted in normalize_title(f.title)
        ]
        library = sorted(
            {
                f"{p.title} ({p.year})" if p.year else p.title
                for p in self.data.profiles.values()
                if wanted in normalize_title(p.title)
            }
        )
        return follows, library

    async def _search(self, query: str, fr: bool) -> str:
        follows, library = self._matches(query)
        found = await self.find_titles(query)
        lines = []
        if library:
            lines.append(("Dans Plex : " if fr else "In Plex: ") + ", ".join(library[:10]))
        if follows:
            lines.append(("Suivi : " if fr else "Followed: ") + ", ".join(follows))
        for hit in found[:8]:
            year = f" ({hit['year']})" if hit.get("year") else ""
            verb = VERBS[(hit["kind"], fr)]
            lines.append(f"• {hit['title']}{year} — {verb} {hit['title']}")
        return "\n".join(lines) or ("Rien trouvé." if fr else "Nothing found.")

    def _upgrade(self, user: User, query: str) -> tuple[str, list[Proposal]]:
        wanted = normalize_title(query)
        keys = {k for k, p in self.data.profiles.items() if wanted in normalize_title(p.title)}
        candidates = sorted(
            (
                c
                for c in self.data.candidates.values()
                if c.status == "available" and keys & set(c.rating_keys)
            ),
            key=lambda c: -c.gain,
        )
        fr = user.french
        if not keys:
            return (f"« {query} » n'est pas dans Plex." if fr else f"“{query}” is not in Plex."), []
        if not candidates:
            return (
                "Aucune amélioration trouvée pour l'instant (la recherche quotidienne continue)."
                if fr
                else "No upgrade found yet (the daily search goes on)."
            ), []
        best = candidates[0]
        summary = (
            f"Remplacer {best.title} par {best.release_name} (+{best.gain})"
            if fr
            else f"Replace {best.title} with {best.release_name} (+{best.gain})"
        )
        return summary + " ?", [
            self._proposal(user, "apply_upgrade", {"candidate_id": best.id}, summary)
        ]

    # --- free text -------------------------------------------------------------------

    def context(self, user: User, now: datetime) -> dict[str, Any]:
        """What the model is told of the library (bounded, whatever its size)."""
        data = self.data
        week = [
            f"{data.follows[e.follow_id].title} S{e.season or 0:02d}E{e.episode or 0:02d} "
            f"{e.air_time:%a %d/%m}"
            for e in sorted(data.episodes.values(), key=lambda e: e.air_time or now)
            if e.air_time
            and now <= e.air_time <= now + timedelta(days=7)
            and e.follow_id in data.follows
        ][:20]
        return {
            "utilisateur": {"nom": user.name, "role": "admin" if user.admin else "famille"},
            "bibliotheque": {"elements": len(data.profiles)},
            "suivis": [f.title for f in data.follows.values()][:50],
            "semaine": week,
            "telechargements": [
                d.name for d in data.downloads.values() if d.state in ("downloading", "stalled")
            ][:10],
            "rapport": data.reports[-1].summary if data.reports else None,
        }

    async def _free_text(
        self, user: User, conversation: Conversation, text: str
    ) -> tuple[str, list[Proposal]]:
        fr = user.french
        if self.llm is None:
            off = "L'IA est désactivée. " if fr else "The AI is off. "
            return off + HELP["fr" if fr else "en"], []
        history: Sequence[Turn] = conversation.turns[-7:-1]
        messages = [
            {"role": "system", "content": SYSTEM},
            {
                "role": "system",
                "content": "## CONTEXTE\n" + block(self.context(user, self.clock()), 120),
            },
            *({"role": t.role, "content": block(t.text, MAX_TEXT)} for t in history),
            {
                "role": "user",
                "content": block(text, MAX_TEXT)
                + f"\nRéponds en {'français' if fr else 'English'}.",
            },
        ]
        answer = await self.llm.ask("chat", messages, ANSWER_SCHEMA, max_tokens=800)
        if answer is None:
            return (
                "Le modèle ne répond pas pour l'instant ; les commandes marchent toujours. "
                if fr
                else "The model is not answering right now; the commands still work. "
            ) + HELP["fr" if fr else "en"], []
        proposals: list[Proposal] = []
        title = str(answer.get("title") or "").strip()[:200]
        if answer["action"] in ("follow", "request") and title:
            _, proposals = await self._command(user, answer["action"], title)
        return answer["answer"].strip(), proposals
