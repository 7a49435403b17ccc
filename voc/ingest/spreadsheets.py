"""Tabular inputs (.csv, .tsv, .xlsx, .json, .jsonl): survey and NPS answers and help-desk
exports. Columns are recognised by their common names unless the `columns` option names them."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pandas as pd

from voc.core.config import ColumnMap
from voc.core.errors import Problem
from voc.core.text import non_answer
from voc.ingest import tickets
from voc.ingest.columns import NAME_COLUMN, NOT_SCORES, PII_COLUMN, Roles, find_roles, number
from voc.ingest.records import FileResult, Record, Unreadable, norm_key
from voc.ingest.tabular import Row, Table, load_tables


def read_table(path: Path, text: str | None, source: str, columns: ColumnMap) -> FileResult:
    """Records of every row with words in a tabular file."""
    stem = Path(source).stem
    results = []
    for table in load_tables(path, text, source):
        roles = find_roles(table, columns)
        if roles.text or any(r.messages for r in table.rows):
            results.append(_table_records(table, roles, source, stem))
    if not results:
        raise Unreadable(
            "no text column found",
            "name the column with the customer's words `text` (or comment, feedback, ...) or "
            "set `columns.text` in voc.toml",
        )
    result = FileResult(results[0].kind)
    for part in results:
        result.records += part.records
        result.problems += part.problems
        result.empty += part.empty
        result.non_answers += part.non_answers
    return result


def read_attributes(path: Path, text: str | None, source: str, columns: ColumnMap) -> pd.DataFrame:
    """respondent_id plus attribute columns of a respondents file (one row per id)."""
    rows: dict[str, dict[str, str]] = {}
    for table in load_tables(path, text, source):
        id_column = find_roles(table, columns).respondent_id
        if id_column is None:
            continue
        for row in table.rows:
            respondent = _respondent_id(row.values.get(id_column, ""))
            if respondent:
                attributes, _ = _attributes(row, {id_column})
                rows.setdefault(respondent, {}).update({k: v for k, v in attributes.items() if v})
    if not rows:
        raise Unreadable(
            "no respondent id column found",
            "name the id column `respondent_id` (or set `columns.respondent_id` in voc.toml)",
        )
    return pd.DataFrame([{"respondent_id": k, **v} for k, v in rows.items()])


def _respondent_id(raw: str) -> str:
    """Ids as written, except emails, which are compared case-insensitively."""
    raw = raw.strip()
    return raw.lower() if "@" in raw else raw


def _table_records(table: Table, roles: Roles, source: str, stem: str) -> FileResult:
    result = FileResult(roles.kind, problems=list(table.problems))
    dates = _dates(table, roles.date)
    special = {roles.respondent_id, roles.score, roles.date, roles.subject, roles.author_role}
    special |= set(roles.text)
    for row, row_date in zip(table.rows, dates, strict=True):
        try:
            _row_records(row, row_date, roles, special, source, stem, result)
        except Exception as err:  # one odd row must not lose the file
            result.problems.append(
                Problem(
                    source,
                    f"could not read this row ({err})",
                    row.locator,
                    "check the row's values",
                    "row",
                )
            )
    return result


def _row_records(
    row: Row,
    row_date: str,
    roles: Roles,
    special: set[str | None],
    source: str,
    stem: str,
    result: FileResult,
) -> None:
    """Append the records of one row (one per text column, or one per ticket)."""
    raw_id = row.values.get(roles.respondent_id, "") if roles.respondent_id else ""
    respondent = _respondent_id(raw_id)
    attributes, names = _attributes(row, special)
    texts = _texts(row, roles, raw_id)
    if (
        roles.author_role
        and tickets.classify_role(row.values.get(roles.author_role, "")) == "agent"
    ):
        return  # an agent's reply in a one-message-per-row export
    if not any(str(v).strip() for v in row.values.values()) and not any(t for _, t in texts):
        return  # a wholly blank row is a spreadsheet artefact, not a person
    score = _score(row, roles, source, result)
    record = Record(
        respondent_id=respondent or f"{stem}-r{row.number}",
        kind=roles.kind,
        locator=row.locator,
        text="",
        date=row_date,
        score=score,
        attributes=attributes,
        names=names,
    )
    said, silent = [], []
    for column, text in texts:
        kind = non_answer(text)
        if not text.strip():
            result.empty += 1
        elif kind:
            result.non_answers += 1
        (silent if kind else said).append((column, text, kind))
    for column, text, _ in said:
        locator = row.locator if len(texts) == 1 else f"{row.locator} {column}"
        context = column if _is_question(column) else ""
        result.records.append(replace(record, locator=locator, text=text, context=context))
    if silent and not said:
        # The person still counts (score, attributes, the "nothing to add" group); their
        # answer is kept, marked, and never clustered.
        kinds = {kind for _, _, kind in silent}
        text = next((t for _, t, _ in silent if t.strip()), "")
        kind = "nothing" if "nothing" in kinds else "blank"
        result.records.append(replace(record, text=text, non_answer=kind))


def _texts(row: Row, roles: Roles, requester: str) -> list[tuple[str, str]]:
    """(column, words) pairs of a row: each text column, or a ticket's subject + messages."""
    if roles.kind != tickets.KIND:
        return [(c, row.values.get(c, "")) for c in roles.text]
    if row.messages:
        parts = tickets.customer_messages(row.messages, requester, roles.author_role)
    else:
        parts = [tickets.clean_message(row.values.get(c, "")) for c in roles.text]
    subject = row.values.get(roles.subject, "") if roles.subject else ""
    return [(roles.subject or "text", tickets.join_ticket(subject, parts))]


