"""The Plex Kiosk panel in a real Chromium against the demo (Home Assistant, the sandbox, a
real qbittorrent-nox), as the administrator (in French) and as Camille, a family member
who is not one (in English, at a phone's width, dark theme).

Screenshots of every view are kept in the test's folder (``--basetemp`` to keep them)."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import qbittorrentapi
import torf
from playwright.sync_api import Browser, Locator, Page, expect

from tests.conftest import control
from tests.demo import get, ws
from tests.sandbox import qbittorrent
from tests.test_acquire import make_media, offer
from tests.test_browser import Demo, clean, demo, in_chromium, log_in
from tests.test_upgrades import MULTI, OPPENHEIMER

__all__ = ["demo"]  # the module's own demo (its fixture)
pytestmark = pytest.mark.usefixtures("socket_enabled")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
WAIT = 90_000  # ms: a download, an import, a swap
SEEDED = "Dune.1984.MULTi.1080p.BluRay.x264-SEED"
TABS = {"calendar": "Calendrier", "follows": "Séries", "downloads": "Téléchargements",
        "requests": "Demandes", "library": "Bibliothèque", "reports": "Rapports",
        "chat": "Discussion"}  # fmt: skip


def tab(page: Page, name: str) -> None:
    """Open one of the panel's tabs by its label."""
    page.locator("plex-kiosk-panel nav").get_by_role("tab", name=name).click()


def shot(page: Page, folder: Path, name: str) -> None:
    """A screenshot of the panel, checked for broken text."""
    clean(page, page.locator("plex-kiosk-panel"), folder / f"{name}.png")


@pytest.fixture(scope="module")
def seeder(tmp_path_factory: pytest.TempPathFactory, demo: Demo) -> Iterator[qbittorrentapi.Client]:
    """A second real qbittorrent-nox that seeds Dune (1984) at 1 MB/s, and the release
    offered on YggReborn: a download that takes a while, so that its progress can be seen."""
    folder = tmp_path_factory.mktemp("seeder")
    seeding = qbittorrent.start(folder)
    media = seeding.downloads / f"{SEEDED}.mkv"
    make_media(media, ("fre", "eng"))
    torrent = torf.Torrent(path=media, private=False)
    torrent.generate()
    client = qbittorrentapi.Client(
        host=seeding.url, username=qbittorrent.USERNAME, password=qbittorrent.PASSWORD
    )
    client.app_set_preferences({"up_limit": 1_000_000})
    client.torrents_add(torrent_files=torrent.dump(), save_path=str(seeding.downloads))
    release = {"name": SEEDED, "indexers": ["ygg"], "category": 2040, "size": 2_000_000_000,
               "seeders": 40, "movie": "dune-1984", "published": "-2d"}  # fmt: skip
    body = {"release": release, "torrent": base64.b64encode(torrent.dump()).decode(),
            "infohash": torrent.infohash}  # fmt: skip
    control(demo.sandbox, "release", body)
    client.infohash = torrent.infohash  # type: ignore[attr-defined]
    try:
        yield client
    finally:
        seeding.stop()


def connect_to_seeder(demo: Demo, seeder: qbittorrentapi.Client) -> None:
    """Once Plex Kiosk gave the demo's qBittorrent the torrent, tell it where the seeder is
    (no tracker, DHT or LSD here: a person would add the peer the same way)."""
    leecher = qbittorrentapi.Client(
        host=f"http://127.0.0.1:{demo.qbittorrent_port}",
        username=qbittorrent.USERNAME,
        password=qbittorrent.PASSWORD,
    )
    infohash = seeder.infohash  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while not leecher.torrents_info(torrent_hashes=infohash):
        assert time.monotonic() < deadline, "the request was not grabbed"
        time.sleep(0.5)
    port = seeder.app_preferences()["listen_port"]
    leecher.torrents_add_peers(peers=f"127.0.0.1:{port}", torrent_hashes=infohash)


def percent(row: Locator) -> float:
    """The progress a download's row shows."""
    return float(row.locator(".progress").inner_text().split()[0])


