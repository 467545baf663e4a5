"""Shows that share a title — remakes, national versions, reboots — and release names as
French and international trackers write them, each with the show it belongs to.

Written for Plex Kiosk's tests and benchmark (no outside source). A family lists its shows
as (key, title, premiere year, country); a release is (name, key of its show). The rule
under test: a year or a country in the name must be the show's; a name with neither is the
earliest show's."""

from __future__ import annotations

from collections.abc import Iterator

from custom_components.plex_kiosk.engine.quality import Preferences
from custom_components.plex_kiosk.engine.release import parse_release
from custom_components.plex_kiosk.engine.selection import Candidate, Wanted, select

FAMILIES: dict[str, dict[str, object]] = {
    "the office": {
        "shows": [("office-uk", "The Office", 2001, "UK"), ("office-us", "The Office", 2005, "US")],
        "releases": [
            ("The.Office.UK.S02E01.MULTi.1080p.WEB.H264-GRP", "office-uk"),
            ("The.Office.2001.S01E03.FRENCH.720p.HDTV.x264-GRP", "office-uk"),
            ("The.Office.S02E04.1080p.BluRay.x264-ORIGINAL", "office-uk"),
            ("The.Office.US.S09E23.MULTi.1080p.WEB.H264-GRP", "office-us"),
            ("The.Office.US.S05E14.VOSTFR.720p.WEB.x264-GRP", "office-us"),
            ("The.Office.2005.S03E01.MULTi.1080p.BluRay.x264-GRP", "office-us"),
            ("The Office (US) S07E12 1080p WEB-DL", "office-us"),
        ],
    },
    "doctor who": {
        "shows": [("dw-1963", "Doctor Who", 1963, "UK"), ("dw-2005", "Doctor Who", 2005, "UK")],
        "releases": [
            ("Doctor.Who.S26E01.DVDRip.x264-CLASSIC", "dw-1963"),
            ("Doctor.Who.1963.S01E01.DVDRip.x264-GRP", "dw-1963"),
            ("Doctor.Who.2005.S13E01.MULTi.1080p.WEB.H264-GRP", "dw-2005"),
            ("Doctor.Who.2005.S01E01.VOSTFR.720p.BluRay.x264-GRP", "dw-2005"),
            ("Doctor Who (2005) S07E05 1080p BluRay", "dw-2005"),
        ],
    },
    "battlestar galactica": {
        "shows": [
            ("bsg-1978", "Battlestar Galactica", 1978, "US"),
            ("bsg-2003", "Battlestar Galactica", 2003, "US"),
        ],
        "releases": [
            ("Battlestar.Galactica.S01E01.DVDRip.x264-CLASSIC", "bsg-1978"),
            ("Battlestar.Galactica.1978.S01E05.MULTi.1080p.BluRay.x264-GRP", "bsg-1978"),
            ("Battlestar.Galactica.2003.S04E20.MULTi.1080p.BluRay.x264-GRP", "bsg-2003"),
            ("Battlestar.Galactica.2004.S02E01.FRENCH.720p.BluRay.x264-GRP", "bsg-2003"),
        ],
    },
    "shameless": {
        "shows": [
            ("shameless-uk", "Shameless", 2004, "UK"),
            ("shameless-us", "Shameless", 2011, "US"),
        ],
        "releases": [
            ("Shameless.UK.S11E01.720p.HDTV.x264-GRP", "shameless-uk"),
            ("Shameless.S01E02.DVDRip.x264-GRP", "shameless-uk"),
            ("Shameless.US.S11E12.MULTi.1080p.WEB.H264-GRP", "shameless-us"),
            ("Shameless.US.S05E01.VOSTFR.1080p.WEB.x264-GRP", "shameless-us"),
            ("Shameless.2011.S03E04.FRENCH.1080p.WEB.H264-GRP", "shameless-us"),
        ],
    },
    "house of cards": {
        "shows": [
            ("hoc-1990", "House of Cards", 1990, "UK"),
            ("hoc-2013", "House of Cards", 2013, "US"),
        ],
        "releases": [
            ("House.of.Cards.1990.S01E01.DVDRip.x264-GRP", "hoc-1990"),
            ("House.of.Cards.S01E02.DVDRip.XviD-CLASSIC", "hoc-1990"),
            ("House.of.Cards.2013.S06E08.MULTi.1080p.WEB.H264-GRP", "hoc-2013"),
            ("House.of.Cards.US.S02E01.VOSTFR.1080p.WEB.x264-GRP", "hoc-2013"),
        ],
    },
    "skins": {
        "shows": [("skins-uk", "Skins", 2007, "UK"), ("skins-us", "Skins", 2011, "US")],
        "releases": [
            ("Skins.S07E01.MULTi.1080p.WEB.H264-GRP", "skins-uk"),
            ("Skins.UK.S03E04.FRENCH.720p.HDTV.x264-GRP", "skins-uk"),
            ("Skins.US.S01E01.720p.HDTV.x264-GRP", "skins-us"),
            ("Skins.2011.S01E05.VOSTFR.720p.WEB.x264-GRP", "skins-us"),
        ],
    },
    "being human": {
        "shows": [("bh-uk", "Being Human", 2008, "UK"), ("bh-us", "Being Human", 2011, "US")],
        "releases": [
            ("Being.Human.S05E06.720p.HDTV.x264-GRP", "bh-uk"),
            ("Being.Human.UK.S01E01.FRENCH.DVDRip.x264-GRP", "bh-uk"),
            ("Being.Human.US.S04E13.MULTi.1080p.WEB.H264-GRP", "bh-us"),
            ("Being.Human.2011.S02E03.VOSTFR.720p.WEB.x264-GRP", "bh-us"),
        ],
    },
    "utopia": {
        "shows": [
            ("utopia-uk", "Utopia", 2013, "UK"),
            ("utopia-au", "Utopia", 2014, "AU"),
            ("utopia-us", "Utopia", 2020, "US"),
        ],
        "releases": [
            ("Utopia.S02E06.MULTi.1080p.BluRay.x264-GRP", "utopia-uk"),
            ("Utopia.UK.S01E01.VOSTFR.720p.HDTV.x264-GRP", "utopia-uk"),
            ("Utopia.AU.S05E01.720p.WEB.H264-GRP", "utopia-au"),
            ("Utopia.US.S01E08.MULTi.1080p.WEB.H264-GRP", "utopia-us"),
            ("Utopia.2020.S01E01.FRENCH.1080p.WEB.H264-GRP", "utopia-us"),
        ],
    },
    "queer as folk": {
        "shows": [
            ("qaf-uk", "Queer as Folk", 1999, "UK"),
            ("qaf-us", "Queer as Folk", 2000, "US"),
            ("qaf-2022", "Queer as Folk", 2022, "US"),
        ],
        "releases": [
            ("Queer.as.Folk.S01E01.DVDRip.x264-GRP", "qaf-uk"),
            ("Queer.as.Folk.UK.S02E02.DVDRip.x264-GRP", "qaf-uk"),
            ("Queer.as.Folk.2022.S01E03.MULTi.1080p.WEB.H264-GRP", "qaf-2022"),
        ],
    },
    "charmed": {
        "shows": [("charmed-1998", "Charmed", 1998, "US"), ("charmed-2018", "Charmed", 2018, "US")],
        "releases": [
            ("Charmed.S08E22.MULTi.1080p.WEB.H264-GRP", "charmed-1998"),
            ("Charmed.1998.S01E01.FRENCH.DVDRip.x264-GRP", "charmed-1998"),
            ("Charmed.2018.S04E13.MULTi.1080p.WEB.H264-GRP", "charmed-2018"),
            ("Charmed.2018.S01E01.VOSTFR.720p.WEB.x264-GRP", "charmed-2018"),
        ],
    },
    "cosmos": {
        "shows": [("cosmos-1980", "Cosmos", 1980, "US"), ("cosmos-2014", "Cosmos", 2014, "US")],
        "releases": [
            ("Cosmos.S01E01.DVDRip.x264-CLASSIC", "cosmos-1980"),
            ("Cosmos.2014.S01E05.MULTi.1080p.BluRay.x264-GRP", "cosmos-2014"),
        ],
    },
    "the returned": {
        "shows": [("returned-us", "The Returned", 2015, "US")],
        "releases": [
            ("The.Returned.US.S01E01.MULTi.1080p.WEB.H264-GRP", "returned-us"),
            ("The.Returned.S01E02.720p.HDTV.x264-GRP", "returned-us"),
        ],
    },
    "ghosts": {
        "shows": [("ghosts-uk", "Ghosts", 2019, "UK"), ("ghosts-us", "Ghosts", 2021, "US")],
        "releases": [
            ("Ghosts.S05E06.MULTi.1080p.WEB.H264-GRP", "ghosts-uk"),
            ("Ghosts.UK.S02E01.VOSTFR.720p.WEB.x264-GRP", "ghosts-uk"),
            ("Ghosts.US.S04E01.MULTi.1080p.WEB.H264-GRP", "ghosts-us"),
            ("Ghosts.2021.S03E02.FRENCH.1080p.WEB.H264-GRP", "ghosts-us"),
        ],
    },
    "top gear": {
        "shows": [
            ("tg-uk", "Top Gear", 2002, "UK"),
            ("tg-au", "Top Gear", 2008, "AU"),
            ("tg-us", "Top Gear", 2010, "US"),
        ],
        "releases": [
            ("Top.Gear.S33E01.1080p.HDTV.x264-GRP", "tg-uk"),
            ("Top.Gear.AU.S03E05.720p.HDTV.x264-GRP", "tg-au"),
            ("Top.Gear.US.S06E01.720p.HDTV.x264-GRP", "tg-us"),
            ("Top Gear (US) S02E04 720p HDTV", "tg-us"),
        ],
    },
    "kitchen nightmares": {
        "shows": [
            ("kn-uk", "Kitchen Nightmares", 2004, "UK"),
            ("kn-us", "Kitchen Nightmares", 2007, "US"),
        ],
        "releases": [
            ("Kitchen.Nightmares.S01E01.DVDRip.x264-GRP", "kn-uk"),
            ("Kitchen.Nightmares.US.S08E01.MULTi.1080p.WEB.H264-GRP", "kn-us"),
            ("Kitchen.Nightmares.2007.S07E03.FRENCH.720p.HDTV.x264-GRP", "kn-us"),
        ],
    },
    "les revenants": {
        "shows": [("revenants-fr", "Les Revenants", 2012, "FR")],
        "releases": [("Les.Revenants.S02E08.FRENCH.1080p.BluRay.x264-GRP", "revenants-fr")],
    },
    "lupin": {
        "shows": [("lupin-2021", "Lupin", 2021, "FR")],
        "releases": [
            ("Lupin.S03E07.MULTi.1080p.WEB.H264-GRP", "lupin-2021"),
            ("Lupin.2021.S01E01.VFF.1080p.NF.WEB-DL.DDP5.1.x264-GRP", "lupin-2021"),
            ("Lupin.III.Part.6.S06E01.VOSTFR.1080p.WEB.x264-GRP", None),  # another title
        ],
    },
}


def verdicts(knows_the_family: bool = True) -> Iterator[tuple[str, str, bool, str | None]]:
    """(followed show, release name, whether it is that show's, the engine's rejection code)
    for every show of every family. ``knows_the_family=False`` gives the engine nothing of
    the show but its title (what it had before it checked years, countries and owners)."""
    anything = Preferences(min_score=-100, min_seeders=0)
    for family in FAMILIES.values():
        shows: list[tuple[str, str, int, str]] = family["shows"]  # type: ignore[assignment]
        releases: list[tuple[str, str | None]] = family["releases"]  # type: ignore[assignment]
        earliest = min(year for _, _, year, _ in shows)
        for key, title, year, country in shows:
            for name, owner in releases:
                release = parse_release(name)
                wanted = Wanted(
                    titles=(title,),
                    season=release.season,
                    episode=release.episodes[0] if release.episodes else None,
                    **(
                        {"year": year, "country": country, "owns_bare_title": year == earliest}
                        if knows_the_family
                        else {}
                    ),
                )
                [ranked] = select([Candidate(name, 100, 0)], wanted, anything).ranked
                yield key, name, owner == key, ranked.rejected.code if ranked.rejected else None
