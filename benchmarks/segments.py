"""Segment benchmark: planted groups of people built from public labelled texts, segmented by
voc and by plain k-means on the same respondent features.

Each corpus plants groups of people. A job is a BANKING77 intent; a group asks for its own
jobs, shares one job with each neighbouring group, and everybody also says things every group
says (common jobs) or something off-topic. Most people say one or two things. Attributes
(role, plan, channel) follow the group only part of the time. Texts are read in place from
``../shared/data`` and never copied into the repository.

For every corpus and seeds 1..5: themes (``voc.themes.fit.find_themes`` with that seed), then

- ``voc``: ``voc.segments.find.find_segments`` with ``SegmentParams(seed=seed)``;
- ``voc, attributes``: the same with ``use_attributes=True``;
- ``k-means``: scikit-learn ``KMeans(n_init=10)`` on the same features (``result.features``),
  k by the best silhouette in 3..6 (voc's rule before the consensus);
- ``k-means, true k``: the same given the planted number of groups (for reference: no user
  knows it).

It prints, per method: ARI against the planted key over all respondents (a respondent in no
segment counts as one more label, so leaving people out is paid for), the share left out,
the mean and the lowest ARI between the five seeds' segmentations (over everyone, and over
the people both seeds place), and k per seed. Per corpus it also prints a ceiling: the ARI a
cross-validated classifier reaches when it is told the key, on the same features.

NHS Friends and Family Test categories and airline-tweet complaint reasons were tried as
jobs too: with people saying one to three things, a classifier told the key reaches ARI
0.08 on them, so no segmenter can be ranked there; they are left out.

    .venv/bin/python benchmarks/segments.py            # all corpora, about 5 minutes
    .venv/bin/python benchmarks/segments.py --corpus banking-5 --seeds 1,2
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data"
ROLES = ["Controller", "Owner", "IT admin", "Procurement", "Analyst", "Founder", "Engineer"]
PLANS = ["Starter", "Business", "Enterprise"]
CHANNELS = ["sales", "self-serve", "partner"]


@dataclass(frozen=True)
class Spec:
    """How one planted corpus is built."""

    name: str
    people: int
    shares: tuple[float, ...]  # group sizes
    own: int  # jobs only the group asks for
    common: int  # jobs every group mentions
    on_group: float  # an answer is about one of the group's jobs...
    on_common: float  # ...or a common job; else any job of the source
    answers: tuple[float, ...]  # P(1 answer), P(2), P(3)
    follow: float  # attributes follow the group this often


SPECS = [
    Spec("banking-5", 400, (0.30, 0.25, 0.20, 0.15, 0.10), 3, 2, 0.75, 0.15,
         (0.45, 0.35, 0.20), 0.6),
    Spec("banking-6-uneven", 360, (0.28, 0.22, 0.18, 0.14, 0.10, 0.08), 2, 3,
         0.70, 0.20, (0.55, 0.30, 0.15), 0.5),
    Spec("banking-4-overlap", 300, (0.40, 0.30, 0.20, 0.10), 2, 2, 0.75, 0.15,
         (0.50, 0.35, 0.15), 0.7),
]  # fmt: skip


def texts_by_job() -> dict[str, list[str]]:
    """BANKING77 (train + test) texts per intent."""
    frames = [pd.read_csv(DATA / "banking77" / f) for f in ("train.csv", "test.csv")]
    return {str(k): list(v) for k, v in pd.concat(frames).groupby("category")["text"]}


def build(spec: Spec, seed: int = 16) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Units (one row per answer), respondents (with attributes) and the planted key."""
    rng = random.Random(seed)
    pool = texts_by_job()
    for texts in pool.values():
        rng.shuffle(texts)
    groups = len(spec.shares)
    usable = sorted(pool)
    rng.shuffle(usable)
    common, usable = usable[: spec.common], usable[spec.common :]
    rng.shuffle(usable)
    own = [usable[g * spec.own : (g + 1) * spec.own] for g in range(groups)]
    shared = usable[groups * spec.own : groups * spec.own + groups]  # ring: g and g + 1
    jobs = [own[g] + [shared[g], shared[g - 1]] for g in range(groups)]
    every = sorted(pool)
    used = {j: 0 for j in pool}

    def text(job: str) -> str:
        texts = pool[job]
        used[job] += 1
        return texts[(used[job] - 1) % len(texts)]

    units, people, truth = [], [], {}
    counts = [round(share * spec.people) for share in spec.shares]
    for g, count in enumerate(counts):
        tracked = {"role": ROLES[g], "plan": PLANS[g % 3], "channel": CHANNELS[g % 3]}
        for _ in range(count):
            rid = f"p{len(truth):04d}"
            truth[rid] = f"G{g}"
            follows = rng.random() < spec.follow
            people.append(
                {
                    "respondent_id": rid,
                    **(
                        tracked
                        if follows
                        else {
                            "role": rng.choice(ROLES),
                            "plan": rng.choice(PLANS),
                            "channel": rng.choice(CHANNELS),
                        }
                    ),
                }
            )
            said = rng.choices([1, 2, 3], weights=spec.answers)[0]
            for a in range(said):
                pick = rng.random()
                if pick < spec.on_group:
                    job = rng.choice(jobs[g])
                elif pick < spec.on_group + spec.on_common:
                    job = rng.choice(common)
                else:
                    job = rng.choice(every)
                units.append(
                    {"unit_id": f"{rid}-{a}", "respondent_id": rid, "text": text(job), "count": 1}
                )
    return pd.DataFrame(units), pd.DataFrame(people), pd.Series(truth, name="group")


