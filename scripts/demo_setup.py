"""Onboard the demo Home Assistant, write a long-lived token, configure Plex Kiosk.

Everything goes through Home Assistant's own REST and websocket APIs, as a user's
browser would: onboarding, the config flow step by step, then a check of the states.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

USERNAME = "demo"
FAMILY = "camille"  # a family member: no administrator rights, a daily request limit
MODEL = "qwen3-vl:30b-a3b"
# Two series and an anime of the bundled world, with episodes in the coming week.
DEMO_FOLLOWS = ({"title": "One Piece"}, {"title": "Slow Horses"}, {"tvmaze_id": 2890})


async def followed_ids(session: aiohttp.ClientSession, ha: str, token: str) -> set[object]:
    """Titles and TVMaze ids of what the entry already follows (``plex_kiosk/follows``)."""
    async with session.ws_connect(f"{ha}/api/websocket") as ws:
        await ws.receive_json()  # auth_required
        await ws.send_json({"type": "auth", "access_token": token})
        await ws.receive_json()  # auth_ok
        await ws.send_json({"id": 1, "type": "plex_kiosk/follows"})
        answer = await ws.receive_json()
    follows = (answer.get("result") or {}).get("follows", [])
    return {f["title"] for f in follows} | {
        int(f["ids"]["tvmaze"]) for f in follows if "tvmaze" in f["ids"]
    }


def read_when_written(path: Path, limit: float = 60) -> str:
    """The text of a file another process writes atomically (run in a thread)."""
    deadline = time.monotonic() + limit
    while not path.exists():
        if time.monotonic() > deadline:
            sys.exit(f"demo: {path} was never written")
        time.sleep(0.2)
    return path.read_text()


async def wait_for(session: aiohttp.ClientSession, url: str, what: str, limit: float = 300) -> None:
    """Poll until ``url`` answers (any HTTP status)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            async with session.get(url):
                return
        except aiohttp.ClientError:
            await asyncio.sleep(0.5)
    sys.exit(f"demo: {what} did not start in {limit:.0f} s")


async def onboard(session: aiohttp.ClientSession, ha: str, password: str) -> str:
    """Create the demo user and finish onboarding; return an access token."""
    client_id = f"{ha}/"
    async with session.post(
        f"{ha}/api/onboarding/users",
        json={
            "client_id": client_id,
            "name": "Demo",
            "username": USERNAME,
            "password": password,
            "language": "fr",
        },
    ) as resp:
        resp.raise_for_status()
        code = (await resp.json())["auth_code"]
    async with session.post(
        f"{ha}/auth/token",
        data={"grant_type": "authorization_code", "code": code, "client_id": client_id},
    ) as resp:
        resp.raise_for_status()
        access = (await resp.json())["access_token"]
    headers = {"Authorization": f"Bearer {access}"}
    for step, body in (
        ("core_config", {}),
        ("analytics", {}),
        ("integration", {"client_id": client_id, "redirect_uri": client_id}),
    ):
        async with session.post(f"{ha}/api/onboarding/{step}", json=body, headers=headers) as resp:
            resp.raise_for_status()
    # Onboarding adds a met.no weather entry; this machine has no internet for it.
    async with session.get(
        f"{ha}/api/config/config_entries/entry", params={"domain": "met"}, headers=headers
    ) as resp:
        for entry in await resp.json():
            url = f"{ha}/api/config/config_entries/entry/{entry['entry_id']}"
            async with session.delete(url, headers=headers) as deleted:
                deleted.raise_for_status()
    return str(access)


async def long_lived_token(session: aiohttp.ClientSession, ha: str, access: str) -> str:
    """Set the demo user's profile (French, advanced mode: the interface follows the profile,
    not the server, and the sandbox's metadata mirrors are advanced fields), and ask for a
    long-lived access token, over the websocket API."""
    profile = {
        "language": {"language": "fr", "number_format": "language", "time_format": "language"},
        "core": {"showAdvanced": True},
    }
    async with session.ws_connect(f"{ha.replace('http', 'ws', 1)}/api/websocket") as ws:
        await ws.receive_json()
        await ws.send_json({"type": "auth", "access_token": access})
        if (await ws.receive_json())["type"] != "auth_ok":
            sys.exit("demo: websocket authentication failed")
        for number, (key, value) in enumerate(profile.items(), start=1):
            message = {"id": number, "type": "frontend/set_user_data", "key": key, "value": value}
            await ws.send_json(message)
            if not (await ws.receive_json())["success"]:
                sys.exit(f"demo: the user's {key} could not be set")
        await ws.send_json(
            {
                "id": len(profile) + 1,
                "type": "auth/long_lived_access_token",
                "client_name": "Plex Kiosk demo",
                "lifespan": 3650,
            }
        )
        answer = await ws.receive_json()
        return str(answer["result"])


