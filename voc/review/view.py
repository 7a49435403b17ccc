"""The review page's view of a run: one consistent snapshot of its tables, everything
GET /api/run returns (the map drawn by the same rules as map.html), and the answers
GET /api/units pages through."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from voc.core.errors import VocError
from voc.core.rundir import Results
from voc.core.store import plain
from voc.core.tables import CRITERIA, is_voice
from voc.outputs.map import (
    HEIGHT,
    HIDDEN_COLOUR,
    NOISE_COLOUR,
    WIDTH,
    drawn,
    group_keys,
    screen,
    theme_colours,
    theme_groups,
    theme_names,
)
from voc.review.edits import edit_history

TABLES = ("units.parquet", "themes.parquet", "segments.parquet", "respondents.parquet")
MAX_POINTS = 6000  # units drawn on the page's map; past it a sample (see mapview.drawn)


TIP_CHARS = 300


QUOTES = 5
PAGE, MAX_PAGE = 50, 500  # answers per page of GET /api/units: by default, and at most


def files_version(run_dir: Path) -> str:
    """Changes whenever the run's tables or edits are rewritten (by us or by the CLI)."""
    h = hashlib.sha256()
    for name in (*TABLES, "edits.json"):
        path = run_dir / name
        if path.exists():
            st = path.stat()
            h.update(f"{name}:{st.st_mtime_ns}:{st.st_size};".encode())
    return h.hexdigest()[:16]


@dataclass
class Snapshot:
    """One consistent read of the run: what the page shows and what edits are built from."""

    version: str
    units: pd.DataFrame
    people: pd.DataFrame
    themes: pd.DataFrame
    segments: pd.DataFrame
    manifest: dict
    data: dict = field(default_factory=dict)


def load_snapshot(run_dir: Path) -> Snapshot:
    """Read the run's tables; a clear VocError when the run is incomplete."""
    version = files_version(run_dir)
    results = Results.finished(run_dir)
    snap = Snapshot(
        version,
        results.units,
        results.respondents,
        results.themes,
        results.segments,
        results.manifest,
    )
    snap.data = page_data(run_dir, snap)
    return snap


