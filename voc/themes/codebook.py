"""Start from a researcher's codebook: each code becomes a theme that keeps its name, the rest
of the corpus is still clustered, and themes found beside the codebook are marked `new`.

The rule, in full. A code's seed is the mean direction of its name, its description and the
texts a researcher coded with it (in an imported `.qdpx`). The corpus is clustered as in any
run; then, for `ROUNDS` rounds, every answer goes to the nearest of the codes' centres and the
discovered themes' centres (an answer under `noise_reassign_similarity` to every code stays
where it was), and a discovered theme is *claimed* by a code when its centre is that code's
nearest theme, or as close to it as near-duplicate themes are merged (`merge_similarity`), or
when the codes took at least half of its answers. A claimed theme's answers all join codes, so
the code and the cluster that is its job in the data become one. Each code's centre then moves
to the mean of its answers, held near its seed. Discovered themes that keep at least the run's
minimum theme size stay, marked `new`; a code no answer joins is reported as without evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from voc.core.geometry import centroids, unit_rows
from voc.core.tables import NOISE
from voc.ingest.qda import Code
from voc.themes.fit import ThemeResult
from voc.themes.grain import MIN_SIZES
from voc.themes.params import ThemeParams
from voc.themes.table import similarity_to_centre, theme_table

ROUNDS = 5


CLAIM = 0.7


def code_texts(code: Code) -> list[str]:
    """What a code's seed is made of: its name, description and examples."""
    return [t for t in (code.name, code.description, *code.examples) if t.strip()]


def seeds(codes: list[Code], encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """One unit vector per code: the mean direction of its name, description and examples."""
    texts = [code_texts(code) for code in codes]
    vectors = unit_rows(np.asarray(encode([t for parts in texts for t in parts]), dtype=float))
    ends = np.cumsum([len(parts) for parts in texts])
    return unit_rows(np.stack([v.sum(axis=0) for v in np.split(vectors, ends[:-1])]))


@dataclass
class Coding:
    """Which code each answer carries (−1: none) and which discovered themes the codes took."""

    code: np.ndarray  # per answer: index into the codebook, or −1
    claimed: set[int]  # discovered theme ids whose answers all went to codes


def apply_codebook(
    vectors: np.ndarray, labels: np.ndarray, seed_vectors: np.ndarray, params: ThemeParams
) -> Coding:
    """Codes against the discovered themes, by the rule in the module docstring."""
    x = unit_rows(np.asarray(vectors, dtype=float))
    ids, themes = centroids(x, labels)
    centres = seed_vectors.copy()
    owner = np.full(len(ids), -1)  # the code that claimed each discovered theme, −1: none yet
    code = np.full(len(x), -1)
    for _ in range(ROUNDS):
        to_code = x @ centres.T
        rivals = themes[owner < 0]
        to_theme = (x @ rivals.T).max(axis=1) if len(rivals) else np.full(len(x), -np.inf)
        best = to_code.max(axis=1)
        code = np.where(
            (best >= to_theme) & (best >= params.noise_reassign_similarity),
            to_code.argmax(axis=1),
            -1,
        )
        if len(ids):
            near = themes @ centres.T
            nearest_theme = near.argmax(axis=0)
            for i, t in enumerate(ids):
                j = int(near[i].argmax())
                taken = code[labels == t]
                if owner[i] < 0 and (
                    near[i, j] >= params.merge_similarity
                    or (near[i, j] >= CLAIM and nearest_theme[j] == i)
                    or (taken >= 0).mean() >= 0.5
                ):
                    owner[i] = j if (taken < 0).all() else np.bincount(taken[taken >= 0]).argmax()
        # a claimed theme's remaining answers join the code that claimed it
        home = dict(zip(ids.tolist(), owner.tolist(), strict=True))
        claimed_by = np.array([home.get(int(t), -1) for t in labels])
        code = np.where((code < 0) & (claimed_by >= 0), claimed_by, code)
        centres = unit_rows(
            np.stack(
                [
                    unit_rows(x[code == j].mean(axis=0)) + s if (code == j).any() else s
                    for j, s in enumerate(seed_vectors)
                ]
            )
        )
    return Coding(code, {int(t) for t in ids[owner >= 0]})


@dataclass
class CodedThemes:
    """The themes of a run started from a codebook, and the codes no answer joined."""

    result: ThemeResult
    without_evidence: list[str]


def codebook_themes(
    found: ThemeResult,
    vectors: np.ndarray,
    texts: list[str],
    people: list[str],
    codes: list[Code],
    seed_vectors: np.ndarray,
    params: ThemeParams,
) -> CodedThemes:
    """The discovered themes recast around the codebook: codes first (ids in codebook order,
    named by `code`, status `code`), then the discovered themes the codes left, status `new`.
    A code theme's stability is its answers' mean stability in the discovered themes they came
    from (0 for answers that were unclustered): how firmly the data groups them."""
    coding = apply_codebook(vectors, found.assignment, seed_vectors, params)
    found_stability = found.themes.set_index("theme_id")["stability"]
    # each answer's stability in the theme it was found in (0 when it was unclustered)
    origin = found_stability.reindex(found.assignment).fillna(0.0).to_numpy()
    labels = np.full(len(vectors), NOISE)
    stability: dict[int, float] = {}
    names: dict[int, str] = {}
    evidence = [j for j in range(len(codes)) if (coding.code == j).any()]
    for theme, j in enumerate(evidence):
        labels[coding.code == j] = theme
        stability[theme] = float(origin[coding.code == j].mean())
        names[theme] = codes[j].name
    min_size = int(found.settings.get("min_cluster_size") or MIN_SIZES[0])
    left = (coding.code < 0) & ~np.isin(found.assignment, [NOISE, *coding.claimed])
    for t in sorted(set(found.assignment[left].tolist())):
        members = left & (found.assignment == t)
        if members.sum() >= min_size:
            theme = len(stability)
            labels[members] = theme
            stability[theme] = float(found_stability[t])
    table = theme_table(vectors, texts, people, labels, stability)
    table["code"] = table["theme_id"].map(names).fillna("")
    table["status"] = np.where(table["code"] != "", "code", "new")
    result = ThemeResult(
        labels, found.coords, table, found.settings, similarity_to_centre(vectors, labels)
    )
    return CodedThemes(result, [c.name for j, c in enumerate(codes) if j not in evidence])
