"""Themes: UMAP then HDBSCAN over unit embeddings, with an explicit noise policy, merged
near-duplicates, c-TF-IDF keywords, diverse representative quotes and resampled stability.

The grain of the themes is read from the data, not from the corpus size. HDBSCAN's tree is
cut (excess of mass) with every minimum theme size of a √2 ladder from 5 units up, and each
cut is scored by its separation on the map (silhouette) times its modularity on the units'
10-nearest-neighbour graph in embedding space: separation alone rewards crumbs, modularity
alone rewards lumps. The smallest size scoring within 2% of the best is kept, or a smaller
local peak within 6% of it (a reviewer can merge two themes, but cannot see one lumped into
another). `min_theme_size` in the configuration overrides the choice. Scores are rounded, and
the neighbour graph is computed in float64 and rounded (`knn`), so one seed gives one result
whatever the BLAS threading."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from voc.config import Config
from voc.ingest.redact import CARD, EMAIL, IBAN, NAME, PHONE, SECRET
from voc.tables import NOISE
from voc.text import meaningful

QUOTES_PER_THEME = 6
KEYWORDS_PER_THEME = 8


@dataclass
class ThemeResult:
    """What the themes stage produces, before labels."""

    assignment: np.ndarray  # theme id per unit, NOISE for unclustered
    coords: np.ndarray  # 2-D map position per unit
    themes: pd.DataFrame  # theme_id, size, respondents, share, keywords, quote_ids, stability
    params: dict[str, object]  # the scaled parameters actually used
    similarity: np.ndarray  # cosine of each unit to its theme's centre, NaN for unclustered


# UMAP's neighbourhood: its default, and the graph the granularity rule scores partitions on.
NEIGHBOURS = 15
# Candidate minimum theme sizes, each √2 × the last: the grain is picked among them (see
# `choose_min_size`). 5 is the smallest group of answers a person would call a theme.
MIN_SIZES = tuple(round(5 * 2 ** (i / 2)) for i in range(14))  # 5, 7, 10, 14, 20 … 453
MIN_SAMPLES = 5  # HDBSCAN's density estimate: small and fixed, so few units are left out
GRAPH_NEIGHBOURS = 10  # neighbours per unit in the graph modularity is measured on
SCORE_TOLERANCE = 0.02  # scores this close to the best count as equally good
PEAK_TOLERANCE = 0.06  # a finer local peak this close to the best is the data's grain too
SILHOUETTE_SAMPLE = 3000  # units the silhouette is measured on: enough, and fast at any size
VOTERS = 10  # fitted units whose themes decide the theme of a unit past the fitted sample


def scaled_params(n: int, config: Config) -> dict[str, int]:
    """UMAP/HDBSCAN settings; `min_cluster_size` is the explicit `min_theme_size` or 0 (chosen
    from the data once the map exists, see `choose_min_size`)."""
    min_size = config.min_theme_size or 0
    return {
        "n_neighbors": max(2, min(NEIGHBOURS, n - 1)),
        "n_components": 5,
        "min_cluster_size": min_size,
        "min_samples": min(MIN_SAMPLES, min_size or MIN_SAMPLES),
    }


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


def map_distances(reduced: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A seeded sample of at most `SILHOUETTE_SAMPLE` units and their distances on the map:
    computed once, then every candidate grain is scored on the same units."""
    from sklearn.metrics import pairwise_distances

    n = len(reduced)
    sample = np.sort(np.random.default_rng(seed).permutation(n)[:SILHOUETTE_SAMPLE])
    return sample, pairwise_distances(reduced[sample])


def separation(distances: np.ndarray, labels: np.ndarray) -> float:
    """Silhouette of the clustered units among `distances` (see `map_distances`): how clearly
    each theme stands apart from its nearest neighbour on the map."""
    from sklearn.metrics import silhouette_score

    themed = np.flatnonzero(labels != NOISE)
    if not 2 <= len(set(labels[themed].tolist())) < len(themed):
        return 0.0
    sub = distances[np.ix_(themed, themed)]
    return float(silhouette_score(sub, labels[themed], metric="precomputed"))


