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
    """One circle per unit; its <title> (escaped) is the hover text."""
    xs, ys = scale(units["x"], WIDTH), scale(units["y"], HEIGHT)
    circles = []
    for u, x, y in zip(units.itertuples(), xs, ys, strict=True):
        theme = labels.get(u.theme_id, "unclustered")
        tip = html.escape(f"{theme}\n{u.text[:400]}\n— {u.source} {u.locator}")
        circles.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour(u.theme_id)}" '
            f'data-theme="{u.theme_id}"><title>{tip}</title></circle>'
        )
    return "\n".join(circles)


def legend(themes: pd.DataFrame) -> str:
    rows = [
        f'<li><span style="background:{colour(t.theme_id)}"></span>'
        f"{t.theme_id}: {html.escape(str(t.label))} ({t.size})</li>"
        for t in themes.itertuples()
    ]
    rows.append(f'<li><span style="background:{NOISE_COLOUR}"></span>unclustered</li>')
    return "<ul>" + "".join(rows) + "</ul>"


def render_map(units: pd.DataFrame, themes: pd.DataFrame, title: str = "Theme map") -> str:
    labels = dict(zip(themes["theme_id"], themes["label"], strict=True))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 16px; display: flex; gap: 16px; }}
svg {{ border: 1px solid #ddd; background: #fff; }}
ul {{ list-style: none; padding: 0; font-size: 13px; max-width: 360px; }}
li span {{ display: inline-block; width: 10px; height: 10px; margin-right: 6px; }}
circle:hover {{ r: 6; stroke: #000; }}
</style></head><body>
<svg width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"
 aria-label="units coloured by theme">
{svg_points(units, labels)}
</svg>
<div><h2>{html.escape(title)}</h2><p>Hover a point to read the quote.</p>{legend(themes)}</div>
</body></html>
"""


def write_map(units: pd.DataFrame, themes: pd.DataFrame, path: Path) -> None:
    path.write_text(render_map(units, themes), encoding="utf-8")
