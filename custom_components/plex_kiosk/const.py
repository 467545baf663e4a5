"""Constants for Plex Kiosk."""

from __future__ import annotations

from datetime import timedelta
from typing import Final, get_args

from .engine.naming import EPISODE_TEMPLATE, MOVIE_TEMPLATE
from .engine.quality import Dub, Language, Preferences, Quality
from .engine.upgrade import DEFAULT_MIN_GAIN, DEFAULT_MIN_SEEDERS

DOMAIN: Final = "plex_kiosk"

# Config entry data keys.
CONF_PLEX_URL: Final = "plex_url"
CONF_PLEX_TOKEN: Final = "plex_token"
CONF_PLEX_SERVER_NAME: Final = "plex_server_name"
CONF_MOVIE_SECTION: Final = "movie_section"
CONF_SERIES_SECTION: Final = "series_section"
CONF_ANIME_SECTION: Final = "anime_section"
CONF_QBT_URL: Final = "qbittorrent_url"
CONF_QBT_USERNAME: Final = "qbittorrent_username"
CONF_QBT_PASSWORD: Final = "qbittorrent_password"
CONF_QBT_CATEGORY: Final = "qbittorrent_category"
CONF_TMDB_API_KEY: Final = "tmdb_api_key"
CONF_OLLAMA_URL: Final = "ollama_url"
CONF_OLLAMA_MODEL: Final = "ollama_model"
CONF_DOWNLOAD_DIR: Final = "download_dir"
CONF_MOVIES_ROOT: Final = "movies_root"
CONF_SERIES_ROOT: Final = "series_root"
CONF_ANIME_ROOT: Final = "anime_root"
CONF_PATH_MAP: Final = "path_map"
CONF_INDEXERS: Final = "indexers"
CONF_INDEXER_NAME: Final = "name"
CONF_INDEXER_URL: Final = "url"
CONF_INDEXER_API_KEY: Final = "api_key"
CONF_INDEXER_CAPS: Final = "caps"

# Options (preferences and thresholds).
CONF_QUALITY: Final = "quality"
CONF_LANGUAGE: Final = "language"
CONF_DUB: Final = "dub"
CONF_MIN_SCORE: Final = "min_release_score"
CONF_MIN_SEEDERS: Final = "min_seeders"
CONF_UPGRADE_GAIN: Final = "upgrade_min_gain"
CONF_UPGRADE_SEEDERS: Final = "upgrade_min_seeders"
CONF_POLL_MINUTES: Final = "feed_poll_minutes"
CONF_REQUEST_LIMIT: Final = "request_daily_limit"
CONF_EPISODE_TEMPLATE: Final = "episode_template"
CONF_MOVIE_TEMPLATE: Final = "movie_template"
CONF_UPGRADE_BUDGET: Final = "upgrade_search_budget"
CONF_RECYCLE_DAYS: Final = "recycle_days"
CONF_REQUEST_EXPIRE_DAYS: Final = "request_expire_days"
CONF_KEEP_DAYS: Final = "keep_days"
CONF_SEASON_PACKS: Final = "season_packs"
CONF_AI_MODE: Final = "ai_mode"
CONF_AI_TIMEOUT: Final = "ai_timeout"
CONF_AI_DAILY_CALLS: Final = "ai_daily_calls"
CONF_POSTER_CHECK: Final = "poster_check"
AI_MODES: Final = ("off", "advise", "decide")  # the model explains only, or may reorder

QUALITIES: Final[tuple[str, ...]] = get_args(Quality)
LANGUAGES: Final[tuple[str, ...]] = get_args(Language)
DUBS: Final[tuple[str, ...]] = get_args(Dub)  # the French dub a household prefers
_PREFERENCES = Preferences()

PREFERENCE_DEFAULTS: Final[dict[str, str | int | bool]] = {
    CONF_QUALITY: _PREFERENCES.quality,
    CONF_LANGUAGE: _PREFERENCES.language,
    CONF_DUB: _PREFERENCES.dub,
    CONF_MIN_SCORE: _PREFERENCES.min_score,
    CONF_MIN_SEEDERS: _PREFERENCES.min_seeders,
    CONF_UPGRADE_GAIN: DEFAULT_MIN_GAIN,
    CONF_UPGRADE_SEEDERS: DEFAULT_MIN_SEEDERS,
    CONF_POLL_MINUTES: 15,
    CONF_REQUEST_LIMIT: 3,
    CONF_UPGRADE_BUDGET: 40,
    CONF_RECYCLE_DAYS: 7,
    CONF_REQUEST_EXPIRE_DAYS: 14,
    CONF_KEEP_DAYS: 90,
    CONF_SEASON_PACKS: False,
    CONF_EPISODE_TEMPLATE: EPISODE_TEMPLATE,
    CONF_MOVIE_TEMPLATE: MOVIE_TEMPLATE,
}
AI_DEFAULTS: Final[dict[str, str | int | bool]] = {
    CONF_AI_MODE: "decide",
    CONF_AI_TIMEOUT: 60,
    CONF_AI_DAILY_CALLS: 200,
    CONF_POSTER_CHECK: False,
}
DEFAULT_OPTIONS: Final[dict[str, str | int | bool]] = {**PREFERENCE_DEFAULTS, **AI_DEFAULTS}

DEFAULT_QBT_CATEGORY: Final = "plex_kiosk"
DEFAULT_OLLAMA_MODEL: Final = "qwen3-vl:30b-a3b"
MIN_QBT_WEB_API: Final = (2, 8)

HEALTH_INTERVAL: Final = timedelta(minutes=5)

# Services whose reachability is tracked by a problem binary sensor.
SERVICE_PLEX: Final = "plex"
SERVICE_QBITTORRENT: Final = "qbittorrent"
SERVICE_TVMAZE: Final = "tvmaze"
SERVICE_TMDB: Final = "tmdb"
SERVICE_ANILIST: Final = "anilist"
SERVICE_OLLAMA: Final = "ollama"
INDEXER_PREFIX: Final = "indexer_"
CONF_TVMAZE_URL: Final = "tvmaze_url"
CONF_TMDB_URL: Final = "tmdb_url"
CONF_ANILIST_URL: Final = "anilist_url"

EVENT_EPISODE_GRABBED: Final = "plex_kiosk_episode_grabbed"
EVENT_EPISODE_DOWNLOADED: Final = "plex_kiosk_episode_downloaded"
EVENT_EPISODE_FAILED: Final = "plex_kiosk_episode_failed"
EVENT_REQUEST_UPDATED: Final = "plex_kiosk_request_updated"
EVENT_UPGRADE_AVAILABLE: Final = "plex_kiosk_upgrade_available"
EVENT_UPGRADE_APPLIED: Final = "plex_kiosk_upgrade_applied"
EVENT_UPGRADE_REFUSED: Final = "plex_kiosk_upgrade_refused"
EVENT_REPORT_READY: Final = "plex_kiosk_report_ready"
EVENT_POSTER_MISMATCH: Final = "plex_kiosk_poster_mismatch"
EVENT_PROPOSAL: Final = "plex_kiosk_proposal"
