"""The profiles stage."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from voc.llm.params import LLMParams
from voc.pipeline.stage import declare
from voc.review.ops import SEGMENT_NAMES

if TYPE_CHECKING:
    from voc.core.rundir import Run
    from voc.llm.core import LLM


@declare(
    name="profiles",
    summary="draft a persona per segment from its members' quotes",
    needs=("label", "segments"),
    reads=("units.parquet", "themes.parquet", "respondents.parquet", "segments.parquet"),
    writes=("segments.parquet",),
    params=(LLMParams,),
    options=("base_run",),
    version=2,
    edits=SEGMENT_NAMES,
    uses_llm=True,
)
def stage(run: Run, llm: LLM) -> None:
    """A persona per segment, grounded in its members' quotes."""
    from voc.core.store import load_table, save_table
    from voc.core.tables import SEGMENT_COLUMNS, check
    from voc.llm.core import Ask
    from voc.llm.schemas import SegmentProfile
    from voc.review.apply import apply_segment_edits
    from voc.review.edits import load_edits
    from voc.segments.personas import offline_profile, profile_request

    units = load_table(run.path("units.parquet"))
    themes_table = load_table(run.path("themes.parquet"))
    people = load_table(run.path("respondents.parquet"))
    table = load_table(run.path("segments.parquet"))
    if table.empty:  # no segments (too few people): nothing to profile
        save_table(table.reindex(columns=SEGMENT_COLUMNS), run.path("segments.parquet"))
        return
    asks = []
    for _, seg in table.iterrows():
        members = set(people.loc[people["segment_id"] == seg["segment_id"], "respondent_id"])
        data = profile_request(seg, themes_table, units, members)
        asks.append(Ask("segment_profile", data, SegmentProfile, offline_profile))
    drafted = llm.ask_all(asks)
    table["name"] = [p.name for p in drafted]
    table["profile"] = [p.model_dump() for p in drafted]
    if run.config.base_run:  # the base run's segments keep their names (renames included)
        base = load_table(Path(run.config.base_run) / "segments.parquet")
        names = table["segment_id"].map(base.set_index("segment_id")["name"])
        table["name"] = names.fillna(table["name"])
    table = apply_segment_edits(load_edits(run.dir), people, table)
    save_table(check(table, SEGMENT_COLUMNS, "segments"), run.path("segments.parquet"))
