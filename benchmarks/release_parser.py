"""Release-name parsing: our engine against guessit on the same public corpus, in one run.

Prints names per second for each, their ratio (the goal is ≥ 100×), and the accuracy of
each on the corpus's expectations (the goal is at most one point below guessit).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from benchmarks.corpus import Case, accuracy, cases, engine_fields, evaluate, guessit_fields
from custom_components.plex_kiosk.engine.quality import Preferences
from custom_components.plex_kiosk.engine.release import parse_release
from custom_components.plex_kiosk.engine.selection import Candidate, Wanted, select


def _rate(parse: Callable[[str], Any], names: list[str], repeat: int) -> float:
    """Best names/second over ``repeat`` passes (the first pass warms caches)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for name in names:
            parse(name)
        best = min(best, time.perf_counter() - start)
    return len(names) / best


def _selection_rate(corpus: list[Case]) -> float:
    """Feeds of 100 candidates selected for one episode, per second."""
    feed = [Candidate(c.name, seeders=20, size=2_000_000_000) for c in corpus[:100]]
    wanted = Wanted(titles=("Show Name",), season=1, episode=2)
    start = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        select(feed, wanted, Preferences())
    return rounds / (time.perf_counter() - start)


def main() -> None:
    """Run and print."""
    corpus = cases()
    names = [c.name for c in corpus]
    ours_rate = _rate(parse_release, names, repeat=5)
    start = time.perf_counter()
    theirs = evaluate(corpus, guessit_fields)
    theirs_rate = len(names) / (time.perf_counter() - start)
    ours = evaluate(corpus, lambda name: engine_fields(parse_release(name)))
    print(f"release parsing — {len(names)} names from guessit's own test data")
    print(
        f"  plex_kiosk  {ours_rate:>10,.0f} names/s  ({1e6 / ours_rate:7.1f} µs/name)  accuracy {accuracy(ours):.2f}%"
    )
    print(
        f"  guessit     {theirs_rate:>10,.0f} names/s  ({1e6 / theirs_rate:7.1f} µs/name)  accuracy {accuracy(theirs):.2f}%  (anchor)"
    )
    print(
        f"  speed ratio {ours_rate / theirs_rate:.0f}×  (goal ≥ 100×)   accuracy gap {accuracy(ours) - accuracy(theirs):+.2f} points (goal ≥ -1)"
    )
    for field in ours:
        (right, total), (their_right, _) = ours[field], theirs[field]
        print(
            f"    {field:<12} {100 * right / total:6.1f}%  vs {100 * their_right / total:6.1f}%  ({total} pairs)"
        )
    print(f"  selection   {_selection_rate(corpus):,.0f} feeds of 100 candidates/s")


if __name__ == "__main__":
    main()
