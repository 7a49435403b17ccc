"""Vector geometry the stages share: unit rows, centres of labelled vectors, the nearest centre
above a bar, maximal marginal relevance, and labels renumbered by size."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from voc.core.tables import NOISE


def unit_rows(x: np.ndarray) -> np.ndarray:
    """Each row (or a single vector) scaled to length 1; a zero row stays zero."""
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


class Centres(NamedTuple):
    """The centre of each label: `ids` increasing, `vectors` one unit row per id."""

    ids: np.ndarray
    vectors: np.ndarray

    def as_dict(self) -> dict[int, np.ndarray]:
        return dict(zip(self.ids.tolist(), self.vectors, strict=True))


def centroids(vectors: np.ndarray, labels: np.ndarray) -> Centres:
    """The normalised mean vector of each label but NOISE."""
    ids = sorted(set(labels.tolist()) - {NOISE})
    rows = []
    for t in ids:
        c = vectors[labels == t].mean(axis=0)
        rows.append(c / (np.linalg.norm(c) or 1.0))
    stacked = np.stack(rows) if rows else np.zeros((0, vectors.shape[1]), vectors.dtype)
    return Centres(np.array(ids, dtype=int), stacked)


def nearest_centre(
    vectors: np.ndarray, ids: np.ndarray, centres: np.ndarray, bar: float | np.ndarray
) -> np.ndarray:
    """Each vector's label: the id of its nearest centre (cosine; rows of `centres` are unit
    vectors) when the cosine reaches that centre's bar (one for all, or one per centre), else
    NOISE. A zero vector, a non-answer, is never close."""
    if len(ids) == 0:
        return np.full(len(vectors), NOISE)
    cosine = vectors @ centres.T
    best = cosine.argmax(axis=1)
    bars = np.broadcast_to(np.asarray(bar, dtype=float), (len(ids),))[best]
    close = cosine[np.arange(len(best)), best] >= bars
    return np.where(close, np.asarray(ids)[best], NOISE).astype(int)


def mmr(relevance: np.ndarray, vectors: np.ndarray, k: int, diversity: float) -> list[int]:
    """Maximal marginal relevance: the most relevant row first, then each next one relevant and
    unlike those already chosen (cosine of unit rows); returns row positions."""
    chosen: list[int] = []
    left = list(range(len(relevance)))
    while left and len(chosen) < k:
        redundancy = (
            (vectors[left] @ vectors[chosen].T).max(axis=1) if chosen else np.zeros(len(left))
        )
        score = (1 - diversity) * relevance[left] - diversity * redundancy
        chosen.append(left.pop(int(np.argmax(score))))
    return chosen


def renumber_by_size(labels: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Labels 0..k-1 by decreasing size (the number of rows, or their total weight), equal
    sizes by increasing old label; NOISE stays NOISE. Id 0 is the largest, so ids read in
    order of importance."""
    kept = labels != NOISE
    ids, inverse = np.unique(labels[kept], return_inverse=True)
    sizes = np.bincount(inverse, weights=None if weights is None else weights[kept])
    order = sorted(range(len(ids)), key=lambda i: (-sizes[i], ids[i]))
    mapping = {ids[i]: new for new, i in enumerate(order)}
    return np.array([mapping.get(x, NOISE) for x in labels], dtype=int)


def by_first_appearance(labels: np.ndarray) -> np.ndarray:
    """Labels 0..k-1 in the order they first appear."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=int)
    rank[np.argsort(first)] = np.arange(len(first))
    return rank[inverse]
