"""Voice: the shipped sentences installed into the configuration folder (a user's edit
kept), real French and English sentences through Home Assistant's conversation agent
answered from the real state, and the intents offered as tools to any LLM agent."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import llm
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from tests.test_follow import at, epoch, follow
from tests.test_upgrades import call

INTENTS = {
    "PlexKioskUpcoming",
    "PlexKioskRecent",
    "PlexKioskInLibrary",
    "PlexKioskDownloads",
    "PlexKioskRequestMovie",
    "PlexKioskFollowSeries",
}


async def say(hass: HomeAssistant, text: str, language: str, user: str | None = None) -> str:
    """What Assist answers to ``text``."""
    result = await conversation.async_converse(
        hass, text, None, Context(user_id=user), language=language
    )
    speech: str = result.response.speech["plain"]["speech"]
    return speech


async def installed(hass: HomeAssistant, folder: Path) -> dict[str, Any]:
    """The sentences installed into ``folder`` as the configuration folder."""
    hass.config.config_dir = str(folder)
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    result: dict[str, Any] = await call(hass, "install_sentences")
    return result


async def test_sentences_are_installed_and_an_edit_is_kept(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, tmp_path: Path
) -> None:
    """Both languages are copied; installed again, an untouched copy is refreshed and an
    edited one is kept as the user left it."""
    assert await installed(hass, tmp_path) == {"installed": ["en", "fr"], "kept": []}
    french = tmp_path / "custom_sentences" / "fr" / "plex_kiosk.yaml"
    assert "PlexKioskUpcoming" in french.read_text(encoding="utf-8")
    edited = french.read_text(encoding="utf-8") + "# à ma façon\n"
    french.write_text(edited, encoding="utf-8")
    assert await call(hass, "install_sentences") == {"installed": ["en"], "kept": ["fr"]}
    assert french.read_text(encoding="utf-8") == edited


async def test_assist_answers_in_french_and_english(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
    tmp_path: Path,
    hass_read_only_user: MockUser,
) -> None:
    """'Qu'est-ce qui sort cette semaine ?' lists the coming episodes with their day; the
    English sentence too; a title in Plex is found; a family member may request a movie by
    voice but not follow a series."""
    await follow(hass, title="Slow Horses")
    await at(hass, loaded_entry, sandbox, freezer, epoch(sandbox) + timedelta(hours=1))
    await call(hass, "scan_library")
    await installed(hass, tmp_path)
    french = await say(hass, "Qu'est-ce qui sort cette semaine ?", "fr")
    assert french.startswith("Cette semaine : Slow Horses S05E")
    english = await say(hass, "What's coming this week?", "en")
    assert english.startswith("This week: Slow Horses S05E")
    assert await say(hass, "Est-ce qu'on a Oppenheimer dans Plex ?", "fr") == (
        "Oui, Oppenheimer (2023) est dans Plex."
    )
    assert await say(hass, "Do we have Oppenheimer?", "en") == "Yes, Oppenheimer (2023) is in Plex."
    assert (await say(hass, "Ai-je Barbie dans Plex ?", "fr")).startswith("Non, Barbie")
    asked = await say(hass, "Télécharge le film Dune", "fr", hass_read_only_user.id)
    assert asked == "C'est demandé : Dune."
    assert len(loaded_entry.runtime_data.data.requests) == 1
    refused = await say(hass, "Suis la série One Piece", "fr", hass_read_only_user.id)
    assert refused.startswith("Impossible")
    assert [f.title for f in loaded_entry.runtime_data.data.follows.values()] == ["Slow Horses"]
    downloading = await say(hass, "Qu'est-ce qui se télécharge ?", "fr")
    assert downloading.startswith("En cours : Dune.")  # the movie just requested by voice
    assert (await say(hass, "Quoi de neuf dans Plex ?", "fr")).startswith("Rien de nouveau")


async def test_the_intents_are_tools_of_any_llm_agent(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """The Assist LLM API offers every Plex Kiosk intent as a tool, and calling one
    answers from the real state."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "intent", {})
    fields = {f.name for f in dataclasses.fields(llm.LLMContext)}
    values = {"platform": "test", "context": Context(), "user_prompt": None, "language": "fr",
              "assistant": conversation.DOMAIN, "device_id": None}  # fmt: skip
    context = llm.LLMContext(**{k: v for k, v in values.items() if k in fields})
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, context)
    tools = {tool.name: tool for tool in api.tools}
    assert set(tools) >= INTENTS
    answer = await api.async_call_tool(llm.ToolInput(tool_name="PlexKioskUpcoming", tool_args={}))
    assert answer["speech"]["plain"]["speech"] == "Rien cette semaine."


async def test_the_plex_kiosk_llm_api(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_read_only_user: MockUser
) -> None:
    """Any conversation agent may be given the "Plex Kiosk" API: its read tools answer from
    the store (a family member sees only their own requests), and the one that would change
    something only makes a proposal for the family member who asked — nothing is followed."""
    await call(hass, "scan_library")
    await call(hass, "request", title="Oppenheimer")  # an administrator's
    fields = {f.name for f in dataclasses.fields(llm.LLMContext)}
    values = {"platform": "test", "context": Context(user_id=hass_read_only_user.id),
              "user_prompt": None, "language": "fr", "assistant": conversation.DOMAIN,
              "device_id": None}  # fmt: skip
    context = llm.LLMContext(**{k: v for k, v in values.items() if k in fields})
    api = await llm.async_get_api(hass, "plex_kiosk", context)
    assert "plex_kiosk_propose" in api.api_prompt
    assert {t.name for t in api.tools} == {
        "plex_kiosk_upcoming",
        "plex_kiosk_library",
        "plex_kiosk_downloads",
        "plex_kiosk_report",
        "plex_kiosk_follows",
        "plex_kiosk_requests",
        "plex_kiosk_propose",
    }

    async def use(tool: str, **args: Any) -> Any:
        return await api.async_call_tool(llm.ToolInput(tool_name=tool, tool_args=args))

    found = await use("plex_kiosk_library", title="Dune")
    assert {i["title"] for i in found["in_plex"]} == {"Dune", "Dune : Deuxième partie"}
    assert await use("plex_kiosk_upcoming") == {"episodes": []}
    assert await use("plex_kiosk_downloads") == {"downloads": []}
    assert await use("plex_kiosk_report") == {"report": None}
    assert await use("plex_kiosk_follows") == {"follows": [], "total": 0}
    assert await use("plex_kiosk_requests") == {"requests": []}
    assert len(loaded_entry.runtime_data.data.requests) == 1
    proposed = await use("plex_kiosk_propose", action="follow", title="Slow Horses")
    assert [p["action"] for p in proposed["proposals"]] == ["follow"]
    proposal = loaded_entry.runtime_data.data.proposals[proposed["proposals"][0]["id"]]
    assert (proposal.user_id, proposal.status) == (hass_read_only_user.id, "pending")
    assert loaded_entry.runtime_data.data.follows == {}
    await hass.config_entries.async_unload(loaded_entry.entry_id)
    assert "plex_kiosk" not in {a.id for a in llm.async_get_apis(hass)}
