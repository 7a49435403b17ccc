"""`map.html`: every unit on a 2-D map coloured by theme, as one self-contained file that opens
offline. Plain SVG with hover titles: no script and no CDN, so customer text can never run."""

from __future__ import annotations

import colorsys
import html
import math
from pathlib import Path

import numpy as np
import pandas as pd

from voc.core.tables import NOISE

WIDTH, HEIGHT, PAD = 900, 640, 20
# Points drawn with their quotes. Past this many units the map draws a sample (every theme,
# small themes whole) over a density layer of all units: the file stays a few MB and opens
# at once, and every quote is still in units.csv.
MAX_POINTS = 10_000
SMALL_THEME = 50  # a theme this small is always drawn whole
CELL = 10  # density cells, in map units
# Fixed colours for charts (segments, NPS); themes get `theme_colours`, as many as there are.
COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1"]
NOISE_COLOUR = "#cccccc"
HIDDEN_COLOUR = "#9a9a9a"  # a hidden theme's dots on the review page (map.html greys them)
GOLDEN = 0.381966  # of a turn: consecutive hues land far apart
FIRST_HUE = 0.6  # blue for the biggest theme or group


def hex_colour(hue: float, lightness: float, saturation: float) -> str:
    r, g, b = colorsys.hls_to_rgb(hue % 1.0, lightness, saturation)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def group_keys(themes: pd.DataFrame) -> list[str]:
    """Each theme's group: its `parent_id` when themes have one, else the theme itself."""
    ids = [int(t) for t in themes["theme_id"]]
    if "parent_id" not in themes:
        return [f"t{t}" for t in ids]
    seen: dict[object, str] = {}

    def key(parent: object) -> str:  # "g3" for parent 3; other values numbered as found
        if isinstance(parent, int | float) and float(parent).is_integer():
            return f"g{int(parent)}"
        return seen.setdefault(parent, f"gx{len(seen)}")

    parents = themes["parent_id"].astype(object)
    return [f"t{t}" if pd.isna(p) else key(p) for t, p in zip(ids, parents, strict=True)]


def spread_hues(n: int) -> list[float]:
    """n hues evenly around the colour wheel, handed out so that consecutive ones (the biggest
    themes or groups) land far apart: slot i·m mod n, with m near 0.382·n and coprime to n."""
    if n <= 1:
        return [FIRST_HUE] * n
    m = min((k for k in range(1, n) if math.gcd(k, n) == 1), key=lambda k: abs(k - GOLDEN * n))
    return [(FIRST_HUE + (i * m % n) / n) % 1.0 for i in range(n)]


def theme_colours(themes: pd.DataFrame) -> dict[int, str]:
    """A distinct colour per theme, however many: a hue per group (the top level, when themes
    have a `parent_id`), evenly spaced, and shades of it for the group's themes (dark to light,
    the hue turning slightly, never as far as the next group's); without groups, a hue per
    theme, neighbouring hues in different lightness. Unclustered units are grey."""
    ids = [int(t) for t in themes["theme_id"]]
    groups = group_keys(themes)
    order = list(dict.fromkeys(groups))
    hues = spread_hues(len(order))
    turn = min(0.05, 0.35 / max(len(order), 1))  # a group's hue range: well inside the gap
    colours = {NOISE: NOISE_COLOUR}
    for theme_id, group in zip(ids, groups, strict=True):
        hue = hues[order.index(group)]
        siblings = [t for t, g in zip(ids, groups, strict=True) if g == group]
        if len(siblings) > 1:
            step = siblings.index(theme_id) / (len(siblings) - 1)
            colours[theme_id] = hex_colour(hue + (step - 0.5) * turn, 0.3 + 0.42 * step, 0.65)
        else:
            slot = round((hue - FIRST_HUE) % 1.0 * len(order))  # wheel neighbours: lightness
            colours[theme_id] = hex_colour(hue, (0.42, 0.58, 0.32)[slot % 3], 0.7)
    return colours


