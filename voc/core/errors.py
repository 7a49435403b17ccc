"""Errors and per-input problems.

A `VocError` is a user error: the CLI prints its message as one paragraph and exits 1.
A `Problem` is something wrong with one file or row: it is collected, shown at the end of the
run and written to the manifest, and everything else is still processed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


class VocError(Exception):
    """A problem the user can fix; the message says what happened and what to do next."""


@dataclass(frozen=True)
class Problem:
    """One input that could not be (fully) used: which file, where in it, why, what to do."""

    source: str
    cause: str
    locator: str = ""
    hint: str = ""
    skipped: str = "file"  # "file": whole file skipped; "row": one row; "value": one bad cell

    def __str__(self) -> str:
        where = f"{self.source}:{self.locator}" if self.locator else self.source
        text = f"{where}: {self.cause}"
        return f"{text} ({self.hint})" if self.hint else text

    def to_dict(self) -> dict[str, str]:
        return asdict(self)
