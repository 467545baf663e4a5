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

from homeassistant.exceptions import HomeAssistantError

from ..engine.selection import normalize_title
from ..follow.views import coming_week, episode_label, episodes_of
from ..models import (
    CandidateStatus,
    Conversation,
    EpisodeStatus,
    Proposal,
    SeriesFollow,
    StoreData,
    Turn,
    UpgradeCandidate,
)
from .llm import LLM
from .tools import TOOLS, User, function_spec
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
## CAPACITÉS
- Répondre sur la bibliothèque avec les outils de lecture (bibliothèque, semaine à venir,
  téléchargements, suivis, demandes, rapport) : n'invente rien, vérifie avec un outil.
- Proposer une action avec l'outil propose (suivre une série, demander un film, améliorer un
  titre) : l'utilisateur la confirme ensuite. Tu n'exécutes rien toi-même.
## COMMANDES (pour l'utilisateur)
/analyse [type] · /cherche <titre> · /upgrade <titre> · /rapport · /suivre <série> ·
/demande <film> · /aide
## RÈGLES
- Réponds dans la langue demandée, en texte simple, concis, avec des actions concrètes.
- Confirmation avant toute action irréversible.
- {RULE_FR}"""
MAX_ROUNDS = 4  # model answers per message (tool calls in between)
PROPOSE = function_spec(
    "propose",
    "Proposes following a series, requesting a movie or upgrading a library title; "
    "nothing happens until the user confirms",
    ("action", "title"),
    enums={"action": ["follow", "request", "upgrade"]},
)
type Emit = Callable[[dict[str, Any]], None]


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


class Assistant:
    """Conversations, commands, proposals."""

    def __init__(
        self,
        data: StoreData,
        llm: LLM | None,
        actions: Actions,
        find_titles: Callable[[str], Awaitable[list[dict[str, Any]]]],
        clock: Callable[[], datetime],
        *,
        announce: Callable[[Proposal, User], None] = lambda proposal, user: None,
    ) -> None:
        """``find_titles`` looks a title up in TVMaze and TMDB; ``announce`` tells Home
        Assistant of each new proposal (a notification may carry its buttons)."""
        self.data = data
        self.llm = llm
        self.actions = actions
        self.find_titles = find_titles
        self.clock = clock
        self.announce = announce

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

    async def send(
        self,
        user: User,
        text: str,
        conversation_id: str | None = None,
        emit: Emit | None = None,
    ) -> Reply:
        """Answer one message: a command without the model, else the model (or, without
        one, the list of commands). ``emit`` gets the answer's ``delta`` pieces as they come
        and a ``tool`` event for each tool the model reads."""
        emit = emit or (lambda event: None)
        now = self.clock()
        conversation = self.conversation(user, conversation_id)
        text = text.strip()[:MAX_TEXT]
        conversation.turns.append(Turn("user", text, now))
        if text.startswith("/"):
            name, _, argument = text[1:].partition(" ")
            answer, proposals = await self._command(
                user, ALIASES.get(name.lower(), ""), argument.strip()
            )
            emit({"type": "delta", "text": answer})
        else:
            answer, proposals = await self._free_text(user, conversation, text, emit)
        for proposal in proposals:
            self.data.proposals[proposal.id] = proposal
            self.announce(proposal, user)
        conversation.turns.append(Turn("assistant", answer, now, [p.id for p in proposals]))
        del conversation.turns[:-MAX_TURNS]
        conversation.updated_at = now
        return Reply(conversation.id, answer, tuple(proposals))

    # --- proposals -------------------------------------------------------------------

    def _proposal(self, user: User, action: str, data: dict[str, Any], summary: str) -> Proposal:
        return Proposal(secrets.token_hex(6), user.id, action, data, summary, self.clock())

    def ask_approval(self, member: User, data: dict[str, Any], summary: str) -> Proposal:
        """A family member's request over their daily limit, for an administrator to approve
        (the same one waiting is not asked twice)."""
        waiting = next(
            (
                p
                for p in self.data.proposals.values()
                if p.approval and p.status == "pending" and (p.user_id, p.data) == (member.id, data)
            ),
            None,
        )
        if waiting is not None:
            return waiting
        proposal = Proposal(
            secrets.token_hex(6), member.id, "request", data, summary, self.clock(), approval=True
        )
        self.data.proposals[proposal.id] = proposal
        self.announce(proposal, member)
        return proposal

    def pending(self, user: User, proposal_id: str) -> Proposal | None:
        """A proposal still waiting that ``user`` may answer: their own, or, for an
        administrator, an approval (expired ones are said so)."""
        proposal = self.data.proposals.get(proposal_id)
        if proposal is None or proposal.status != "pending":
            return None
        if not (user.admin if proposal.approval else proposal.user_id == user.id):
            return None
        if self.clock() - proposal.created_at > PROPOSAL_TTL:
            proposal.status = "expired"
            return None
        return proposal

    async def confirm(self, user: User, proposal: Proposal) -> Any:
        """Run a proposal as ``user`` (their permissions apply: a refusal is raised); an
        approved request is made for the member who asked."""
        data = proposal.data | ({"requested_for": proposal.user_id} if proposal.approval else {})
        try:
            result = await self.actions(proposal.action, data, user.id)
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
            return HELP[_lang(fr)], []
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
            return await self._search(user, argument), []
        if name == "follow":
            summary = f"Suivre la série « {argument} »" if fr else f"Follow the series “{argument}”"
            return summary + " ?", [self._proposal(user, "follow", {"title": argument}, summary)]
        if name == "request":
            summary = (
                f"Demander le film « {argument} »" if fr else f"Request the movie “{argument}”"
            )
            return summary + " ?", [self._proposal(user, "request", {"title": argument}, summary)]
        return await self._upgrade(user, argument)

    @staticmethod
    def _report_text(report: dict[str, Any], fr: bool) -> str:
        lines = [
            f"{'Santé' if fr else 'Health'} {report['health_score']}/100 — {report['summary']}"
        ]
        lines += [f"• {r['title']} : {r['description']}" for r in report["recommendations"][:5]]
        return "\n".join(lines)

    def _matches(self, query: str) -> tuple[list[SeriesFollow], list[str]]:
        """Followed series and library items whose title holds the query."""
        wanted = normalize_title(query)
        follows = [f for f in self.data.follows.values() if wanted in normalize_title(f.title)]
        library = sorted(
            {
                f"{p.title} ({p.year})" if p.year else p.title
                for p in self.data.profiles.values()
                if wanted in normalize_title(p.title)
            }
        )
        return follows, library

    async def _search(self, user: User, query: str) -> str:
        fr = user.french
        follows, library = self._matches(query)
        found = await self.find_titles(query)
        lines = []
        if library:
            lines.append(("Dans Plex : " if fr else "In Plex: ") + ", ".join(library[:10]))
        if follows:
            lines.append(("Suivi : " if fr else "Followed: ") + ", ".join(f.title for f in follows))
            lines += await self._releases(user, follows[0])
        for hit in found[:8]:
            year = f" ({hit['year']})" if hit.get("year") else ""
            verb = VERBS[(hit["kind"], fr)]
            lines.append(f"• {hit['title']}{year} — {verb} {hit['title']}")
        return "\n".join(lines) or ("Rien trouvé." if fr else "Nothing found.")

    async def _releases(self, user: User, follow: SeriesFollow) -> list[str]:
        """What the indexers have now for the followed series' latest aired episode not in
        Plex yet (else its latest aired one): the best three releases, or why none."""
        now = self.clock()
        aired = [e for e in episodes_of(self.data, follow.id) if e.air_time and e.air_time <= now]
        missing = [e for e in aired if e.status != EpisodeStatus.COMPLETED]
        episode = max(missing or aired, key=lambda e: e.air_time or now, default=None)
        if episode is None:
            return []
        place = (
            {"season": episode.season, "episode": episode.episode}
            if episode.season is not None
            else {"absolute": episode.absolute}
        )
        try:
            found = await self.actions("search", {"series": follow.title, **place}, user.id)
        except HomeAssistantError as err:
            return [f"{episode_label(follow, episode)} : {err}"]
        fr = user.french
        kept = [r for r in found["releases"] if r["rejected"] is None][:3]
        head = (
            f"Sur les indexeurs pour {found['episode']} :"
            if fr
            else f"On the indexers for {found['episode']}:"
        )
        if not kept:
            return [f"{head} {found['why_empty'] or ('rien de retenu' if fr else 'nothing kept')}"]
        return [head] + [f"  {r['rank']}. {r['name']} — {r['score']} pts" for r in kept]

    async def _upgrade(self, user: User, query: str) -> tuple[str, list[Proposal]]:
        """The best upgrade found for a library title; an administrator's asks the indexers
        for it first (within the upgrade search budget) when none is waiting."""
        wanted = normalize_title(query)
        keys = {k for k, p in self.data.profiles.items() if wanted in normalize_title(p.title)}
        fr = user.french
        if not keys:
            return (f"« {query} » n'est pas dans Plex." if fr else f"“{query}” is not in Plex."), []
        candidates = self._upgrades(keys)
        if not candidates and user.admin:
            await self.actions("scan_upgrades", {"title": query}, user.id)
            candidates = self._upgrades(keys)
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

    def _upgrades(self, keys: set[str]) -> list[UpgradeCandidate]:
        return sorted(
            (
                c
                for c in self.data.candidates.values()
                if c.status == CandidateStatus.AVAILABLE and keys & set(c.rating_keys)
            ),
            key=lambda c: -c.gain,
        )

    # --- free text -------------------------------------------------------------------

    def context(self, user: User, now: datetime) -> dict[str, Any]:
        """What the model is told of the library (bounded, whatever its size)."""
        data = self.data
        week = [
            f"{episode_label(data.follows[e.follow_id], e)} {e.air_time:%a %d/%m}"
            for e in coming_week(data, now)[:20]
        ]
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
        self, user: User, conversation: Conversation, text: str, emit: Emit
    ) -> tuple[str, list[Proposal]]:
        fr = user.french
        if self.llm is None:
            off = ("L'IA est désactivée. " if fr else "The AI is off. ") + HELP[_lang(fr)]
            emit({"type": "delta", "text": off})
            return off, []
        history: Sequence[Turn] = conversation.turns[-7:-1]
        messages: list[dict[str, Any]] = [
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
        tools = [tool.spec() for tool in TOOLS.values()] + [PROPOSE]
        proposals: list[Proposal] = []
        said: list[str] = []
        for _ in range(MAX_ROUNDS):
            answer = await self.llm.talk(
                "chat",
                messages,
                tools,
                lambda piece: emit({"type": "delta", "text": piece}),
                max_tokens=800,
            )
            if answer is None:
                down = (
                    "Le modèle ne répond pas pour l'instant ; les commandes marchent toujours. "
                    if fr
                    else "The model is not answering right now; the commands still work. "
                ) + HELP[_lang(fr)]
                emit({"type": "delta", "text": down})
                return "\n".join([*said, down]), proposals
            said += [answer.text] if answer.text else []
            if not answer.tool_calls:
                break
            messages.append(
                {
                    "role": "assistant",
                    "content": answer.text,
                    "tool_calls": [{"function": c} for c in answer.tool_calls],
                }
            )
            for call in answer.tool_calls:
                result = await self._use(user, call, proposals, emit)
                messages.append(
                    {"role": "tool", "tool_name": call["name"], "content": block(result, 300)}
                )
        return "\n".join(said), proposals

    async def _use(
        self, user: User, call: dict[str, Any], proposals: list[Proposal], emit: Emit
    ) -> dict[str, Any]:
        """Run a read tool, or turn ``propose`` into a proposal; the result for the model."""
        name, args = call["name"], {k: str(v)[:200] for k, v in call["arguments"].items()}
        emit({"type": "tool", "name": name, "arguments": args})
        tool = TOOLS.get(name)
        if tool is not None:
            return tool.read(self.data, user, args, self.clock())
        action, title = args.get("action"), args.get("title", "").strip()
        if name != "propose" or action not in ("follow", "request", "upgrade") or not title:
            return {"error": f"no such tool or arguments: {name}"}
        answer, made = await self._command(user, action, title)
        proposals += made
        return {"proposed": [p.summary for p in made], "said": answer, "to_confirm": "by the user"}


def _lang(fr: bool) -> str:
    return "fr" if fr else "en"
