"""Selection: hard filters with their reasons, PRD scores, ranking and the re-ranker's limits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from custom_components.plex_kiosk.acquire.search import ReleaseSearch
from custom_components.plex_kiosk.engine.quality import (
    ItemQuality,
    Preferences,
    item_from_release,
    reliability,
    score_item,
    score_release,
)
from custom_components.plex_kiosk.engine.release import parse_release
from custom_components.plex_kiosk.engine.selection import (
    Candidate,
    Opinion,
    Ranked,
    Wanted,
    decide,
    normalize_title,
    rank,
    select,
)
from custom_components.plex_kiosk.engine.upgrade import AxisStep, evaluate_upgrade
from custom_components.plex_kiosk.models import StoreData

AIR = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
GB = 1_000_000_000
EPISODE = Wanted(
    titles=("Le Bureau des Légendes", "The Bureau"),
    season=5,
    episode=2,
    air_time=AIR,
    runtime=52,
)


def cand(name: str, seeders: int = 80, size: int = 2 * GB, **kwargs: object) -> Candidate:
    """A candidate published after air time by default."""
    return Candidate(
        name,
        seeders,
        size,
        infohash=kwargs.pop("infohash", name[:40].lower()),
        published=kwargs.pop("published", AIR + timedelta(hours=1)),
        **kwargs,
    )  # type: ignore[arg-type]


def rejected_codes(decision_ranked: Sequence[Ranked]) -> dict[str, str]:
    """Candidate name → rejection code."""
    return {r.candidate.name: r.rejected.code for r in decision_ranked if r.rejected}


def test_release_score_breakdown() -> None:
    """The PRD's release score: audio 40 + video 35 + source 15 + reliability 10."""
    release = parse_release("Movie.2024.MULTi.2160p.WEB-DL.HDR.HEVC-GRP")
    score = score_release(release, 120, Preferences(quality="2160p"))
    assert score.breakdown == {"audio": 40, "video": 35, "source": 12, "reliability": 10}
    assert score.total == 97
    cam = score_release(parse_release("Movie.2024.CAM.x264-GRP"), 3, Preferences())
    assert cam.source == -50
    assert [reliability(n) for n in (51, 21, 11, 10)] == [10, 7, 5, 2]


@pytest.mark.parametrize(
    ("language", "best"),
    [("MULTI", "MULTi"), ("VF", "MULTi"), ("VOSTFR", "VOSTFR")],
)
def test_language_preference(language: str, best: str) -> None:
    """A subtitle purist gets VOSTFR over a dub; others get MULTI."""
    names = [
        f"Le.Bureau.des.Legendes.S05E02.{tag}.1080p.WEB.H264-GRP"
        for tag in ("MULTi", "VFF", "VOSTFR")
    ]
    decision = select(
        [cand(n) for n in names], EPISODE, Preferences(language=language, min_score=0)
    )  # type: ignore[arg-type]
    assert decision.chosen is not None
    assert f".{best}." in decision.chosen.candidate.name


def test_dub_preference() -> None:
    """A Québec household prefers VFQ to VFF."""
    names = ["Show.S05E02.VFF.1080p.WEB.H264-A", "Show.S05E02.VFQ.1080p.WEB.H264-B"]
    wanted = Wanted(titles=("Show",), season=5, episode=2)
    decision = select([cand(n) for n in names], wanted, Preferences(dub="VFQ", min_score=0))
    assert decision.chosen is not None
    assert decision.chosen.release.audio == "VFQ"


