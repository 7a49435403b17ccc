"""The themes table: each theme's size, reach, keywords, representative quotes (maximal
marginal relevance around its centre) and stability, and how typical each unit is of its
theme."""

from __future__ import annotations

import numpy as np
import pandas as pd

from voc.core.geometry import centroids, mmr
from voc.core.tables import NOISE
from voc.themes.keywords import keywords

QUOTES_PER_THEME = 6


def representative(
    vectors: np.ndarray, members: np.ndarray, k: int, diversity: float = 0.3
) -> list[int]:
    """Maximal marginal relevance: close to the theme's centre, unlike each other."""
    centre = vectors[members].mean(axis=0)
    centre /= np.linalg.norm(centre) or 1.0
    chosen = mmr(vectors[members] @ centre, vectors[members], k, diversity)
    return [int(members[c]) for c in chosen]


def similarity_to_centre(vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """How typical each unit is of its theme: cosine to the theme's centre."""
    sims = np.full(len(labels), np.nan, dtype=np.float32)
    for t, c in centroids(vectors, labels).as_dict().items():
        members = labels == t
        sims[members] = vectors[members] @ c
    return sims


def theme_table(
    vectors: np.ndarray,
    texts: list[str],
    respondent_ids: list[str],
    labels: np.ndarray,
    stab: dict[int, float],
) -> pd.DataFrame:
    """The themes table (without labels): size, reach, keywords, quotes, stability."""
    words = keywords(texts, labels)
    people = pd.Series(respondent_ids)
    total_people = max(people.nunique(), 1)
    rows = []
    for t in sorted(set(labels.tolist()) - {NOISE}):
        members = np.flatnonzero(labels == t)
        reach = people.iloc[members].nunique()
        rows.append(
            {
                "theme_id": t,
                "size": int(members.size),
                "respondents": int(reach),
                "share": reach / total_people,
                "keywords": words.get(t, []),
                "quote_idx": representative(vectors, members, QUOTES_PER_THEME),
                "stability": round(stab.get(t, 0.0), 3),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "theme_id",
            "size",
            "respondents",
            "share",
            "keywords",
            "quote_idx",
            "stability",
        ],
    )
