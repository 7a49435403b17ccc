"""The artefacts people read: the Markdown persona report with its figures, the offline theme
map, CSV copies of every table. Customer text is escaped wherever it is shown."""

from __future__ import annotations

import html
import os
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from voc.mapview import COLOURS as PALETTE
from voc.mapview import write_map
from voc.rundir import Run
from voc.stages import STAGES
from voc.store import load_table, save_csv
from voc.tables import CRITERIA, NOISE, UNASSIGNED, is_voice, nps

MARK = {"pass": "✅", "weak": "⚠️", "fail": "❌"}
QUOTE_CHARS = 320


def md(text: object) -> str:
    """Customer or model text made safe for Markdown tables and GitHub's renderer."""
    return html.escape(str(text), quote=False).replace("|", "\\|").replace("\n", " ").strip()


def clip(text: str, limit: int = QUOTE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def pct(x: float) -> str:
    return "–" if pd.isna(x) else f"{x:.0%}"


def score(x: float) -> str:
    return "–" if pd.isna(x) else f"{x:+.0f}"


class Tables:
    """The run's tables, loaded once for the report."""

    def __init__(self, run: Run) -> None:
        self.units = load_table(run.path("units.parquet"))
        self.themes = load_table(run.path("themes.parquet"))
        self.people = load_table(run.path("respondents.parquet"))
        self.segments = load_table(run.path("segments.parquet"))
        self.by_unit = self.units.set_index("unit_id")
        self.redact = run.config.redact
        self.theme_label = dict(zip(self.themes["theme_id"], self.themes["label"], strict=True))


def citation(t: Tables, ids: list[str]) -> str:
    return " ".join(f"[`{i}`](#{i})" for i in ids if i in t.by_unit.index)


def quote_line(t: Tables, unit_id: str) -> str:
    """'> "text" — source, locator, speaker' with an anchor the citations link to. Speakers are
    named only when redaction is off; otherwise they show as a placeholder."""
    u = t.by_unit.loc[unit_id]
    speaker = (u["speaker"] if not t.redact else "[interviewee]") if u.get("speaker") else ""
    who = f", {md(speaker)}" if speaker else ""
    return (
        f'> <a id="{unit_id}"></a>“{md(clip(u["text"]))}”  \n'
        f"> — `{md(u['source'])}` {md(u['locator'])}{who} · `{unit_id}`"
    )


STABILITY_NOTE = (
    "Stability: how closely the segment is found again when people are re-segmented on random "
    "resamples (mean best Jaccard overlap; 0.75 or more: it holds, 1.00: always the same people)."
)


def summary_table(t: Tables) -> list[str]:
    criteria = " | ".join(c.capitalize() for c in CRITERIA)
    lines = [f"| # | Segment | People | NPS | Stability | {criteria} |"]
    lines.append("|" + "---|" * (5 + len(CRITERIA)))
    for _, s in t.segments.iterrows():
        cells = [f"{MARK[s[c]]} {md(s[c + '_shown'])}" for c in CRITERIA]
        stable = s.get("stability", float("nan"))
        lines.append(
            f"| {s['segment_id']} | [{md(s['name'])}](#segment-{s['segment_id']}) | "
            f"{s['size']} ({pct(s['share'])}) | {score(s['nps'])} | "
            f"{'–' if pd.isna(stable) else f'{stable:.2f}'} | " + " | ".join(cells) + " |"
        )
    return [*lines, "", STABILITY_NOTE]


def respondent_scores(t: Tables) -> pd.Series:
    """Each scored respondent's mean score (a person who answered twice counts once)."""
    return t.units.groupby("respondent_id")["score"].mean().dropna()


def outside_table(t: Tables) -> list[str]:
    """People in no segment, by why ("nothing to add", "no answer", …), with their NPS: set
    aside from the segmentation, never from the count."""
    if "segment_note" not in t.people:
        return []
    out = t.people[t.people["segment_id"] == UNASSIGNED]
    if out.empty:
        return []
    scores = respondent_scores(t)
    lines = [
        "**People in no segment** (they count in every total and in the overall NPS)",
        "",
        "| Group | People | NPS |",
        "|---|---|---|",
    ]
    for note, members in out.groupby("segment_note", sort=False):
        group_nps = nps(scores.reindex(members["respondent_id"]).dropna())
        lines.append(f"| {md(str(note).capitalize())} | {len(members)} | {score(group_nps)} |")
    return [*lines, ""]


def claims(t: Tables, title: str, items: list[dict]) -> list[str]:
    if not items:
        return []
    lines = [f"**{title}**", ""]
    lines += [f"- {md(c['text'])} {citation(t, c['quote_ids'])}" for c in items]
    return [*lines, ""]


def attribute_lines(attributes: dict) -> list[str]:
    lines = []
    for name, values in attributes.items():
        if values:
            parts = ", ".join(
                f"{md(v['value'])} {pct(v['share'])} ({v['lift']:.1f}×)" for v in values
            )
            lines.append(f"- **{md(name)}**: {parts}")
    return lines


def segment_section(t: Tables, s: pd.Series) -> list[str]:
    p = s["profile"]
    sid = s["segment_id"]
    lines = [
        f'<a id="segment-{sid}"></a>',
        "",
        f"## Segment {sid}: {md(s['name'])}",
        "",
        f"*{md(p['summary'])}*",
        "",
    ]
    facts = [
        f"**{s['size']} people** ({pct(s['share'])} of respondents)",
        f"**NPS {score(s['nps'])}** ({s['n_scored']} scored; {pct(s['promoters'])} promoters, "
        f"{pct(s['detractors'])} detractors)"
        if s["n_scored"]
        else "**NPS** –",
    ]
    if not pd.isna(s["revenue"]) and s["revenue"] > 0:
        facts.append(f"**revenue {s['revenue']:,.0f}** ({pct(s['revenue_share'])} of total)")
    lines += [" · ".join(facts), ""]
    if p.get("key_message"):
        lines += [f"**Key message:** {md(p['key_message'])}", ""]
    who = attribute_lines(s["attributes"])
    if who:
        lines += [
            "**Who they are** (share of members, and lift over all respondents)",
            "",
            *who,
            "",
        ]
    lines += claims(t, "Goals and jobs", p["goals"])
    lines += claims(t, "Pain points", p["pains"])
    lines += claims(t, "Behaviours", p["behaviours"])
    lines += claims(t, "Buying process", p["buying_process"])
    if p.get("channels"):
        lines += [f"**Go-to-market channels:** {md(', '.join(p['channels']))}", ""]
    lines += [
        "**Themes that set them apart**",
        "",
        "| Theme | Members mentioning | Lift |",
        "|---|---|---|",
    ]
    for th in [th for th in s["themes"] if th["lift"] > 1][:6]:
        lines.append(
            f"| {md(t.theme_label.get(th['theme_id'], th['theme_id']))} | "
            f"{pct(th['mention_share'])} | {th['lift']:.1f}× |"
        )
    lines += [
        "",
        "**The five criteria**",
        "",
        "| Criterion | Verdict | Measured | Why |",
        "|---|---|---|---|",
    ]
    for c in CRITERIA:
        lines.append(
            f"| {c} | {MARK[s[c]]} {s[c]} | {md(s[c + '_shown'])} | {md(s[c + '_reason'])} |"
        )
    if s.get("recommendation"):
        lines += ["", f"**Recommendation:** {md(s['recommendation'])}"]
    judgement = s.get("judgement")
    if isinstance(judgement, dict):
        lines += ["", "*The LLM's judgement (an opinion beside the measurements):*", ""]
        for c in ("actionable", "accessible"):
            j = judgement[c]
            lines.append(
                f"- {c}: {j['verdict']} — {md(j['reason'])}"
                + (f" Actions: {md('; '.join(j['actions']))}" if j.get("actions") else "")
            )
    cited = [
        i
        for group in ("goals", "pains", "behaviours", "buying_process")
        for c in p[group]
        for i in c["quote_ids"]
    ]
    lines += ["", "**Evidence**", ""]
    for uid in dict.fromkeys(cited):
        if uid in t.by_unit.index:
            lines += [quote_line(t, uid), ""]
    return lines


def themes_section(run: Run, t: Tables) -> list[str]:
    lines = [
        "## Themes (jobs to be done)",
        "",
        *codebook_lines(run.manifest.get("codebook"), t.themes),
        "| # | Theme | Job | Units | People | Stability | Keywords |",
        "|---|---|---|---|---|---|---|",
    ]
    for _, th in t.themes.iterrows():
        hidden = " *(hidden)*" if th.get("hidden") else ""
        hidden += " *(new)*" if th.get("status") == "new" else ""
        stab = "edited" if pd.isna(th["stability"]) else f"{th['stability']:.2f}"
        lines.append(
            f"| {th['theme_id']} | {md(th['label'])}{hidden} | {md(th['job'])} | "
            f"{th['size']} | {th['respondents']} | {stab} | {md(', '.join(th['keywords'][:5]))} |"
        )
    voice = t.units[is_voice(t.units)]
    noise = int((voice["theme_id"] == NOISE).sum())
    lines += [
        "",
        f"{noise} of {len(voice)} units ({noise / max(len(voice), 1):.0%}) fit no "
        "theme closely enough and are listed as unclustered (theme −1) in `units.csv`.",
        "",
    ]
    return lines


def codebook_lines(codebook: dict | None, themes: pd.DataFrame) -> list[str]:
    """What became of the codebook the run started from, and which codes found no evidence."""
    if not codebook:
        return []
    codes, missing = codebook["codes"], codebook["without_evidence"]
    new = int((themes.get("status") == "new").sum()) if "status" in themes else 0
    lines = [
        f"Started from the codebook `{codebook['file']}`: {len(codes) - len(missing)} of its "
        f"{len(codes)} codes are themes below, under their own names; {new} more themes were "
        "found beside them and are marked *(new)*.",
        "",
    ]
    if missing:
        lines += [
            f"**Codes with no evidence** (no answer came close to them): "
            f"{', '.join(md(c) for c in missing)}. Check their wording, or add an example "
            "sentence to each, if you expected them here.",
            "",
        ]
    return lines


def codes_by_case(t: Tables) -> pd.DataFrame:
    """Interviewees × themes: how many of each person's passages fall in each theme (the table
    researchers build by hand); empty when the corpus has no interviews."""
    spoken = t.units[(t.units["kind"] == "interview") & (t.units["theme_id"] != NOISE)]
    if spoken.empty:
        return pd.DataFrame()
    counts = pd.crosstab(spoken["respondent_id"], spoken["theme_id"])
    return counts.rename(columns=lambda c: t.theme_label.get(c, str(c)))


def source_link(run: Run, source: str) -> str:
    """A corpus file as a link relative to the report (so it opens from the run directory)."""
    for root in run.corpus:
        path = Path(root) / source if Path(root).is_dir() else Path(root)
        if path.exists() and (Path(root).is_dir() or Path(root).name == source):
            return Path(os.path.relpath(path.resolve(), run.dir.resolve())).as_posix()
    return source


def codes_by_case_section(run: Run, t: Tables, table: pd.DataFrame, widest: int = 10) -> list[str]:
    """The matrix in the report: the most mentioned themes; each number links the transcript,
    and its hover text is the person's first quote in that theme."""
    if table.empty:
        return []
    top = table.sum().sort_values(ascending=False).index[:widest]
    spoken = t.units[(t.units["kind"] == "interview") & (t.units["theme_id"] != NOISE)]
    first = spoken.groupby(["respondent_id", "theme_id"])[["text", "source"]].first()
    ids = {t.theme_label.get(i, str(i)): i for i in spoken["theme_id"].unique()}

    def cell(person: str, theme: str, n: int) -> str:
        if not n:
            return ""
        quote = first.loc[(person, ids[theme])]
        tip = md(clip(quote["text"], 200)).replace('"', "'")
        return f'[{n}]({source_link(run, quote["source"])} "{tip}")'

    lines = [
        "## Codes by case (interviews)",
        "",
        "Passages per interviewee and theme; a number opens the transcript and shows the first "
        "quote on hover. All themes are in `codes_by_case.csv`.",
        "",
        "| Respondent | " + " | ".join(md(c) for c in top) + " |",
        "|---" * (len(top) + 1) + "|",
    ]
    for person, row in table[top].iterrows():
        cells = [cell(str(person), c, int(n)) for c, n in row.items()]
        lines.append(f"| {md(person)} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def left_out(inputs: list[dict]) -> str:
    """The sentence on answers that held no words to analyse, or '' when there were none."""
    blank = sum(i.get("empty", 0) for i in inputs)
    stock = sum(i.get("non_answers", 0) for i in inputs)
    parts = []
    if blank:
        parts.append(f"{blank} blank answer(s)")
    if stock:
        parts.append(f'{stock} non-answer(s) such as "nothing", "N/A" or "did not answer"')
    if not parts:
        return ""
    return (
        f"Not clustered: {' and '.join(parts)}, which hold no words to find themes in; the "
        "people who gave them still count, with their scores, as a group of their own."
    )


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
    lines += ["", *[f"{i}. **{st.name}**: {st.summary}" for i, st in enumerate(STAGES, 1)]]
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


def figures(run: Run, t: Tables) -> list[str]:
    """Segment sizes, NPS by segment and the theme × segment heatmap as PNGs."""
    import matplotlib.pyplot as plt

    out = run.path("figures")
    names = [f"{s.segment_id}: {clip(s.name, 28)}" for s in t.segments.itertuples()]
    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * len(names)))
    ax.barh(names[::-1], t.segments["size"][::-1], color=PALETTE[0])
    ax.set_xlabel("respondents")
    ax.set_title("Segment sizes")
    fig.tight_layout()
    fig.savefig(out / "segment_sizes.png", dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * len(names)))
    values = t.segments["nps"].fillna(0)[::-1]
    ax.barh(names[::-1], values, color=[PALETTE[4] if v >= 0 else PALETTE[2] for v in values])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlim(-100, 100)
    ax.set_xlabel("NPS")
    ax.set_title("NPS by segment")
    fig.tight_layout()
    fig.savefig(out / "nps_by_segment.png", dpi=110)
    plt.close(fig)

    shares = pd.DataFrame(
        {
            s.segment_id: {th["theme_id"]: th["mention_share"] for th in s.themes}
            for s in t.segments.itertuples()
        }
    ).fillna(0.0)
    shares = shares.reindex(sorted(shares.index))
    labels = [clip(f"{i}: {t.theme_label.get(i, i)}", 40) for i in shares.index]
    fig, ax = plt.subplots(figsize=(2.5 + 0.9 * len(shares.columns), 1 + 0.3 * len(labels)))
    ax.imshow(shares.to_numpy(), cmap="Blues", aspect="auto", vmin=0, vmax=1)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xticks(range(len(shares.columns)), [f"seg {c}" for c in shares.columns], fontsize=8)
    for (i, j), v in np.ndenumerate(shares.to_numpy()):
        if v >= 0.05:
            ax.text(
                j,
                i,
                f"{v:.0%}",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if v > 0.5 else "black",
            )
    ax.set_title("Share of each segment's members mentioning each theme")
    fig.tight_layout()
    fig.savefig(out / "theme_segment_heatmap.png", dpi=110)
    plt.close(fig)
    return [
        "![Segment sizes](figures/segment_sizes.png)",
        "",
        "![NPS by segment](figures/nps_by_segment.png)",
        "",
        "![Themes by segment](figures/theme_segment_heatmap.png)",
        "",
    ]