def _attributes(row: Row, special: set[str | None]) -> tuple[dict[str, str], tuple[str, ...]]:
    """Attribute columns of a row (snake_case keys) and the personal names it holds."""
    attributes: dict[str, str] = {}
    names = []
    for column, value in row.values.items():
        if column in special:
            continue
        key = norm_key(column)
        if NAME_COLUMN.search(key):
            names.append(value)
        if PII_COLUMN.search(key) or key in ("id", "response_id"):
            continue
        attributes[key] = value
    return attributes, tuple(n for n in names if n)


def _is_question(column: str) -> bool:
    return column.strip().endswith("?") or len(column.split()) >= 5


def _score(row: Row, roles: Roles, source: str, result: FileResult) -> float:
    """The row's 0-10 score; NaN with a problem when it is not a number in range."""
    if not roles.score:
        return math.nan
    raw = row.values.get(roles.score, "").strip()
    if raw.lower() in NOT_SCORES:
        return math.nan
    value = number(raw)
    if value is not None and 0 <= value <= 10:
        return value
    cause = f"score {raw!r} is not a number" if value is None else f"score {raw} is not 0-10"
    result.problems.append(
        Problem(
            source, cause, row.locator, "the answer is kept without a score; fix the value", "value"
        )
    )
    return math.nan


def _dates(table: Table, column: str | None) -> list[str]:
    """ISO dates of a date column ('' where a value is missing or not a date)."""
    if not column:
        return [""] * len(table.rows)
    raw = pd.Series([r.values.get(column, "") for r in table.rows], dtype="object")
    numeric = pd.to_numeric(raw, errors="coerce")
    if numeric.notna().all() and (numeric > 1e9).all():  # Unix timestamps (seconds or ms)
        unit = "ms" if (numeric > 1e11).all() else "s"
        parsed = pd.to_datetime(numeric, unit=unit, utc=True)
    else:
        # 01.03.2026 is always day first; pandas would read it month first.
        dayfirst = raw.str.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{2,4}").mean() > 0.5
        parsed = pd.to_datetime(
            raw.replace("", None), errors="coerce", format="mixed", utc=True, dayfirst=dayfirst
        )
    return [d.date().isoformat() if not pd.isna(d) else "" for d in parsed]
