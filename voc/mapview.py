"""`map.html`: every unit on a 2-D map coloured by theme, as one self-contained file that opens
offline. Plain SVG with hover titles: no script and no CDN, so customer text can never run."""

from __future__ import annotations

import colorsys
import html
from pathlib import Path

import pandas as pd

from voc.tables import NOISE

WIDTH, HEIGHT, PAD = 900, 640, 20
# Fixed colours for charts (segments, NPS); themes get `theme_colours`, as many as there are.
COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1"]
NOISE_COLOUR = "#cccccc"
GOLDEN_ANGLE = 0.381966  # of a turn: consecutive hues land far apart, however many there are


def hex_colour(hue: float, lightness: float, saturation: float) -> str:
    r, g, b = colorsys.hls_to_rgb(hue % 1.0, lightness, saturation)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def theme_colours(themes: pd.DataFrame) -> dict[int, str]:
    """A distinct colour per theme, however many: a hue per group (the top level, when themes
    have a `parent_id`) and shades of it for the group's themes; without groups, a hue per
    theme with alternating lightness. Unclustered units are grey."""
    ids = [int(t) for t in themes["theme_id"]]
    groups = themes["parent_id"].tolist() if "parent_id" in themes else ids
    order = list(dict.fromkeys(groups))
    colours = {NOISE: NOISE_COLOUR}
    for theme_id, group in zip(ids, groups, strict=True):
        hue = order.index(group) * GOLDEN_ANGLE
        siblings = [t for t, g in zip(ids, groups, strict=True) if g == group]
        if len(siblings) > 1:  # shades from dark to light within the group
            step = siblings.index(theme_id) / (len(siblings) - 1)
            colours[theme_id] = hex_colour(hue, 0.32 + 0.38 * step, 0.65)
        else:
            colours[theme_id] = hex_colour(hue, (0.42, 0.56, 0.34)[order.index(group) % 3], 0.7)
    return colours


def scale(values: pd.Series, size: int) -> pd.Series:
    span = (values.max() - values.min()) or 1.0
    return PAD + (values - values.min()) / span * (size - 2 * PAD)


def svg_points(units: pd.DataFrame, labels: dict[int, str], colours: dict[int, str]) -> str:
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
        f'<g fill="{colours.get(t, NOISE_COLOUR)}" data-theme="{t}">' + "".join(groups[t]) + "</g>"
        for t in sorted(groups)
    )


def svg_names(units: pd.DataFrame, labels: dict[int, str]) -> str:
    """Each theme's name at the middle of its points, so the map reads without the legend."""
    xs, ys = scale(units["x"], WIDTH), HEIGHT - scale(units["y"], HEIGHT)
    at = pd.DataFrame({"theme": units["theme_id"].to_numpy(), "x": xs, "y": ys})
    middles = at[at["theme"] != NOISE].groupby("theme")[["x", "y"]].median()
    return "\n".join(
        f'<text x="{m.x:.1f}" y="{m.y:.1f}">{html.escape(labels.get(t, str(t))[:40])}</text>'
        for t, m in middles.iterrows()
    )


def legend(themes: pd.DataFrame, unclustered: int, colours: dict[int, str]) -> str:
    hidden = themes["hidden"] if "hidden" in themes else pd.Series(False, index=themes.index)
    rows = [
        f'<li><span style="background:{colours[t.theme_id]}"></span>'
        f"{t.theme_id}: {html.escape(str(t.label))} ({t.size}){' — hidden' if h else ''}</li>"
        for t, h in zip(themes.itertuples(), hidden, strict=True)
    ]
    rows.append(
        f'<li><span style="background:{NOISE_COLOUR}"></span>unclustered ({unclustered})</li>'
    )
    return "<ul>" + "".join(rows) + "</ul>"


def render_map(units: pd.DataFrame, themes: pd.DataFrame, title: str = "Theme map") -> str:
    labels = dict(zip(themes["theme_id"], themes["label"], strict=True))
    colours = theme_colours(themes)
    hidden = themes["theme_id"][themes["hidden"]] if "hidden" in themes else []
    for t in hidden:  # a hidden theme stays on the map, greyed
        colours[int(t)] = NOISE_COLOUR
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
svg:has(circle:hover) g:has(circle:hover) {{ opacity: 1; }}
svg circle:hover {{ r: 7; stroke: #000; stroke-width: 1; }}
svg text {{ font-size: 11px; text-anchor: middle; pointer-events: none; paint-order: stroke;
  stroke: #fff; stroke-width: 3px; fill: #222; }}
aside {{ flex: 0 0 340px; max-height: calc(100vh - 32px); overflow-y: auto; }}
h1 {{ font-size: 20px; margin: 0 0 4px; }}
p {{ color: #555; margin: 0 0 8px; }}
ul {{ list-style: none; padding: 0; margin: 0; font-size: 13px; }}
li {{ margin: 1px 0; }}
li span {{ display: inline-block; width: 10px; height: 10px; margin-right: 6px; }}
</style></head><body>
<div class="map"><svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img"
 aria-label="units coloured by theme">
{svg_points(units, labels, colours)}
{svg_names(units, labels)}
</svg></div>
<aside><h1>{html.escape(title)}</h1>
<p>{len(units)} units in {len(themes)} themes. Hover a point to read the quote; its theme
lights up.</p>{legend(themes, unclustered, colours)}</aside>
</body></html>
"""


def write_map(units: pd.DataFrame, themes: pd.DataFrame, path: Path) -> None:
    path.write_text(render_map(units, themes), encoding="utf-8")