def drivers_section(run: Run, t: Tables, n: int = 8) -> list[str]:
    """The themes that cost or earn the most NPS points, ranked, with their intervals and a
    chart: "fixing X is worth +N points"."""
    import matplotlib.pyplot as plt

    if "nps_impact" not in t.themes or t.themes["nps_impact"].isna().all():
        return []
    ranked = t.themes.dropna(subset=["nps_impact"]).sort_values("nps_impact")
    costly = ranked[ranked["nps_impact_high"] < 0].head(n)
    lines = [
        "## What drives NPS",
        "",
        "A theme's NPS impact is the overall NPS minus the NPS of the scored respondents who do "
        "not mention it (95% bootstrap interval). Negative: the theme costs points.",
        "",
    ]
    lines += [
        f"- Fixing **{md(th.label)}** is worth about **{-th.nps_impact:+.1f} points** "
        f"({-th.nps_impact_high:+.1f} to {-th.nps_impact_low:+.1f})"
        for th in costly.itertuples()
    ] or ["- No theme costs points beyond chance."]
    shown = pd.concat([ranked.head(n), ranked.tail(n)]).drop_duplicates("theme_id")
    fig, ax = plt.subplots(figsize=(7, 0.6 + 0.35 * len(shown)))
    names = [clip(f"{th.theme_id}: {th.label}", 40) for th in shown.itertuples()][::-1]
    values = shown["nps_impact"].to_numpy()[::-1]
    err = [values - shown["nps_impact_low"].to_numpy()[::-1],
           shown["nps_impact_high"].to_numpy()[::-1] - values]  # fmt: skip
    ax.barh(names, values, xerr=err, color=[PALETTE[2] if v < 0 else PALETTE[4] for v in values])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("NPS impact (points)")
    ax.set_title("What drives NPS")
    fig.tight_layout()
    fig.savefig(run.path("figures") / "nps_drivers.png", dpi=110)
    plt.close(fig)
    return [*lines, "", "![What drives NPS](figures/nps_drivers.png)", ""]


