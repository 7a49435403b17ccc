"""A reviewer's edits to themes and segments, saved as `edits.json` in the run directory and
re-applied on every re-run. Edits name themes and segments by anchors (their most typical
unit ids, or member respondent ids), not by numbers, so they still find their target when a
re-run renumbers things; an edit whose target is gone is reported, never silently dropped."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path

import numpy as np
import pandas as pd

from voc.config import Config
from voc.errors import VocError
from voc.stages import EDIT_OPS, stage
from voc.store import read_json, write_json
from voc.tables import NOISE
from voc.themes import describe

EDITS_FILE = "edits.json"
ANCHORS = 20
STRUCTURAL = stage("themes").edits
MAX_SPLIT = 10


class EditError(VocError):
    """An edit that names nothing that exists or asks for something impossible; `status` is
    the HTTP answer the review page gives."""

    def __init__(self, message: str, status: int = HTTPStatus.BAD_REQUEST) -> None:
        super().__init__(message)
        self.status = status


def load_edits(run_dir: Path) -> list[dict]:
    data = read_json(run_dir / EDITS_FILE, {"edits": []}) or {"edits": []}
    return list(data.get("edits", []))


def save_edits(run_dir: Path, edits: list[dict]) -> None:
    write_json({"version": 1, "edits": edits}, run_dir / EDITS_FILE)


def add_edit(run_dir: Path, edit: dict) -> dict:
    """Append one edit (built by `build_edit`, with a timestamp) to the run's edits file.
    Showing a theme that an earlier edit hid removes that hide instead: the two cancel out."""
    edits = load_edits(run_dir)
    edit = {**edit, "at": datetime.now(UTC).isoformat(timespec="seconds")}
    hid = [
        i
        for i, e in enumerate(edits)
        if edit["op"] == "show_theme"
        and e["op"] == "hide_theme"
        and len(set(e["anchors"]) & set(edit["anchors"])) * 2 >= len(edit["anchors"])
    ]
    if hid:
        del edits[hid[-1]]
    else:
        edits.append(edit)
    save_edits(run_dir, edits)
    return edit


def remove_edit(run_dir: Path, number: int) -> dict:
    """Take back edit `number` as `edit_history` numbers them (1 = the newest)."""
    edits = load_edits(run_dir)
    if not 1 <= number <= len(edits):
        have = f"edits 1 to {len(edits)}" if edits else "no edits"
        raise EditError(f"There is no edit {number}: this run has {have} (`voc edits list`).")
    removed = edits.pop(len(edits) - number)
    save_edits(run_dir, edits)
    return removed


def edit_history(run_dir: Path) -> list[dict]:
    """The saved edits newest first, numbered for `remove_edit`, as sentences people read."""
    edits = load_edits(run_dir)
    return [
        {"number": n, "text": describe_edit(e), "at": e.get("at", ""), "op": e["op"]}
        for n, e in enumerate(reversed(edits), 1)
    ]


def theme_anchors(units: pd.DataFrame, theme_id: int) -> list[str]:
    """The theme's most typical unit ids: what an edit remembers the theme by."""
    members = units[units["theme_id"] == theme_id]
    if members.empty:
        raise EditError(f"There is no theme {theme_id}. `voc themes RUN` lists the themes.")
    ranked = members.sort_values("theme_similarity", ascending=False, na_position="last")
    return ranked["unit_id"].head(ANCHORS).tolist()


def segment_anchors(people: pd.DataFrame, segment_id: int) -> list[str]:
    members = people[people["segment_id"] == segment_id]["respondent_id"]
    if members.empty:
        raise EditError(f"There is no segment {segment_id}. `voc report RUN` lists them.")
    return sorted(members)[:ANCHORS]


def text_field(body: dict, name: str, limit: int = 200) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise EditError(f"Give a non-empty `{name}`.")
    value = " ".join(value.split())
    if len(value) > limit:
        raise EditError(f"`{name}` is too long ({len(value)} characters; at most {limit}).")
    return value


def int_field(body: dict, name: str) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise EditError(f"Give `{name}` as a number.")
    try:
        return int(value)
    except ValueError:
        raise EditError(f"Give `{name}` as a number, not {value!r}.") from None