async def family_member(
    session: aiohttp.ClientSession, ha: str, access: str, password_file: Path
) -> None:
    """Add Camille, a household user who is not an administrator (what the panel and the
    request limit are tried with); her password goes to ``password_file``."""
    password = secrets.token_urlsafe(12)
    async with session.ws_connect(f"{ha.replace('http', 'ws', 1)}/api/websocket") as ws:
        await ws.receive_json()
        await ws.send_json({"type": "auth", "access_token": access})
        await ws.receive_json()
        await ws.send_json(
            {"id": 1, "type": "config/auth/create", "name": "Camille",
             "group_ids": ["system-users"], "local_only": False}
        )  # fmt: skip
        user = (await ws.receive_json())["result"]["user"]
        await ws.send_json(
            {"id": 2, "type": "config/auth_provider/homeassistant/create",
             "user_id": user["id"], "username": FAMILY, "password": password}
        )  # fmt: skip
        if not (await ws.receive_json())["success"]:
            sys.exit("demo: the family member could not be created")
    await asyncio.to_thread(password_file.write_text, password)


async def configure(
    session: aiohttp.ClientSession,
    *,
    ha: str,
    headers: dict[str, str],
    urls: dict[str, str],
    qbt: str,
    media: Path,
) -> None:
    """Walk the config flow with the sandbox's addresses."""

    async def submit(url: str, body: dict[str, Any]) -> dict[str, Any]:
        async with session.post(url, json=body, headers=headers) as resp:
            result: dict[str, Any] = await resp.json()
            if resp.status != 200 or result.get("errors"):
                sys.exit(f"demo: config flow failed at {result.get('step_id')}: {result}")
            return result

    flow = await submit(
        f"{ha}/api/config/config_entries/flow",
        {"handler": "plex_kiosk", "show_advanced_options": True},
    )
    steps = [
        {"plex_url": urls["plex"], "plex_token": "sandbox-plex-token"},
        {"movie_section": "1", "series_section": "2", "anime_section": "3"},
        {
            "qbittorrent_url": qbt,
            "qbittorrent_username": "admin",
            "qbittorrent_password": "plex-kiosk-sandbox",
            "qbittorrent_category": "plex_kiosk",
        },
        {
            "name": "YggReborn",
            "url": f"{urls['torznab']}/ygg/api",
            "api_key": "ygg-key",
            "add_another": True,
        },
        {
            "name": "Nyaa FR",
            "url": f"{urls['torznab']}/nyaa/api",
            "api_key": "nyaa-key",
            "add_another": False,
        },
        {
            "tmdb_api_key": "sandbox-tmdb-key",
            "tvmaze_url": urls["tvmaze"],
            "tmdb_url": urls["tmdb"],
            "anilist_url": urls["anilist"],
        },
        {"ollama_url": urls["ollama"]},
        {"ollama_model": MODEL},
        {
            "download_dir": str(media / "downloads"),
            "movies_root": str(media / "movies"),
            "series_root": str(media / "tv"),
            "anime_root": str(media / "anime"),
            "path_map": "\n".join(
                f"/data/media/{name}={media / name}" for name in ("movies", "tv", "anime")
            ),
        },
    ]
    for data in steps:
        flow = await submit(f"{ha}/api/config/config_entries/flow/{flow['flow_id']}", data)
    if flow.get("type") != "create_entry":
        sys.exit(f"demo: config flow did not finish: {flow}")


DEMO_RELEASE = "Le.Bureau.des.Legendes.S06E01.MULTi.1080p.WEB.H264-DEMO"


def offer_real_release(media: Path, urls: dict[str, str]) -> Path:
    """A real file (and its torrent) for an episode that aired 3 hours ago, offered on an
    indexer: qBittorrent finds the data on disk, so the whole pipeline runs with no peer."""
    import base64  # noqa: PLC0415  (demo only)

    import torf  # noqa: PLC0415

    from tests.test_acquire import make_media  # noqa: PLC0415

    source = media / "downloads" / f"{DEMO_RELEASE}.mkv"
    if not source.exists():
        make_media(source, ("fre", "eng"))
    torrent = torf.Torrent(path=source)
    torrent.generate()
    release = {
        "name": DEMO_RELEASE, "indexers": ["ygg"], "category": 5040, "size": 2_400_000_000,
        "seeders": 900, "show": "bureau", "season": 6, "episode": 1, "after_air": "+30m",
    }  # fmt: skip
    body = {
        "release": release,
        "torrent": base64.b64encode(torrent.dump()).decode(),
        "infohash": torrent.infohash,
    }
    dubbed = {**release, "name": DEMO_RELEASE.replace("MULTi", "VFF") + "B", "seeders": 60}
    for offered in (body, {"release": dubbed}):  # two survivors: the model re-ranks them
        request = urllib.request.Request(
            f"{urls['control']}/_sandbox/release",
            data=json.dumps(offered).encode(),
            headers={"Content-Type": "application/json"},
        )
        urllib.request.urlopen(request, timeout=10).close()
    return (
        media
        / "tv"
        / "The Bureau (2015)"
        / "Season 06"
        / "The Bureau (2015) - S06E01 - Le retour.mkv"
    )


