"""Ollama: model checks through ``ollama.AsyncClient``; chat through Home Assistant's aiohttp
session, because the ``ollama`` package Home Assistant 2025.4 pins (0.4.7) cannot send
``think`` — and thinking is on by default for Qwen3 models."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
import httpx
import ollama

from .errors import BadResponse, CannotConnect, unreachable
from .http import fetch_json

SERVICE = "ollama"
TIMEOUT = 120.0
THINK_RE = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL)


def strip_thinking(text: str) -> str:
    """Remove ``<think>…</think>`` blocks that Qwen3 models may leak into content."""
    return THINK_RE.sub("", text).strip()


@dataclass(frozen=True, slots=True)
class ChatAnswer:
    """One complete answer: its text (``content``, else ``thinking`` — where qwen3-vl may put
    it —, think blocks stripped) and the token counts Ollama gives."""

    text: str
    prompt_tokens: int = 0
    answer_tokens: int = 0
    from_thinking: bool = False


@dataclass(frozen=True, slots=True)
class Piece:
    """One streamed chunk: answer text, thinking text, tool calls (``name``, ``arguments``),
    and on the last one the token counts."""

    text: str = ""
    thinking: str = ""
    tool_calls: tuple[dict[str, Any], ...] = ()
    done: bool = False
    prompt_tokens: int = 0
    answer_tokens: int = 0


def _calls(message: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    """The tool calls of a chunk, as name and arguments (arguments a JSON string or an
    object on the wire; anything else is dropped)."""
    found = []
    for call in message.get("tool_calls") or ():
        function = call.get("function") if isinstance(call, dict) else None
        if not isinstance(function, dict) or not isinstance(function.get("name"), str):
            continue
        arguments = function.get("arguments") or {}
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments)
            except json.JSONDecodeError:
                arguments = {}
        found.append(
            {
                "name": function["name"],
                "arguments": arguments if isinstance(arguments, dict) else {},
            }
        )
    return tuple(found)


class OllamaClient:
    """An Ollama server and the model Plex Kiosk uses on it."""

    def __init__(
        self,
        url: str,
        model: str,
        verify: Any = True,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        """``verify`` takes an SSL context so that creating the client never blocks;
        ``session`` (Home Assistant's) carries the chat."""
        self.model = model
        self.url = url.rstrip("/")
        self._api = ollama.AsyncClient(host=url, timeout=TIMEOUT, verify=verify)
        self._session = session

    async def _do(self, coro: Any) -> Any:
        try:
            return await coro
        except ollama.ResponseError as err:
            raise BadResponse(SERVICE, f"HTTP {err.status_code}: {err.error}") from err
        except (httpx.HTTPError, ConnectionError) as err:
            raise CannotConnect(SERVICE, str(err) or type(err).__name__) from err

    async def close(self) -> None:
        """Close the HTTP client's connections."""
        await self._api._client.aclose()  # ollama 0.4 has no public close

    async def models(self) -> list[str]:
        """Names of the installed models."""
        answer = await self._do(self._api.list())
        return [str(m.model) for m in answer.models]

    async def capabilities(self) -> list[str]:
        """Check the configured model exists; return its capabilities (``vision``…; read
        from the wire: the ``ollama`` 0.4 package drops them)."""
        answer = await self._post("/api/show", {"model": self.model}, TIMEOUT)
        if not isinstance(answer, dict) or not answer.get("model_info"):
            raise BadResponse(SERVICE, f"model {self.model} has no model_info")
        return [str(c) for c in answer.get("capabilities") or []]

    async def chat(
        self,
        messages: Sequence[Mapping[str, Any]],
        schema: dict[str, Any] | None = None,
        *,
        max_tokens: int = 1024,
        seconds: float = TIMEOUT,
    ) -> ChatAnswer:
        """One complete answer at temperature 0 with thinking asked off (``schema`` asks for
        structured output; messages may carry base64 ``images``)."""
        payload = self._payload(messages, max_tokens, stream=False)
        if schema is not None:
            payload["format"] = schema
        try:
            answer = await self._post("/api/chat", payload, seconds)
        except BadResponse as err:
            if "support thinking" not in err.detail:
                raise
            del payload["think"]  # a server that refuses the field for this model
            answer = await self._post("/api/chat", payload, seconds)
        message = answer.get("message") if isinstance(answer, dict) else None
        if not isinstance(message, dict):
            raise BadResponse(SERVICE, f"not a chat answer: {str(answer)[:80]}")
        content = strip_thinking(str(message.get("content") or ""))
        thinking = strip_thinking(str(message.get("thinking") or ""))
        return ChatAnswer(
            content or thinking,
            int(answer.get("prompt_eval_count") or 0),
            int(answer.get("eval_count") or 0),
            from_thinking=not content and bool(thinking),
        )

    def _payload(
        self, messages: Sequence[Mapping[str, Any]], max_tokens: int, *, stream: bool
    ) -> dict[str, Any]:
        return {
            "model": self.model,
            "messages": list(messages),
            "stream": stream,
            "think": False,
            "options": {"temperature": 0, "num_predict": max_tokens},
        }

    async def stream(
        self,
        messages: Sequence[Mapping[str, Any]],
        tools: Sequence[Mapping[str, Any]] = (),
        *,
        max_tokens: int = 1024,
        seconds: float = TIMEOUT,
    ) -> AsyncIterator[Piece]:
        """The answer chunk by chunk as Ollama writes it (NDJSON), with ``tools`` offered."""
        payload = self._payload(messages, max_tokens, stream=True)
        if tools:
            payload["tools"] = list(tools)
        for attempt in range(2):
            try:
                async for piece in self._lines(payload, seconds):
                    yield piece
                return
            except BadResponse as err:
                if attempt or "support thinking" not in err.detail:
                    raise
                del payload["think"]

    async def _lines(self, payload: dict[str, Any], seconds: float) -> AsyncIterator[Piece]:
        if self._session is None:
            raise CannotConnect(SERVICE, "no HTTP session")
        url = f"{self.url}/api/chat"
        try:
            async with self._session.post(
                url, json=payload, timeout=aiohttp.ClientTimeout(total=seconds)
            ) as resp:
                if resp.status >= 400:
                    body = (await resp.text())[:300]
                    raise BadResponse(SERVICE, f"HTTP {resp.status}: {body}")
                async for line in resp.content:  # one JSON object a line
                    if line.strip():
                        yield self._piece(line)
        except ValueError as err:  # a line over aiohttp's buffer
            raise BadResponse(SERVICE, f"a streamed chunk is unreadable: {err}") from err
        except (aiohttp.ClientError, TimeoutError) as err:
            raise CannotConnect(SERVICE, unreachable(err, url)) from err

    @staticmethod
    def _piece(line: bytes) -> Piece:
        try:
            chunk = json.loads(line)
        except ValueError as err:
            raise BadResponse(SERVICE, f"not NDJSON: {line[:80]!r}") from err
        if not isinstance(chunk, dict):
            raise BadResponse(SERVICE, f"not a chat chunk: {line[:80]!r}")
        if "error" in chunk:
            raise BadResponse(SERVICE, str(chunk["error"])[:300])
        message = chunk.get("message")
        if not isinstance(message, dict):
            message = {}
        return Piece(
            str(message.get("content") or ""),
            str(message.get("thinking") or ""),
            _calls(message),
            bool(chunk.get("done")),
            int(chunk.get("prompt_eval_count") or 0),
            int(chunk.get("eval_count") or 0),
        )

    async def _post(self, path: str, payload: dict[str, Any], seconds: float) -> Any:
        if self._session is None:
            raise CannotConnect(SERVICE, "no HTTP session")
        return await fetch_json(
            self._session,
            SERVICE,
            "POST",
            f"{self.url}{path}",
            payload=payload,
            limit=aiohttp.ClientTimeout(total=seconds),
        )
