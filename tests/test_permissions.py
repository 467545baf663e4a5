"""Who may do what, and what no one sees: every state-changing action refused to a non-admin
whatever the path (action, REST, websocket), the indexer's key kept server-side, the daily
request limit holding under concurrency, bounded inputs."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import voluptuous as vol
import yaml
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, Unauthorized
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator, WebSocketGenerator

from custom_components.plex_kiosk.clients.errors import CannotConnect, clean
from custom_components.plex_kiosk.const import CONF_REQUEST_LIMIT, DOMAIN
from custom_components.plex_kiosk.services import ACTIONS
from custom_components.plex_kiosk.websocket_api import SERVICE_COMMANDS
from tests.conftest import control
from tests.test_follow import follow
from tests.test_init import next_health_check
from tests.test_upgrades import call, proposed

ROOT = Path(__file__).parent.parent
# Valid data for every admin-only action (the schema passes; the permission check refuses).
ADMIN_ONLY = {
    "follow": {"title": "Slow Horses"},
    "unfollow": {"follow_id": "01HX"},
    "update_follow": {"follow_id": "01HX", "paused": True},
    "check_follow": {},
    "scan_library": {"full": True},
    "scan_upgrades": {"budget": 900},
    "apply_upgrade": {"candidate_id": "01HX"},
    "dismiss_upgrade": {"candidate_id": "01HX"},
    "restore_upgrade": {"history_id": "01HX"},
    "add_upgrade_rule": {"source": "1080p", "target": "2160p", "auto_apply": True},
    "update_upgrade_rule": {"rule_id": "res_2160p", "enabled": True, "auto_apply": True},
    "remove_upgrade_rule": {"rule_id": "vostfr_multi"},
    "analyse": {"type": "full"},
    "apply_recommendation": {"recommendation_id": "file_gone:101"},
    "dismiss_recommendation": {"recommendation_id": "file_gone:101"},
    "install_sentences": {},
}


def stored(entry: MockConfigEntry) -> str:
    """Everything the entry keeps, as JSON (to compare before and after)."""
    data = entry.runtime_data.data
    return json.dumps(
        {k: v for k, v in vars(data).items() if k != "profiles"}, default=str, sort_keys=True
    )


def test_admin_only_table_matches_the_actions() -> None:
    """Every action is either in the admin-only table or one of the four open ones (the
    chat runs what it proposes as its user, through these same checks)."""
    admin = {name for name, (*_, only_admin) in ACTIONS.items() if only_admin}
    assert admin == set(ADMIN_ONLY)
    assert set(ACTIONS) - admin == {"search", "request", "upgrade_rules", "chat"}


@pytest.mark.parametrize("service", sorted(ADMIN_ONLY))
async def test_non_admin_refused_every_admin_action(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    hass_read_only_user: MockUser,
    service: str,
) -> None:
    """A family member calling an admin action: refused with a translated reason, nothing
    stored changes, no indexer is asked anything."""
    before, requests = stored(loaded_entry), control(sandbox, "stats")["requests"]
    with pytest.raises(Unauthorized) as raised:
        await hass.services.async_call(
            DOMAIN,
            service,
            ADMIN_ONLY[service],
            blocking=True,
            context=Context(user_id=hass_read_only_user.id),
            return_response=ACTIONS[service][2].value != "none",
        )
    assert raised.value.translation_key == "admin_only"
    assert (raised.value.permission, raised.value.user_id) == (
        f"{DOMAIN}.{service}",
        hass_read_only_user.id,
    )
    assert str(raised.value) == f"Only an administrator may do this ({service})"
    assert stored(loaded_entry) == before
    assert control(sandbox, "stats")["requests"] == requests


async def test_an_unknown_user_is_refused(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """A context naming a user that does not exist (deleted, forged) is refused even what
    any user may do."""
    with pytest.raises(Unauthorized) as raised:
        await hass.services.async_call(
            DOMAIN,
            "request",
            {"tmdb_id": 693134},
            blocking=True,
            context=Context(user_id="no-such-user"),
            return_response=True,
        )
    assert raised.value.translation_placeholders == {"action": "unknown_user"}
    assert not loaded_entry.runtime_data.data.requests


async def test_only_an_administrator_requests_for_someone_else(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    hass_read_only_user: MockUser,
    hass_admin_user: MockUser,
) -> None:
    """A family member cannot make a request in another person's name (and so escape their
    own limit); naming themselves changes nothing."""
    context = Context(user_id=hass_read_only_user.id)
    with pytest.raises(Unauthorized) as raised:
        await hass.services.async_call(
            DOMAIN, "request", {"tmdb_id": 693134, "requested_for": hass_admin_user.id},
            blocking=True, context=context, return_response=True,
        )  # fmt: skip
    assert raised.value.translation_placeholders == {"action": "request_for_another"}
    await hass.services.async_call(
        DOMAIN, "request", {"tmdb_id": 693134, "requested_for": hass_read_only_user.id},
        blocking=True, context=context, return_response=True,
    )  # fmt: skip
    (made,) = loaded_entry.runtime_data.data.requests.values()
    assert made.requested_by == hass_read_only_user.id


async def test_grab_is_admin_only_search_is_not(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    hass_read_only_user: MockUser,
) -> None:
    """A non-admin may search an episode and read the scores, never grab one."""
    followed = await follow(hass, title="Slow Horses", monitor="all")
    context = Context(user_id=hass_read_only_user.id)
    data = {"follow_id": followed["follow"]["id"], "season": 5, "episode": 1}
    found = await hass.services.async_call(
        DOMAIN, "search", data, blocking=True, context=context, return_response=True
    )
    assert found["releases"]
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN,
            "search",
            data | {"grab": found["releases"][0]["name"]},
            blocking=True,
            context=context,
            return_response=True,
        )
    assert not loaded_entry.runtime_data.data.downloads
    rules = await hass.services.async_call(
        DOMAIN, "upgrade_rules", {}, blocking=True, context=context, return_response=True
    )
    assert {r["id"] for r in rules["rules"]} >= {"vostfr_multi"}


async def test_rest_and_websocket_callers_are_the_real_user(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    hass_read_only_access_token: str,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """``POST /api/services/…`` and the websocket's ``call_service`` as a non-admin are
    refused (HTTP 401; a translated ``admin_only`` error); the same REST call as an admin
    works."""
    for component in ("api", "websocket_api"):  # both before the test server starts
        assert await async_setup_component(hass, component, {})
    rule = {"source": "1080p", "target": "2160p", "auto_apply": True}
    reader = await hass_client(hass_read_only_access_token)
    response = await reader.post(f"/api/services/{DOMAIN}/add_upgrade_rule", json=rule)
    assert response.status == 401
    assert len(loaded_entry.runtime_data.data.rules) == 4
    ws = await hass_ws_client(hass, hass_read_only_access_token)
    await ws.send_json_auto_id(
        {
            "type": "call_service",
            "domain": DOMAIN,
            "service": "remove_upgrade_rule",
            "service_data": {"rule_id": "vostfr_multi"},
        }
    )
    error = (await ws.receive_json())["error"]  # Home Assistant's own shape for a refusal
    assert (error["translation_key"], error["translation_placeholders"]) == (
        "admin_only",
        {"action": "remove_upgrade_rule"},
    )
    assert "vostfr_multi" in loaded_entry.runtime_data.data.rules
    admin = await hass_client()
    response = await admin.post(f"/api/services/{DOMAIN}/add_upgrade_rule", json=rule)
    assert response.status == 200
    assert len(loaded_entry.runtime_data.data.rules) == 5
    both = {"title": "Slow Horses", "tvmaze_id": 41797}  # a mistake the schema says: 400
    response = await admin.post(f"/api/services/{DOMAIN}/follow?return_response", json=both)
    assert response.status == 400


async def test_every_admin_websocket_command_refused_to_a_non_admin(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
) -> None:
    """All twelve commands that change something answer ``unauthorized`` to a non-admin."""
    before = stored(loaded_entry)
    ws = await hass_ws_client(hass, hass_read_only_access_token)
    commands = [
        {"type": "plex_kiosk/follow/remove", "follow_id": "01HX"},
        {"type": "plex_kiosk/episode/retry", "episode_id": "01HX"},
        *({"type": handler._ws_command, "data": {}} for handler in SERVICE_COMMANDS),
    ]
    assert len(commands) == 12
    for command in commands:
        await ws.send_json_auto_id(command)
        assert (await ws.receive_json())["error"]["code"] == "unauthorized", command
    assert stored(loaded_entry) == before


async def test_websocket_errors_keep_their_translation_key(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    """An admin's mistake comes back with its key and placeholders, for the panel to
    translate (not a flattened English string)."""
    ws = await hass_ws_client(hass)
    await ws.send_json_auto_id(
        {"type": "plex_kiosk/upgrade/apply", "data": {"candidate_id": "nope"}}
    )
    error = (await ws.receive_json())["error"]
    assert (error["translation_key"], error["translation_domain"]) == ("unknown_candidate", DOMAIN)
    assert error["translation_placeholders"] == {"candidate_id": "nope"}


async def test_indexer_key_never_leaves_the_server(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
    hass_storage: dict[str, Any],
) -> None:
    """An upgrade candidate's download link: not in the action's answer, the websocket data a
    non-admin reads, the events, the sensor, nor the stored file; the grab still works (the
    sandbox serves the .torrent only with the key)."""
    events = async_capture_events(hass, "plex_kiosk_upgrade_available")
    *_, candidate = await proposed(hass, loaded_entry, sandbox)
    found = await call(hass, "scan_upgrades")
    ws = await hass_ws_client(hass, hass_read_only_access_token)
    await ws.send_json_auto_id({"type": "plex_kiosk/upgrades"})
    listing = await ws.receive_json()
    sensor = hass.states.get("sensor.plex_kiosk_salon_upgrades_available")
    await loaded_entry.runtime_data.store.async_save(loaded_entry.runtime_data.data)
    seen = json.dumps(
        [found, listing, [e.data for e in events], dict(sensor.attributes), hass_storage],
        default=str,
    )
    assert listing["success"]
    assert "ygg-key" not in seen
    assert "download" not in json.dumps(listing)  # no link at all, redacted or not
    response = await call(hass, "apply_upgrade", candidate_id=candidate.id)
    assert response["candidate"]["status"] == "downloading"
    assert "ygg-key" not in json.dumps(response)


async def test_error_texts_carry_no_key(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sandbox: dict[str, str]
) -> None:
    """An indexer that redirects for ever: its problem sensor (readable by every user) says
    so without the URL's ``apikey=``."""
    control(sandbox, "fault", {"service": "torznab:ygg", "mode": "redirect"})
    await next_health_check(hass)
    state = hass.states.get("binary_sensor.plex_kiosk_salon_indexer_yggreborn")
    assert state.state == "on"
    assert "redirect" in state.attributes["error"].lower()
    assert "ygg-key" not in state.attributes["error"]
    assert "apikey" not in state.attributes["error"]


