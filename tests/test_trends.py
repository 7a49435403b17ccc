"""What drives the score and what moves over time, on units whose truth is known."""

from __future__ import annotations

import random

import pandas as pd

from voc.trends import moving_themes, nps_impact, theme_trends


def units_of(rows: list[tuple[str, int, float, str]]) -> pd.DataFrame:
    """(respondent, theme, score, date) → a units table as the themes stage leaves it."""
    return pd.DataFrame(
        [
            {"unit_id": f"u{i}", "respondent_id": r, "theme_id": t, "score": s, "date": d,
             "non_answer": ""}
            for i, (r, t, s, d) in enumerate(rows)
        ]
    )  # fmt: skip


def test_a_theme_only_detractors_mention_costs_points_and_one_promoters_mention_earns_them() -> (
    None
):
    rows = [(f"d{i}", 0, 2.0, "") for i in range(30)]  # detractors talk about theme 0
    rows += [(f"p{i}", 1, 10.0, "") for i in range(50)]  # promoters about theme 1
    rows += [(f"m{i}", 2, 8.0, "") for i in range(20)]  # passives about theme 2
    table = nps_impact(units_of(rows), [0, 1, 2], seed=1).set_index("theme_id")
    overall = 100 * (50 - 30) / 100
    without_0 = 100 * 50 / 70  # the NPS of the 70 who do not mention theme 0
    assert round(table.loc[0, "nps_impact"], 2) == round(overall - without_0, 2)
    assert table.loc[0, "nps_impact_high"] < 0 < table.loc[1, "nps_impact_low"]
    assert (
        table.loc[0, "nps_impact_low"]
        <= table.loc[0, "nps_impact"]
        <= table.loc[0, "nps_impact_high"]
    )


def test_without_scores_there_is_no_impact() -> None:
    rows = [(f"r{i}", i % 2, float("nan"), "") for i in range(10)]
    assert nps_impact(units_of(rows), [0, 1], seed=1)["nps_impact"].isna().all()


def test_a_surging_theme_is_rising_and_steady_ones_are_not_flagged() -> None:
    rng = random.Random(3)
    rows = []
    for month in range(1, 7):
        for i in range(60):
            person = f"m{month}-{i}"
            theme = rng.choice([1, 2, 3])
            if month >= 4 and i < 30:
                theme = 0  # half of everyone talks about theme 0 from April on
            rows.append((person, theme, 7.0, f"2026-{month:02d}-{1 + i % 28:02d}"))
    units = units_of(rows)
    trends = theme_trends(units)
    assert sorted(trends["period"].unique()) == [f"2026-{m:02d}" for m in range(1, 7)]
    april = trends[(trends["period"] == "2026-04") & (trends["theme_id"] == 0)]
    assert april["share"].tolist() == [0.5] and april["respondents"].tolist() == [30]
    assert moving_themes(units).get(0) == "rising"
    assert sum(moving_themes(units).get(t) == "rising" for t in (1, 2, 3)) == 0


def test_no_dates_no_trends() -> None:
    units = units_of([(f"r{i}", 0, 9.0, "") for i in range(10)])
    assert theme_trends(units).empty and moving_themes(units) == {}