def id_list(body: dict, name: str) -> list[int]:
    values = body.get(name)
    if not isinstance(values, list):
        raise EditError(f"Give `{name}` as a list of ids.")
    ids = list(dict.fromkeys(int_field({"id": v}, "id") for v in values))
    if len(ids) < 2:
        raise EditError(f"Name at least two different {name} to merge.")
    return ids


def build_edit(
    body: dict, units: pd.DataFrame, people: pd.DataFrame, names: dict[str, str] | None = None
) -> dict:
    """The edit to save for one request (`{"op": "rename_theme", "theme": 3, "label": …}`),
    from the CLI or the review page alike; EditError when it names nothing that exists or
    asks for the impossible. Themes and segments are remembered by anchors (see above), and
    by the names they had (`run_names`), for the edit history."""
    edit = make_edit(body, units, people)
    ids = [("theme", t) for t in edit.get("themes", [edit.get("theme")]) if t is not None]
    ids += [("segment", s) for s in edit.get("segments", [edit.get("segment")]) if s is not None]
    known = {f"{kind} {i}": (names or {}).get(f"{kind} {i}") for kind, i in ids}
    return {**edit, "names": {k: v for k, v in known.items() if v}}


def run_names(themes: pd.DataFrame, segments: pd.DataFrame) -> dict[str, str]:
    """'theme 3' → its label and 'segment 1' → its name, as an edit remembers them."""
    found = {f"theme {t}": str(n) for t, n in zip(themes["theme_id"], themes["label"], strict=True)}
    if "name" in segments:
        pairs = zip(segments["segment_id"], segments["name"], strict=True)
        found |= {f"segment {s}": str(n) for s, n in pairs}
    return found


