"""`voc diff A B`: what changed between two runs — each theme's share of respondents in A and
in B with a significance test corrected for the number of themes, and each segment's size and
NPS. Themes are matched by the units the runs share (the same answers, the same unit ids),
else by the similarity of their centres, and the output says which."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from voc.core.config import Config
from voc.core.rundir import Results
from voc.core.stats import holm
from voc.core.tables import NOISE, UNASSIGNED, is_voice, nps
from voc.engine import engine_for
from voc.themes.params import ThemeParams
from voc.update.base import Base
from voc.update.placement import place_units

ALPHA = 0.05
MIN_SHARED = 0.5  # of A's units found in B, to match themes by units


@dataclass
class Diff:
    """The comparison: one row per theme and per segment, and how themes were matched."""

    themes: pd.DataFrame  # theme_id (A's; B's for new ones), label, share_a, share_b, change...
    segments: pd.DataFrame  # segment_id, name, size_a, size_b, nps_a, nps_b, nps_change
    matched_by: str

    def to_json(self) -> dict:
        themes = self.themes[["theme_id", "label", "share_a", "share_b", "change", "p_value",
                              "status"]]  # fmt: skip
        clean = themes.astype(object).where(themes.notna(), None)
        segs = self.segments.astype(object).where(self.segments.notna(), None)
        return {
            "matched_by": self.matched_by,
            "themes": clean.to_dict(orient="records"),
            "segments": segs.to_dict(orient="records"),
        }


def theme_shares(units: pd.DataFrame, people: int) -> pd.Series:
    """Share of all of a run's respondents (non-answers included) who mention each theme."""
    themed = units[is_voice(units) & (units["theme_id"] != NOISE)]
    return themed.groupby("theme_id")["respondent_id"].nunique() / max(people, 1)


def match_by_units(a: Results, b: Results) -> dict[int, int] | None:
    """A theme → B theme by the units both runs hold (same id and same words: a month's file
    may have the name and rows of last month's), when most of A's units are in B."""
    from scipy.optimize import linear_sum_assignment

    ua = a.units[a.units["theme_id"] != NOISE].set_index("unit_id")
    ub = b.units.set_index("unit_id")
    both = ua.index.intersection(ub.index)
    both = both[ua.loc[both, "text"].to_numpy() == ub.loc[both, "text"].to_numpy()]
    ua, ub = ua["theme_id"], ub["theme_id"]
    if len(both) < MIN_SHARED * max(len(ua), 1):
        return None
    overlap = pd.crosstab(ua[both], ub[both]).drop(columns=NOISE, errors="ignore")
    rows, cols = linear_sum_assignment(-overlap.to_numpy())
    return {
        int(overlap.index[r]): int(overlap.columns[c])
        for r, c in zip(rows, cols, strict=True)
        if overlap.iat[r, c] * 2 >= overlap.iloc[r].sum()
    }


def shares_taxonomy(a: Results, b: Results) -> bool:
    """B was made by `voc update` from A (or both from the same base): theme ids mean the same."""

    def base(r: Results) -> Path | None:
        given = (r.manifest.get("config") or {}).get("base_run")
        return Path(given).resolve() if given else None

    return base(b) == a.run_dir.resolve() or (base(a) is not None and base(a) == base(b))


def place_in(a: Results, b: Results) -> pd.Series:
    """B's units placed in A's themes by the rule `voc update` uses (else −1). Two clusterings
    never line up one to one; what B's customers say can still be counted in A's terms."""
    params = ThemeParams.from_config(Config.model_validate(a.manifest.get("config") or {}))
    vectors = np.load(b.run_dir / "embeddings.npy")
    placed = place_units(Base.load(a.run_dir), b.units, vectors, params, engine_for())
    return pd.Series(placed, index=b.units.index)


def placed_in_a(a: Results, b: Results) -> tuple[str, pd.Series]:
    """How the runs' themes were matched, and each of B's units in A's theme ids (−1: none)."""
    if shares_taxonomy(a, b):
        known = b.units["theme_id"].isin(a.themes["theme_id"])
        return "shared taxonomy", b.units["theme_id"].where(known, NOISE)
    mapping = match_by_units(a, b)
    if mapping is not None:
        in_a = b.units["theme_id"].map({v: k for k, v in mapping.items()})
        return "shared units", in_a.fillna(NOISE)
    return "centre similarity", place_in(a, b)


