"""The typed tables the stages exchange, and the files they live in inside a run directory.

Each table is a pandas DataFrame whose required columns are listed here; `check` enforces them
at stage boundaries so a stage fails loudly, not three stages later.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported by the functions: the CLI reads these lists instantly
    import pandas as pd

NOISE = -1  # theme_id of a unit that fits no theme
UNASSIGNED = -1  # segment_id of a respondent in no segment (their `segment_note` says why)
CRITERIA = ("identifiable", "substantial", "accessible", "differentiable", "actionable")
# Why an answer holds no words to analyse (`non_answer` column of units; "" = customer voice).
# "nothing": the customer says there is nothing to add or improve ("Nothing", "No", "All
# good"), a satisfied answer. "blank": no answer at all (empty, "N/A", "no comment", "don't
# know", "test"). Neither is clustered; both keep the person, their score and attributes.
NON_ANSWER_KINDS = ("nothing", "blank")

# One row per piece of customer voice. Attribute columns (role, plan, ...) may follow.
UNIT_COLUMNS = [
    "unit_id",  # stable: hash of source path + locator
    "respondent_id",
    "kind",  # interview | nps | ticket | survey | another declared kind
    "source",  # path relative to the corpus root
    "locator",  # "line 12", "row 7", "00:01:23", ...
    "text",
    "speaker",  # placeholder or name of who said it ("" when unknown)
    "context",  # the interviewer's question before an answer, else ""
    "date",  # ISO date string or ""
    "score",  # 0-10 float or NaN
    "count",  # how many identical texts this unit stands for (exact duplicates kept once)
    "non_answer",  # "" for customer voice, else one of NON_ANSWER_KINDS (never clustered)
]
# One row per person: the same person across sources when ids match.
RESPONDENT_COLUMNS = ["respondent_id", "kinds", "n_units"]
# Written by the segments stage: the segment, how sure the placement is, and why a person is in
# no segment (said nothing, only non-answers, placement flips between segments...).
RESPONDENT_SEGMENT_COLUMNS = ["segment_id", "segment_confidence", "segment_note"]
THEME_COLUMNS = [
    "theme_id",
    "label",
    "job",
    "pains",
    "outcomes",
    "size",
    "respondents",
    "share",
    "keywords",
    "quote_ids",
    "stability",
]
SEGMENT_COLUMNS = ["segment_id", "name", "size", "share"]

# Columns of the units table that are not respondent attributes.
UNIT_CORE = set(UNIT_COLUMNS) | {"theme_id", "x", "y", "nps_group", "theme_similarity"}
# Columns of the respondents table that are not attributes.
RESPONDENT_CORE = set(RESPONDENT_COLUMNS) | set(RESPONDENT_SEGMENT_COLUMNS) | {"segment"}


def check(table: pd.DataFrame, columns: list[str], name: str) -> pd.DataFrame:
    """Raise if a stage's table lacks a contract column (a bug, not a user error)."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{name} table is missing columns {missing}")
    return table


def nps_group(score: float) -> str:
    """Promoter (9-10), passive (7-8) or detractor (0-6); '' when there is no score."""
    if score is None or math.isnan(score):
        return ""
    if score >= 9:
        return "promoter"
    if score >= 7:
        return "passive"
    return "detractor"


def nps(scores: pd.Series) -> float:
    """Net Promoter Score (-100..100) of the non-missing scores; NaN when there are none."""
    valid = scores.dropna()
    if valid.empty:
        return float("nan")
    return float(100 * ((valid >= 9).mean() - (valid <= 6).mean()))


def carry_columns(
    table: pd.DataFrame, placed: pd.DataFrame, defaults: dict[str, object]
) -> pd.DataFrame:
    """Columns the themes step set per theme, carried by theme id onto the table the review
    edits rebuilt; a theme an edit made (a split's part) gets the default."""
    by_id = placed.set_index("theme_id")
    for column, default in defaults.items():
        if column in by_id:
            table[column] = table["theme_id"].map(by_id[column]).fillna(default)
    return table


def is_voice(units: pd.DataFrame) -> pd.Series:
    """Which units hold customer voice to cluster (not a blank or stock non-answer)."""
    import pandas as pd

    if "non_answer" not in units.columns:
        return pd.Series(True, index=units.index)
    return units["non_answer"].fillna("").eq("")