def trends_section(run: Run, t: Tables, n: int = 6) -> list[str]:
    """Small multiples of the largest and the significantly moving themes' share per period."""
    import matplotlib.pyplot as plt

    path = run.path("trends.parquet")
    trends = load_table(path) if path.exists() else pd.DataFrame()
    if trends.empty:
        return []
    moving = (
        t.themes[t.themes.get("trend", "").astype(bool)] if "trend" in t.themes else t.themes[:0]
    )
    largest = t.themes.sort_values("respondents", ascending=False)
    chosen = list(dict.fromkeys([*moving["theme_id"], *largest["theme_id"]]))[:n]
    periods = sorted(trends["period"].unique())
    fig, axes = plt.subplots(1, len(chosen), figsize=(2.4 * len(chosen), 2.2), sharey=True)
    for ax, theme in zip(np.atleast_1d(axes), chosen, strict=False):
        share = trends[trends["theme_id"] == theme].set_index("period")["share"]
        ax.plot(range(len(periods)), share.reindex(periods, fill_value=0.0), color=PALETTE[0])
        ax.set_title(clip(t.theme_label.get(theme, str(theme)), 22), fontsize=8)
        ax.set_xticks([0, len(periods) - 1], [periods[0], periods[-1]], fontsize=6)
    fig.tight_layout()
    fig.savefig(run.path("figures") / "trends.png", dpi=110)
    plt.close(fig)
    lines = ["## Trends", "", f"Share of each period's respondents ({len(periods)} periods)."]
    flagged = [
        f"- **{md(th.label)}** is {th.trend} (significant after correcting for {len(t.themes)} "
        "themes)"
        for th in moving.itertuples()
    ]
    lines += ["", *(flagged or ["- No theme rose or fell beyond chance."])]
    return [*lines, "", "![Trends](figures/trends.png)", ""]


