"""Themes: UMAP then HDBSCAN over unit embeddings, at the grain the data shows
(`voc.themes.grain`), with an explicit noise policy, merged near-duplicates, and each theme
described (`voc.themes.table`); past `fit_sample` units, on a seeded sample, the other units
placed by the vote of their nearest fitted units (`voc.themes.sample`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from voc.core.geometry import centroids, nearest_centre, renumber_by_size
from voc.core.tables import NOISE
from voc.engine import Engine, engine_for
from voc.themes.cluster import (
    NEIGHBOURS,
    SPECTRAL_DIMS,
    cluster,
    knn,
    map_start,
    merge_similar,
    reassign_noise,
    reduce,
    smooth,
    spectral_layout,
    stability,
)
from voc.themes.grain import MIN_SAMPLES, MIN_SIZES, choose_min_size
from voc.themes.params import ThemeParams
from voc.themes.sample import neighbour_positions, neighbour_vote
from voc.themes.table import similarity_to_centre, theme_table


@dataclass
class ThemeResult:
    """What the themes stage produces, before labels."""

    assignment: np.ndarray  # theme id per unit, NOISE for unclustered
    coords: np.ndarray  # 2-D map position per unit
    themes: pd.DataFrame  # theme_id, size, respondents, share, keywords, quote_ids, stability
    settings: dict[str, object]  # the UMAP and HDBSCAN settings used, and the grain's scores
    similarity: np.ndarray  # cosine of each unit to its theme's centre, NaN for unclustered


def scaled_settings(n: int, min_theme_size: int | None) -> dict[str, int]:
    """Layout and HDBSCAN settings; `min_cluster_size` is the explicit `min_theme_size` or 0
    (chosen from the data once the layout exists, see `choose_min_size`)."""
    min_size = min_theme_size or 0
    return {
        "n_neighbors": max(2, min(NEIGHBOURS, n - 1)),
        "n_components": max(1, min(SPECTRAL_DIMS, n - 2)),
        "min_cluster_size": min_size,
        "min_samples": min(MIN_SAMPLES, min_size or MIN_SAMPLES),
    }


def find_themes(
    vectors: np.ndarray,
    texts: list[str],
    respondent_ids: list[str],
    params: ThemeParams,
    progress: Callable[[str], None] | None = None,
    engine: Engine | None = None,
) -> ThemeResult:
    """Cluster unit vectors into themes and describe each one (past `params.fit_sample` units,
    on a sample: see `fit_on_sample`, which places the other units on `engine`)."""
    say = progress or (lambda _msg: None)
    n = len(vectors)
    if n > params.fit_sample:
        return fit_on_sample(vectors, texts, respondent_ids, params, say, engine or engine_for())
    settings: dict[str, object] = dict(scaled_settings(n, params.min_theme_size))
    if n < 2 * (params.min_theme_size or MIN_SIZES[0]):
        labels = np.zeros(n, dtype=int)
        reduced = vectors
        coords = np.zeros((n, 2), dtype=np.float32)
    else:
        neighbours = int(settings["n_neighbors"])
        graph = knn(vectors, neighbours)
        say("laying units out by their neighbour graph")
        reduced = spectral_layout(graph)
        say("clustering (HDBSCAN)")
        if params.min_theme_size:
            labels = cluster(reduced, params.min_theme_size, int(settings["min_samples"]))
        else:
            size, labels, scores = choose_min_size(reduced, graph[0])
            settings |= {"min_cluster_size": size, "min_samples": min(MIN_SAMPLES, size)}
            settings["min_size_scores"] = {str(k): v for k, v in scores.items()}
        labels = merge_similar(vectors, labels, params.merge_similarity)
        labels = reassign_noise(vectors, labels, params.noise_reassign_similarity)
        labels = smooth(labels, graph)
        if (labels == NOISE).all():  # no dense region at all (a dozen answers): one theme
            labels = np.zeros(n, dtype=int)
        say("placing units on the 2-D map (UMAP)")
        coords = reduce(vectors, 2, neighbours, params.seed, graph, map_start(reduced))
    labels = renumber_by_size(labels)
    say("measuring theme stability")
    stab = (
        stability(reduced, labels, settings, params.stability_resamples, params.seed)
        if len(set(labels.tolist()) - {NOISE}) > 1
        else {0: 1.0}
    )
    return ThemeResult(
        labels,
        coords,
        theme_table(vectors, texts, respondent_ids, labels, stab),
        {**settings, "n_units": n},
        similarity_to_centre(vectors, labels),
    )


def fit_on_sample(
    vectors: np.ndarray,
    texts: list[str],
    respondent_ids: list[str],
    params: ThemeParams,
    say: Callable[[str], None],
    engine: Engine,
) -> ThemeResult:
    """Themes found on a seeded sample of `params.fit_sample` units; every other unit takes the
    theme its nearest fitted units vote for (`neighbour_vote`; one the vote leaves unclustered
    still joins the nearest theme under the noise rule) and sits on the map among its nearest
    fitted units of the same theme. Stability is the fitted sample's. Nothing is computed over
    all pairs of units, so time and memory grow linearly."""
    n = len(vectors)
    sample = np.sort(np.random.default_rng(params.seed).choice(n, params.fit_sample, replace=False))
    rest = np.setdiff1d(np.arange(n), sample)
    fitted = find_themes(
        vectors[sample],
        [texts[i] for i in sample],
        [respondent_ids[i] for i in sample],
        params,
        say,
        engine,
    )
    say(f"placing the other {len(rest):,} units in the themes of the {len(sample):,} fitted")
    labels = np.full(n, NOISE)
    labels[sample] = fitted.assignment
    labels[rest] = engine.place(
        neighbour_vote, vectors[rest], fitted=vectors[sample], labels=fitted.assignment
    )
    left = rest[labels[rest] == NOISE]
    ids, centres = centroids(vectors[sample], fitted.assignment)
    labels[left] = nearest_centre(vectors[left], ids, centres, params.noise_reassign_similarity)
    coords = np.zeros((n, 2), dtype=np.float32)
    coords[sample] = fitted.coords
    coords[rest] = neighbour_positions(
        vectors[rest], labels[rest], vectors[sample], fitted.assignment, fitted.coords
    )
    stab = dict(zip(fitted.themes["theme_id"], fitted.themes["stability"], strict=True))
    return ThemeResult(
        labels,
        coords,
        theme_table(vectors, texts, respondent_ids, labels, stab),
        {**fitted.settings, "n_units": n, "fitted_on": len(sample)},
        similarity_to_centre(vectors, labels),
    )