def test_hard_filters_with_reasons() -> None:
    """Each bad candidate is kept with the reason it lost, in English and French."""
    good = "Le.Bureau.des.Legendes.S05E02.MULTi.1080p.WEB.H264-GRP"
    candidates = [
        cand(good, infohash="good"),
        cand("Le.Bureau.des.Legendes.S05E03.MULTi.1080p.WEB.H264-GRP"),
        cand("Le.Bureau.des.Legendes.S04E02.MULTi.1080p.WEB.H264-GRP"),
        cand("Le.Bureau.des.Secrets.S05E02.MULTi.1080p.WEB.H264-GRP"),
        cand("Le.Bureau.des.Legendes.S05E02.MULTi.1080p.WEB.H264-EXE.mkv.exe"),
        cand("Le.Bureau.des.Legendes.S05E02.MULTi.HDCAM.x264-CAM"),
        cand("Le.Bureau.des.Legendes.S05E02.FRENCH.MD.720p.WEB.x264-MD"),
        cand("Le.Bureau.des.Legendes.S05E02.MULTi.1080p.WEB.H264-FEW", seeders=2),
        cand("Le.Bureau.des.Legendes.S05E02.MULTi.1080p.WEB.H264-TINY", size=20_000_000),
        cand("Le.Bureau.des.Legendes.S05E02.MULTi.720p.WEB.H264-HUGE", size=60 * GB),
        cand("Le.Bureau.des.Legendes.S05E02.MULTi.1080p.WEB.H264-BLOCK", infohash="deadbeef"),
        cand(
            "Le.Bureau.des.Legendes.S05E02.MULTi.1080p.WEB.H264-EARLY",
            published=AIR - timedelta(days=2),
        ),
        cand("Le.Bureau.des.Legendes.S05E02.720p.HDTV.x264-LOW", seeders=6),
    ]
    decision = select(candidates, EPISODE, Preferences(), blocklist=frozenset({"deadbeef"}))
    assert decision.chosen is not None
    assert decision.chosen.candidate.name == good
    codes = rejected_codes(decision.ranked)
    assert list(codes.values()) == [
        "wrong_episode", "wrong_season", "wrong_title", "dangerous", "bad_source",
        "micro_dubbed", "few_seeders", "too_small", "too_big", "blocklisted", "pre_air", "low_score",
    ]  # fmt: skip
    exe = next(r for r in decision.ranked if r.rejected and r.rejected.code == "dangerous")
    assert exe.rejected is not None
    assert "exécutable" in exe.rejected.fr
    assert "executable" in exe.rejected.en
    assert len(decision.ranked) == len(candidates)


def test_seeders_boundary_and_every_bad_source() -> None:
    """Exactly the minimum of seeders passes, one fewer does not; every bad source (CAM,
    telesync, telecine, screener, in their usual spellings) is refused."""
    base = "Le.Bureau.des.Legendes.S05E02.MULTi.1080p.{source}.H264-GRP"
    preferences = Preferences(min_seeders=5)
    enough = cand(base.format(source="WEB"), seeders=5, infohash="enough")
    short = cand(base.format(source="WEB-DL"), seeders=4, infohash="short")
    bad = [
        cand(base.format(source=s), infohash=s)
        for s in ("CAM", "HDCAM", "TS", "HDTS", "TELESYNC", "TC", "TELECINE", "SCR", "DVDSCR")
    ]
    decision = select([enough, short, *bad], EPISODE, preferences, blocklist=frozenset())
    codes = rejected_codes(decision.ranked)
    assert enough.name not in codes
    assert codes[short.name] == "few_seeders"
    assert {codes[c.name] for c in bad} == {"bad_source"}


def test_a_release_without_the_episode_number_is_not_the_episode() -> None:
    """Offered for S05E02: a name with no episode number (a whole season would be a pack,
    a bare title is nothing) is refused."""
    decision = select(
        [cand("Le.Bureau.des.Legendes.MULTi.1080p.WEB.H264-GRP", infohash="bare")],
        EPISODE,
        Preferences(),
        blocklist=frozenset(),
    )
    assert decision.chosen is None
    assert decision.ranked[0].rejected is not None


def test_filter_boundaries() -> None:
    """Each threshold exactly: 7 MB/min times 52 min is the least a 1080p episode may weigh,
    350 MB/min the most; an unknown size is no reason; published exactly one hour before
    air time is still fine; a score exactly at the minimum passes."""
    name = "Le.Bureau.des.Legendes.S05E02.MULTi.1080p.WEB.H264-{}"
    expected = {
        cand(name.format("LOW"), size=364_000_000): None,
        cand(name.format("LOWER"), size=363_999_999): "too_small",
        cand(name.format("HIGH"), size=18_200_000_000): None,
        cand(name.format("HIGHER"), size=18_200_000_001): "too_big",
        cand(name.format("UNKNOWN"), size=0): None,
        cand(name.format("ONE"), size=1): "too_small",
        cand(name.format("EDGE"), published=AIR - timedelta(hours=1)): None,
        cand(name.format("EARLY"), published=AIR - timedelta(hours=1, seconds=1)): "pre_air",
    }
    decision = select(list(expected), EPISODE, Preferences(min_score=0), blocklist=frozenset())
    codes = rejected_codes(decision.ranked)
    assert {c.name: codes.get(c.name) for c in expected} == {
        c.name: code for c, code in expected.items()
    }
    score = decision.chosen.score.total if decision.chosen else 0
    for minimum, chosen in ((score, True), (score + 1, False)):
        again = select(
            list(expected)[:1], EPISODE, Preferences(min_score=minimum), blocklist=frozenset()
        )
        assert (again.chosen is not None) is chosen


