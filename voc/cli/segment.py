"""`voc segment …`: a reviewer's edits to a run's segments."""

from __future__ import annotations

from typing import Annotated

import typer

from voc.cli.common import RunDir, edit

app = typer.Typer(
    help="Edit a run's segments as a reviewer: rename or merge them.", no_args_is_help=True
)


@app.command("rename")
def segment_rename(run_dir: RunDir, segment: int, name: str) -> None:
    """Give segment SEGMENT a new name."""
    edit(run_dir, {"op": "rename_segment", "segment": segment, "name": name})


@app.command("merge")
def segment_merge(
    run_dir: RunDir,
    segments: Annotated[
        list[int], typer.Argument(help="Two or more segment ids; the first one keeps its id.")
    ],
) -> None:
    """Merge segments into the first one."""
    edit(run_dir, {"op": "merge_segments", "segments": segments})
