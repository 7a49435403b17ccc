"""Update benchmark: a second period's answers in the first period's themes, `voc update`
against BERTopic's `transform`, and what an update costs on the demo against a full run.

Periods (``tests/periods.py``, from BANKING77 in ``../shared/data``): January holds 18 intents
× 40 queries; February the same intents × 15 new queries, one intent surging (× 60) and 3
intents January never heard (× 30). Per seed:

- ``voc``: ``voc run`` on January, ``voc update`` on February, ``voc diff`` of the two;
- ``bertopic``: BERTopic fitted on January's vectors (the same vectors voc computed; BERTopic's
  defaults, UMAP seeded) and ``transform`` on February's. Its outliers (topic -1) are the
  nearest it has to "new".

Printed per seed and method: January's themes; the ceiling (January's own units in their
intent's majority theme: where January splits an intent, February cannot do better); known →
home (February's units of known intents in their intent's January theme); known units called
new; per held-back intent, its units in new themes; the purity of new themes (held-back
units among their units); for voc, the surge's diff status and the share of steady themes
called changed.

Demo: a cold full run of ``corpora/demo``, ``voc update`` of it with a month after it
(``corpora/make_demo.py --next-month``), and a re-run of the demo plus that month, each with
its stages' seconds and the texts it embedded.

    .venv/bin/python benchmarks/update.py                       # seeds 11-20 and the demo
    .venv/bin/python benchmarks/update.py --seeds 11,12 --no-demo

BERTopic is a benchmark-only dependency (``pip install bertopic``); without it voc runs alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.periods import SURGE, banking_periods, home_themes  # noqa: E402
from voc.core.config import Config  # noqa: E402
from voc.core.rundir import Results  # noqa: E402
from voc.pipeline.runner import run  # noqa: E402
from voc.update.diff import compare  # noqa: E402

NOISE = -1


def scores(
    jan: pd.DataFrame, feb: pd.DataFrame, new: set[int], held: list[str], truth: pd.Series
) -> dict:
    """The figures of one method on one draw, from both periods' (respondent_id, theme_id)."""
    jan = jan.assign(intent=jan["respondent_id"].map(truth))
    feb = feb.assign(intent=feb["respondent_id"].map(truth))
    home = home_themes(jan, truth)
    known = feb[~feb["intent"].isin(held)]
    unseen = feb[feb["intent"].isin(held)]
    in_new = feb[feb["theme_id"].isin(new)]
    return {
        "jan_themes": int(jan.loc[jan["theme_id"] >= 0, "theme_id"].nunique()),
        "ceiling": (jan["theme_id"] == jan["intent"].map(home)).mean(),
        "known_home": (known["theme_id"] == known["intent"].map(home)).mean(),
        "known_new": known["theme_id"].isin(new).mean(),
        "held_new": unseen.groupby("intent")["theme_id"].agg(lambda t: t.isin(new).mean()).tolist(),
        "purity": in_new["intent"].isin(held).mean() if len(in_new) else float("nan"),
    }


def voc_draw(root: Path, held: list[str], truth: pd.Series) -> dict:
    """voc run January, voc update February, voc diff."""
    run([root / "jan"], root / "run-jan", Config(segments=3))
    run([root / "feb"], root / "run-feb", Config(base_run=root / "run-jan"))
    a, b = Results.load(root / "run-jan"), Results.load(root / "run-feb")
    new = set(b.themes.loc[b.themes["status"] == "new", "theme_id"])
    out = scores(a.units, b.units, new, held, truth)
    rows = compare(a, b).themes.set_index("theme_id")
    surge = home_themes(a.units, truth)[SURGE]
    steady = rows[(rows["status"] != "new") & (rows.index != surge)]
    out["surge"] = rows.loc[surge, "status"]
    out["steady_changed"] = (steady["status"] != "stable").mean()
    return out


def bertopic_draw(root: Path, held: list[str], truth: pd.Series, seed: int) -> dict:
    """BERTopic fitted on January's vectors, February transformed, on voc's own vectors."""
    from bertopic import BERTopic
    from umap import UMAP

    def period(name: str) -> tuple[pd.DataFrame, np.ndarray]:
        units = pd.read_parquet(root / f"run-{name}" / "units.parquet")
        spoken = (units["non_answer"] == "").to_numpy()
        vectors = np.load(root / f"run-{name}" / "embeddings.npy")[spoken]
        return units[spoken].reset_index(drop=True), vectors

    (jan, jan_vectors), (feb, feb_vectors) = period("jan"), period("feb")
    umap_model = UMAP(
        n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed
    )
    model = BERTopic(embedding_model=None, umap_model=umap_model)
    jan["theme_id"], _ = model.fit_transform(jan["text"].tolist(), jan_vectors)
    feb["theme_id"], _ = model.transform(feb["text"].tolist(), feb_vectors)
    return scores(jan, feb, {NOISE}, held, truth)


