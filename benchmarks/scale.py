"""Scale benchmark: `voc run` end to end on corpora of 10k, 30k and 100k distinct units, per
stage wall time and peak memory, and how each grows with size.

Corpora are built from the public sets in ``../shared/data`` (read in place, never copied
here): BANKING77 queries, airline tweets, NHS Friends and Family answers and CFPB complaint
narratives cut into sentences, about 45k distinct texts. Past that, a synthetic unit splices
the first half of one text onto the second half of another of the same set and topic (intent,
complaint reason, coded category, issue), so synthetic units are as long as real ones on
average (the embedding's cost follows length) and each is about one need; they are marked in
the output, and every unit is distinct.
Each size runs in a fresh process with an empty embedding cache (cold: embedding included).
Peak memory is the process's high-water mark (VmHWM), reset at each stage's start, so each
stage's figure is its own.

Each run's ``map.html`` and review page are then timed in headless Chromium (see
``draw_time.py``; skipped without chromium, chromedriver and selenium).

With ``--bertopic``, BERTopic (``pip install bertopic``) clusters the same embeddings in a
fresh process at each size, for the themes stage's peer figure.

    .venv/bin/python benchmarks/scale.py                       # 10k, 30k, 100k (~30 min)
    .venv/bin/python benchmarks/scale.py --sizes 10000 --bertopic
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import draw_time  # noqa: E402  (beside this file)


def real_texts() -> dict[str, dict[str, str]]:
    """Distinct texts of each public set, by set, each with its topic: the BANKING77 intent,
    the tweet's sentiment and complaint reason, the NHS answer's first coded category, the
    CFPB narrative's issue."""
    import pandas as pd

    banking = pd.concat(pd.read_csv(DATA / "banking77" / f) for f in ("train.csv", "test.csv"))
    tweets = pd.read_csv(DATA / "twitter_us_airline_sentiment" / "Tweets.csv")
    nhs = pd.read_csv(DATA / "nhs_fft_phase2" / "phase2_v6framework_230831.csv")
    coded = nhs.iloc[:, 11:].apply(pd.to_numeric, errors="coerce").fillna(0).eq(1)
    cfpb = pd.read_csv(DATA / "cfpb_complaints_sample" / "complaints_sample.csv", skiprows=2)
    cfpb = cfpb.dropna(subset=["Consumer complaint narrative"])
    sentences = [
        (s.strip(), issue)
        for n, issue in zip(cfpb["Consumer complaint narrative"], cfpb["Issue"], strict=True)
        for s in re.split(r"(?<=[.!?])\s+", n)
    ]
    sets = {
        "banking77": zip(banking["text"], banking["category"], strict=True),
        "tweets": zip(
            tweets["text"],
            tweets["airline_sentiment"] + "/" + tweets["negativereason"].fillna(""),
            strict=True,
        ),
        "nhs": zip(nhs["FFT answer"], coded.idxmax(axis=1).where(coded.any(axis=1)), strict=True),
        "cfpb": ((s, issue) for s, issue in sentences if len(s.split()) >= 4),
    }
    out: dict[str, dict[str, str]] = {}
    for name, pairs in sets.items():
        topics = {
            str(t).strip(): str(topic) for t, topic in pairs if pd.notna(t) and str(t).strip()
        }
        out[name] = {t: topics[t] for t in sorted(topics)}
    return out


