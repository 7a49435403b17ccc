"""The segments stage of an update: this period's people join the base run's segments by the
themes they mention; the period is not segmented anew."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from voc.core.tables import NOISE, UNASSIGNED
from voc.segments.find import SegmentResult, find_segments
from voc.segments.params import SegmentParams
from voc.update.base import Base

NO_BASE_SEGMENT = "fits no segment of the base run"


def segment_profiles(base: Base) -> pd.DataFrame:
    """Base segments × base themes: the share of members who mention each theme."""
    units, people = base.results.units, base.results.respondents
    said = pd.crosstab(units["respondent_id"], units["theme_id"]).drop(
        columns=NOISE, errors="ignore"
    )
    segment = people.set_index("respondent_id")["segment_id"].reindex(said.index)
    members = said.gt(0)[segment.ne(UNASSIGNED) & segment.notna()]
    return members.groupby(segment).mean()


def in_base_segments(
    base: Base,
    units: pd.DataFrame,
    people: pd.DataFrame,
    vectors: np.ndarray,
    visible: pd.DataFrame,
    params: SegmentParams,
    hidden: set[int],
) -> SegmentResult:
    """The segments stage of an update: this period's people in the base run's segments
    (`place_respondents`, on `visible`: units outside hidden themes), described by this
    period's theme mix. The period itself is not segmented."""
    one = dataclasses.replace(params, segments=1)
    result = find_segments(units, people, vectors, one, hidden)
    result.assignment, result.confidence = place_respondents(base, visible)
    outside = result.assignment[result.assignment == UNASSIGNED].index
    result.reasons = pd.Series(NO_BASE_SEGMENT, index=outside)
    segments = base.results.segments
    result.k = len(segments)
    if "stability" in segments:
        result.stability = dict(zip(segments["segment_id"], segments["stability"], strict=True))
    result.note = (
        f"{len(result.assignment) - len(outside)} of {len(result.assignment)} respondents with "
        f"answers joined the base run's segments by the themes they mention; "
        f"{len(outside)} fit none."
    )
    return result


def place_respondents(base: Base, units: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each respondent's base segment (the profile nearest by cosine to the themes they mention)
    and that cosine; UNASSIGNED for someone who mentions no base theme."""
    profiles = segment_profiles(base)
    said = pd.crosstab(units["respondent_id"], units["theme_id"]).gt(0).astype(float)
    said = said.reindex(columns=profiles.columns, fill_value=0.0)
    p = profiles.to_numpy() / np.maximum(np.linalg.norm(profiles, axis=1, keepdims=True), 1e-9)
    x = said.to_numpy()
    norms = np.linalg.norm(x, axis=1)
    cosine = (x @ p.T) / np.maximum(norms[:, None], 1e-9)
    best = cosine.argmax(axis=1)
    segment = np.where(norms > 0, profiles.index.to_numpy()[best], UNASSIGNED)
    fit = np.where(norms > 0, cosine[np.arange(len(best)), best], np.nan)
    return (
        pd.Series(segment.astype(int), index=said.index, name="segment_id"),
        pd.Series(fit.round(3), index=said.index, name="segment_confidence"),
    )
