"""voc turns interview transcripts, NPS answers and support tickets into customer segments.

`voc.run(corpus)` runs every stage and returns the tables as pandas DataFrames; heavy
libraries are imported only when a stage needs them, so `import voc` stays instant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

if TYPE_CHECKING:
    from voc.rundir import Results


def run(*args: Any, **kwargs: Any) -> Results:
    """Run voc on a corpus; see `voc.pipeline.run` for the arguments."""
    from voc.pipeline import run as run_pipeline

    return run_pipeline(*args, **kwargs)


def load(run_dir: Any) -> Results:
    """The tables of a finished run directory."""
    from pathlib import Path

    from voc.rundir import Results

    return Results.load(Path(run_dir))