def test_movie_numbering_and_year() -> None:
    """For a movie: a season is not the movie; a year off by one passes (release dates
    differ by country), by two it is another film."""
    wanted = Wanted(titles=("Dune Part Two",), kind="movie", year=2024)
    candidates = [
        cand("Dune.Part.Two.S01.MULTi.1080p.WEB.x264-SEASON", size=8 * GB),
        cand("Dune.Part.Two.2023.MULTi.1080p.WEB.x264-NEAR", size=8 * GB),
        cand("Dune.Part.Two.2022.MULTi.1080p.WEB.x264-FAR", size=8 * GB),
    ]
    codes = rejected_codes(select(candidates, wanted, Preferences(), blocklist=frozenset()).ranked)
    assert codes == {
        "Dune.Part.Two.S01.MULTi.1080p.WEB.x264-SEASON": "not_a_movie",
        "Dune.Part.Two.2022.MULTi.1080p.WEB.x264-FAR": "wrong_year",
    }


def test_reasons_say_what_is_unknown() -> None:
    """A bare title offered for an episode, a tiny file of no stated resolution: the reasons
    say so in both languages."""
    ranked = select(
        [
            cand("Le.Bureau.des.Legendes.MULTi.WEB.H264-BARE", infohash="bare"),
            cand("Le.Bureau.des.Legendes.S05E02.MULTi.WEB.H264-TINY", size=1, infohash="tiny"),
        ],
        EPISODE,
        Preferences(),
        blocklist=frozenset(),
    ).ranked
    reasons = {r.candidate.infohash: r.rejected for r in ranked}
    assert reasons["bare"] is not None
    assert (reasons["bare"].en, reasons["bare"].fr) == ("episode ?, not 2", "épisode ?, pas 2")
    assert reasons["tiny"] is not None
    assert (reasons["tiny"].en, reasons["tiny"].fr) == (
        "0 MB is too small for this",
        "0 Mo, trop petit pour du ce format",
    )


@pytest.mark.parametrize(
    ("dub", "winner", "note"),
    [
        ("VFQ", "QC", "VFQ: the preferred dub"),
        ("VFF", "FR", "VFF: the preferred dub"),
        ("either", "FR", None),  # equal audio: the better seeded wins
    ],
)
def test_quebec_and_france_households(dub: str, winner: str, note: str | None) -> None:
    """A Québec family wants VFQ first, a French one VFF, others either; the winner's
    reason says which dub it has when it matters. A VFQ 1080p WEB release is acceptable to
    a VF follow that prefers VFQ."""
    candidates = [
        cand("Le.Bureau.des.Legendes.S05E02.VFQ.1080p.WEB.H264-QC", seeders=30, infohash="qc"),
        cand("Le.Bureau.des.Legendes.S05E02.VFF.1080p.WEB.H264-FR", seeders=60, infohash="fr"),
    ]
    decision = select(
        candidates,
        EPISODE,
        Preferences(language="VF", dub=dub, min_score=60),
        blocklist=frozenset(),
    )  # type: ignore[arg-type]
    assert decision.chosen is not None
    assert decision.chosen.candidate.name.endswith(winner)
    reason = decision.chosen.reasons[0]
    assert (note in reason.en) if note else ("dub" not in reason.en)
    if dub == "VFQ":
        loser = next(r for r in decision.ranked if r is not decision.chosen)
        assert "VFF: not the preferred VFQ" in loser.reasons[0].en
        assert "VFF : pas le VFQ préféré" in loser.reasons[0].fr


def test_discs_and_3d_refused_unless_allowed() -> None:
    """A user who wants a playable file never gets a Blu-ray disc or a 3D release; one who
    says so may."""
    wanted = Wanted(titles=("Dune",), kind="movie", year=2021)
    disc = cand("Dune.2021.1080p.Blu-ray.AVC.DTS-HD.MA.7.1-DISC", size=40 * GB, infohash="disc")
    three_d = cand("Dune.2021.3D.HSBS.1080p.BluRay.x264-TDD", size=8 * GB, infohash="3d")
    codes = rejected_codes(select([disc, three_d], wanted, Preferences(min_score=0)).ranked)
    assert codes == {disc.name: "disc", three_d.name: "three_d"}
    allowed = Preferences(min_score=0, allow_discs=True, allow_3d=True)
    assert rejected_codes(select([disc, three_d], wanted, allowed).ranked) == {}


