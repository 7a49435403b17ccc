"""The ingest stage's options."""

from __future__ import annotations

from dataclasses import dataclass

from voc.core.config import ColumnMap
from voc.core.params import Params, default


@dataclass(frozen=True)
class IngestParams(Params):
    """Whether personal data is redacted, who the interviewers are, which columns hold what,
    and how long a passage may be before it is split."""

    redact: bool = default("redact")
    interviewer: list[str] = default("interviewer")
    columns: ColumnMap = default("columns")
    max_passage_tokens: int = default("max_passage_tokens")
