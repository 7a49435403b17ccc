"""The clustering steps of a theme fit: the exact neighbour graph, the spectral layout themes
are found in, HDBSCAN, near-duplicate themes merged, close unclustered units joined to their
theme, each theme's stability on resamples, and UMAP's 2-D map for people to look at.

Themes are found in a layout that is a smooth, seed-free function of the neighbour graph: the
leading eigenvectors of the graph weighted by shared neighbours. The last bits of the vectors
differ between CPUs (and between ONNX and torch); they move the layout by as little, and a
theme not at all. UMAP's stochastic optimisation amplifies such bits into another map and
other themes (the same corpus gave 32 themes on one CPU and 20 on another), so UMAP only draws
the 2-D map, started from the spectral layout."""

from __future__ import annotations

import warnings

import numpy as np
from scipy import sparse

from voc.core.geometry import centroids, nearest_centre
from voc.core.tables import NOISE

# The neighbourhood of each unit: UMAP's default, the graph the spectral layout is made of and
# the granularity rule scores partitions on.
NEIGHBOURS = 15
# The eigenvectors of the neighbour graph themes are found in: those whose eigenvalue shows a
# group of units more closely knit than the rest (at least STRUCTURE, fading out over FADE
# below it), never fewer than MIN_DIMS, at most SPECTRAL_DIMS (enough to hold BANKING77's 77
# intents apart, few enough for HDBSCAN's density estimate).
SPECTRAL_DIMS = 64
MIN_DIMS = 16
STRUCTURE = 0.8
FADE = 0.1
DISTANCE_DECIMALS = 4  # cosine distances are ranked at this resolution (see `knn`)
DENSE_EIGEN = 1500  # up to this many units the eigenvectors come from a dense solver
SMOOTHING = 2  # rounds of units joining the theme most of their neighbours are in
RESAMPLE_SHARE = 0.8  # of the units each stability resample clusters again


