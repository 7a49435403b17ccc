"""The same themes on every machine: vectors from another CPU (the demo embedded on an AVX2
machine, kept as a fixture), vectors wobbling in their last bits, another seed, and numba and
BLAS forced to their AVX2 code paths give the same themes as this machine's own vectors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

import voc
from voc.core.rundir import Results
from voc.core.tables import is_voice
from voc.themes.fit import ThemeResult, find_themes
from voc.themes.params import ThemeParams

ROOT = Path(__file__).resolve().parents[1]
AVX2_VECTORS = ROOT / "tests" / "fixtures" / "avx2" / "demo_embeddings.npy"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Results:
    run_dir = tmp_path_factory.mktemp("machines") / "run"
    return voc.run([ROOT / "corpora" / "demo"], run_dir, only=("ingest", "embed"))


def themes(results: Results, vectors: np.ndarray, **params: int) -> ThemeResult:
    voice = is_voice(results.units).to_numpy()
    spoken = results.units[voice]
    texts, people = spoken["text"].tolist(), spoken["respondent_id"].tolist()
    return find_themes(vectors[voice], texts, people, ThemeParams(**params))


def same_themes(a: ThemeResult, b: ThemeResult) -> None:
    count = len(a.themes)
    assert len(b.themes) == count and count >= 10
    assert adjusted_rand_score(a.assignment, b.assignment) >= 0.98


def own_vectors(demo: Results) -> np.ndarray:
    return np.load(demo.run_dir / "embeddings.npy")


def test_another_cpus_vectors_give_the_same_themes(demo: Results) -> None:
    here, avx2 = own_vectors(demo), np.load(AVX2_VECTORS)
    assert here.shape == avx2.shape
    same_themes(themes(demo, here), themes(demo, avx2))


def test_last_bit_noise_and_another_seed_give_the_same_themes(
    demo: Results,
) -> None:
    here = own_vectors(demo)
    rng = np.random.default_rng(3)
    wobbly = (here * (1 + 2e-7 * rng.standard_normal(here.shape))).astype(np.float32)
    first = themes(demo, here)
    same_themes(first, themes(demo, wobbly))
    same_themes(first, themes(demo, here, seed=7))


AVX512 = "avx512f" in Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else False
HASWELL = ("64bit", "avx", "avx2", "bmi", "bmi2", "cmov", "cx16", "f16c", "fma", "sse", "sse2")
FORCED = """
import sys, numpy as np
sys.path.insert(0, {root!r})
from tests.test_machines import themes
import voc
results = voc.load({run!r})
np.save({out!r}, themes(results, np.load({vectors!r})).assignment)
"""


@pytest.mark.skipif(not AVX512, reason="forcing AVX2 code paths tells something on AVX-512 only")
def test_numba_and_blas_forced_to_avx2_give_the_same_themes(
    demo: Results, tmp_path: Path
) -> None:
    out = tmp_path / "forced.npy"
    vectors = demo.run_dir / "embeddings.npy"
    code = FORCED.format(root=str(ROOT), run=str(demo.run_dir), out=str(out), vectors=str(vectors))
    env = {**os.environ, "NUMBA_CPU_NAME": "haswell", "OPENBLAS_CORETYPE": "Haswell"}
    # NUMBA_CPU_NAME alone keeps the host's features (AVX-512 included): name them too.
    env["NUMBA_CPU_FEATURES"] = ",".join(f"+{f}" for f in HASWELL)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    forced = np.load(out)
    here = themes(demo, own_vectors(demo)).assignment
    assert len(set(forced)) == len(set(here))
    assert adjusted_rand_score(here, forced) >= 0.98


def test_the_whole_demo_on_another_cpus_vectors_gives_the_same_segments(tmp_path: Path) -> None:
    """Every stage after embedding, from the AVX2 machine's vectors and from this machine's:
    the same themes and the same people in the same segments."""
    import json
    import shutil

    here = voc.run([ROOT / "corpora" / "demo"], tmp_path / "here")
    there = tmp_path / "there"
    shutil.copytree(here.run_dir, there)
    shutil.copy(AVX2_VECTORS, there / "embeddings.npy")
    manifest = json.loads((there / "manifest.json").read_text(encoding="utf-8"))
    manifest["stages"]["themes"]["fingerprint"] = "made elsewhere"  # re-run from themes on
    (there / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    other = voc.run([ROOT / "corpora" / "demo"], there)
    assert len(other.themes) == len(here.themes)
    assert adjusted_rand_score(here.units["theme_id"], other.units["theme_id"]) >= 0.98
    mine = here.respondents.set_index("respondent_id")["segment_id"]
    theirs = other.respondents.set_index("respondent_id")["segment_id"][mine.index]
    assert len(other.segments) == len(here.segments)
    assert adjusted_rand_score(mine, theirs) >= 0.95
