"""Periods for `voc update` and `voc diff`. From BANKING77 (real queries with known intents):
January holds `KNOWN` intents; February the same intents again, one of them surging, and
`HELD_BACK` intents January never heard (used by the update tests and
`benchmarks/update.py`). And a month after the demo."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pandas as pd

BANKING = Path(__file__).resolve().parents[2] / "shared" / "data" / "banking77"
MAKE_DEMO = Path(__file__).resolve().parents[1] / "corpora" / "make_demo.py"
KNOWN, HELD_BACK, SURGE = 18, 3, "card_arrival"


def banking_periods(root: Path, seed: int, surge: int = 60) -> tuple[list[str], pd.Series]:
    """Writes `root/jan/queries.csv` (18 intents × 40 queries) and `root/feb/queries.csv` (the
    same intents × 15 new queries, the surge intent × `surge`, 3 unseen intents × 30); returns
    the held-back intents and each customer id's intent. January depends on the seed only."""
    data = pd.read_csv(BANKING / "train.csv")
    rng = random.Random(seed)
    intents = sorted(data["category"].unique())
    rng.shuffle(intents)
    asked = data["category"].value_counts()
    intents = [i for i in intents if asked[i] >= 40 + 15]  # enough for both periods
    known = [*intents[: KNOWN - 1], SURGE] if SURGE not in intents[:KNOWN] else intents[:KNOWN]
    held = [i for i in intents if i not in known][:HELD_BACK]
    jan, feb = [], []
    for intent in [*known, *held]:
        texts = data.loc[data["category"] == intent, "text"].sample(frac=1, random_state=1)
        if intent in known:
            jan += [(intent, t) for t in texts[:40]]
            feb += [(intent, t) for t in texts[40 : 40 + (surge if intent == SURGE else 15)]]
        else:
            feb += [(intent, t) for t in texts[:30]]
    frames = []
    for name, rows in (("jan", jan), ("feb", feb)):
        frame = pd.DataFrame(rows, columns=["intent", "text"])
        frame["customer_id"] = [f"{name}-{i}" for i in range(len(frame))]
        (root / name).mkdir(parents=True)
        frame[["customer_id", "text"]].to_csv(root / name / "queries.csv", index=False)
        frames.append(frame)
    return held, pd.concat(frames).set_index("customer_id")["intent"]


def home_themes(units: pd.DataFrame, truth: pd.Series) -> pd.Series:
    """Each intent's theme in a run: the theme most of its clustered units are in."""
    themed = units[units["theme_id"] >= 0]
    return themed.groupby(themed["respondent_id"].map(truth))["theme_id"].agg(lambda t: t.mode()[0])


def demo_next_month(folder: Path) -> Path:
    """A month of NPS answers after the demo's (`corpora/make_demo.py --next-month`)."""
    spec = importlib.util.spec_from_file_location("make_demo", MAKE_DEMO)
    make_demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_demo)
    return make_demo.next_month(folder)
