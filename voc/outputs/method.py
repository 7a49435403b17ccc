"""The report's method section: how units, themes, segments and criteria were made, the
number of segments tried, the stages, skipped inputs and the reviewer's edits."""

from __future__ import annotations

import pandas as pd

from voc.core.rundir import Run
from voc.outputs.markdown import Tables, md
from voc.outputs.sections import left_out


def reach_text(reach: list[str]) -> str:
    """Which attributes the accessible criterion looked at, and how to change that."""
    if reach:
        return md(", ".join(reach))
    return (
        "any categorical attribute but answers and codings of them (sentiment, rating, reason…; "
        "name the ones you can target in `reach_attributes`)"
    )


def method_section(run: Run, t: Tables) -> list[str]:
    m = run.manifest
    counts, params = m.get("counts", {}), m.get("theme_params", {})
    sel = pd.DataFrame(m.get("segment_selection", []))
    kinds = ", ".join(f"{k}: {v}" for k, v in t.units["kind"].value_counts().items())
    left = left_out(m.get("inputs", []))
    lines = [
        "## Method and caveats",
        "",
        f"- **Units**: {len(t.units)} pieces of customer voice from "
        f"{t.units['source'].nunique()} files ({md(kinds)}); "
        f"interviewer questions are context, not voice. Personal data was "
        f"{'redacted' if run.config.redact else 'NOT redacted'} before any text left the machine."
        + (f" {left}" if left else ""),
        f"- **Themes**: {md(m.get('embedding', {}).get('model', ''))} embeddings → UMAP "
        f"({params.get('n_components')} dims, {params.get('n_neighbors')} neighbours) → HDBSCAN "
        f"(min theme size {params.get('min_cluster_size')}, chosen from the data: the smallest "
        "size whose themes stand apart on the map and stay whole in the neighbour graph as well "
        "as the best within 2%); near-duplicate themes merged; at most 25 groups join themes "
        "with close centres; names are key phrases customers used; "
        "stability = mean overlap with themes re-found on 80% resamples (1 = always re-found).",
        f"- **Segments**: each respondent is their mix of themes. "
        f"{counts.get('single_answer_respondents', 0)} respondents mention a single theme; "
        f"{counts.get('unassigned_respondents', 0)} are in no segment (see *People in no "
        "segment* for why) and still count in every total and in the overall NPS."
        + (f" {md(m['segment_note'])}" if m.get("segment_note") else ""),
        "- **Criteria**: identifiable = cross-validated balanced accuracy of a depth-2 decision "
        "tree on attributes (then on themes); substantial = share of respondents against "
        f"{run.config.substantial_share:.0%}; accessible = the largest share of members on one "
        f"value of {reach_text(run.config.reach_attributes)} with lift ≥ 1.2; "
        "differentiable = Monte Carlo test of the "
        "split from the closest segment against one Gaussian population; actionable = "
        "over-represented jobs (lift ≥ 1.5, ≥ 15% of members) with stated pains or outcomes.",
        f"- **Seed** {run.config.seed}: the same corpus and seed give the same themes and "
        "segments.",
        "",
    ]
    if not sel.empty:
        lines += [
            "Number of segments (highest silhouette among stable choices):",
            "",
            "| k | silhouette | stability (ARI) | chosen |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {r.k} | {r.silhouette:.3f} | {r.stability:.2f} | {'✅' if r.chosen else ''} |"
            for r in sel.itertuples()
        ]
        lines.append("")
    lines += ["Stages (each re-runs only when what it needs changed; timings in manifest.json):"]
    lines += ["", *[f"{i}. **{name}**: {summary}" for i, (name, summary) in enumerate(run.plan, 1)]]
    lines.append("")
    problems = m.get("problems", [])
    if problems:
        lines += [f"**Skipped inputs** ({len(problems)}):", ""]
        for p in problems[:30]:
            where = f"{p['source']}:{p['locator']}" if p["locator"] else p["source"]
            lines.append(f"- `{md(where)}`: {md(p['cause'])}")
        lines.append("")
    edits = m.get("edits", [])
    if edits:
        lines += ["**Reviewer edits**:", "", *[f"- {md(e['message'])}" for e in edits], ""]
    return lines
