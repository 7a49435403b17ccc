"""The report's method section: how units, themes, segments and criteria were made, the
number of segments tried, the stages, skipped inputs and the reviewer's edits. Every rule is
written from the constants the code runs and the figures the manifest holds, so changing a
rule changes the text."""

from __future__ import annotations

import pandas as pd

from voc.core.rundir import Run
from voc.outputs.markdown import Tables, md
from voc.outputs.sections import left_out
from voc.segments import consensus, criteria
from voc.themes import cluster, grain, groups
from voc.themes.sample import VOTERS


def reach_text(reach: list[str]) -> str:
    """Which attributes the accessible criterion looked at, and how to change that."""
    if reach:
        return md(", ".join(reach))
    return (
        "any categorical attribute but answers and codings of them (sentiment, rating, reason…; "
        "name the ones you can target in `reach_attributes`)"
    )


def themes_rule(run: Run) -> str:
    """How themes were found, with this run's grain."""
    m = run.manifest
    params = m.get("theme_params", {})
    config = run.config
    sample = (
        f" Themes were fitted on a sample of {params['fitted_on']:,} units; every other unit "
        f"takes the theme its {VOTERS} most similar fitted units vote for."
        if params.get("fitted_on")
        else ""
    )
    size = params.get("min_cluster_size")
    chosen = (
        "as configured"
        if config.min_theme_size
        else "chosen from the data: the smallest size whose themes stand apart in the layout "
        "(silhouette) and stay whole in the neighbour graph (modularity) within "
        f"{grain.SCORE_TOLERANCE:.0%} of the best size, or a finer peak within "
        f"{grain.PEAK_TOLERANCE:.0%} of it"
    )
    return (
        f"- **Themes**: {md(m.get('embedding', {}).get('model', ''))} embeddings → each unit's "
        f"{cluster.NEIGHBOURS} nearest neighbours (cosine, ranked at "
        f"{cluster.DISTANCE_DECIMALS} decimals) → a spectral layout of that graph (its leading "
        f"eigenvectors, those with eigenvalue at least {cluster.STRUCTURE}; "
        f"{cluster.MIN_DIMS} to {cluster.SPECTRAL_DIMS}) → HDBSCAN (min theme size {size}, "
        f"{chosen}); themes whose centres have a cosine of {config.merge_similarity} or more "
        "are merged; an unclustered unit joins the nearest theme at a cosine of "
        f"{config.noise_reassign_similarity} or more, and in {cluster.SMOOTHING} rounds a unit "
        "takes the theme holding more than half of its neighbours; at most "
        f"{groups.MAX_GROUPS} groups join themes with close centres; names are key phrases "
        "customers used; stability = mean overlap with the themes found again on "
        f"{cluster.RESAMPLE_SHARE:.0%} resamples (1 = always found again). The layout has no "
        "seed and moves as little as the vectors do, so another CPU finds the same themes; "
        f"UMAP only draws the 2-D map.{sample}"
    )


def segments_rule(run: Run) -> str:
    """How the number of segments and their members were chosen."""
    config = run.config
    fixed = (
        f"{config.segments} segments were asked for"
        if config.segments
        else f"the number of segments is the largest from {config.min_segments} to "
        f"{config.max_segments} whose every segment holds (mean best Jaccard overlap at least "
        f"{consensus.HOLDS} with the groups of {consensus.RESAMPLES} resampled fits, each on "
        f"{consensus.SAMPLE_SHARE:.0%} of the respondents) with at least "
        f"{config.min_segment_respondents} people each; failing that, the one whose weakest "
        "segment holds best"
    )
    return (
        "- **Segments**: each respondent is what they said: their answers' nearest themes and "
        "fine clusters of answers. Segments are the consensus of many resampled mixture fits "
        f"(how often two people land together, cut by average linkage); {fixed}. A person is "
        f"left out when their own group's profile explains their answers under "
        f"{consensus.EVIDENCE} times as well as what everybody says, or when they land with "
        f"their segment's members in under {consensus.FLIP:.0%} of the fits. The silhouette "
        "below is recorded, not used."
    )


def criteria_rule(run: Run) -> str:
    """How each of the five criteria is measured."""
    c = criteria
    return (
        "- **Criteria**: identifiable = cross-validated balanced accuracy of a depth-"
        f"{c.RULE_DEPTH} decision tree on attributes (pass at {c.IDENTIFIABLE}, weak at "
        f"{c.PARTLY}), else of the themes people mention; substantial = share of respondents "
        f"against {run.config.substantial_share:.0%}; accessible = the largest share of members "
        f"on one value of {reach_text(run.config.reach_attributes)} with lift ≥ {c.REACH_LIFT} "
        f"(pass at {c.REACH_PASS:.0%}, weak at {c.REACH_WEAK:.0%}); differentiable = Monte "
        f"Carlo test of the split from the closest segment against {c.NULL_DRAWS} splits of one "
        f"Gaussian population (pass at p ≤ {c.DISTINCT_P}, weak at p ≤ {c.SEPARATE_P}); "
        f"actionable = over-represented jobs (lift ≥ {c.ACTION_LIFT}, at least "
        f"{c.ACTION_SHARE:.0%} of members) with stated pains or outcomes."
    )


def method_section(run: Run, t: Tables) -> list[str]:
    m = run.manifest
    counts = m.get("counts", {})
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
        themes_rule(run),
        segments_rule(run)
        + f" {counts.get('single_answer_respondents', 0)} respondents mention a single theme; "
        f"{counts.get('unassigned_respondents', 0)} are in no segment (see *People in no "
        "segment* for why) and still count in every total and in the overall NPS."
        + (f" {md(m['segment_note'])}" if m.get("segment_note") else ""),
        criteria_rule(run),
        f"- **Seed** {run.config.seed}: the segments' resamples are drawn with it; themes do not "
        "depend on it. The same corpus and configuration give the same themes and segments "
        "on any machine.",
        "",
    ]
    if not sel.empty:
        lines += [
            "Number of segments tried:",
            "",
            "| k | weakest segment's stability (Jaccard) | smallest | silhouette | chosen |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {r.k} | {r.stability:.2f} | {r.smallest} | {r.silhouette:.3f} | "
            f"{'✅' if r.chosen else ''} |"
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