def ari(a: pd.Series, b: pd.Series) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(a.to_numpy(), b.reindex(a.index).to_numpy()))


def ceiling(features: np.ndarray, key: pd.Series) -> float:
    """What the features allow at best: ARI of a cross-validated logistic regression that is
    told the key (no segmenter can know it)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    model = LogisticRegression(C=10.0, max_iter=3000)
    guess = cross_val_predict(model, features, key.to_numpy(), cv=5)
    return ari(key, pd.Series(guess, index=key.index))


def kmeans(features: np.ndarray, ks: list[int], seed: int) -> np.ndarray:
    """Plain k-means: the k of best silhouette among ks (one k: that k)."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    best, best_score = None, -2.0
    for k in ks:
        labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(features)
        score = silhouette_score(features, labels) if len(ks) > 1 else 0.0
        if score > best_score:
            best, best_score = labels, score
    assert best is not None
    return best


def run_corpus(spec: Spec, seeds: list[int]) -> dict:
    from voc.embed.cache import embed
    from voc.embed.params import EmbedParams
    from voc.segments.find import find_segments
    from voc.segments.params import SegmentParams
    from voc.themes.fit import find_themes
    from voc.themes.params import ThemeParams

    started = time.time()
    units, people, truth = build(spec)
    vectors, _ = embed(units["text"].tolist(), EmbedParams())
    methods = ["voc", "voc, attributes", "k-means", "k-means, true k"]
    found: dict[str, dict[int, pd.Series]] = {m: {} for m in methods}
    ks: dict[str, dict[int, int]] = {m: {} for m in found}
    everyone = people["respondent_id"]
    for seed in seeds:
        themes = find_themes(
            vectors, units["text"].tolist(), units["respondent_id"].tolist(), ThemeParams(seed=seed)
        )
        themed = units.assign(theme_id=themes.assignment, theme_similarity=themes.similarity)
        result = find_segments(themed, people, vectors, SegmentParams(seed=seed))
        found["voc"][seed] = result.assignment.reindex(everyone).fillna(-1)
        ks["voc"][seed] = result.k
        with_attributes = find_segments(
            themed, people, vectors, SegmentParams(seed=seed, use_attributes=True)
        )
        found["voc, attributes"][seed] = with_attributes.assignment.reindex(everyone).fillna(-1)
        ks["voc, attributes"][seed] = with_attributes.k
        index = result.matrix.index
        if seed == seeds[0]:
            best_possible = ceiling(result.features, truth.reindex(index))
        for method, options in (
            ("k-means", list(range(3, 7))),
            ("k-means, true k", [len(spec.shares)]),
        ):
            labels = kmeans(result.features, options, seed)
            found[method][seed] = pd.Series(labels, index=index).reindex(everyone).fillna(-1)
            ks[method][seed] = len(set(labels.tolist()))
    key = truth.reindex(everyone)
    key.index = everyone
    rows = {}
    for method, by_seed in found.items():
        for labels in by_seed.values():
            labels.index = everyone
        pairs = [ari(by_seed[a], by_seed[b]) for a, b in itertools.combinations(by_seed, 2)]
        placed = [
            ari(by_seed[a][both], by_seed[b][both])
            for a, b in itertools.combinations(by_seed, 2)
            if (both := (by_seed[a] >= 0) & (by_seed[b] >= 0)).any()
        ]
        rows[method] = {
            "ari_key": float(np.mean([ari(key, labels) for labels in by_seed.values()])),
            "ari_key_min": float(min(ari(key, labels) for labels in by_seed.values())),
            "left_out": float(np.mean([(labels < 0).mean() for labels in by_seed.values()])),
            "pairwise_mean": float(np.mean(pairs)) if pairs else float("nan"),
            "pairwise_min": float(min(pairs)) if pairs else float("nan"),
            "pairwise_placed_min": float(min(placed)) if placed else float("nan"),
            "k": [ks[method][s] for s in seeds],
        }
    return {
        "corpus": spec.name,
        "people": len(people),
        "answers": len(units),
        "groups": len(spec.shares),
        "ceiling": best_possible,
        "seconds": round(time.time() - started),
        "methods": rows,
    }


def show(report: dict) -> None:
    print(
        f"\n{report['corpus']}: {report['people']} people, {report['answers']} answers, "
        f"{report['groups']} planted groups; a classifier told the key reaches ARI "
        f"{report['ceiling']:.2f} on these features ({report['seconds']} s)"
    )
    print(
        f"  {'method':<17} {'ARI key':>8} {'(min)':>6} {'left out':>9} "
        f"{'seed ARI':>9} {'(min)':>6} {'placed min':>10}  k per seed"
    )
    for method, r in report["methods"].items():
        print(
            f"  {method:<17} {r['ari_key']:8.3f} {r['ari_key_min']:6.3f} {r['left_out']:9.1%} "
            f"{r['pairwise_mean']:9.3f} {r['pairwise_min']:6.3f} {r['pairwise_placed_min']:10.3f}"
            f"  {r['k']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", choices=[s.name for s in SPECS])
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument("--json", type=Path, help="also write every number to this file")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    reports = []
    for spec in SPECS:
        if args.corpus and spec.name not in args.corpus:
            continue
        reports.append(run_corpus(spec, seeds))
        show(reports[-1])
    if args.json:
        args.json.write_text(json.dumps(reports, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
