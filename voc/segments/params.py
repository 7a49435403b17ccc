"""The segments and criteria stages' options."""

from __future__ import annotations

from dataclasses import dataclass

from voc.core.params import Params, default


@dataclass(frozen=True)
class SegmentParams(Params):
    """How segments are found: the seed, the number of segments (fixed, or the range tried),
    whether attributes count beside what people said, and the smallest segment."""

    seed: int = default("seed")
    segments: int | None = default("segments")
    min_segments: int = default("min_segments")
    max_segments: int = default("max_segments")
    use_attributes: bool = default("use_attributes")
    min_segment_respondents: int = default("min_segment_respondents")


@dataclass(frozen=True)
class CriteriaParams(Params):
    """How the five criteria are judged: the seed of the tests, the substantial threshold, the
    smallest segment, and the attributes a team can reach people by."""

    seed: int = default("seed")
    substantial_share: float = default("substantial_share")
    min_segment_respondents: int = default("min_segment_respondents")
    reach_attributes: list[str] = default("reach_attributes")