def test_bad_sources_allowed_when_asked() -> None:
    """A user who allows CAM gets it when nothing else exists."""
    wanted = Wanted(titles=("Dune Part Two",), kind="movie", year=2024)
    decision = select(
        [cand("Dune.Part.Two.2024.HDCAM.x264-GRP")],
        wanted,
        Preferences(allow_bad_sources=True, min_score=-100),
    )
    assert decision.chosen is not None


def test_title_matching_aliases() -> None:
    """Accents, case, punctuation, & / and / et, and a French alias all match."""
    assert normalize_title("Le Bureau des Légendes") == normalize_title("bureau.des.legendes")
    assert normalize_title("Law & Order") == normalize_title("Law and Order")
    wanted = Wanted(
        titles=("One Piece", "ワンピース"), season=None, episode=None, absolute=1151, runtime=24
    )
    decision = select(
        [cand("[Tsundere] One Piece - 1151 [1080p] MULTi", size=900_000_000)],
        wanted,
        Preferences(min_score=0),
    )
    assert decision.chosen is not None


def test_ranking_and_season_pack() -> None:
    """Survivors are ranked by score then seeders; once the whole season has aired and the
    options welcome packs, a better season pack serves an episode."""
    candidates = [
        cand("Le.Bureau.des.Legendes.S05E02.MULTi.1080p.WEB.H264-A", seeders=30),
        cand("Le.Bureau.des.Legendes.S05E02.MULTi.1080p.WEB.H264-B", seeders=300),
        cand("Le.Bureau.des.Legendes.S05.MULTi.1080p.BluRay.x264-PACK", size=20 * GB),
    ]
    aired = replace(EPISODE, season_aired=True)
    decision = select(candidates, aired, Preferences(season_packs=True))
    assert [r.rank for r in decision.survivors] == [1, 2, 3]
    assert decision.survivors[0].candidate.name.endswith("PACK")
    assert decision.survivors[1].candidate.seeders == 300
    assert "rang 1" in decision.survivors[0].reasons[0].fr


def test_impossible_or_unwanted_packs() -> None:
    """A complete-season pack offered when only E01 has aired claims episodes that do not
    exist: refused, whatever its seeders; with the season aired but packs off in the
    options, refused too; at equal score the exact episode beats a welcome pack."""
    episode = cand("Le.Bureau.des.Legendes.S05E02.MULTi.1080p.WEB.H264-EP", seeders=60)
    pack = cand(
        "Le.Bureau.des.Legendes.S05.COMPLETE.MULTi.1080p.WEB.H264-PACK", seeders=900, size=22 * GB
    )
    airing = select([episode, pack], EPISODE, Preferences(season_packs=True))
    assert rejected_codes(airing.ranked) == {pack.name: "pack_not_aired"}
    aired = replace(EPISODE, season_aired=True)
    unwanted = select([episode, pack], aired, Preferences())
    assert rejected_codes(unwanted.ranked) == {pack.name: "pack_not_wanted"}
    welcome = select([pack, episode], aired, Preferences(season_packs=True))
    assert [r.score.total for r in welcome.survivors] == [welcome.survivors[0].score.total] * 2
    assert welcome.chosen is not None
    assert welcome.chosen.candidate.name == episode.name


def test_reranker_reorders_survivors_only() -> None:
    """A re-ranker (the AI) may reorder survivors; it can never bring back a rejected
    candidate, and an order it gets wrong is ignored and said."""
    a = "Le.Bureau.des.Legendes.S05E02.MULTi.1080p.WEB.H264-A"
    b = "Le.Bureau.des.Legendes.S05E02.VFF.1080p.WEB.H264-B"
    cam = "Le.Bureau.des.Legendes.S05E02.MULTi.HDCAM.x264-CAM"
    ranking = rank([cand(a), cand(b), cand(cam)], EPISODE, Preferences())
    decision = decide(ranking, Preferences(), [b, a], "qwen3-vl")
    assert decision.chosen is not None
    assert decision.chosen.candidate.name == b
    assert (decision.reranked_by, decision.notes) == ("qwen3-vl", ())
    assert [r.rank for r in decision.survivors] == [1, 2]
    partial = decide(ranking, Preferences(), [b], "qwen3-vl")  # the rest follow the engine
    assert [r.candidate.name for r in partial.survivors] == [b, a]
    engine = decide(ranking, Preferences())
    assert engine.chosen is not None
    assert engine.chosen.candidate.name == a
    for wrong in ([cam, a, b], [a, a], [], None):
        ignored = decide(ranking, Preferences(), wrong, "qwen3-vl")
        assert ignored.chosen == engine.chosen
        assert ignored.reranked_by is None
        assert ignored.notes[0].code == "rerank_ignored"
    assert engine.notes == ()


