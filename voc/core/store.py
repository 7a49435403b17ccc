"""Reading and writing the run directory's tables and JSON files. List columns (keywords,
pains, quote ids…) are Parquet lists, as pandas, DuckDB and Arrow users expect; other nested
cells (a segment's profile, its attribute make-up) are JSON text. In CSV copies a list is one
readable cell."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

LISTS = {"keywords", "phrases", "quote_ids", "pains", "outcomes"}  # of text
NUMBERS = {"quote_idx"}  # lists of row positions, inside a stage only
NESTED = {"attributes", "themes", "profile", "judgement"}  # stored as JSON text
LIST_SEPARATOR = "; "


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
    """Write a table as Parquet: list columns as lists, other nested cells as JSON text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    flat = table.copy()
    lists = {}
    for col in flat.columns:
        if col in NESTED:
            flat[col] = [json.dumps(v, default=json_default, ensure_ascii=False) for v in flat[col]]
        elif col in LISTS or col in NUMBERS:
            kind = pa.string() if col in LISTS else pa.int64()
            cells = [as_list(v, str if col in LISTS else int) for v in flat[col]]
            lists[col] = pa.array(cells, type=pa.list_(kind))
    arrow = pa.Table.from_pandas(flat.drop(columns=list(lists)), preserve_index=False)
    for col in flat.columns:  # in the table's own column order
        if col in lists:
            arrow = arrow.add_column(list(flat.columns).index(col), col, lists[col])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    pq.write_table(arrow, tmp)
    tmp.replace(path)  # a run killed mid-write never leaves a half table behind


def as_list(value: object, kind: type) -> list | None:
    """A list cell's items as `kind` (a run made before lists were lists holds JSON text)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        value = json.loads(value)
    return [kind(v) for v in value]  # type: ignore[union-attr]


def load_table(path: Path) -> pd.DataFrame:
    """Read a table written by `save_table`: list cells as Python lists, JSON cells decoded."""
    table = pd.read_parquet(path)
    for col in table.columns:
        if col in NESTED:
            table[col] = [json.loads(v) if isinstance(v, str) else v for v in table[col]]
        elif col in LISTS or col in NUMBERS:
            kind = str if col in LISTS else int
            table[col] = [as_list(v, kind) for v in table[col]]
    return table


def save_csv(table: pd.DataFrame, path: Path) -> None:
    """A spreadsheet-friendly copy: a list as one cell of its items joined with '; ', other
    nesting as JSON."""
    flat = table.copy()
    for col in flat.columns:
        if col in LISTS:
            flat[col] = [LIST_SEPARATOR.join(v) if isinstance(v, list) else "" for v in flat[col]]
        elif col in NESTED:
            flat[col] = [json.dumps(v, default=json_default, ensure_ascii=False) for v in flat[col]]
    flat.to_csv(path, index=False)


def write_json(data: object, path: Path) -> None:
    """Write JSON atomically (manifest, edits)."""
    tmp = path.with_suffix(".tmp")
    text = json.dumps(data, indent=2, default=json_default, ensure_ascii=False)
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(path)


def read_json(path: Path, default: object = None) -> object:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else default