def theme_groups(themes: pd.DataFrame) -> list[dict]:
    """The groups themes fall under (largest first, their themes largest first), each with a
    label and the middle shade of its hue; [] when there are no groups to show (no
    `parent_id`, or every theme is alone in its group)."""
    keys = group_keys(themes)
    if "parent_id" not in themes or len(set(keys)) == len(keys):
        return []
    order = list(dict.fromkeys(keys))
    hues = spread_hues(len(order))
    colours = theme_colours(themes)
    named = "group_label" in themes
    groups: dict[str, dict] = {}
    for key, t in zip(keys, themes.itertuples(), strict=True):
        g = groups.setdefault(key, {"key": key, "themes": [], "size": 0, "label": ""})
        g["themes"].append((int(t.size), int(t.theme_id)))
        g["size"] += int(t.size)
        name = getattr(t, "group_label", "") if named else ""
        if not g["label"] and isinstance(name, str) and name.strip():
            g["label"] = name.strip()
    found = []
    for key, g in groups.items():
        themes_in = [t for _, t in sorted(g["themes"], key=lambda st: (-st[0], st[1]))]
        if key.startswith("g"):
            label = g["label"] or f"group {key[1:]}"
        else:  # a theme without a parent stands alone under its own name
            label = str(themes.loc[themes["theme_id"] == themes_in[0], "label"].iloc[0])
        found.append(
            {
                "group": key,
                "label": label,
                "themes": themes_in,
                "size": g["size"],
                "colour": colours[themes_in[0]]
                if len(themes_in) == 1
                else hex_colour(hues[order.index(key)], 0.45, 0.65),
            }
        )
    return sorted(found, key=lambda g: -g["size"])


def scale(values: pd.Series, size: int) -> pd.Series:
    span = (values.max() - values.min()) or 1.0
    return PAD + (values - values.min()) / span * (size - 2 * PAD)


def drawn(units: pd.DataFrame, limit: int = MAX_POINTS) -> pd.Series:
    """Which units are drawn as points: all of them up to `limit`; past that a seeded sample
    with every theme present, small themes whole and the rest in proportion to their size."""
    n = len(units)
    if n <= limit:
        return pd.Series(True, index=units.index)
    sizes = units["theme_id"].value_counts()
    whole = sizes[sizes <= SMALL_THEME]
    share = (limit - whole.sum()) / max(sizes.drop(whole.index).sum(), 1)
    quota = {
        t: int(c) if t in whole.index else max(SMALL_THEME, int(c * share))
        for t, c in sizes.items()
    }
    rng = np.random.default_rng(0)
    keep = pd.Series(False, index=units.index)
    for theme, rows in units.groupby("theme_id").groups.items():
        keep[rng.choice(rows, size=min(len(rows), quota[theme]), replace=False)] = True
    return keep


