"""Large corpora: past `fit_sample` units, themes are found on a seeded sample and every other
unit joins them; the map places those units among their theme's points. Checked on the demo's
own answers with the sample forced small, so it runs in seconds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from voc.config import Config
from voc.tables import NOISE
from voc.themes import find_themes

DEMO_RUN = Path(__file__).resolve().parents[1] / "reports" / "demo"
SAMPLE = 600


@pytest.fixture(scope="module")
def answers() -> tuple[np.ndarray, list[str], list[str]]:
    units = pd.read_parquet(DEMO_RUN / "units.parquet")
    voice = (units["non_answer"].fillna("") == "").to_numpy()
    vectors = np.load(DEMO_RUN / "embeddings.npy")[voice]
    return vectors, units.loc[voice, "text"].tolist(), units.loc[voice, "respondent_id"].tolist()


def test_a_corpus_past_the_sample_size_is_fitted_on_a_sample_and_all_placed(answers: tuple) -> None:
    vectors, texts, people = answers
    result = find_themes(vectors, texts, people, Config(fit_sample=SAMPLE))
    again = find_themes(vectors, texts, people, Config(fit_sample=SAMPLE))
    assert result.params["fitted_on"] == SAMPLE and result.params["n_units"] == len(vectors)
    assert np.array_equal(result.assignment, again.assignment)  # seeded: the same every time
    assert result.themes["size"].sum() == (result.assignment != NOISE).sum()
    assert (result.assignment != NOISE).mean() >= 0.7
    # An answer placed after the fit is in the theme whose centre is nearest to it.
    themed = result.assignment != NOISE
    ids = np.array(sorted(set(result.assignment[themed].tolist())))
    centres = np.stack([vectors[result.assignment == t].mean(axis=0) for t in ids])
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    nearest = ids[(vectors[themed] @ centres.T).argmax(axis=1)]
    assert (nearest == result.assignment[themed]).mean() >= 0.9
    # On the map, each theme's answers sit together: nearer their theme's middle than others'.
    xy = pd.DataFrame(result.coords[themed], columns=["x", "y"]).assign(t=result.assignment[themed])
    middle = xy.groupby("t")[["x", "y"]].median()
    dist = np.linalg.norm(xy[["x", "y"]].to_numpy()[:, None] - middle.to_numpy()[None], axis=2)
    assert (middle.index.to_numpy()[dist.argmin(axis=1)] == xy["t"].to_numpy()).mean() >= 0.8


def test_below_the_sample_size_nothing_changes(answers: tuple) -> None:
    vectors, texts, people = answers
    exact = find_themes(vectors, texts, people, Config())
    at_limit = find_themes(vectors, texts, people, Config(fit_sample=len(vectors)))
    assert "fitted_on" not in exact.params
    assert np.array_equal(exact.assignment, at_limit.assignment)
    assert np.array_equal(exact.coords, at_limit.coords)


def test_a_map_of_a_hundred_thousand_answers_stays_small_and_shows_every_theme(
    tmp_path: Path,
) -> None:
    from voc.mapview import MAX_POINTS, SMALL_THEME, write_map

    rng = np.random.default_rng(1)
    n, sizes = 100_000, [40, 12, 3] + [0] * 57
    rest = n - sum(sizes)
    sizes = [*sizes[:3], *rng.multinomial(rest, np.ones(57) / 57)]
    theme = np.repeat(np.arange(60), sizes)
    units = pd.DataFrame(
        {
            "theme_id": theme,
            "x": rng.normal(theme % 8, 0.3),
            "y": rng.normal(theme // 8, 0.3),
            "text": [
                f"answer {i} about theme {t}, in a customer's own words"
                for i, t in enumerate(theme)
            ],
            "source": "answers.csv",
            "locator": [f"row {i}" for i in range(n)],
        }
    )
    themes = pd.DataFrame(
        {"theme_id": np.arange(60), "label": [f"Theme {t}" for t in range(60)], "size": sizes}
    )
    write_map(units, themes, tmp_path / "map.html")
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert len(page.encode()) < 10_000_000
    assert page.count("<circle") <= MAX_POINTS + SMALL_THEME * 60
    for t in range(60):  # every theme drawn; the small ones whole
        drawn = page.split(f'id="t-{t}"')[1].split("</g>")[0].count("<circle")
        assert drawn == sizes[t] if sizes[t] <= SMALL_THEME else drawn >= SMALL_THEME
    assert 'class="density"' in page and "100000 units in 60 themes" in page
