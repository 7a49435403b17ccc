"""The privacy log: every request and answer, appended to `run_dir/llm/log.jsonl`, so a user
can see exactly what left the machine (and what was answered from the cache instead)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


class CallLog:
    """Append-only JSON lines; the folder is created on the first entry."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def write(self, **entry: Any) -> None:
        """Append one entry stamped with the current UTC time."""
        record = {"time": datetime.now(UTC).isoformat(timespec="seconds"), **entry}
        line = json.dumps(record, ensure_ascii=False, default=str)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
