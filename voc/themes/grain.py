"""The grain of the themes, read from the data, not from the corpus size. HDBSCAN's tree is
cut (excess of mass) with every minimum theme size of a √2 ladder from 5 units up, and each
cut is scored by its separation in the layout (silhouette) times its modularity on the units'
10-nearest-neighbour graph in embedding space: separation alone rewards crumbs, modularity
alone rewards lumps. The smallest size scoring within 2% of the best is kept, or a smaller
local peak within 6% of it (a reviewer can merge two themes, but cannot see one lumped into
another). `min_theme_size` in the configuration overrides the choice. Scores are rounded, so
last-bit noise in them cannot flip the choice."""

from __future__ import annotations

import numpy as np

from voc.core.tables import NOISE

# Candidate minimum theme sizes, each √2 × the last: the grain is picked among them (see
# `choose_min_size`). 5 is the smallest group of answers a person would call a theme.
MIN_SIZES = tuple(round(5 * 2 ** (i / 2)) for i in range(14))  # 5, 7, 10, 14, 20 … 453


MIN_SAMPLES = 5  # HDBSCAN's density estimate: small and fixed, so few units are left out


GRAPH_NEIGHBOURS = 10  # neighbours per unit in the graph modularity is measured on


SCORE_TOLERANCE = 0.02  # scores this close to the best count as equally good


PEAK_TOLERANCE = 0.06  # a finer local peak this close to the best is the data's grain too


SILHOUETTE_SAMPLE = 3000  # units the silhouette is measured on: enough, and fast at any size


def neighbour_graph(neighbours: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The undirected k-nearest-neighbour graph (self excluded) as its edge ends (each edge
    listed from both ends, an edge found from both ends once) and each unit's degree."""
    from scipy import sparse

    n, k = neighbours.shape
    rows = np.repeat(np.arange(n), k - 1)
    graph = sparse.coo_matrix((np.ones(rows.size), (rows, neighbours[:, 1:].ravel())), (n, n))
    graph = (graph + graph.T).tocsr().tocoo()
    degree = np.bincount(graph.row, minlength=n).astype(float)
    return graph.row, graph.col, degree


def modularity(graph: tuple[np.ndarray, np.ndarray, np.ndarray], labels: np.ndarray) -> float:
    """Newman modularity of the themes on the units' neighbour graph (`neighbour_graph`): high
    when a theme's units have their neighbours inside it, lower both when a theme is cut in
    pieces and when distinct themes are lumped together. Unclustered units keep their edges
    but belong to no theme."""
    rows, cols, degree = graph
    total = degree.sum()
    inside = (labels[rows] == labels[cols]) & (labels[rows] != NOISE)
    themed = labels != NOISE
    theme_degree = np.bincount(labels[themed], weights=degree[themed])
    return float(inside.sum() / total - ((theme_degree / total) ** 2).sum())


def map_distances(reduced: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A sample of at most `SILHOUETTE_SAMPLE` units (fixed, not the run's seed: the grain is
    the data's, whatever the seed) and their distances in the layout, computed once, so every
    candidate grain is scored on the same units. Distances pair by pair (no matrix product),
    so no BLAS kernel decides their last bits."""
    from scipy.spatial.distance import cdist

    n = len(reduced)
    sample = np.sort(np.random.default_rng(0).permutation(n)[:SILHOUETTE_SAMPLE])
    points = reduced[sample].astype(np.float64)
    return sample, cdist(points, points)


def separation(distances: np.ndarray, labels: np.ndarray) -> float:
    """Silhouette of the clustered units among `distances` (see `map_distances`): how clearly
    each theme stands apart from its nearest neighbour in the layout."""
    from sklearn.metrics import silhouette_score

    themed = np.flatnonzero(labels != NOISE)
    if not 2 <= len(set(labels[themed].tolist())) < len(themed):
        return 0.0
    sub = distances[np.ix_(themed, themed)]
    return float(silhouette_score(sub, labels[themed], metric="precomputed"))


def choose_min_size(
    reduced: np.ndarray, neighbours: np.ndarray
) -> tuple[int, np.ndarray, dict[int, float]]:
    """The theme grain, read from the data: HDBSCAN's tree is cut with each candidate minimum
    size (`MIN_SIZES`, excess-of-mass selection) and each result scored by separation on the
    layout × modularity on the units' `GRAPH_NEIGHBOURS` nearest neighbours. Separation alone
    favours crumbs (every tight knot of near-identical answers stands apart), modularity alone
    favours lumps; their product peaks where themes are both distinct and whole. The smallest
    size scoring within `SCORE_TOLERANCE` of the best wins, or a smaller one where the scores
    peak within `PEAK_TOLERANCE` of the best: a reviewer merges two themes in one click but
    cannot see one that was lumped into another, and where the scores plateau over a wide range
    of sizes (a corpus of several domains), which bump of the plateau is highest flips with the
    last bits of the vectors (10 or 59 themes for one 10k corpus), while its first peak stays.
    Scores are rounded, so last-bit noise in the scores themselves cannot flip the choice."""
    tree = linkage_tree(reduced)
    sample, distances = map_distances(reduced)
    graph = neighbour_graph(neighbours[:, : GRAPH_NEIGHBOURS + 1])
    found: dict[int, np.ndarray] = {}
    scores: dict[int, float] = {}
    for size in MIN_SIZES:
        labels = cut_tree(reduced, tree, size) if 2 * size <= len(reduced) else None
        if labels is None or len(set(labels.tolist()) - {NOISE}) < 2:
            break
        found[size] = labels
        scores[size] = round(separation(distances, labels[sample]) * modularity(graph, labels), 4)
    if not scores:
        return MIN_SIZES[0], np.full(len(reduced), NOISE), scores
    best = max(scores.values())
    sizes = list(scores)

    def near_best(score: float, tolerance: float) -> bool:
        # Relative to the best's magnitude: a best that is not positive (every answer alike
        # scores 0 or less) is still within its own tolerance, so some size always qualifies.
        return score >= best - abs(best) * tolerance

    def finer_peak(i: int) -> bool:
        score = scores[sizes[i]]
        around = [scores[s] for s in sizes[max(0, i - 1) : i + 2]]
        return score == max(around) and near_best(score, PEAK_TOLERANCE)

    size = next(
        s for i, s in enumerate(sizes) if near_best(scores[s], SCORE_TOLERANCE) or finer_peak(i)
    )
    return size, found[size], scores


def linkage_tree(reduced: np.ndarray) -> np.ndarray:
    """HDBSCAN's single-linkage tree of the mutual-reachability graph (`MIN_SAMPLES`): the
    same for every minimum theme size, so it is built once for the whole sweep."""
    import hdbscan

    model = hdbscan.HDBSCAN(min_cluster_size=MIN_SIZES[0], min_samples=MIN_SAMPLES)
    return model.fit(reduced).single_linkage_tree_.to_numpy()


def cut_tree(reduced: np.ndarray, tree: np.ndarray, min_size: int) -> np.ndarray:
    """The themes HDBSCAN (excess of mass) selects from `tree` with this minimum size: the
    labels `cluster(reduced, min_size, MIN_SAMPLES)` would give, without refitting."""
    from hdbscan.hdbscan_ import _tree_to_labels

    return _tree_to_labels(reduced, tree, min_cluster_size=min_size)[0].astype(int)
