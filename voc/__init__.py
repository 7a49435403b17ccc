"""voc turns interview transcripts, NPS answers and support tickets into customer segments.

`voc.run(corpus)` runs every stage and returns the tables as pandas DataFrames; heavy
libraries are imported only when a stage needs them, so `import voc` stays instant."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.4.0"

if TYPE_CHECKING:
    from voc.core.config import Config
    from voc.core.rundir import Reporter, Results


def run(
    corpus: Sequence[Path | str],
    out: Path | str | None = None,
    config: Config | None = None,
    reporter: Reporter | None = None,
    only: Sequence[str] | None = None,
) -> Results:
    """Run voc on a corpus (files or folders) into the run directory `out` (default
    `reports/<corpus name>`) and return its tables. `config` defaults to the corpus's
    `voc.toml` and `VOC_*` variables; `only` names the stages to run (default: all)."""
    from voc.pipeline.registry import STAGE_NAMES
    from voc.pipeline.runner import run as run_pipeline

    return run_pipeline(corpus, out, config, reporter, only or STAGE_NAMES)


def load(run_dir: Path | str) -> Results:
    """The tables of a finished run directory."""
    from voc.core.rundir import Results

    return Results.load(Path(run_dir))
