"""Which column of a table plays which part (the customer's words, the respondent id, the
score, the date, a ticket's subject…): the names in `voc.toml` first, else common names, else
the column whose values read like sentences."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from voc.core.config import ColumnMap
from voc.ingest import tickets
from voc.ingest.records import norm_key
from voc.ingest.tabular import Table

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
# Personal data columns: used for ids and name redaction, never kept as attributes.
NAME_COLUMN = re.compile(r"(^|_)(name|first_name|last_name|full_name)$")
PII_COLUMN = re.compile(r"email|phone|mobile|address|(^|_)(name|first_name|last_name)$")
NOT_SCORES = {"", "n/a", "na", "-", "none", "null", "nan"}


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
    candidates = [(c, n) for c, n in candidates if n >= 5 and not PII_COLUMN.search(norm_key(c))]
    return [max(candidates, key=lambda cn: cn[1])[0]] if candidates else []


def _mean_words(table: Table, column: str) -> float:
    values = [r.values.get(column, "") for r in table.rows[:500]]
    values = [v for v in values if v.strip()]
    return sum(len(v.split()) for v in values) / len(values) if values else 0.0


def _max_number(table: Table, column: str) -> float:
    numbers = [number(r.values.get(column, "")) for r in table.rows]
    return max((n for n in numbers if n is not None), default=0.0)


def number(raw: str) -> float | None:
    raw = raw.strip().split("/")[0].strip().replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
