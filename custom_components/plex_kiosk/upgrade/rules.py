"""Upgrade rules: which axis a rule moves along, the defaults, which files a rule wants, and
the rule actions (add, change, remove)."""

from __future__ import annotations

from typing import Any

from homeassistant.util.ulid import ulid_now

from ..engine.upgrade import LADDERS, Axis, AxisStep, axis_value
from ..errors import ActionError
from ..models import CandidateStatus, MediaQualityProfile, StoreData, UpgradeRule

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


def engine_rule(rule: UpgradeRule, min_seeders: int) -> AxisStep:
    """The engine's view of a stored rule."""
    return AxisStep(
        axis_of(rule.source, rule.target), rule.source, rule.target, rule.min_gain, min_seeders
    )


def wants(rule: UpgradeRule, profile: MediaQualityProfile) -> bool:
    """Whether an enabled rule applies to this library item as it is now."""
    return (
        rule.enabled
        and profile.media_type in rule.media_types
        and axis_value(profile.quality, axis_of(rule.source, rule.target)) == rule.source
    )


def seed_rules(data: StoreData, min_gain: int) -> None:
    """The default rules, once per installation (deleted ones stay deleted)."""
    if not data.rules_seeded:
        data.rules.update(default_rules(min_gain))
        data.rules_seeded = True


def add_rule(
    data: StoreData,
    *,
    source: str,
    target: str,
    name: str | None = None,
    min_gain: int = 0,
    auto_apply: bool = False,
    media_types: list[str] | None = None,
    enabled: bool = True,
) -> UpgradeRule:
    """A new rule (a step up on one axis)."""
    axis_of(source, target)
    rule = UpgradeRule(
        ulid_now(),
        name or f"{source} → {target}",
        source,
        target,
        min_gain,
        auto_apply,
        list(media_types or MEDIA_TYPES),
        enabled,
    )
    data.rules[rule.id] = rule
    return rule


def _rule(data: StoreData, rule_id: str) -> UpgradeRule:
    if rule_id not in data.rules:
        raise ActionError("unknown_rule", rule_id=rule_id)
    return data.rules[rule_id]


def update_rule(data: StoreData, rule_id: str, **changes: Any) -> UpgradeRule:
    """Change some fields of a rule (checked as a whole before anything changes)."""
    rule = _rule(data, rule_id)
    axis_of(changes.get("source", rule.source), changes.get("target", rule.target))
    for key, value in changes.items():
        setattr(rule, key, value)
    return rule


def remove_rule(data: StoreData, rule_id: str) -> None:
    """Delete a rule and the candidates it found that are still waiting."""
    _rule(data, rule_id)
    del data.rules[rule_id]
    for candidate in [c for c in data.candidates.values() if c.rule_id == rule_id]:
        if candidate.status in (CandidateStatus.AVAILABLE, CandidateStatus.BLOCKED):
            del data.candidates[candidate.id]