def test_movie_and_season_wanted() -> None:
    """A movie refuses episodes and wrong years; a season wants the whole season."""
    movie = Wanted(titles=("Dune Part Two", "Dune : Deuxième partie"), kind="movie", year=2024)
    decision = select(
        [
            cand("Dune.Part.Two.2024.MULTi.1080p.BluRay.x264-A", size=10 * GB),
            cand("Dune.Part.Two.1984.MULTi.1080p.BluRay.x264-B", size=10 * GB),
            cand("Dune.Part.Two.S01E01.MULTi.1080p.WEB.x264-C"),
        ],
        movie,
        Preferences(),
    )
    assert rejected_codes(decision.ranked) == {
        "Dune.Part.Two.1984.MULTi.1080p.BluRay.x264-B": "wrong_year",
        "Dune.Part.Two.S01E01.MULTi.1080p.WEB.x264-C": "not_a_movie",
    }
    season = Wanted(titles=("Slow Horses",), kind="season", season=5, runtime=50)
    decision = select(
        [
            cand("Slow.Horses.S05.MULTi.1080p.WEB.h264-A", size=12 * GB),
            cand("Slow.Horses.S05E01.MULTi.1080p.WEB.h264-B"),
        ],
        season,
        Preferences(),
    )
    assert rejected_codes(decision.ranked) == {
        "Slow.Horses.S05E01.MULTi.1080p.WEB.h264-B": "wrong_season"
    }


def test_library_item_score() -> None:
    """Library score: video 50 + audio 40 + bonus 10."""
    assert score_item(ItemQuality("2160p", "h265", "HDR10", "MULTI", lossless_audio=True)) == 100
    assert score_item(ItemQuality("720p", "h264", None, "VOSTFR")) == 45
    assert score_item(ItemQuality(None, None, None, "VO")) == 20
    assert item_from_release(
        parse_release("M.2020.MULTi.1080p.BluRay.REMUX.AVC-GRP")
    ).lossless_audio


@pytest.mark.parametrize(
    ("current", "name", "seeders", "rule", "met", "reason"),
    [
        (
            ItemQuality("1080p", "h264", None, "VOSTFR"),
            "Dune.2024.MULTi.1080p.WEB.x264-A",
            50,
            AxisStep("audio", "VOSTFR", "MULTI"),
            True,
            None,
        ),
        (
            ItemQuality("1080p", "h264", None, "VOSTFR"),
            "Dune.2024.MULTi.1080p.WEB.x264-A",
            5,
            AxisStep("audio", "VOSTFR", "MULTI"),
            False,
            "5 seeders < 10",
        ),
        (
            ItemQuality("1080p", "h264", None, "MULTI"),
            "Dune.2024.MULTi.1080p.WEB.x264-A",
            50,
            AxisStep("audio", "VOSTFR", "MULTI"),
            False,
            "the current file is not VOSTFR",
        ),
        (
            ItemQuality("1080p", "h264", None, "VOSTFR"),
            "Dune.2024.VOSTFR.2160p.WEB.x265-A",
            50,
            AxisStep("audio", "VOSTFR", "MULTI"),
            False,
            "the new one is not MULTI",
        ),
        (
            ItemQuality("720p", "h264", None, "MULTI"),
            "Dune.2024.MULTi.1080p.WEB.x264-A",
            50,
            AxisStep("video", "720p", "1080p"),
            False,
            "gain 15 < 20",
        ),
        (
            ItemQuality("720p", "h264", None, "VF"),
            "Dune.2024.MULTi.1080p.WEB.x264-A",
            50,
            AxisStep("video", "720p", "1080p"),
            True,
            None,
        ),
        (
            ItemQuality("1080p", "h264", None, "MULTI"),
            "Dune.2024.MULTi.1080p.WEB.x265-A",
            50,
            AxisStep("codec", "x264", "HEVC", min_gain=0),
            True,
            None,
        ),
        (
            ItemQuality("1080p", "h264", None, "MULTI"),
            "Dune.2024.MULTi.1080p.WEB.x265-A",
            50,
            AxisStep("codec", "x264", "HEVC"),
            False,
            "gain 0 < 20",
        ),
        (
            ItemQuality("1080p", "h265", None, "MULTI"),
            "Dune.2024.MULTi.720p.WEB.x265-A",
            50,
            AxisStep("video", "1080p", "720p", min_gain=-100),
            False,
            "the new one is not better on that axis",
        ),
    ],
)
def test_upgrade_arithmetic(
    current: ItemQuality, name: str, seeders: int, rule: AxisStep, met: bool, reason: str | None
) -> None:
    """Gain ≥ 20 and seeders ≥ 10 by default, in the rule's direction only."""
    verdict = evaluate_upgrade(current, parse_release(name), seeders, rule)
    assert verdict.met is met
    assert (verdict.reason.en if verdict.reason else None) == reason


