"""The top level above the themes: at most `MAX_GROUPS` groups built from the themes' centres
(never by re-clustering units), each named from its themes' key phrases.

Themes are joined by average-linkage agglomeration on the cosine distance between their
centres; the number of groups is the one, among ⌈√themes⌉…`MAX_GROUPS`, whose grouping has
the best silhouette of the themes, so groups gather themes that are close to each other and
apart from the rest. Fewer than four themes stay one group each."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from voc.core.geometry import by_first_appearance, centroids, renumber_by_size
from voc.embed.cache import Embedder
from voc.themes.phrases import theme_name, theme_phrases

MAX_GROUPS = 25


def group_themes(centres: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """A group id per theme (rows of `centres`, normalised), 0 the largest group by units."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    from sklearn.metrics import silhouette_score

    n = len(centres)
    if n < 4:
        return np.arange(n)
    distances = np.clip(1 - np.round(centres @ centres.T, 6), 0, 2)
    np.fill_diagonal(distances, 0)
    tree = linkage(squareform(distances, checks=False), method="average")
    best, groups = -np.inf, np.arange(n)
    for k in range(min_groups(n), min(MAX_GROUPS, n - 1) + 1):
        cut = fcluster(tree, k, criterion="maxclust")
        if len(set(cut.tolist())) < 2:
            continue
        score = round(float(silhouette_score(distances, cut, metric="precomputed")), 4)
        if score > best:
            best, groups = score, cut
    return renumber_by_size(by_first_appearance(groups), sizes)


def min_groups(themes: int) -> int:
    """The fewest groups worth showing: about √themes, so no group holds much more than √themes
    themes (two groups of forty themes would be no top level at all)."""
    return max(2, min(MAX_GROUPS, math.ceil(math.sqrt(themes))))


def group_names(
    groups: np.ndarray,
    phrases: list[list[str]],
    phrase_vectors: dict[str, np.ndarray],
    centres: np.ndarray,
    sizes: np.ndarray,
) -> dict[int, str]:
    """A name per group from its themes' key phrases: a one-theme group is named as its theme;
    otherwise the phrase of its themes closest to the group's centre (its themes' centres
    weighted by size), preferring a phrase that more of its themes use."""
    names: dict[int, str] = {}
    for g in sorted(set(groups.tolist())):
        members = np.flatnonzero(groups == g)
        candidates = sorted({p for i in members for p in phrases[i]})
        if len(members) == 1 or not candidates:
            names[g] = theme_name(phrases[members[0]]) or "Other"
            continue
        centre = (centres[members] * sizes[members, None]).sum(axis=0)
        centre /= np.linalg.norm(centre) or 1.0
        shared = np.array([sum(p in phrases[i] for i in members) for p in candidates])
        closeness = np.stack([phrase_vectors[p] for p in candidates]) @ centre
        score = np.round(closeness, 6) + 0.01 * shared
        names[g] = theme_name([candidates[int(np.argmax(score))]])
    return names


def add_levels(
    table: pd.DataFrame,
    vectors: np.ndarray,
    texts: list[str],
    labels: np.ndarray,
    embedder: Embedder,
) -> pd.DataFrame:
    """The themes table with each theme's key `phrases`, its group (`parent_id`) and the
    group's name (`group_label`); `labels` gives each unit's theme (NOISE for none) and
    `embedder` embeds the candidate phrases."""
    if table.empty:
        return table.assign(phrases=[], parent_id=[], group_label=[])
    phrases, phrase_vectors = theme_phrases(texts, labels, vectors, embedder)
    cents = centroids(vectors, labels).as_dict()
    ids = table["theme_id"].tolist()
    centres = np.stack([cents[t] for t in ids])
    sizes = table["size"].to_numpy()
    groups = group_themes(centres, sizes)
    leaf_phrases = [phrases.get(t, []) for t in ids]
    names = group_names(groups, leaf_phrases, phrase_vectors, centres, sizes)
    return table.assign(
        phrases=leaf_phrases, parent_id=groups, group_label=[names[g] for g in groups]
    )