def svg_density(units: pd.DataFrame, colours: dict[int, str]) -> str:
    """All units as shaded cells of CELL map units, each in the colour of its commonest theme
    and darker where more units fall: the shape of the whole corpus under the drawn sample."""
    xs, ys = screen(units)
    cells = pd.DataFrame(
        {"cx": (xs // CELL).astype(int), "cy": (ys // CELL).astype(int), "t": units["theme_id"]}
    )
    counts = cells.groupby(["cx", "cy"]).size()
    commonest = cells.groupby(["cx", "cy"])["t"].agg(lambda t: t.mode().iloc[0])
    top = np.log1p(counts.max())
    return "".join(
        f'<rect x="{cx * CELL}" y="{cy * CELL}" width="{CELL}" height="{CELL}" '
        f'fill="{colours.get(int(commonest[(cx, cy)]), NOISE_COLOUR)}" '
        f'fill-opacity="{0.1 + 0.5 * np.log1p(c) / top:.2f}"/>'
        for (cx, cy), c in counts.items()
    )


def svg_points(
    units: pd.DataFrame,
    themes: pd.DataFrame,
    colours: dict[int, str],
    groups: list[dict],
) -> str:
    """One <g> of circles per theme, inside a <g> per group when there are groups
    (unclustered first, so themes draw on top); each circle's <title> (escaped) is the hover
    text. Themes and groups have ids, so a legend link (#t-3, #grp-g2) picks them out."""
    labels = dict(zip(themes["theme_id"], themes["label"], strict=True))
    hidden = set(themes["theme_id"][themes["hidden"]]) if "hidden" in themes else set()
    xs, ys = screen(units)
    dots: dict[int, list[str]] = {}
    for u, x, y in zip(units.itertuples(), xs, ys, strict=True):
        theme = labels.get(u.theme_id, "unclustered")
        tip = html.escape(f"{theme}\n{u.text[:400]}\n— {u.source} {u.locator}")
        dots.setdefault(int(u.theme_id), []).append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5"><title>{tip}</title></circle>'
        )

    def theme_g(t: int) -> str:
        kind = "theme hid" if t in hidden else "theme"
        return (
            f'<g class="{kind}" id="t-{t}" data-theme="{t}" '
            f'fill="{colours.get(t, NOISE_COLOUR)}">' + "".join(dots.get(t, [])) + "</g>"
        )

    parts = [theme_g(NOISE)] if NOISE in dots else []
    grouped = {t for g in groups for t in g["themes"]}
    for g in groups:
        inner = "".join(theme_g(t) for t in g["themes"] if t in dots)
        parts.append(f'<g class="grp" id="grp-{g["group"]}">{inner}</g>')
    parts += [theme_g(t) for t in sorted(dots) if t != NOISE and t not in grouped]
    return "\n".join(parts)


NAME_CHARS = 32
CHAR_WIDTH, LINE = 6.0, 13.0  # of an 11px name, in map units, roughly


def place_names(
    anchors: list[tuple[int, float, float, str, int]], width: float
) -> list[tuple[int, float, float, str]]:
    """Where to draw each theme's name: at the middle of its points, nudged up or down when
    it would cover a bigger theme's name (the biggest themes are placed first)."""
    placed: list[tuple[float, float, float, float]] = []
    out = []
    for theme, x, y, name, _size in sorted(anchors, key=lambda a: -a[4]):
        half = (len(name) * CHAR_WIDTH + 6) / 2
        x = min(max(x, half), width - half)
        for dy in (0, -LINE, LINE, -2 * LINE, 2 * LINE, -3 * LINE, 3 * LINE):
            box = (x - half, y + dy - LINE + 2, x + half, y + dy + 2)
            if not any(
                box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed
            ):
                break
        else:
            dy, box = 0, (x - half, y - LINE + 2, x + half, y + 2)
        placed.append(box)
        out.append((theme, x, y + dy, name))
    return out


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"


def screen(units: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The units' map positions in drawing coordinates (y up), framed to their extent."""
    return scale(units["x"], WIDTH), HEIGHT - scale(units["y"], HEIGHT)


def theme_names(units: pd.DataFrame, themes: pd.DataFrame) -> list[tuple[int, float, float, str]]:
    """Where each theme's (shortened) name goes: at the middle of its units, nudged off the
    names of bigger themes (`place_names`), in drawing coordinates."""
    labels = dict(zip(themes["theme_id"], themes["label"], strict=True))
    xs, ys = screen(units)
    at = pd.DataFrame({"theme": units["theme_id"].to_numpy(), "x": xs, "y": ys})
    at = at[at["theme"] != NOISE]
    middles = at.groupby("theme")[["x", "y"]].median()
    sizes = at.groupby("theme").size()
    anchors = [
        (int(t), float(m.x), float(m.y), short(str(labels.get(t, t))), int(sizes[t]))
        for t, m in middles.iterrows()
    ]
    return place_names(anchors, WIDTH)


def svg_names(units: pd.DataFrame, themes: pd.DataFrame) -> str:
    """Each theme's name at the middle of its points, so the map reads without the legend;
    hidden themes' names in grey."""
    hidden = set(themes["theme_id"][themes["hidden"]]) if "hidden" in themes else set()
    return "\n".join(
        f'<text x="{x:.1f}" y="{y:.1f}" data-theme="{t}" class="{"hid" if t in hidden else ""}">'
        f"{html.escape(name)}</text>"
        for t, x, y, name in theme_names(units, themes)
    )


def legend(
    themes: pd.DataFrame, unclustered: int, colours: dict[int, str], groups: list[dict]
) -> str:
    """Theme entries (under their groups, when there are groups) that pick a theme out on the
    map when clicked."""
    rows = {}
    for t in themes.itertuples():
        hidden = bool(getattr(t, "hidden", False))
        rows[int(t.theme_id)] = (
            f'<li><a href="#t-{t.theme_id}"><span style="background:{colours[t.theme_id]}">'
            f"</span>{t.theme_id}: {html.escape(str(t.label))} ({t.size})"
            f"{' — hidden' if hidden else ''}</a></li>"
        )
    if groups:
        items = [
            f'<li class="group"><details open><summary><a href="#grp-{g["group"]}">'
            f'<span style="background:{g["colour"]}"></span>{html.escape(g["label"])}</a> '
            f"<small>{plural(len(g['themes']), 'theme')}, {g['size']} units</small></summary>"
            f"<ul>{''.join(rows[t] for t in g['themes'])}</ul></details></li>"
            for g in groups
        ]
    else:
        items = list(rows.values())
    items.append(
        f'<li><span style="background:{NOISE_COLOUR}"></span>unclustered ({unclustered})</li>'
    )
    return '<ul class="legend">' + "".join(items) + "</ul>"


def render_map(units: pd.DataFrame, themes: pd.DataFrame, title: str = "Theme map") -> str:
    colours = theme_colours(themes)
    groups = theme_groups(themes)
    hidden = themes["theme_id"][themes["hidden"]] if "hidden" in themes else []
    for t in hidden:  # a hidden theme stays on the map, greyed
        colours[int(t)] = NOISE_COLOUR
    unclustered = int((units["theme_id"] == NOISE).sum())
    grouped = f" under {len(groups)} groups" if groups else ""
    keep = drawn(units)
    sampled = not keep.all()
    density = f'<g class="density">{svg_density(units, colours)}</g>' if sampled else ""
    shown = (
        f" {int(keep.sum()):,} of them are drawn as points (every theme, small ones whole); "
        "the shading shows where all of them lie. Every quote is in <code>units.csv</code>."
        if sampled
        else ""
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 16px; display: flex; gap: 16px;
  align-items: flex-start; color: #222; }}
.map {{ flex: 1 1 auto; min-width: 0; position: sticky; top: 16px; }}
svg {{ width: 100%; height: auto; border: 1px solid #ddd; background: #fff; }}
svg circle {{ stroke: #fff; stroke-width: 0.5; }}
svg g.theme {{ scroll-margin-top: 100vh; }}
svg g.grp {{ scroll-margin-top: 100vh; }}
svg g.hid {{ opacity: 0.5; }}
svg:has(:target) g.theme {{ opacity: 0.12; }}
svg:has(:target) g.theme:target, svg:has(:target) g.grp:target g.theme {{ opacity: 1; }}
svg:has(circle:hover) g.theme {{ opacity: 0.25; }}
svg:has(circle:hover) g.theme:has(circle:hover) {{ opacity: 1; }}
svg circle:hover {{ r: 7; stroke: #000; stroke-width: 1; }}
svg text {{ font-size: 11px; text-anchor: middle; pointer-events: none; paint-order: stroke;
  stroke: #fff; stroke-width: 3px; fill: #222; }}
svg text.hid {{ fill: #999; font-style: italic; }}
aside {{ flex: 0 0 340px; }}
h1 {{ font-size: 20px; margin: 0 0 4px; }}
p {{ color: #555; margin: 0 0 8px; }}
ul {{ list-style: none; padding: 0; margin: 0; font-size: 13px; }}
ul ul {{ margin: 2px 0 6px 18px; }}
li {{ margin: 1px 0; }}
li span {{ display: inline-block; width: 10px; height: 10px; margin-right: 6px; }}
a {{ color: inherit; text-decoration: none; }}
a:hover {{ text-decoration: underline; }}
summary {{ cursor: pointer; font-weight: 600; }}
summary small {{ font-weight: normal; color: #666; }}
</style></head><body>
<div class="map"><svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img"
 aria-label="units coloured by theme">
{density}{svg_points(units[keep], themes, colours, groups)}
<g class="names">
{svg_names(units, themes)}
</g>
</svg></div>
<aside><h1>{html.escape(title)}</h1>
<p>{len(units)} units in {len(themes)} themes{grouped}.{shown} Hover a point to read the quote; its
theme lights up. Click a theme{" or group" if groups else ""} to pick it out on the map
(<a href="#">show all</a>).</p>{legend(themes, unclustered, colours, groups)}</aside>
</body></html>
"""


def write_map(units: pd.DataFrame, themes: pd.DataFrame, path: Path) -> None:
    path.write_text(render_map(units, themes), encoding="utf-8")
