"""What a stage is: a declaration (its name, what it needs, reads and writes in the run
directory, the parameters and edits it depends on) beside the function that does it. The
pipeline, fingerprints, re-runs, `--help` and the report's list of stages derive from the
declarations, so each lives above its body in `voc.pipeline.stages.<name>`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from voc.core.params import Params

if TYPE_CHECKING:
    from voc.core.config import Config
    from voc.core.rundir import Run
    from voc.llm.core import LLM

Body = Callable[["Run", "LLM"], None]
CORPUS = "corpus"  # what the ingest stage reads: the corpus files, not a file of the run


@dataclass(frozen=True)
class Stage:
    """One stage, declared once. `version` changes when the stage computes differently, so
    runs made before re-run it (and only it and what follows)."""

    name: str
    summary: str  # one line: `--help` and the report's method text
    needs: tuple[str, ...]  # the stages whose results it uses: a change there re-runs it
    reads: tuple[str, ...]  # files of the run directory (CORPUS = the corpus files)
    writes: tuple[str, ...]  # files it always writes: the stage is done when they exist
    function: Body
    params: tuple[type[Params], ...] = ()  # the parameter objects its algorithms take
    options: tuple[str, ...] = ()  # further Config fields it depends on
    version: int = 1
    edits: tuple[str, ...] = ()  # edit ops this stage is the first to apply
    uses_llm: bool = False  # its output depends on the LLM backend
    also_writes: tuple[str, ...] = ()  # files (patterns) it writes when it has something to say
    # The configuration this run's stage works with, when it depends on the run (the number of
    # segments kept after a reviewer's edit): what is hashed is what is used.
    configure: Callable[[Run], Config] | None = None

    def option_names(self) -> tuple[str, ...]:
        """Every Config field the stage depends on: its parameters' fields, then the rest."""
        names = [name for p in self.params for name in p.options()]
        return tuple(dict.fromkeys([*names, *self.options]))

    def files(self) -> tuple[str, ...]:
        """The run directory's files (or patterns) the stage may open."""
        return tuple(f for f in (*self.reads, *self.writes, *self.also_writes) if f != CORPUS)

    def config_for(self, run: Run) -> Config:
        return self.configure(run) if self.configure else run.config


def declare(**declaration: object) -> Callable[[Body], Stage]:
    """Declare the stage whose body follows: `@declare(name=…, reads=…, …)` above `def stage`."""

    def make(function: Body) -> Stage:
        return Stage(function=function, **declaration)  # type: ignore[arg-type]

    return make