def test_client_errors_never_carry_a_key() -> None:
    """What aiohttp says of a failed request holds its URL: the error keeps the service and
    the reason, never the key."""
    err = CannotConnect("YggReborn", "0, message='', url='http://h:9117/api?t=caps&apikey=K'")
    assert (err.service, err.detail) == ("YggReborn", "0, message='', url='http://h:9117/api'")
    assert str(err) == "YggReborn: 0, message='', url='http://h:9117/api'"


def test_clean_strips_credentials_and_queries() -> None:
    """What any error text goes through before a user or a log sees it."""
    assert (
        clean("Cannot connect to http://u:pw@host:9117/api?apikey=SECRET&t=caps [Errno 111]")
        == "Cannot connect to http://host:9117/api [Errno 111]"
    )
    assert clean("refused: api_key=SECRET&x=1 token=T") == "refused: api_key=…&x=1 token=…"
    assert "PASS" not in clean("magnet:?xt=urn:btih:ab&tr=udp://t:1/announce?passkey=PASS")


async def non_admin_requests(
    hass: HomeAssistant, user_id: str, *bodies: dict[str, Any]
) -> list[Any]:
    """Each request as the user, all at once: the answer or the error of each."""
    return await asyncio.gather(
        *(
            hass.services.async_call(
                DOMAIN,
                "request",
                body,
                blocking=True,
                context=Context(user_id=user_id),
                return_response=True,
            )
            for body in bodies
        ),
        return_exceptions=True,
    )


