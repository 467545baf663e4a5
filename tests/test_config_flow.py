"""The config, options, reauth and reconfigure flows, against the sandbox and a real qBittorrent."""

from __future__ import annotations

import subprocess
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
import requests
from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers.translation import async_get_translations
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_kiosk.config_flow import parse_path_map
from custom_components.plex_kiosk.const import (
    CONF_AI_DAILY_CALLS,
    CONF_AI_MODE,
    CONF_AI_TIMEOUT,
    CONF_INDEXERS,
    CONF_LANGUAGE,
    CONF_MIN_SCORE,
    CONF_MOVIES_ROOT,
    CONF_OLLAMA_URL,
    CONF_PATH_MAP,
    CONF_PLEX_TOKEN,
    CONF_POSTER_CHECK,
    CONF_QBT_PASSWORD,
    CONF_QUALITY,
    DOMAIN,
    PREFERENCE_DEFAULTS,
)
from tests.conftest import MACHINE_ID, MODEL, PLEX_TOKEN, TMDB_KEY, control, indexer_conf
from tests.sandbox import qbittorrent

pytestmark = pytest.mark.usefixtures("sandbox")


async def start(hass: HomeAssistant, advanced: bool = True) -> FlowResult:
    """Open the user flow (advanced mode shows the metadata URLs)."""
    return await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": config_entries.SOURCE_USER, "show_advanced_options": advanced},
    )


async def step(hass: HomeAssistant, result: FlowResult, data: dict[str, Any]) -> FlowResult:
    """Submit one form."""
    return await hass.config_entries.flow.async_configure(result["flow_id"], data)


def error_of(result: FlowResult) -> tuple[str, str]:
    """(step, error key) of a form shown again with an error."""
    assert result["type"] is FlowResultType.FORM
    return result["step_id"], (result["errors"] or {}).get("base", "")


def suggested(result: FlowResult, key: str) -> Any:
    """The value a form shows pre-filled in a field."""
    field = next(k for k in result["data_schema"].schema if str(k) == key)
    return (field.description or {}).get("suggested_value")


async def to_qbittorrent(hass: HomeAssistant, urls: dict[str, str]) -> FlowResult:
    """Through the Plex steps."""
    result = await step(
        hass, await start(hass), {"plex_url": urls["plex"], "plex_token": PLEX_TOKEN}
    )
    assert result["step_id"] == "libraries"
    return await step(
        hass, result, {"movie_section": "1", "series_section": "2", "anime_section": "3"}
    )


def qbt_form(qbt: qbittorrent.QBittorrent, password: str = qbittorrent.PASSWORD) -> dict[str, Any]:
    """The qBittorrent form filled in."""
    return {
        "qbittorrent_url": qbt.url,
        "qbittorrent_username": qbittorrent.USERNAME,
        "qbittorrent_password": password,
        "qbittorrent_category": "plex_kiosk",
    }


def paths_form(library: dict[str, str], path_map: str = "") -> dict[str, Any]:
    """The paths form filled in."""
    return {**library, CONF_PATH_MAP: path_map}


