"""A run directory and what works on it: the `Run` a stage receives, the `Reporter` it tells
its progress to, and the `Results` a finished (or partly finished) run gives back."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from voc.core.errors import Problem, VocError

if TYPE_CHECKING:
    import pandas as pd

    from voc.core.config import Config

MANIFEST = "manifest.json"
EDITS = "edits.json"
# What every stage may read or write besides its declared files: the run's record, the
# reviewer's edits and the LLM's log.
SHARED_FILES = (MANIFEST, EDITS, "llm/*")
TABLES = ("units", "themes", "respondents", "segments")


class UndeclaredFile(RuntimeError):
    """A stage touched a run file its declaration does not list (a bug in voc, not in the
    user's data: the declarations drive re-runs, so they must be complete)."""


class Reporter:
    """Receives progress; the API's default says nothing, the CLI shows it."""

    def stage(self, name: str) -> None: ...
    def step(self, message: str) -> None: ...
    def bar(self, done: int, total: int) -> None: ...
    def finished(self, name: str, seconds: float, reused: bool) -> None: ...


@dataclass
class Run:
    """Everything a stage needs: where to write, the options, and where to report. While a
    stage runs, `files` holds the names (patterns) it declared, and `path` refuses others."""

    dir: Path
    corpus: list[Path]
    config: Config
    reporter: Reporter = field(default_factory=Reporter)
    manifest: dict = field(default_factory=dict)
    files: tuple[str, ...] | None = None
    # (name, summary) of every stage of the pipeline the run belongs to, for the report
    plan: tuple[tuple[str, str], ...] = ()

    def path(self, name: str) -> Path:
        if self.files is not None and not declared(name, (*self.files, *SHARED_FILES)):
            raise UndeclaredFile(f"{name} is not declared by the stage that uses it")
        return self.dir / name

    def save_manifest(self) -> None:
        from voc.core.store import write_json

        write_json(self.manifest, self.path(MANIFEST))

    def results(self) -> Results:
        """The run's tables as they are now, read through `path` (so declared)."""
        return Results.read(self.dir, self.path)


def declared(name: str, patterns: Sequence[str]) -> bool:
    """Whether a run file's name matches one of a declaration's names or patterns."""
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


@dataclass
class Results:
    """The tables of a run, for notebooks and scripts. A table the run has not reached yet
    (after `voc ingest`, say) is an empty DataFrame."""

    run_dir: Path
    units: pd.DataFrame
    themes: pd.DataFrame
    respondents: pd.DataFrame
    segments: pd.DataFrame
    problems: list[Problem]
    manifest: dict

    @classmethod
    def load(cls, run_dir: Path) -> Results:
        return cls.read(Path(run_dir), lambda name: Path(run_dir) / name)

    @classmethod
    def finished(cls, run_dir: Path) -> Results:
        """The tables of a run that went as far as the report's tables; a VocError saying
        what to do when it did not."""
        missing = [f"{t}.parquet" for t in TABLES if not (Path(run_dir) / f"{t}.parquet").exists()]
        if missing:
            raise VocError(
                f"{run_dir} has no {', '.join(missing)} yet. Finish the run first: "
                f"`voc run CORPUS --out {run_dir}`."
            )
        return cls.load(run_dir)

    @classmethod
    def read(cls, run_dir: Path, locate: Callable[[str], Path]) -> Results:
        import pandas as pd

        from voc.core.store import load_table, read_json

        manifest = read_json(locate(MANIFEST), {}) or {}

        def table(name: str) -> pd.DataFrame:
            path = locate(f"{name}.parquet")
            return load_table(path) if path.exists() else pd.DataFrame()

        units, themes, respondents, segments = (table(t) for t in TABLES)
        problems = [Problem(**p) for p in manifest.get("problems", [])]
        return cls(run_dir, units, themes, respondents, segments, problems, manifest)


def open_run(run_dir: Path) -> dict:
    """The manifest of a run directory; a VocError when `run_dir` is not one."""
    from voc.core.store import read_json

    manifest = read_json(Path(run_dir) / MANIFEST)
    if not isinstance(manifest, dict) or "corpus" not in manifest:
        raise VocError(
            f"{run_dir} is not a voc run directory (no manifest.json). "
            "Create one with `voc run CORPUS --out DIR`."
        )
    return manifest


def default_run_dir(corpus: Sequence[Path]) -> Path:
    """`reports/<name of the first corpus path>`."""
    first = Path(corpus[0]).resolve()
    name = first.name if first.is_dir() else first.stem
    return Path("reports") / (name or "run")


def corpus_paths(run_dir: Path, manifest: dict) -> list[Path]:
    """The corpus a run was made from. Paths are stored relative to the run directory too, so
    a run copied or cloned together with its corpus still finds it from any folder."""
    given = [Path(p) for p in manifest.get("corpus", [])]
    relative = [run_dir / p for p in manifest.get("corpus_from_run", [])]
    if relative and len(relative) == len(given) and all(p.exists() for p in relative):
        return [Path(os.path.normpath(p)) for p in relative]
    return given
