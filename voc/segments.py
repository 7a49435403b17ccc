"""Segments of people that hold: each respondent is described by what they said, segments come
from a consensus of many resampled fits rather than from one draw, and every segment reports
how reliably it comes back.

The rule, in full:

1. **What a person said.** Each answer counts, split softly, towards its nearest themes and
   its nearest fine clusters of answers (spectral clustering of the answers' neighbour graph,
   about 2.5·√answers of them, the same whatever the seed). An answer on the border of two
   themes counts partly to both instead of flipping between them, and the fine clusters keep
   two jobs apart when a run's themes happen to merge them: segments depend less on the exact
   themes of one run. An answer that fits no theme still counts through its fine clusters.
2. **Many fits, not one.** For each candidate k, `RESAMPLES` draws each fit a mixture of k
   answer profiles plus one background profile of what everybody says (`SHARED` of every
   answer is expected to come from it, so themes all groups mention cannot make a group) to a
   random `SAMPLE_SHARE` of the respondents, and place everyone in the group their own answers
   favour most (segment sizes play no part in placement).
3. **Consensus.** How often two people land together across the draws (co-association) is cut
   into k segments by average linkage on 1 − co-association; a split counts only when both
   sides hold at least `config.min_segment_respondents` people. Each person then joins the
   segment whose members they land with most often.
4. **k.** A segment's stability is its mean best Jaccard overlap with the groups of each draw
   (Hennig's clusterwise stability; 0.75 or more means it holds). The number of segments is
   the largest k in [`config.min_segments`, `config.max_segments`] whose every segment holds
   and has at least `config.min_segment_respondents` people; if none does, the k whose weakest
   segment is most stable, read as tendencies. `config.segments` fixes k instead.
5. **Who stays out.** Only clear cases; they keep their row, with a reason. A person whose
   answers what everybody says explains at least 1.25 times better than any group's profile
   does (likelihood ratio under `EVIDENCE` = 0.8, averaged over the draws): they said only what
   every segment says ("Great product", a support complaint). And a person who lands with
   their own segment's members in fewer than half of the draws (`FLIP`): their placement
   flips between two segments.

Every random choice is seeded (config.seed; the fine clusters by a fixed seed), unit vectors
and graph distances are rounded before clustering and the consensus counts are integers, so
one machine gives the same segments every time and another CPU's last bits move at most a
borderline person."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from voc.config import Config
from voc.tables import NOISE, is_voice

UNASSIGNED = -1
RESAMPLES = 30  # draws per candidate k
SAMPLE_SHARE = 0.8  # share of respondents each draw is fitted on...
MAX_FIT = 2500  # ...of at most this many: enough to learn k profiles; everyone is placed
STARTS = 3  # random starts per draw; the most likely fit is kept
EM_ROUNDS = 50
SHARED = 0.3  # share of every answer expected to come from what everybody says
PRIOR = 0.1  # pseudo-count per answer kind, so an unseen kind is unlikely, not impossible
HOLDS = 0.75  # Jaccard stability at which a segment holds (Hennig 2007)
FLIP = 0.5  # lands with their own segment in fewer than half of the draws: unassigned
EVIDENCE = 0.8  # best group explains their answers < 0.8× as well as everybody: out
NEAREST = 3  # themes and fine clusters each answer counts towards
THEME_SHARE = 0.3  # of each answer's weight on themes; the rest on fine clusters
TEMPERATURE = 0.05  # cosine gap at which an answer's weight falls by e: borders share
FINE_SEED = 0  # the fine clusters are part of the data's description, not of the draws
FINE_SAMPLE = 2000  # answers the fine clusters are found on; every answer joins the nearest
MAX_CUT = 2000  # respondents in the co-association matrix; the rest join by the same rule
ROUND = 6  # decimals kept of unit vectors: another CPU's last bits do not count


@dataclass
class SegmentResult:
    """Respondent → segment, the matrix it came from, how the number was chosen, and how
    reliably each segment and each person's place in it came back across the draws."""

    assignment: pd.Series  # segment id per respondent_id, UNASSIGNED when in no segment
    matrix: pd.DataFrame  # respondents who said something × themes, share of their themed units
    features: np.ndarray  # answer profiles in meaning space, one row per row of matrix
    selection: pd.DataFrame  # k, stability, smallest, silhouette, chosen
    k: int
    # how often the person lands with their segment's members across the draws (0–1), per
    # respondent_id in matrix
    confidence: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    # why a person in matrix is in no segment, per respondent_id (only those)
    reasons: pd.Series = field(default_factory=lambda: pd.Series(dtype=str))
    stability: dict[int, float] = field(default_factory=dict)  # segment id → 0–1
    note: str = ""  # why this many segments, in a sentence a reader can follow


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
    x = np.asarray(vectors, dtype=np.float64)
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    return np.round(x, ROUND)


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
    centres = np.stack([on[labels == g].mean(axis=0) for g in np.unique(labels)])
    return centres / np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)


