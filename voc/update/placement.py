"""Where a new period's answers go in the base run's themes: the theme their nearest base
answers vote for, or none when the base run never heard of what they say (`is_new`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from voc.core.geometry import nearest_centre
from voc.core.tables import NOISE, is_voice
from voc.engine import Engine
from voc.themes.params import ThemeParams
from voc.themes.sample import VOTERS, neighbour_vote
from voc.update.base import Base

LOOSEST = 0.05  # a unit fits a theme when as close to it as all but its loosest 5% of members


NOVEL_SHARE = 0.5  # new where base units are under half as common around it as in its theme's


# mix of both periods; with no base unit near at all, new when that mix makes it this unlikely
UNLIKELY = 0.05


def theme_bars(units: pd.DataFrame, centres: pd.DataFrame, floor: float) -> np.ndarray:
    """How close a unit must be to join each theme: as close to its centre as all but the
    loosest 5% of the theme's own members (never under `floor`, the noise rule's cosine). A
    tight theme asks for a close match; a broad one accepts more."""
    themed = units[units["theme_id"] != NOISE]
    loosest = themed.groupby("theme_id")["theme_similarity"].quantile(LOOSEST)
    return np.maximum(loosest.reindex(centres.index).fillna(floor).to_numpy(), floor)


def place_units(
    base: Base, units: pd.DataFrame, vectors: np.ndarray, params: ThemeParams, engine: Engine
) -> np.ndarray:
    """Base theme per unit: the one its `VOTERS` nearest base units vote for (the nearest centre
    when unclustered ones win), NOISE for a unit the base run never heard of (`is_new`); a
    text the base run holds keeps its theme, and a non-answer has none. Past
    `params.fit_sample` base units, neighbours are sought in a seeded sample of that size (and
    this period's answers at the same rate), as in a sample fit: the cost stays linear."""
    said = base.results.units
    spoken = np.flatnonzero(is_voice(said).to_numpy())
    rate = min(1.0, params.fit_sample / max(len(spoken), 1))
    rng = np.random.default_rng(params.seed)
    fitted = np.sort(rng.choice(spoken, round(rate * len(spoken)), replace=False))
    voice = is_voice(units).to_numpy()
    said_once = np.flatnonzero(voice & ~units["text"].duplicated().to_numpy())
    recent = np.sort(rng.choice(said_once, round(rate * len(said_once)), replace=False))
    labels = said["theme_id"].to_numpy()
    pool = base.vectors[fitted]
    theme = np.full(len(units), NOISE)
    theme[voice] = engine.place(neighbour_vote, vectors[voice], fitted=pool, labels=labels[fitted])
    unvoted = voice & (theme == NOISE)
    theme[unvoted] = nearest_centre(vectors[unvoted], *base.theme_centres(), -1.0)
    near = engine.place(base_neighbours, vectors[voice], fitted=pool, recent=vectors[recent])
    k = min(VOTERS, len(fitted) + len(recent) - 1)
    mix = base_mix(labels[fitted], theme[recent], base.centres.index)
    new = np.zeros(len(units), dtype=bool)
    new[voice] = is_new(base, theme[voice], vectors[voice], near, k, mix, params)
    placed = np.where(new, NOISE, theme)
    known = said.drop_duplicates("text").set_index("text")["theme_id"]
    again = units["text"].map(known)
    placed = np.where(again.notna(), again.fillna(NOISE).astype(int), placed)
    placed[~voice] = NOISE
    return placed


SAME_TEXT = 1 - 1e-6  # cosine of a text to itself, or to a copy of it


def base_neighbours(vectors: np.ndarray, fitted: np.ndarray, recent: np.ndarray) -> np.ndarray:
    """How many of each vector's `VOTERS` nearest units are base units (`fitted`) rather than
    this period's (`recent`, each text once; the vector's own text is not its neighbour, so a
    burst of one answer repeated does not surround itself)."""

    def top(cosine: np.ndarray) -> np.ndarray:
        k = min(VOTERS, cosine.shape[1])
        best = -np.partition(-cosine, k - 1, axis=1)[:, :k] if k else cosine[:, :0]
        return np.pad(best, ((0, 0), (0, VOTERS - k)), constant_values=-np.inf)

    to_recent = vectors @ recent.T
    to_recent[to_recent >= SAME_TEXT] = -np.inf
    both = np.hstack([top(vectors @ fitted.T), top(to_recent)])  # base first
    nearest = np.argpartition(-both, VOTERS - 1, axis=1)[:, :VOTERS]
    real = np.isfinite(np.take_along_axis(both, nearest, axis=1))  # padding is nobody
    return ((nearest < VOTERS) & real).sum(axis=1)


def base_mix(base_themes: np.ndarray, period_themes: np.ndarray, ids: pd.Index) -> pd.Series:
    """Each theme's share of base units among its units of both periods."""
    in_base = pd.Series(base_themes).value_counts().reindex(ids, fill_value=0)
    in_period = pd.Series(period_themes).value_counts().reindex(ids, fill_value=0)
    return in_base / (in_base + in_period).clip(lower=1)


def is_new(
    base: Base,
    theme: np.ndarray,
    vectors: np.ndarray,
    near: np.ndarray,
    k: int,
    mix: pd.Series,
    params: ThemeParams,
    chunk: int = 65536,
) -> np.ndarray:
    """Which units the base run never heard of. Base units are rare around it: under
    `NOVEL_SHARE` as common among its `k` nearest (`near` of them are base units) as in its
    theme's `mix` of both periods, so a surge of a known need is not new. And it is farther
    from the theme's centre than all but the loosest of its members (`theme_bars`), or it has
    no base unit near at all where its theme's mix would almost surely put one (a new need
    beside a known one, close to that theme, that January never voiced)."""
    bars = theme_bars(base.results.units, base.centres, params.noise_reassign_similarity)
    centres = base.centres.to_numpy()
    column = base.centres.index.get_indexer(theme)
    to_theme = np.concatenate(
        [
            np.einsum("ij,ij->i", vectors[i : i + chunk], centres[column[i : i + chunk]])
            for i in range(0, len(vectors), chunk)
        ]
        or [np.zeros(0)]
    )
    fits = to_theme >= bars[column]
    share = mix.to_numpy()[column]
    rare = near < NOVEL_SHARE * share * k
    alone = (near == 0) & ((1 - share) ** k < UNLIKELY)
    return rare & (~fits | alone)
