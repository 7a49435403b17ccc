"""`voc theme …`: a reviewer's edits to a run's themes, saved and re-applied on every re-run."""

from __future__ import annotations

from typing import Annotated

import typer

from voc.cli.common import RunDir, edit

app = typer.Typer(
    help="Edit a run's themes as a reviewer: rename, merge, split, hide, move units "
    "(saved, and re-applied on every re-run).",
    no_args_is_help=True,
)


@app.command("rename")
def theme_rename(run_dir: RunDir, theme: int, name: str) -> None:
    """Give theme THEME a new name."""
    edit(run_dir, {"op": "rename_theme", "theme": theme, "label": name})


@app.command("job")
def theme_job(run_dir: RunDir, theme: int, job: str) -> None:
    """Replace theme THEME's job statement."""
    edit(run_dir, {"op": "set_job", "theme": theme, "job": job})


@app.command("merge")
def theme_merge(
    run_dir: RunDir,
    themes: Annotated[
        list[int], typer.Argument(help="Two or more theme ids; the first one keeps its id.")
    ],
) -> None:
    """Merge themes into the first one."""
    edit(run_dir, {"op": "merge_themes", "themes": themes})


@app.command("split")
def theme_split(run_dir: RunDir, theme: int, parts: int = 2) -> None:
    """Split a theme in PARTS (2–10) by re-clustering inside it."""
    edit(run_dir, {"op": "split_theme", "theme": theme, "parts": parts})


@app.command("hide")
def theme_hide(run_dir: RunDir, theme: int) -> None:
    """Hide a theme from segments and the report (its units stay in units.parquet)."""
    edit(run_dir, {"op": "hide_theme", "theme": theme})


@app.command("show")
def theme_show(run_dir: RunDir, theme: int) -> None:
    """Show a hidden theme again."""
    edit(run_dir, {"op": "show_theme", "theme": theme})


@app.command("move")
def theme_move(
    run_dir: RunDir,
    unit_id: str,
    theme: Annotated[str, typer.Argument(help="A theme id, or `unclustered`.")],
) -> None:
    """Move one unit into another theme, or out of every theme (`unclustered`)."""
    target = "-1" if theme.strip().lower() == "unclustered" else theme
    edit(run_dir, {"op": "move_unit", "unit_id": unit_id, "theme": target})
