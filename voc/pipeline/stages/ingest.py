"""The ingest stage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from voc.ingest.params import IngestParams
from voc.pipeline.stage import CORPUS, declare

if TYPE_CHECKING:
    from voc.core.rundir import Run
    from voc.llm.core import LLM


@declare(
    name="ingest",
    summary="read transcripts, tables and tickets into units of customer voice",
    needs=(),
    reads=(CORPUS,),
    writes=("units.parquet", "respondents.parquet"),
    params=(IngestParams,),
    version=3,
)
def stage(run: Run, llm: LLM) -> None:
    """Corpus files → units and respondents tables; problems go to the manifest."""
    from voc.core.store import save_table
    from voc.core.tables import (
        RESPONDENT_COLUMNS,
        UNIT_COLUMNS,
        check,
        is_voice,
        nps_group,
    )
    from voc.ingest.corpus import ingest

    config = run.config
    params = IngestParams.from_config(config)
    got = ingest(run.corpus, params, run.reporter.step, config.strict, config.codebook)
    units = check(got.units, UNIT_COLUMNS, "units")
    units["nps_group"] = units["score"].map(nps_group)
    save_table(units, run.path("units.parquet"))
    save_table(
        check(got.respondents, RESPONDENT_COLUMNS, "respondents"), run.path("respondents.parquet")
    )
    run.manifest["inputs"] = got.inputs
    run.manifest["problems"] = [p.to_dict() for p in got.problems]
    voice = is_voice(units)
    run.manifest["counts"] = {
        "units": int(voice.sum()),
        "non_answers": units.loc[~voice, "non_answer"].value_counts().to_dict(),
        "respondents": len(got.respondents),
    }