def make_edit(body: dict, units: pd.DataFrame, people: pd.DataFrame) -> dict:
    """The edit itself, validated (see `build_edit`)."""
    op = body.get("op")
    if op not in EDIT_OPS:
        raise EditError(f"Unknown edit {op!r}; known edits: {', '.join(EDIT_OPS)}.")

    def theme(name: str = "theme") -> int:
        return int_field(body, name)

    if op == "rename_theme":
        t = theme()
        label = text_field(body, "label")
        return {"op": op, "theme": t, "label": label, "anchors": theme_anchors(units, t)}
    if op == "set_job":
        t = theme()
        job = text_field(body, "job", 1000)
        return {"op": op, "theme": t, "job": job, "anchors": theme_anchors(units, t)}
    if op == "merge_themes":
        ids = id_list(body, "themes")
        return {"op": op, "themes": ids, "sources": [theme_anchors(units, t) for t in ids]}
    if op == "split_theme":
        t = theme()
        anchors = theme_anchors(units, t)
        parts = int_field(body, "parts") if "parts" in body else 2
        size = int((units["theme_id"] == t).sum())
        if not 2 <= parts <= MAX_SPLIT or size < 2 * parts:
            most = min(MAX_SPLIT, size // 2)
            can = f"can be split in 2 to {most} parts" if most >= 2 else "is too small to split"
            raise EditError(f"Theme {t} has {size} units: it {can}.")
        return {"op": op, "theme": t, "parts": parts, "anchors": anchors}
    if op in ("hide_theme", "show_theme"):
        t = theme()
        return {"op": op, "theme": t, "anchors": theme_anchors(units, t)}
    if op == "move_unit":
        unit_id = body.get("unit_id")
        if not isinstance(unit_id, str) or not (units["unit_id"] == unit_id).any():
            raise EditError(f"There is no unit {unit_id!r} in this run.")
        t = theme()
        anchors = [] if t == NOISE else theme_anchors(units, t)  # -1: out of every theme
        current = int(units.loc[units["unit_id"] == unit_id, "theme_id"].iloc[0])
        if current == t:
            where = "unclustered" if t == NOISE else f"in theme {t}"
            raise EditError(f"Unit {unit_id} is already {where}.")
        return {"op": op, "unit_id": unit_id, "theme": t, "anchors": anchors}
    if op == "rename_segment":
        s = int_field(body, "segment")
        name = text_field(body, "name")
        return {"op": op, "segment": s, "name": name, "anchors": segment_anchors(people, s)}
    ids = id_list(body, "segments")  # merge_segments
    return {"op": op, "segments": ids, "sources": [segment_anchors(people, s) for s in ids]}


def resolve(current: pd.Series, anchors: list[str]) -> int | None:
    """The group (theme or segment) now holding most of the anchors, if it holds at least half
    of those still present."""
    found = current.reindex([a for a in anchors if a in current.index]).dropna()
    found = found[found != NOISE]
    if found.empty:
        return None
    group, hits = Counter(found.astype(int).tolist()).most_common(1)[0]
    return group if hits * 2 >= len(found) else None


def describe_edit(edit: dict) -> str:
    """The edit as a sentence: "Merged 'Erp, sync' into 'Admin, role'". Names are the ones the
    themes and segments had when the edit was made."""
    names = edit.get("names", {})

    def q(kind: str, ident: object) -> str:
        name = names.get(f"{kind} {ident}")
        return f"'{name}'" if name else f"{kind} {ident}"

    op = edit["op"]
    if op in ("merge_themes", "merge_segments"):
        kind = "theme" if op == "merge_themes" else "segment"
        ids = edit["themes" if kind == "theme" else "segments"]
        return f"Merged {', '.join(q(kind, i) for i in ids[1:])} into {q(kind, ids[0])}"

    def into() -> str:
        return "to unclustered" if edit["theme"] == NOISE else f"into {q('theme', edit['theme'])}"

    sentences = {
        "rename_theme": lambda: f"Renamed {q('theme', edit['theme'])} to '{edit['label']}'",
        "set_job": lambda: f"Re-worded the job of {q('theme', edit['theme'])}",
        "split_theme": lambda: f"Split {q('theme', edit['theme'])} in {edit['parts']}",
        "hide_theme": lambda: f"Hid {q('theme', edit['theme'])}",
        "show_theme": lambda: f"Showed {q('theme', edit['theme'])} again",
        "move_unit": lambda: f"Moved unit {edit['unit_id']} {into()}",
        "rename_segment": lambda: f"Renamed {q('segment', edit['segment'])} to '{edit['name']}'",
    }
    return sentences[op]()


def apply_theme_edits(
    run_dir: Path, units: pd.DataFrame, themes: pd.DataFrame, vectors: np.ndarray, config: Config
) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """Re-apply merges, splits, moves and hides to fresh themes; returns the updated units,
    themes and a line per edit saying whether it applied."""
    report: list[dict] = []
    hidden: set[int] = set()
    labels = units["theme_id"].to_numpy().copy()
    changed = False
    for edit in load_edits(run_dir):
        if edit["op"] not in STRUCTURAL:
            continue
        current = pd.Series(labels, index=units["unit_id"])
        ok = apply_structural(edit, current, labels, hidden, vectors, config.seed)
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
        themes = describe(
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
        f"Remove it from {EDITS_FILE} or redo it in the review.",
    }


def apply_label_edits(run_dir: Path, units: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """Renamed themes and edited job statements override the labeler's."""
    current = pd.Series(units["theme_id"].to_numpy(), index=units["unit_id"])
    themes = themes.copy()
    for edit in load_edits(run_dir):
        if edit["op"] not in ("rename_theme", "set_job"):
            continue
        target = resolve(current, edit["anchors"])
        if target is None:
            continue
        column, value = (
            ("label", edit["label"]) if edit["op"] == "rename_theme" else ("job", edit["job"])
        )
        themes.loc[themes["theme_id"] == target, column] = value
    return themes


def apply_segment_merges(run_dir: Path, assignment: pd.Series) -> pd.Series:
    """Merged segments become one, under the first one's id."""
    assignment = assignment.copy()
    for edit in load_edits(run_dir):
        if edit["op"] != "merge_segments":
            continue
        ids = [resolve(assignment, a) for a in edit["sources"]]
        if all(i is not None for i in ids):
            assignment[assignment.isin(ids[1:])] = ids[0]
    return assignment


def apply_segment_edits(
    run_dir: Path, people: pd.DataFrame, segments: pd.DataFrame
) -> pd.DataFrame:
    """Renamed segments keep the reviewer's name."""
    current = people.set_index("respondent_id")["segment_id"]
    segments = segments.copy()
    for edit in load_edits(run_dir):
        if edit["op"] == "rename_segment":
            target = resolve(current, edit["anchors"])
            if target is not None:
                segments.loc[segments["segment_id"] == target, "name"] = edit["name"]
    return segments


def has_theme_edits(run_dir: Path) -> bool:
    """Whether a reviewer merged, split, hid or moved anything in this run."""
    return any(e["op"] in STRUCTURAL for e in load_edits(run_dir))


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
