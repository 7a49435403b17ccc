"""The themes stage's cold start: a new process reuses UMAP's compiled code from disk."""

from __future__ import annotations

import subprocess
import sys

FIT_AND_REPORT = """
import numpy as np
import umap.layouts
from voc.themes import reduce

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