def choose_min_size(
    reduced: np.ndarray, neighbours: np.ndarray, seed: int
) -> tuple[int, np.ndarray, dict[int, float]]:
    """The theme grain, read from the data: HDBSCAN's tree is cut with each candidate minimum
    size (`MIN_SIZES`, excess-of-mass selection) and each result scored by separation on the
    map × modularity on the units' `GRAPH_NEIGHBOURS` nearest neighbours. Separation alone
    favours crumbs (every tight knot of near-identical answers stands apart), modularity alone
    favours lumps; their product peaks where themes are both distinct and whole. The smallest
    size scoring within `SCORE_TOLERANCE` of the best wins, or a smaller one where the scores
    peak within `PEAK_TOLERANCE` of the best: a reviewer merges two themes in one click but
    cannot see one that was lumped into another, and where the scores plateau over a wide range
    of sizes (a corpus of several domains), which bump of the plateau is highest flips with the
    last bits of the vectors (10 or 59 themes for one 10k corpus), while its first peak stays.
    Scores are rounded, so last-bit noise in the scores themselves cannot flip the choice."""
    tree = linkage_tree(reduced)
    sample, distances = map_distances(reduced, seed)
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


def centroids(vectors: np.ndarray, labels: np.ndarray) -> dict[int, np.ndarray]:
    """Normalised mean vector of each theme."""
    result = {}
    for t in sorted(set(labels.tolist()) - {NOISE}):
        c = vectors[labels == t].mean(axis=0)
        result[t] = c / (np.linalg.norm(c) or 1.0)
    return result


