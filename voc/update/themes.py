"""The themes stage of an update: base themes where the period's answers fit, themes marked
`new` among the rest, and every answer on the base run's map (never refitted)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from voc.core.geometry import centroids, nearest_centre
from voc.core.tables import NOISE, carry_columns, is_voice
from voc.engine import Engine
from voc.themes.fit import ThemeResult, find_themes
from voc.themes.grain import MIN_SIZES
from voc.themes.params import ThemeParams
from voc.themes.sample import neighbour_positions
from voc.themes.table import similarity_to_centre, theme_table
from voc.update.base import Base
from voc.update.placement import place_units


def new_themes(
    base: Base, vectors: np.ndarray, texts: list[str], people: list[str], params: ThemeParams
) -> tuple[np.ndarray, dict[int, float]]:
    """Themes among the units no base theme took one by one. A cluster whose centre is as close
    to a base theme's as near-duplicate themes are merged (`merge_similarity`) is that theme's:
    stragglers, not a new job. Other clusters count when they hold at least `min_size` units
    close to their own centre (a loose lump of leftovers is no theme); they get ids after the
    base's, the rest NOISE."""
    labels = np.full(len(vectors), NOISE)
    min_size = params.min_theme_size or MIN_SIZES[0]
    if len(vectors) < 2 * min_size:
        return labels, {}
    found = find_themes(vectors, texts, people, params)
    typical = similarity_to_centre(vectors, found.assignment)
    stability = dict(zip(found.themes["theme_id"], found.themes["stability"], strict=True))
    centres = centroids(vectors, found.assignment)
    same = nearest_centre(centres.vectors, *base.theme_centres(), params.merge_similarity)
    home = dict(zip(centres.ids.tolist(), same, strict=True))
    first = int(base.results.themes["theme_id"].max()) + 1
    kept: dict[int, float] = {}
    for t in sorted(set(found.assignment.tolist()) - {NOISE}):
        members = found.assignment == t
        if home[t] != NOISE:
            labels[members] = home[t]
        elif (
            members.sum() >= min_size
            and typical[members].mean() >= params.noise_reassign_similarity
        ):
            labels[members] = first + len(kept)
            kept[first + len(kept)] = float(stability.get(t, 0.0))
    return labels, kept


def update_themes(
    base: Base, units: pd.DataFrame, vectors: np.ndarray, params: ThemeParams, engine: Engine
) -> ThemeResult:
    """The themes stage of an update, on the voice units: base themes where they fit, new ones
    among the rest, positions on the base map."""
    voice = is_voice(units).to_numpy()
    spoken, vecs = units[voice], vectors[voice]
    labels = place_units(base, units, vectors, params, engine)[voice]
    left = np.flatnonzero(labels == NOISE)
    texts, people = spoken["text"].tolist(), spoken["respondent_id"].tolist()
    fresh, new_stability = new_themes(
        base, vecs[left], [texts[i] for i in left], [people[i] for i in left], params
    )
    labels[left] = fresh
    base_themes = base.results.themes.set_index("theme_id")
    stability = {**base_themes["stability"].to_dict(), **new_stability}
    table = theme_table(vecs, texts, people, labels, stability)
    table["status"] = np.where(table["theme_id"].isin(new_stability), "new", "")
    if "parent_id" in base_themes:  # base themes stay in their groups; new ones join the nearest
        centres = centroids(vecs, labels)
        nearest = nearest_centre(centres.vectors, *base.theme_centres(), -1.0)
        home = dict(zip(centres.ids.tolist(), nearest, strict=True))
        source = [t if t in base_themes.index else home[t] for t in table["theme_id"]]
        for column in ("parent_id", "group_label"):
            if column in base_themes:
                table[column] = base_themes[column].reindex(source).to_numpy()
    params = {"n_units": int(voice.sum()), "base_run": str(base.results.run_dir)}
    return ThemeResult(
        labels, map_positions(base, vecs, labels), table, params, similarity_to_centre(vecs, labels)
    )


def map_positions(base: Base, vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Positions on the base map (see `neighbour_positions`), so the base map is never refitted
    and old and new answers share one picture."""
    units = base.results.units
    placed = units["x"].notna().to_numpy()
    return neighbour_positions(
        vectors,
        labels,
        base.vectors[placed],
        units.loc[placed, "theme_id"].to_numpy(),
        units.loc[placed, ["x", "y"]].to_numpy(),
    )


def carry_base(table: pd.DataFrame, placed: pd.DataFrame, base: Base) -> pd.DataFrame:
    """After the update run's own edits: each theme's status and group as placed, and the
    base reviewer's hidden themes still hidden."""
    table = carry_columns(table, placed, {"status": "new"})
    for column in ("parent_id", "group_label"):
        if column in placed:
            table[column] = table["theme_id"].map(placed.set_index("theme_id")[column])
    themes = base.results.themes
    hidden = themes["theme_id"][themes["hidden"].astype(bool)] if "hidden" in themes else []
    table["hidden"] = table["hidden"] | table["theme_id"].isin(hidden)
    return table
