"""Never another show's episode: remakes and national versions of the same title, each
release name accepted for its own show only, refused for the others as ``other_show``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.data.title_families import FAMILIES, verdicts
from tests.test_follow import at, epoch, follow
from tests.test_follow import episode as episode_of

CASES = list(verdicts())


def test_the_corpus_is_large_and_two_sided() -> None:
    """Several dozen names, each family with both sides."""
    assert len({name for _, name, _, _ in CASES}) >= 60
    assert sum(1 for family in FAMILIES.values() if len(family["shows"]) > 1) >= 10  # type: ignore[arg-type]


@pytest.mark.parametrize(("show", "name", "belongs", "rejected"), CASES, ids=str)
def test_each_release_for_its_own_show_only(
    show: str, name: str, belongs: bool, rejected: str | None
) -> None:
    """Accepted for its show; for any other show of the title, refused as another show (or,
    for another title altogether, as the wrong title)."""
    if belongs:
        assert rejected is None
    else:
        assert rejected in ("other_show", "wrong_title")


async def test_following_the_us_office_never_grabs_the_uk_one(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
) -> None:
    """The Office (US, 2005; TVMaze 526) follows its S10E01: the UK version's release, the
    2001 show's and the bare title (the UK show came first) are refused as another show,
    though they have ten times the seeders; the US release is grabbed."""
    followed = await follow(hass, tvmaze_id=526)
    assert (followed["follow"]["country"], followed["follow"]["owns_bare_title"]) == ("US", False)
    await at(hass, loaded_entry, sandbox, freezer, epoch(sandbox) + timedelta(days=3, minutes=35))
    episode = episode_of(loaded_entry, "The Office", 10, 1)
    assert episode.release_name == "The.Office.US.S10E01.MULTi.1080p.WEB.H264-USVERSION"
    rejected = {
        c.name: c.rejected
        for c in loaded_entry.runtime_data.data.decisions[episode.decision_id].candidates
    }
    assert rejected == {
        "The.Office.US.S10E01.MULTi.1080p.WEB.H264-USVERSION": None,
        "The.Office.UK.S10E01.MULTi.1080p.WEB.H264-UKVERSION": "other_show",
        "The.Office.2001.S10E01.MULTi.1080p.WEB.H264-OLDSHOW": "other_show",
        "The.Office.S10E01.MULTi.1080p.WEB.H264-BARE": "other_show",
    }
