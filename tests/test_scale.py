"""Large corpora: past `fit_sample` units, themes are found on a seeded sample and every other
unit joins them; the map places those units among their theme's points. Checked on the demo's
own answers with the sample forced small, so it runs in seconds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import normalized_mutual_info_score

from voc.core.tables import NOISE
from voc.embed.cache import embed
from voc.embed.params import EmbedParams
from voc.themes.fit import find_themes
from voc.themes.params import ThemeParams

DEMO_RUN = Path(__file__).resolve().parents[1] / "reports" / "demo"
SAMPLE = 600
BANKING = Path(__file__).resolve().parents[2] / "shared" / "data" / "banking77"


@pytest.fixture(scope="module")
def answers() -> tuple[np.ndarray, list[str], list[str]]:
    units = pd.read_parquet(DEMO_RUN / "units.parquet")
    voice = (units["non_answer"].fillna("") == "").to_numpy()
    vectors = np.load(DEMO_RUN / "embeddings.npy")[voice]
    return vectors, units.loc[voice, "text"].tolist(), units.loc[voice, "respondent_id"].tolist()


def test_a_corpus_past_the_sample_size_is_fitted_on_a_sample_and_all_placed(answers: tuple) -> None:
    vectors, texts, people = answers
    result = find_themes(vectors, texts, people, ThemeParams(fit_sample=SAMPLE))
    again = find_themes(vectors, texts, people, ThemeParams(fit_sample=SAMPLE))
    assert result.settings["fitted_on"] == SAMPLE and result.settings["n_units"] == len(vectors)
    assert np.array_equal(result.assignment, again.assignment)  # seeded: the same every time
    assert result.themes["size"].sum() == (result.assignment != NOISE).sum()
    assert (result.assignment != NOISE).mean() >= 0.7
    # An answer placed after the fit is with most of the five fitted answers most like it.
    sample = np.sort(np.random.default_rng(ThemeParams().seed).choice(len(vectors), SAMPLE, False))
    placed = np.setdiff1d(np.flatnonzero(result.assignment != NOISE), sample)
    likest = sample[np.argsort(-(vectors[placed] @ vectors[sample].T), axis=1)[:, :5]]
    majority = [np.bincount(row - NOISE).argmax() + NOISE for row in result.assignment[likest]]
    assert (majority == result.assignment[placed]).mean() >= 0.8
    themed = result.assignment != NOISE
    # On the map, each theme's answers sit together: nearer their theme's middle than others'.
    xy = pd.DataFrame(result.coords[themed], columns=["x", "y"]).assign(t=result.assignment[themed])
    middle = xy.groupby("t")[["x", "y"]].median()
    dist = np.linalg.norm(xy[["x", "y"]].to_numpy()[:, None] - middle.to_numpy()[None], axis=2)
    assert (middle.index.to_numpy()[dist.argmin(axis=1)] == xy["t"].to_numpy()).mean() >= 0.8


@pytest.mark.slow  # about 2 minutes: `pytest -m slow tests/test_scale.py`
@pytest.mark.skipif(not BANKING.exists(), reason="needs shared/data/banking77")
def test_a_fit_on_five_thousand_of_banking77_finds_the_intents_as_well_as_a_full_fit() -> None:
    data = pd.concat([pd.read_csv(BANKING / f) for f in ("train.csv", "test.csv")])
    texts = data["text"].tolist()
    vectors, _ = embed(texts, EmbedParams())
    people = [str(i) for i in range(len(texts))]
    full = find_themes(vectors, texts, people, ThemeParams())
    sampled = find_themes(vectors, texts, people, ThemeParams(fit_sample=5000))
    assert sampled.settings["fitted_on"] == 5000
    gold = data["category"].to_numpy()
    nmi = normalized_mutual_info_score(gold, full.assignment)
    assert normalized_mutual_info_score(gold, sampled.assignment) >= nmi - 0.01


def test_below_the_sample_size_nothing_changes(answers: tuple) -> None:
    vectors, texts, people = answers
    exact = find_themes(vectors, texts, people, ThemeParams())
    at_limit = find_themes(vectors, texts, people, ThemeParams(fit_sample=len(vectors)))
    assert "fitted_on" not in exact.settings
    assert np.array_equal(exact.assignment, at_limit.assignment)
    assert np.array_equal(exact.coords, at_limit.coords)


def test_a_map_of_a_hundred_thousand_answers_stays_small_and_shows_every_theme(
    tmp_path: Path,
) -> None:
    from voc.outputs.map import MAX_POINTS, SMALL_THEME, write_map

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
