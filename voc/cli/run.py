"""The commands that run stages: the whole pipeline on a corpus (`run`), a new period in an
earlier run's taxonomy (`update`), one stage on a run directory (`ingest`, `themes`,
`segments`, `report`), and what an LLM run would cost (`estimate`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from voc.cli.common import (
    Corpus,
    LlmChoice,
    MaxCalls,
    MaxCost,
    Model,
    NoRedact,
    Out,
    Prompts,
    RunDir,
    Seed,
    Segments,
    Strict,
    execute,
    fail,
    options,
    rerun,
    stored_run,
    upto,
)
from voc.core.errors import VocError
from voc.pipeline.registry import STAGES

app = typer.Typer()

STAGE_HELP = "\n\n".join(f"{i}. {s.name}: {s.summary}." for i, s in enumerate(STAGES, 1))


@app.command(
    "run",
    help="Run every stage on a corpus and write the persona report.\n\n"
    f"{STAGE_HELP}\n\nRe-running reuses every stage whose inputs, options and edits did not "
    "change, re-applies your review edits, and resumes an interrupted run.",
)
def run_command(
    corpus: Corpus,
    out: Out = None,
    seed: Seed = None,
    segments: Segments = None,
    llm: LlmChoice = None,
    model: Model = None,
    max_calls: MaxCalls = None,
    max_cost: MaxCost = None,
    prompts: Prompts = None,
    strict: Strict = False,
    no_redact: NoRedact = False,
    engine: Annotated[
        Literal["local", "ray"] | None,
        typer.Option(help="Where embedding and theme placement run: here, or a Ray cluster."),
    ] = None,
    address: Annotated[
        str | None, typer.Option(help="The Ray cluster's address (with --engine ray).")
    ] = None,
    codebook: Annotated[
        Path | None,
        typer.Option(
            help="Start from your codes: a REFI-QDA codebook (.qdc), project (.qdpx) or a CSV "
            "with `name` and optional `description` and `example` columns.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    if codebook:
        from voc.ingest.codebook import read_codebook

        try:
            read_codebook(codebook)  # a codebook voc cannot read fails now, not after embedding
        except VocError as err:
            fail(err)
    flags = options(seed, segments, llm, model, max_calls, max_cost, prompts, strict, no_redact)
    execute(
        corpus,
        out,
        {
            **flags,
            "codebook": codebook.resolve() if codebook else None,
            "engine": engine,
            "ray_address": address,
        },
    )


@app.command("update")
def update_command(
    base: Annotated[
        Path, typer.Argument(help="The earlier run whose taxonomy to use.", show_default=False)
    ],
    corpus: Corpus,
    out: Out = None,
    llm: LlmChoice = None,
    model: Model = None,
    max_calls: MaxCalls = None,
    max_cost: MaxCost = None,
    strict: Strict = False,
    no_redact: NoRedact = False,
) -> None:
    """Run a new period's corpus in BASE's themes and segments.

    New answers join BASE's themes (with their names, jobs and review edits) when close enough;
    what fits none forms themes marked `new`; people join BASE's segments. Compare the two runs
    with `voc diff BASE OUT`.
    """
    from voc.core.rundir import default_run_dir

    stored_run(base)
    target = out or default_run_dir(corpus)
    if target.resolve() == base.resolve():
        fail(VocError("The update needs its own run directory: give --out a new folder."))
    flags = options(None, None, llm, model, max_calls, max_cost, None, strict, no_redact)
    execute(corpus, target, {**flags, "base_run": base.resolve()})


@app.command("ingest")
def ingest_command(
    corpus: Corpus, out: Out = None, strict: Strict = False, no_redact: NoRedact = False
) -> None:
    """Read a corpus into units.parquet and respondents.parquet, listing skipped inputs."""
    execute(corpus, out, options(strict=strict, no_redact=no_redact), upto("ingest"))


@app.command("themes")
def themes_command(run_dir: RunDir, seed: Seed = None) -> None:
    """Re-run a run's themes and labels (the stages; `voc theme` edits one), then list them."""
    rerun(run_dir, "label", seed=seed)
    from voc.cli.show import show_themes

    show_themes(run_dir)


@app.command("segments")
def segments_command(run_dir: RunDir, segments: Segments = None) -> None:
    """Re-run a run's segments, their profiles and the five criteria (the stages)."""
    rerun(run_dir, "criteria", segments=segments)


@app.command("report")
def report_command(run_dir: RunDir) -> None:
    """Re-write a run's report.md, figures, map.html and the CSV copies."""
    rerun(run_dir, "report")


@app.command("estimate")
def estimate_command(corpus: Corpus, model: Model = None) -> None:
    """Print the LLM calls, tokens and cost a run would need, without calling anything."""
    from voc.cli.show import show_estimate

    try:
        show_estimate(corpus, options(model=model))
    except VocError as err:
        fail(err)
