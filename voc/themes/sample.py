"""Placing units in themes fitted on other units: the vote of their nearest fitted units, and
a position on the map among them. Past a fitted sample and in `voc update` alike."""

from __future__ import annotations

import numpy as np

from voc.core.tables import NOISE

VOTERS = 10  # fitted units whose themes decide the theme of a unit past the fitted sample
MAP_NEIGHBOURS = 5  # fitted units whose map positions place a unit on the map


def neighbour_vote(vectors: np.ndarray, fitted: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each vector's theme: the cosine-weighted majority of its `VOTERS` most similar fitted
    units (NOISE when unclustered ones win). Neighbours follow a theme's own shape, where a
    single centre cuts across the border between two close themes."""
    cosine = vectors @ fitted.T
    k = min(VOTERS, len(fitted))
    near = np.argpartition(-cosine, k - 1, axis=1)[:, :k]
    ids, votes = np.unique(labels[near], return_inverse=True)
    tally = np.zeros((len(vectors), len(ids)))
    weights = np.take_along_axis(cosine, near, axis=1)
    np.add.at(tally, (np.arange(len(vectors))[:, None], votes.reshape(near.shape)), weights)
    return ids[tally.argmax(axis=1)]


def neighbour_positions(
    vectors: np.ndarray,
    labels: np.ndarray,
    mapped: np.ndarray,
    mapped_labels: np.ndarray,
    xy: np.ndarray,
    chunk: int = 2048,
) -> np.ndarray:
    """Each vector's map position: the mean position of its `MAP_NEIGHBOURS` nearest mapped units
    of the same theme (of all mapped units when its theme has none on the map). Searching
    within the theme keeps the cost near linear and each answer among its theme's points."""
    out = np.zeros((len(vectors), 2))
    for theme in np.unique(labels):
        rows = np.flatnonzero(labels == theme)
        pool = np.flatnonzero(mapped_labels == theme) if theme != NOISE else []
        if len(pool) == 0:
            pool = np.arange(len(mapped))
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            cosine = vectors[part] @ mapped[pool].T
            k = min(MAP_NEIGHBOURS, len(pool))
            nearest = np.argpartition(-cosine, k - 1, axis=1)[:, :k]
            out[part] = xy[pool[nearest]].mean(axis=1)
    return out