def knn(vectors: np.ndarray, k: int, chunk: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine k nearest neighbours, each unit first in its own list. Distances are
    computed in float64 and rounded to `DISTANCE_DECIMALS` before they are ranked, equal ones in
    unit order: the last bits of the vectors (another CPU's, or another BLAS threading's) swap
    two neighbours only where they move a distance past a rounding step. Rows are done in
    chunks, never an n × n matrix; UMAP gets the same graph, which skips pynndescent."""
    x = vectors.astype(np.float64)
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    n = len(x)
    k = min(k, n)
    order_key = np.arange(n) * (0.5 * 10.0**-DISTANCE_DECIMALS / max(n, 1))  # ties: unit order
    idx = np.empty((n, k), dtype=np.int32)
    dists = np.empty((n, k), dtype=np.float32)
    for start in range(0, n, chunk):
        rows = np.arange(start, min(start + chunk, n))
        distance = np.round(1.0 - x[rows] @ x.T, DISTANCE_DECIMALS)
        key = distance + order_key
        key[np.arange(len(rows)), rows] = -1.0  # itself first, whatever its duplicates
        if k < n:
            near = np.argpartition(key, k - 1, axis=1)[:, :k]
        else:
            near = np.tile(np.arange(n), (len(rows), 1))
        ranked = np.argsort(np.take_along_axis(key, near, axis=1), axis=1)
        near = np.take_along_axis(near, ranked, axis=1)
        idx[rows] = near
        dists[rows] = np.maximum(np.take_along_axis(distance, near, axis=1), 0.0)
    return idx, dists


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


def neighbour_weights(graph: tuple[np.ndarray, np.ndarray]) -> sparse.csr_matrix:
    """The symmetric neighbour graph, each edge weighted exp(−distance / the unit's mean
    distance to its neighbours): a dense region and a sparse one weigh their own neighbours
    alike."""
    neighbours, distances = graph
    n, k = neighbours.shape
    scale = np.maximum(distances[:, 1:].astype(np.float64).mean(axis=1), 1e-6)
    weights = np.exp(-distances[:, 1:] / scale[:, None]).ravel()
    rows = np.repeat(np.arange(n), k - 1)
    edges = sparse.csr_matrix((weights, (rows, neighbours[:, 1:].ravel())), shape=(n, n))
    return edges.maximum(edges.T)


def spectral_layout(graph: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Each unit as its row of the leading eigenvectors of the normalised neighbour graph,
    scaled to unit length and rounded (Ng, Jordan and Weiss's spectral embedding): units of one
    need land close together. An eigenvector counts fully while its eigenvalue is at least
    `STRUCTURE` and fades out below it (never fewer than `MIN_DIMS`, at most `SPECTRAL_DIMS`),
    so the layout has as many directions as the data has distinct groups, and no eigenvalue
    near the bar can switch a direction on or off. No seed, and no iteration that could take
    another path: the layout moves as little as the graph does."""
    weights = neighbour_weights(graph)
    n = weights.shape[0]
    dims = max(1, min(SPECTRAL_DIMS, n - 2))
    degree = np.maximum(np.asarray(weights.sum(axis=1)).ravel(), 1e-12)
    scale = sparse.diags(1 / np.sqrt(degree))
    normalised = (scale @ weights @ scale).astype(np.float64)
    if n <= DENSE_EIGEN:
        from scipy.linalg import eigh

        values, vectors = eigh(normalised.toarray(), subset_by_index=[n - dims, n - 1])
    else:  # the leading eigenvectors of the adjacency: Lanczos needs only products with it
        from scipy.sparse.linalg import eigsh

        values, vectors = eigsh(normalised, k=dims, which="LA", v0=np.ones(n), tol=0)
    order = np.argsort(-values)
    fade = np.clip((values[order] - STRUCTURE + FADE) / FADE, 0.0, 1.0)
    fade[:MIN_DIMS] = 1.0
    layout = vectors[:, order] * fade
    layout /= np.maximum(np.linalg.norm(layout, axis=1, keepdims=True), 1e-12)
    return np.round(layout, 5).astype(np.float32)


def smooth(labels: np.ndarray, graph: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """`SMOOTHING` rounds in which a unit takes the theme that holds more than half of its
    neighbours (by closeness): a unit on a theme's border goes where its neighbours are."""
    neighbours, distances = graph[0][:, 1:], graph[1][:, 1:]
    closeness = 1.0 - distances.astype(np.float64)
    rows = np.repeat(np.arange(len(labels)), neighbours.shape[1])
    for _ in range(SMOOTHING):
        if not (labels != NOISE).any():
            return labels
        theirs = labels[neighbours].ravel()
        themed = theirs != NOISE
        tally = np.zeros((len(labels), int(labels.max()) + 1))
        np.add.at(tally, (rows[themed], theirs[themed]), closeness.ravel()[themed])
        share = tally.max(axis=1) / np.maximum(closeness.sum(axis=1), 1e-12)
        labels = np.where(share > 0.5, tally.argmax(axis=1), labels)
    return labels


def reduce(
    vectors: np.ndarray,
    n_components: int,
    n_neighbors: int,
    seed: int,
    graph: tuple[np.ndarray, np.ndarray] | None = None,
    start: np.ndarray | None = None,
) -> np.ndarray:
    """UMAP projection of normalised vectors; seeded, so the same input gives the same map.
    `graph` is the `knn` of the vectors when the caller already has it; `start` the layout the
    map starts from (UMAP's own spectral start takes other paths from run to run on graphs of
    several components)."""
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
        init="random" if start is None else start,
    )
    return reducer.fit_transform(vectors).astype(np.float32)


def map_start(layout: np.ndarray) -> np.ndarray:
    """Where the 2-D map starts: the layout's two main directions (its principal axes), so the
    map begins with the themes' arrangement instead of noise."""
    centred = layout - layout.mean(axis=0)
    _, _, axes = np.linalg.svd(centred.astype(np.float64), full_matrices=False)
    start = centred @ axes[:2].T
    return (10 * start / max(float(np.abs(start).max()), 1e-12)).astype(np.float32)


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
        sample = np.sort(rng.choice(n, size=max(2, int(RESAMPLE_SHARE * n)), replace=False))
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
