"""Structured calls to the model that can only help: a JSON schema, one retry that quotes
what was wrong, a per-call timeout, a daily budget, and a record of every call. Whatever
goes wrong, the caller gets None and keeps its deterministic answer."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..clients.errors import ClientError
from ..clients.ollama import OllamaClient, strip_thinking
from ..models import MAX_AI_CALLS, AICall, StoreData
from .schema import error as schema_error

_LOGGER = logging.getLogger(__name__)
FALLBACKS = frozenset({"invalid", "timeout", "unreachable", "budget"})
type Tidy = Callable[[dict[str, Any]], None]  # drops what may go before the answer is checked


@dataclass(frozen=True, slots=True)
class Said:
    """One streamed answer: its text and the tools it calls (name and arguments)."""

    text: str
    tool_calls: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Settings:
    """How the agent may use the model: ``mode`` off, advise or decide."""

    mode: str = "decide"
    timeout: float = 60.0
    daily_calls: int = 200
    language: str = "fr"


def parse(text: str, schema: dict[str, Any], tidy: Tidy | None) -> tuple[Any, str | None]:
    """The answer's JSON, tidied, and what is wrong with it (None: nothing)."""
    start = text.find("{")
    if start < 0:
        return None, "the answer holds no JSON object" if text else "the answer is empty"
    try:
        value, _ = json.JSONDecoder().raw_decode(text[start:])
    except json.JSONDecodeError as err:
        return None, f"invalid JSON ({err.msg} at character {err.pos})"
    if tidy is not None:
        tidy(value)
    return value, schema_error(value, schema)


class LLM:
    """The model as the agent's features use it."""

    def __init__(
        self,
        client: OllamaClient,
        data: StoreData,
        settings: Settings,
        clock: Callable[[], datetime],
    ) -> None:
        """Calls are recorded in ``data`` (the newest :data:`MAX_AI_CALLS`)."""
        self.client = client
        self.data = data
        self.settings = settings
        self.clock = clock

    @property
    def name(self) -> str:
        """The model's name, as decisions and reports record it."""
        return self.client.model

    def calls_today(self, now: datetime) -> int:
        """Calls sent since midnight UTC (the budget's day)."""
        return sum(
            1 for c in self.data.ai_calls if c.outcome != "budget" and c.at.date() == now.date()
        )

    def _record(self, call: AICall) -> None:
        calls = self.data.ai_calls
        calls.append(call)
        del calls[:-MAX_AI_CALLS]
        if call.outcome in FALLBACKS:
            _LOGGER.info(
                "The model's %s answer was not used (%s%s): the engine decides",
                call.purpose,
                call.outcome,
                f": {call.detail}" if call.detail else "",
            )

    def _spent(self, call: AICall) -> bool:
        """Whether today's budget is spent (the refusal is recorded)."""
        if self.calls_today(call.at) < self.settings.daily_calls:
            return False
        call.detail = f"{self.settings.daily_calls} calls a day"
        self._record(call)
        return True

    async def talk(
        self,
        purpose: str,
        messages: Sequence[Mapping[str, Any]],
        tools: Sequence[Mapping[str, Any]],
        on_text: Callable[[str], None],
        *,
        max_tokens: int = 1024,
    ) -> Said | None:
        """A free answer streamed: ``on_text`` gets each new piece of visible text as it
        comes (think blocks never shown). None when the model could not answer."""
        call = AICall(self.clock(), purpose, self.name, "budget")
        if self._spent(call):
            return None
        started = time.monotonic()
        text, thinking, shown = "", "", ""
        calls: list[dict[str, Any]] = []
        try:
            async with asyncio.timeout(self.settings.timeout):
                async for piece in self.client.stream(
                    messages, tools, max_tokens=max_tokens, seconds=self.settings.timeout + 5
                ):
                    text, thinking = text + piece.text, thinking + piece.thinking
                    calls += piece.tool_calls
                    call.prompt_tokens += piece.prompt_tokens
                    call.answer_tokens += piece.answer_tokens
                    visible = strip_thinking(text)
                    if len(visible) > len(shown) and visible.startswith(shown):
                        on_text(visible[len(shown) :])
                        shown = visible
            call.outcome = "valid"
        except TimeoutError:
            call.outcome, call.detail = "timeout", f"over {self.settings.timeout:g} s"
        except ClientError as err:
            call.outcome, call.detail = "unreachable", err.detail
        answer = strip_thinking(text)
        if call.outcome == "valid" and not answer and not calls:
            answer = strip_thinking(thinking)  # where qwen3-vl may put it
            if answer:
                on_text(answer)
            else:
                call.outcome, call.detail = "invalid", "the answer is empty"
        call.latency_ms = round((time.monotonic() - started) * 1000)
        self._record(call)
        return Said(answer, tuple(calls)) if call.outcome == "valid" else None

    async def ask(
        self,
        purpose: str,
        messages: Sequence[Mapping[str, Any]],
        schema: dict[str, Any],
        tidy: Tidy | None = None,
        *,
        max_tokens: int = 1024,
    ) -> Any:
        """The model's answer following ``schema`` (once ``tidy`` has dropped what may be
        dropped), or None."""
        call = AICall(self.clock(), purpose, self.name, "budget")
        if self._spent(call):
            return None
        started = time.monotonic()
        conversation = list(messages)
        value, problem = None, None
        for attempt in range(2):
            try:
                async with asyncio.timeout(self.settings.timeout):
                    answer = await self.client.chat(
                        conversation,
                        schema,
                        max_tokens=max_tokens,
                        seconds=self.settings.timeout + 5,
                    )
            except TimeoutError:
                call.outcome, call.detail = "timeout", f"over {self.settings.timeout:g} s"
                break
            except ClientError as err:
                call.outcome, call.detail = "unreachable", err.detail
                break
            call.prompt_tokens += answer.prompt_tokens
            call.answer_tokens += answer.answer_tokens
            value, problem = parse(answer.text, schema, tidy)
            if problem is None:
                call.outcome = "retried" if attempt else "valid"
                break
            call.outcome, call.detail = "invalid", problem
            conversation += [
                {"role": "assistant", "content": answer.text[:2000]},
                {
                    "role": "user",
                    "content": f"Réponse refusée : {problem}. Réponds uniquement par un "
                    "objet JSON conforme au schéma demandé.",
                },
            ]
        call.latency_ms = round((time.monotonic() - started) * 1000)
        if call.outcome in ("valid", "retried"):
            call.detail = None
        self._record(call)
        return value if call.outcome in ("valid", "retried") else None


def summary(calls: Sequence[AICall], now: datetime) -> dict[str, Any]:
    """Today's calls by outcome, fallbacks, mean latency and tokens (sensor, diagnostics)."""
    today = [c for c in calls if c.at.date() == now.date()]
    sent = [c for c in today if c.outcome != "budget"]
    return {
        "calls_today": len(sent),
        "fallbacks_today": sum(1 for c in today if c.outcome in FALLBACKS),
        "outcomes": dict(Counter(c.outcome for c in today)),
        "mean_latency_ms": round(sum(c.latency_ms for c in sent) / len(sent)) if sent else None,
        "prompt_tokens": sum(c.prompt_tokens for c in today),
        "answer_tokens": sum(c.answer_tokens for c in today),
        "last": None
        if not calls
        else {
            "at": calls[-1].at.isoformat(),
            "purpose": calls[-1].purpose,
            "outcome": calls[-1].outcome,
            "detail": calls[-1].detail,
        },
    }
