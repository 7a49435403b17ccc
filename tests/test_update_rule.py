"""What `voc update` calls new, on answers whose geometry is known: a January of two needs, and
Februaries with a surge, a new need right beside a known one, and one answer sent many times."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from voc.core.geometry import centroids
from voc.core.rundir import Results
from voc.engine import engine_for
from voc.themes.params import ThemeParams
from voc.themes.table import similarity_to_centre
from voc.update.base import Base
from voc.update.placement import theme_bars
from voc.update.themes import update_themes

DIM = 32
rng = np.random.default_rng(7)


def direction(*weights: float) -> np.ndarray:
    v = np.zeros(DIM)
    v[: len(weights)] = weights
    return v / np.linalg.norm(v)


def answers(centre: np.ndarray, n: int, spread: float) -> np.ndarray:
    v = centre + spread * rng.standard_normal((n, DIM))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


CARD, REFUND = direction(1), direction(0, 1)
# cosine 0.9 to CARD and tight: its answers are as close to the card theme as its own members,
# but nobody said it in January
CARD_FEES = direction(0.9, 0, np.sqrt(1 - 0.9**2))


@pytest.fixture(scope="module")
def january(tmp_path_factory: pytest.TempPathFactory) -> Base:
    vectors = np.vstack([answers(CARD, 40, 0.1), answers(REFUND, 40, 0.1)])
    labels = np.repeat([0, 1], 40)
    units = pd.DataFrame(
        {
            "text": [f"january {i}" for i in range(80)],
            "respondent_id": [f"jan-{i}" for i in range(80)],
            "theme_id": labels,
            "theme_similarity": similarity_to_centre(vectors, labels),
            "x": vectors[:, 0],
            "y": vectors[:, 1],
        }
    )
    themes = pd.DataFrame({"theme_id": [0, 1], "stability": [1.0, 1.0]})
    results = Results(
        tmp_path_factory.mktemp("jan"), units, themes, pd.DataFrame(), pd.DataFrame(), [], {}
    )
    ids, centres = centroids(vectors, labels)
    return Base(results, vectors, pd.DataFrame(centres, index=ids))


def february(base: Base, **parts: np.ndarray) -> tuple[dict[str, np.ndarray], set[int]]:
    """Each part's themes after the update, and which theme ids are new."""
    vectors = np.vstack(list(parts.values()))
    names = np.concatenate([[name] * len(v) for name, v in parts.items()])
    units = pd.DataFrame(
        {
            "unit_id": range(len(vectors)),
            "text": [v.tobytes().hex() for v in vectors],  # one vector, one text
            "respondent_id": [f"feb-{i}" for i in range(len(vectors))],
        }
    )
    found = update_themes(base, units, vectors, ThemeParams(), engine_for())
    new = set(found.themes.loc[found.themes["status"] == "new", "theme_id"])
    return {name: found.assignment[names == name] for name in parts}, new


def test_a_tenfold_surge_stays_in_its_theme(january: Base) -> None:
    placed, new = february(january, card=answers(CARD, 400, 0.1), refund=answers(REFUND, 15, 0.1))
    assert (placed["card"] == 0).mean() >= 0.95 and not new


def test_a_new_need_beside_a_known_one_is_new(january: Base) -> None:
    fees = answers(CARD_FEES, 30, 0.03)
    bar = theme_bars(january.results.units, january.centres, 0.5)[0]
    assert (fees @ january.centres.loc[0].to_numpy() >= bar).mean() >= 0.9  # close enough to join
    placed, new = february(
        january, card=answers(CARD, 15, 0.1), refund=answers(REFUND, 15, 0.1), fees=fees
    )
    assert np.isin(placed["fees"], list(new)).mean() >= 0.9
    assert (placed["card"] == 0).mean() >= 0.9 and (placed["refund"] == 1).mean() >= 0.9


def test_one_answer_sent_many_times_is_not_new_for_that(january: Base) -> None:
    placed, new = february(
        january,
        card=answers(CARD, 15, 0.1),
        refund=answers(REFUND, 15, 0.1),
        repeated=np.repeat(answers(CARD, 1, 0.1), 13, axis=0),
    )
    assert (placed["repeated"] == 0).all() and not new
