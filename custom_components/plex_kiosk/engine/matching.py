"""Matching a feed against every wanted episode at once (one title lookup per release)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .release import Release
from .selection import normalize_title


@dataclass(frozen=True, slots=True)
class WantedEpisode:
    """An episode still wanted, with its follow's titles."""

    key: str
    titles: tuple[str, ...]
    season: int | None
    episode: int | None
    absolute: int | None


class EpisodeIndex:
    """Wanted episodes indexed by normalised title."""

    def __init__(self, wanted: Iterable[WantedEpisode]) -> None:
        """Index every alias of every wanted episode."""
        self._by_title: dict[str, list[WantedEpisode]] = defaultdict(list)
        for item in wanted:
            for title in {normalize_title(t) for t in item.titles}:
                self._by_title[title].append(item)

    def same_show(self, release: Release) -> list[WantedEpisode]:
        """The wanted episodes of the show a release is from, whatever its numbering."""
        return list(self._by_title.get(normalize_title(release.title), ()))

    def match(self, release: Release) -> list[WantedEpisode]:
        """The wanted episodes a release holds (a season pack holds every wanted one)."""
        found = []
        for item in self._by_title.get(normalize_title(release.title), ()):
            if release.season is None and item.absolute is not None:
                if item.absolute in release.episodes:
                    found.append(item)
            elif release.season == item.season and (
                item.episode in release.episodes or release.complete_season
            ):
                found.append(item)
        return found
