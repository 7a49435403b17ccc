"""`voc review`: the review page, served on 127.0.0.1."""

from __future__ import annotations

from typing import Annotated

import typer

from voc.cli.common import RunDir, fail, stored_run
from voc.core.errors import VocError

app = typer.Typer()


@app.command("review")
def review_command(
    run_dir: RunDir,
    port: int = 8765,
    open_browser: Annotated[
        bool, typer.Option("--open/--no-open", help="Open the page in a browser.")
    ] = True,
) -> None:
    """Serve the review page on 127.0.0.1: map, themes, segments, and edits that stick."""
    from voc.review.server import serve

    stored_run(run_dir)
    try:
        serve(run_dir, port=port, open_browser=open_browser)
    except VocError as err:
        fail(err)
