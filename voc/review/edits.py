"""A reviewer's edits to themes and segments, saved as `edits.json` in the run directory and
re-applied on every re-run. Edits name themes and segments by anchors (their most typical
unit ids, or member respondent ids), not by numbers, so they still find their target when a
re-run renumbers things; an edit whose target is gone is reported, never silently dropped."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from voc.core.errors import VocError
from voc.core.rundir import EDITS
from voc.core.store import read_json, write_json
from voc.core.tables import NOISE
from voc.review.ops import EDIT_OPS

ANCHORS = 20
MAX_SPLIT = 10


class EditError(VocError):
    """An edit that names nothing that exists or asks for something impossible."""


class StaleEdit(EditError):
    """An edit made on a page that showed an older state of the run."""


def load_edits(run_dir: Path) -> list[dict]:
    data = read_json(run_dir / EDITS, {"edits": []}) or {"edits": []}
    return list(data.get("edits", []))


def save_edits(run_dir: Path, edits: list[dict]) -> None:
    write_json({"version": 1, "edits": edits}, run_dir / EDITS)


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
