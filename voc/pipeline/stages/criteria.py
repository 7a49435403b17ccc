"""The criteria stage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from voc.llm.params import LLMParams
from voc.pipeline.stage import declare
from voc.segments.params import CriteriaParams

if TYPE_CHECKING:
    import pandas as pd

    from voc.core.rundir import Run
    from voc.llm.core import LLM


@declare(
    name="criteria",
    summary="measure the five criteria per segment",
    needs=("label", "profiles"),
    reads=(
        "respondents.parquet",
        "segments.parquet",
        "segment_matrix.parquet",
        "segment_features.npy",
        "themes.parquet",
    ),
    writes=("segments.parquet",),
    params=(CriteriaParams, LLMParams),
    version=4,
    uses_llm=True,
)
def stage(run: Run, llm: LLM) -> None:
    """The five criteria measured per segment; the LLM's judgement beside them if configured."""
    import numpy as np
    import pandas as pd

    from voc.core.store import load_table, save_table
    from voc.core.tables import CRITERIA, RESPONDENT_SEGMENT_COLUMNS
    from voc.segments.criteria import evaluate

    people = load_table(run.path("respondents.parquet"))
    table = load_table(run.path("segments.parquet"))
    table = table.drop(
        columns=[
            c
            for c in table.columns
            if c.startswith(CRITERIA) or c in ("recommendation", "judgement")
        ]
    )
    matrix = pd.read_parquet(run.path("segment_matrix.parquet"))
    matrix.columns = matrix.columns.astype(int)
    assignment = people.set_index("respondent_id")["segment_id"]
    themes_table = load_table(run.path("themes.parquet"))
    x = np.load(run.path("segment_features.npy"))
    attributes = people.drop(columns=RESPONDENT_SEGMENT_COLUMNS, errors="ignore")
    params = CriteriaParams.from_config(run.config)
    measured = evaluate(table, attributes, matrix, x, assignment, themes_table, params)
    if not measured.empty:
        table = table.merge(measured, on="segment_id")
    table["judgement"] = [judge(llm, row) for _, row in table.iterrows()]
    save_table(table, run.path("segments.parquet"))


def judge(llm: LLM, row: pd.Series) -> dict | None:
    """The model's view of actionable and accessible; None on the offline backend, which has
    no judgement beyond the measurements."""
    from voc.core.tables import CRITERIA
    from voc.llm.meter import BudgetExceeded
    from voc.llm.schemas import CriteriaJudgement

    if llm.backend == "offline":
        return None
    data = {
        "segment": {"name": row["name"], "summary": row["profile"]["summary"]},
        "measured": {
            c: {"verdict": row[c], "figure": row[f"{c}_shown"], "reason": row[f"{c}_reason"]}
            for c in CRITERIA
        },
    }
    try:
        answer = llm.ask("criteria_judgement", data, CriteriaJudgement, offline=lambda _d: None)
    except BudgetExceeded as err:
        llm.budget_reached(err, 1)
        return None
    return answer.model_dump() if answer is not None else None
