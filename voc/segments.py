"""Segments of people: each respondent becomes the mix of themes they talked about, and
respondents with similar mixes form a segment. The number of segments is chosen by a stated
criterion (silhouette, guarded by bootstrap stability) unless the user fixes it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from voc.config import Config
from voc.errors import VocError
from voc.themes import NOISE

UNASSIGNED = -1
MIN_STABILITY = 0.6
BOOTSTRAP_ROUNDS = 5


@dataclass
class SegmentResult:
    """Respondent → segment, the matrix it came from, and how the number was chosen."""

    assignment: pd.Series  # segment id per respondent_id, UNASSIGNED when they said nothing themed
    matrix: pd.DataFrame  # respondents × themes, share of each respondent's themed units
    features: np.ndarray  # what was clustered, one row per row of matrix
    selection: pd.DataFrame  # k, silhouette, stability, chosen
    k: int


def theme_matrix(units: pd.DataFrame) -> pd.DataFrame:
    """Share of each respondent's themed units per theme (rows sum to 1); weighted by how
    many identical answers a unit stands for."""
    themed = units[units["theme_id"] != NOISE]
    weights = themed["count"]
    table = pd.crosstab(
        themed["respondent_id"], themed["theme_id"], values=weights, aggfunc="sum"
    ).fillna(0.0)
    return table.div(table.sum(axis=1), axis=0)


def attribute_matrix(
    respondents: pd.DataFrame, index: pd.Index, columns: list[str]
) -> pd.DataFrame:
    """One-hot attributes, scaled so all attributes together weigh as much as the themes."""
    frame = respondents.set_index("respondent_id").reindex(index)[columns].astype("string")
    dummies = pd.get_dummies(frame.fillna("unknown"), dtype=float)
    return dummies / np.sqrt(max(len(columns), 1))


def theme_centres(units: pd.DataFrame, vectors: np.ndarray, theme_ids: pd.Index) -> np.ndarray:
    """Normalised mean embedding of each theme, in the order of `theme_ids`."""
    labels = units["theme_id"].to_numpy()
    centres = np.stack([vectors[labels == t].mean(axis=0) for t in theme_ids])
    return centres / np.linalg.norm(centres, axis=1, keepdims=True)


def features(
    matrix: pd.DataFrame, centres: np.ndarray, extra: pd.DataFrame | None = None
) -> np.ndarray:
    """Each respondent's theme mix placed in meaning space (the mix-weighted theme centres):
    someone who only mentions SSO lands near someone who talks about permissions, where plain
    theme shares would keep them as far apart as any two themes."""
    mix = matrix.to_numpy() @ centres
    mix /= np.maximum(np.linalg.norm(mix, axis=1, keepdims=True), 1e-9)
    if extra is not None and not extra.empty:
        mix = np.hstack([mix, extra.to_numpy()])
    return mix


def fit(x: np.ndarray, k: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(x)


def score_k(x: np.ndarray, k: int, seed: int) -> tuple[np.ndarray, float, float]:
    """Labels for k, their silhouette, and mean ARI against refits on bootstrap samples."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score, silhouette_score

    labels = fit(x, k, seed)
    sample = min(len(x), 3000)
    sil = float(silhouette_score(x, labels, sample_size=sample, random_state=seed))
    rng = np.random.default_rng(seed)
    aris = []
    for _ in range(BOOTSTRAP_ROUNDS):
        pick = rng.choice(len(x), size=len(x), replace=True)
        model = KMeans(n_clusters=k, n_init=3, random_state=seed).fit(x[pick])
        aris.append(adjusted_rand_score(labels, model.predict(x)))
    return labels, sil, float(np.mean(aris))


def find_segments(
    units: pd.DataFrame, respondents: pd.DataFrame, vectors: np.ndarray, config: Config
) -> SegmentResult:
    """Cluster respondents by theme mix into config.segments groups, or 3–6 chosen by the
    highest silhouette among the k whose bootstrap stability (ARI) is at least 0.6."""
    matrix = theme_matrix(units)
    n = len(matrix)
    if n < 4:
        raise VocError(
            f"Only {n} respondents said something that fell into a theme, too few to segment. "
            "Add more interviews, answers or tickets to the corpus."
        )
    extra = None
    if config.use_attributes:
        cols = [c for c in respondents.columns if c not in ("respondent_id", "kinds", "n_units")]
        extra = attribute_matrix(respondents, matrix.index, cols)
    x = features(matrix, theme_centres(units, vectors, matrix.columns), extra)
    if config.segments:
        ks = [min(config.segments, n - 1)]
    else:
        ks = list(range(config.min_segments, min(config.max_segments, n - 1) + 1))
    rows, fits = [], {}
    for k in ks:
        labels, sil, stab = score_k(x, k, config.seed)
        fits[k] = labels
        rows.append({"k": k, "silhouette": round(sil, 3), "stability": round(stab, 3)})
    selection = pd.DataFrame(rows)
    stable = selection[selection["stability"] >= MIN_STABILITY]
    pool = stable if not stable.empty else selection
    best = int(pool.sort_values(["silhouette", "k"], ascending=[False, True]).iloc[0]["k"])
    selection["chosen"] = selection["k"] == best
    labels = renumber_by_size(fits[best])
    assignment = pd.Series(labels, index=matrix.index, name="segment_id")
    everyone = respondents["respondent_id"]
    assignment = assignment.reindex(everyone).fillna(UNASSIGNED).astype(int)
    return SegmentResult(assignment, matrix, x, selection, best)


