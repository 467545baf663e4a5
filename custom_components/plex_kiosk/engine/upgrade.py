"""Upgrade arithmetic: is a release worth replacing a library file?"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .quality import (
    AUDIO_LADDER,
    RESOLUTION_ORDER,
    VIDEO_LADDER,
    ItemQuality,
    item_from_release,
    score_item,
    video_class,
)
from .release import Release
from .selection import Reason

Axis = Literal["audio", "video", "codec"]
DEFAULT_MIN_GAIN = 20
DEFAULT_MIN_SEEDERS = 10
# Each axis from worst to best: the steps a rule may take.
LADDERS: dict[Axis, tuple[str, ...]] = {
    "audio": tuple(a for a, _ in sorted(AUDIO_LADDER.items(), key=lambda step: step[1])),
    "video": RESOLUTION_ORDER,
    "codec": ("x264", "HEVC"),
}


@dataclass(frozen=True, slots=True)
class AxisStep:
    """``source → target`` on one axis: VOSTFR→MULTI (audio), 720p→1080p (video), x264→HEVC."""

    axis: Axis
    source: str
    target: str
    min_gain: int = DEFAULT_MIN_GAIN
    min_seeders: int = DEFAULT_MIN_SEEDERS


@dataclass(frozen=True, slots=True)
class UpgradeVerdict:
    """The score gain and whether the rule is met, with the reason when it is not."""

    current_score: int
    new_score: int
    met: bool
    reason: Reason | None = None

    @property
    def gain(self) -> int:
        """New score minus current score."""
        return self.new_score - self.current_score


def _codec(item: ItemQuality) -> str:
    return (
        "HEVC"
        if item.video_codec in ("h265", "hevc")
        else "x264"
        if item.video_codec in ("h264", "avc")
        else str(item.video_codec)
    )


def axis_value(item: ItemQuality, axis: Axis) -> str:
    """Where an item stands on an axis: ``VOSTFR``, ``720p``, ``x264``…"""
    if axis == "audio":
        return item.audio_class
    if axis == "video":
        return str(item.resolution)
    return _codec(item)


def _better(current: ItemQuality, new: ItemQuality, axis: Axis) -> bool:
    if axis == "audio":
        return AUDIO_LADDER[new.audio_class] > AUDIO_LADDER[current.audio_class]
    old_video = VIDEO_LADDER[video_class(current.resolution, current.video_codec, current.hdr)]
    new_video = VIDEO_LADDER[video_class(new.resolution, new.video_codec, new.hdr)]
    return new_video > old_video


def evaluate_upgrade(
    current: ItemQuality, release: Release, seeders: int | None, rule: AxisStep
) -> UpgradeVerdict:
    """Whether ``release`` upgrades ``current`` under ``rule`` (gain, seeders, direction)."""
    verdict = judge(current, item_from_release(release), rule)
    if verdict.met and seeders is not None and seeders < rule.min_seeders:
        return _refuse(
            verdict,
            Reason(
                "few_seeders",
                f"{seeders} seeders < {rule.min_seeders}",
                f"{seeders} seeders < {rule.min_seeders}",
            ),
        )
    return verdict


def judge(current: ItemQuality, new: ItemQuality, rule: AxisStep) -> UpgradeVerdict:
    """Whether ``new`` (a release's promise, or a probed file) upgrades ``current``."""
    verdict = UpgradeVerdict(score_item(current), score_item(new), met=False)
    if axis_value(current, rule.axis) != rule.source:
        return _refuse(
            verdict,
            Reason(
                "not_source",
                f"the current file is not {rule.source}",
                f"le fichier actuel n'est pas {rule.source}",
            ),
        )
    if axis_value(new, rule.axis) != rule.target:
        return _refuse(
            verdict,
            Reason(
                "not_target",
                f"the new one is not {rule.target}",
                f"le nouveau n'est pas {rule.target}",
            ),
        )
    if not _better(current, new, rule.axis):
        return _refuse(
            verdict,
            Reason(
                "not_better",
                "the new one is not better on that axis",
                "le nouveau n'est pas meilleur sur cet axe",
            ),
        )
    if verdict.gain < rule.min_gain:
        gain = f"{verdict.gain} < {rule.min_gain}"
        return _refuse(verdict, Reason("small_gain", f"gain {gain}", f"gain {gain}"))
    return UpgradeVerdict(verdict.current_score, verdict.new_score, met=True)


def _refuse(verdict: UpgradeVerdict, reason: Reason) -> UpgradeVerdict:
    return UpgradeVerdict(verdict.current_score, verdict.new_score, met=False, reason=reason)
