"""Tabular inputs (.csv, .tsv, .xlsx, .json, .jsonl): survey and NPS answers and help-desk
exports. Columns are recognised by their common names unless `config.columns` names them."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from voc.config import ColumnMap, Config
from voc.errors import Problem
from voc.ingest import tickets
from voc.ingest.records import FileResult, Record, Unreadable, norm_key
from voc.text import non_answer

csv.field_size_limit(2**31 - 1)  # a single long answer must not break the reader

TEXT_NAMES = [
    "text", "comment", "comments", "feedback", "response", "answer", "body", "description",
    "message", "review", "verbatim", "content", "open_text", "free_text", "remarks",
    "suggestion", "suggestions", "reason", "details", "ticket_description", "first_message",
    "review_text", "comment_text", "feedback_text", "customer_comment", "notes",
    "kommentar", "commentaire", "comentario", "commento", "opmerking",
]  # fmt: skip
# Words that make a long question header an open-ended question.
TEXT_QUESTION_WORDS = re.compile(
    r"reason|why|comment|feedback|improve|tell us|describe|suggest|explain|anything else"
    r"|thoughts|like most|like least|could we|should we|what would|in your own words",
    re.I,
)
ID_NAMES = [
    "respondent_id", "respondent", "participant_id", "customer_id", "user_id", "requester_id",
    "requester_email", "account_id", "contact_id", "client_id", "member_id", "customer_email",
    "user_email", "email", "email_address", "requester", "customer", "uid",
    "requester_email_address",
]  # fmt: skip
SCORE_NAMES = ["score", "nps", "nps_score", "likelihood_to_recommend", "ltr", "recommend"]
RATING_NAMES = ["rating", "stars", "csat", "satisfaction", "star_rating"]
DATE_NAMES = [
    "date", "created_at", "submitted_at", "timestamp", "created", "submitted", "response_date",
    "submission_date", "date_submitted", "completed_at", "created_date", "sent_at", "datum",
    "fecha",
]  # fmt: skip
SUBJECT_NAMES = ["subject", "ticket_subject", "subject_line", "email_subject"]
ROLE_NAMES = ["author_role", "author_type", "sender_type", "sender_role", "from_type"]
TICKET_ID_NAMES = {"ticket_id", "ticket", "ticket_number", "case_id", "case_number", "ticket_no"}
TICKET_HINTS = {"subject", "status", "priority", "assignee", "group", "sla", "agent", "tags"}
MESSAGE_KEYS = ("messages", "comments", "conversation", "thread", "conversation_parts", "replies")
RECORD_KEYS = ("tickets", "responses", "results", "data", "items", "records", "rows", "entries")
# Personal data columns: used for ids and name redaction, never kept as attributes.
_NAME_COLUMN = re.compile(r"(^|_)(name|first_name|last_name|full_name)$")
_PII_COLUMN = re.compile(r"email|phone|mobile|address|(^|_)(name|first_name|last_name)$")
_NOT_SCORES = {"", "n/a", "na", "-", "none", "null", "nan"}


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


@dataclass
class Roles:
    """Which column plays which part; keys are the table's own column names."""

    text: list[str]
    respondent_id: str | None
    score: str | None
    rating: str | None
    date: str | None
    subject: str | None
    author_role: str | None
    kind: str


# ---------------------------------------------------------------- loading


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


# ---------------------------------------------------------------- columns


