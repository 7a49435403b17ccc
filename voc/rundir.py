"""A run directory and what works on it: the `Run` a stage receives, the `Reporter` it tells
its progress to, and the `Results` a finished (or partly finished) run gives back."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from voc.errors import Problem

if TYPE_CHECKING:
    import pandas as pd

    from voc.config import Config

MANIFEST = "manifest.json"


class Reporter:
    """Receives progress; the API's default says nothing, the CLI shows it."""

    def stage(self, name: str) -> None: ...
    def step(self, message: str) -> None: ...
    def bar(self, done: int, total: int) -> None: ...
    def finished(self, name: str, seconds: float, reused: bool) -> None: ...


@dataclass
class Run:
    """Everything a stage needs: where to write, the options, and where to report."""

    dir: Path
    corpus: list[Path]
    config: Config
    reporter: Reporter = field(default_factory=Reporter)
    manifest: dict = field(default_factory=dict)

    def path(self, name: str) -> Path:
        return self.dir / name

    def save_manifest(self) -> None:
        from voc.store import write_json

        write_json(self.manifest, self.path(MANIFEST))


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
        import pandas as pd

        from voc.store import load_table, read_json

        manifest = read_json(run_dir / MANIFEST, {}) or {}

        def table(name: str) -> pd.DataFrame:
            path = run_dir / f"{name}.parquet"
            return load_table(path) if path.exists() else pd.DataFrame()

        return cls(
            run_dir,
            table("units"),
            table("themes"),
            table("respondents"),
            table("segments"),
            [Problem(**p) for p in manifest.get("problems", [])],
            manifest,
        )


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
