"""Tabular files (.csv, .tsv, .xlsx, .json, .jsonl) as tables of rows: the delimiter and any
banner lines above the header detected, spreadsheet cells as text, nested JSON flattened and
ticket messages kept as lists."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from voc.core.errors import Problem
from voc.ingest.records import Unreadable

csv.field_size_limit(2**31 - 1)  # a single long answer must not break the reader

MESSAGE_KEYS = ("messages", "comments", "conversation", "thread", "conversation_parts", "replies")
RECORD_KEYS = ("tickets", "responses", "results", "data", "items", "records", "rows", "entries")


@dataclass
class Row:
    """One record of a table; `number` is the row a spreadsheet shows (header = row 1)."""

    number: int
    locator: str
    values: dict[str, str]
    messages: list[dict[str, Any]] | None = None


@dataclass
class Table:
    """The rows of one CSV, sheet or JSON document, and the rows that could not be read."""

    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def load_tables(path: Path, text: str | None, source: str) -> list[Table]:
    """The tables in a file: one for CSV/TSV/JSON(L), one per non-empty sheet for XLSX."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _load_xlsx(path)
    assert text is not None
    if suffix == ".jsonl":
        return [_load_jsonl(text, source)]
    if suffix == ".json":
        return [_load_json(text)]
    return [_load_delimited(text, source, "\t" if suffix == ".tsv" else None)]


def _load_delimited(text: str, source: str, delimiter: str | None) -> Table:
    records = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter or _sniff(text))]
    numbered = [(i + 1, r) for i, r in enumerate(records) if any(c.strip() for c in r)]
    if not numbered:
        raise Unreadable("the table has no rows", "export it again with a header row")
    skip = _preamble(numbered)
    columns = _header([c for c in numbered[skip][1]])
    table = Table(columns)
    if skip:
        table.problems.append(
            Problem(
                source,
                f"skipped {skip} line(s) above the header row, starting "
                f"{' '.join(numbered[0][1]).strip()[:40]!r}",
                f"row {numbered[0][0]}" if skip == 1 else f"rows {numbered[0][0]}-{skip}",
                "remove them if the header row is not the one voc used",
                "row",
            )
        )
    for number, record in numbered[skip + 1 :]:
        cells = [c.strip() for c in record]
        while len(cells) > len(columns) and not cells[-1]:
            cells.pop()
        if len(cells) > len(columns):
            table.problems.append(
                Problem(
                    source,
                    f"row has {len(cells)} fields but the header has {len(columns)}",
                    f"row {number}",
                    "put text that contains the delimiter in double quotes",
                    "row",
                )
            )
            continue
        cells += [""] * (len(columns) - len(cells))
        table.rows.append(Row(number, f"row {number}", dict(zip(columns, cells, strict=True))))
    return table


