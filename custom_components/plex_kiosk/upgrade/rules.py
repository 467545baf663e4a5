"""Upgrade rules: which axis a rule moves along, the defaults, and which files a rule wants."""

from __future__ import annotations

from ..engine.upgrade import Axis, axis_value
from ..engine.upgrade import UpgradeRule as EngineRule
from ..errors import ActionError
from ..models import MediaQualityProfile, UpgradeRule

# Each axis from worst to best.
LADDERS: dict[Axis, tuple[str, ...]] = {
    "audio": ("VO", "VOSTFR", "VF", "MULTI"),
    "video": ("480p", "576p", "720p", "1080p", "2160p"),
    "codec": ("x264", "HEVC"),
}
MEDIA_TYPES = ("movie", "series", "anime")


def axis_of(source: str, target: str) -> Axis:
    """The axis of ``source → target``; a ActionError when it is not a step up on one axis."""
    for axis, ladder in LADDERS.items():
        if source in ladder and target in ladder and ladder.index(target) > ladder.index(source):
            return axis
    raise ActionError("invalid_rule", source=source, target=target)


def default_rules(min_gain: int) -> dict[str, UpgradeRule]:
    """The rules a new installation starts with (4K off: files four times the size).

    x264→HEVC asks for no score gain: the item score does not count the codec, so the
    gain is the release's, and the other axes must simply not get worse."""
    rules = (
        UpgradeRule("vostfr_multi", "VOSTFR → MULTI", "VOSTFR", "MULTI", min_gain),
        UpgradeRule("720p_1080p", "720p → 1080p", "720p", "1080p", min_gain),
        UpgradeRule("x264_hevc", "x264 → HEVC", "x264", "HEVC", 0),
        UpgradeRule("1080p_2160p", "1080p → 2160p", "1080p", "2160p", min_gain, enabled=False),
    )
    return {rule.id: rule for rule in rules}


def engine_rule(rule: UpgradeRule, min_seeders: int) -> EngineRule:
    """The engine's view of a stored rule."""
    return EngineRule(
        axis_of(rule.source, rule.target), rule.source, rule.target, rule.min_gain, min_seeders
    )


def wants(rule: UpgradeRule, profile: MediaQualityProfile) -> bool:
    """Whether an enabled rule applies to this library item as it is now."""
    return (
        rule.enabled
        and profile.media_type in rule.media_types
        and axis_value(profile.quality, axis_of(rule.source, rule.target)) == rule.source
    )