def build_corpus(size: int, folder: Path, seed: int = 0) -> dict[str, int]:
    """`size` distinct units as one CSV (an id and a text per row); returns the mix. Past the
    real texts, a synthetic unit splices two texts of one set and one topic, so it reads like
    one more customer with that need."""
    import pandas as pd

    rng = random.Random(seed)
    sets = real_texts()
    texts = [(name, t) for name, items in sets.items() for t in items]
    rng.shuffle(texts)
    chosen, seen = texts[:size], {t for _, t in texts[:size]}
    by_topic = {
        name: pd.Series(list(items)).groupby(list(items.values())).agg(list).tolist()
        for name, items in sets.items()
    }
    while len(chosen) < size:
        name = rng.choice(list(sets))
        topic = rng.choice([texts for texts in by_topic[name] if len(texts) >= 2])
        a, b = (t.split() for t in rng.sample(topic, 2))
        joined = " ".join(a[: len(a) // 2] + b[len(b) // 2 :])
        if joined not in seen:
            seen.add(joined)
            chosen.append((f"{name}+synthetic", joined))
    folder.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(chosen, columns=["set", "text"])
    frame["customer_id"] = [f"c{i}" for i in range(len(frame))]
    frame[["customer_id", "text"]].to_csv(folder / "comments.csv", index=False)
    return frame["set"].value_counts().to_dict()


CHILD = """
import json, sys, time
from pathlib import Path
from voc.pipeline.runner import run
from voc.core.rundir import Reporter

def high_water() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")

class Measure(Reporter):
    def __init__(self):
        self.stages = {}
    def stage(self, name):
        Path("/proc/self/clear_refs").write_text("5")  # reset the high-water mark
    def finished(self, name, seconds, reused):
        self.stages[name] = {"seconds": round(seconds, 1), "peak_mb": round(high_water())}

measure = Measure()
start = time.perf_counter()
results = run([sys.argv[1]], sys.argv[2], None, measure)
manifest = json.loads((Path(sys.argv[2]) / "manifest.json").read_text())
print(json.dumps({
    "stages": measure.stages,
    "total_seconds": round(time.perf_counter() - start, 1),
    "themes": int(len(results.themes)),
    "fit": manifest.get("theme_params", {}).get("fitted_on"),
    "embedding": manifest.get("embedding", {}),
}))
"""

PEER = """
import json, sys, time, resource
import numpy as np
from bertopic import BERTopic
import pandas as pd
vectors = np.load(sys.argv[1])
texts = pd.read_parquet(sys.argv[2])["text"].tolist()
start = time.perf_counter()
topics, _ = BERTopic(calculate_probabilities=False).fit_transform(texts, vectors)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
seconds = round(time.perf_counter() - start, 1)
print(json.dumps({"seconds": seconds, "themes": len(set(topics) - {-1}), "peak_mb": round(peak)}))
"""


DRAW = (
    "import json, sys; from pathlib import Path; from draw_time import draw_times; "
    "print(json.dumps(draw_times(Path(sys.argv[1]))))"
)


def run_child(code: str, *args: str, env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def growth(sizes: list[int], values: list[float]) -> str:
    """Exponent b of time ∝ n^b between the smallest and the largest size."""
    if len(sizes) < 2 or min(values) <= 0:
        return "–"
    return f"{math.log(values[-1] / values[0]) / math.log(sizes[-1] / sizes[0]):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--bertopic", action="store_true", help="BERTopic on the same vectors")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"voc scale benchmark, {os.cpu_count()} cores, cold embedding cache per size\n")
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            root = Path(tmp) / str(size)
            mix = build_corpus(size, root / "corpus")
            env = {**os.environ, "VOC_CACHE_DIR": str(root / "cache"), "HF_HUB_OFFLINE": "1"}
            result = run_child(CHILD, str(root / "corpus"), str(root / "run"), env=env)
            if draw_time.available():
                beside = {**env, "PYTHONPATH": str(REPO / "benchmarks")}
                result["pages"] = run_child(DRAW, str(root / "run"), env=beside)
            if args.bertopic:
                result["bertopic"] = run_child(
                    PEER,
                    str(root / "run" / "embeddings.npy"),
                    str(root / "run" / "units.parquet"),
                    env=env,
                )
            rows[size] = result
            mix_text = ", ".join(f"{k} {v}" for k, v in sorted(mix.items()))
            print(
                f"{size:,} units ({mix_text}): {result['total_seconds']} s, "
                f"{result['themes']} themes, fitted on {result['fit'] or size:,} units",
                flush=True,
            )
    stages = list(next(iter(rows.values()))["stages"])
    header = " | ".join(f"{s:,} units" for s in sizes)
    print(f"\n| stage | {header} | growth exponent |")
    print("|---|" + "---|" * len(sizes) + "---|")
    for name in [*stages, "total"]:
        cells, times = [], []
        for size in sizes:
            if name == "total":
                seconds = rows[size]["total_seconds"]
                peak = max(s["peak_mb"] for s in rows[size]["stages"].values())
            else:
                seconds, peak = (rows[size]["stages"][name][k] for k in ("seconds", "peak_mb"))
            times.append(seconds)
            cells.append(f"{seconds:.0f} s, {peak / 1024:.2f} GB")
        print(f"| {name} | " + " | ".join(cells) + f" | {growth(sizes, times)} |")
    if args.bertopic:
        peer = [rows[s]["bertopic"] for s in sizes]
        cells = [f"{p['seconds']:.0f} s, {p['peak_mb'] / 1024:.2f} GB" for p in peer]
        times = [p["seconds"] for p in peer]
        print(
            "| BERTopic (themes, same vectors) | "
            + " | ".join(cells)
            + f" | {growth(sizes, times)} |"
        )
    rate = [
        rows[s]["embedding"].get("computed", 0) / max(rows[s]["stages"]["embed"]["seconds"], 1e-9)
        for s in sizes
    ]
    print("\nembedding throughput: " + ", ".join(f"{r:.0f} texts/s" for r in rate))
    for size in sizes:
        p = rows[size].get("pages")
        print(
            f"{size:,} units drawn in headless Chromium: map.html {p['map_html']} s "
            f"({p['map_html_mb']} MB), review page {p['review']} s"
            if p
            else "pages not timed: install chromium, chromium-driver and selenium"
        )


if __name__ == "__main__":
    main()
