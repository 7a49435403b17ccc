"""`map.html`: every unit on a 2-D map coloured by theme, as one self-contained file that opens
offline. Plain SVG with hover titles: no script and no CDN, so customer text can never run."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from voc.themes import NOISE

WIDTH, HEIGHT, PAD = 900, 640, 20
COLOURS = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#1f77b4",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
]
NOISE_COLOUR = "#cccccc"


def colour(theme_id: int) -> str:
    return NOISE_COLOUR if theme_id == NOISE else COLOURS[theme_id % len(COLOURS)]


def scale(values: pd.Series, size: int) -> pd.Series:
    span = (values.max() - values.min()) or 1.0
    return PAD + (values - values.min()) / span * (size - 2 * PAD)


def svg_points(units: pd.DataFrame, labels: dict[int, str]) -> str:
    """One group of circles per theme (unclustered first, so themes draw on top); each
    circle's <title> (escaped) is the hover text."""
    xs, ys = scale(units["x"], WIDTH), HEIGHT - scale(units["y"], HEIGHT)
    groups: dict[int, list[str]] = {}
    for u, x, y in zip(units.itertuples(), xs, ys, strict=True):
        theme = labels.get(u.theme_id, "unclustered")
        tip = html.escape(f"{theme}\n{u.text[:400]}\n— {u.source} {u.locator}")
        groups.setdefault(int(u.theme_id), []).append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5"><title>{tip}</title></circle>'
        )
    return "\n".join(
        f'<g fill="{colour(t)}" data-theme="{t}">' + "".join(groups[t]) + "</g>"
        for t in sorted(groups)
    )


def legend(themes: pd.DataFrame, unclustered: int) -> str:
    hidden = themes["hidden"] if "hidden" in themes else pd.Series(False, index=themes.index)
    rows = [
        f'<li><span style="background:{colour(t.theme_id)}"></span>'
        f"{t.theme_id}: {html.escape(str(t.label))} ({t.size}){' — hidden' if h else ''}</li>"
        for t, h in zip(themes.itertuples(), hidden, strict=True)
    ]
    rows.append(
        f'<li><span style="background:{NOISE_COLOUR}"></span>unclustered ({unclustered})</li>'
    )
    return "<ul>" + "".join(rows) + "</ul>"


def render_map(units: pd.DataFrame, themes: pd.DataFrame, title: str = "Theme map") -> str:
    labels = dict(zip(themes["theme_id"], themes["label"], strict=True))
    unclustered = int((units["theme_id"] == NOISE).sum())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 16px; display: flex; gap: 16px;
  align-items: flex-start; color: #222; }}
.map {{ flex: 1 1 auto; min-width: 0; }}
svg {{ width: 100%; height: auto; border: 1px solid #ddd; background: #fff; }}
svg circle {{ stroke: #fff; stroke-width: 0.5; }}
svg:has(circle:hover) g {{ opacity: 0.25; }}
svg g:hover {{ opacity: 1; }}
svg circle:hover {{ r: 7; stroke: #000; stroke-width: 1; }}
aside {{ flex: 0 0 340px; max-height: calc(100vh - 32px); overflow-y: auto; }}
h1 {{ font-size: 20px; margin: 0 0 4px; }}
p {{ color: #555; margin: 0 0 8px; }}
ul {{ list-style: none; padding: 0; margin: 0; font-size: 13px; }}
li {{ margin: 1px 0; }}
li span {{ display: inline-block; width: 10px; height: 10px; margin-right: 6px; }}
</style></head><body>
<div class="map"><svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img"
 aria-label="units coloured by theme">
{svg_points(units, labels)}
</svg></div>
<aside><h1>{html.escape(title)}</h1>
<p>{len(units)} units in {len(themes)} themes. Hover a point to read the quote; its theme
lights up.</p>{legend(themes, unclustered)}</aside>
</body></html>
"""


def write_map(units: pd.DataFrame, themes: pd.DataFrame, path: Path) -> None:
    path.write_text(render_map(units, themes), encoding="utf-8")
