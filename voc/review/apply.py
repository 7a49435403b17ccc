"""Where a reviewer's edits are applied: each stage re-applies the edits it is the first to be
affected by (the themes stage merges, splits, moves and hides; the label stage renames; the
segments stage merges segments; the profiles stage renames them), finding each edit's target
by its anchors, so an edit survives a re-run that renumbers things."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from voc.core.rundir import EDITS
from voc.core.tables import NOISE
from voc.review.edits import describe_edit
from voc.review.ops import THEME_STRUCTURE, THEME_WORDS
from voc.themes.table import theme_table


def resolve(current: pd.Series, anchors: list[str]) -> int | None:
    """The group (theme or segment) now holding most of the anchors, if it holds at least half
    of those still present."""
    found = current.reindex([a for a in anchors if a in current.index]).dropna()
    found = found[found != NOISE]
    if found.empty:
        return None
    group, hits = Counter(found.astype(int).tolist()).most_common(1)[0]
    return group if hits * 2 >= len(found) else None


def apply_theme_edits(
    edits: list[dict], units: pd.DataFrame, themes: pd.DataFrame, vectors: np.ndarray, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """Re-apply merges, splits, moves and hides to fresh themes; returns the updated units,
    themes and a line per edit saying whether it applied."""
    report: list[dict] = []
    hidden: set[int] = set()
    labels = units["theme_id"].to_numpy().copy()
    changed = False
    for edit in edits:
        if edit["op"] not in THEME_STRUCTURE:
            continue
        current = pd.Series(labels, index=units["unit_id"])
        ok = apply_structural(edit, current, labels, hidden, vectors, seed)
        changed |= ok and edit["op"] not in ("hide_theme", "show_theme")
        report.append(outcome(edit, ok))
    if changed:
        stab = dict(zip(themes["theme_id"], themes["stability"], strict=True))
        touched = set(np.unique(labels)) - set(themes["theme_id"])
        merged = {
            t for t in themes["theme_id"] if (labels == t).sum() != (units["theme_id"] == t).sum()
        }
        for t in touched | merged:
            stab[t] = float("nan")  # a person's edit, not a clustering result
        units = units.assign(theme_id=labels)
        themes = theme_table(
            vectors, units["text"].tolist(), units["respondent_id"].tolist(), labels, stab
        )
        themes["quote_ids"] = [
            [units["unit_id"].iat[i] for i in idx] for idx in themes["quote_idx"]
        ]
        themes = themes.drop(columns="quote_idx")
    themes["hidden"] = themes["theme_id"].isin(hidden)
    return units, themes, report


def apply_structural(
    edit: dict,
    current: pd.Series,
    labels: np.ndarray,
    hidden: set[int],
    vectors: np.ndarray,
    seed: int,
) -> bool:
    """Apply one structural edit in place on `labels`; False when its target is gone."""
    op = edit["op"]
    if op == "move_unit":
        target = NOISE if edit["theme"] == NOISE else resolve(current, edit["anchors"])
        where = np.flatnonzero(current.index == edit["unit_id"])
        if target is None or where.size == 0:
            return False
        labels[where] = target
        return True
    if op == "merge_themes":
        ids = [resolve(current, a) for a in edit["sources"]]
        if any(i is None for i in ids) or len(set(ids)) < 2:
            return False
        for other in ids[1:]:
            labels[labels == other] = ids[0]
        return True
    target = resolve(current, edit["anchors"])
    if target is None:
        return False
    if op == "split_theme":
        from sklearn.cluster import KMeans

        members = np.flatnonzero(labels == target)
        parts = int(edit.get("parts", 2))
        if members.size < 2 * parts:
            return False
        sub = KMeans(n_clusters=parts, n_init=10, random_state=seed).fit_predict(vectors[members])
        top = int(labels.max())
        for p in range(1, parts):
            labels[members[sub == p]] = top + p
        return True
    if op == "hide_theme":
        hidden.add(target)
    else:  # show_theme
        hidden.discard(target)
    return True


def outcome(edit: dict, ok: bool) -> dict:
    text = describe_edit(edit)
    if ok:
        return {"edit": text, "applied": True, "message": f"re-applied: {text}"}
    return {
        "edit": text,
        "applied": False,
        "message": f"no longer applies (its theme is gone after re-clustering): {text}. "
        f"Remove it from {EDITS} or redo it in the review.",
    }


def apply_label_edits(edits: list[dict], units: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """Renamed themes and edited job statements override the labeler's."""
    current = pd.Series(units["theme_id"].to_numpy(), index=units["unit_id"])
    themes = themes.copy()
    for edit in edits:
        if edit["op"] not in THEME_WORDS:
            continue
        target = resolve(current, edit["anchors"])
        if target is None:
            continue
        column, value = (
            ("label", edit["label"]) if edit["op"] == "rename_theme" else ("job", edit["job"])
        )
        themes.loc[themes["theme_id"] == target, column] = value
    return themes