async def test_request_limit_holds_under_concurrency(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    hass_read_only_user: MockUser,
) -> None:
    """Six requests at once with a limit of 3: exactly three pass."""
    results = await non_admin_requests(
        hass, hass_read_only_user.id, *({"tmdb_id": 693134} for _ in range(6))
    )
    refused = [r for r in results if isinstance(r, HomeAssistantError)]
    assert len(refused) == 3
    assert {r.translation_key for r in refused} == {"request_limit_asked"}
    assert len(loaded_entry.runtime_data.data.requests) == 3
    (asked,) = loaded_entry.runtime_data.data.proposals.values()  # one approval, not three
    assert (asked.approval, asked.user_id) == (True, hass_read_only_user.id)


async def test_each_season_counts_and_the_window_moves(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    hass_read_only_user: MockUser,
    hass_admin_user: MockUser,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Five seasons are five requests (over a limit of 3); two pass, a third and a movie
    do not; another user has their own count; a day later the places are back."""
    slow_horses = {"tvmaze_id": 41797}
    [too_many] = await non_admin_requests(
        hass, hass_read_only_user.id, slow_horses | {"seasons": [1, 2, 3, 4, 5]}
    )
    assert too_many.translation_key == "request_limit_asked"
    [two] = await non_admin_requests(
        hass, hass_read_only_user.id, slow_horses | {"seasons": [1, 2]}
    )
    assert len(two["requests"]) == 2
    [third, movie] = await non_admin_requests(
        hass, hass_read_only_user.id, slow_horses | {"seasons": [3, 4]}, {"tmdb_id": 693134}
    )
    assert isinstance(third, HomeAssistantError)
    assert "request" in movie  # the one place left
    other = await hass.auth.async_create_user("Léa", group_ids=["system-read-only"])
    [hers] = await non_admin_requests(hass, other.id, {"tmdb_id": 872585})
    assert "request" in hers
    freezer.tick(timedelta(hours=24, minutes=1))
    [again] = await non_admin_requests(hass, hass_read_only_user.id, slow_horses | {"seasons": [3]})
    assert len(again["requests"]) == 1


async def test_only_automations_escape_the_request_limit(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sandbox: dict[str, str]
) -> None:
    """A call with no user from outside an automation (another integration's code) counts
    against the daily limit; the same action in an automation does not."""
    for _ in range(3):
        await call(hass, "request", tmdb_id=438631)
    with pytest.raises(HomeAssistantError) as raised:
        await call(hass, "request", tmdb_id=438631)
    assert raised.value.translation_key == "request_limit"
    automation = {
        "trigger": {"platform": "event", "event_type": "plex_kiosk_test_request"},
        "action": {"action": f"{DOMAIN}.request", "data": {"tmdb_id": 438631}},
    }
    assert await async_setup_component(hass, "automation", {"automation": automation})
    for _ in range(2):
        hass.bus.async_fire("plex_kiosk_test_request")
        await hass.async_block_till_done()
    assert len(loaded_entry.runtime_data.data.requests) == 5


async def test_requests_expire_and_are_charged_to_the_indexers(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A request nobody offers is searched again every 6 hours within each indexer's budget,
    then ends after the options' 14 days with an event."""
    updates = async_capture_events(hass, "plex_kiosk_request_updated")
    watcher = loaded_entry.runtime_data.manager.releases
    before = watcher.requests
    answer = await call(hass, "request", tmdb_id=438631)  # Dune (2021): nobody offers it
    request = loaded_entry.runtime_data.data.requests[answer["request"]["id"]]
    assert request.status == "searching"
    assert watcher.requests == before + 2  # one search per indexer, charged to its budget
    freezer.tick(timedelta(hours=6, minutes=1))
    for state in watcher.indexers:  # both asked to wait an hour (HTTP 429): nothing is sent
        state.bucket.pause(dt_util.utcnow(), 3600)
    sent = control(sandbox, "stats")["requests"]["torznab"]
    await loaded_entry.runtime_data.follows.async_refresh()
    assert control(sandbox, "stats")["requests"]["torznab"] == sent
    freezer.tick(timedelta(days=14))
    await loaded_entry.runtime_data.follows.async_refresh()
    assert request.status == "expired"
    assert updates[-1].data["status"] == "expired"


async def test_non_admin_sees_only_their_requests(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
    hass_read_only_user: MockUser,
) -> None:
    """The panel's request list: an admin sees everyone's, a family member their own; who
    asked is a name, never a user id."""
    await call(hass, "request", tmdb_id=438631)
    await non_admin_requests(hass, hass_read_only_user.id, {"tmdb_id": 693134})
    reader = await hass_ws_client(hass, hass_read_only_access_token)
    await reader.send_json_auto_id({"type": "plex_kiosk/requests"})
    mine = (await reader.receive_json())["result"]["requests"]
    assert [r["requested_by"] for r in mine] == [hass_read_only_user.name]
    admin = await hass_ws_client(hass)
    await admin.send_json_auto_id({"type": "plex_kiosk/requests"})
    everyone = (await admin.receive_json())["result"]["requests"]
    assert len(everyone) == 2
    assert hass_read_only_user.id not in str(everyone)


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("follow", {"title": "   "}),
        ("follow", {"title": "x" * 201}),
        ("follow", {"title": "Slow Horses", "aliases": ["a"] * 21}),
        ("follow", {"tvmaze_id": 2**31}),
        ("request", {"tvmaze_id": 41797, "seasons": list(range(31))}),
        ("request", {"title": "x" * 200_000}),
        ("scan_upgrades", {"budget": 5000}),
        ("search", {"follow_id": "x" * 65, "season": 1, "episode": 1}),
        ("add_upgrade_rule", {"source": "1080p", "target": "2160p", "name": "n" * 101}),
        ("follow", {"title": "Slow Horses", "tvmaze_id": 41797}),
        ("follow", {"tvmaze_id": 41797, "tmdb_id": 95480}),
        ("request", {}),
        ("request", {"tvmaze_id": 41797}),
        ("request", {"tmdb_id": 693134, "title": "Dune"}),
        ("request", {"tmdb_id": 693134, "tvmaze_id": 41797, "seasons": [1]}),
    ],
)
async def test_bounded_inputs(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, service: str, data: dict[str, Any]
) -> None:
    """Blank, huge or too many: refused by the schema before anything is sent anywhere."""
    with pytest.raises(vol.Invalid):
        await hass.services.async_call(DOMAIN, service, data, blocking=True, return_response=True)


