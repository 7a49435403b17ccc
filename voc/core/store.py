"""Reading and writing the run directory's tables and JSON files. Nested cells (lists, dicts)
are stored as JSON text so Parquet and CSV files stay flat and any tool can open them."""

from __future__ import annotations

import json
import math
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


def json_default(value: object) -> object:
    """`json.dumps(default=…)` for what tables and stage data hold besides plain Python:
    numpy arrays and scalars, and paths."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__}")


def plain(value: object) -> object:
    """A JSON-safe copy for an API answer: numpy scalars and arrays as Python values, NaN and
    NA as None (JSON has no NaN)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def save_table(table: pd.DataFrame, path: Path) -> None:
    """Write a table as Parquet, nested cells as JSON text."""
    flat = table.copy()
    for col in flat.columns:
        if col in NESTED:
            flat[col] = [json.dumps(v, default=json_default, ensure_ascii=False) for v in flat[col]]
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
                else json.dumps(v, default=json_default)
                for v in flat[col]
            ]
    flat.to_csv(path, index=False)


def write_json(data: object, path: Path) -> None:
    """Write JSON atomically (manifest, edits)."""
    tmp = path.with_suffix(".tmp")
    text = json.dumps(data, indent=2, default=json_default, ensure_ascii=False)
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(path)


def read_json(path: Path, default: object = None) -> object:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else default