def _preamble(numbered: list[tuple[int, list[str]]], window: int = 20) -> int:
    """How many leading lines are a banner or title, not the header: lines with at most one
    filled cell above a table whose rows mostly fill several (an export's 'Archive: ...')."""
    filled = [sum(1 for c in r if c.strip()) for _, r in numbered[:window]]
    if sorted(filled)[len(filled) // 2] < 2:
        return 0  # a one-column table: every line is a row
    skip = 0
    while skip < len(filled) - 1 and filled[skip] <= 1:
        skip += 1
    return skip


def _sniff(text: str) -> str:
    """The delimiter that splits the most of the first lines into the same, largest number of
    fields (comma on a tie); a banner line above the header does not decide it. A delimiter
    that splits only a minority of the lines is a character in the text of a one-column file
    ("&amp;" in a comment), not the file's delimiter."""
    lines = [line for line in text.split("\n", 50)[:50] if line.strip()][:20]

    def score(d: str) -> tuple[int, int, bool]:
        counts = Counter(len(next(csv.reader([line], delimiter=d))) for line in lines)
        fields, times = max(counts.items(), key=lambda kv: (kv[1] * (kv[0] > 1), kv[0]))
        splits = fields > 1 and 2 * times > len(lines)
        return (times * splits, fields * splits, d == ",")

    return max(",;\t|", key=score)


def _header(names: list[Any]) -> list[str]:
    """Column names made unique and non-empty."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = str(name).strip().lstrip("\ufeff") if name is not None else ""
        name = name or f"column_{i + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


def _load_xlsx(path: Path) -> list[Table]:
    from openpyxl import load_workbook  # only .xlsx files need it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds of errors
        raise Unreadable(
            f"not a readable Excel file ({err})", "open and save it again in Excel"
        ) from None
    tables = []
    try:
        sheets = [s for s in workbook.worksheets if s.max_row and s.max_row > 1]
        for sheet in sheets:
            rows = [(i, r) for i, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
            rows = [(i, r) for i, r in rows if any(_cell(c) for c in r)]
            if not rows:
                continue
            columns = _header(list(rows[0][1]))
            prefix = f"{sheet.title} " if len(sheets) > 1 else ""
            table = Table(columns)
            for number, values in rows[1:]:
                cells = [_cell(c) for c in values] + [""] * len(columns)
                values_by_col = dict(zip(columns, cells[: len(columns)], strict=True))
                table.rows.append(Row(number, f"{prefix}row {number}", values_by_col))
            tables.append(table)
    finally:
        workbook.close()
    if not tables:
        raise Unreadable("the workbook has no rows", "put a header row and answers in a sheet")
    return tables


def _cell(value: Any) -> str:
    """A spreadsheet cell as text: whole numbers without '.0', dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _load_json(text: str) -> Table:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise Unreadable(f"invalid JSON ({err})", "fix the file or export it again") from None
    items = _json_records(data)
    if items is None:
        raise Unreadable(
            "no list of records found in the JSON", "give a list of objects, one per answer"
        )
    table = Table([])
    for i, item in enumerate(items, start=1):
        table.rows.append(_json_row(item, i, f"item {i}"))
    table.columns = _columns(table.rows)
    return table


def _json_records(data: Any) -> list[dict[str, Any]] | None:
    """The list of objects in a JSON document: the document itself, a list under a usual key
    (tickets, responses, data...), or one ticket object."""
    if isinstance(data, list):
        return [d for d in data if isinstance(d, dict)] if data else []
    if not isinstance(data, dict):
        return None
    for key in (*RECORD_KEYS, *data.keys()):
        value = data.get(key)
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            if key in MESSAGE_KEYS:
                return [data]  # a single ticket with its thread
            return value
    return [data]


def _load_jsonl(text: str, source: str) -> Table:
    table = Table([])
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("the line is not a JSON object")
        except ValueError as err:
            table.problems.append(
                Problem(
                    source,
                    f"not a JSON object ({err})",
                    f"line {number}",
                    "fix or remove the line",
                    "row",
                )
            )
            continue
        table.rows.append(_json_row(item, number, f"line {number}"))
    table.columns = _columns(table.rows)
    return table


def _json_row(item: dict[str, Any], number: int, locator: str) -> Row:
    values: dict[str, str] = {}
    messages: list[dict[str, Any]] | None = None
    for key, value in item.items():
        if key in MESSAGE_KEYS and isinstance(value, list):
            messages = [m if isinstance(m, dict) else {"body": str(m)} for m in value]
        else:
            _flatten(key, value, values)
    return Row(number, locator, values, messages)


def _flatten(key: str, value: Any, out: dict[str, str]) -> None:
    """Nested objects as dotted keys (requester.email); lists of plain values comma-joined."""
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{key}.{k}", v, out)
    elif isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            out[key] = ", ".join(str(v) for v in value)
        else:
            out[key] = json.dumps(value, ensure_ascii=False)
    elif value is None:
        out[key] = ""
    elif isinstance(value, float) and value.is_integer():
        out[key] = str(int(value))
    else:
        out[key] = str(value).strip()


def _columns(rows: list[Row]) -> list[str]:
    return list(dict.fromkeys(k for r in rows for k in r.values))
