"""Ollama client (``ollama.AsyncClient``): model checks and chat with structured output."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
import ollama

from .errors import BadResponse, CannotConnect

SERVICE = "ollama"
TIMEOUT = 120.0
THINK_RE = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL)


def strip_thinking(text: str) -> str:
    """Remove ``<think>…</think>`` blocks that Qwen3 models may leak into content."""
    return THINK_RE.sub("", text).strip()


class OllamaClient:
    """An Ollama server and the model Plex Kiosk uses on it."""

    def __init__(self, url: str, model: str, verify: Any = True) -> None:
        """``verify`` takes an SSL context so that creating the client never blocks."""
        self.model = model
        self._api = ollama.AsyncClient(host=url, timeout=TIMEOUT, verify=verify)

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
        """Check the configured model exists; return its capabilities (may be empty)."""
        answer = await self._do(self._api.show(self.model))
        if not answer.modelinfo:
            raise BadResponse(SERVICE, f"model {self.model} has no model_info")
        return list(getattr(answer, "capabilities", None) or [])

    async def chat(
        self,
        messages: Sequence[Mapping[str, Any]],
        schema: dict[str, Any] | None = None,
    ) -> str:
        """One complete answer, thinking stripped (``schema`` asks for structured output)."""
        answer = await self._do(
            self._api.chat(model=self.model, messages=messages, format=schema, stream=False)
        )
        return strip_thinking(str(answer.message.content or ""))