def top_jobs(t: Tables, n: int = 5) -> list[str]:
    visible = t.themes[~t.themes.get("hidden", False)]
    ranked = visible.sort_values("respondents", ascending=False).head(n)
    return [
        f"{i}. **{md(th.label)}** ({th.respondents} people): {md(th.job)}"
        for i, th in enumerate(ranked.itertuples(), 1)
    ]


def write_report(run: Run) -> Path:
    """Write report.md, figures/, map.html and the CSV copies into the run directory."""
    import matplotlib

    matplotlib.use("Agg")  # figures are files; no screen needed
    t = Tables(run)
    corpus = ", ".join(Path(p).name for p in run.corpus)
    kinds = t.units["kind"].value_counts()
    overall = nps(respondent_scores(t))
    scored = f"overall NPS {score(overall)}; " if not pd.isna(overall) else ""
    lines = [
        f"# Customer segments: {md(corpus)}",
        "",
        f"*{len(t.people)} respondents ({scored}{len(t.units)} answers and passages: "
        f"{md(', '.join(f'{v} {k}' for k, v in kinds.items()))}); {len(t.themes)} themes, "
        f"{len(t.segments)} segments. Generated by voc on "
        f"{datetime.now(UTC):%Y-%m-%d}. Verdicts: ✅ pass ⚠️ weak ❌ fail.*",
        "",
        "## Summary",
        "",
    ]
    if t.segments.empty:
        why = run.manifest.get("segment_note") or "too few respondents to form segments."
        lines += [f"**No segments**: {md(why)}", ""]
    else:
        lines += [*summary_table(t), ""]
    lines += outside_table(t)
    recs = [
        f"- **Segment {s.segment_id}** ({md(s.name)}): {md(s.recommendation)}"
        for s in t.segments.itertuples()
        if s.recommendation
    ]
    if recs:
        lines += ["**What to do about weak segments**", "", *recs, ""]
    lines += ["**Top jobs across all customers**", "", *top_jobs(t), ""]
    run.path("figures").mkdir(exist_ok=True)
    if not t.segments.empty:
        lines += figures(run, t)
    lines += drivers_section(run, t) + trends_section(run, t)
    for _, s in t.segments.iterrows():
        lines += segment_section(t, s)
    cases = codes_by_case(t)
    lines += themes_section(run, t) + codes_by_case_section(run, t, cases) + method_section(run, t)
    report = run.path("report.md")
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_map(t.units[is_voice(t.units)], t.themes, run.path("map.html"))
    for name, table in (
        ("units", t.units),
        ("themes", t.themes),
        ("respondents", t.people),
        ("segments", t.segments),
    ):
        save_csv(table, run.path(f"{name}.csv"))
    if not cases.empty:
        cases.to_csv(run.path("codes_by_case.csv"))
    return report