def wait_for_import(path: Path, started: float, limit: float = 180) -> str:
    """Until the episode is in the library folder; how long it took."""
    while not path.exists():
        if time.monotonic() - started > limit:
            return f"(not yet after {limit:.0f} s: see the log)"
        time.sleep(0.5)
    return f"{time.monotonic() - started:.1f} s"


async def main() -> None:
    """Onboard if needed, configure if needed, then report the problem sensors."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo", type=Path, required=True)
    parser.add_argument("--ha", required=True)
    parser.add_argument("--qbittorrent", required=True)
    args = parser.parse_args()
    token_file, password_file = args.demo / "token", args.demo / "password"
    async with aiohttp.ClientSession() as session:
        await wait_for(
            session, f"{args.qbittorrent}/api/v2/app/webapiVersion", "qbittorrent-nox", 60
        )
        urls = json.loads(await asyncio.to_thread(read_when_written, args.demo / "urls.json"))
        await wait_for(session, f"{args.ha}/api/onboarding", "Home Assistant")
        async with session.get(f"{args.ha}/api/onboarding") as resp:
            pending = resp.status == 200 and any(not s["done"] for s in await resp.json())
        if pending:
            password = secrets.token_urlsafe(12)
            access = await onboard(session, args.ha, password)
            token_file.write_text(await long_lived_token(session, args.ha, access))
            password_file.write_text(password)
            await family_member(session, args.ha, access, args.demo / "family_password")
        headers = {"Authorization": f"Bearer {token_file.read_text().strip()}"}
        async with session.get(
            f"{args.ha}/api/config/config_entries/entry",
            params={"domain": "plex_kiosk"},
            headers=headers,
        ) as resp:
            entries = await resp.json()
        if not entries:
            await configure(
                session,
                ha=args.ha,
                headers=headers,
                urls=urls,
                qbt=args.qbittorrent,
                media=args.demo / "media",
            )
        started = time.monotonic()
        imported = await asyncio.to_thread(offer_real_release, args.demo / "media", urls)
        followed = await followed_ids(session, args.ha, token_file.read_text().strip())
        for follow in DEMO_FOLLOWS:  # a second run finds them followed: nothing to do
            if follow.get("tvmaze_id", follow.get("title")) in followed:
                continue
            async with session.post(
                f"{args.ha}/api/services/plex_kiosk/follow", json=follow, headers=headers
            ):
                pass
        async with session.post(  # Assist's sentences, French and English
            f"{args.ha}/api/services/plex_kiosk/install_sentences", json={}, headers=headers
        ):
            pass
        for _ in range(60):
            async with session.get(f"{args.ha}/api/states", headers=headers) as resp:
                states = [
                    s
                    for s in await resp.json()
                    if s["entity_id"].startswith("binary_sensor.plex_kiosk")
                ]
            if states and all(s["state"] in ("on", "off") for s in states):
                break
            await asyncio.sleep(1)
        start = datetime.now(UTC)
        async with session.get(
            f"{args.ha}/api/calendars/calendar.plex_kiosk_salon_episodes",
            params={"start": start.isoformat(), "end": (start + timedelta(days=7)).isoformat()},
            headers=headers,
        ) as resp:
            calendar = await resp.json() if resp.status == 200 else []
    waited = await asyncio.to_thread(wait_for_import, imported, started)
    password = password_file.read_text().strip()
    print(f"\ndemo: Home Assistant   {args.ha}  (user {USERNAME}, password {password})")
    print(f"demo: family member    {FAMILY} (not an administrator), password "
          f"{(args.demo / 'family_password').read_text().strip()}")  # fmt: skip
    print(f"demo: {DEMO_RELEASE} grabbed, downloaded and imported in {waited}")
    print(f"demo: access token     {token_file}")
    for state in sorted(states, key=lambda s: s["entity_id"]):
        print(f"demo: {state['entity_id']:<55} {'PROBLEM' if state['state'] == 'on' else 'ok'}")
    print("demo: the coming week (calendar.plex_kiosk_salon_episodes):")
    for event in calendar:
        print(f"demo:   {event['start'].get('dateTime', '')[:16]}  {event['summary']}")


if __name__ == "__main__":
    asyncio.run(main())