def renumber_by_size(labels: np.ndarray) -> np.ndarray:
    """Segment 0 is the largest, so ids read in order of importance."""
    ids, counts = np.unique(labels, return_counts=True)
    order = [i for _, i in sorted(zip(-counts, ids, strict=True))]
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping[v] for v in labels])


def lift_table(matrix: pd.DataFrame, assignment: pd.Series) -> pd.DataFrame:
    """Segments × themes: share of members who mention each theme over the share among
    everyone else. Lift 2 = twice as common in the segment as outside it."""
    mentions = (matrix > 0).astype(float)
    seg = assignment.reindex(mentions.index)
    rows = {}
    for s in sorted(seg.unique()):
        inside = mentions[seg == s].mean()
        outside = mentions[seg != s].mean()
        rows[s] = (inside + 0.01) / (outside + 0.01)
    return pd.DataFrame(rows).T


def mention_shares(matrix: pd.DataFrame, assignment: pd.Series) -> pd.DataFrame:
    """Segments × themes: share of the segment's members who mention each theme."""
    mentions = (matrix > 0).astype(float)
    return mentions.groupby(assignment.reindex(mentions.index)).mean()


REVENUE_COLUMNS = ("arr", "mrr", "revenue", "acv", "annual_revenue", "contract_value", "ltv")
SKIP_ATTRIBUTES = {"respondent_id", "kinds", "n_units", "segment_id", "segment"}


def revenue_column(respondents: pd.DataFrame) -> str | None:
    """The first column that holds account value, if the corpus has one."""
    for col in respondents.columns:
        if col.lower() in REVENUE_COLUMNS:
            values = pd.to_numeric(respondents[col], errors="coerce")
            if values.notna().mean() >= 0.5:
                return col
    return None


def attribute_columns(respondents: pd.DataFrame) -> list[str]:
    """Categorical attribute columns worth describing: 2 to 30 distinct values."""
    revenue = revenue_column(respondents)
    cols = []
    for col in respondents.columns:
        if col in SKIP_ATTRIBUTES or col == revenue:
            continue
        distinct = respondents[col].replace("", pd.NA).dropna().nunique()
        if 2 <= distinct <= 30:
            cols.append(col)
    return cols


def makeup(values: pd.Series, everyone: pd.Series, top: int = 3) -> list[dict]:
    """Most common values of one attribute in a segment, with share and lift over everyone.
    Shares are of all members, a missing value included: an attribute known for 3 of 500
    members must not read as "100% have it"."""
    if values.empty:
        return []
    base = everyone.replace("", pd.NA).dropna().value_counts() / max(len(everyone), 1)
    known = values.replace("", pd.NA).dropna()
    shares = (known.value_counts() / len(values)).head(top)
    return [
        {"value": str(v), "share": round(float(s), 3), "lift": round(float(s / base[v]), 2)}
        for v, s in shares.items()
    ]


def describe(units: pd.DataFrame, respondents: pd.DataFrame, result: SegmentResult) -> pd.DataFrame:
    """One row per segment with measured facts only: size, NPS mix, revenue, attribute
    make-up and the themes that set it apart (lift)."""
    from voc.tables import nps

    people = respondents.assign(
        segment_id=result.assignment.reindex(respondents["respondent_id"]).to_numpy()
    )
    scores = units.groupby("respondent_id")["score"].mean()
    people["score"] = people["respondent_id"].map(scores)
    revenue = revenue_column(respondents)
    attrs = attribute_columns(respondents)
    lifts = lift_table(result.matrix, result.assignment)
    shares = mention_shares(result.matrix, result.assignment)
    assigned = people[people["segment_id"] != UNASSIGNED]
    total_value = pd.to_numeric(assigned[revenue], errors="coerce").sum() if revenue else 0.0
    rows = []
    for seg, members in assigned.groupby("segment_id"):
        score = members["score"].dropna()
        themes = [
            {
                "theme_id": int(t),
                "lift": round(float(lifts.loc[seg, t]), 2),
                "mention_share": round(float(shares.loc[seg, t]), 3),
            }
            for t in lifts.loc[seg].sort_values(ascending=False).index
            if shares.loc[seg, t] > 0
        ]
        value = pd.to_numeric(members[revenue], errors="coerce").sum() if revenue else float("nan")
        rows.append(
            {
                "segment_id": int(seg),
                "size": len(members),
                "share": round(len(members) / len(assigned), 4),
                "nps": nps(score),
                "n_scored": int(score.size),
                "promoters": round(float((score >= 9).mean()), 3) if score.size else float("nan"),
                "detractors": round(float((score <= 6).mean()), 3) if score.size else float("nan"),
                "revenue": float(value),
                "revenue_share": float(value / total_value)
                if revenue and total_value
                else float("nan"),
                "attributes": {a: makeup(members[a], assigned[a]) for a in attrs},
                "themes": themes,
            }
        )
    return pd.DataFrame(rows)
