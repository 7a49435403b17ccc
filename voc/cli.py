"""The `voc` command line: a thin layer over the pipeline. Heavy imports happen inside the
commands, so `voc --help` is instant."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

import typer

from voc.errors import VocError
from voc.stages import STAGE_NAMES, STAGES

app = typer.Typer(
    help="Turn interview transcripts, NPS answers and support tickets into customer segments.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
theme_app = typer.Typer(
    help="Review themes: rename, merge, split, hide, move units.", no_args_is_help=True
)
segment_app = typer.Typer(help="Review segments: rename or merge them.", no_args_is_help=True)
edits_app = typer.Typer(help="List or take back saved review edits.", no_args_is_help=True)
app.add_typer(theme_app, name="theme")
app.add_typer(segment_app, name="segment")
app.add_typer(edits_app, name="edits")

Corpus = Annotated[
    list[Path], typer.Argument(help="Files or folders of customer text.", show_default=False)
]
RunDir = Annotated[
    Path, typer.Argument(help="A run directory written by `voc run`.", show_default=False)
]
Out = Annotated[
    Path | None, typer.Option("--out", "-o", help="Run directory [default: reports/<corpus name>].")
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
    from voc.clishow import RichReporter, summary
    from voc.config import load_config
    from voc.pipeline import run

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
    from voc.rundir import corpus_paths
    from voc.store import read_json

    manifest = read_json(run_dir / "manifest.json")
    if not isinstance(manifest, dict) or "corpus" not in manifest:
        fail(
            VocError(
                f"{run_dir} is not a voc run directory (no manifest.json). "
                "Create one with `voc run CORPUS --out DIR`."
            )
        )
        raise AssertionError  # unreachable: fail() exits
    return corpus_paths(run_dir, manifest), manifest["config"]


def upto(stage: str) -> tuple[str, ...]:
    return STAGE_NAMES[: STAGE_NAMES.index(stage) + 1]


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
        from voc.codebook import read_codebook

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
    from voc.rundir import default_run_dir

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


def rerun(run_dir: Path, stage: str, **flags: object) -> None:
    corpus, saved = stored_run(run_dir)
    merged = {**saved, **{k: v for k, v in flags.items() if v is not None}}
    execute(corpus, run_dir, merged, upto(stage))


@app.command("themes")
def themes_command(run_dir: RunDir, seed: Seed = None) -> None:
    """(Re)build and label the themes of a run, then list them."""
    rerun(run_dir, "label", seed=seed)
    from voc.clishow import show_themes

    show_themes(run_dir)


@app.command("segments")
def segments_command(run_dir: RunDir, segments: Segments = None) -> None:
    """(Re)build the segments, their profiles and the five criteria."""
    rerun(run_dir, "criteria", segments=segments)


@app.command("report")
def report_command(run_dir: RunDir) -> None:
    """(Re)write report.md, figures, map.html and the CSV copies."""
    rerun(run_dir, "report")


@app.command("export")
def export_command(
    run_dir: RunDir,
    format: Annotated[
        Literal["qdpx", "qdc"],
        typer.Option(help="qdpx: a REFI-QDA project; qdc: the codebook alone."),
    ] = "qdpx",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write [default: RUN/<run>.qdpx].")
    ] = None,
) -> None:
    """Export the coding for NVivo, ATLAS.ti, MAXQDA or QualCoder (REFI-QDA)."""
    from voc.qda import export_qdc, export_qdpx
    from voc.rundir import Results

    stored_run(run_dir)
    results = Results.load(run_dir)
    if results.themes.empty:
        fail(
            VocError(
                f"{run_dir} has no themes yet. Finish the run: `voc run CORPUS --out {run_dir}`."
            )
        )
    target = out or run_dir / f"{run_dir.resolve().name}.{format}"
    written = (export_qdpx if format == "qdpx" else export_qdc)(results, target)
    typer.echo(f"Wrote {written}")


@app.command("diff")
def diff_command(
    run_a: RunDir,
    run_b: RunDir,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of diff.md.")] = False,
) -> None:
    """Compare two runs: each theme's share of respondents (new, vanished, grown, shrunk,
    stable) and each segment's size and NPS. Writes RUN_B/diff.md unless --json."""
    import json

    from voc.diff import compare, write_markdown
    from voc.rundir import Results

    for run_dir in (run_a, run_b):
        stored_run(run_dir)
    a, b = Results.load(run_a), Results.load(run_b)
    if a.themes.empty or b.themes.empty:
        fail(VocError("Both runs need themes: finish them with `voc run` first."))
    found = compare(a, b)
    if as_json:
        typer.echo(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
        return
    (run_b / "figures").mkdir(exist_ok=True)
    (run_b / "diff.md").write_text(write_markdown(found, a, b), encoding="utf-8")
    typer.echo(f"Themes matched by {found.matched_by}. Wrote {run_b / 'diff.md'}")


@app.command("estimate")
def estimate_command(corpus: Corpus, model: Model = None) -> None:
    """Print the LLM calls, tokens and cost a run would need, without calling anything."""
    from voc.clishow import show_estimate

    try:
        show_estimate(corpus, options(model=model))
    except VocError as err:
        fail(err)


@app.command("review")
def review_command(
    run_dir: RunDir,
    port: int = 8765,
    open_browser: Annotated[
        bool, typer.Option("--open/--no-open", help="Open the page in a browser.")
    ] = True,
) -> None:
    """Serve the review page on 127.0.0.1: map, themes, segments, and edits that stick."""
    from voc.review import serve

    stored_run(run_dir)
    try:
        serve(run_dir, port=port, open_browser=open_browser)
    except VocError as err:
        fail(err)


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
    from voc.edits import add_edit, build_edit, describe_edit, run_names
    from voc.rundir import Results

    def save() -> str:
        tables = Results.load(run_dir)
        names = run_names(tables.themes, tables.segments)
        saved = add_edit(run_dir, build_edit(body, tables.units, tables.respondents, names))
        return f"Saved: {describe_edit(saved)}"

    change(run_dir, save)


@edits_app.command("list")
def edits_list(run_dir: RunDir) -> None:
    """The saved edits, newest first, numbered for `voc edits undo`."""
    from voc.edits import edit_history

    stored_run(run_dir)
    history = edit_history(run_dir)
    for e in history:
        typer.echo(f"{e['number']:>3}. {e['text']}  ({e['at']})")
    if not history:
        typer.echo("No edits saved in this run.")


@edits_app.command("undo")
def edits_undo(
    run_dir: RunDir,
    number: Annotated[int, typer.Argument(help="Which edit, as `voc edits list` numbers it.")] = 1,
) -> None:
    """Take back one edit (the newest by default), then refresh the run."""
    from voc.edits import describe_edit, remove_edit

    change(run_dir, lambda: f"Took back: {describe_edit(remove_edit(run_dir, number))}")


@theme_app.command("rename")
def theme_rename(run_dir: RunDir, theme: int, name: str) -> None:
    """Give theme THEME a new name."""
    edit(run_dir, {"op": "rename_theme", "theme": theme, "label": name})


@theme_app.command("job")
def theme_job(run_dir: RunDir, theme: int, job: str) -> None:
    """Replace theme THEME's job statement."""
    edit(run_dir, {"op": "set_job", "theme": theme, "job": job})


@theme_app.command("merge")
def theme_merge(
    run_dir: RunDir,
    themes: Annotated[
        list[int], typer.Argument(help="Two or more theme ids; the first one keeps its id.")
    ],
) -> None:
    """Merge themes into the first one."""
    edit(run_dir, {"op": "merge_themes", "themes": themes})


@theme_app.command("split")
def theme_split(run_dir: RunDir, theme: int, parts: int = 2) -> None:
    """Split a theme in PARTS (2–10) by re-clustering inside it."""
    edit(run_dir, {"op": "split_theme", "theme": theme, "parts": parts})


@theme_app.command("hide")
def theme_hide(run_dir: RunDir, theme: int) -> None:
    """Hide a theme from segments and the report (its units stay in units.parquet)."""
    edit(run_dir, {"op": "hide_theme", "theme": theme})


@theme_app.command("show")
def theme_show(run_dir: RunDir, theme: int) -> None:
    """Show a hidden theme again."""
    edit(run_dir, {"op": "show_theme", "theme": theme})


@theme_app.command("move")
def theme_move(
    run_dir: RunDir,
    unit_id: str,
    theme: Annotated[str, typer.Argument(help="A theme id, or `unclustered`.")],
) -> None:
    """Move one unit into another theme, or out of every theme (`unclustered`)."""
    target = "-1" if theme.strip().lower() == "unclustered" else theme
    edit(run_dir, {"op": "move_unit", "unit_id": unit_id, "theme": target})


@segment_app.command("rename")
def segment_rename(run_dir: RunDir, segment: int, name: str) -> None:
    """Give segment SEGMENT a new name."""
    edit(run_dir, {"op": "rename_segment", "segment": segment, "name": name})


@segment_app.command("merge")
def segment_merge(
    run_dir: RunDir,
    segments: Annotated[
        list[int], typer.Argument(help="Two or more segment ids; the first one keeps its id.")
    ],
) -> None:
    """Merge segments into the first one."""
    edit(run_dir, {"op": "merge_segments", "segments": segments})


def main() -> None:
    app(prog_name="voc")


if __name__ == "__main__":
    sys.exit(main())
