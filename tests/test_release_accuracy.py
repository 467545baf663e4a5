"""Our parser against guessit on the public corpus shipped inside the guessit package."""

from __future__ import annotations

from benchmarks.corpus import FIELDS, accuracy, cases, engine_fields, evaluate, guessit_fields
from custom_components.plex_kiosk.engine.release import parse_release


def test_accuracy_within_one_point_of_guessit() -> None:
    """Field by field (title, year, season, episode, resolution, codec, source), overall at most
    one point below guessit, and no field far behind."""
    corpus = cases()
    assert len(corpus) > 1500
    ours = evaluate(corpus, lambda name: engine_fields(parse_release(name)))
    theirs = evaluate(corpus, guessit_fields)
    assert accuracy(ours) >= accuracy(theirs) - 1.0
    for field in FIELDS:
        right, total = ours[field]
        their_right, _ = theirs[field]
        assert right / total >= their_right / total - 0.05, field
