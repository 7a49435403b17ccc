"""What the CLI shows: progress while stages run, and the summary afterwards."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from voc.core.rundir import Reporter, Results
from voc.core.tables import CRITERIA
from voc.outputs.sections import left_out
from voc.pipeline.registry import STAGE_NAMES

console = Console(stderr=True, highlight=False)
MARK = {"pass": "[green]✓[/]", "weak": "[yellow]~[/]", "fail": "[red]✗[/]"}


class RichReporter(Reporter):
    """Stage lines with timings, and a progress bar for the long embedding step."""

    def __init__(self) -> None:
        self._progress: Progress | None = None
        self._task: int | None = None

    def stage(self, name: str) -> None:
        console.print(f"[bold]▸ {name}[/]")

    def step(self, message: str) -> None:
        console.print(f"  {message}")

    def bar(self, done: int, total: int) -> None:
        if self._progress is None:
            self._progress = Progress(
                "  embedding",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("embed", total=total)
        assert self._task is not None
        self._progress.update(self._task, completed=done)
        if done >= total:
            self._progress.stop()
            self._progress = None

    def finished(self, name: str, seconds: float, reused: bool) -> None:
        if reused:
            console.print(f"[dim]▸ {name}: unchanged, reused[/]")
        else:
            console.print(f"  [green]done[/] in {seconds:.1f}s")


def summary(results: Results) -> None:
    """Segments with their verdicts, skipped inputs, edits, LLM use, and where the files are."""
    m = results.manifest
    if results.segments.empty:
        counts = m.get("counts", {})
        console.print(
            f"{counts.get('units', len(results.units))} units from "
            f"{counts.get('respondents', len(results.respondents))} respondents"
            + (f"; no segments: {m['segment_note']}" if m.get("segment_note") else "")
        )
    else:
        segment_table(results)
    show_problems(results)
    if (results.run_dir / "report.md").exists():
        console.print(
            f"Report: [bold]{results.run_dir / 'report.md'}[/]  map: {results.run_dir / 'map.html'}"
        )
    else:
        console.print(f"Tables: [bold]{results.run_dir}[/]")


def segment_table(results: Results) -> None:
    """One row per segment; the five verdicts as one column of marks, so the names keep the
    width even in an 80-column terminal."""
    table = Table(title="Segments", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("segment", ratio=1, min_width=24)
    table.add_column("people", justify="right", no_wrap=True)
    table.add_column("NPS", justify="right", no_wrap=True)
    table.add_column("stab.", justify="right", no_wrap=True)
    table.add_column(" ".join(c[0].upper() for c in CRITERIA), no_wrap=True)
    for s in results.segments.itertuples():
        stable = getattr(s, "stability", float("nan"))
        table.add_row(
            str(s.segment_id),
            s.name,
            f"{s.size} ({s.share:.0%})",
            "–" if s.nps != s.nps else f"{s.nps:+.0f}",
            "–" if stable != stable else f"{stable:.2f}",
            " ".join(MARK[getattr(s, c)] for c in CRITERIA),
        )
    console.print(table)
    console.print(
        f"{' '.join(c[0].upper() for c in CRITERIA)} = {', '.join(CRITERIA)} (✓ pass, ~ weak, "
        "✗ fail); stab. = how closely a segment is found again on resamples (0.75+: it holds)",
        style="dim",
    )


def show_problems(results: Results) -> None:
    """Skipped inputs, non-answers, edits and LLM use, after any run."""
    m = results.manifest
    if results.problems:
        console.print(f"[yellow]Skipped {len(results.problems)} input(s):[/]")
        for p in results.problems[:25]:
            console.print(f"  - {p}")
        if len(results.problems) > 25:
            console.print(f"  … and {len(results.problems) - 25} more in manifest.json")
    left = left_out(m.get("inputs", []))
    if left:
        console.print(left)
    for e in m.get("edits", []):
        console.print(f"  {'[green]✓[/]' if e['applied'] else '[yellow]![/]'} edit {e['message']}")
    for move in m.get("segment_moves", []):
        console.print(f"  {move}")
    llm = m.get("llm", {})
    if llm.get("backend") == "openai":
        console.print(
            f"LLM: {llm.get('calls', 0)} calls, {llm.get('cache_hits', 0)} cached, "
            f"≈${llm.get('est_cost_usd', 0):.4f}; log in {results.run_dir / 'llm'}"
        )
        for err in llm.get("errors", [])[:10]:
            console.print(f"  [yellow]![/] {err}")


def show_themes(run_dir: Path) -> None:
    from voc.core.store import load_table

    themes = load_table(run_dir / "themes.parquet")
    table = Table(title="Themes", title_justify="left")
    for col in ("#", "label", "units", "people", "stability", "keywords"):
        table.add_column(col)
    for t in themes.itertuples():
        hidden = " (hidden)" if getattr(t, "hidden", False) else ""
        table.add_row(
            str(t.theme_id),
            f"{t.label}{hidden}",
            str(t.size),
            str(t.respondents),
            f"{t.stability:.2f}",
            ", ".join(t.keywords[:4]),
        )
    Console().print(table)


def show_estimate(corpus: list[Path], flags: dict) -> None:
    """Run the local stages offline in a scratch directory (never into a run of the user's),
    then count the label, profile and judgement requests an LLM run would send."""
    import tempfile

    from voc.core.config import load_config
    from voc.llm.core import estimate
    from voc.llm.params import LLMParams
    from voc.pipeline.runner import run
    from voc.segments.personas import profile_request
    from voc.themes.label import theme_request

    config = load_config(corpus, **flags).with_updates(llm="offline")
    with tempfile.TemporaryDirectory(prefix="voc-estimate-") as scratch:
        # Up to the offline profiles: what the LLM would be asked about is known by then.
        upto = STAGE_NAMES[: STAGE_NAMES.index("profiles") + 1]
        results = run(corpus, scratch, config, RichReporter(), upto)
    tasks = [("theme_label", theme_request(t, results.units)) for _, t in results.themes.iterrows()]
    for _, s in results.segments.iterrows():
        members = set(results.respondents.query("segment_id == @s.segment_id")["respondent_id"])
        tasks.append(
            ("segment_profile", profile_request(s, results.themes, results.units, members))
        )
        tasks.append(("criteria_judgement", {"segment": {"name": s["name"]}, "measured": {}}))
    asked = config.with_updates(llm_model=flags.get("llm_model"))
    est = estimate(tasks, LLMParams.from_config(asked))
    Console().print(
        f"{est['calls']} calls to {est['model']}: ≈{est['prompt_tokens']:,} prompt "
        f"tokens, ≤{est['max_completion_tokens']:,} completion tokens, "
        f"≤${est['est_cost_usd']:.4f} ({est['note']}). Nothing was sent."
    )
