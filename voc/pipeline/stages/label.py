"""The label stage."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from voc.llm.params import LLMParams
from voc.pipeline.stage import declare
from voc.review.ops import THEME_WORDS

if TYPE_CHECKING:
    import pandas as pd

    from voc.core.rundir import Run
    from voc.llm.core import LLM

LABEL_COLUMNS = ["label", "job", "pains", "outcomes"]


@declare(
    name="label",
    summary="name each theme as a job to be done (LLM or offline labeler)",
    needs=("themes",),
    reads=("units.parquet", "themes.parquet"),
    writes=("themes.parquet",),
    params=(LLMParams,),
    options=("base_run",),
    version=3,
    edits=THEME_WORDS,
    uses_llm=True,
)
def stage(run: Run, llm: LLM) -> None:
    """Each theme named as a job to be done, by the LLM or the offline labeler."""
    from voc.core.store import load_table, save_table
    from voc.core.tables import THEME_COLUMNS, check
    from voc.llm.core import Ask
    from voc.llm.schemas import ThemeLabel
    from voc.review.apply import apply_label_edits
    from voc.review.edits import load_edits
    from voc.themes.label import distinct_names, offline_label, theme_request

    units = load_table(run.path("units.parquet"))
    table = load_table(run.path("themes.parquet"))
    carried = base_labels(run)  # an update's base themes keep their names, jobs and renames
    todo = table[~table["theme_id"].isin(carried.index)]
    requests = [theme_request(theme, units) for _, theme in todo.iterrows()]
    asks = [Ask("theme_label", data, ThemeLabel, offline_label) for data in requests]
    answers = llm.ask_all(asks)
    names = distinct_names([a.name for a in answers], list(todo["keywords"]))
    fresh = {
        t: {"label": name, "job": a.job, "pains": a.pains, "outcomes": a.outcomes}
        for t, name, a in zip(todo["theme_id"], names, answers, strict=True)
    }
    labels = [fresh.get(t) or carried.loc[t].to_dict() for t in table["theme_id"]]
    for column in LABEL_COLUMNS:
        table[column] = [row[column] for row in labels]
    if "code" in table:  # a codebook's theme keeps the researcher's name
        table["label"] = table["code"].where(table["code"].fillna("") != "", table["label"])
    table = apply_label_edits(load_edits(run.dir), units, table)
    save_table(check(table, THEME_COLUMNS, "themes"), run.path("themes.parquet"))


def base_labels(run: Run) -> pd.DataFrame:
    """In an update, the base run's label, job, pains and outcomes per theme id; else empty."""
    import pandas as pd

    from voc.core.store import load_table

    if not run.config.base_run:
        return pd.DataFrame(columns=LABEL_COLUMNS)
    base = load_table(Path(run.config.base_run) / "themes.parquet")
    return base.set_index("theme_id")[LABEL_COLUMNS]
