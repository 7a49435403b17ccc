"""The trends stage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from voc.pipeline.stage import declare

if TYPE_CHECKING:
    from voc.core.rundir import Run
    from voc.llm.core import LLM


@declare(
    name="trends",
    summary="measure each theme's NPS impact and, when units have dates, its trend",
    needs=("label",),
    reads=("units.parquet", "themes.parquet"),
    writes=("themes.parquet", "trends.parquet"),
    options=("seed",),
)
def stage(run: Run, llm: LLM) -> None:
    """Each theme's NPS impact and trend into the themes table; shares per period into
    trends.parquet (empty when the units carry no dates)."""
    from voc.core.store import load_table, save_table
    from voc.core.tables import THEME_COLUMNS, check
    from voc.trends import moving_themes, nps_impact, theme_trends

    units = load_table(run.path("units.parquet"))
    table = load_table(run.path("themes.parquet"))
    impact = nps_impact(units, table["theme_id"].tolist(), run.config.seed)
    table = table.drop(columns=[c for c in impact if c != "theme_id"], errors="ignore")
    table = table.merge(impact, on="theme_id", how="left")
    table["trend"] = table["theme_id"].map(moving_themes(units)).astype(object).fillna("")
    save_table(check(table, [*THEME_COLUMNS, "nps_impact"], "themes"), run.path("themes.parquet"))
    save_table(theme_trends(units), run.path("trends.parquet"))
