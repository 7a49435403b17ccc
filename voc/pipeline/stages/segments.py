"""The segments stage."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from voc.pipeline.stage import declare
from voc.review.ops import SEGMENT_MERGES
from voc.segments.params import SegmentParams

if TYPE_CHECKING:
    from voc.core.config import Config
    from voc.core.rundir import Run
    from voc.llm.core import LLM


def keep_segment_count(run: Run) -> Config:
    """The options segments run with: after a reviewer's theme edits, the number of segments
    found before is kept (`--segments N` re-chooses), so an edit never changes it unasked."""
    from voc.review.apply import has_theme_edits
    from voc.review.edits import load_edits

    config = run.config
    if config.segments is not None:
        return config
    kept = run.manifest.get("segment_k") if has_theme_edits(load_edits(run.dir)) else None
    return config.with_updates(segments=kept) if kept else config


@declare(
    name="segments",
    summary="group respondents by the themes they mention",
    needs=("themes",),
    reads=("units.parquet", "respondents.parquet", "themes.parquet", "embeddings.npy"),
    writes=(
        "respondents.parquet",
        "segments.parquet",
        "segment_matrix.parquet",
        "segment_features.npy",
    ),
    params=(SegmentParams,),
    options=("base_run",),
    version=5,
    edits=SEGMENT_MERGES,
    configure=keep_segment_count,
)
def stage(run: Run, llm: LLM) -> None:
    """Respondents → segments by theme mix; the segments table of measured facts. Everyone
    stays in the respondents table: a person in no segment gets a note saying why."""
    import numpy as np

    from voc.core.store import load_table, save_table
    from voc.core.tables import RESPONDENT_SEGMENT_COLUMNS, UNASSIGNED
    from voc.review.apply import apply_segment_merges, follow_segments, segment_moves
    from voc.review.edits import load_edits
    from voc.segments.facts import segment_facts
    from voc.segments.find import find_segments, outside_notes, set_aside_small
    from voc.update.base import Base
    from voc.update.segments import in_base_segments

    params = SegmentParams.from_config(run.config)
    edits = load_edits(run.dir)
    units = load_table(run.path("units.parquet"))
    people = load_table(run.path("respondents.parquet"))
    before = people.set_index("respondent_id").get("segment_id")
    people = people.drop(columns=RESPONDENT_SEGMENT_COLUMNS, errors="ignore")
    hidden = set(load_table(run.path("themes.parquet")).query("hidden")["theme_id"])
    visible = units.assign(theme_id=units["theme_id"].where(~units["theme_id"].isin(hidden), -1))
    vectors = np.load(run.path("embeddings.npy"))
    if run.config.base_run:  # people join the base run's segments by the themes they mention
        base = Base.load(Path(run.config.base_run))
        result = in_base_segments(base, units, people, vectors, visible, params, hidden)
    else:
        result = find_segments(units, people, vectors, params, hidden=hidden)
        if before is not None and edits:
            result.assignment = follow_segments(before, result.assignment)
    result.assignment = apply_segment_merges(edits, result.assignment)
    if not run.config.base_run:  # a base segment stays one however few of this period join it
        result = set_aside_small(result, params.min_segment_respondents)
    run.manifest["segment_k"] = result.k
    moves = segment_moves(before, result.assignment) if before is not None else []
    run.manifest["segment_moves"] = moves
    ids = people["respondent_id"]
    people["segment_id"] = result.assignment.reindex(ids).fillna(UNASSIGNED).astype(int).values
    people["segment_confidence"] = result.confidence.reindex(ids).to_numpy()
    people["segment_note"] = outside_notes(visible, people, result.reasons)
    attributes = people.drop(columns=RESPONDENT_SEGMENT_COLUMNS)
    facts = segment_facts(
        visible, attributes, result.assignment, result.matrix, result.stability
    )
    save_table(people, run.path("respondents.parquet"))
    save_table(facts, run.path("segments.parquet"))
    result.matrix.to_parquet(run.path("segment_matrix.parquet"))
    np.save(run.path("segment_features.npy"), result.features)
    run.manifest["segment_selection"] = result.selection.to_dict(orient="records")
    run.manifest["segment_note"] = result.note
    run.manifest["counts"] = {
        **run.manifest.get("counts", {}),
        "segments": len(facts),
        "unassigned_respondents": int((people["segment_id"] == UNASSIGNED).sum()),
        "single_answer_respondents": int((result.matrix.gt(0).sum(axis=1) == 1).sum()),
    }
