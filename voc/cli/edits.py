"""`voc edits …`: the saved review edits, listed or taken back."""

from __future__ import annotations

from typing import Annotated

import typer

from voc.cli.common import RunDir, change, stored_run

app = typer.Typer(help="List or take back saved review edits.", no_args_is_help=True)


@app.command("list")
def edits_list(run_dir: RunDir) -> None:
    """The saved edits, newest first, numbered for `voc edits undo`."""
    from voc.review.edits import edit_history

    stored_run(run_dir)
    history = edit_history(run_dir)
    for e in history:
        typer.echo(f"{e['number']:>3}. {e['text']}  ({e['at']})")
    if not history:
        typer.echo("No edits saved in this run.")


@app.command("undo")
def edits_undo(
    run_dir: RunDir,
    number: Annotated[int, typer.Argument(help="Which edit, as `voc edits list` numbers it.")] = 1,
) -> None:
    """Take back one edit (the newest by default), then refresh the run."""
    from voc.review.edits import describe_edit, remove_edit

    change(run_dir, lambda: f"Took back: {describe_edit(remove_edit(run_dir, number))}")
