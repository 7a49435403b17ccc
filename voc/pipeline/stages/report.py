"""The report stage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from voc.pipeline.stage import declare

if TYPE_CHECKING:
    from voc.core.rundir import Run
    from voc.llm.core import LLM

TABLES = ("units", "themes", "respondents", "segments")


@declare(
    name="report",
    summary="write report.md, figures, map.html and CSV copies",
    needs=("criteria", "trends"),
    reads=(*(f"{t}.parquet" for t in TABLES), "trends.parquet"),
    writes=("report.md", "map.html", *(f"{t}.csv" for t in TABLES)),
    also_writes=("figures/*.png", "codes_by_case.csv"),
    version=5,
)
def stage(run: Run, llm: LLM) -> None:
    """The artefacts people read: report.md, figures, map.html, CSV copies."""
    from voc.outputs.report import write_report

    write_report(run)