def page_data(run_dir: Path, snap: Snapshot) -> dict:
    """Everything GET /api/run returns: the run, themes (and the groups they fall under, when
    themes.parquet has `parent_id`), segments and the criteria they are judged on, the map
    (points and theme names in drawing coordinates, colours) and edits."""
    units = snap.units
    by_id = units.set_index("unit_id")
    colours = theme_colours(snap.themes)
    groups = theme_groups(snap.themes)
    group_of = dict(zip(snap.themes["theme_id"].astype(int), group_keys(snap.themes), strict=True))
    themes = []
    for t in snap.themes.sort_values("theme_id").itertuples():
        quotes = []
        for uid in list(getattr(t, "quote_ids", []) or [])[:QUOTES]:
            if uid in by_id.index:
                row = by_id.loc[uid]
                quotes.append(
                    {
                        "unit_id": uid,
                        "text": str(row["text"]),
                        "source": str(row["source"]),
                        "locator": str(row["locator"]),
                    }
                )
        themes.append(
            {
                "theme_id": int(t.theme_id),
                "label": str(getattr(t, "label", "") or f"theme {t.theme_id}"),
                "job": str(getattr(t, "job", "") or ""),
                "size": int(t.size),
                "respondents": int(getattr(t, "respondents", 0) or 0),
                "share": getattr(t, "share", None),
                "stability": getattr(t, "stability", None),
                "keywords": list(getattr(t, "keywords", []) or []),
                "hidden": bool(getattr(t, "hidden", False)),
                "colour": colours[int(t.theme_id)],
                "group": group_of[int(t.theme_id)] if groups else None,
                "quotes": quotes,
            }
        )
    labels = {t["theme_id"]: t["label"] for t in themes}
    segments = []
    for _, s in snap.segments.sort_values("segment_id").iterrows():
        top = sorted(s.get("themes") or [], key=lambda d: -(d.get("lift") or 0))[:3]
        profile = s.get("profile") if isinstance(s.get("profile"), dict) else {}
        segments.append(
            {
                "segment_id": int(s["segment_id"]),
                "name": str(s.get("name", "") or f"segment {s['segment_id']}"),
                "size": int(s["size"]),
                "stability": s.get("stability"),
                "share": s.get("share"),
                "summary": str(profile.get("summary", "") or ""),
                "themes": [
                    {"theme_id": d["theme_id"], "label": labels.get(d["theme_id"], ""), **d}
                    for d in top
                ],
                "criteria": [
                    {
                        "name": c,
                        "verdict": s.get(c),
                        "shown": s.get(f"{c}_shown"),
                        "reason": s.get(f"{c}_reason"),
                    }
                    for c in CRITERIA
                ],
            }
        )
    voice = units[is_voice(units)]  # non-answers have no place on the map
    keep = drawn(voice, MAX_POINTS)
    shown = voice[keep]
    xs, ys = screen(voice)
    points = {
        "unit_id": shown["unit_id"].tolist(),
        "x": [round(float(v), 1) for v in xs[keep]],
        "y": [round(float(v), 1) for v in ys[keep]],
        "theme_id": shown["theme_id"].astype(int).tolist(),
        "text": [clip(str(t)) for t in shown["text"]],
        "source": shown["source"].astype(str).tolist(),
        "locator": shown["locator"].astype(str).tolist(),
    }
    outcomes = snap.manifest.get("edits", []) or []
    saved = edit_history(run_dir)
    return plain(
        {
            "run": {
                "name": run_dir.resolve().name,
                "version": snap.version,
                "units_total": len(voice),
                "units_shown": len(shown),
                "unclustered": int((voice["theme_id"] == -1).sum()),
                "respondents": len(snap.people),
            },
            "themes": themes,
            "groups": groups,
            "criteria": list(CRITERIA),
            "map": {
                "width": WIDTH,
                "height": HEIGHT,
                "noise_colour": NOISE_COLOUR,
                "hidden_colour": HIDDEN_COLOUR,
                "names": [
                    {"theme_id": t, "x": round(x, 1), "y": round(y, 1), "name": name}
                    for t, x, y, name in theme_names(voice, snap.themes)
                ],
            },
            "segments": segments,
            "units": points,
            "edits": {
                "saved": saved,
                "outcomes": outcomes,
                "moves": snap.manifest.get("segment_moves", []),
            },
        }
    )  # type: ignore[return-value]


class BadQuery(VocError):
    """A GET /api/units query voc cannot answer (its message says which parameter)."""


def find_units(units: pd.DataFrame, query: dict[str, list[str]]) -> dict:
    """What GET /api/units returns: one page of the answers holding every word of `q` (any
    case) in theme `theme` (−1: unclustered), a theme's most typical first. It reaches every
    answer, also those a large run's map leaves out."""
    given = {name: values[0] for name, values in query.items()}  # parse_qs drops blank ones
    words = given.get("q", "").lower().split()
    try:
        theme = int(given["theme"]) if "theme" in given else None
        offset = int(given.get("offset", 0))
        limit = int(given.get("limit", PAGE))
    except ValueError:
        raise BadQuery("theme, offset and limit must be whole numbers") from None
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise BadQuery(f"offset must be 0 or more, and limit between 1 and {MAX_PAGE}")
    found = units[is_voice(units)]
    if theme is not None:
        found = found[found["theme_id"] == theme]
        found = found.sort_values("theme_similarity", ascending=False, kind="stable")
    if words:
        lowered = found["text"].str.lower()
        found = found[np.logical_and.reduce([lowered.str.contains(w, regex=False) for w in words])]
    page = found.iloc[offset : offset + limit]
    columns = ["unit_id", "text", "theme_id", "source", "locator", "respondent_id"]
    return {
        "total": len(found),
        "offset": offset,
        "limit": limit,
        "units": page[columns].astype({"theme_id": int}).to_dict("records"),
    }


def clip(text: str) -> str:
    """Map hover text: long passages cut, visibly."""
    return text if len(text) <= TIP_CHARS else text[: TIP_CHARS - 1].rstrip() + "…"
