"""`voc update`: next month's answers in January's themes. Built from BANKING77 (real support
queries with known intents): a first period, then a second with held-back intents and one
intent surging; the update must place known intents where they were, find the new ones, call
the surge grown and the rest steady, and keep a January rename."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.periods import BANKING, SURGE, banking_periods, home_themes
from voc.cli import app

pytestmark = pytest.mark.skipif(not BANKING.exists(), reason="needs shared/data/banking77")


def voc(*args: object) -> str:
    done = CliRunner().invoke(app, [str(a) for a in args])
    assert done.exit_code == 0, done.output
    return done.output


@pytest.fixture(scope="module")
def periods(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], pd.Series]:
    """January and February (see `tests.periods`), January run."""
    root = tmp_path_factory.mktemp("update")
    held, truth = banking_periods(root, seed=11)
    voc("run", root / "jan", "--out", root / "run-jan", "--segments", "3")
    return root, held, truth


def test_known_intents_join_their_january_theme_and_held_back_ones_are_new(periods: tuple) -> None:
    root, held, truth = periods
    jan = pd.read_parquet(root / "run-jan" / "units.parquet")
    home = home_themes(jan, truth)
    voc("theme", "rename", root / "run-jan", int(home[SURGE]), "Where is my card?")
    said = voc("update", root / "run-jan", root / "feb", "--out", root / "run-feb")
    assert "Traceback" not in said
    feb = pd.read_parquet(root / "run-feb" / "units.parquet")
    feb["intent"] = feb["respondent_id"].map(truth)
    known = feb[~feb["intent"].isin(held)]
    at_home = (known["theme_id"] == known["intent"].map(home)).mean()
    january_split = (jan["theme_id"] == jan["respondent_id"].map(truth).map(home)).mean()
    assert at_home >= 0.85
    assert at_home >= january_split - 0.05  # as whole as January kept each intent
    themes = pd.read_parquet(root / "run-feb" / "themes.parquet").set_index("theme_id")
    new = themes.index[themes["status"] == "new"]
    assert len(new) >= 1
    # New themes are made of what January never heard, and some new intent forms one; (a
    # held-back intent close to a January one, "pending top-up" beside "top-up failed", may
    # join that theme instead).
    in_new = feb[feb["theme_id"].isin(new)]
    assert in_new["intent"].isin(held).mean() >= 0.5
    assert (
        feb[feb["intent"].isin(held)]
        .groupby("intent")["theme_id"]
        .agg(lambda t: t.isin(new).mean())
        .max()
        >= 0.6
    )
    assert themes.loc[home[SURGE], "label"] == "Where is my card?"  # the rename carried over

    found = json.loads(voc("diff", root / "run-jan", root / "run-feb", "--json"))
    assert found["matched_by"] == "shared taxonomy"
    rows = pd.DataFrame(found["themes"]).set_index("theme_id")
    assert rows.loc[home[SURGE], "status"] == "grown"
    steady = rows[(rows["status"] != "new") & (rows.index != home[SURGE])]
    assert (steady["status"] != "stable").mean() <= 0.1


def test_a_surge_of_a_known_need_is_grown_not_new(periods: tuple, tmp_path: Path) -> None:
    """February with the surge intent asked 110 times (January: 40; other intents: 15): its
    answers crowd each other, yet they stay in their January theme and nothing new is made
    of them."""
    root, _, truth = periods
    _, surge_truth = banking_periods(tmp_path, seed=11, surge=110)  # January as the fixture's
    voc("update", root / "run-jan", tmp_path / "feb", "--out", tmp_path / "run-feb")
    feb = pd.read_parquet(tmp_path / "run-feb" / "units.parquet")
    surging = feb[feb["respondent_id"].map(surge_truth) == SURGE]
    themes = pd.read_parquet(tmp_path / "run-feb" / "themes.parquet")
    new = themes.loc[themes["status"] == "new", "theme_id"]
    home = home_themes(pd.read_parquet(root / "run-jan" / "units.parquet"), truth)[SURGE]
    assert surging["theme_id"].isin(new).mean() <= 0.1
    assert (surging["theme_id"] == home).mean() >= 0.8
    found = json.loads(voc("diff", root / "run-jan", tmp_path / "run-feb", "--json"))
    assert pd.DataFrame(found["themes"]).set_index("theme_id").loc[home, "status"] == "grown"