def merge_similar(vectors: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Merge themes whose centres are nearly the same direction: one job, two clusters."""
    labels = labels.copy()
    while True:
        cents = centroids(vectors, labels)
        ids = list(cents)
        if len(ids) < 2:
            return labels
        mat = np.stack([cents[i] for i in ids])
        sims = mat @ mat.T
        np.fill_diagonal(sims, -1)
        a, b = np.unravel_index(np.argmax(sims), sims.shape)
        if sims[a, b] < threshold:
            return labels
        labels[labels == ids[b]] = ids[a]


def reassign_noise(vectors: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Give an unclustered unit to the nearest theme only when it is close enough."""
    cents = centroids(vectors, labels)
    noise = np.flatnonzero(labels == NOISE)
    if not cents or noise.size == 0:
        return labels
    ids = np.array(list(cents))
    sims = vectors[noise] @ np.stack([cents[i] for i in ids]).T
    best = sims.argmax(axis=1)
    close = sims[np.arange(len(noise)), best] >= threshold
    labels = labels.copy()
    labels[noise[close]] = ids[best[close]]
    return labels


def renumber(labels: np.ndarray) -> np.ndarray:
    """Theme ids 0..k-1 by decreasing size (ties by first appearance), noise stays NOISE."""
    ids, counts = np.unique(labels[labels != NOISE], return_counts=True)
    order = sorted(zip(ids, counts, strict=True), key=lambda p: (-p[1], p[0]))
    mapping = {old: new for new, (old, _) in enumerate(order)}
    return np.array([mapping.get(x, NOISE) for x in labels], dtype=int)


# Words customers use everywhere that say nothing about the job itself.
FILLER = {
    "honestly",
    "really",
    "just",
    "like",
    "need",
    "needs",
    "want",
    "wants",
    "wanted",
    "would",
    "love",
    "get",
    "got",
    "also",
    "still",
    "make",
    "makes",
    "thing",
    "things",
    "lot",
    "bit",
    "pretty",
    "quite",
    "actually",
    "basically",
    "frankly",
    "fair",
    "right",
    "well",
    "able",
    "use",
    "using",
    "used",
    "every",
    "time",
    "us",
    "we",
    "im",
    "ive",
    "did",
    "does",
    "matters",
    "big",
    "one",
    "case",
    "talk",
    "week",
    "quarter",
    "good",
    "great",
    "yes",
    "ok",
}


# Words that turn a phrase around: out of the stop list so "not answer" survives as a bigram,
# but never shown alone, where they say nothing. "nothing" stays a stop word: in answers to
# "what could we improve?" it pairs with everything ("nothing perfect") and carries no topic.
NEGATORS = frozenset({"not", "no", "never", "nobody"})
# "couldn't", "cannot", "dont": split off the negation so it is a word the vectoriser keeps
# (otherwise "couldn't be better" becomes "couldn better").
NEGATED = re.compile(
    r"\b(?:(\w+)n['’]t|(do|does|did|is|are|was|were|has|have|had|could|would|should|ca|wo)nt"
    r"|(can)not)\b",
    re.IGNORECASE,
)
FULL_FORMS = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}
# Text that is not customer voice: voc's own redaction placeholders, masks such as the CFPB's
# XXXX and XX/XX/XXXX, and the tails of "you've", "we'll", "they're".
NOT_VOICE = re.compile(
    "|".join(re.escape(p) for p in (EMAIL, PHONE, CARD, IBAN, SECRET, NAME))
    + r"|\bx{2,}\b|['’](?:ve|ll|re)\b",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    """The text as the vectoriser should see it: negations as words, masks and placeholders
    gone, so neither "did answer" nor "xxxx" can become a keyword."""
    text = NOT_VOICE.sub(" ", text)
    return NEGATED.sub(lambda m: f"{full_form(next(g for g in m.groups() if g))} not", text)


def full_form(word: str) -> str:
    """'ca' of "can't" → 'can', 'wo' of "won't" → 'will' ('ai' of "ain't" is not AI)."""
    return FULL_FORMS.get(word.lower(), word)


def stem(word: str) -> str:
    """A crude stem, enough to see 'permission' and 'permissions' as one word."""
    return word[:5]


def shown(term: str) -> bool:
    """Whether a term can be a keyword: not a bare negator ('not') and not one word twice
    ('doing doing', left when stop words between them are removed)."""
    words = term.split()
    if set(words) <= NEGATORS:
        return False
    return len(words) == 1 or stem(words[0]) != stem(words[1])


def keywords(texts: list[str], labels: np.ndarray, top: int = KEYWORDS_PER_THEME) -> dict:
    """Class-based TF-IDF on coverage: a term scores when many of the theme's units use it
    and few units elsewhere do. Phrases used by a single unit are ignored."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    ids = sorted(set(labels.tolist()) - {NOISE})
    if not ids:
        return {}
    vec = CountVectorizer(
        stop_words=sorted((ENGLISH_STOP_WORDS - NEGATORS) | FILLER),
        ngram_range=(1, 2),
        min_df=2,
        binary=True,
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]+\b",
    )
    try:
        x = vec.fit_transform([normalise(meaningful(t)) for t in texts]).tocsr()
    except ValueError:  # nothing but stop words or one-off words
        return {i: [] for i in ids}
    words = vec.get_feature_names_out()
    visible = np.array([shown(str(w)) for w in words])
    overall = np.asarray(x.mean(axis=0)).ravel()
    result = {}
    for i in ids:
        inside = np.asarray(x[labels == i].mean(axis=0)).ravel()
        score = inside * np.log1p(inside / np.maximum(overall, 1e-9)) * visible
        order = [j for j in np.argsort(-score)[: top * 3] if score[j] > 0]
        result[i] = dedupe_terms([str(words[j]) for j in order])[:top]
    return result


def dedupe_terms(terms: list[str]) -> list[str]:
    """Drop a term already inside a higher-ranked one ('bank' after 'bank feeds', plurals)."""
    kept: list[str] = []
    for term in terms:
        stems = {stem(w) for w in term.split()}  # 'permission' ~ 'permissions'
        if not any(stems <= {stem(w) for w in k.split()} for k in kept):
            kept.append(term)
    return kept


def representative(
    vectors: np.ndarray, members: np.ndarray, k: int, diversity: float = 0.3
) -> list[int]:
    """Maximal marginal relevance: close to the theme's centre, unlike each other."""
    centre = vectors[members].mean(axis=0)
    centre /= np.linalg.norm(centre) or 1.0
    relevance = vectors[members] @ centre
    chosen: list[int] = []
    candidates = list(range(len(members)))
    while candidates and len(chosen) < k:
        if chosen:
            redundancy = (vectors[members[candidates]] @ vectors[members[chosen]].T).max(axis=1)
        else:
            redundancy = np.zeros(len(candidates))
        score = (1 - diversity) * relevance[candidates] - diversity * redundancy
        pick = candidates[int(np.argmax(score))]
        chosen.append(pick)
        candidates.remove(pick)
    return [int(members[c]) for c in chosen]


def stability(
    reduced: np.ndarray,
    labels: np.ndarray,
    params: dict[str, int],
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
        sub = cluster(reduced[sample], params["min_cluster_size"], params["min_samples"])
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


def find_themes(
    vectors: np.ndarray,
    texts: list[str],
    respondent_ids: list[str],
    config: Config,
    progress: Callable[[str], None] | None = None,
) -> ThemeResult:
    """Cluster unit vectors into themes and describe each one (past `config.fit_sample` units,
    on a sample: see `fit_on_sample`)."""
    say = progress or (lambda _msg: None)
    n = len(vectors)
    if n > config.fit_sample:
        return fit_on_sample(vectors, texts, respondent_ids, config, say)
    params: dict[str, object] = dict(scaled_params(n, config))
    if n < 2 * (config.min_theme_size or MIN_SIZES[0]):
        labels = np.zeros(n, dtype=int)
        reduced = vectors
        coords = np.zeros((n, 2), dtype=np.float32)
    else:
        graph = knn(vectors, params["n_neighbors"])
        say("reducing dimensions (UMAP)")
        reduced = reduce(vectors, params["n_components"], params["n_neighbors"], config.seed, graph)
        say("clustering (HDBSCAN)")
        if config.min_theme_size:
            labels = cluster(reduced, config.min_theme_size, params["min_samples"])
        else:
            size, labels, scores = choose_min_size(reduced, graph[0], config.seed)
            params |= {"min_cluster_size": size, "min_samples": min(MIN_SAMPLES, size)}
            params["min_size_scores"] = {str(k): v for k, v in scores.items()}
        labels = merge_similar(vectors, labels, config.merge_similarity)
        labels = reassign_noise(vectors, labels, config.noise_reassign_similarity)
        if (labels == NOISE).all():  # no dense region at all (a dozen answers): one theme
            labels = np.zeros(n, dtype=int)
        say("placing units on the 2-D map")
        coords = reduce(vectors, 2, params["n_neighbors"], config.seed, graph)
    labels = renumber(labels)
    say("measuring theme stability")
    stab = (
        stability(reduced, labels, params, config.stability_resamples, config.seed)
        if len(set(labels.tolist()) - {NOISE}) > 1
        else {0: 1.0}
    )
    return ThemeResult(
        labels,
        coords,
        describe(vectors, texts, respondent_ids, labels, stab),
        {**params, "n_units": n},
        similarity_to_centre(vectors, labels),
    )


def fit_on_sample(
    vectors: np.ndarray,
    texts: list[str],
    respondent_ids: list[str],
    config: Config,
    say: Callable[[str], None],
) -> ThemeResult:
    """Themes found on a seeded sample of `config.fit_sample` units; every other unit takes the
    theme its nearest fitted units vote for (`neighbour_vote`; one the vote leaves unclustered
    still joins the nearest theme under the noise rule) and sits on the map among its nearest
    fitted units of the same theme. Stability is the fitted sample's. Nothing is computed over
    all pairs of units, so time and memory grow linearly."""
    from voc.engine import engine_for
    from voc.update import nearest_theme, neighbour_positions, theme_centres

    n = len(vectors)
    sample = np.sort(np.random.default_rng(config.seed).choice(n, config.fit_sample, replace=False))
    rest = np.setdiff1d(np.arange(n), sample)
    fitted = find_themes(
        vectors[sample],
        [texts[i] for i in sample],
        [respondent_ids[i] for i in sample],
        config,
        say,
    )
    say(f"placing the other {len(rest):,} units in the themes of the {len(sample):,} fitted")
    labels = np.full(n, NOISE)
    labels[sample] = fitted.assignment
    labels[rest] = engine_for(config).place(
        neighbour_vote, vectors[rest], fitted=vectors[sample], labels=fitted.assignment
    )
    left = rest[labels[rest] == NOISE]
    centres = theme_centres(pd.DataFrame({"theme_id": fitted.assignment}), vectors[sample])
    labels[left] = nearest_theme(vectors[left], centres, config.noise_reassign_similarity)
    coords = np.zeros((n, 2), dtype=np.float32)
    coords[sample] = fitted.coords
    coords[rest] = neighbour_positions(
        vectors[rest], labels[rest], vectors[sample], fitted.assignment, fitted.coords
    )
    stab = dict(zip(fitted.themes["theme_id"], fitted.themes["stability"], strict=True))
    return ThemeResult(
        labels,
        coords,
        describe(vectors, texts, respondent_ids, labels, stab),
        {**fitted.params, "n_units": n, "fitted_on": len(sample)},
        similarity_to_centre(vectors, labels),
    )


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


def similarity_to_centre(vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """How typical each unit is of its theme: cosine to the theme's centre."""
    sims = np.full(len(labels), np.nan, dtype=np.float32)
    for t, c in centroids(vectors, labels).items():
        members = labels == t
        sims[members] = vectors[members] @ c
    return sims


def describe(
    vectors: np.ndarray,
    texts: list[str],
    respondent_ids: list[str],
    labels: np.ndarray,
    stab: dict[int, float],
) -> pd.DataFrame:
    """The themes table (without labels): size, reach, keywords, quotes, stability."""
    words = keywords(texts, labels)
    people = pd.Series(respondent_ids)
    total_people = max(people.nunique(), 1)
    rows = []
    for t in sorted(set(labels.tolist()) - {NOISE}):
        members = np.flatnonzero(labels == t)
        reach = people.iloc[members].nunique()
        rows.append(
            {
                "theme_id": t,
                "size": int(members.size),
                "respondents": int(reach),
                "share": reach / total_people,
                "keywords": words.get(t, []),
                "quote_idx": representative(vectors, members, QUOTES_PER_THEME),
                "stability": round(stab.get(t, 0.0), 3),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "theme_id",
            "size",
            "respondents",
            "share",
            "keywords",
            "quote_idx",
            "stability",
        ],
    )
