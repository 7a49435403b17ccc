"""The `voc` command line: a thin layer over the pipeline, a module per group of commands.
Heavy imports happen inside the commands, so `voc --help` is instant."""

from __future__ import annotations

import typer

from voc.cli import edits, exports, review, run, segment, theme

app = typer.Typer(
    help="Turn interview transcripts, NPS answers and support tickets into customer segments.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",  # a docstring's lines join into paragraphs
)
app.add_typer(run.app)
app.add_typer(exports.app)
app.add_typer(review.app)
app.add_typer(theme.app, name="theme")
app.add_typer(segment.app, name="segment")
app.add_typer(edits.app, name="edits")


def main() -> None:
    app(prog_name="voc")
