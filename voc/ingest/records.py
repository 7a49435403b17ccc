"""What every reader returns: records (pieces of customer voice before ids, redaction and
splitting) and problems, so the readers stay independent of the final tables."""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field

from voc.core.errors import Problem


@dataclass
class Record:
    """One piece of customer voice as a reader found it."""

    respondent_id: str
    kind: str
    locator: str
    text: str
    speaker: str = ""
    context: str = ""
    date: str = ""
    score: float = math.nan
    attributes: dict[str, str] = field(default_factory=dict)
    names: tuple[str, ...] = ()  # personal names to redact from text and context
    non_answer: str = ""  # "nothing" or "blank" for an answer with no content (never clustered)
    unit_id: str = ""  # set once the record is final (after splitting into passages)


@dataclass
class FileResult:
    """Everything one file gave: its records, its problems and how many answers were empty or
    stock non-answers ("N/A", "nothing"), which are kept as marked records, never clustered."""

    kind: str
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    empty: int = 0
    non_answers: int = 0


class Unreadable(Exception):
    """A whole file cannot be used; carries the cause and a hint for the user."""

    def __init__(self, cause: str, hint: str = "") -> None:
        super().__init__(cause)
        self.cause = cause
        self.hint = hint


def short_hash(*parts: str) -> str:
    """12 hex digits identifying the parts; stable across runs and machines."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def norm_key(name: str) -> str:
    """Column or header name in snake_case, so 'Company Size' and 'company_size' match."""
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")
