"""The consensus behind segments: many mixture fits on resamples of the respondents, how often
two people land together cut into segments by average linkage, the number of segments by
clusterwise stability, and who is set aside because their placement is not clear. The rule in
full is in `voc.segments.find`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voc.core.tables import UNASSIGNED

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


MAX_CUT = 2000  # respondents in the co-association matrix; the rest join by the same rule


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
    cut_groups: int  # groups the co-association cut found, before people join where they land

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
    held = jaccard_stability(labels, segment, groups)
    return Candidate(k, labels, evidence, segment, land, held, int(cut.max()) + 1)


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


@dataclass
class Placement:
    """Each respondent's segment once the unclear cases are left out, and why they are."""

    segment: np.ndarray  # per respondent, UNASSIGNED when left out
    confidence: np.ndarray  # share of their segment's members they land with, over the draws
    vague: list[int]  # rows left out for saying only what everyone says
    flips: dict[int, tuple[int, int, float, float]]  # row → own segment, other one, shares
    dissolved: list[int]  # sizes of the segments dissolved for falling under the minimum


def place(best: Candidate, min_size: int) -> Placement:
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
    dissolved = []
    while True:
        sizes = np.bincount(segment[segment >= 0], minlength=groups)
        small = np.flatnonzero((sizes > 0) & (sizes < min_size))
        if not small.size or (sizes > 0).sum() <= 1:
            break
        dissolved.append(int(sizes[small[0]]))
        land = best.landing.copy()
        land[:, (sizes == 0) | (np.arange(groups) == small[0])] = -1.0
        members = np.flatnonzero(segment == small[0])
        segment[members] = land[members].argmax(axis=1)
        confidence[members] = land[members, segment[members]]
    return Placement(segment, confidence, np.flatnonzero(vague).tolist(), flips, dissolved)