async def test_full_flow_creates_entry(
    hass: HomeAssistant,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    library: dict[str, str],
) -> None:
    """Every step, two indexers, TMDB, Ollama and a path map: one entry with all of it."""
    result = await start(hass)
    assert result["step_id"] == "user"
    result = await to_qbittorrent(hass, sandbox)
    assert result["step_id"] == "qbittorrent"
    result = await step(hass, result, qbt_form(qbt))
    assert result["step_id"] == "indexer"
    result = await step(
        hass, result, {**indexer_conf(sandbox, "ygg", "YggReborn", "ygg-key"), "add_another": True}
    )
    assert result["step_id"] == "indexer"
    assert not result["errors"]
    result = await step(hass, result, indexer_conf(sandbox, "nyaa", "Nyaa FR", "nyaa-key"))
    assert result["step_id"] == "metadata"
    assert {"tvmaze_url", "tmdb_url", "anilist_url"} <= {
        str(k) for k in result["data_schema"].schema
    }
    result = await step(
        hass,
        result,
        {
            "tmdb_api_key": TMDB_KEY,
            "tvmaze_url": sandbox["tvmaze"],
            "tmdb_url": sandbox["tmdb"],
            "anilist_url": sandbox["anilist"],
        },
    )
    assert result["step_id"] == "ollama"
    result = await step(hass, result, {"ollama_url": sandbox["ollama"]})
    assert result["step_id"] == "ollama_model"  # picked among the installed models
    [model] = result["data_schema"].schema
    assert model.default() == MODEL
    assert result["data_schema"].schema[model].config["options"] == ["llama3.2:3b", MODEL]
    result = await step(hass, result, {"ollama_model": MODEL})
    assert result["step_id"] == "paths"  # Plex's folders named, for the path map
    assert result["description_placeholders"]["locations"] == (
        "/data/media/movies, /data/media/tv, /data/media/anime"
    )
    assert suggested(result, "movies_root") is None  # not there as Home Assistant sees it
    result = await step(
        hass,
        result,
        paths_form(library, "/data/media/movies=/mnt/films/\n\n/data/media/tv=/mnt/tv"),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.title == "Plex Kiosk (Salon)"
    assert entry.unique_id == MACHINE_ID
    assert entry.data["plex_server_name"] == "Salon"
    assert entry.data[CONF_PATH_MAP] == {
        "/data/media/movies": "/mnt/films",
        "/data/media/tv": "/mnt/tv",
    }
    assert entry.data["anime_section"] == "3"
    assert entry.options[CONF_QUALITY] == "1080p"
    assert entry.options[CONF_MIN_SCORE] == 70
    indexers = entry.options[CONF_INDEXERS]
    assert [i["name"] for i in indexers] == ["YggReborn", "Nyaa FR"]
    assert "tvdbid" in indexers[0]["caps"]["searching"]["tvsearch"]
    assert "5070" in indexers[0]["caps"]["categories"]
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.plex_kiosk_salon_indexer_nyaa_fr").state == "off"


async def test_minimal_flow_without_ai_or_tmdb(
    hass: HomeAssistant,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    library: dict[str, str],
) -> None:
    """TMDB and Ollama left empty: the entry has no AI and no TMDB, and no URL fields are shown.
    Addresses typed without ``http://`` (as people type them) are taken, and stored with it.
    Library folders Plex and Home Assistant both see are suggested."""
    control(
        sandbox, "plex_locations", {"1": [library["movies_root"]], "2": [library["series_root"]]}
    )
    bare = sandbox["plex"].removeprefix("http://")
    result = await step(
        hass, await start(hass, advanced=False), {"plex_url": bare, "plex_token": PLEX_TOKEN}
    )
    result = await step(hass, result, {"movie_section": "1", "series_section": "2"})
    result = await step(hass, result, {**qbt_form(qbt), "qbittorrent_url": f" {qbt.url[7:]} "})
    indexer = indexer_conf(sandbox, "ygg", "YggReborn", "ygg-key")
    result = await step(hass, result, {**indexer, "url": indexer["url"].removeprefix("http://")})
    assert {str(k) for k in result["data_schema"].schema} == {"tmdb_api_key"}
    result = await step(hass, result, {})
    result = await step(hass, result, {})  # no Ollama: the AI is off, no model to pick
    assert suggested(result, "movies_root") == library["movies_root"]
    assert suggested(result, "series_root") == library["series_root"]
    result = await step(hass, result, {k: v for k, v in library.items() if k != "anime_root"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_OLLAMA_URL not in result["data"]
    assert "anime_section" not in result["data"]
    assert (result["data"]["plex_url"], result["data"]["qbittorrent_url"]) == (
        sandbox["plex"],
        qbt.url,
    )
    assert result["options"]["indexers"][0]["url"] == indexer["url"]


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"plex_url": "http://127.0.0.1:9", "plex_token": PLEX_TOKEN}, "cannot_connect"),
        ({"plex_token": "wrong"}, "invalid_auth"),
    ],
)
async def test_plex_errors(
    hass: HomeAssistant, sandbox: dict[str, str], form: dict[str, str], error: str
) -> None:
    """A Plex that does not answer, or refuses the token, shows the error on the same form,
    in words a person can act on."""
    result = await step(hass, await start(hass), {"plex_url": sandbox["plex"], **form})
    assert error_of(result) == ("user", error)
    if error == "cannot_connect":
        assert (
            result["description_placeholders"]["detail"]
            == "nothing answers at 127.0.0.1:9 (connection refused)"
        )
    assert suggested(result, "plex_url") == form.get("plex_url", sandbox["plex"])
    assert suggested(result, "plex_token") is None  # secrets are never echoed back