def find_roles(table: Table, columns_map: ColumnMap) -> Roles:
    """Which columns hold the text, id, score, date... (explicit names from voc.toml first)."""
    keys = {norm_key(c): c for c in reversed(table.columns)}

    def pick(explicit: str | None, names: list[str]) -> str | None:
        if explicit:
            return keys.get(norm_key(explicit))
        return next((keys[n] for n in names if n in keys), None)

    has_messages = any(r.messages for r in table.rows)
    ticket_like = has_messages or _ticket_like(set(keys))
    score = pick(columns_map.score, SCORE_NAMES) or _question(table.columns, "recommend|how likely")
    rating = None if score else pick(None, RATING_NAMES)
    if score is None and rating and _max_number(table, rating) > 5:
        score, rating = rating, None  # a 0-10 "rating" is an NPS-style score
    used = {score, rating}
    if columns_map.text:
        text = [keys[norm_key(t)] for t in columns_map.text if norm_key(t) in keys]
    else:
        text = [keys[n] for n in TEXT_NAMES if n in keys and keys[n] not in used]
        text += [c for c in _open_questions(table) if c not in text and c not in used]
        if not text and not has_messages:
            text = _wordy_columns(table, used)
    subject = pick(None, SUBJECT_NAMES)
    if columns_map.kind:
        kind = columns_map.kind
    elif ticket_like:
        kind = tickets.KIND
    else:
        kind = "nps" if score else "survey"
    return Roles(
        text=[c for c in text if c != subject] if kind == tickets.KIND else text,
        respondent_id=pick(columns_map.respondent_id, ID_NAMES) or _other_id(keys),
        score=score,
        rating=rating,
        date=pick(columns_map.date, DATE_NAMES),
        subject=subject if kind == tickets.KIND else None,
        author_role=pick(columns_map.author_role, ROLE_NAMES),
        kind=kind,
    )


def _ticket_like(keys: set[str]) -> bool:
    if keys & TICKET_ID_NAMES or any(k.startswith("requester") for k in keys):
        return True
    return len(keys & TICKET_HINTS) >= 2


def _other_id(keys: dict[str, str]) -> str | None:
    """requester.email / user.id keys of flattened JSON, else a person-like '..._id' column
    ('Kunden-ID', 'Member ID'), never the id of a ticket, order or response."""
    for prefix in ("requester", "customer", "user", "author", "contact"):
        for leaf in ("id", "email", "external_id"):
            if f"{prefix}_{leaf}" in keys:
                return keys[f"{prefix}_{leaf}"]
    not_people = re.compile(r"ticket|order|response|row|invoice|survey|case|message|conv")
    return next(
        (c for k, c in keys.items() if k.endswith("_id") and not not_people.search(k)), None
    )


def _question(columns: list[str], words: str) -> str | None:
    return next((c for c in columns if re.search(words, c, re.I)), None)


def _open_questions(table: Table) -> list[str]:
    """Long question headers ('What is the main reason for your score?') with wordy answers."""
    return [
        c
        for c in table.columns
        if len(c.split()) >= 3 and TEXT_QUESTION_WORDS.search(c) and _mean_words(table, c) >= 2
    ]


def _wordy_columns(table: Table, used: set[str | None]) -> list[str]:
    """Failing any known name, the one column whose values read like sentences."""
    candidates = [(c, _mean_words(table, c)) for c in table.columns if c not in used]
    candidates = [(c, n) for c, n in candidates if n >= 5 and not _PII_COLUMN.search(norm_key(c))]
    return [max(candidates, key=lambda cn: cn[1])[0]] if candidates else []


def _mean_words(table: Table, column: str) -> float:
    values = [r.values.get(column, "") for r in table.rows[:500]]
    values = [v for v in values if v.strip()]
    return sum(len(v.split()) for v in values) / len(values) if values else 0.0


def _max_number(table: Table, column: str) -> float:
    numbers = [_number(r.values.get(column, "")) for r in table.rows]
    return max((n for n in numbers if n is not None), default=0.0)


def _number(raw: str) -> float | None:
    raw = raw.strip().split("/")[0].strip().replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# ---------------------------------------------------------------- rows to records


def read_table(path: Path, text: str | None, source: str, config: Config) -> FileResult:
    """Records of every row with words in a tabular file."""
    stem = Path(source).stem
    results = []
    for table in load_tables(path, text, source):
        roles = find_roles(table, config.columns)
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


def read_attributes(path: Path, text: str | None, source: str, config: Config) -> pd.DataFrame:
    """respondent_id plus attribute columns of a respondents file (one row per id)."""
    rows: dict[str, dict[str, str]] = {}
    for table in load_tables(path, text, source):
        id_column = find_roles(table, config.columns).respondent_id
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
        if _NAME_COLUMN.search(key):
            names.append(value)
        if _PII_COLUMN.search(key) or key in ("id", "response_id"):
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
    if raw.lower() in _NOT_SCORES:
        return math.nan
    value = _number(raw)
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