def show(seed: int, method: str, s: dict) -> None:
    held = " ".join(f"{x:.2f}" for x in s["held_new"])
    extra = (
        f"  surge {s['surge']:<7} steady changed {s['steady_changed']:.2f}" if "surge" in s else ""
    )
    print(
        f"{seed:>4}  {method:<9}{s['jan_themes']:>7}  {s['ceiling']:7.3f}  {s['known_home']:10.3f}"
        f"  {s['known_new']:9.3f}  {held:<15}  {s['purity']:6.2f}{extra}",
        flush=True,
    )


def periods(seeds: list[int], methods: list[str]) -> None:
    print("seed  method   themes  ceiling  known→home  known new  held-back new    purity")
    results: dict[str, list[dict]] = {m: [] for m in methods}
    for seed in seeds:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            held, truth = banking_periods(root, seed)
            found = voc_draw(root, held, truth)
            results["voc"].append(found)
            show(seed, "voc", found)
            if "bertopic" in methods:
                found = bertopic_draw(root, held, truth, seed)
                results["bertopic"].append(found)
                show(seed, "bertopic", found)
    for method, rows in results.items():
        frame = pd.DataFrame(rows)
        held = np.concatenate(frame["held_new"].to_numpy())
        print(
            f"mean  {method:<9}{frame['jan_themes'].mean():7.1f}  {frame['ceiling'].mean():7.3f}"
            f"  {frame['known_home'].mean():10.3f}  {frame['known_new'].mean():9.3f}"
            f"  {held.mean():.2f} (≥0.6: {(held >= 0.6).mean():.0%})  {frame['purity'].mean():6.2f}"
            f"  known→home ≥ 0.85 on {(frame['known_home'] >= 0.85).sum()} of {len(frame)}"
        )


def demo() -> None:
    """Cold full run of the demo, an update with a month after it, and a re-run of both."""
    print("\ndemo: run                    wall s  stage s  themes s  embedded  themes")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = {**os.environ, "VOC_CACHE_DIR": str(root / "cache")}
        voc = [str(REPO / ".venv" / "bin" / "voc")]
        subprocess.run(
            [
                sys.executable,
                str(REPO / "corpora" / "make_demo.py"),
                "--next-month",
                root / "march",
            ],
            check=True,
        )
        both = root / "demo-and-march"
        shutil.copytree(REPO / "corpora" / "demo", both)
        shutil.copy(root / "march" / "nps.csv", both / "march.csv")
        jobs = {
            "full run of the demo (cold)": [
                "run",
                REPO / "corpora" / "demo",
                "--out",
                root / "base",
            ],
            "update with March": ["update", root / "base", root / "march", "--out", root / "up"],
            "re-run demo + March": ["run", both, "--out", root / "again"],
        }
        for name, args in jobs.items():
            start = time.perf_counter()
            subprocess.run(voc + [str(a) for a in args], env=env, check=True, capture_output=True)
            wall = time.perf_counter() - start
            manifest = Results.load(Path(args[-1])).manifest
            stages = manifest["stages"]
            print(
                f"  {name:<27}{wall:7.1f}  {sum(s['seconds'] for s in stages.values()):7.1f}"
                f"  {stages['themes']['seconds']:8.2f}  {manifest['embedding']['computed']:8}"
                f"  {manifest['counts']['themes']:6}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="11,12,13,14,15,16,17,18,19,20")
    parser.add_argument("--no-bertopic", action="store_true", help="voc alone")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo timing")
    args = parser.parse_args()
    methods = ["voc"] if args.no_bertopic else ["voc", "bertopic"]
    try:
        import bertopic  # noqa: F401
    except ImportError:
        print("BERTopic is not installed (pip install bertopic): voc alone.")
        methods = ["voc"]
    periods([int(s) for s in args.seeds.split(",")], methods)
    if not args.no_demo:
        demo()


if __name__ == "__main__":
    main()