def test_a_family_member_requests_a_movie_and_watches_it_download(
    demo: Demo, seeder: qbittorrentapi.Client, tmp_path: Path
) -> None:
    """Camille, on her phone in the dark theme: no administrator control anywhere; she sees
    how many requests she has left, finds Dune (1984) with its poster and requests it; the
    limit goes down; the download's progress moves in the downloads view."""

    def walk(browser: Browser) -> None:
        page = log_in(browser, demo, "en", "camille", demo.family_password, color_scheme="dark",
                      **PHONE)  # fmt: skip
        page.goto(f"{demo.url}/plex-kiosk/calendar")
        panel = page.locator("plex-kiosk-panel")
        expect(panel.locator(".episode").first).to_be_visible(timeout=WAIT)
        panel.locator(".episode").first.click()
        expect(panel.get_by_role("dialog")).to_be_visible()
        expect(panel.get_by_role("button", name="Search again")).to_have_count(0)
        shot(page, tmp_path, "phone-dark-calendar")
        panel.get_by_role("button", name="Close").click()

        tab(page, "Series")
        expect(panel.locator("li[data-follow]").first).to_be_visible()
        for admin_only in ("Follow", "Edit", "Pause", "Unfollow"):
            expect(panel.get_by_role("button", name=admin_only, exact=True)).to_have_count(0)
        shot(page, tmp_path, "phone-dark-follows")

        tab(page, "Requests")
        expect(panel.get_by_text("3 of 3 requests left today")).to_be_visible()
        panel.get_by_label("Title").fill("Dune")
        panel.get_by_role("button", name="Search").click()
        hit = panel.locator("ul.hits li").filter(has_text="(1984)")
        expect(hit.locator("img")).to_have_js_property("complete", True)
        assert hit.locator("img").evaluate("img => img.naturalWidth") > 0  # the poster loaded
        shot(page, tmp_path, "phone-dark-requests-search")
        hit.get_by_role("button", name="Request").click()
        expect(panel.get_by_text("Dune is requested.")).to_be_visible(timeout=WAIT)
        expect(panel.get_by_text("2 of 3 requests left today")).to_be_visible()
        expect(panel.locator("ul.requests li").filter(has_text="Dune")).to_be_visible()
        shot(page, tmp_path, "phone-dark-requests")

        connect_to_seeder(demo, seeder)
        tab(page, "Downloads")
        row = panel.locator("ul.active li").filter(has_text=SEEDED)
        expect(row).to_be_visible(timeout=WAIT)
        deadline = time.monotonic() + 60
        while not 0 < (first := percent(row)) < 90:
            assert time.monotonic() < deadline, "the download did not start"
            time.sleep(0.5)
        shot(page, tmp_path, "phone-dark-downloads")
        expect(row.locator(".progress")).not_to_have_text(re.compile(rf"^{first:.1f} %"),
                                                         timeout=20_000)  # fmt: skip
        assert percent(row) > first

        for name in ("Library", "Reports"):
            tab(page, name)
            page.wait_for_timeout(500)
            for admin_only in ("Apply", "Dismiss", "Undo", "Analyse now"):
                expect(panel.get_by_role("button", name=admin_only)).to_have_count(0)
            shot(page, tmp_path, f"phone-dark-{name.lower()}")

    in_chromium(walk, tmp_path)


def test_the_administrator_follows_from_the_panel(demo: Demo, tmp_path: Path) -> None:
    """In French: the calendar shows the coming episodes and, for The Bureau's, the decision
    with the model's reason; following The Office means picking the British one among two,
    which is then paused, given another quality and an alias, and unfollowed."""

    def walk(browser: Browser) -> None:
        page = log_in(browser, demo, "fr")
        page.goto(f"{demo.url}/plex-kiosk")
        panel = page.locator("plex-kiosk-panel")
        expect(panel.locator(".episode").filter(has_text="Slow Horses")).to_be_visible(timeout=WAIT)
        if panel.locator(".episode").filter(has_text="The Bureau").count() == 0:
            panel.get_by_role("button", name="Précédent").click()  # aired last week
        panel.locator(".episode").filter(has_text="The Bureau").click()
        dialog = panel.get_by_role("dialog")
        expect(dialog.get_by_text("La raison du modèle :")).to_be_visible()
        expect(dialog.locator("tr.chosen")).to_have_count(1)
        shot(page, tmp_path, "desktop-light-decision")
        dialog.get_by_role("button", name="Fermer").click()
        panel.get_by_role("button", name="Mois").click()
        expect(panel.locator(".day[data-day$='-01']").first).to_be_visible()
        shot(page, tmp_path, "desktop-light-calendar-month")

        tab(page, "Séries")
        panel.get_by_label("Titre de la série").fill("The Office")
        panel.get_by_role("button", name="Rechercher").click()
        hits = panel.locator("ul.hits li")
        expect(hits).to_have_count(2)
        shot(page, tmp_path, "desktop-light-follow-pick")
        hits.filter(has_text="(2001)").get_by_role("button", name="Suivre").click()
        office = panel.locator("li[data-follow='The Office']")
        expect(office).to_be_visible(timeout=WAIT)
        office.get_by_role("button", name="Mettre en pause").click()
        expect(office.get_by_text("En pause", exact=True)).to_be_visible()
        office.get_by_role("button", name="Modifier").click()
        office.get_by_label("Qualité").select_option("2160p")
        office.get_by_label("Ajouter des alias").fill("Le Bureau UK")
        office.get_by_role("button", name="Enregistrer").click()
        expect(office).to_contain_text("2160p · MULTI")
        shot(page, tmp_path, "desktop-light-follows")
        office.get_by_role("button", name="Ne plus suivre").click()
        office.get_by_role("button", name="Vraiment ne plus suivre ?").click()
        expect(office).to_have_count(0)

    in_chromium(walk, tmp_path)