def compare_themes(a: Results, b: Results) -> tuple[pd.DataFrame, str]:
    """One row per A theme with its share in A and in B (B's units counted in A's themes), and
    one per B theme that mostly fits none of A's: `new`."""
    from scipy.stats import fisher_exact

    how, placed = placed_in_a(a, b)
    in_a_terms = b.units.assign(theme_id=placed.astype(int))
    na, nb = len(a.respondents), len(b.respondents)
    share_a, share_b = theme_shares(a.units, na), theme_shares(in_a_terms, nb)
    rows = []
    for t, label in zip(a.themes["theme_id"], a.themes["label"], strict=True):
        sa, sb = float(share_a.get(t, 0.0)), float(share_b.get(t, 0.0))
        table = [[round(sa * na), na - round(sa * na)], [round(sb * nb), nb - round(sb * nb)]]
        rows.append({"theme_id": int(t), "label": label, "share_a": sa, "share_b": sb,
                     "p_raw": fisher_exact(table).pvalue, "in_a": True})  # fmt: skip
    unplaced = b.units[(placed == NOISE) & (b.units["theme_id"] != NOISE)]
    fits_none = unplaced.groupby("theme_id").size() / b.units.groupby("theme_id").size()
    own = theme_shares(b.units, nb)
    for t, label in zip(b.themes["theme_id"], b.themes["label"], strict=True):
        if fits_none.get(t, 0.0) >= 0.5:
            rows.append({"theme_id": int(t), "label": label, "share_a": 0.0,
                         "share_b": float(own.get(t, 0.0)), "p_raw": float("nan"),
                         "in_a": False})  # fmt: skip
    table = pd.DataFrame(rows)
    table["change"] = (table["share_b"] - table["share_a"]).round(4)
    table["p_value"] = holm(table["p_raw"].dropna()).reindex(table.index).round(4)
    table["status"] = [status(r) for r in table.itertuples()]
    for col in ("share_a", "share_b"):
        table[col] = table[col].round(4)
    return table.drop(columns=["p_raw", "in_a"]), how


def status(row: object) -> str:
    """new (only in B), vanished (none of B's respondents), grown or shrunk (significant after
    correction), else stable."""
    if not row.in_a:  # type: ignore[attr-defined]
        return "new"
    if row.share_b == 0:  # type: ignore[attr-defined]
        return "vanished"
    if row.p_value < ALPHA:  # type: ignore[attr-defined]
        return "grown" if row.change > 0 else "shrunk"  # type: ignore[attr-defined]
    return "stable"


def compare_segments(a: Results, b: Results) -> pd.DataFrame:
    """Segments by id: size and NPS in each run (runs of one taxonomy keep segment ids)."""

    def facts(r: Results) -> pd.DataFrame:
        scores = r.units.groupby("respondent_id")["score"].mean()
        people = r.respondents[r.respondents["segment_id"] != UNASSIGNED]
        grouped = people.groupby("segment_id")["respondent_id"]
        return pd.DataFrame(
            {"size": grouped.size(), "nps": grouped.agg(lambda ids: nps(scores.reindex(ids)))}
        )

    fa, fb = facts(a), facts(b)
    names = dict(zip(b.segments["segment_id"], b.segments["name"], strict=True))
    names |= dict(zip(a.segments["segment_id"], a.segments["name"], strict=True))
    table = fa.add_suffix("_a").join(fb.add_suffix("_b"), how="outer")
    table["nps_change"] = table["nps_b"] - table["nps_a"]
    table = table.reset_index().rename(columns={"index": "segment_id"})
    table.insert(1, "name", table["segment_id"].map(names))
    return table.round(2)


def compare(a: Results, b: Results) -> Diff:
    themes, how = compare_themes(a, b)
    return Diff(themes, compare_segments(a, b), how)


def write_markdown(diff: Diff, a: Results, b: Results) -> str:
    """diff.md's text, with the figure of changed themes written beside it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = diff.themes.sort_values("change")
    lines = [
        f"# What changed: {a.run_dir.name} → {b.run_dir.name}",
        "",
        f"Themes matched by {diff.matched_by}. Share = share of all respondents who mention the "
        f"theme; p-values Holm-corrected for {len(t)} themes.",
        "",
        "| Theme | Share A | Share B | Change | p | Status |",
        "|---|---|---|---|---|---|",
    ]
    for r in t.itertuples():
        p = "–" if pd.isna(r.p_value) else f"{r.p_value:.3f}"
        shares = f"{r.share_a:.1%} | {r.share_b:.1%} | {r.change:+.1%}"
        lines.append(f"| {r.label} | {shares} | {p} | {r.status} |")
    lines += ["", "| Segment | Size A | Size B | NPS A | NPS B |", "|---|---|---|---|---|"]
    for s in diff.segments.itertuples():
        lines.append(
            f"| {s.segment_id}: {s.name} | {s.size_a} | {s.size_b} | {s.nps_a} | {s.nps_b} |"
        )
    moved = t[t["status"] != "stable"]
    if not moved.empty:
        fig, ax = plt.subplots(figsize=(7, 0.6 + 0.35 * len(moved)))
        ax.barh([str(x)[:40] for x in moved["label"]], moved["change"] * 100, color="#4e79a7")
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlabel("change in share of respondents (points)")
        fig.tight_layout()
        fig.savefig(b.run_dir / "figures" / "diff.png", dpi=110)
        plt.close(fig)
        lines += ["", "![Themes that changed](figures/diff.png)"]
    return "\n".join(lines) + "\n"