async def test_an_unexpected_error_is_said_and_logged(
    hass: HomeAssistant,
    sandbox: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A library failing in a way nobody planned (a broken DNS resolver after a package was
    replaced) is no "Unknown error": the form says where and what, the log keeps the
    traceback."""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("Could not contact DNS servers")

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", broken)
    result = await step(
        hass, await start(hass), {"plex_url": sandbox["plex"], "plex_token": PLEX_TOKEN}
    )
    assert error_of(result) == ("user", "cannot_connect")
    where = sandbox["plex"].removeprefix("http://")
    assert result["description_placeholders"]["detail"] == f"{where}: Could not contact DNS servers"
    assert f"Checking {where} failed" in caplog.text
    assert "Traceback" in caplog.text


async def test_plex_answering_html(hass: HomeAssistant, sandbox: dict[str, str]) -> None:
    """A proxy's HTML error page instead of Plex XML is a clear error, not a crash."""
    control(sandbox, "fault", {"service": "plex", "mode": "html"})
    result = await step(
        hass, await start(hass), {"plex_url": sandbox["plex"], "plex_token": PLEX_TOKEN}
    )
    assert error_of(result) == ("user", "bad_response")


async def test_second_entry_for_same_server_aborts(
    hass: HomeAssistant, config_entry: MockConfigEntry, sandbox: dict[str, str]
) -> None:
    """One entry per Plex server."""
    config_entry.add_to_hass(hass)
    result = await step(
        hass, await start(hass), {"plex_url": sandbox["plex"], "plex_token": PLEX_TOKEN}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_a_second_window_for_the_same_server_is_told_why(
    hass: HomeAssistant, sandbox: dict[str, str]
) -> None:
    """A setup left open in another window (or tab) of the same server: the new one stops
    with a sentence, in English and French, not the bare reason code."""
    first = await start(hass)
    await step(hass, first, {"plex_url": sandbox["plex"], "plex_token": PLEX_TOKEN})
    result = await step(
        hass, await start(hass), {"plex_url": sandbox["plex"], "plex_token": PLEX_TOKEN}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_in_progress"
    for language, word in (("en", "window"), ("fr", "fenêtre")):
        texts = await async_get_translations(hass, language, "config", {DOMAIN})
        assert word in texts[f"component.{DOMAIN}.config.abort.already_in_progress"]


async def test_server_without_movie_library_aborts(
    hass: HomeAssistant, other_sandbox_urls: dict[str, str]
) -> None:
    """A server with no movie library cannot be used, and the user is told why."""
    result = await step(
        hass,
        await start(hass),
        {"plex_url": other_sandbox_urls["plex"], "plex_token": "other-plex-token"},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_sections"


async def test_qbittorrent_errors(
    hass: HomeAssistant, sandbox: dict[str, str], qbt: qbittorrent.QBittorrent
) -> None:
    """Wrong password, nothing listening, and a too-old qBittorrent each show their error."""
    result = await to_qbittorrent(hass, sandbox)
    result = await step(hass, result, qbt_form(qbt, password="wrong"))
    assert error_of(result) == ("qbittorrent", "invalid_auth")
    result = await step(hass, result, {**qbt_form(qbt), "qbittorrent_url": "http://127.0.0.1:9"})
    assert error_of(result) == ("qbittorrent", "cannot_connect")
    assert (
        result["description_placeholders"]["detail"]
        == "nothing answers at 127.0.0.1:9 (connection refused)"
    )
    result = await step(
        hass, result, {**qbt_form(qbt), "qbittorrent_url": sandbox["qbittorrent_legacy"]}
    )
    assert error_of(result) == ("qbittorrent", "unsupported_version")
    assert result["description_placeholders"]["detail"] == "2.0"
    result = await step(hass, result, qbt_form(qbt))
    assert result["step_id"] == "indexer"


async def test_indexer_errors(
    hass: HomeAssistant, sandbox: dict[str, str], qbt: qbittorrent.QBittorrent
) -> None:
    """Cloudflare page, garbage XML, bad key, no TV/movie search, duplicate name: each explained."""
    result = await step(hass, await to_qbittorrent(hass, sandbox), qbt_form(qbt))
    cases = [
        (indexer_conf(sandbox, "cloudy", "Cloudy", "cloudy-key"), "bad_response", "Cloudflare"),
        (indexer_conf(sandbox, "broken", "Broken", "broken-key"), "bad_response", "malformed XML"),
        (indexer_conf(sandbox, "ygg", "YggReborn", "wrong"), "invalid_auth", "Invalid API Key"),
        (indexer_conf(sandbox, "music", "Music", "music-key"), "no_search", "Music"),
        (
            {
                **indexer_conf(sandbox, "ygg", "YggReborn", "ygg-key"),
                "url": "http://127.0.0.1:9/api",
            },
            "cannot_connect",
            "",
        ),
    ]
    for form, error, detail in cases:
        result = await step(hass, result, form)
        assert error_of(result) == ("indexer", error)
        assert detail in result["description_placeholders"]["detail"]
    result = await step(
        hass, result, {**indexer_conf(sandbox, "ygg", "YggReborn", "ygg-key"), "add_another": True}
    )
    result = await step(hass, result, indexer_conf(sandbox, "nyaa", "YggReborn", "nyaa-key"))
    assert error_of(result) == ("indexer", "duplicate_indexer")


async def test_metadata_and_ollama_errors(
    hass: HomeAssistant,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    library: dict[str, str],
) -> None:
    """A refused TMDB key, a missing model and an unreachable Ollama are caught before saving."""
    result = await step(hass, await to_qbittorrent(hass, sandbox), qbt_form(qbt))
    result = await step(hass, result, indexer_conf(sandbox, "ygg", "YggReborn", "ygg-key"))
    urls = {
        "tvmaze_url": sandbox["tvmaze"],
        "tmdb_url": sandbox["tmdb"],
        "anilist_url": sandbox["anilist"],
    }
    result = await step(hass, result, {"tmdb_api_key": "wrong", **urls})
    assert error_of(result) == ("metadata", "invalid_auth")
    result = await step(hass, result, {"tmdb_api_key": "eyJsandbox-not-a-token", **urls})
    assert error_of(result) == ("metadata", "invalid_auth")
    result = await step(hass, result, {"tmdb_api_key": TMDB_KEY, **urls})
    result = await step(hass, result, {"ollama_url": "http://127.0.0.1:9"})
    assert error_of(result) == ("ollama", "cannot_connect")
    result = await step(hass, result, {"ollama_url": sandbox["ollama"]})
    result = await step(hass, result, {"ollama_model": "mistral:7b"})  # typed, not installed
    assert error_of(result) == ("ollama_model", "model_not_found")
    assert result["description_placeholders"]["detail"] == "mistral:7b"
    result = await step(hass, result, {"ollama_model": MODEL})
    assert result["step_id"] == "paths"


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Generator[Path]:
    """A folder nobody can write to, root included (immutable flag)."""
    frozen = tmp_path / "frozen"
    frozen.mkdir()
    subprocess.run(["chattr", "+i", str(frozen)], check=True)
    yield frozen
    subprocess.run(["chattr", "-i", str(frozen)], check=True)


async def test_path_errors(
    hass: HomeAssistant,
    read_only_dir: Path,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    library: dict[str, str],
    tmp_path: Path,
) -> None:
    """Missing and read-only folders and a malformed path map are refused, culprit named."""
    result = await step(hass, await to_qbittorrent(hass, sandbox), qbt_form(qbt))
    result = await step(hass, result, indexer_conf(sandbox, "ygg", "YggReborn", "ygg-key"))
    result = await step(
        hass,
        result,
        {
            "tvmaze_url": sandbox["tvmaze"],
            "tmdb_url": sandbox["tmdb"],
            "anilist_url": sandbox["anilist"],
        },
    )
    result = await step(hass, result, {})
    missing = str(tmp_path / "nope")
    result = await step(hass, result, {**library, CONF_MOVIES_ROOT: missing})
    assert error_of(result) == ("paths", "path_missing")
    assert result["description_placeholders"]["detail"] == missing
    result = await step(hass, result, {**library, CONF_MOVIES_ROOT: str(read_only_dir)})
    assert error_of(result) == ("paths", "path_not_writable")
    result = await step(hass, result, paths_form(library, "/data/media:/mnt"))
    assert error_of(result) == ("paths", "invalid_path_map")
    result = await step(hass, result, paths_form(library))
    assert result["type"] is FlowResultType.CREATE_ENTRY


def test_parse_path_map() -> None:
    """Blank lines are skipped, trailing slashes trimmed; relative paths refused."""
    assert parse_path_map(" /a/ = /b/ \n\n") == {"/a": "/b"}
    with pytest.raises(Exception, match="invalid_path_map"):
        parse_path_map("a=/b")


async def test_reauth(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, qbt: qbittorrent.QBittorrent
) -> None:
    """A wrong new token is refused; the right one is saved and the entry reloads."""
    hass.config_entries.async_update_entry(
        loaded_entry, data={**loaded_entry.data, CONF_PLEX_TOKEN: "old", CONF_QBT_PASSWORD: "old"}
    )
    result = await loaded_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    result = await step(
        hass, result, {CONF_PLEX_TOKEN: "still-wrong", CONF_QBT_PASSWORD: qbittorrent.PASSWORD}
    )
    assert error_of(result) == ("reauth_confirm", "invalid_auth")
    result = await step(
        hass, result, {CONF_PLEX_TOKEN: PLEX_TOKEN, CONF_QBT_PASSWORD: qbittorrent.PASSWORD}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert loaded_entry.data[CONF_PLEX_TOKEN] == PLEX_TOKEN
    assert loaded_entry.data[CONF_QBT_PASSWORD] == qbittorrent.PASSWORD


async def test_reauth_empty_field_keeps_stored_value(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """Only the qBittorrent password changed: the Plex token field can stay empty."""
    result = await loaded_entry.start_reauth_flow(hass)
    result = await step(hass, result, {CONF_QBT_PASSWORD: qbittorrent.PASSWORD})
    assert result["reason"] == "reauth_successful"
    assert loaded_entry.data[CONF_PLEX_TOKEN] == PLEX_TOKEN


async def test_reconfigure(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    tmp_path: Path,
) -> None:
    """New folders and AI turned off; a bad path is refused first."""
    result = await loaded_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    form = {
        "plex_url": sandbox["plex"],
        "qbittorrent_url": qbt.url,
        "qbittorrent_username": qbittorrent.USERNAME,
        "ollama_model": MODEL,
        "download_dir": loaded_entry.data["download_dir"],
        "movies_root": str(tmp_path / "missing"),
        "series_root": loaded_entry.data["series_root"],
        "path_map": "/data/media/movies=/mnt/films",
    }
    result = await step(hass, result, form)
    assert error_of(result) == ("reconfigure", "path_missing")
    (tmp_path / "films").mkdir()
    result = await step(hass, result, {**form, "movies_root": str(tmp_path / "films")})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert loaded_entry.data["movies_root"] == str(tmp_path / "films")
    assert CONF_OLLAMA_URL not in loaded_entry.data
    assert loaded_entry.data[CONF_PATH_MAP] == {"/data/media/movies": "/mnt/films"}
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.plex_kiosk_salon_ollama") is None


async def test_reconfigure_to_another_server_aborts(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, other_sandbox_urls: dict[str, str]
) -> None:
    """Pointing an entry at another Plex server is refused."""
    hass.config_entries.async_update_entry(
        loaded_entry, data={**loaded_entry.data, CONF_PLEX_TOKEN: "other-plex-token"}
    )
    result = await loaded_entry.start_reconfigure_flow(hass)
    form = {
        k: loaded_entry.data[k]
        for k in (
            "qbittorrent_url",
            "qbittorrent_username",
            "ollama_url",
            "ollama_model",
            "download_dir",
            "movies_root",
            "series_root",
        )
    }
    result = await step(hass, result, {**form, "plex_url": other_sandbox_urls["plex"]})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_server"


async def test_options_preferences(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """A subtitle purist prefers VOSTFR in 2160p; the indexers are kept."""
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "preferences"}
    )
    assert result["step_id"] == "preferences"
    new = {
        **PREFERENCE_DEFAULTS,
        CONF_QUALITY: "2160p",
        CONF_LANGUAGE: "VOSTFR",
        CONF_MIN_SCORE: 60.0,
    }
    bad = await hass.config_entries.options.async_configure(
        result["flow_id"], {**new, "episode_template": "../{series}/{nope}"}
    )
    assert error_of(bad) == ("preferences", "invalid_template")
    result = await hass.config_entries.options.async_configure(result["flow_id"], new)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert loaded_entry.options[CONF_LANGUAGE] == "VOSTFR"
    assert loaded_entry.options[CONF_MIN_SCORE] == 60
    assert isinstance(loaded_entry.options[CONF_MIN_SCORE], int)
    assert len(loaded_entry.options[CONF_INDEXERS]) == 2


async def test_options_ai(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """The AI step: advise only, a shorter timeout, fewer calls; the agent follows after the
    reload (an advising model keeps the engine's order); off removes it and its sensor."""
    result = await options_step(hass, loaded_entry, "ai")
    assert result["step_id"] == "ai"
    assert result["description_placeholders"] == {"model": MODEL}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_AI_MODE: "advise",
            CONF_AI_TIMEOUT: 20.0,
            CONF_AI_DAILY_CALLS: 50,
            CONF_POSTER_CHECK: True,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    llm = loaded_entry.runtime_data.llm
    assert llm is not None
    assert (llm.settings.mode, llm.settings.timeout, llm.settings.daily_calls) == ("advise", 20, 50)
    assert isinstance(loaded_entry.options[CONF_AI_TIMEOUT], int)
    assert loaded_entry.runtime_data.downloads.acquirer.posters is not None
    assert len(loaded_entry.options[CONF_INDEXERS]) == 2
    result = await options_step(hass, loaded_entry, "ai")
    await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_AI_MODE: "off",
            CONF_AI_TIMEOUT: 20,
            CONF_AI_DAILY_CALLS: 50,
            CONF_POSTER_CHECK: True,
        },
    )
    await hass.async_block_till_done()
    assert loaded_entry.runtime_data.llm is None
    assert loaded_entry.runtime_data.manager.releases.reranker is None
    assert loaded_entry.runtime_data.downloads.acquirer.posters is None  # no model, no eyes


async def options_step(hass: HomeAssistant, entry: MockConfigEntry, step_id: str) -> FlowResult:
    """Open the options menu and pick a step."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    return await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step_id}
    )


async def test_options_add_and_remove_indexers(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sandbox: dict[str, str]
) -> None:
    """Add a checked indexer (duplicates and bad keys refused); remove all but one: nothing is
    ticked at first, an empty or a whole selection is refused, and what goes is named before
    it goes."""
    result = await options_step(hass, loaded_entry, "add_indexer")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], indexer_conf(sandbox, "ygg", "YggReborn", "ygg-key")
    )
    assert error_of(result) == ("add_indexer", "duplicate_indexer")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], indexer_conf(sandbox, "ygg", "Second", "bad")
    )
    assert error_of(result) == ("add_indexer", "invalid_auth")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], indexer_conf(sandbox, "ygg", "Second", "ygg-key")
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert [i["name"] for i in loaded_entry.options[CONF_INDEXERS]] == [
        "YggReborn",
        "Nyaa FR",
        "Second",
    ]
    assert hass.states.get("binary_sensor.plex_kiosk_salon_indexer_second").state == "off"

    result = await options_step(hass, loaded_entry, "remove_indexer")
    [field] = result["data_schema"].schema
    assert field.default() == []  # the frontend ticks nothing
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert error_of(result) == ("remove_indexer", "none_selected")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_INDEXERS: ["YggReborn", "Nyaa FR", "Second"]}
    )
    assert error_of(result) == ("remove_indexer", "last_indexer")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_INDEXERS: ["Second", "YggReborn"]}
    )
    assert result["step_id"] == "confirm_remove"
    assert result["description_placeholders"] == {"indexers": "YggReborn, Second"}
    assert len(loaded_entry.options[CONF_INDEXERS]) == 3  # nothing gone yet
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert [i["name"] for i in loaded_entry.options[CONF_INDEXERS]] == ["Nyaa FR"]
    assert hass.states.get("binary_sensor.plex_kiosk_salon_indexer_yggreborn") is None
