"""Config, options, reauth and reconfigure flows; every step tests what it saves."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Awaitable, Mapping
from pathlib import Path
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from . import connections
from .clients import anilist, tmdb, tvmaze
from .clients.errors import ClientError, address, clean
from .clients.plex import PlexServerInfo
from .const import (
    AI_MODES,
    CONF_AI_DAILY_CALLS,
    CONF_AI_MODE,
    CONF_AI_TIMEOUT,
    CONF_ANILIST_URL,
    CONF_ANIME_ROOT,
    CONF_ANIME_SECTION,
    CONF_DOWNLOAD_DIR,
    CONF_DUB,
    CONF_EPISODE_TEMPLATE,
    CONF_INDEXER_API_KEY,
    CONF_INDEXER_CAPS,
    CONF_INDEXER_NAME,
    CONF_INDEXER_URL,
    CONF_INDEXERS,
    CONF_KEEP_DAYS,
    CONF_LANGUAGE,
    CONF_MIN_SCORE,
    CONF_MIN_SEEDERS,
    CONF_MOVIE_SECTION,
    CONF_MOVIE_TEMPLATE,
    CONF_MOVIES_ROOT,
    CONF_OLLAMA_MODEL,
    CONF_OLLAMA_URL,
    CONF_PATH_MAP,
    CONF_PLEX_SERVER_NAME,
    CONF_PLEX_TOKEN,
    CONF_PLEX_URL,
    CONF_POLL_MINUTES,
    CONF_POSTER_CHECK,
    CONF_QBT_CATEGORY,
    CONF_QBT_PASSWORD,
    CONF_QBT_URL,
    CONF_QBT_USERNAME,
    CONF_QUALITY,
    CONF_RECYCLE_DAYS,
    CONF_REQUEST_EXPIRE_DAYS,
    CONF_REQUEST_LIMIT,
    CONF_SEASON_PACKS,
    CONF_SERIES_ROOT,
    CONF_SERIES_SECTION,
    CONF_TMDB_API_KEY,
    CONF_TMDB_URL,
    CONF_TVMAZE_URL,
    CONF_UPGRADE_BUDGET,
    CONF_UPGRADE_GAIN,
    CONF_UPGRADE_SEEDERS,
    DEFAULT_OLLAMA_MODEL,
    DEFAULT_OPTIONS,
    DEFAULT_QBT_CATEGORY,
    DOMAIN,
    DUBS,
    LANGUAGES,
    MIN_QBT_WEB_API,
    QUALITIES,
)
from .engine.naming import check_template

ADD_ANOTHER = "add_another"
PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
URL = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
URL_FIELDS = frozenset(
    {
        CONF_PLEX_URL,
        CONF_QBT_URL,
        CONF_INDEXER_URL,
        CONF_OLLAMA_URL,
        CONF_TVMAZE_URL,
        CONF_TMDB_URL,
        CONF_ANILIST_URL,
    }
)
_LOGGER = logging.getLogger(__name__)
TEXT = TextSelector()
MULTILINE = TextSelector(TextSelectorConfig(multiline=True))
PATH_FIELDS = (CONF_DOWNLOAD_DIR, CONF_MOVIES_ROOT, CONF_SERIES_ROOT, CONF_ANIME_ROOT)


class FlowError(Exception):
    """A check failed: ``key`` is the translated error, ``detail`` fills its placeholder."""

    def __init__(self, key: str, detail: str = "") -> None:
        """Keep the error key and its detail."""
        super().__init__(key)
        self.key = key
        self.detail = detail


async def _checked[T](awaitable: Awaitable[T], url: str) -> T:
    """Await a client call, turning its error into a FlowError; an unexpected one (a broken
    DNS resolver, a library's bug) is logged with its traceback and said as what it is."""
    try:
        return await awaitable
    except ClientError as err:
        raise FlowError(err.kind, err.detail) from err
    except Exception as err:
        _LOGGER.exception("Checking %s failed", address(url))
        reason = clean(str(err)) or type(err).__name__
        raise FlowError("cannot_connect", f"{address(url)}: {reason}") from err


def with_schemes(user_input: dict[str, Any]) -> dict[str, Any]:
    """Addresses typed without ``http://`` get it (``192.168.1.10:8080`` is what people type)."""
    return {
        key: f"http://{value.strip()}"
        if key in URL_FIELDS and isinstance(value, str) and value.strip() and "://" not in value
        else value
        for key, value in user_input.items()
    }


def parse_path_map(text: str) -> dict[str, str]:
    """Lines ``/plex/prefix=/local/prefix`` as a mapping; raises FlowError on a bad line."""
    mapping: dict[str, str] = {}
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        plex_path, sep, local_path = line.partition("=")
        if (
            not sep
            or not plex_path.strip().startswith("/")
            or not local_path.strip().startswith("/")
        ):
            raise FlowError("invalid_path_map", line)
        mapping[plex_path.strip().rstrip("/")] = local_path.strip().rstrip("/")
    return mapping


def _check_dirs(paths: Mapping[str, str]) -> None:
    """Each folder must exist and take a new file (a real write: mode bits lie to root)."""
    for path in paths.values():
        if not Path(path).is_dir():
            raise FlowError("path_missing", path)
        try:
            with tempfile.TemporaryFile(dir=path):
                pass
        except OSError as err:
            raise FlowError("path_not_writable", path) from err


async def check_paths(hass: HomeAssistant, user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Library and download folders must exist and be writable; the path map must parse."""
    paths = {k: str(user_input[k]).rstrip("/") or "/" for k in PATH_FIELDS if user_input.get(k)}
    await hass.async_add_executor_job(_check_dirs, paths)
    return {**paths, CONF_PATH_MAP: parse_path_map(user_input.get(CONF_PATH_MAP, ""))}


async def check_plex(hass: HomeAssistant, data: Mapping[str, Any]) -> PlexServerInfo:
    """Connect to Plex with the token and list its libraries."""
    return await _checked(connections.plex_client(hass, data).server_info(), data[CONF_PLEX_URL])


async def check_qbittorrent(hass: HomeAssistant, data: Mapping[str, Any]) -> None:
    """Log in to qBittorrent and require Web API 2.8 or newer."""
    version = await _checked(connections.qbittorrent_client(hass, data).login(), data[CONF_QBT_URL])
    parts = tuple(int(p) for p in version.split(".")[:2] if p.isdigit())
    if parts < MIN_QBT_WEB_API:
        raise FlowError("unsupported_version", version)


async def check_indexer(hass: HomeAssistant, conf: Mapping[str, Any]) -> dict[str, Any]:
    """Read an indexer's capabilities (``t=caps``); return them as stored data."""
    caps = await _checked(connections.indexer_client(hass, conf).caps(), conf[CONF_INDEXER_URL])
    if not caps.searching:  # plain search (a query) is enough, as Sonarr takes it
        raise FlowError("no_search", conf[CONF_INDEXER_NAME])
    return caps.as_dict()


async def ollama_models(hass: HomeAssistant, data: Mapping[str, Any]) -> list[str]:
    """The models installed on the Ollama server at ``data``'s URL, sorted."""
    client = connections.ollama_client(hass, data)
    assert client is not None  # a URL was given
    return sorted(await _checked(client.models(), data[CONF_OLLAMA_URL]))


async def check_ollama(hass: HomeAssistant, data: Mapping[str, Any]) -> None:
    """When a URL is given, the model must be installed there and answer ``show``."""
    client = connections.ollama_client(hass, data)
    if client is None:
        return
    installed = await _checked(client.models(), data[CONF_OLLAMA_URL])
    if client.model not in installed:
        raise FlowError("model_not_found", client.model)
    await _checked(client.capabilities(), data[CONF_OLLAMA_URL])


async def check_tmdb(hass: HomeAssistant, data: Mapping[str, Any]) -> None:
    """When a TMDB key is given, it must be accepted."""
    if client := connections.tmdb_client(hass, data):
        await _checked(client.validate(), str(data.get(CONF_TMDB_URL) or tmdb.DEFAULT_URL))


def _section_selector(info: PlexServerInfo, kind: str) -> SelectSelector:
    options = [
        SelectOptionDict(value=s.key, label=s.title) for s in info.sections if s.type == kind
    ]
    return SelectSelector(SelectSelectorConfig(options=options, mode=SelectSelectorMode.DROPDOWN))


def _choice(values: tuple[str, ...], translation_key: str = "") -> SelectSelector:
    config = SelectSelectorConfig(options=list(values), mode=SelectSelectorMode.LIST)
    if translation_key:  # worded options, shown in the user's language
        config["translation_key"] = translation_key
    return SelectSelector(config)


def _number(low: int, high: int) -> NumberSelector:
    return NumberSelector(
        NumberSelectorConfig(min=low, max=high, step=1, mode=NumberSelectorMode.BOX)
    )


def indexer_schema(add_another: bool) -> vol.Schema:
    """The form that adds one Torznab indexer."""
    schema: dict[Any, Any] = {
        vol.Required(CONF_INDEXER_NAME): TEXT,
        vol.Required(CONF_INDEXER_URL): URL,
        vol.Required(CONF_INDEXER_API_KEY): PASSWORD,
    }
    if add_another:
        schema[vol.Optional(ADD_ANOTHER, default=False)] = BooleanSelector()
    return vol.Schema(schema)


def paths_schema() -> vol.Schema:
    """Download folder, library roots and the Plex → local path map."""
    return vol.Schema(
        {
            vol.Required(CONF_DOWNLOAD_DIR): TEXT,
            vol.Required(CONF_MOVIES_ROOT): TEXT,
            vol.Required(CONF_SERIES_ROOT): TEXT,
            vol.Optional(CONF_ANIME_ROOT): TEXT,
            vol.Optional(CONF_PATH_MAP, default=""): MULTILINE,
        }
    )


def path_map_text(mapping: Mapping[str, str]) -> str:
    """The stored path map as the form shows it."""
    return "\n".join(f"{plex}={local}" for plex, local in mapping.items())


class PlexKioskConfigFlow(ConfigFlow, domain=DOMAIN):
    """Plex → libraries → qBittorrent → indexers → metadata → Ollama → paths."""

    VERSION = 1
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start with nothing collected."""
        self._data: dict[str, Any] = {}
        self._indexers: list[dict[str, Any]] = []
        self._plex: PlexServerInfo | None = None
        self._models: list[str] = []

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> PlexKioskOptionsFlow:
        """Preferences, thresholds and indexers."""
        return PlexKioskOptionsFlow()

    def _form(
        self,
        step_id: str,
        schema: vol.Schema,
        user_input: Mapping[str, Any] | None,
        error: FlowError | None,
        **placeholders: str,
    ) -> ConfigFlowResult:
        if user_input:
            schema = self.add_suggested_values_to_schema(
                schema,
                {
                    k: v
                    for k, v in user_input.items()
                    if "password" not in k and "token" not in k and "key" not in k
                },
            )
        return self.async_show_form(
            step_id=step_id,
            data_schema=schema,
            errors={"base": error.key} if error else None,
            description_placeholders={
                "detail": error.detail if error else "",
                "added": ", ".join(i[CONF_INDEXER_NAME] for i in self._indexers) or "—",
                **placeholders,
            },
        )

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Plex: URL and token."""
        error = None
        if user_input is not None:
            user_input = with_schemes(user_input)
            try:
                self._plex = await check_plex(self.hass, user_input)
            except FlowError as err:
                error = err
            else:
                await self.async_set_unique_id(self._plex.machine_id)
                self._abort_if_unique_id_configured()
                self._data = {**user_input, CONF_PLEX_SERVER_NAME: self._plex.name}
                return await self.async_step_libraries()
        schema = vol.Schema(
            {vol.Required(CONF_PLEX_URL): URL, vol.Required(CONF_PLEX_TOKEN): PASSWORD}
        )
        return self._form("user", schema, user_input, error)

    async def async_step_libraries(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the movie, series and anime sections."""
        assert self._plex is not None
        movies = [s for s in self._plex.sections if s.type == "movie"]
        shows = [s for s in self._plex.sections if s.type == "show"]
        if not movies or not shows:
            return self.async_abort(reason="no_sections")
        if user_input is not None:
            self._data.update(user_input)
            return await self.async_step_qbittorrent()
        schema = vol.Schema(
            {
                vol.Required(CONF_MOVIE_SECTION, default=movies[0].key): _section_selector(
                    self._plex, "movie"
                ),
                vol.Required(CONF_SERIES_SECTION, default=shows[0].key): _section_selector(
                    self._plex, "show"
                ),
                vol.Optional(CONF_ANIME_SECTION): _section_selector(self._plex, "show"),
            }
        )
        return self.async_show_form(
            step_id="libraries",
            data_schema=schema,
            description_placeholders={"server": self._plex.name},
        )

    async def async_step_qbittorrent(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """qBittorrent: URL, user, password, category."""
        error = None
        if user_input is not None:
            user_input = with_schemes(user_input)
            try:
                await check_qbittorrent(self.hass, user_input)
            except FlowError as err:
                error = err
            else:
                self._data.update(user_input)
                return await self.async_step_indexer()
        schema = vol.Schema(
            {
                vol.Required(CONF_QBT_URL): URL,
                vol.Required(CONF_QBT_USERNAME, default="admin"): TEXT,
                vol.Required(CONF_QBT_PASSWORD): PASSWORD,
                vol.Required(CONF_QBT_CATEGORY, default=DEFAULT_QBT_CATEGORY): TEXT,
            }
        )
        return self._form("qbittorrent", schema, user_input, error)

    async def async_step_indexer(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """One Torznab indexer at a time; ``add_another`` loops back here."""
        error = None
        if user_input is not None:
            user_input = with_schemes(user_input)
            conf = {
                k: user_input[k]
                for k in (CONF_INDEXER_NAME, CONF_INDEXER_URL, CONF_INDEXER_API_KEY)
            }
            try:
                if any(i[CONF_INDEXER_NAME] == conf[CONF_INDEXER_NAME] for i in self._indexers):
                    raise FlowError("duplicate_indexer", conf[CONF_INDEXER_NAME])
                conf[CONF_INDEXER_CAPS] = await check_indexer(self.hass, conf)
            except FlowError as err:
                error = err
            else:
                self._indexers.append(conf)
                if user_input.get(ADD_ANOTHER):
                    return self._form("indexer", indexer_schema(True), None, None)
                return await self.async_step_metadata()
        return self._form("indexer", indexer_schema(True), user_input, error)

    async def async_step_metadata(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """TMDB key (optional); source URLs in advanced mode."""
        error = None
        if user_input is not None:
            user_input = with_schemes(user_input)
            try:
                await check_tmdb(self.hass, user_input)
            except FlowError as err:
                error = err
            else:
                self._data.update(user_input)
                return await self.async_step_ollama()
        fields: dict[Any, Any] = {vol.Optional(CONF_TMDB_API_KEY): PASSWORD}
        if self.show_advanced_options:
            fields |= {
                vol.Required(CONF_TVMAZE_URL, default=tvmaze.DEFAULT_URL): URL,
                vol.Required(CONF_TMDB_URL, default=tmdb.DEFAULT_URL): URL,
                vol.Required(CONF_ANILIST_URL, default=anilist.DEFAULT_URL): URL,
            }
        return self._form("metadata", vol.Schema(fields), user_input, error)

    async def async_step_ollama(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ollama URL (empty: AI off); its installed models are read for the next step."""
        error = None
        if user_input is not None:
            user_input = with_schemes(user_input)
            if not user_input.get(CONF_OLLAMA_URL):
                self._data[CONF_OLLAMA_MODEL] = DEFAULT_OLLAMA_MODEL
                return await self.async_step_paths()
            try:
                self._models = await ollama_models(self.hass, user_input)
            except FlowError as err:
                error = err
            else:
                self._data[CONF_OLLAMA_URL] = user_input[CONF_OLLAMA_URL]
                return await self.async_step_ollama_model()
        schema = vol.Schema({vol.Optional(CONF_OLLAMA_URL): URL})
        return self._form("ollama", schema, user_input, error)

    async def async_step_ollama_model(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The model, picked among those installed (Qwen3-VL when it is there)."""
        error = None
        if user_input is not None:
            try:
                await check_ollama(self.hass, {**self._data, **user_input})
            except FlowError as err:
                error = err
            else:
                self._data.update(user_input)
                return await self.async_step_paths()
        models = self._models
        default = (
            DEFAULT_OLLAMA_MODEL if DEFAULT_OLLAMA_MODEL in models or not models else models[0]
        )
        choice = SelectSelectorConfig(
            options=models, custom_value=True, mode=SelectSelectorMode.DROPDOWN
        )
        schema = vol.Schema(
            {vol.Required(CONF_OLLAMA_MODEL, default=default): SelectSelector(choice)}
        )
        return self._form(
            "ollama_model", schema, user_input, error, server=address(self._data[CONF_OLLAMA_URL])
        )

    async def async_step_paths(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Folders, checked to exist and be writable; then the entry is created."""
        error = None
        if user_input is not None:
            try:
                self._data.update(await check_paths(self.hass, user_input))
            except FlowError as err:
                error = err
            else:
                return self.async_create_entry(
                    title=f"Plex Kiosk ({self._data[CONF_PLEX_SERVER_NAME]})",
                    data=self._data,
                    options={**DEFAULT_OPTIONS, CONF_INDEXERS: self._indexers},
                )
        suggested, said = await self._plex_folders()
        return self._form("paths", paths_schema(), user_input or suggested, error, locations=said)

    async def _plex_folders(self) -> tuple[dict[str, str], str]:
        """Where Plex keeps the chosen libraries: folders Home Assistant sees too are
        suggested, and all are named in the step's description (for the path map)."""
        assert self._plex is not None
        by_key = {s.key: s for s in self._plex.sections}
        chosen = {
            root: by_key[str(self._data[section])].locations
            for section, root in (
                (CONF_MOVIE_SECTION, CONF_MOVIES_ROOT),
                (CONF_SERIES_SECTION, CONF_SERIES_ROOT),
                (CONF_ANIME_SECTION, CONF_ANIME_ROOT),
            )
            if str(self._data.get(section)) in by_key and by_key[str(self._data[section])].locations
        }
        seen = await self.hass.async_add_executor_job(
            lambda: {
                root: folders[0] for root, folders in chosen.items() if Path(folders[0]).is_dir()
            }
        )
        said = ", ".join(folder for folders in chosen.values() for folder in folders)
        return seen, said or "—"

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """A service refused the stored credentials."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """New Plex token and/or qBittorrent password; empty keeps the stored one."""
        entry = self._get_reauth_entry()
        error = None
        if user_input is not None:
            updates = {k: v for k, v in user_input.items() if v}
            data = {**entry.data, **updates}
            try:
                await check_plex(self.hass, data)
                await check_qbittorrent(self.hass, data)
            except FlowError as err:
                error = err
            else:
                return self.async_update_reload_and_abort(entry, data_updates=updates)
        schema = vol.Schema(
            {vol.Optional(CONF_PLEX_TOKEN): PASSWORD, vol.Optional(CONF_QBT_PASSWORD): PASSWORD}
        )
        return self._form("reauth_confirm", schema, None, error)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change addresses, model and folders of the same Plex server."""
        entry = self._get_reconfigure_entry()
        error = None
        if user_input is not None:
            user_input = with_schemes(user_input)
            data = {**entry.data, **user_input}
            try:
                info = await check_plex(self.hass, data)
                await self.async_set_unique_id(info.machine_id)
                self._abort_if_unique_id_mismatch(reason="wrong_server")
                await check_qbittorrent(self.hass, data)
                await check_ollama(self.hass, data)
                data.update(await check_paths(self.hass, user_input))
            except FlowError as err:
                error = err
            else:
                if not user_input.get(CONF_OLLAMA_URL):
                    data.pop(CONF_OLLAMA_URL, None)
                return self.async_update_reload_and_abort(entry, data=data)
        current = {**entry.data, CONF_PATH_MAP: path_map_text(entry.data.get(CONF_PATH_MAP, {}))}
        schema = vol.Schema(
            {
                vol.Required(CONF_PLEX_URL): URL,
                vol.Required(CONF_QBT_URL): URL,
                vol.Required(CONF_QBT_USERNAME): TEXT,
                vol.Optional(CONF_OLLAMA_URL): URL,
                vol.Required(CONF_OLLAMA_MODEL): TEXT,
            }
        ).extend(paths_schema().schema)
        schema = self.add_suggested_values_to_schema(schema, user_input or current)
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=schema,
            errors={"base": error.key} if error else None,
            description_placeholders={"detail": error.detail if error else ""},
        )


class PlexKioskOptionsFlow(OptionsFlow):
    """Preferences and thresholds; add or remove indexers."""

    _removing: list[str]

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose what to change."""
        return self.async_show_menu(
            step_id="init", menu_options=["preferences", "ai", "add_indexer", "remove_indexer"]
        )

    def _save(self, **changes: Any) -> ConfigFlowResult:
        return self.async_create_entry(data={**self.config_entry.options, **changes})

    async def async_step_preferences(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Default quality and language, scores, seeders, poll interval, file names."""
        errors = None
        if user_input is not None:
            templates = (user_input[CONF_EPISODE_TEMPLATE], user_input[CONF_MOVIE_TEMPLATE])
            if all(check_template(t) for t in templates):
                return self._save(
                    **{k: int(v) if isinstance(v, float) else v for k, v in user_input.items()}
                )
            errors = {"base": "invalid_template"}
        current = {**DEFAULT_OPTIONS, **self.config_entry.options}
        schema = vol.Schema(
            {
                vol.Required(CONF_QUALITY): _choice(QUALITIES),
                vol.Required(CONF_LANGUAGE): _choice(LANGUAGES),
                vol.Required(CONF_DUB): _choice(DUBS, "dub"),
                vol.Required(CONF_MIN_SCORE): _number(0, 100),
                vol.Required(CONF_MIN_SEEDERS): _number(0, 1000),
                vol.Required(CONF_UPGRADE_GAIN): _number(1, 100),
                vol.Required(CONF_UPGRADE_SEEDERS): _number(0, 1000),
                vol.Required(CONF_POLL_MINUTES): _number(5, 1440),
                vol.Required(CONF_REQUEST_LIMIT): _number(0, 100),
                vol.Required(CONF_UPGRADE_BUDGET): _number(1, 1000),
                vol.Required(CONF_RECYCLE_DAYS): _number(0, 365),
                vol.Required(CONF_REQUEST_EXPIRE_DAYS): _number(1, 365),
                vol.Required(CONF_KEEP_DAYS): _number(7, 3650),
                vol.Required(CONF_SEASON_PACKS): BooleanSelector(),
                vol.Required(CONF_EPISODE_TEMPLATE): TEXT,
                vol.Required(CONF_MOVIE_TEMPLATE): TEXT,
            }
        )
        return self.async_show_form(
            step_id="preferences",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or current),
            errors=errors,
        )

    async def async_step_ai(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """What the model may do, how long a call may take, how many calls a day."""
        if user_input is not None:
            return self._save(
                **{k: int(v) if isinstance(v, float) else v for k, v in user_input.items()}
            )
        current = {**DEFAULT_OPTIONS, **self.config_entry.options}
        schema = vol.Schema(
            {
                vol.Required(CONF_AI_MODE): _choice(AI_MODES, "ai_mode"),
                vol.Required(CONF_AI_TIMEOUT): _number(5, 600),
                vol.Required(CONF_AI_DAILY_CALLS): _number(0, 10000),
                vol.Required(CONF_POSTER_CHECK): BooleanSelector(),
            }
        )
        return self.async_show_form(
            step_id="ai",
            data_schema=self.add_suggested_values_to_schema(schema, current),
            description_placeholders={
                "model": self.config_entry.data.get(CONF_OLLAMA_MODEL, DEFAULT_OLLAMA_MODEL)
                if self.config_entry.data.get(CONF_OLLAMA_URL)
                else "—"
            },
        )

    async def async_step_add_indexer(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add a Torznab indexer, checked with ``t=caps``."""
        indexers = list(self.config_entry.options.get(CONF_INDEXERS, []))
        errors = None
        detail = ""
        if user_input is not None:
            user_input = with_schemes(user_input)
            conf = dict(user_input)
            try:
                if any(i[CONF_INDEXER_NAME] == conf[CONF_INDEXER_NAME] for i in indexers):
                    raise FlowError("duplicate_indexer", conf[CONF_INDEXER_NAME])
                conf[CONF_INDEXER_CAPS] = await check_indexer(self.hass, conf)
            except FlowError as err:
                errors, detail = {"base": err.key}, err.detail
            else:
                return self._save(**{CONF_INDEXERS: [*indexers, conf]})
        return self.async_show_form(
            step_id="add_indexer",
            data_schema=indexer_schema(False),
            errors=errors,
            description_placeholders={"detail": detail},
        )

    async def async_step_remove_indexer(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the indexers to remove (none ticked at first); at least one must stay."""
        names = [i[CONF_INDEXER_NAME] for i in self.config_entry.options.get(CONF_INDEXERS, [])]
        errors = None
        if user_input is not None:
            remove = [n for n in names if n in user_input.get(CONF_INDEXERS, [])]
            if not remove:
                errors = {"base": "none_selected"}
            elif len(remove) == len(names):
                errors = {"base": "last_indexer"}
            else:
                self._removing = remove
                return await self.async_step_confirm_remove()
        schema = vol.Schema(
            {
                vol.Optional(CONF_INDEXERS, default=[]): SelectSelector(
                    SelectSelectorConfig(options=names, multiple=True, mode=SelectSelectorMode.LIST)
                )
            }
        )
        return self.async_show_form(step_id="remove_indexer", data_schema=schema, errors=errors)

    async def async_step_confirm_remove(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Say what goes (the indexers and their problem sensors) before it goes."""
        if user_input is not None:
            indexers = self.config_entry.options.get(CONF_INDEXERS, [])
            kept = [i for i in indexers if i[CONF_INDEXER_NAME] not in self._removing]
            return self._save(**{CONF_INDEXERS: kept})
        return self.async_show_form(
            step_id="confirm_remove",
            data_schema=vol.Schema({}),
            description_placeholders={"indexers": ", ".join(self._removing)},
        )
