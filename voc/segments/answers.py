"""What each respondent said, as weights over answer kinds: their answers' nearest themes and
nearest fine clusters of answers (spectral clustering of the answers' neighbour graph, with a
fixed seed), so segments depend less on the exact themes of one run; attributes optionally
appended. Vectors are rounded first: another CPU's last bits do not count."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from voc.core.geometry import centroids, unit_rows
from voc.core.tables import NOISE
from voc.segments.facts import attribute_columns

NEAREST = 3  # themes and fine clusters each answer counts towards


THEME_SHARE = 0.3  # of each answer's weight on themes; the rest on fine clusters


TEMPERATURE = 0.05  # cosine gap at which an answer's weight falls by e: borders share


FINE_SEED = 0  # the fine clusters are part of the data's description, not of the draws


FINE_SAMPLE = 2000  # answers the fine clusters are found on; every answer joins the nearest


ROUND = 6  # decimals kept of unit vectors: another CPU's last bits do not count


def theme_matrix(units: pd.DataFrame) -> pd.DataFrame:
    """Share of each respondent's themed units per theme (rows sum to 1); weighted by how
    many identical answers a unit stands for."""
    themed = units[units["theme_id"] != NOISE]
    weights = themed["count"] if "count" in themed else pd.Series(1.0, index=themed.index)
    table = pd.crosstab(
        themed["respondent_id"], themed["theme_id"], values=weights, aggfunc="sum"
    ).fillna(0.0)
    return table.div(table.sum(axis=1), axis=0)


def unit_vectors(vectors: np.ndarray) -> np.ndarray:
    """Float64, unit length, rounded: the same answers give the same numbers on any CPU."""
    return np.round(unit_rows(np.asarray(vectors, dtype=np.float64)), ROUND)


def nearest(x: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each row, its NEAREST closest centres by cosine and softmax weights over them."""
    sims = x @ centres.T
    top = min(NEAREST, centres.shape[0])
    order = np.argsort(-sims, axis=1, kind="stable")[:, :top]
    picked = np.take_along_axis(sims, order, axis=1)
    weights = np.exp((picked - picked[:, :1]) / TEMPERATURE)
    return order, weights / weights.sum(axis=1, keepdims=True)


def fine_centres(x: np.ndarray) -> np.ndarray:
    """About 2.5·√answers fine clusters of the answers: spectral clustering of their 15-nearest-
    neighbour graph (found on at most FINE_SAMPLE of them, fixed seed), as unit-length centres.
    Answers are grouped by who their neighbours are, as themes are, but without UMAP's seeded
    layout: the same vocabulary whatever the run's seed."""
    from scipy.linalg import eigh
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import laplacian
    from sklearn.cluster import KMeans
    from sklearn.neighbors import NearestNeighbors

    rng = np.random.default_rng(FINE_SEED)
    on = x if len(x) <= FINE_SAMPLE else x[np.sort(rng.choice(len(x), FINE_SAMPLE, replace=False))]
    m = min(int(np.clip(round(2.5 * np.sqrt(len(x))), 2, 150)), len(np.unique(on, axis=0)))
    if m < 2 or len(on) <= m:
        return on[:1] if m < 2 else on
    near = min(15, len(on) - 1)
    dist, idx = (
        NearestNeighbors(n_neighbors=near + 1, metric="cosine", algorithm="brute")
        .fit(on)
        .kneighbors(on)
    )
    dist = np.round(dist[:, 1:], ROUND)  # as the themes' graph: last bits do not move an edge
    scale = max(float(np.median(dist)), 1e-6)
    rows = np.repeat(np.arange(len(on)), near)
    weights = np.exp(-dist / scale).ravel()
    graph = csr_matrix((weights, (rows, idx[:, 1:].ravel())), shape=(len(on), len(on)))
    graph = graph.maximum(graph.T)
    # The m smoothest directions of the graph after the constant one (spectral clustering).
    _, vectors = eigh(laplacian(graph, normed=True).toarray(), subset_by_index=[0, m])
    embedded = vectors[:, 1:]
    embedded /= np.maximum(np.linalg.norm(embedded, axis=1, keepdims=True), 1e-12)
    labels = KMeans(n_clusters=m, n_init=4, random_state=FINE_SEED).fit_predict(embedded)
    return centroids(on, labels).vectors


@dataclass
class AnswerProfiles:
    """What each respondent said, as weights over answer kinds (themes, fine clusters, then
    attribute values when they are used)."""

    counts: np.ndarray  # respondents × kinds
    centres: np.ndarray  # unit vectors of the theme and fine-cluster kinds, in column order

    def features(self) -> np.ndarray:
        """Each respondent's profile placed in meaning space (the weighted mean of the centres
        of what they said, unit length; attributes appended as weighted): what k-means would
        cluster and what the differentiable criterion compares."""
        said = self.counts[:, : len(self.centres)]
        mix = said @ self.centres
        mix /= np.maximum(np.linalg.norm(mix, axis=1, keepdims=True), 1e-12)
        return np.hstack([mix, self.counts[:, len(self.centres) :]])


def answer_profiles(
    units: pd.DataFrame, vectors: np.ndarray, index: pd.Index, extra: pd.DataFrame | None = None
) -> AnswerProfiles:
    """Respondents × answer kinds. Each answer adds its weight (`count`), THEME_SHARE of it
    over its nearest themes (when it has a theme) and the rest over its nearest fine clusters;
    `extra` (attributes) is appended as is. `units` holds the answers to count and only them."""
    x = unit_vectors(vectors)
    themed = (units["theme_id"] != NOISE).to_numpy()
    weight = units["count"].to_numpy(dtype=float) if "count" in units else np.ones(len(units))
    labels = units["theme_id"].to_numpy()
    themes = centroids(x, labels).vectors
    fine = fine_centres(x)
    every_answer = np.ones(len(units), dtype=bool)
    blocks = []
    for centres, share, counted in (
        (themes, THEME_SHARE, themed),
        (fine, 1 - THEME_SHARE, every_answer),
    ):
        rows = index.get_indexer(units.loc[counted, "respondent_id"])
        block = np.zeros((len(index), len(centres)))
        cols, w = nearest(x[counted], centres)
        np.add.at(block, (rows[:, None], cols), share * w * weight[counted, None])
        blocks.append(block)
    if extra is not None and not extra.empty:
        blocks.append(extra.reindex(index).fillna(0.0).to_numpy(dtype=float))
    return AnswerProfiles(np.hstack(blocks), np.vstack([themes, fine]))


def attribute_tokens(respondents: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """One-hot categorical attributes, all of them together weighing as much as one answer."""
    columns = attribute_columns(respondents)
    if not columns:
        return pd.DataFrame(index=index)
    frame = respondents.set_index("respondent_id").reindex(index)[columns].astype("string")
    dummies = pd.get_dummies(frame.fillna("unknown").replace("", "unknown"), dtype=float)
    return dummies / len(columns)
