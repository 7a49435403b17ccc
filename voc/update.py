"""`voc update BASE CORPUS… --out NEW`: a new period's corpus in a base run's taxonomy. New
answers join the base theme with the nearest centre when close enough — the rule that placed
the base run's unclustered units — and an answer already in the base run keeps its theme. What
fits nowhere is clustered among itself; clusters large enough become themes marked `new`.
Base themes keep their ids, labels, jobs and the reviewer's edits (they are in the base
tables); respondents join the base segment whose theme profile they match best."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from voc.config import Config
from voc.errors import VocError
from voc.rundir import Results
from voc.tables import NOISE, UNASSIGNED, is_voice

NEIGHBOURS = 5  # base units whose map positions place a new unit on the base map
NO_BASE_SEGMENT = "fits no segment of the base run"


@dataclass
class Base:
    """What an update needs of the base run: its tables, vectors and theme centres."""

    results: Results
    vectors: np.ndarray
    centres: pd.DataFrame  # theme_id → normalised mean embedding

    @classmethod
    def load(cls, run_dir: Path) -> Base:
        results = Results.load(run_dir)
        path = run_dir / "embeddings.npy"
        if results.themes.empty or not path.exists():
            raise VocError(
                f"{run_dir} is not a finished voc run (no themes or embeddings). Give the run "
                "directory of an earlier `voc run` as the base."
            )
        vectors = np.load(path)
        return cls(results, vectors, theme_centres(results.units, vectors))


def theme_centres(units: pd.DataFrame, vectors: np.ndarray) -> pd.DataFrame:
    """Each theme's normalised mean embedding, one row per theme id."""
    ids = units["theme_id"].to_numpy()
    rows = {int(t): vectors[ids == t].mean(axis=0) for t in sorted(set(ids) - {NOISE})}
    frame = pd.DataFrame(rows).T
    return frame.div(np.linalg.norm(frame, axis=1), axis=0)


def nearest_theme(vectors: np.ndarray, centres: pd.DataFrame, threshold: float) -> np.ndarray:
    """Each vector's theme: the nearest centre when its cosine is at least `threshold`, else
    NOISE (a zero vector, a non-answer, is never close)."""
    if centres.empty:
        return np.full(len(vectors), NOISE)
    cosine = vectors @ centres.to_numpy().T
    best = cosine.argmax(axis=1)
    close = cosine[np.arange(len(best)), best] >= threshold
    return np.where(close, centres.index.to_numpy()[best], NOISE).astype(int)


def place_units(base: Base, units: pd.DataFrame, vectors: np.ndarray, config: Config) -> np.ndarray:
    """Base theme per unit (NOISE where none fits): a text the base run holds keeps its theme,
    the rest go by `nearest_theme`."""
    placed = nearest_theme(vectors, base.centres, config.noise_reassign_similarity)
    known = base.results.units.drop_duplicates("text").set_index("text")["theme_id"]
    again = units["text"].map(known)
    placed = np.where(again.notna(), again.fillna(NOISE).astype(int), placed)
    placed[~is_voice(units).to_numpy()] = NOISE
    return placed


def map_positions(base: Base, vectors: np.ndarray) -> np.ndarray:
    """Positions on the base map: the mean of the nearest base units' positions, so the base
    map is never refitted and old and new answers share one picture."""
    units = base.results.units
    placed = units["x"].notna().to_numpy()
    cosine = vectors @ base.vectors[placed].T
    nearest = np.argsort(-cosine, axis=1)[:, :NEIGHBOURS]
    xy = units.loc[placed, ["x", "y"]].to_numpy()
    return xy[nearest].mean(axis=1)


def segment_profiles(base: Base) -> pd.DataFrame:
    """Base segments × base themes: the share of members who mention each theme."""
    units, people = base.results.units, base.results.respondents
    said = pd.crosstab(units["respondent_id"], units["theme_id"]).drop(
        columns=NOISE, errors="ignore"
    )
    segment = people.set_index("respondent_id")["segment_id"].reindex(said.index)
    members = said.gt(0)[segment.ne(UNASSIGNED) & segment.notna()]
    return members.groupby(segment).mean()


def place_respondents(base: Base, units: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each respondent's base segment (the profile nearest by cosine to the themes they mention)
    and that cosine; UNASSIGNED for someone who mentions no base theme."""
    profiles = segment_profiles(base)
    said = pd.crosstab(units["respondent_id"], units["theme_id"]).gt(0).astype(float)
    said = said.reindex(columns=profiles.columns, fill_value=0.0)
    p = profiles.to_numpy() / np.maximum(np.linalg.norm(profiles, axis=1, keepdims=True), 1e-9)
    x = said.to_numpy()
    norms = np.linalg.norm(x, axis=1)
    cosine = (x @ p.T) / np.maximum(norms[:, None], 1e-9)
    best = cosine.argmax(axis=1)
    segment = np.where(norms > 0, profiles.index.to_numpy()[best], UNASSIGNED)
    fit = np.where(norms > 0, cosine[np.arange(len(best)), best], np.nan)
    return (
        pd.Series(segment.astype(int), index=said.index, name="segment_id"),
        pd.Series(fit.round(3), index=said.index, name="segment_confidence"),
    )
