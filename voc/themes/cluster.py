"""The clustering steps of a theme fit: the exact neighbour graph, UMAP's seeded map, HDBSCAN,
near-duplicate themes merged, close unclustered units joined to their theme, and each theme's
stability on resamples. The neighbour graph is computed in float64 and rounded (`knn`), so
one seed gives one result whatever the BLAS threading."""

from __future__ import annotations

import warnings

import numpy as np

from voc.core.geometry import centroids, nearest_centre
from voc.core.tables import NOISE

# UMAP's neighbourhood: its default, and the graph the granularity rule scores partitions on.
NEIGHBOURS = 15


def knn(vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine k nearest neighbours (self included), the graph UMAP would approximate;
    passing it in skips pynndescent's slow compilation on a cold start."""
    from sklearn import config_context
    from sklearn.neighbors import NearestNeighbors

    # Float64 and rounded: the last bits of a float32 matrix product depend on how many BLAS
    # threads ran it, and UMAP amplifies such noise into a different map.
    x = vectors.astype(np.float64)
    nn = NearestNeighbors(n_neighbors=k, metric="cosine", algorithm="brute").fit(x)
    with config_context(working_memory=256):  # distances in row chunks, not one n×n matrix
        dists, idx = nn.kneighbors(x)
    return idx.astype(np.int32), np.round(dists, 6).astype(np.float32)


# UMAP functions that numba compiles on every new process (umap-learn does not mark them
# `cache=True`): ~7 s of each cold run. Cached on disk, later processes load them in ms.
UNCACHED_UMAP_JIT = (
    ("umap.utils", "tau_rand_int"),
    ("umap.utils", "tau_rand"),
    ("umap.layouts", "clip"),
    ("umap.layouts", "_nb_optimize_layout_euclidean_single_epoch"),
    ("umap.umap_", "smooth_knn_dist"),
    ("umap.umap_", "compute_membership_strengths"),
)


def cache_umap_jit() -> None:
    """Let numba keep UMAP's compiled functions on disk (numba's own enable_caching)."""
    import importlib

    for module, name in UNCACHED_UMAP_JIT:
        function = getattr(importlib.import_module(module), name, None)
        if hasattr(function, "enable_caching") and not function.signatures:
            try:
                function.enable_caching()
            except RuntimeError:  # no writable cache location: compile as umap would
                return


def reduce(
    vectors: np.ndarray,
    n_components: int,
    n_neighbors: int,
    seed: int,
    graph: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """UMAP projection of normalised vectors; seeded, so the same input gives the same map.
    `graph` is the `knn` of the vectors when the caller already has it."""
    import umap

    cache_umap_jit()
    # Seeding makes UMAP single-threaded and a precomputed graph disables transform(): both
    # are chosen on purpose here, so their warnings would only confuse users.
    warnings.filterwarnings("ignore", message=".*(random_state|knn_search_index).*")
    n_neighbors = min(n_neighbors, len(vectors) - 1)
    idx, dists = graph if graph is not None else knn(vectors, n_neighbors)
    reducer = umap.UMAP(
        n_neighbors=n_neighbors,
        n_components=n_components,
        min_dist=0.0,
        metric="cosine",
        random_state=seed,
        precomputed_knn=(idx, dists, None),
        transform_mode="embedding",
    )
    return reducer.fit_transform(vectors).astype(np.float32)


def cluster(reduced: np.ndarray, min_cluster_size: int, min_samples: int) -> np.ndarray:
    """HDBSCAN labels, NOISE for points in no dense region."""
    import hdbscan

    model = hdbscan.HDBSCAN(
        min_cluster_size=min_cluster_size,
        min_samples=min_samples,
        cluster_selection_method="eom",
    )
    return model.fit_predict(reduced).astype(int)


def merge_similar(vectors: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Merge themes whose centres are nearly the same direction: one job, two clusters."""
    labels = labels.copy()
    while True:
        ids, mat = centroids(vectors, labels)
        if len(ids) < 2:
            return labels
        sims = mat @ mat.T
        np.fill_diagonal(sims, -1)
        a, b = np.unravel_index(np.argmax(sims), sims.shape)
        if sims[a, b] < threshold:
            return labels
        labels[labels == ids[b]] = ids[a]


def reassign_noise(vectors: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Give an unclustered unit to the nearest theme only when it is close enough."""
    ids, centres = centroids(vectors, labels)
    noise = np.flatnonzero(labels == NOISE)
    if not len(ids) or noise.size == 0:
        return labels
    labels = labels.copy()
    near = nearest_centre(vectors[noise], ids, centres, threshold)
    labels[noise[near != NOISE]] = near[near != NOISE]
    return labels


def stability(
    reduced: np.ndarray,
    labels: np.ndarray,
    settings: dict[str, object],
    rounds: int,
    seed: int,
) -> dict[int, float]:
    """Mean best Jaccard overlap of each theme with the clusters found on 80% resamples: near 1
    means the theme reappears whatever subset of the corpus is used."""
    ids = sorted(set(labels.tolist()) - {NOISE})
    scores: dict[int, list[float]] = {i: [] for i in ids}
    rng = np.random.default_rng(seed)
    n = len(labels)
    for _ in range(rounds):
        sample = np.sort(rng.choice(n, size=max(2, int(0.8 * n)), replace=False))
        sub = cluster(
            reduced[sample], int(settings["min_cluster_size"]), int(settings["min_samples"])
        )
        for i in ids:
            mine = set(sample[labels[sample] == i].tolist())
            if not mine:
                continue
            best = 0.0
            for j in set(sub.tolist()) - {NOISE}:
                theirs = set(sample[sub == j].tolist())
                best = max(best, len(mine & theirs) / len(mine | theirs))
            scores[i].append(best)
    return {i: float(np.mean(s)) if s else 0.0 for i, s in scores.items()}