@dataclass
class Profiles:
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
) -> Profiles:
    """Respondents × answer kinds. Each answer adds its weight (`count`), THEME_SHARE of it
    over its nearest themes (when it has a theme) and the rest over its nearest fine clusters;
    `extra` (attributes) is appended as is. `units` holds the answers to count and only them."""
    x = unit_vectors(vectors)
    themed = (units["theme_id"] != NOISE).to_numpy()
    weight = units["count"].to_numpy(dtype=float) if "count" in units else np.ones(len(units))
    labels = units["theme_id"].to_numpy()
    themes = np.stack([x[labels == t].mean(axis=0) for t in np.unique(labels[themed])])
    themes /= np.maximum(np.linalg.norm(themes, axis=1, keepdims=True), 1e-12)
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
    return Profiles(np.hstack(blocks), np.vstack([themes, fine]))


def attribute_tokens(respondents: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """One-hot categorical attributes, all of them together weighing as much as one answer."""
    columns = attribute_columns(respondents)
    if not columns:
        return pd.DataFrame(index=index)
    frame = respondents.set_index("respondent_id").reindex(index)[columns].astype("string")
    dummies = pd.get_dummies(frame.fillna("unknown").replace("", "unknown"), dtype=float)
    return dummies / len(columns)


def fit_mixture(
    counts: np.ndarray, k: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """EM for a mixture of k answer profiles plus a shared background profile (each answer is
    expected to come half from its group, half from what everybody says, so themes all groups
    mention cannot make a group of their own). Returns log P(answer kind | group) with the
    background mixed in (k × kinds), from the most likely of STARTS random starts (run side by
    side: the leading axis of every array is the start)."""
    overall = counts.sum(axis=0) + PRIOR
    resp = rng.dirichlet(np.ones(k), size=(STARTS, counts.shape[0]))  # starts × n × k
    profile = np.swapaxes(counts.T @ resp, 1, 2) + PRIOR  # starts × k × kinds
    profile /= profile.sum(axis=2, keepdims=True)
    background = np.tile(overall / overall.sum(), (STARTS, 1))  # starts × kinds
    for _ in range(EM_ROUNDS):
        expected = np.swapaxes(counts.T @ resp, 1, 2)  # by group, expected counts per kind
        own = (1 - SHARED) * profile
        mine = own / (own + SHARED * background[:, None, :])  # share from the group itself
        profile = expected * mine + PRIOR
        profile /= profile.sum(axis=2, keepdims=True)
        background = (expected * (1 - mine)).sum(axis=1) + PRIOR
        background /= background.sum(axis=1, keepdims=True)
        log_mix = np.log((1 - SHARED) * profile + SHARED * background[:, None, :])
        loglik = counts @ np.swapaxes(log_mix, 1, 2) + np.log(resp.mean(axis=1) + 1e-12)[:, None]
        top = loglik.max(axis=2, keepdims=True)
        new = np.exp(loglik - top)
        total = new.sum(axis=2, keepdims=True)
        new /= total
        change = float(np.abs(new - resp).max())
        resp = new
        if change < 1e-4:
            break
    score = (np.log(total[..., 0]) + top[..., 0]).sum(axis=1)
    best = int(np.argmax(score))
    return log_mix[best], np.log(background[best])


def draws(counts: np.ndarray, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """RESAMPLES fits on random subsets (SAMPLE_SHARE of the respondents, of at most MAX_FIT
    of them). Per draw, every respondent's group: the one their own answers favour (equal
    group sizes assumed, so size does not decide), and how much better that group's profile
    explains their answers than the background does (log likelihood ratio). Returns both,
    draws × respondents."""
    n = counts.shape[0]
    rng = np.random.default_rng([seed, k])
    labels = np.empty((RESAMPLES, n), dtype=np.int32)
    evidence = np.empty((RESAMPLES, n))
    size = max(k, round(SAMPLE_SHARE * min(n, MAX_FIT)))
    for r in range(RESAMPLES):
        pick = np.sort(rng.choice(n, size=size, replace=False))
        log_mix, log_background = fit_mixture(counts[pick], k, rng)
        labels[r] = (counts @ log_mix.T).argmax(axis=1)
        evidence[r] = (counts @ (log_mix - log_background).T).max(axis=1)
    return labels, evidence


def co_association(labels: np.ndarray) -> np.ndarray:
    """How many draws put each pair of respondents in the same group (integers: exact)."""
    together = np.zeros((labels.shape[1], labels.shape[1]), dtype=np.int32)
    for row in labels:
        together += row[:, None] == row[None, :]
    return together


def consensus_cut(together: np.ndarray, draws_n: int, k: int, min_size: int) -> np.ndarray:
    """Average linkage on 1 − co-association, split from the top into at most k groups. A
    split counts only when both sides hold min_size people: crumbs hanging off a branch stay
    with the side they are closest to (mean co-association) instead of becoming a segment."""
    from scipy.cluster.hierarchy import linkage, to_tree
    from scipy.spatial.distance import squareform

    distance = 1.0 - together / draws_n
    np.fill_diagonal(distance, 0.0)
    root = to_tree(linkage(squareform(distance, checks=False), method="average"))

    def real_split(node):  # descend past crumbs to the first split of two large sides
        while not node.is_leaf():
            left, right = node.get_left(), node.get_right()
            if left.count >= min_size and right.count >= min_size:
                return node
            node = left if left.count >= right.count else right
        return None

    groups = [(root, np.array(root.pre_order()))]
    while len(groups) < k:
        options = [(real_split(node), i) for i, (node, _) in enumerate(groups)]
        options = [(node, i) for node, i in options if node is not None]
        if not options:
            break
        node, i = max(options, key=lambda o: o[0].dist)
        members = groups.pop(i)[1]
        left = np.array(node.get_left().pre_order())
        right = np.array(node.get_right().pre_order())
        crumbs = np.setdiff1d(members, np.concatenate([left, right]))
        if crumbs.size:
            to_left = together[np.ix_(crumbs, left)].mean(1) >= together[
                np.ix_(crumbs, right)
            ].mean(1)
            left = np.concatenate([left, crumbs[to_left]])
            right = np.concatenate([right, crumbs[~to_left]])
        groups += [(node.get_left(), left), (node.get_right(), right)]
    cut = np.empty(len(together), dtype=int)
    for g, (_, members) in enumerate(groups):
        cut[members] = g
    return cut


def landing(labels: np.ndarray, segment: np.ndarray, anchors: np.ndarray, k: int) -> np.ndarray:
    """Respondents × segments: the mean share of a segment's members (anchors, the person
    excluded) that land in the person's group across the draws."""
    n = labels.shape[1]
    size = np.bincount(segment[anchors], minlength=k).astype(float)
    share = np.zeros((n, k))
    own = np.full(n, -1)
    own[anchors] = segment[anchors]
    for row in labels:
        groups = int(row.max()) + 1
        table = np.zeros((groups, k))
        np.add.at(table, (row[anchors], segment[anchors]), 1.0)
        hits = table[row]  # n × k: members of each segment in the person's group
        hits[own >= 0, own[own >= 0]] -= 1.0  # not counting the person themself
        denom = size[None, :] - (np.arange(k)[None, :] == own[:, None])
        share += hits / np.maximum(denom, 1.0)
    return share / len(labels)


def jaccard_stability(labels: np.ndarray, segment: np.ndarray, k: int) -> np.ndarray:
    """Per segment, the mean over draws of its best Jaccard overlap with one of the draw's
    groups (segment = UNASSIGNED rows are left out)."""
    keep = segment >= 0
    scores = np.zeros(k)
    size = np.bincount(segment[keep], minlength=k).astype(float)
    for row in labels:
        groups = int(row.max()) + 1
        table = np.zeros((groups, k))
        np.add.at(table, (row[keep], segment[keep]), 1.0)
        group_size = np.bincount(row[keep], minlength=groups).astype(float)
        union = group_size[:, None] + size[None, :] - table
        scores += (table / np.maximum(union, 1.0)).max(axis=0)
    return scores / len(labels)


@dataclass
class Candidate:
    """One k's consensus: each draw's groups, the segments, and how well they hold."""

    k: int  # groups in each draw, the number of segments asked for
    labels: np.ndarray  # draws × respondents: group in each draw
    evidence: np.ndarray  # draws × respondents: log LR of their best group vs background
    segment: np.ndarray  # consensus segment per respondent (0..k-1 when all k formed)
    landing: np.ndarray  # respondents × segments: share of members landing with them
    stability: np.ndarray  # per segment, mean best Jaccard overlap with a draw's group

    def sizes(self) -> np.ndarray:
        return np.bincount(self.segment, minlength=len(self.stability))

    def sound(self, min_size: int) -> bool:
        """All k segments formed, none under the minimum size."""
        sizes = self.sizes()
        return len(sizes) == self.k and int(sizes.min()) >= min_size


def consensus(counts: np.ndarray, k: int, seed: int, min_size: int) -> Candidate:
    """Draws for k, the co-association cut, and everyone joined to the segment whose members
    they land with most often."""
    n = counts.shape[0]
    labels, evidence = draws(counts, k, seed)
    rng = np.random.default_rng([seed, k, 1])
    anchors = np.arange(n) if n <= MAX_CUT else np.sort(rng.choice(n, MAX_CUT, replace=False))
    cut = consensus_cut(co_association(labels[:, anchors]), len(labels), k, min_size)
    segment = np.full(n, -1)
    segment[anchors] = cut
    land = landing(labels, segment, anchors, int(cut.max()) + 1)
    segment = np.unique(land.argmax(axis=1), return_inverse=True)[1]  # drop emptied ones
    groups = int(segment.max()) + 1
    land = landing(labels, segment, np.arange(n), groups)
    return Candidate(k, labels, evidence, segment, land, jaccard_stability(labels, segment, groups))


def choose(candidates: list[Candidate], min_size: int) -> Candidate:
    """The largest k whose every segment holds (Jaccard ≥ HOLDS) and is large enough; else the
    k whose weakest segment is most stable (the smallest k on a tie)."""
    sound = [c for c in candidates if c.sound(min_size)]
    holding = [c for c in sound if c.stability.min() >= HOLDS]
    if holding:
        return max(holding, key=lambda c: c.k)
    pool = sound or candidates
    return max(pool, key=lambda c: (round(float(c.stability.min()), 3), -c.k))


def silhouette(x: np.ndarray, segment: np.ndarray, seed: int) -> float:
    """Silhouette of the segments on the clustered features, for the record (not the rule)."""
    from sklearn.metrics import silhouette_score

    if len(set(segment.tolist())) < 2 or len(x) < 3:
        return float("nan")
    sample = min(len(x), 2000)
    return float(silhouette_score(x, segment, sample_size=sample, random_state=seed))


def one_segment(
    matrix: pd.DataFrame, everyone: pd.Series, features: np.ndarray, note: str, k: int = 1
) -> SegmentResult:
    """Everyone in matrix in segment 0 (k=1), or in none (k=0: too few for a
    segment of the minimum size, each of them with the note as reason)."""
    ids = matrix.index
    assignment = pd.Series(0 if k else UNASSIGNED, index=ids, name="segment_id", dtype=int)
    selection = pd.DataFrame(
        [
            {
                "k": k,
                "stability": 1.0 if k else float("nan"),
                "smallest": len(ids) if k else 0,
                "silhouette": float("nan"),
                "chosen": True,
            }
        ]
    )
    return SegmentResult(
        assignment.reindex(everyone).fillna(UNASSIGNED).astype(int),
        matrix,
        features,
        selection,
        k,
        pd.Series(1.0 if k else float("nan"), index=ids, name="segment_confidence"),
        pd.Series(note if not k else None, index=ids if not k else [], dtype=str),
        {0: 1.0} if k else {},
        note,
    )


def candidate_ks(n: int, config: Config, min_size: int) -> list[int]:
    """The numbers of segments to try: config.segments, else min_segments..max_segments; in
    both cases only as many as n respondents fill with min_size each."""
    most = n // min_size
    if config.segments:
        return [min(config.segments, most)] if min(config.segments, most) >= 2 else []
    return list(range(max(2, config.min_segments), min(config.max_segments, most) + 1))


def find_segments(
    units: pd.DataFrame,
    respondents: pd.DataFrame,
    vectors: np.ndarray,
    config: Config,
    hidden: Collection[int] = (),
) -> SegmentResult:
    """Segments from a consensus of resampled mixture fits; see the module docstring for the
    rule. Counted: every answer that is customer voice (not a non-answer) and not in a hidden
    theme; an answer with no theme counts through its fine clusters. Never a segment under
    config.min_segment_respondents: too few people for several segments give one, too few for
    one give none, with a note saying why."""
    keep = (is_voice(units) & ~units["theme_id"].isin(list(hidden))).to_numpy()
    counted, vectors = units[keep].reset_index(drop=True), np.asarray(vectors)[keep]
    spoke = pd.Index(sorted(counted["respondent_id"].unique()))
    matrix = theme_matrix(counted).reindex(spoke).fillna(0.0)
    everyone = respondents["respondent_id"]
    n = len(matrix)
    min_size = max(1, config.min_segment_respondents)
    if n == 0:
        return one_segment(matrix, everyone, np.zeros((0, 0)), NOTHING_SAID, k=0)
    if matrix.shape[1] == 0:
        return one_segment(matrix, everyone, np.zeros((n, 0)), NO_THEMES, k=0)
    if n < min_size:
        note = f"{n} respondents with answers: too few for a segment of at least {min_size}."
        return one_segment(matrix, everyone, np.zeros((n, 0)), note, k=0)
    extra = attribute_tokens(respondents, matrix.index) if config.use_attributes else None
    profiles = answer_profiles(counted, vectors, matrix.index, extra)
    counts, features = profiles.counts, profiles.features()
    if config.segments == 1:
        return one_segment(matrix, everyone, features, "One segment, as configured.")
    ks = candidate_ks(n, config, min_size)
    if not ks:
        fewest = config.segments or max(2, config.min_segments)
        note = (
            f"{n} respondents with answers: too few for {fewest} segments of at least "
            f"{min_size}, so they form one segment."
        )
        return one_segment(matrix, everyone, features, note)
    candidates = [consensus(counts, k, config.seed, min_size) for k in ks]
    best = candidates[0] if config.segments else choose(candidates, min_size)
    selection = pd.DataFrame(
        [
            {
                "k": c.k,
                "stability": round(float(c.stability.min()), 3),
                "smallest": int(c.sizes().min()),
                "silhouette": round(silhouette(features, c.segment, config.seed), 3),
                "chosen": c is best,
            }
            for c in candidates
        ]
    )
    segment, confidence, vague, flips = place(best, min_size)
    if len(set(segment[segment >= 0].tolist())) <= 1:  # one group left: it is everyone's
        note = explain(best, candidates, config, 1, min_size)
        result = one_segment(matrix, everyone, features, note)
        result.selection = selection
        return result
    kept = segment[segment >= 0]
    mapping = dict(zip(kept.tolist(), renumber_by_size(kept).tolist(), strict=True))
    final = np.array([mapping.get(s, UNASSIGNED) for s in segment])
    k = len(set(mapping.values()))
    held = jaccard_stability(best.labels, final, k)
    ids = matrix.index
    reasons = {ids[i]: SHARED_ONLY for i in vague}
    for i, (a, b, mine, theirs) in flips.items():
        one, other = (
            f"segment {mapping[x]}" if x in mapping else "a dissolved one" for x in (a, b)
        )
        reasons[ids[i]] = (
            f"placement flips between {one} and {other} (lands with the first in {mine:.0%} "
            f"of resamples, with the second in {theirs:.0%})"
        )
    note = explain(best, candidates, config, k, min_size) + (
        f" {len(reasons)} of {n} respondents with answers fit no segment clearly."
        if reasons
        else ""
    )
    return SegmentResult(
        pd.Series(final, index=ids, name="segment_id")
        .reindex(everyone)
        .fillna(UNASSIGNED)
        .astype(int),
        matrix,
        features,
        selection,
        k,
        pd.Series(confidence.round(3), index=ids, name="segment_confidence"),
        pd.Series(reasons, dtype=str),
        {s: round(float(held[s]), 3) for s in range(k)},
        note,
    )


SHARED_ONLY = "says only what every segment says: no segment fits their answers better"
NOTHING_SAID = "No respondent said anything to segment on."
NO_THEMES = "No answer fits a theme: there is nothing to segment on."


def place(
    best: Candidate, min_size: int
) -> tuple[np.ndarray, np.ndarray, list[int], dict[int, tuple[int, int, float, float]]]:
    """Segment per respondent with the clear cases left out (UNASSIGNED), and confidence (the
    share of their segment's members they land with, over the draws). Also who is out for
    saying only what everyone says, and who for flipping: row → (own segment, the other one,
    the two shares). A segment the leaving-out takes under min_size is dissolved into the
    segments its members land with next most often."""
    segment = best.segment.copy()
    groups = best.landing.shape[1]
    confidence = best.landing[np.arange(len(segment)), segment]
    vague = best.evidence.mean(axis=0) < np.log(EVIDENCE)
    flipping = (confidence < FLIP) & ~vague
    flips = {}
    for i in np.flatnonzero(flipping):
        others = best.landing[i].copy()
        others[segment[i]] = -1.0
        other = int(others.argmax())
        flips[int(i)] = (int(segment[i]), other, float(confidence[i]), float(others[other]))
    segment[vague | flipping] = UNASSIGNED
    while True:
        sizes = np.bincount(segment[segment >= 0], minlength=groups)
        small = np.flatnonzero((sizes > 0) & (sizes < min_size))
        if not small.size or (sizes > 0).sum() <= 1:
            break
        land = best.landing.copy()
        land[:, (sizes == 0) | (np.arange(groups) == small[0])] = -1.0
        members = np.flatnonzero(segment == small[0])
        segment[members] = land[members].argmax(axis=1)
        confidence[members] = land[members, segment[members]]
    return segment, confidence, np.flatnonzero(vague).tolist(), flips


def explain(
    best: Candidate, candidates: list[Candidate], config: Config, k: int, min_size: int
) -> str:
    """Why this many segments, in a sentence or two."""
    weakest = float(best.stability.min())
    if config.segments:
        text = f"{k} segment{'s' if k != 1 else ''} as configured"
        if k < config.segments:
            text += f" ({config.segments} asked; each needs at least {min_size} respondents)"
        return text + f"; the least stable comes back in {weakest:.0%} of {RESAMPLES} resamples."
    tried = ", ".join(f"{c.k}: {float(c.stability.min()):.2f}" for c in candidates)
    if k == 1:
        return (
            "One segment: no number of segments tried gives segments that all hold (weakest "
            f"segment for each number tried: {tried}), so everyone is in one."
        )
    if best.sound(min_size) and weakest >= HOLDS:
        return (
            f"{k} segments: the most whose every segment holds (Jaccard stability at least "
            f"{HOLDS} over {RESAMPLES} resamples) with at least {min_size} respondents each "
            f"(weakest segment for each number tried: {tried})."
        )
    return (
        f"{k} segment{'s' if k != 1 else ''}, though no number tried gives segments that all "
        f"hold (weakest segment for each number tried: {tried}): read them as tendencies."
    )


def renumber_by_size(labels: np.ndarray) -> np.ndarray:
    """Segment 0 is the largest, so ids read in order of importance."""
    ids, counts = np.unique(labels, return_counts=True)
    order = [i for _, i in sorted(zip(-counts, ids, strict=True))]
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping[v] for v in labels])


def lift_table(matrix: pd.DataFrame, assignment: pd.Series) -> pd.DataFrame:
    """Segments × themes: share of members who mention each theme over the share among
    everyone else. Lift 2 = twice as common in the segment as outside it."""
    mentions = (matrix > 0).astype(float)
    seg = assignment.reindex(mentions.index)
    rows = {}
    for s in sorted(seg.unique()):
        inside = mentions[seg == s].mean()
        outside = mentions[seg != s].mean()
        rows[s] = (inside + 0.01) / (outside + 0.01)
    return pd.DataFrame(rows).T


def mention_shares(matrix: pd.DataFrame, assignment: pd.Series) -> pd.DataFrame:
    """Segments × themes: share of the segment's members who mention each theme."""
    mentions = (matrix > 0).astype(float)
    return mentions.groupby(assignment.reindex(mentions.index)).mean()


REVENUE_COLUMNS = ("arr", "mrr", "revenue", "acv", "annual_revenue", "contract_value", "ltv")
SKIP_ATTRIBUTES = {"respondent_id", "kinds", "n_units", "segment_id", "segment"}


def revenue_column(respondents: pd.DataFrame) -> str | None:
    """The first column that holds account value, if the corpus has one."""
    for col in respondents.columns:
        if col.lower() in REVENUE_COLUMNS:
            values = pd.to_numeric(respondents[col], errors="coerce")
            if values.notna().mean() >= 0.5:
                return col
    return None


def attribute_columns(respondents: pd.DataFrame) -> list[str]:
    """Categorical attribute columns worth describing: 2 to 30 distinct values."""
    revenue = revenue_column(respondents)
    cols = []
    for col in respondents.columns:
        if col in SKIP_ATTRIBUTES or col == revenue:
            continue
        distinct = respondents[col].replace("", pd.NA).dropna().nunique()
        if 2 <= distinct <= 30:
            cols.append(col)
    return cols


def makeup(values: pd.Series, everyone: pd.Series, top: int = 3) -> list[dict]:
    """Most common values of one attribute in a segment, with share and lift over everyone.
    Shares are of all members, a missing value included: an attribute known for 3 of 500
    members must not read as "100% have it"."""
    if values.empty:
        return []
    base = everyone.replace("", pd.NA).dropna().value_counts() / max(len(everyone), 1)
    known = values.replace("", pd.NA).dropna()
    shares = (known.value_counts() / len(values)).head(top)
    return [
        {"value": str(v), "share": round(float(s), 3), "lift": round(float(s / base[v]), 2)}
        for v, s in shares.items()
    ]


def describe(units: pd.DataFrame, respondents: pd.DataFrame, result: SegmentResult) -> pd.DataFrame:
    """One row per segment with measured facts only: size, NPS mix, revenue, attribute
    make-up, the themes that set it apart (lift) and stability (how reliably the segment comes
    back across resamples, 0–1; NaN for a segment made by an edit, e.g. a merge)."""
    from voc.tables import nps

    people = respondents.assign(
        segment_id=result.assignment.reindex(respondents["respondent_id"]).to_numpy()
    )
    scores = units.groupby("respondent_id")["score"].mean()
    people["score"] = people["respondent_id"].map(scores)
    revenue = revenue_column(respondents)
    attrs = attribute_columns(respondents)
    lifts = lift_table(result.matrix, result.assignment)
    shares = mention_shares(result.matrix, result.assignment)
    assigned = people[people["segment_id"] != UNASSIGNED]
    total_value = pd.to_numeric(assigned[revenue], errors="coerce").sum() if revenue else 0.0
    rows = []
    for seg, members in assigned.groupby("segment_id"):
        score = members["score"].dropna()
        themes = [
            {
                "theme_id": int(t),
                "lift": round(float(lifts.loc[seg, t]), 2),
                "mention_share": round(float(shares.loc[seg, t]), 3),
            }
            for t in lifts.loc[seg].sort_values(ascending=False).index
            if shares.loc[seg, t] > 0
        ]
        value = pd.to_numeric(members[revenue], errors="coerce").sum() if revenue else float("nan")
        rows.append(
            {
                "segment_id": int(seg),
                "size": len(members),
                "share": round(len(members) / len(assigned), 4),
                "stability": float(result.stability.get(int(seg), float("nan"))),
                "nps": nps(score),
                "n_scored": int(score.size),
                "promoters": round(float((score >= 9).mean()), 3) if score.size else float("nan"),
                "detractors": round(float((score <= 6).mean()), 3) if score.size else float("nan"),
                "revenue": float(value),
                "revenue_share": float(value / total_value)
                if revenue and total_value
                else float("nan"),
                "attributes": {a: makeup(members[a], assigned[a]) for a in attrs},
                "themes": themes,
            }
        )
    return pd.DataFrame(rows)
