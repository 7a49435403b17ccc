"""Reading and writing the run directory's tables. Nested cells (lists, dicts) are stored as
JSON text so Parquet and CSV files stay flat and any tool can open them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

NESTED = {
    "keywords",
    "quote_ids",
    "pains",
    "outcomes",
    "attributes",
    "themes",
    "profile",
    "judgement",
    "quote_idx",
}


def _plain(value: object) -> object:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot store {type(value).__name__}")


def save_table(table: pd.DataFrame, path: Path) -> None:
    """Write a table as Parquet, nested cells as JSON text."""
    flat = table.copy()
    for col in flat.columns:
        if col in NESTED:
            flat[col] = [json.dumps(v, default=_plain, ensure_ascii=False) for v in flat[col]]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    flat.to_parquet(tmp, index=False)
    tmp.replace(path)  # a run killed mid-write never leaves a half table behind


def load_table(path: Path) -> pd.DataFrame:
    """Read a table written by `save_table`, nested cells decoded."""
    table = pd.read_parquet(path)
    for col in table.columns:
        if col in NESTED:
            table[col] = [json.loads(v) if isinstance(v, str) else v for v in table[col]]
    return table


def save_csv(table: pd.DataFrame, path: Path) -> None:
    """A spreadsheet-friendly copy: lists of words joined with '; ', other nesting as JSON."""
    flat = table.copy()
    for col in flat.columns:
        if col in NESTED:
            flat[col] = [
                "; ".join(map(str, v))
                if isinstance(v, list) and all(isinstance(x, str | int) for x in v)
                else json.dumps(v, default=_plain)
                for v in flat[col]
            ]
    flat.to_csv(path, index=False)


def write_json(data: object, path: Path) -> None:
    """Write JSON atomically (manifest, edits)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps(data, indent=2, default=_plain, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    tmp.replace(path)


def read_json(path: Path, default: object = None) -> object:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else default
