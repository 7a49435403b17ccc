"""What moves over time and what drives the score: each theme's share of respondents per period
(when units carry dates), the themes that rise or fall significantly, and each theme's NPS
impact — the overall NPS minus the NPS of scored respondents who do not mention it (the
measure Thematic uses): fixing a theme that costs 6 points is worth about +6."""

from __future__ import annotations

import numpy as np
import pandas as pd

from voc.core.stats import holm
from voc.core.tables import NOISE, is_voice

BOOTSTRAP = 500
ALPHA = 0.05
MIN_PERIODS = 3


def mentions(units: pd.DataFrame) -> pd.DataFrame:
    """Respondents × themes: True where the person said something in that theme."""
    themed = units[is_voice(units) & (units["theme_id"] != NOISE)]
    return pd.crosstab(themed["respondent_id"], themed["theme_id"]).gt(0)


def nps_impact(units: pd.DataFrame, theme_ids: list[int], seed: int) -> pd.DataFrame:
    """Per theme: `nps_impact` (overall NPS minus the NPS of the scored respondents who do not
    mention it) and a 95% bootstrap interval over respondents; NaN without scores."""
    scores = units.groupby("respondent_id")["score"].mean().dropna()
    columns = ["theme_id", "nps_impact", "nps_impact_low", "nps_impact_high"]
    if scores.empty:
        return pd.DataFrame({"theme_id": theme_ids}).reindex(columns=columns)
    said = mentions(units).reindex(index=scores.index, columns=theme_ids, fill_value=False)
    value = np.where(scores >= 9, 100.0, np.where(scores <= 6, -100.0, 0.0))
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(value), size=(BOOTSTRAP, len(value)))
    silent = ~said.to_numpy()

    def impact(rows: np.ndarray) -> np.ndarray:
        v, quiet = value[rows], silent[rows]
        without = (v[:, None] * quiet).sum(axis=0) / np.maximum(quiet.sum(axis=0), 1)
        return v.mean() - np.where(quiet.any(axis=0), without, np.nan)

    point = impact(np.arange(len(value)))
    spread = np.array([impact(d) for d in draws])
    low, high = np.nanpercentile(spread, [2.5, 97.5], axis=0)
    return pd.DataFrame(
        {
            "theme_id": theme_ids,
            "nps_impact": np.round(point, 2),
            "nps_impact_low": np.round(low, 2),
            "nps_impact_high": np.round(high, 2),
        }
    )


def period_of(span_days: float) -> str:
    """Weeks for a span up to 4 months, months up to 3 years, quarters beyond."""
    if span_days <= 120:
        return "W"
    return "M" if span_days <= 3 * 366 else "Q"


def dated_voice(units: pd.DataFrame) -> pd.DataFrame:
    """Voice units with a date, each with its `period` (the period length chosen from the span)."""
    voice = units[is_voice(units)]
    dates = pd.to_datetime(voice["date"].replace("", None), errors="coerce", utc=True)
    dated = voice.assign(when=dates.dt.tz_localize(None)).dropna(subset=["when"])
    if dated.empty:
        return dated.assign(period=pd.Series(dtype=str))
    freq = period_of((dated["when"].max() - dated["when"].min()).days)
    return dated.assign(period=dated["when"].dt.to_period(freq).astype(str))


def theme_trends(units: pd.DataFrame) -> pd.DataFrame:
    """`period, theme_id, units, respondents, share` (share of the period's respondents who
    mention the theme); empty when fewer than MIN_PERIODS periods have dates."""
    columns = ["period", "theme_id", "units", "respondents", "share"]
    dated = dated_voice(units)
    if dated["period"].nunique() < MIN_PERIODS:
        return pd.DataFrame(columns=columns)
    people = dated.groupby("period")["respondent_id"].nunique()
    themed = dated[dated["theme_id"] != NOISE]
    table = themed.groupby(["period", "theme_id"]).agg(
        units=("unit_id", "size"), respondents=("respondent_id", "nunique")
    )
    table = table.reset_index()
    table["share"] = (table["respondents"] / table["period"].map(people)).round(4)
    return table[columns]


def moving_themes(units: pd.DataFrame) -> dict[int, str]:
    """Themes whose share of respondents differs between the first and the second half of the
    periods, significantly after a Holm correction for the number of themes: "rising" or
    "falling"; the rest are not flagged, however their line wiggles."""
    from scipy.stats import fisher_exact

    dated = dated_voice(units)
    periods = sorted(dated["period"].unique())
    if len(periods) < MIN_PERIODS:
        return {}
    dated = dated.assign(early=dated["period"].isin(periods[: len(periods) // 2]))
    people = dated.groupby("early")["respondent_id"].nunique()
    p, way = {}, {}
    for theme, rows in dated[dated["theme_id"] != NOISE].groupby("theme_id"):
        said = rows.groupby("early")["respondent_id"].nunique()
        before, after = int(said.get(True, 0)), int(said.get(False, 0))
        table = [[before, people[True] - before], [after, people[False] - after]]
        rising = after / people[False] > before / people[True]
        p[int(theme)] = fisher_exact(table).pvalue
        way[int(theme)] = "rising" if rising else "falling"
    adjusted = holm(pd.Series(p, dtype=float))
    return {t: way[t] for t in adjusted.index if adjusted[t] <= ALPHA}