class Second:
    """A re-ranker as the AI agent will be one: an answer, or a failure, and a count."""

    name = "qwen3-vl"

    def __init__(self, answer: list[str] | Exception | None) -> None:
        self.answer, self.calls = answer, 0

    async def rerank(
        self, wanted: Wanted, survivors: Sequence[Ranked], preferences: Preferences
    ) -> Opinion | None:
        self.calls += 1
        if isinstance(self.answer, Exception):
            raise self.answer
        return None if self.answer is None else Opinion(tuple(self.answer), "plus de seeders")


async def test_the_reranker_is_awaited_between_ranking_and_the_final_order() -> None:
    """The acquisition path awaits the re-ranker on the engine's survivors and records who
    decided; a re-ranker that times out leaves the engine's order, said; with one survivor
    there is nothing to ask."""
    a = "Le.Bureau.des.Legendes.S05E02.MULTi.1080p.WEB.H264-A"
    b = "Le.Bureau.des.Legendes.S05E02.VFF.1080p.WEB.H264-B"
    releases = ReleaseSearch([], StoreData(), {})
    releases.reranker = second = Second([b, a])
    now = datetime(2026, 11, 23, tzinfo=UTC)
    decision, record = await releases.decide(
        [cand(a), cand(b)], EPISODE, Preferences(), record_id="x", subject="S05E02", now=now
    )
    assert [r.rank for r in decision.survivors] == [1, 2]
    assert (record.chosen, record.model, second.calls) == (b, "qwen3-vl", 1)
    assert (record.decided_by, record.advice) == ("model", "plus de seeders")
    assert releases.data.decisions["x"] is record
    assert record.explanation is None
    releases.reranker = Second(TimeoutError())
    engine, record = await releases.decide(
        [cand(a), cand(b)], EPISODE, Preferences(), record_id="y", subject="S05E02", now=now
    )
    assert engine.chosen is not None
    assert (engine.chosen.candidate.name, engine.reranked_by, record.model) == (a, None, None)
    assert engine.notes[0].code == "rerank_ignored"
    assert record.explanation == engine.notes[0].en
    assert (record.decided_by, record.advice) == ("engine", None)
    releases.reranker = Second(None)  # no usable answer: the same, said
    silent, record = await releases.decide(
        [cand(a), cand(b)], EPISODE, Preferences(), record_id="z", subject="S05E02", now=now
    )
    assert (silent.reranked_by, silent.notes[0].code, record.model) == (
        None,
        "rerank_ignored",
        None,
    )
    releases.reranker = lonely = Second([a])
    await releases.choose([cand(a)], EPISODE, Preferences())
    assert lonely.calls == 0


def test_a_release_filed_under_another_show_is_refused() -> None:
    """An indexer that files a release under another show's id (a namesake) is believed over
    the name; ids written differently are one id, and an id of 0 (unknown) or one we lack
    says nothing."""
    name = "Le.Bureau.des.Legendes.S05E02.MULTi.1080p.WEB.H264-A"
    ours = replace(EPISODE, ids={"tvdb": "295915", "imdb": "tt3409706"})
    elsewhere = select([cand(name, ids={"tvdb": "123456"})], ours, Preferences())
    assert elsewhere.chosen is None
    rejected = elsewhere.ranked[0]
    assert rejected.rejected is not None
    assert rejected.rejected.code == "other_show"
    assert "123456" in (rejected.reason("fr") or "")
    for ids in ({"tvdb": "295915", "imdb": "3409706"}, {"tvdb": "0"}, {"tmdb": "42"}, {}):
        assert select([cand(name, ids=ids)], ours, Preferences()).chosen is not None, ids
    assert select([cand(name, ids={"tvdb": "123456"})], EPISODE, Preferences()).chosen