def test_request_selector_takes_several_seasons() -> None:
    """The action form lets a user pick several seasons."""
    services = yaml.safe_load((ROOT / "custom_components/plex_kiosk/services.yaml").read_text())
    selector = services["request"]["fields"]["seasons"]["selector"]
    assert selector["select"]["multiple"] is True
    assert selector["select"]["custom_value"] is True


@pytest.fixture
def config_entry(config_entry: MockConfigEntry) -> MockConfigEntry:
    """A limit of 3 requests a day (the default, stated)."""
    assert config_entry.options[CONF_REQUEST_LIMIT] == 3
    return config_entry


async def test_a_quebec_household_follows_in_vfq(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sandbox: dict[str, str]
) -> None:
    """The dub preference goes with the follow (and can change), and with a request;
    the options give the default."""
    followed = await call(hass, "follow", title="Slow Horses", language="VF", dub="VFQ")
    assert (followed["follow"]["language"], followed["follow"]["dub"]) == ("VF", "VFQ")
    changed = await call(hass, "update_follow", follow_id=followed["follow"]["id"], dub="either")
    assert changed["follow"]["dub"] == "either"
    requested = await call(hass, "request", tmdb_id=438631, dub="VFQ")
    assert requested["request"]["dub"] == "VFQ"
    default = await call(hass, "request", tmdb_id=872585)
    assert default["request"]["dub"] == "VFF"