def test_the_administrator_chats_from_the_panel(demo: Demo, tmp_path: Path) -> None:
    """In French: /aide, completed from "/ai", answers with the commands; a proposal is
    confirmed, another cancelled; after a reload the conversation is there and goes on."""

    def walk(browser: Browser) -> None:
        page = log_in(browser, demo, "fr")
        page.goto(f"{demo.url}/plex-kiosk")
        panel = page.locator("plex-kiosk-panel")
        tab(page, "Discussion")
        panel.get_by_label("Votre message").fill("/ai")
        panel.get_by_role("button", name="/aide").click()
        panel.get_by_role("button", name="Envoyer").click()
        expect(panel.locator(".message.assistant").last).to_contain_text("Commandes :")
        for command, answer, status in (
            ("/demande Dune", "Confirmer", "Fait"),
            ("/suivre The Office", "Annuler", "Annulée"),
        ):
            panel.get_by_label("Votre message").fill(command)
            panel.get_by_role("button", name="Envoyer").click()
            proposal = panel.locator(".message.assistant").last.locator(".proposal")
            proposal.get_by_role("button", name=answer).click()
            expect(proposal.locator(".badge")).to_have_text(status, timeout=WAIT)
        shot(page, tmp_path, "desktop-light-chat")
        page.reload()  # the conversation is back, and goes on
        expect(panel.locator(".message.user").filter(has_text="/demande Dune")).to_be_visible()
        panel.get_by_label("Votre message").fill("/aide")
        panel.get_by_role("button", name="Envoyer").click()
        expect(panel.locator(".message.user")).to_have_count(4)

    in_chromium(walk, tmp_path)


