"""Counting what the LLM layer did (calls, cache hits, tokens, cost, fallbacks, errors) and
stopping before a call that would break the budget. Thread-safe: asks run concurrently."""

from __future__ import annotations

import threading
from typing import Any

from voc.core.errors import VocError

HOW_TO_RAISE = (
    "The answers so far are kept. To allow more, raise {name} in voc.toml or with "
    'VOC_{upper}, or run with llm = "offline".'
)


class BudgetExceeded(VocError):
    """The next LLM call would go over max_calls or max_cost. `results` holds the answers of an
    interrupted `ask_many` (None where not answered)."""

    def __init__(self, message: str, results: list[Any] | None = None) -> None:
        super().__init__(message)
        self.results: list[Any] = results if results is not None else []


class Meter:
    """Running totals for `LLM.usage()` plus the budget check, guarded by one lock."""

    def __init__(self, max_calls: int | None, max_cost: float | None) -> None:
        self.max_calls = max_calls
        self.max_cost = max_cost
        self.lock = threading.Lock()
        self.calls = 0
        self.cache_hits = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.cost = 0.0
        self.fallbacks = 0
        self.retries = 0
        self.dropped_ids = 0
        self.budget_skipped = 0
        self.errors: list[str] = []
        self.notes: list[str] = []
        self._pending_calls = 0
        self._pending_cost = 0.0

    def reserve(self, task: str, worst_cost: float) -> None:
        """Book one call costing at most `worst_cost` USD, or raise BudgetExceeded."""
        with self.lock:
            calls = self.calls + self._pending_calls
            if self.max_calls is not None and calls + 1 > self.max_calls:
                raise BudgetExceeded(
                    f"LLM budget reached: {self.calls} calls made and max_calls is "
                    f"{self.max_calls}, so the '{task}' request was not sent. "
                    + HOW_TO_RAISE.format(name="max_calls", upper="MAX_CALLS")
                )
            spent = self.cost + self._pending_cost
            if self.max_cost is not None and spent + worst_cost > self.max_cost:
                raise BudgetExceeded(
                    f"LLM budget reached: about ${self.cost:.4f} spent in {self.calls} calls and "
                    f"max_cost is ${self.max_cost:g}; the '{task}' request could cost up to "
                    f"${worst_cost:.4f}, so it was not sent. "
                    + HOW_TO_RAISE.format(name="max_cost", upper="MAX_COST")
                )
            self._pending_calls += 1
            self._pending_cost += worst_cost

    def settle(self, worst_cost: float, prompt: int, completion: int, cost: float) -> None:
        """Replace a reservation by what the call used."""
        with self.lock:
            self._pending_calls -= 1
            self._pending_cost -= worst_cost
            self.calls += 1
            self.prompt_tokens += prompt
            self.completion_tokens += completion
            self.cost += cost

    def release(self, worst_cost: float) -> None:
        """Drop a reservation whose call failed without an answer."""
        with self.lock:
            self._pending_calls -= 1
            self._pending_cost -= worst_cost

    def add(self, **counts: int) -> None:
        """Increment counters such as cache_hits=1 or fallbacks=1."""
        with self.lock:
            for name, amount in counts.items():
                setattr(self, name, getattr(self, name) + amount)

    def error(self, message: str) -> None:
        with self.lock:
            if message not in self.errors:
                self.errors.append(message)

    def note(self, message: str) -> None:
        with self.lock:
            if message not in self.notes:
                self.notes.append(message)

    def snapshot(self) -> dict[str, Any]:
        """The totals as plain values."""
        with self.lock:
            return {
                "calls": self.calls,
                "cache_hits": self.cache_hits,
                "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens,
                "est_cost_usd": round(self.cost, 6),
                "fallbacks": self.fallbacks,
                "retries": self.retries,
                "dropped_quote_ids": self.dropped_ids,
                "budget_skipped": self.budget_skipped,
                "errors": list(self.errors),
                "notes": list(self.notes),
            }
