"""Text as the report shows it: customer and model text made safe for Markdown, quotes
clipped, shares and scores formatted; and the run's tables as the report reads them."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from voc.core.rundir import Run

MARK = {"pass": "✅", "weak": "⚠️", "fail": "❌"}


QUOTE_CHARS = 320


def md(text: object) -> str:
    """Customer or model text made safe for Markdown tables and GitHub's renderer."""
    return html.escape(str(text), quote=False).replace("|", "\\|").replace("\n", " ").strip()


def clip(text: str, limit: int = QUOTE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def pct(x: float) -> str:
    return "–" if pd.isna(x) else f"{x:.0%}"


def score(x: float) -> str:
    return "–" if pd.isna(x) else f"{x:+.0f}"


class Tables:
    """The run's tables, loaded once for the report."""

    def __init__(self, run: Run) -> None:
        results = run.results()
        self.units = results.units
        self.themes = results.themes
        self.people = results.respondents
        self.segments = results.segments
        self.by_unit = self.units.set_index("unit_id")
        self.redact = run.config.redact
        self.theme_label = dict(zip(self.themes["theme_id"], self.themes["label"], strict=True))