def test_the_administrator_upgrades_and_analyses_from_the_panel(demo: Demo, tmp_path: Path) -> None:
    """In French: an upgrade found for Oppenheimer is applied (downloaded, verified, swapped)
    then undone; a rule VF → MULTI is added, made automatic and removed; an analysis gives a report with its score, issues and recommendations, one
    of which is dismissed."""
    media = demo.folder / "media"
    make_media(media / "movies" / OPPENHEIMER, ("eng",), size="1280x720", subtitles=("fre",))
    offer(demo.sandbox, media / "downloads", name=MULTI, category=2040, size=2_000_000_000,
          seeders=300, movie="oppenheimer", published="-1d", show=None, season=None,
          episode=None, after_air=None)  # fmt: skip
    for action in ("scan_library", "scan_upgrades"):
        get(demo.port, demo.token, f"/api/services/plex_kiosk/{action}?return_response", "POST", {})

    def walk(browser: Browser) -> None:
        page = log_in(browser, demo, "fr")
        page.goto(f"{demo.url}/plex-kiosk/library")
        panel = page.locator("plex-kiosk-panel")
        candidate = panel.locator("ul.candidates li").filter(has_text="Oppenheimer")
        candidate.get_by_role("button", name="Appliquer").click()
        applied = panel.locator("ul.history li").filter(has_text="Appliquée")
        expect(applied).to_be_visible(timeout=WAIT)
        shot(page, tmp_path, "desktop-light-library")
        applied.get_by_role("button", name="Annuler").click()
        expect(panel.locator("ul.history li").filter(has_text="Annulée")).to_be_visible(
            timeout=WAIT
        )
        panel.get_by_label("De", exact=True).select_option("VF")
        panel.get_by_label("Vers", exact=True).select_option("MULTI")
        panel.get_by_role("button", name="Ajouter la règle").click()
        rule = panel.locator("tr[data-rule='VF→MULTI']")
        rule.get_by_label("Automatique").check()
        expect(rule.get_by_label("Automatique")).to_be_checked()
        page.reload()  # what the server keeps
        expect(rule.get_by_label("Automatique")).to_be_checked(timeout=WAIT)
        rule.get_by_role("button", name="Supprimer").click()
        rule.get_by_role("button", name="Vraiment supprimer ?").click()
        expect(rule).to_have_count(0)

        tab(page, "Rapports")
        panel.get_by_role("button", name="Analyser maintenant").click()
        expect(panel.locator(".score")).to_be_visible(timeout=WAIT)
        recommendation = panel.locator("ul.recommendations li").first
        expect(recommendation).to_contain_text("À décider")
        recommendation.get_by_role("button", name="Écarter").click()
        expect(recommendation).to_contain_text("Écartée")
        shot(page, tmp_path, "desktop-light-reports")
        panel.get_by_role("button", name="Analyser maintenant").click()  # the new one shows
        reports = panel.get_by_label("Rapport", exact=True)
        expect(reports.locator("option")).to_have_count(2, timeout=WAIT)
        newest = reports.locator("option").first.get_attribute("value")
        expect(reports).to_have_value(newest or "")

    in_chromium(walk, tmp_path)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_view_at_both_widths(demo: Demo, scheme: str, tmp_path: Path) -> None:
    """Each view, opened by its address, renders at a desktop's and at a phone's width with
    no broken text; at a phone's width the menu button opens Home Assistant's sidebar."""

    def walk(browser: Browser) -> None:
        for width, options in (("desktop", {}), ("phone", PHONE)):
            page = log_in(browser, demo, "fr", color_scheme=scheme, **options)
            for name, label in TABS.items():
                page.goto(f"{demo.url}/plex-kiosk/{name}")
                selected = page.locator("plex-kiosk-panel nav [aria-selected=true]")
                expect(selected).to_have_text(label)
                expect(selected).to_be_in_viewport()  # the tab strip scrolls to it on a phone
                page.locator("plex-kiosk-panel main .card").first.wait_for()
                page.wait_for_timeout(500)
                shot(page, tmp_path, f"{width}-{scheme}-{name}")
            menu = page.locator("plex-kiosk-panel header button")
            expect(menu).to_have_count(1 if width == "phone" else 0)
            if width == "phone":  # the sidebar's link to the panel, off screen until then
                link = page.locator("a[href='/plex-kiosk']")
                expect(link).not_to_be_in_viewport()
                menu.click()
                expect(link).to_be_in_viewport()
            page.close()

    in_chromium(walk, tmp_path)


def test_the_cards_on_a_dashboard(demo: Demo, tmp_path: Path) -> None:
    """Both cards are offered in the card picker and, on a dashboard, show the week's
    episodes and the downloads."""
    cards = [
        {"type": "custom:plex-kiosk-upcoming-card", "limit": 5},
        {"type": "custom:plex-kiosk-downloads-card"},
    ]
    config = {"views": [{"title": "Plex", "cards": cards}]}
    ws(demo.port, demo.token, {"type": "lovelace/config/save", "config": config})

    def walk(browser: Browser) -> None:
        page = log_in(browser, demo, "fr")
        upcoming = page.locator("plex-kiosk-upcoming-card")
        expect(upcoming.get_by_text("Cette semaine")).to_be_visible(timeout=WAIT)
        expect(upcoming.locator("li").filter(has_text="Slow Horses")).to_have_count(1)
        expect(
            page.locator("plex-kiosk-downloads-card").get_by_text("Téléchargements")
        ).to_be_visible()
        offered = page.evaluate("window.customCards.map(card => card.type)")
        assert {"plex-kiosk-upcoming-card", "plex-kiosk-downloads-card"} <= set(offered)
        page.screenshot(path=tmp_path / "cards.png")

    in_chromium(walk, tmp_path)
