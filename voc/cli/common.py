"""What the command groups share: the arguments and options they take, running the pipeline
with progress on screen, and the one-paragraph error that ends a command."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

import typer

from voc.core.errors import VocError
from voc.pipeline.registry import STAGE_NAMES

Corpus = Annotated[
    list[Path], typer.Argument(help="Files or folders of customer text.", show_default=False)
]


RunDir = Annotated[
    Path, typer.Argument(help="A run directory written by `voc run`.", show_default=False)
]


Out = Annotated[
    Path | None, typer.Option("--out", "-o", help="Run directory [default: reports/CORPUS_NAME].")
]


Seed = Annotated[int | None, typer.Option(help="Random seed: same corpus + seed = same result.")]


Segments = Annotated[int | None, typer.Option(help="Fix the number of segments (else 3–6).")]


LlmChoice = Annotated[
    Literal["auto", "offline", "openai"] | None,
    typer.Option(
        "--llm",
        help="auto = OpenAI-compatible server when OPENAI_API_KEY or OPENAI_BASE_URL is set.",
    ),
]


Model = Annotated[str | None, typer.Option("--model", help="LLM model name.")]


MaxCalls = Annotated[int | None, typer.Option(help="Stop calling the LLM after this many calls.")]


MaxCost = Annotated[float | None, typer.Option(help="Stop calling the LLM past this cost (USD).")]


Prompts = Annotated[
    Path | None,
    typer.Option("--prompts", help="Folder of prompt templates overriding the built-in ones."),
]


Strict = Annotated[bool, typer.Option("--strict", help="Fail on any skipped file or row.")]


NoRedact = Annotated[
    bool,
    typer.Option("--no-redact", help="Keep personal data in texts (it is redacted by default)."),
]


def fail(err: VocError) -> None:
    from rich.console import Console

    Console(stderr=True).print(f"[bold red]Error:[/] {err}", highlight=False)
    raise typer.Exit(1)


def options(
    seed: int | None = None,
    segments: int | None = None,
    llm: str | None = None,
    model: str | None = None,
    max_calls: int | None = None,
    max_cost: float | None = None,
    prompts: Path | None = None,
    strict: bool = False,
    no_redact: bool = False,
) -> dict:
    """CLI flags as config fields; unset flags stay None so voc.toml and defaults apply."""
    return {
        "seed": seed,
        "segments": segments,
        "llm": llm,
        "llm_model": model,
        "max_calls": max_calls,
        "max_cost": max_cost,
        "prompts_dir": prompts,
        "strict": True if strict else None,
        "redact": False if no_redact else None,
    }


def execute(
    corpus: list[Path],
    out: Path | None,
    flags: dict,
    only: tuple[str, ...] | None = None,
    run_dir: Path | None = None,
) -> None:
    """Run the pipeline with progress on screen, then summarise; VocError → exit 1."""
    from voc.cli.show import RichReporter, summary
    from voc.core.config import load_config
    from voc.pipeline.runner import run

    try:
        config = load_config(corpus, **flags)
        results = run(corpus, out or run_dir, config, RichReporter(), only or STAGE_NAMES)
    except VocError as err:
        fail(err)
        return
    except KeyboardInterrupt:
        typer.echo(
            "Interrupted. Run the same command again to resume from the last finished stage.",
            err=True,
        )
        sys.stderr.flush()
        os._exit(130)  # finished stages are on disk; worker threads must not outlive Ctrl-C
    summary(results)


def stored_run(run_dir: Path) -> tuple[list[Path], dict]:
    """The corpus and options a run directory was made with."""
    from voc.core.rundir import corpus_paths, open_run

    try:
        manifest = open_run(run_dir)
    except VocError as err:
        fail(err)
        raise AssertionError from None  # unreachable: fail() exits
    return corpus_paths(run_dir, manifest), manifest["config"]


def upto(stage: str) -> tuple[str, ...]:
    return STAGE_NAMES[: STAGE_NAMES.index(stage) + 1]


def rerun(run_dir: Path, stage: str, **flags: object) -> None:
    corpus, saved = stored_run(run_dir)
    merged = {**saved, **{k: v for k, v in flags.items() if v is not None}}
    execute(corpus, run_dir, merged, upto(stage))


def change(run_dir: Path, act: Callable[[], str]) -> None:
    """Save a change to the run's edits (`act` says what it did), then refresh the run."""
    stored_run(run_dir)
    try:
        said = act()
    except VocError as err:
        fail(err)
        return
    typer.echo(said, err=True)
    rerun(run_dir, "report")


def edit(run_dir: Path, body: dict) -> None:
    """Record one edit (validated as the review page does), then refresh the run."""
    from voc.core.rundir import Results
    from voc.review.edits import add_edit, build_edit, describe_edit, run_names

    def save() -> str:
        tables = Results.load(run_dir)
        names = run_names(tables.themes, tables.segments)
        saved = add_edit(run_dir, build_edit(body, tables.units, tables.respondents, names))
        return f"Saved: {describe_edit(saved)}"

    change(run_dir, save)
