"""The stages in the order they run. Each is declared in its own module beside its body."""

from __future__ import annotations

from voc.pipeline.stage import Stage
from voc.pipeline.stages import (
    criteria,
    embed,
    ingest,
    label,
    profiles,
    report,
    segments,
    themes,
    trends,
)

STAGES: tuple[Stage, ...] = (
    ingest.stage,
    embed.stage,
    themes.stage,
    label.stage,
    trends.stage,
    segments.stage,
    profiles.stage,
    criteria.stage,
    report.stage,
)
STAGE_NAMES = tuple(s.name for s in STAGES)


def stage(name: str) -> Stage:
    """The declaration of the stage called `name`."""
    return STAGES[STAGE_NAMES.index(name)]