def apply_segment_merges(edits: list[dict], assignment: pd.Series) -> pd.Series:
    """Merged segments become one, under the first one's id."""
    assignment = assignment.copy()
    for edit in edits:
        if edit["op"] != "merge_segments":
            continue
        ids = [resolve(assignment, a) for a in edit["sources"]]
        if all(i is not None for i in ids):
            assignment[assignment.isin(ids[1:])] = ids[0]
    return assignment


def apply_segment_edits(
    edits: list[dict], people: pd.DataFrame, segments: pd.DataFrame
) -> pd.DataFrame:
    """Renamed segments keep the reviewer's name."""
    current = people.set_index("respondent_id")["segment_id"]
    segments = segments.copy()
    for edit in edits:
        if edit["op"] == "rename_segment":
            target = resolve(current, edit["anchors"])
            if target is not None:
                segments.loc[segments["segment_id"] == target, "name"] = edit["name"]
    return segments


def has_theme_edits(edits: list[dict]) -> bool:
    """Whether a reviewer merged, split, hid or moved anything in this run."""
    return any(e["op"] in THEME_STRUCTURE for e in edits)


def follow_segments(previous: pd.Series, current: pd.Series) -> pd.Series:
    """Segment ids that follow their members: each new segment takes the id of the old one it
    shares most people with (a one-to-one matching), so an edit never renumbers segments."""
    from scipy.optimize import linear_sum_assignment

    both = current.index.intersection(previous.index)
    old, new = previous.reindex(both), current.reindex(both)
    keep = (old >= 0) & (new >= 0)
    overlap = pd.crosstab(new[keep], old[keep])
    if overlap.empty:
        return current
    rows, cols = linear_sum_assignment(-overlap.to_numpy())
    mapping = {
        int(overlap.index[r]): int(overlap.columns[c]) for r, c in zip(rows, cols, strict=True)
    }
    spare = iter(range(max([*mapping.values(), *current]) + 1, 10**6))
    for s in sorted(set(current[current >= 0]) - set(mapping)):
        mapping[int(s)] = next(spare)
    return current.map(lambda s: mapping.get(int(s), s)).astype(int)


def segment_moves(previous: pd.Series, current: pd.Series, top: int = 5) -> list[str]:
    """The largest flows of people between segments, as sentences ("14 people moved from
    segment 2 to segment 4")."""
    both = current.index.intersection(previous.index)
    old, new = previous.reindex(both), current.reindex(both)
    moved = pd.DataFrame({"old": old, "new": new})[old != new].value_counts().head(top)

    def where(s: int) -> str:
        return f"segment {s}" if s >= 0 else "no segment"

    return [
        f"{n} {'person' if n == 1 else 'people'} moved from {where(a)} to {where(b)}"
        for (a, b), n in moved.items()
    ] or ["No one moved between segments"]
