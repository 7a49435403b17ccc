"""`voc update BASE CORPUS… --out NEW`: a new period's corpus in a base run's taxonomy. A new
answer takes the base theme its nearest base answers vote for — as units past a fitted sample
do — and an answer already in the base run keeps its theme. An answer is new where base
answers are rare around it (against its theme's own mix of both periods, so a surge is not
new) and it is farther from the theme than all but the loosest of its members, or no base
answer is near it at all. New answers are clustered among themselves; clusters large enough
become themes marked `new`. Base themes keep their ids, labels, jobs and the reviewer's edits
(they are in the base tables); respondents join the base segment whose theme profile they
match best."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from voc.config import Config
from voc.errors import VocError
from voc.rundir import Results
from voc.tables import NOISE, UNASSIGNED, carry_columns, is_voice

if TYPE_CHECKING:
    from voc.segments import SegmentResult
    from voc.themes import ThemeResult

NEIGHBOURS = 5  # base units whose map positions place a new unit on the base map
LOOSEST = 0.05  # a unit fits a theme when as close to it as all but its loosest 5% of members
NOVEL_SHARE = 0.5  # new where base units are under half as common around it as in its theme's
# mix of both periods; with no base unit near at all, new when that mix makes it this unlikely
UNLIKELY = 0.05
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


def nearest_theme(
    vectors: np.ndarray, centres: pd.DataFrame, threshold: float | np.ndarray
) -> np.ndarray:
    """Each vector's theme: the nearest centre when its cosine reaches that theme's threshold
    (one for all, or one per centre), else NOISE (a zero vector, a non-answer, is never close)."""
    if centres.empty:
        return np.full(len(vectors), NOISE)
    cosine = vectors @ centres.to_numpy().T
    best = cosine.argmax(axis=1)
    bar = np.broadcast_to(np.asarray(threshold, dtype=float), (len(centres),))[best]
    close = cosine[np.arange(len(best)), best] >= bar
    return np.where(close, centres.index.to_numpy()[best], NOISE).astype(int)


def theme_bars(units: pd.DataFrame, centres: pd.DataFrame, floor: float) -> np.ndarray:
    """How close a unit must be to join each theme: as close to its centre as all but the
    loosest 5% of the theme's own members (never under `floor`, the noise rule's cosine). A
    tight theme asks for a close match; a broad one accepts more."""
    themed = units[units["theme_id"] != NOISE]
    loosest = themed.groupby("theme_id")["theme_similarity"].quantile(LOOSEST)
    return np.maximum(loosest.reindex(centres.index).fillna(floor).to_numpy(), floor)


def place_units(base: Base, units: pd.DataFrame, vectors: np.ndarray, config: Config) -> np.ndarray:
    """Base theme per unit: the one its `VOTERS` nearest base units vote for (the nearest centre
    when unclustered ones win), NOISE for a unit the base run never heard of (`is_new`); a
    text the base run holds keeps its theme, and a non-answer has none. Past
    `config.fit_sample` base units, neighbours are sought in a seeded sample of that size (and
    this period's answers at the same rate), as in a sample fit: the cost stays linear."""
    from voc.engine import engine_for
    from voc.themes import VOTERS, neighbour_vote

    engine = engine_for(config)
    said = base.results.units
    spoken = np.flatnonzero(is_voice(said).to_numpy())
    rate = min(1.0, config.fit_sample / max(len(spoken), 1))
    rng = np.random.default_rng(config.seed)
    fitted = np.sort(rng.choice(spoken, round(rate * len(spoken)), replace=False))
    voice = is_voice(units).to_numpy()
    said_once = np.flatnonzero(voice & ~units["text"].duplicated().to_numpy())
    recent = np.sort(rng.choice(said_once, round(rate * len(said_once)), replace=False))
    labels = said["theme_id"].to_numpy()
    pool = base.vectors[fitted]
    theme = np.full(len(units), NOISE)
    theme[voice] = engine.place(neighbour_vote, vectors[voice], fitted=pool, labels=labels[fitted])
    unvoted = voice & (theme == NOISE)
    theme[unvoted] = nearest_theme(vectors[unvoted], base.centres, -1.0)
    near = engine.place(base_neighbours, vectors[voice], fitted=pool, recent=vectors[recent])
    k = min(VOTERS, len(fitted) + len(recent) - 1)
    mix = base_mix(labels[fitted], theme[recent], base.centres.index)
    new = np.zeros(len(units), dtype=bool)
    new[voice] = is_new(base, theme[voice], vectors[voice], near, k, mix, config)
    placed = np.where(new, NOISE, theme)
    known = said.drop_duplicates("text").set_index("text")["theme_id"]
    again = units["text"].map(known)
    placed = np.where(again.notna(), again.fillna(NOISE).astype(int), placed)
    placed[~voice] = NOISE
    return placed


SAME_TEXT = 1 - 1e-6  # cosine of a text to itself, or to a copy of it


def base_neighbours(vectors: np.ndarray, fitted: np.ndarray, recent: np.ndarray) -> np.ndarray:
    """How many of each vector's `VOTERS` nearest units are base units (`fitted`) rather than
    this period's (`recent`, each text once; the vector's own text is not its neighbour, so a
    burst of one answer repeated does not surround itself)."""
    from voc.themes import VOTERS

    def top(cosine: np.ndarray) -> np.ndarray:
        k = min(VOTERS, cosine.shape[1])
        best = -np.partition(-cosine, k - 1, axis=1)[:, :k] if k else cosine[:, :0]
        return np.pad(best, ((0, 0), (0, VOTERS - k)), constant_values=-np.inf)

    to_recent = vectors @ recent.T
    to_recent[to_recent >= SAME_TEXT] = -np.inf
    both = np.hstack([top(vectors @ fitted.T), top(to_recent)])  # base first
    nearest = np.argpartition(-both, VOTERS - 1, axis=1)[:, :VOTERS]
    real = np.isfinite(np.take_along_axis(both, nearest, axis=1))  # padding is nobody
    return ((nearest < VOTERS) & real).sum(axis=1)


def base_mix(base_themes: np.ndarray, period_themes: np.ndarray, ids: pd.Index) -> pd.Series:
    """Each theme's share of base units among its units of both periods."""
    in_base = pd.Series(base_themes).value_counts().reindex(ids, fill_value=0)
    in_period = pd.Series(period_themes).value_counts().reindex(ids, fill_value=0)
    return in_base / (in_base + in_period).clip(lower=1)


def is_new(
    base: Base,
    theme: np.ndarray,
    vectors: np.ndarray,
    near: np.ndarray,
    k: int,
    mix: pd.Series,
    config: Config,
    chunk: int = 65536,
) -> np.ndarray:
    """Which units the base run never heard of. Base units are rare around it: under
    `NOVEL_SHARE` as common among its `k` nearest (`near` of them are base units) as in its
    theme's `mix` of both periods, so a surge of a known need is not new. And it is farther
    from the theme's centre than all but the loosest of its members (`theme_bars`), or it has
    no base unit near at all where its theme's mix would almost surely put one (a new need
    beside a known one, close to that theme, that January never voiced)."""
    bars = theme_bars(base.results.units, base.centres, config.noise_reassign_similarity)
    centres = base.centres.to_numpy()
    column = base.centres.index.get_indexer(theme)
    to_theme = np.concatenate(
        [
            np.einsum("ij,ij->i", vectors[i : i + chunk], centres[column[i : i + chunk]])
            for i in range(0, len(vectors), chunk)
        ]
        or [np.zeros(0)]
    )
    fits = to_theme >= bars[column]
    share = mix.to_numpy()[column]
    rare = near < NOVEL_SHARE * share * k
    alone = (near == 0) & ((1 - share) ** k < UNLIKELY)
    return rare & (~fits | alone)


def map_positions(base: Base, vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Positions on the base map (see `neighbour_positions`), so the base map is never refitted
    and old and new answers share one picture."""
    units = base.results.units
    placed = units["x"].notna().to_numpy()
    return neighbour_positions(
        vectors,
        labels,
        base.vectors[placed],
        units.loc[placed, "theme_id"].to_numpy(),
        units.loc[placed, ["x", "y"]].to_numpy(),
    )


def neighbour_positions(
    vectors: np.ndarray,
    labels: np.ndarray,
    mapped: np.ndarray,
    mapped_labels: np.ndarray,
    xy: np.ndarray,
    chunk: int = 2048,
) -> np.ndarray:
    """Each vector's map position: the mean position of its `NEIGHBOURS` nearest mapped units
    of the same theme (of all mapped units when its theme has none on the map). Searching
    within the theme keeps the cost near linear and each answer among its theme's points."""
    out = np.zeros((len(vectors), 2))
    for theme in np.unique(labels):
        rows = np.flatnonzero(labels == theme)
        pool = np.flatnonzero(mapped_labels == theme) if theme != NOISE else []
        if len(pool) == 0:
            pool = np.arange(len(mapped))
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            cosine = vectors[part] @ mapped[pool].T
            k = min(NEIGHBOURS, len(pool))
            nearest = np.argpartition(-cosine, k - 1, axis=1)[:, :k]
            out[part] = xy[pool[nearest]].mean(axis=1)
    return out


def segment_profiles(base: Base) -> pd.DataFrame:
    """Base segments × base themes: the share of members who mention each theme."""
    units, people = base.results.units, base.results.respondents
    said = pd.crosstab(units["respondent_id"], units["theme_id"]).drop(
        columns=NOISE, errors="ignore"
    )
    segment = people.set_index("respondent_id")["segment_id"].reindex(said.index)
    members = said.gt(0)[segment.ne(UNASSIGNED) & segment.notna()]
    return members.groupby(segment).mean()


def in_base_segments(
    base: Base,
    units: pd.DataFrame,
    people: pd.DataFrame,
    vectors: np.ndarray,
    visible: pd.DataFrame,
    config: Config,
    hidden: set[int],
) -> SegmentResult:
    """The segments stage of an update: this period's people in the base run's segments
    (`place_respondents`, on `visible`: units outside hidden themes), described by this
    period's theme mix. The period itself is not segmented."""
    from voc.segments import find_segments

    result = find_segments(units, people, vectors, config.with_updates(segments=1), hidden)
    result.assignment, result.confidence = place_respondents(base, visible)
    outside = result.assignment[result.assignment == UNASSIGNED].index
    result.reasons = pd.Series(NO_BASE_SEGMENT, index=outside)
    segments = base.results.segments
    result.k = len(segments)
    if "stability" in segments:
        result.stability = dict(zip(segments["segment_id"], segments["stability"], strict=True))
    result.note = (
        f"{len(result.assignment) - len(outside)} of {len(result.assignment)} respondents with "
        f"answers joined the base run's segments by the themes they mention; "
        f"{len(outside)} fit none."
    )
    return result


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


def new_themes(
    base: Base, vectors: np.ndarray, texts: list[str], people: list[str], config: Config
) -> tuple[np.ndarray, dict[int, float]]:
    """Themes among the units no base theme took one by one. A cluster whose centre is as close
    to a base theme's as near-duplicate themes are merged (`merge_similarity`) is that theme's:
    stragglers, not a new job. Other clusters count when they hold at least `min_size` units
    close to their own centre (a loose lump of leftovers is no theme); they get ids after the
    base's, the rest NOISE."""
    from voc.themes import MIN_SIZES, find_themes, similarity_to_centre

    labels = np.full(len(vectors), NOISE)
    min_size = config.min_theme_size or MIN_SIZES[0]
    if len(vectors) < 2 * min_size:
        return labels, {}
    found = find_themes(vectors, texts, people, config)
    typical = similarity_to_centre(vectors, found.assignment)
    stability = dict(zip(found.themes["theme_id"], found.themes["stability"], strict=True))
    centres = theme_centres(pd.DataFrame({"theme_id": found.assignment}), vectors)
    same = nearest_theme(centres.to_numpy(), base.centres, config.merge_similarity)
    home = dict(zip(centres.index, same, strict=True))
    first = int(base.results.themes["theme_id"].max()) + 1
    kept: dict[int, float] = {}
    for t in sorted(set(found.assignment.tolist()) - {NOISE}):
        members = found.assignment == t
        if home[t] != NOISE:
            labels[members] = home[t]
        elif (
            members.sum() >= min_size
            and typical[members].mean() >= config.noise_reassign_similarity
        ):
            labels[members] = first + len(kept)
            kept[first + len(kept)] = float(stability.get(t, 0.0))
    return labels, kept


def update_themes(
    base: Base, units: pd.DataFrame, vectors: np.ndarray, config: Config
) -> ThemeResult:
    """The themes stage of an update, on the voice units: base themes where they fit, new ones
    among the rest, positions on the base map."""
    from voc.themes import ThemeResult, describe, similarity_to_centre

    voice = is_voice(units).to_numpy()
    spoken, vecs = units[voice], vectors[voice]
    labels = place_units(base, units, vectors, config)[voice]
    left = np.flatnonzero(labels == NOISE)
    texts, people = spoken["text"].tolist(), spoken["respondent_id"].tolist()
    fresh, new_stability = new_themes(
        base, vecs[left], [texts[i] for i in left], [people[i] for i in left], config
    )
    labels[left] = fresh
    base_themes = base.results.themes.set_index("theme_id")
    stability = {**base_themes["stability"].to_dict(), **new_stability}
    table = describe(vecs, texts, people, labels, stability)
    table["status"] = np.where(table["theme_id"].isin(new_stability), "new", "")
    if "parent_id" in base_themes:  # base themes stay in their groups; new ones join the nearest
        centres = theme_centres(spoken.assign(theme_id=labels), vecs)
        nearest = nearest_theme(centres.to_numpy(), base.centres, -1.0)
        home = dict(zip(centres.index, nearest, strict=True))
        source = [t if t in base_themes.index else home[t] for t in table["theme_id"]]
        for column in ("parent_id", "group_label"):
            if column in base_themes:
                table[column] = base_themes[column].reindex(source).to_numpy()
    params = {"n_units": int(voice.sum()), "base_run": str(base.results.run_dir)}
    return ThemeResult(
        labels, map_positions(base, vecs, labels), table, params, similarity_to_centre(vecs, labels)
    )


def carry_base(table: pd.DataFrame, placed: pd.DataFrame, base: Base) -> pd.DataFrame:
    """After the update run's own edits: each theme's status and group as placed, and the
    base reviewer's hidden themes still hidden."""
    table = carry_columns(table, placed, {"status": "new"})
    for column in ("parent_id", "group_label"):
        if column in placed:
            table[column] = table["theme_id"].map(placed.set_index("theme_id")[column])
    themes = base.results.themes
    hidden = themes["theme_id"][themes["hidden"].astype(bool)] if "hidden" in themes else []
    table["hidden"] = table["hidden"] | table["theme_id"].isin(hidden)
    return table
