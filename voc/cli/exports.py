"""The commands that read finished runs: a REFI-QDA export (`export`) and the comparison of
two runs (`diff`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from voc.cli.common import RunDir, fail, stored_run
from voc.core.errors import VocError

app = typer.Typer()


@app.command("export")
def export_command(
    run_dir: RunDir,
    format: Annotated[
        Literal["qdpx", "qdc"],
        typer.Option(help="qdpx: a REFI-QDA project; qdc: the codebook alone."),
    ] = "qdpx",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write [default: RUN/RUN_NAME.qdpx].")
    ] = None,
) -> None:
    """Export the coding for NVivo, ATLAS.ti, MAXQDA or QualCoder (REFI-QDA)."""
    from voc.core.rundir import Results
    from voc.outputs.qda import export_qdc, export_qdpx

    stored_run(run_dir)
    results = Results.load(run_dir)
    if results.themes.empty:
        fail(
            VocError(
                f"{run_dir} has no themes yet. Finish the run: `voc run CORPUS --out {run_dir}`."
            )
        )
    target = out or run_dir / f"{run_dir.resolve().name}.{format}"
    written = (export_qdpx if format == "qdpx" else export_qdc)(results, target)
    typer.echo(f"Wrote {written}")


@app.command("diff")
def diff_command(
    run_a: RunDir,
    run_b: RunDir,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of diff.md.")] = False,
) -> None:
    """Compare two runs: which themes are new, vanished, grown, shrunk or stable.

    Each theme's share of respondents in both runs, with a significance test, and each
    segment's size and NPS. Writes RUN_B/diff.md unless --json.
    """
    import json

    from voc.core.rundir import Results
    from voc.update.diff import compare, write_markdown

    for run_dir in (run_a, run_b):
        stored_run(run_dir)
    a, b = Results.load(run_a), Results.load(run_b)
    if a.themes.empty or b.themes.empty:
        fail(VocError("Both runs need themes: finish them with `voc run` first."))
    found = compare(a, b)
    if as_json:
        typer.echo(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
        return
    (run_b / "figures").mkdir(exist_ok=True)
    (run_b / "diff.md").write_text(write_markdown(found, a, b), encoding="utf-8")
    typer.echo(f"Themes matched by {found.matched_by}. Wrote {run_b / 'diff.md'}")
