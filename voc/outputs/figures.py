"""The report's figures and the sections built around them: segment sizes, NPS by segment,
the theme × segment heatmap, what drives NPS, and trends."""

from __future__ import annotations

import numpy as np
import pandas as pd

from voc.core.rundir import Run
from voc.core.store import load_table
from voc.outputs.map import COLOURS as PALETTE
from voc.outputs.markdown import Tables, clip, md


def figures(run: Run, t: Tables) -> list[str]:
    """Segment sizes, NPS by segment and the theme × segment heatmap as PNGs."""
    import matplotlib.pyplot as plt

    names = [f"{s.segment_id}: {clip(s.name, 28)}" for s in t.segments.itertuples()]
    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * len(names)))
    ax.barh(names[::-1], t.segments["size"][::-1], color=PALETTE[0])
    ax.set_xlabel("respondents")
    ax.set_title("Segment sizes")
    fig.tight_layout()
    fig.savefig(run.path("figures/segment_sizes.png"), dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * len(names)))
    values = t.segments["nps"].fillna(0)[::-1]
    ax.barh(names[::-1], values, color=[PALETTE[4] if v >= 0 else PALETTE[2] for v in values])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlim(-100, 100)
    ax.set_xlabel("NPS")
    ax.set_title("NPS by segment")
    fig.tight_layout()
    fig.savefig(run.path("figures/nps_by_segment.png"), dpi=110)
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
    fig.savefig(run.path("figures/theme_segment_heatmap.png"), dpi=110)
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
    fig.savefig(run.path("figures/nps_drivers.png"), dpi=110)
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
    fig.savefig(run.path("figures/trends.png"), dpi=110)
    plt.close(fig)
    lines = ["## Trends", "", f"Share of each period's respondents ({len(periods)} periods)."]
    flagged = [
        f"- **{md(th.label)}** is {th.trend} (significant after correcting for {len(t.themes)} "
        "themes)"
        for th in moving.itertuples()
    ]
    lines += ["", *(flagged or ["- No theme rose or fell beyond chance."])]
    return [*lines, "", "![Trends](figures/trends.png)", ""]
