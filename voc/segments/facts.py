"""A segment's measured facts: size, NPS mix, revenue, attribute make-up and the themes that
set it apart (lift); no model writes any of them."""

from __future__ import annotations

import pandas as pd

from voc.core.tables import UNASSIGNED, nps


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


def segment_facts(
    units: pd.DataFrame,
    respondents: pd.DataFrame,
    assignment: pd.Series,
    matrix: pd.DataFrame,
    stability: dict[int, float],
) -> pd.DataFrame:
    """One row per segment with measured facts only: size, NPS mix, revenue, attribute
    make-up, the themes that set it apart (lift) and stability (how reliably the segment comes
    back across resamples, 0–1; NaN for a segment made by an edit, e.g. a merge)."""
    people = respondents.assign(
        segment_id=assignment.reindex(respondents["respondent_id"]).to_numpy()
    )
    scores = units.groupby("respondent_id")["score"].mean()
    people["score"] = people["respondent_id"].map(scores)
    revenue = revenue_column(respondents)
    attrs = attribute_columns(respondents)
    lifts = lift_table(matrix, assignment)
    shares = mention_shares(matrix, assignment)
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
                "stability": float(stability.get(int(seg), float("nan"))),
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
