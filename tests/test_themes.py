"""The themes stage: granularity read from the data (many small themes are found, an explicit
minimum size is kept, a dozen identical answers are one theme) and the cold start (a new
process reuses UMAP's compiled code from disk)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from sklearn.metrics import normalized_mutual_info_score

from voc.core.tables import NOISE
from voc.themes.fit import ThemeResult, find_themes
from voc.themes.params import ThemeParams

FIT_AND_REPORT = """
import numpy as np
import umap.layouts
from voc.themes.cluster import reduce

vectors = np.random.default_rng(0).normal(size=(300, 16)).astype(np.float32)
vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
reduce(vectors, 5, 15, 42)
stats = umap.layouts._nb_optimize_layout_euclidean_single_epoch.stats
print(sum(stats.cache_hits.values()), sum(stats.cache_misses.values()))
"""


def fit_in_new_process() -> tuple[int, int]:
    done = subprocess.run(
        [sys.executable, "-c", FIT_AND_REPORT], capture_output=True, text=True, check=True
    )
    hits, misses = done.stdout.split()[-2:]
    return int(hits), int(misses)


def test_a_new_process_loads_umap_compiled_code_instead_of_compiling_it() -> None:
    fit_in_new_process()  # compiles and stores it, unless an earlier run already did
    assert fit_in_new_process() == (1, 0)


def planted(themes: int, per_theme: int, spread: float = 0.35, seed: int = 0) -> np.ndarray:
    """Unit vectors around `themes` random directions, `per_theme` each, in theme order."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(themes, 384))
    x = np.repeat(centres, per_theme, axis=0) + spread * rng.normal(size=(themes * per_theme, 384))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def themes_of(vectors: np.ndarray, **options: object) -> ThemeResult:
    n = len(vectors)
    return find_themes(vectors, ["text"] * n, [str(i) for i in range(n)], ThemeParams(**options))


def test_many_small_themes_are_found_not_merged() -> None:
    # 40 themes of 8 answers: a minimum theme size that grows with the corpus (√320 / 2 = 9)
    # would leave every one of them out.
    vectors = planted(40, 8)
    result = themes_of(vectors)
    gold = np.repeat(np.arange(40), 8)
    assert normalized_mutual_info_score(gold, result.assignment) > 0.9
    assert 30 <= len(result.themes) <= 80
    assert (result.assignment == NOISE).mean() < 0.1


def test_an_explicit_minimum_theme_size_is_kept() -> None:
    result = themes_of(planted(4, 25), min_theme_size=20)
    assert result.settings["min_cluster_size"] == 20
    assert result.themes["size"].min() >= 20


def test_a_dozen_identical_answers_are_one_theme() -> None:
    one = planted(1, 1)
    result = themes_of(np.repeat(one, 12, axis=0))
    assert set(result.assignment.tolist()) == {0}
